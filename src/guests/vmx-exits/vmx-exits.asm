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

        bits 32
        org 0x100000
        section .text
        section .rodata follows=.text align=16
        section .tables follows=.rodata align=4096
        section .text

%include "multiboot.inc"

        MULTIBOOT_AOUT_HEADER long64_start

%include "io32.inc"
        bits 64
%include "io64.inc"
%include "long64.inc"

; MSRs
IA32_FEATURE_CONTROL        equ 0x3A
IA32_VMX_BASIC              equ 0x480
IA32_VMX_PINBASED_CTLS      equ 0x481
IA32_VMX_PROCBASED_CTLS     equ 0x482
IA32_VMX_EXIT_CTLS          equ 0x483
IA32_VMX_ENTRY_CTLS         equ 0x484
IA32_VMX_CR0_FIXED0         equ 0x486
IA32_VMX_CR0_FIXED1         equ 0x487
IA32_VMX_CR4_FIXED0         equ 0x488
IA32_VMX_CR4_FIXED1         equ 0x489
IA32_VMX_TRUE_PINBASED_CTLS equ 0x48D   ; TRUE_PROCBASED, TRUE_EXIT, TRUE_ENTRY follow

; VMCS field encodings (SDM appendix "Field Encoding in VMCS")
GUEST_ES_SELECTOR           equ 0x0800  ; CS 0802, SS 0804, DS 0806, FS 0808, GS 080A
GUEST_LDTR_SELECTOR         equ 0x080C
GUEST_TR_SELECTOR           equ 0x080E
HOST_ES_SELECTOR            equ 0x0C00  ; CS 0C02, SS 0C04, DS 0C06, FS 0C08, GS 0C0A
HOST_TR_SELECTOR            equ 0x0C0C
VMCS_LINK_POINTER           equ 0x2800
GUEST_IA32_DEBUGCTL         equ 0x2802
PIN_BASED_VM_EXEC_CONTROL   equ 0x4000
CPU_BASED_VM_EXEC_CONTROL   equ 0x4002
EXCEPTION_BITMAP            equ 0x4004
VM_EXIT_CONTROLS            equ 0x400C
VM_ENTRY_CONTROLS           equ 0x4012
VM_INSTRUCTION_ERROR        equ 0x4400
VM_EXIT_REASON              equ 0x4402
VM_EXIT_INTR_INFO           equ 0x4404
VM_EXIT_INSTRUCTION_LEN     equ 0x440C
GUEST_ES_LIMIT              equ 0x4800  ; CS 4802, SS 4804, DS 4806, FS 4808, GS 480A
GUEST_LDTR_LIMIT            equ 0x480C
GUEST_TR_LIMIT              equ 0x480E
GUEST_GDTR_LIMIT            equ 0x4810
GUEST_IDTR_LIMIT            equ 0x4812
GUEST_ES_AR_BYTES           equ 0x4814  ; CS 4816, SS 4818, DS 481A, FS 481C, GS 481E
GUEST_LDTR_AR_BYTES         equ 0x4820
GUEST_TR_AR_BYTES           equ 0x4822
GUEST_INTERRUPTIBILITY_INFO equ 0x4824
GUEST_ACTIVITY_STATE        equ 0x4826
GUEST_SYSENTER_CS           equ 0x482A
HOST_IA32_SYSENTER_CS       equ 0x4C00
EXIT_QUALIFICATION          equ 0x6400
GUEST_CR0                   equ 0x6800
GUEST_CR3                   equ 0x6802
GUEST_CR4                   equ 0x6804
GUEST_ES_BASE               equ 0x6806  ; CS 6808, SS 680A, DS 680C, FS 680E, GS 6810
GUEST_LDTR_BASE             equ 0x6812
GUEST_TR_BASE               equ 0x6814
GUEST_GDTR_BASE             equ 0x6816
GUEST_IDTR_BASE             equ 0x6818
GUEST_DR7                   equ 0x681A
GUEST_RSP                   equ 0x681C
GUEST_RIP                   equ 0x681E
GUEST_RFLAGS                equ 0x6820
GUEST_PENDING_DBG_EXCEPTIONS equ 0x6822
GUEST_SYSENTER_ESP          equ 0x6824
GUEST_SYSENTER_EIP          equ 0x6826
HOST_CR0                    equ 0x6C00
HOST_CR3                    equ 0x6C02
HOST_CR4                    equ 0x6C04
HOST_FS_BASE                equ 0x6C06
HOST_GS_BASE                equ 0x6C08
HOST_TR_BASE                equ 0x6C0A
HOST_GDTR_BASE              equ 0x6C0C
HOST_IDTR_BASE              equ 0x6C0E
HOST_IA32_SYSENTER_ESP      equ 0x6C10
HOST_IA32_SYSENTER_EIP      equ 0x6C12
HOST_RSP                    equ 0x6C14
HOST_RIP                    equ 0x6C16

