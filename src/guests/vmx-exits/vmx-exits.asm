; vmx-exits: a minimal VMX host in 64-bit mode that runs a 64-bit guest sharing its address
; space and prints each VMX instruction outcome and each VM exit. A Multiboot v1 a.out-kludge
; image; needs VMX, so only Bochs records it (QEMU's software CPU has none).
;
; Sequence (each step prints one line; field names and numbers as in the SDM):
;   1. CR0/CR4 adjusted to IA32_VMX_CR0/CR4_FIXED0/1 (this sets CR0.NE and CR4.VMXE), VMXON
;      (IA32_FEATURE_CONTROL must be locked with "VMX outside SMX" on, as Bochs' BIOS leaves it).
;   2. VMCLEAR, VMPTRLD, then VMRESUME of the clear VMCS: VMfailValid(5).
;   3. The VMCS is filled: pin-based 0, primary processor-based HLT exiting and unconditional
;      I/O exiting, exception bitmap #UD only, exit control "host address-space size", entry
;      control "IA-32e mode guest", every control adjusted to the (TRUE) capability MSRs. Host
;      and guest state are the current processor state.
;   4. VMLAUNCH with host CR0.PE = 0: VMfailValid(8), "invalid host-state field(s)".
;   5. VMLAUNCH with guest RFLAGS bit 1 = 0: VM-entry failure, exit reason 0x80000021 (33 with
;      bit 31), then VMLAUNCH with RFLAGS = 2.
;   6. The guest executes CPUID (exit 10), RDMSR (31, no MSR bitmaps), OUT imm8 and IN DX (30,
;      with their exit qualifications), UD2 (exit 0, #UD in the exception bitmap), INVD (13),
;      HLT (12), VMCALL (18). For each exit the host prints reason, exit qualification, guest
;      RIP relative to the guest code, and the VM-exit instruction length for instruction-caused
;      exits or the VM-exit interruption information for exit 0 (ORACLE.md: Bochs writes the
;      length for every exit, the SDM defines it only for some), then resumes after the
;      instruction. VMCALL ends the guest.
;   7. VMXOFF. Exit status 0; 2 without VMX or with VMX locked off; 0xFF on an exception.

%include "flat64.inc"

%include "vmx64.inc"

        bits 64
main64:
        PUTS64 "vmx-exits: 64-bit host", 10

        call vmx_enter
        PUTS64 "vmresume of a clear VMCS "
        vmresume
        call print_vmx_result

        mov dword [rel want_proc], CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING
        mov dword [rel want_exceptions], 1 << 6          ; #UD
        lea rax, [rel guest_code]
        mov [rel guest_entry], rax
        call setup_vmcs

        ; host CR0 without PE: VMfailValid(8)
        mov rax, cr0
        and eax, ~1
        VMW HOST_CR0, rax
        PUTS64 "vmlaunch with host CR0.PE=0 "
        vmlaunch
        call print_vmx_result
        mov rax, cr0
        VMW HOST_CR0, rax

        ; guest RFLAGS bit 1 clear: VM-entry failure, reported through the host RIP (vm_exit)
        VMW GUEST_RFLAGS, 0
        PUTS64 "vmlaunch with guest RFLAGS=0", 10
        mov byte [rel launch_phase], 1
        vmlaunch
        VMX_FAILED "vmlaunch"  ; reached only if VMLAUNCH fails as an instruction

; guest and host see the same memory, GDT, IDT and page tables
guest_code:
        xor eax, eax
        cpuid                            ; exit 10
        mov ecx, IA32_FEATURE_CONTROL
        rdmsr                            ; exit 31
        mov al, 0x5A
        out 0x80, al                     ; exit 30
        mov dx, 0x1234
        in ax, dx                        ; exit 30
        ud2                              ; exit 0 (#UD)
        invd                             ; exit 13
        hlt                              ; exit 12
        mov eax, 0x42
        vmcall                           ; exit 18: the end
        jmp guest_code                   ; not reached

; VM exits (and VM-entry failures) arrive here on the host stack; guest GPRs are live
vm_exit:
        PUSH_GPRS
        call print_exit
        call print_guest_rip
        bt ebx, 31                       ; VM-entry failure
        jc .entry_failure
        test ebx, 0xFFFF
        jz .exception
        call print_exit_length
        call newline64
        cmp bx, 18                       ; VMCALL
        je vmx_leave
        jmp .advance

.exception:                              ; exit 0: the guest's UD2 (2 bytes)
        PUTS64 " intr info "
        mov eax, VM_EXIT_INTR_INFO
        vmread rax, rax
        mov ecx, 8
        call puthex_n64
        call newline64
        mov esi, 2

.advance:                                ; guest RIP += RSI, resume
        ADVANCE_AND_RESUME

.entry_failure:                          ; the RFLAGS case of main64: fix it, launch again
        call newline64
        cmp byte [rel launch_phase], 1
        jne .unexpected
        mov byte [rel launch_phase], 2
        VMW GUEST_RFLAGS, 2
        PUTS64 "vmlaunch", 10
        mov rsp, host_stack_top
        vmlaunch
        VMX_FAILED "vmlaunch"
.unexpected:
        PUTS64 "unexpected VM-entry failure", 10
        mov al, 3
        jmp exit64

        section .data
launch_phase:   db 0
        FLAT64_END
