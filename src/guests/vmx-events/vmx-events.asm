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
; "NMI-Window Exiting", "Monitor Trap Flag" (an MTF exit after the first guest instruction; Bochs
; 2.7 advertises the control but never exits on it: the "[Bochs]" line, expected/sdm.txt holds
; the SDM's answer). A Multiboot v1 a.out-kludge image; Bochs only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

PIN_NMI_EXITING             equ 1 << 3
PIN_VIRTUAL_NMIS            equ 1 << 5
PIN_PREEMPTION_TIMER        equ 1 << 6
CPU_INTERRUPT_WINDOW        equ 1 << 2
CPU_NMI_WINDOW              equ 1 << 22
CPU_MONITOR_TRAP_FLAG       equ 1 << 27
VM_ENTRY_INTR_INFO_FIELD    equ 0x4016
EXIT_SAVE_PREEMPTION_TIMER  equ 1 << 22
VMX_PREEMPTION_TIMER_VALUE  equ 0x482E


        section .data
        align 8
cases:
        VMX_CASE "preemption timer 1000, guest loops", g_loop, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_PREEMPTION_TIMER, VMX_PREEMPTION_TIMER_VALUE, OP_SET, 1000, VM_EXIT_CONTROLS, OP_OR, EXIT_SAVE_PREEMPTION_TIMER
        VMX_CASE "preemption timer 0, exit before the first instruction", g_loop, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_PREEMPTION_TIMER, VMX_PREEMPTION_TIMER_VALUE, OP_SET, 0, VM_EXIT_CONTROLS, OP_OR, EXIT_SAVE_PREEMPTION_TIMER
        VMX_CASE "preemption timer 1000, guest halted (no HLT exiting)", g_hlt, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_PREEMPTION_TIMER, VMX_PREEMPTION_TIMER_VALUE, OP_SET, 1000, VM_EXIT_CONTROLS, OP_OR, EXIT_SAVE_PREEMPTION_TIMER
        VMX_CASE "interrupt window, guest RFLAGS.IF 1", g_vmcall, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_INTERRUPT_WINDOW, GUEST_RFLAGS, OP_SET, 0x202
        VMX_CASE "interrupt window, guest IF 0, then STI", g_sti, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_INTERRUPT_WINDOW
        VMX_CASE "interrupt window, guest IF 1 but blocking by STI", g_vmcall, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_INTERRUPT_WINDOW, GUEST_RFLAGS, OP_SET, 0x202, GUEST_INTERRUPTIBILITY_INFO, OP_SET, 1
        VMX_CASE "NMI window, no virtual-NMI blocking", g_vmcall, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_NMI_WINDOW
        VMX_CASE "NMI window, blocking by NMI", g_nop_vmcall, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_NMI_WINDOW, GUEST_INTERRUPTIBILITY_INFO, OP_SET, 1 << 3
        VMX_CASE "no window controls", g_vmcall
        VMX_CASE "pending MTF injected (type 7), control 0", g_vmcall, VM_ENTRY_INTR_INFO_FIELD, OP_SET, 0x80000700
        VMX_CASE "[Bochs] monitor trap flag, guest NOP then VMCALL", g_nop_vmcall, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_MONITOR_TRAP_FLAG
cases_end:
        section .text

        bits 64
main64:
        PUTS64 "vmx-events: 64-bit host", 10
        call vmx_enter
        lea rsi, [rel cases]
        lea rdi, [rel cases_end]
        jmp run_cases

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
        jmp run_cases.next

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

        FLAT64_END
