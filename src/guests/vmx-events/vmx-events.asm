; vmx-events: VM exits that come from the processor's own event logic rather than from an
; instruction: the VMX-preemption timer (exit 52), interrupt-window exiting (exit 7) and
; NMI-window exiting (exit 8). One VMLAUNCH per case from common/vmx64.inc's valid VMCS, with
; up to three fields changed and the case's own guest code; each prints
;   "<case>: exit RRRRRRRR rip +NNNN activity A [timer T]"
; with the guest RIP relative to that guest code, the guest activity state (0 active, 1 HLT)
; and, for exit 52, the saved VMX-preemption timer value ("save VMX-preemption timer value"
; exit control). Timer values count differently in Bochs (retired instructions, ORACLE.md) and
; elsewhere, so only the outcome is printed, never a count.
; SDM "VMX-Preemption Timer", "Interrupt-Window Exiting and Virtual-Interrupt Delivery",
; "NMI-Window Exiting". A Multiboot v1 a.out-kludge image; Bochs only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

PIN_NMI_EXITING             equ 1 << 3
PIN_VIRTUAL_NMIS            equ 1 << 5
PIN_PREEMPTION_TIMER        equ 1 << 6
CPU_INTERRUPT_WINDOW        equ 1 << 2
CPU_NMI_WINDOW              equ 1 << 22
EXIT_SAVE_PREEMPTION_TIMER  equ 1 << 22
VMX_PREEMPTION_TIMER_VALUE  equ 0x482E

; CASE "name", guest code, field1, op1, value1 [, field2, op2, value2 [, field3, op3, value3]]
%macro CASE 5-11 NONE, OP_SET, 0, NONE, OP_SET, 0
[section .rodata]
%%name: db %1, 0
[section .data]
        dq %%name, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11
__SECT__
%endmacro
CASE_SIZE equ 11 * 8

        section .data
        align 8
cases:
        CASE "preemption timer 1000, guest loops", g_loop, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_PREEMPTION_TIMER, VMX_PREEMPTION_TIMER_VALUE, OP_SET, 1000, VM_EXIT_CONTROLS, OP_OR, EXIT_SAVE_PREEMPTION_TIMER
        CASE "preemption timer 0, exit before the first instruction", g_loop, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_PREEMPTION_TIMER, VMX_PREEMPTION_TIMER_VALUE, OP_SET, 0, VM_EXIT_CONTROLS, OP_OR, EXIT_SAVE_PREEMPTION_TIMER
        CASE "preemption timer 1000, guest halted (no HLT exiting)", g_hlt, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_PREEMPTION_TIMER, VMX_PREEMPTION_TIMER_VALUE, OP_SET, 1000, VM_EXIT_CONTROLS, OP_OR, EXIT_SAVE_PREEMPTION_TIMER
        CASE "interrupt window, guest RFLAGS.IF 1", g_vmcall, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_INTERRUPT_WINDOW, GUEST_RFLAGS, OP_SET, 0x202
        CASE "interrupt window, guest IF 0, then STI", g_sti, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_INTERRUPT_WINDOW
        CASE "interrupt window, guest IF 1 but blocking by STI", g_vmcall, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_INTERRUPT_WINDOW, GUEST_RFLAGS, OP_SET, 0x202, GUEST_INTERRUPTIBILITY_INFO, OP_SET, 1
        CASE "NMI window, no virtual-NMI blocking", g_vmcall, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_NMI_WINDOW
        CASE "NMI window, blocking by NMI", g_nop_vmcall, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_NMI_WINDOW, GUEST_INTERRUPTIBILITY_INFO, OP_SET, 1 << 3
        CASE "no window controls", g_vmcall, NONE, OP_SET, 0
cases_end:
        section .text

        bits 64
main64:
        PUTS64 "vmx-events: 64-bit host", 10
        call vmx_enter
        lea rax, [rel cases]
        mov [rel case_ptr], rax

next_case:
        mov rsp, long64_stack_top
        mov rbx, [rel case_ptr]
        lea rax, [rel cases_end]
        cmp rbx, rax
        jae .all_done
        lea rax, [rbx + CASE_SIZE]
        mov [rel case_ptr], rax
        mov rsi, [rbx]                   ; name
        call puts64
        PUTS64 ": "
        mov rax, [rbx + 8]
        mov [rel guest_entry], rax
        vmclear [rel vmcs_ptr]
        call check_vmx
        vmptrld [rel vmcs_ptr]
        call check_vmx
        call setup_vmcs
        mov rbx, [rel case_ptr]
        sub rbx, CASE_SIZE               ; setup_vmcs used RBX
        mov r12d, 3                      ; three changes at [rbx + 16], [rbx + 40], [rbx + 64]
        add rbx, 16
.change:
        mov ecx, [rbx]
        mov edx, [rbx + 8]
        mov rdi, [rbx + 16]
        call mutate
        add rbx, 24
        dec r12d
        jnz .change
        vmlaunch
        call print_vmx_result            ; only a VMfail returns here
        jmp next_case
.all_done:
        jmp vmx_leave

vm_exit:
        PUTS64 "exit "
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        mov rax, rbx
        mov ecx, 8
        call puthex_n64
        call print_guest_rip
        PUTS64 " activity "
        mov eax, GUEST_ACTIVITY_STATE
        vmread rax, rax
        mov ecx, 1
        call puthex_n64
        cmp ebx, 52
        jne .nl
        PUTS64 " timer "
        mov eax, VMX_PREEMPTION_TIMER_VALUE
        vmread rax, rax
        mov ecx, 8
        call puthex_n64
.nl:    call newline64
        jmp next_case

; guest codes
g_loop: jmp g_loop
g_hlt:  hlt
        jmp g_hlt
g_sti:  sti                              ; blocks interrupts for one more instruction
        nop
        nop
        vmcall
g_nop_vmcall:
        nop
g_vmcall:
        vmcall

        section .data
        align 8
case_ptr:       dq 0
        FLAT64_END
