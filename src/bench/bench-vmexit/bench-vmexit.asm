; bench-vmexit: the VM exit/entry round trip. A 64-bit host enters VMX operation and launches a
; 64-bit guest that shares its address space; the guest runs 25 rounds of xorshift64 (301
; instructions) and then a CPUID, which exits unconditionally (SDM "Instructions That Cause VM
; Exits Unconditionally"); the host's handler saves the guest's registers, reads the exit reason
; and the instruction length, advances the guest RIP, restores the registers and resumes
; (39 host instructions). 100,000 round trips, then the guest's VMCALL ends the run and the host
; prints the guest's checksum and its count of CPUID exits. Exit status 0 (2 without VMX).

%include "flat64.inc"
%include "vmx64.inc"

EXITS   equ 100000
ROUNDS  equ 25

        bits 64
main64:
        PUTS64 "bench-vmexit", 10
        call vmx_enter
        mov dword [rel want_proc], 0
        lea rax, [rel guest_code]
        mov [rel guest_entry], rax
        call setup_vmcs
        vmlaunch
        VMX_FAILED "vmlaunch"

guest_code:
        mov rax, 0x123456789ABCDEF1      ; seed
        mov r8d, EXITS
        xor r9d, r9d
.outer: mov ecx, ROUNDS
.round: mov rdx, rax                     ; xorshift64
        shl rdx, 13
        xor rax, rdx
        mov rdx, rax
        shr rdx, 7
        xor rax, rdx
        mov rdx, rax
        shl rdx, 17
        xor rax, rdx
        add r9, rax
        dec ecx
        jnz .round
        mov r10, rax
        xor eax, eax
        cpuid                            ; VM exit (10)
        mov rax, r10
        dec r8d
        jnz .outer
        vmcall                           ; VM exit (18): the end

vm_exit:
        PUSH_GPRS
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        cmp bx, 18                       ; VMCALL
        je .done
        inc qword [rel cpuid_exits]
        mov eax, VM_EXIT_INSTRUCTION_LEN
        vmread rsi, rax
        ADVANCE_AND_RESUME
.done:
        POP_GPRS
        PUTHEX64 "r9", r9
        PUTHEX64 "exits", [rel cpuid_exits]
        jmp vmx_leave

        section .data
cpuid_exits: dq 0

        FLAT64_END