; controls
CPU_HLT_EXITING             equ 1 << 7
CPU_UNCOND_IO_EXITING       equ 1 << 24
EXIT_HOST_ADDR_SPACE_SIZE   equ 1 << 9
ENTRY_IA32E_MODE_GUEST      equ 1 << 9

; VMWRITE field, value (value: register or immediate; clobbers RAX, RDX)
%macro VMW 2
        mov rdx, %2
        mov eax, %1
        vmwrite rax, rdx
        call check_vmx
%endmacro

        bits 64
main64:
        PUTS64 "vmx-exits: 64-bit host", 10

        mov eax, 1
        cpuid
        bt ecx, 5                        ; CPUID.1:ECX.VMX
        jc .has_vmx
        PUTS64 "no VMX", 10
        mov al, 2
        jmp exit64
.has_vmx:
        ; SDM "Enabling and Entering VMX Operation": IA32_FEATURE_CONTROL lock and bit 2
        mov ecx, IA32_FEATURE_CONTROL
        rdmsr
        test al, 1
        jnz .locked
        or eax, 5
        wrmsr
        jmp .fc_ok
.locked:
        test al, 4
        jnz .fc_ok
        PUTS64 "VMX disabled by IA32_FEATURE_CONTROL", 10
        mov al, 2
        jmp exit64
.fc_ok:
        ; SDM "Restrictions on VMX Operation": CR0 and CR4 within the FIXED0/FIXED1 MSRs
        mov ecx, IA32_VMX_CR0_FIXED0
        rdmsr
        mov rbx, cr0
        or ebx, eax
        mov ecx, IA32_VMX_CR0_FIXED1
        rdmsr
        and ebx, eax
        mov cr0, rbx
        mov ecx, IA32_VMX_CR4_FIXED0
        rdmsr
        mov rbx, cr4
        or ebx, eax
        mov ecx, IA32_VMX_CR4_FIXED1
        rdmsr
        and ebx, eax
        mov cr4, rbx

        ; revision identifier into the VMXON region and the VMCS
        mov ecx, IA32_VMX_BASIC
        rdmsr
        mov [rel vmx_basic_hi], edx
        and eax, 0x7FFFFFFF
        mov [rel vmxon_region], eax
        mov [rel vmcs_region], eax

        PUTS64 "vmxon "
        vmxon [rel vmxon_ptr]
        call print_vmx_result
        PUTS64 "vmclear "
        vmclear [rel vmcs_ptr]
        call print_vmx_result
        PUTS64 "vmptrld "
        vmptrld [rel vmcs_ptr]
        call print_vmx_result
        PUTS64 "vmresume of a clear VMCS "
        vmresume
        call print_vmx_result

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
        PUTS64 "vmlaunch "
        call print_vmx_result            ; reached only if VMLAUNCH fails as an instruction
        mov al, 3
        jmp exit64

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
        push rax
        push rbx
        push rcx
        push rdx
        push rsi
        push rdi
        push rbp
        push r8
        push r9
        push r10
        push r11
        push r12
        push r13
        push r14
        push r15
        PUTS64 "exit "
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        mov rax, rbx
        mov ecx, 8
        call puthex_n64
        PUTS64 " qual "
        mov eax, EXIT_QUALIFICATION
        vmread rax, rax
        call puthex64
        PUTS64 " rip +"
        mov eax, GUEST_RIP
        vmread rax, rax
        lea rdx, [rel guest_code]
        sub rax, rdx
        mov ecx, 4
        call puthex_n64
        bt ebx, 31                       ; VM-entry failure
        jc .entry_failure
        test ebx, 0xFFFF
        jz .exception
        PUTS64 " len "
        mov eax, VM_EXIT_INSTRUCTION_LEN
        vmread rsi, rax
        mov rax, rsi
        mov ecx, 2
        call puthex_n64
        call newline64
        cmp bx, 18                       ; VMCALL
        je vmx_done
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
        mov eax, GUEST_RIP
        vmread rdx, rax
        add rdx, rsi
        vmwrite rax, rdx
        pop r15
        pop r14
        pop r13
        pop r12
        pop r11
        pop r10
        pop r9
        pop r8
        pop rbp
        pop rdi
        pop rsi
        pop rdx
        pop rcx
        pop rbx
        pop rax
        vmresume
        PUTS64 "vmresume "
        call print_vmx_result
        mov al, 3
        jmp exit64

