; vmx-demo: the smallest useful hypervisor. A 64-bit host enters VMX operation, launches a 64-bit
; guest that shares its address space, handles each VM exit (printing the exit reason by its SDM
; name, the exit qualification, the guest RIP relative to the guest's first instruction and the
; instruction length), resumes after the instruction, and stops at the guest's VMCALL. Then it
; launches once more with a deliberately broken VMCS (guest CR0.PG = 1 with CR0.PE = 0), which
; fails VM entry with exit reason 33 ("VM-entry failure due to invalid guest state").
;
; Run it with `vmx4j run --trace exits` to see each exit decoded field by field and, for the
; broken VMCS, the named VM-entry check that failed (the README's first command).
;
; A Multiboot v1 a.out-kludge image. Exit status 0 (2 without VMX).

%include "flat64.inc"
%include "vmx64.inc"

        bits 64
main64:
        PUTS64 "vmx-demo: a 64-bit host", 10
        call vmx_enter
        mov dword [rel want_proc], CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING
        mov dword [rel want_exceptions], 1 << 6          ; #UD
        lea rax, [rel guest_code]
        mov [rel guest_entry], rax
        call setup_vmcs
        PUTS64 "vmlaunch", 10
        vmlaunch
        VMX_FAILED "vmlaunch"

; The guest: one instruction per kind of exit.
guest_code:
        xor eax, eax
        cpuid                            ; CPUID (10), unconditional
        mov ecx, IA32_FEATURE_CONTROL
        rdmsr                            ; RDMSR (31): no MSR bitmaps
        mov al, 0x5A
        out 0x80, al                     ; I/O instruction (30): unconditional I/O exiting
        ud2                              ; exception or NMI (0): #UD in the exception bitmap
        hlt                              ; HLT (12): HLT exiting
        vmcall                           ; VMCALL (18): the end
        jmp guest_code

vm_exit:
        PUSH_GPRS
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        bt ebx, 31
        jc .entry_failure
        PUTS64 "exit "
        movzx eax, bx
        call print_reason_name
        PUTS64 " qual "
        mov eax, EXIT_QUALIFICATION
        vmread rax, rax
        mov ecx, 8
        call puthex_n64
        call print_guest_rip
        mov esi, 2                       ; UD2's length (exit 0 reports none)
        test bx, bx
        jz .newline
        call print_exit_length
.newline:
        call newline64
        cmp bx, 18                       ; VMCALL
        je broken_vmcs
        ADVANCE_AND_RESUME

.entry_failure:
        PUTS64 "VM-entry failure, exit reason "
        mov eax, ebx
        mov ecx, 8
        call puthex_n64
        PUTS64 " qual "
        mov eax, EXIT_QUALIFICATION
        vmread rax, rax
        mov ecx, 8
        call puthex_n64
        call newline64
        jmp vmx_leave

; SDM "Checks on Guest Control Registers, Debug Registers, and MSRs": "If bit 31 in the CR0 field
; (corresponding to PG) is 1, bit 0 in that field (PE) must also be 1."
broken_vmcs:
        PUTS64 "vmlaunch with guest CR0.PG=1 and CR0.PE=0", 10
        mov rsp, host_stack_top
        mov eax, GUEST_CR0
        vmread rdx, rax
        and edx, ~1
        vmwrite rax, rdx
        vmclear [rel vmcs_ptr]           ; launch state clear again
        vmptrld [rel vmcs_ptr]
        vmlaunch
        VMX_FAILED "vmlaunch"

; Prints the SDM name of basic exit reason EAX (the ones this demo can meet), else its number.
print_reason_name:
        lea rsi, [rel reason_names]
.next:  mov ecx, [rsi]
        cmp ecx, -1
        je .number
        cmp ecx, eax
        je .found
        add rsi, 4
.skip:  cmp byte [rsi], 0
        lea rsi, [rsi + 1]
        jne .skip
        jmp .next
.found: add rsi, 4
        jmp puts64
.number:
        mov ecx, 4
        jmp puthex_n64

        section .rodata
reason_names:
        dd 0
        db "EXCEPTION_OR_NMI", 0
        dd 10
        db "CPUID", 0
        dd 12
        db "HLT", 0
        dd 18
        db "VMCALL", 0
        dd 30
        db "IO_INSTRUCTION", 0
        dd 31
        db "RDMSR", 0
        dd -1

        FLAT64_END
