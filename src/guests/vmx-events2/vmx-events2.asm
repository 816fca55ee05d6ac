; vmx-events2: external-interrupt exiting with and without "acknowledge interrupt on exit",
; event injection of each interruption type and the exception bitmap with the page-fault
; error-code mask and match. One VMLAUNCH per case from common/vmx64.inc's valid VMCS with
; up to three fields changed; the guest has its own IDT (256 gates, each to a stub that pushes
; its vector and makes a VMCALL), so an event delivered in the guest reaches the host as
;   "<case>: guest vector VV [error EEEEEEEE] rip +NNNN"
; (the saved RIP relative to the case's guest code), and an event that exits as
;   "<case>: exit RRRRRRRR qual Q info IIIIIIII [error EEEEEEEE] [len LL] rip +NNNN"
; with the VM-exit interruption information (and its error code when bit 11 says it is valid)
; and the instruction length only for software exceptions (SDM "Information for VM Exits Due to
; Vectored Events"). External interrupts: before the first case the host, with RFLAGS.IF = 0,
; enables x2APIC mode and sends itself a fixed IPI with vector 0x50, which stays pending; the
; first two cases exit without acknowledging it (information 0), the third acknowledges it
; (information 0x80000050) and the host sends the EOI. "[Bochs]": with external-interrupt
; exiting RFLAGS.IF does not block external interrupts (SDM "Event Blocking"); Bochs 2.7 lets the
; guest with IF = 0 run instead (expected/sdm.txt: exit 1). NMI injection with blocking by STI is
; a VM-entry failure with qualification 3 (SDM "VM-Entry Failures During or After Loading Guest
; State"); Bochs 2.7 reports qualification 0 ("[Bochs]", expected/sdm.txt: 3); with blocking
; by MOV SS the entry fails with qualification 0 (SDM "Checks on Guest Non-Register State").
; SDM "External-Interrupt Exiting", "Acknowledge Interrupt on Exit", "Event Injection",
; "Exception Bitmap". A Multiboot v1 a.out-kludge image; Bochs
; only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

PIN_EXTERNAL_INTERRUPT      equ 1 << 0
EXIT_ACK_INTERRUPT          equ 1 << 15
IA32_APIC_BASE              equ 0x1B
X2APIC_EOI                  equ 0x80B
X2APIC_SVR                  equ 0x80F
X2APIC_SELF_IPI             equ 0x83F
VM_ENTRY_INTR_INFO          equ 0x4016
VM_ENTRY_EXCEPTION_ERRCODE  equ 0x4018
VM_ENTRY_INSTRUCTION_LEN    equ 0x401A
PAGE_FAULT_ERROR_CODE_MASK  equ 0x4006
PAGE_FAULT_ERROR_CODE_MATCH equ 0x4008
VM_EXIT_INTR_ERROR_CODE     equ 0x4406
IDT_VECTORING_INFO          equ 0x4408
NOT_MAPPED                  equ 0x40000000   ; above the 1 GiB identity map

        section .data
        align 8
cases:
        VMX_CASE "[Bochs] external interrupt pending, exiting, no acknowledge, guest IF 0", g_vmcall, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_EXTERNAL_INTERRUPT
        VMX_CASE "external interrupt pending, exiting, no acknowledge, guest IF 1", g_vmcall, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_EXTERNAL_INTERRUPT, GUEST_RFLAGS, OP_SET, 0x202
        VMX_CASE "external interrupt pending, exiting, acknowledge on exit, guest IF 1", g_vmcall, PIN_BASED_VM_EXEC_CONTROL, OP_OR, PIN_EXTERNAL_INTERRUPT, VM_EXIT_CONTROLS, OP_OR, EXIT_ACK_INTERRUPT, GUEST_RFLAGS, OP_SET, 0x202
        VMX_CASE "no event", g_vmcall
        VMX_CASE "[Bochs] inject NMI, blocking by STI", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000202, GUEST_INTERRUPTIBILITY_INFO, OP_SET, 1, GUEST_RFLAGS, OP_SET, 0x202
        VMX_CASE "inject NMI, blocking by MOV SS", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000202, GUEST_INTERRUPTIBILITY_INFO, OP_SET, 2
        VMX_CASE "inject NMI, blocking by NMI, no virtual NMIs", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000202, GUEST_INTERRUPTIBILITY_INFO, OP_SET, 8
        VMX_CASE "inject external interrupt 0x40 (type 0), IF 1", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000040, GUEST_RFLAGS, OP_SET, 0x202
        VMX_CASE "inject NMI (type 2)", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000202
        VMX_CASE "inject #GP(0x18) (type 3)", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000B0D, VM_ENTRY_EXCEPTION_ERRCODE, OP_SET, 0x18
        VMX_CASE "inject #PF(0x2) (type 3)", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000B0E, VM_ENTRY_EXCEPTION_ERRCODE, OP_SET, 0x2
        VMX_CASE "inject INT 0x80 (type 4), length 2", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000480, VM_ENTRY_INSTRUCTION_LEN, OP_SET, 2
        VMX_CASE "inject #DB as privileged software exception (type 5), length 1", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000501, VM_ENTRY_INSTRUCTION_LEN, OP_SET, 1
        VMX_CASE "inject #BP as software exception (type 6), length 1", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000603, VM_ENTRY_INSTRUCTION_LEN, OP_SET, 1
        VMX_CASE "inject #OF as software exception (type 6), length 1", g_vmcall, VM_ENTRY_INTR_INFO, OP_SET, 0x80000604, VM_ENTRY_INSTRUCTION_LEN, OP_SET, 1
        VMX_CASE "#PF, bitmap bit 14 = 1, mask 0, match 0: exit", g_pf, EXCEPTION_BITMAP, OP_SET, 1 << 14, PAGE_FAULT_ERROR_CODE_MASK, OP_SET, 0, PAGE_FAULT_ERROR_CODE_MATCH, OP_SET, 0
        VMX_CASE "#PF, bitmap bit 14 = 1, mask 1, match 1: no exit", g_pf, EXCEPTION_BITMAP, OP_SET, 1 << 14, PAGE_FAULT_ERROR_CODE_MASK, OP_SET, 1, PAGE_FAULT_ERROR_CODE_MATCH, OP_SET, 1
        VMX_CASE "#PF, bitmap bit 14 = 0, mask 1, match 1: exit", g_pf, EXCEPTION_BITMAP, OP_SET, 0, PAGE_FAULT_ERROR_CODE_MASK, OP_SET, 1, PAGE_FAULT_ERROR_CODE_MATCH, OP_SET, 1
        VMX_CASE "#PF, bitmap bit 14 = 0, mask 0, match 0: no exit", g_pf, EXCEPTION_BITMAP, OP_SET, 0, PAGE_FAULT_ERROR_CODE_MASK, OP_SET, 0, PAGE_FAULT_ERROR_CODE_MATCH, OP_SET, 0
        VMX_CASE "#UD from UD2, bitmap bit 6", g_ud, EXCEPTION_BITMAP, OP_SET, 1 << 6
        VMX_CASE "#BP from INT3, bitmap bit 3", g_int3, EXCEPTION_BITMAP, OP_SET, 1 << 3
        VMX_CASE "#BP from INT3, bitmap 0", g_int3, EXCEPTION_BITMAP, OP_SET, 0
        VMX_CASE "#DE from DIV, bitmap bit 0", g_div, EXCEPTION_BITMAP, OP_SET, 1
        VMX_CASE "#GP from a non-canonical read, bitmap bit 13", g_gp, EXCEPTION_BITMAP, OP_SET, 1 << 13
cases_end:
        section .text

        bits 64
main64:
        PUTS64 "vmx-events2: 64-bit host", 10
        call vmx_enter
        call build_guest_idt
        ; x2APIC mode, APIC software-enabled, a self-IPI with vector 0x50 left pending (IF = 0)
        mov ecx, IA32_APIC_BASE
        rdmsr
        or eax, (1 << 11) | (1 << 10)
        wrmsr
        mov ecx, X2APIC_SVR
        mov eax, 0x1FF
        xor edx, edx
        wrmsr
        mov ecx, X2APIC_SELF_IPI
        mov eax, 0x50
        wrmsr
        lea rsi, [rel cases]
        lea rdi, [rel cases_end]
        jmp run_events

; run_cases of vmx64.inc with the guest IDT: for each row "name: ", VMCLEAR, VMPTRLD,
; setup_vmcs, the guest's IDTR, the row's changes, VMLAUNCH
run_events:
        mov [rel case_ptr], rsi
        mov [rel case_end], rdi
.next:  mov rsp, long64_stack_top
        mov rbx, [rel case_ptr]
        cmp rbx, [rel case_end]
        jae vmx_leave
        lea rax, [rbx + VMX_CASE_SIZE]
        mov [rel case_ptr], rax
        mov rsi, [rbx]
        call puts64
        PUTS64 ": "
        mov rax, [rbx + 8]
        mov [rel guest_entry], rax
        vmclear [rel vmcs_ptr]
        call check_vmx
        vmptrld [rel vmcs_ptr]
        call check_vmx
        call setup_vmcs
        lea rax, [rel guest_idt]
        VMW GUEST_IDTR_BASE, rax
        VMW GUEST_IDTR_LIMIT, 256 * 16 - 1
        mov rbx, [rel case_ptr]
        sub rbx, VMX_CASE_SIZE - 16
        mov r12d, 3
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
        jmp .next

; the guest's IDT: gate i -> stub i (push i, jmp to a VMCALL)
build_guest_idt:
        lea rdi, [rel guest_idt]
        lea rsi, [rel stubs]
        xor ecx, ecx
.gate:  mov rax, rsi
        mov [rdi], ax                    ; offset 15:0
        mov word [rdi + 2], LONG64_CODE64
        mov word [rdi + 4], 0x8E00       ; present, DPL 0, 64-bit interrupt gate
        shr rax, 16
        mov [rdi + 6], ax                ; offset 31:16
        shr rax, 16
        mov [rdi + 8], eax               ; offset 63:32
        mov dword [rdi + 12], 0
        add rdi, 16
        add rsi, STUB_SIZE
        inc ecx
        cmp ecx, 256
        jne .gate
        ret

vm_exit:
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        cmp ebx, 18
        jne .exit
        mov eax, GUEST_RSP
        vmread rdx, rax
        mov rax, guest_stack_top
        cmp rdx, rax
        je .exit
        ; a guest handler's VMCALL: [RDX] vector, then error code (if any), RIP
        PUTS64 "guest vector "
        mov rax, [rdx]
        mov ecx, 2
        call puthex_n64
        lea rdi, [rdx + 8]
        cmp rax, 8
        je .errc
        cmp rax, 17
        je .errc
        cmp rax, 10
        jb .frip
        cmp rax, 14
        ja .frip
.errc:  PUTS64 " error "
        mov rax, [rdi]
        mov ecx, 8
        call puthex_n64
        add rdi, 8
.frip:  mov rax, [rdi]
        sub rax, [rel guest_entry]
        PUTS64 " rip +"
        mov ecx, 4
        call puthex_n64
        call newline64
        jmp run_events.next

.exit:  PUTS64 "exit "
        mov rax, rbx
        mov ecx, 8
        call puthex_n64
        PUTS64 " qual "
        mov eax, EXIT_QUALIFICATION
        vmread rax, rax
        call puthex64
        PUTS64 " info "
        mov eax, VM_EXIT_INTR_INFO
        vmread r12, rax
        mov rax, r12
        mov ecx, 8
        call puthex_n64
        bt r12d, 11
        jnc .noerr
        PUTS64 " error "
        mov eax, VM_EXIT_INTR_ERROR_CODE
        vmread rax, rax
        call puthex_n64
.noerr: mov eax, r12d                    ; software exception (type 6) or interrupt (type 4)
        shr eax, 8
        and eax, 7
        cmp eax, 6
        je .len
        cmp eax, 4
        je .len
        cmp ebx, 18
        jne .idtv
.len:   call print_exit_length
.idtv:  PUTS64 " idt-vectoring "
        mov eax, IDT_VECTORING_INFO
        vmread rax, rax
        mov ecx, 8
        call puthex_n64
        call print_guest_rip
        call newline64
        cmp ebx, 1                       ; an acknowledged external interrupt: EOI
        jne .next
        bt r12d, 31
        jnc .next
        mov ecx, X2APIC_EOI
        xor eax, eax
        xor edx, edx
        wrmsr
.next:  jmp run_events.next

; guest codes
g_vmcall:
        vmcall
g_pf:   mov al, [NOT_MAPPED]
        vmcall
g_ud:   ud2
        vmcall
g_int3: int3
        vmcall
g_div:  xor edx, edx
        xor eax, eax
        xor ecx, ecx
        div ecx
        vmcall
g_gp:   mov rax, 0x8000000000000000
        mov al, [rax]
        vmcall

; IDT stubs: push the vector, VMCALL
STUB_SIZE equ 10
stubs:
%assign v 0
%rep 256
        push strict dword v
        jmp strict near stub_common
%assign v v + 1
%endrep
stub_common:
        vmcall
        jmp stub_common

        section .bss
        alignb 4096
guest_idt:      resb 4096
        FLAT64_END