.entry_failure:                          ; the RFLAGS case of main64: fix it, launch again
        call newline64
        cmp byte [rel launch_phase], 1
        jne .unexpected
        mov byte [rel launch_phase], 2
        VMW GUEST_RFLAGS, 2
        PUTS64 "vmlaunch", 10
        mov rsp, host_stack_top
        vmlaunch
        PUTS64 "vmlaunch "
        call print_vmx_result
.unexpected:
        mov al, 3
        jmp exit64

vmx_done:
        mov rsp, host_stack_top
        PUTS64 "vmxoff "
        vmxoff
        call print_vmx_result
        PUTS64 "done", 10
        mov al, 0
        jmp exit64

; Prints the outcome of the VMX instruction just executed, from RFLAGS (SDM "Conventions" of
; the VMX instruction reference): "ok", "VMfailInvalid", or "VMfailValid(NN)" with the
; VM-instruction error field in decimal-free hex. Preserves every register.
print_vmx_result:
        pushfq
        push rax
        push rcx
        mov rax, [rsp + 16]
        test al, 1                       ; CF
        jnz .invalid
        test al, 0x40                    ; ZF
        jnz .valid
        PUTS64 "ok", 10
        jmp .out
.invalid:
        PUTS64 "VMfailInvalid", 10
        jmp .out
.valid: PUTS64 "VMfailValid("
        mov eax, VM_INSTRUCTION_ERROR
        vmread rax, rax
        mov ecx, 2
        call puthex_n64
        PUTS64 ")", 10
.out:   pop rcx
        pop rax
        popfq
        ret

; After a VMWRITE: stops the run with a message unless it succeeded. Preserves registers.
check_vmx:
        jc .bad
        jz .bad
        ret
.bad:   PUTS64 "vmwrite "
        call print_vmx_result
        mov al, 3
        jmp exit64

; EAX = control MSR index (the TRUE one is used when IA32_VMX_BASIC[55] says it exists),
; EBX = desired bits; returns EBX with the allowed-0 bits set and the not-allowed-1 bits clear
; (SDM appendix "VMX Capability Reporting Facility"). Clobbers RAX, RCX, RDX.
adjust_controls:
        mov ecx, eax
        test dword [rel vmx_basic_hi], 1 << (55 - 32)
        jz .read
        cmp ecx, IA32_VMX_PINBASED_CTLS
        jb .read
        cmp ecx, IA32_VMX_ENTRY_CTLS
        ja .read
        add ecx, IA32_VMX_TRUE_PINBASED_CTLS - IA32_VMX_PINBASED_CTLS
.read:  rdmsr
        or ebx, eax
        and ebx, edx
        ret

setup_vmcs:
        ; controls
        mov eax, IA32_VMX_PINBASED_CTLS
        xor ebx, ebx
        call adjust_controls
        VMW PIN_BASED_VM_EXEC_CONTROL, rbx
        mov eax, IA32_VMX_PROCBASED_CTLS
        mov ebx, CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING
        call adjust_controls
        VMW CPU_BASED_VM_EXEC_CONTROL, rbx
        mov eax, IA32_VMX_EXIT_CTLS
        mov ebx, EXIT_HOST_ADDR_SPACE_SIZE
        call adjust_controls
        VMW VM_EXIT_CONTROLS, rbx
        mov eax, IA32_VMX_ENTRY_CTLS
        mov ebx, ENTRY_IA32E_MODE_GUEST
        call adjust_controls
        VMW VM_ENTRY_CONTROLS, rbx
        VMW EXCEPTION_BITMAP, 1 << 6     ; #UD
        VMW VMCS_LINK_POINTER, -1

        ; host state
        mov rax, cr0
        VMW HOST_CR0, rax
        mov rax, cr3
        VMW HOST_CR3, rax
        mov rax, cr4
        VMW HOST_CR4, rax
        VMW HOST_ES_SELECTOR, LONG64_DATA
        VMW HOST_ES_SELECTOR + 2, LONG64_CODE64
        VMW HOST_ES_SELECTOR + 4, LONG64_DATA
        VMW HOST_ES_SELECTOR + 6, LONG64_DATA
        VMW HOST_ES_SELECTOR + 8, LONG64_DATA
        VMW HOST_ES_SELECTOR + 10, LONG64_DATA
        VMW HOST_TR_SELECTOR, LONG64_TSS
        VMW HOST_FS_BASE, 0
        VMW HOST_GS_BASE, 0
        lea rax, [rel long64_tss]
        VMW HOST_TR_BASE, rax
        lea rax, [rel long64_gdt]
        VMW HOST_GDTR_BASE, rax
        lea rax, [rel long64_idt]
        VMW HOST_IDTR_BASE, rax
        VMW HOST_IA32_SYSENTER_CS, 0
        VMW HOST_IA32_SYSENTER_ESP, 0
        VMW HOST_IA32_SYSENTER_EIP, 0
        mov rax, host_stack_top
        VMW HOST_RSP, rax
        lea rax, [rel vm_exit]
        VMW HOST_RIP, rax

        ; guest state: the same processor state, its own stack, RIP at guest_code
        mov rax, cr0
        VMW GUEST_CR0, rax
        mov rax, cr3
        VMW GUEST_CR3, rax
        mov rax, cr4
        VMW GUEST_CR4, rax
        VMW GUEST_DR7, 0x400
        mov rax, guest_stack_top
        VMW GUEST_RSP, rax
        lea rax, [rel guest_code]
        VMW GUEST_RIP, rax
        VMW GUEST_RFLAGS, 2
        xor ebx, ebx                     ; ES, CS, SS, DS, FS, GS: field offset 2 * i
.seg:   mov esi, LONG64_DATA
        mov edi, 0xC093                  ; data: G, D/B, P, S, type 3 (read/write, accessed)
        cmp ebx, 1
        jne .data
        mov esi, LONG64_CODE64
        mov edi, 0xA09B                  ; code: G, L, P, S, type 11 (execute/read, accessed)
.data:  lea eax, [GUEST_ES_SELECTOR + rbx * 2]
        vmwrite rax, rsi
        call check_vmx
        lea eax, [GUEST_ES_BASE + rbx * 2]
        xor edx, edx
        vmwrite rax, rdx
        call check_vmx
        lea eax, [GUEST_ES_LIMIT + rbx * 2]
        mov edx, 0xFFFFFFFF
        vmwrite rax, rdx
        call check_vmx
        lea eax, [GUEST_ES_AR_BYTES + rbx * 2]
        vmwrite rax, rdi
        call check_vmx
        inc ebx
        cmp ebx, 6
        jne .seg
        VMW GUEST_LDTR_SELECTOR, 0
        VMW GUEST_LDTR_BASE, 0
        VMW GUEST_LDTR_LIMIT, 0
        VMW GUEST_LDTR_AR_BYTES, 0x10000 ; unusable
        VMW GUEST_TR_SELECTOR, LONG64_TSS
        lea rax, [rel long64_tss]
        VMW GUEST_TR_BASE, rax
        VMW GUEST_TR_LIMIT, 0x67
        VMW GUEST_TR_AR_BYTES, 0x8B      ; P, type 11 (busy 64-bit TSS)
        lea rax, [rel long64_gdt]
        VMW GUEST_GDTR_BASE, rax
        VMW GUEST_GDTR_LIMIT, long64_gdt_end - long64_gdt - 1
        lea rax, [rel long64_idt]
        VMW GUEST_IDTR_BASE, rax
        VMW GUEST_IDTR_LIMIT, 32 * 16 - 1
        VMW GUEST_IA32_DEBUGCTL, 0
        VMW GUEST_SYSENTER_CS, 0
        VMW GUEST_SYSENTER_ESP, 0
        VMW GUEST_SYSENTER_EIP, 0
        VMW GUEST_INTERRUPTIBILITY_INFO, 0
        VMW GUEST_ACTIVITY_STATE, 0
        VMW GUEST_PENDING_DBG_EXCEPTIONS, 0
        ret

        section .rodata
        align 8
vmxon_ptr:      dq vmxon_region
vmcs_ptr:       dq vmcs_region

        section .tables
        align 4096
vmxon_region:   times 4096 db 0
vmcs_region:    times 4096 db 0
vmx_basic_hi:   dd 0
launch_phase:   db 0
        align 16
                times 4096 db 0
host_stack_top:
                times 4096 db 0
guest_stack_top:
image_end:
