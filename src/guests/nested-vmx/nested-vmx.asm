; nested-vmx: a hypervisor inside a hypervisor. L0, a small VMX host, runs L1 as its guest; L1
; is an ordinary VMX hypervisor (it uses common/vmx64.inc like the other VMX programs) that runs
; L2, a 64-bit guest. In VMX non-root operation every VMX instruction of L1 causes a VM exit
; (SDM "Instructions That Cause VM Exits Unconditionally"), so L0 emulates them on L1's behalf:
;
;   VMXON, VMCLEAR, VMPTRLD, VMXOFF   L0 keeps L1's VMX state (its current-VMCS pointer and
;                                     launch state), decoding the memory operand from the
;                                     exit qualification (the displacement) and the VM-exit
;                                     instruction-information field (base, index, scale)
;   VMREAD, VMWRITE                   never exit: L0 runs L1 with "VMCS shadowing" and all-zero
;                                     VMREAD/VMWRITE bitmaps, and the VMCS link pointer of L1's
;                                     VMCS (vmcs01) references a shadow VMCS (vmcs12) while L1
;                                     has a current VMCS, so L1's VMREADs and VMWRITEs read and
;                                     write vmcs12 directly (SDM "VMCS Shadowing")
;   VMLAUNCH, VMRESUME                L0 copies L1's guest state and controls from vmcs12 into
;                                     vmcs02 (host state: L0's own) and enters L2 with it
;
; Every exit of L2 reaches L0 (it is the only VMX root); L0 reflects it to L1: it copies the exit
; information and L2's guest state into vmcs12 and resumes L1 at vmcs12's host RIP and RSP (the
; rest of L1's host state equals its current state: one address space, one GDT). L1 prints each
; exit of L2 decoded (L2 executes CPUID, RDMSR, OUT, VMPTRST, VMREAD, HLT and VMCALL, so L1 sees
; VMX-instruction exits with their instruction information too) and resumes it with VMRESUME;
; L0 prints each exit it handles, from L1 (emulated) and from L2 (reflected). At L2's VMCALL, L1
; leaves VMX operation and makes a VMCALL to L0, which ends the run.
;
; Simplifications (what a real L0 must also do): one VMCS for L1, no VMfail emulation except for
; VMLAUNCH/VMRESUME, no EPT or MSR-list merging, the memory operands read from the identity-mapped
; address space.
;
; A Multiboot v1 a.out-kludge image. Exit status 0; 2 without VMX or VMCS shadowing; 4 when L1
; executes an instruction L0 does not emulate.

%include "flat64.inc"
%include "vmx64.inc"

VM_EXIT_INTR_ERROR          equ 0x4406
IDT_VECTORING_INFO          equ 0x4408
IDT_VECTORING_ERROR         equ 0x440A
VM_EXIT_INSTRUCTION_INFO    equ 0x440E
MSR_BITMAP                  equ 0x2004
VMREAD_BITMAP               equ 0x2026
VMWRITE_BITMAP              equ 0x2028
CPU_USE_MSR_BITMAPS         equ 1 << 28
CPU2_VMCS_SHADOWING         equ 1 << 14
RFLAGS_VMX_STATUS           equ 0x8D5   ; CF, PF, AF, ZF, SF, OF

; The guest GPRs L0's exit handler saved with PUSH_GPRS on its stack (R15 first).
L0_GPRS                     equ l0_stack_top - 15 * 8

; After a VMX instruction of L1 (which did not exit: VMREAD/VMWRITE) or of L0: prints "L1: name "
; and the outcome.
%macro RESULT 1
        pushfq
        PUTS64 %1, " "
        popfq
        call print_vmx_result
%endmacro

        bits 64
main64:
        PUTS64 "nested-vmx: L0 runs L1, a VMX hypervisor, which runs L2", 10
        mov eax, 1
        cpuid
        bt ecx, 5                        ; CPUID.1:ECX.VMX
        jc .has_vmx
        PUTS64 "no VMX", 10
        mov al, 2
        jmp exit64
.has_vmx:
        ; SDM "Enabling and Entering VMX Operation": IA32_FEATURE_CONTROL locked, VMX outside SMX
        mov ecx, IA32_FEATURE_CONTROL
        rdmsr
        test al, 1
        jnz .locked
        or eax, 5
        wrmsr
.locked:
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
        mov ecx, IA32_VMX_BASIC
        rdmsr
        mov [rel vmx_basic_hi], edx
        and eax, 0x7FFFFFFF
        mov [rel l0_vmxon], eax
        mov [rel l0_vmcs01], eax
        mov [rel l0_vmcs02], eax
        or eax, 0x80000000               ; the shadow-VMCS indicator
        mov [rel l0_vmcs12], eax

        vmxon [rel l0_vmxon_ptr]
        RESULT "L0: vmxon"
        ; vmcs02, the VMCS L0 runs L2 with: host state L0's; guest state and controls from
        ; vmcs12 at each VMLAUNCH/VMRESUME of L1
        vmclear [rel l0_vmcs12_ptr]
        RESULT "L0: vmclear vmcs12 (shadow VMCS)"
        vmclear [rel l0_vmcs02_ptr]
        vmptrld [rel l0_vmcs02_ptr]
        call setup_vmcs
        call l0_host_state
        ; vmcs01, the VMCS L0 runs L1 with
        vmclear [rel l0_vmcs01_ptr]
        vmptrld [rel l0_vmcs01_ptr]
        mov dword [rel want_proc], CPU_USE_MSR_BITMAPS | CPU_ACTIVATE_SECONDARY
        mov dword [rel want_proc2], CPU2_VMCS_SHADOWING
        lea rax, [rel l1_main]
        mov [rel guest_entry], rax
        call setup_vmcs
        call l0_host_state
        mov rax, l1_stack_top
        VMW GUEST_RSP, rax
        mov eax, SECONDARY_VM_EXEC_CONTROL
        vmread rax, rax
        test eax, CPU2_VMCS_SHADOWING
        jnz .shadowing
        PUTS64 "no VMCS shadowing", 10
        mov al, 2
        jmp exit64
.shadowing:
        ; all-zero bitmaps: L1 reads and writes the MSRs of the two ranges without exits, and
        ; every VMREAD and VMWRITE of L1 is served from the shadow VMCS
        lea rbx, [rel l0_zero_page]
        VMW MSR_BITMAP, rbx
        VMW VMREAD_BITMAP, rbx
        VMW VMWRITE_BITMAP, rbx
        ; VMCS link pointer FFFFFFFF_FFFFFFFFH until L1 has a current VMCS (setup_vmcs)
        mov qword [rel l1_current], -1
        mov byte [rel l0_running], 1
        PUTS64 "L0: vmlaunch L1 (VMCS shadowing on, VMREAD/VMWRITE bitmaps all 0)", 10
        vmlaunch
        VMX_FAILED "L0: vmlaunch"

; The current VMCS gets L0's host RIP and RSP.
l0_host_state:
        lea rax, [rel l0_exit]
        VMW HOST_RIP, rax
        mov rax, l0_stack_top
        VMW HOST_RSP, rax
        ret

; ------------------------------------------------------------------------------------------ L0

l0_exit:
        PUSH_GPRS
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        bt ebx, 31
        jc .entry_failure
        cmp byte [rel l0_running], 2
        je l0_reflect
        PUTS64 "L0: exit "
        movzx eax, bx
        call print_reason_name
        PUTS64 " from L1"
        movzx eax, bx
        call has_memory_operand          ; qualification and instruction information
        jnc .plain
        PUTS64 " qual "
        mov eax, EXIT_QUALIFICATION
        vmread rax, rax
        call puthex64
        PUTS64 " info "
        mov eax, VM_EXIT_INSTRUCTION_INFO
        vmread rax, rax
        mov ecx, 8
        call puthex_n64
.plain:
        call print_exit_length
        PUTS64 ": "
        movzx eax, bx
        cmp eax, 10
        je l0_emulate_cpuid
        cmp eax, 18
        je l0_emulate_vmcall
        cmp eax, 19
        je l0_emulate_vmclear
        cmp eax, 20
        je l0_emulate_vmlaunch
        cmp eax, 21
        je l0_emulate_vmptrld
        cmp eax, 24
        je l0_emulate_vmresume
        cmp eax, 26
        je l0_emulate_vmxoff
        cmp eax, 27
        je l0_emulate_vmxon
        PUTS64 "not emulated", 10
        mov al, 4
        jmp exit64
.entry_failure:
        PUTS64 "L0: VM-entry failure, exit reason "
        mov eax, ebx
        mov ecx, 8
        call puthex_n64
        call newline64
        mov al, 3
        jmp exit64

; CPUID: executed by L0 with L1's EAX and ECX, the result into L1's registers.
l0_emulate_cpuid:
        mov eax, [rel L0_GPRS + 14 * 8]
        mov ecx, [rel L0_GPRS + 12 * 8]
        cpuid
        mov [rel L0_GPRS + 14 * 8], rax
        mov [rel L0_GPRS + 13 * 8], rbx
        mov [rel L0_GPRS + 12 * 8], rcx
        mov [rel L0_GPRS + 11 * 8], rdx
        PUTS64 "executed for L1", 10
        jmp l0_succeed

l0_emulate_vmxon:
        call l0_operand
        PUTS64 "L1 in VMX operation, VMXON pointer "
        call print_pointer
        jmp l0_succeed

l0_emulate_vmxoff:
        mov qword [rel l1_current], -1
        call l0_link_pointer
        PUTS64 "L1 out of VMX operation", 10
        jmp l0_succeed

l0_emulate_vmclear:
        call l0_operand
        PUTS64 "VMCS "
        call print_pointer
        cmp rax, [rel l1_current]
        jne .other
        mov qword [rel l1_current], -1   ; SDM "VMCLEAR": the current VMCS becomes invalid
        call l0_link_pointer
.other: mov byte [rel l1_launched], 0    ; launch state clear
        jmp l0_succeed

l0_emulate_vmptrld:
        call l0_operand
        mov [rel l1_current], rax
        call l0_link_pointer
        PUTS64 "L1's current VMCS "
        call print_pointer
        jmp l0_succeed

l0_emulate_vmlaunch:
        cmp qword [rel l1_current], -1
        je l0_fail_invalid
        mov ecx, 4                       ; VMLAUNCH with non-clear VMCS
        cmp byte [rel l1_launched], 0
        jne l0_fail_valid
        PUTS64 "enter L2 with vmcs02", 10
        jmp l0_enter_l2

l0_emulate_vmresume:
        cmp qword [rel l1_current], -1
        je l0_fail_invalid
        mov ecx, 5                       ; VMRESUME with non-launched VMCS
        cmp byte [rel l1_launched], 0
        je l0_fail_valid
        PUTS64 "resume L2 with vmcs02", 10
        jmp l0_enter_l2

; L1 is done: VMXOFF, exit status 0.
l0_emulate_vmcall:
        PUTS64 "L1 is done", 10
        PUTS64 "L0: "
        jmp vmx_leave

; vmcs01's VMCS link pointer: vmcs12 while L1 has a current VMCS, else FFFFFFFF_FFFFFFFFH (L1's
; VMREAD/VMWRITE then give VMfailInvalid, as with no current VMCS). Preserves RAX.
l0_link_pointer:
        push rax
        mov rdx, -1
        cmp qword [rel l1_current], -1
        je .write
        lea rdx, [rel l0_vmcs12]
.write: mov eax, VMCS_LINK_POINTER
        vmwrite rax, rdx
        call check_vmx
        pop rax
        ret

; RAX: printed as a VMCS pointer, then a newline. Preserves RAX.
print_pointer:
        push rcx
        mov ecx, 8
        call puthex_n64
        call newline64
        pop rcx
        ret

; Returns in RAX the 64-bit memory operand of L1's VMX instruction: its address from the exit
; qualification (SDM "Exit Qualification for VM Exits Due to Instructions with a Memory Operand":
; the displacement) plus the base and index registers the VM-exit instruction-information field
; names (SDM "VM-Exit Instruction-Information Field"); for RIP-relative addressing (neither
; register) the qualification is already the sum of the displacement and the next RIP. Segment
; bases are 0 and paging is the identity.
l0_operand:
        mov eax, VM_EXIT_INSTRUCTION_INFO
        vmread r8, rax
        mov eax, EXIT_QUALIFICATION
        vmread r9, rax
        bt r8d, 27                       ; base register invalid
        jc .no_base
        mov ecx, r8d
        shr ecx, 23
        and ecx, 15
        call l0_gpr
        add r9, rax
.no_base:
        bt r8d, 22                       ; index register invalid
        jc .no_index
        mov ecx, r8d
        shr ecx, 18
        and ecx, 15
        call l0_gpr
        mov ecx, r8d
        and ecx, 3                       ; scaling
        shl rax, cl
        add r9, rax
        jmp .size
.no_index:
.size:  mov eax, r8d
        shr eax, 7
        and eax, 7
        cmp eax, 1                       ; 32-bit address size
        jne .read
        mov r9d, r9d
.read:  mov rax, [r9]
        ret

; ECX = register number (0 RAX .. 15 R15, the VM-exit instruction-information encoding) ->
; RAX = L1's register. Clobbers RDX.
l0_gpr:
        cmp ecx, 4
        jne .saved
        mov eax, GUEST_RSP
        vmread rax, rax
        ret
.saved: lea rdx, [rel gpr_slot]
        movzx eax, byte [rdx + rcx]
        lea rdx, [rel L0_GPRS]
        mov rax, [rdx + rax * 8]
        ret

; L1's VMX instruction completes: RFLAGS as VMsucceed (or as set by the fail paths), RIP past it.
l0_succeed:
        xor ecx, ecx
l0_set_flags:
        mov eax, GUEST_RFLAGS
        vmread rdx, rax
        and edx, ~RFLAGS_VMX_STATUS
        or edx, ecx
        vmwrite rax, rdx
        mov eax, VM_EXIT_INSTRUCTION_LEN
        vmread rsi, rax
        ADVANCE_AND_RESUME

l0_fail_invalid:
        PUTS64 "VMfailInvalid", 10
        mov ecx, 1                       ; CF
        jmp l0_set_flags

; ECX = VM-instruction error, stored in vmcs12 (the VMCS L1 reads it from).
l0_fail_valid:
        PUTS64 "VMfailValid", 10
        vmptrld [rel l0_vmcs12_ptr]
        mov eax, VM_INSTRUCTION_ERROR
        vmwrite rax, rcx
        vmptrld [rel l0_vmcs01_ptr]
        mov ecx, 0x40                    ; ZF
        jmp l0_set_flags

; L1's VMLAUNCH/VMRESUME: vmcs02 gets vmcs12's guest state and controls, then L0 enters L2
; with L1's registers (VM entry leaves the GPRs as they are).
l0_enter_l2:
        vmptrld [rel l0_vmcs12_ptr]
        lea rsi, [rel guest_fields]
        lea rdi, [rel l0_buffer]
        call read_fields
        lea rsi, [rel control_fields]
        call read_fields
        vmptrld [rel l0_vmcs02_ptr]
        lea rsi, [rel guest_fields]
        lea rdi, [rel l0_buffer]
        call write_fields
        lea rsi, [rel control_fields]
        call write_fields
        mov byte [rel l1_launched], 1
        mov byte [rel l0_running], 2
        cmp byte [rel l0_vmcs02_launched], 0
        jne .resume
        mov byte [rel l0_vmcs02_launched], 1
        POP_GPRS
        vmlaunch
        VMX_FAILED "L0: vmlaunch vmcs02"
.resume:
        POP_GPRS
        vmresume
        VMX_FAILED "L0: vmresume vmcs02"

; An exit of L2 (vmcs02 current): to L1. vmcs12 gets the exit information and L2's guest state;
; L1 continues at vmcs12's host RIP and RSP with L2's registers (SDM "Loading Host State" leaves
; the GPRs but RSP as they are).
l0_reflect:
        PUTS64 "L0: exit "
        movzx eax, bx
        call print_reason_name
        PUTS64 " from L2: reflected to L1", 10
        lea rsi, [rel exit_fields]
        lea rdi, [rel l0_buffer]
        call read_fields
        lea rsi, [rel guest_fields]
        call read_fields
        vmptrld [rel l0_vmcs12_ptr]
        lea rsi, [rel exit_fields]
        lea rdi, [rel l0_buffer]
        call write_fields
        lea rsi, [rel guest_fields]
        call write_fields
        mov eax, HOST_RIP
        vmread r12, rax
        mov eax, HOST_RSP
        vmread r13, rax
        vmptrld [rel l0_vmcs01_ptr]
        VMW GUEST_RIP, r12
        VMW GUEST_RSP, r13
        VMW GUEST_RFLAGS, 2
        mov byte [rel l0_running], 1
        POP_GPRS
        vmresume
        VMX_FAILED "L0: vmresume vmcs01"

; RSI = a 0-terminated list of 16-bit field encodings; RDI = buffer: VMREAD each field of the
; current VMCS into it. Returns RSI past the list, RDI past the values.
read_fields:
        movzx eax, word [rsi]
        add rsi, 2
        test eax, eax
        jz .done
        vmread [rdi], rax
        call check_vmx
        add rdi, 8
        jmp read_fields
.done:  ret

; The same list: VMWRITE each field from the buffer.
write_fields:
        movzx eax, word [rsi]
        add rsi, 2
        test eax, eax
        jz .done
        vmwrite rax, [rdi]
        call check_vmx
        add rdi, 8
        jmp write_fields
.done:  ret

; ------------------------------------------------------------------------------------------ L1

l1_main:
        PUTS64 "L1: running as L0's guest", 10
        mov eax, 1
        cpuid
        bt ecx, 5
        jc .vmx
        PUTS64 "L1: no VMX", 10
        vmcall
.vmx:   PUTS64 "L1: CPUID.1:ECX.VMX = 1", 10
        mov ecx, IA32_VMX_BASIC
        rdmsr                            ; no exit: L0's MSR bitmaps are all 0
        mov [rel vmx_basic_hi], edx
        and eax, 0x7FFFFFFF
        mov [rel vmxon_region], eax
        mov [rel vmcs_region], eax
        vmxon [rel vmxon_ptr]
        RESULT "L1: vmxon"
        vmclear [rel vmcs_ptr]
        RESULT "L1: vmclear"
        vmptrld [rel vmcs_ptr]
        RESULT "L1: vmptrld"
        mov dword [rel want_proc], CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING
        mov dword [rel want_proc2], 0
        lea rax, [rel l2_code]
        mov [rel guest_entry], rax
        call setup_vmcs
        PUTS64 "L1: VMCS set up by VMWRITEs that did not exit", 10
        mov eax, GUEST_RIP
        vmread rax, rax
        RESULT "L1: vmread guest RIP"
        PUTS64 "L1: vmlaunch L2", 10
        vmlaunch
        VMX_FAILED "L1: vmlaunch"

; L1's host RIP: an exit of L2, as L0 reflected it.
vm_exit:
        PUSH_GPRS
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        bt ebx, 31
        jc .entry_failure
        PUTS64 "L1: exit "
        movzx eax, bx
        call print_reason_name
        PUTS64 " qual "
        mov eax, EXIT_QUALIFICATION
        vmread rax, rax
        call puthex64
        call print_guest_rip
        call print_exit_length
        movzx eax, bx
        call has_memory_operand
        jnc .newline
        PUTS64 " info "
        mov eax, VM_EXIT_INSTRUCTION_INFO
        vmread rax, rax
        mov ecx, 8
        call puthex_n64
.newline:
        call newline64
        cmp bx, 18                       ; VMCALL: L2 is done
        je l1_done
        ADVANCE_AND_RESUME
.entry_failure:
        PUTS64 "L1: VM-entry failure, exit reason "
        mov eax, ebx
        mov ecx, 8
        call puthex_n64
        call newline64
        jmp l1_done

l1_done:
        mov rsp, l1_stack_top
        vmxoff
        RESULT "L1: vmxoff"
        PUTS64 "L1: done, vmcall to L0", 10
        vmcall
        jmp l1_done

; ------------------------------------------------------------------------------------------ L2

l2_code:
        xor eax, eax
        cpuid                            ; CPUID (10)
        mov ecx, IA32_FEATURE_CONTROL
        rdmsr                            ; RDMSR (31): L1 uses no MSR bitmaps
        mov al, 0x5A
        out 0x80, al                     ; I/O instruction (30): L1's unconditional I/O exiting
        vmptrst [rsp - 16]               ; VMPTRST (22), with a displacement and a base register
        mov ecx, GUEST_RIP
        vmread rax, rcx                  ; VMREAD (23): register operands
        hlt                              ; HLT (12): L1's HLT exiting
        vmcall                           ; VMCALL (18): the end
        jmp l2_code

; CF = 1 if basic exit reason EAX is a VMX instruction with a memory operand form, whose exits
; define the exit qualification and instruction information: VMCLEAR (19), VMPTRLD (21), VMPTRST
; (22), VMREAD (23), VMWRITE (25), VMXON (27). Preserves registers but RFLAGS.
has_memory_operand:
        cmp eax, 19
        je .yes
        cmp eax, 21
        jb .no
        cmp eax, 23
        jbe .yes
        cmp eax, 25
        je .yes
        cmp eax, 27
        je .yes
.no:    clc
        ret
.yes:   stc
        ret

; Prints the SDM name of basic exit reason EAX (the ones this program can meet), else its number.
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
        dd 19
        db "VMCLEAR", 0
        dd 20
        db "VMLAUNCH", 0
        dd 21
        db "VMPTRLD", 0
        dd 22
        db "VMPTRST", 0
        dd 23
        db "VMREAD", 0
        dd 24
        db "VMRESUME", 0
        dd 25
        db "VMWRITE", 0
        dd 26
        db "VMXOFF", 0
        dd 27
        db "VMXON", 0
        dd 30
        db "IO_INSTRUCTION", 0
        dd 31
        db "RDMSR", 0
        dd -1

; L1's register number -> slot in L0_GPRS (PUSH_GPRS order; RSP comes from the VMCS)
gpr_slot:
        db 14, 12, 11, 13, 0, 8, 10, 9, 7, 6, 5, 4, 3, 2, 1, 0

        align 2
; The guest-state fields L1 writes (setup_vmcs): vmcs12 -> vmcs02 at entry, back at each exit.
guest_fields:
        dw 0x0800, 0x0802, 0x0804, 0x0806, 0x0808, 0x080A, 0x080C, 0x080E   ; selectors
        dw GUEST_IA32_DEBUGCTL
        dw 0x4800, 0x4802, 0x4804, 0x4806, 0x4808, 0x480A, 0x480C, 0x480E   ; limits
        dw GUEST_GDTR_LIMIT, GUEST_IDTR_LIMIT
        dw 0x4814, 0x4816, 0x4818, 0x481A, 0x481C, 0x481E, 0x4820, 0x4822   ; access rights
        dw GUEST_INTERRUPTIBILITY_INFO, GUEST_ACTIVITY_STATE, GUEST_SYSENTER_CS
        dw GUEST_CR0, GUEST_CR3, GUEST_CR4
        dw 0x6806, 0x6808, 0x680A, 0x680C, 0x680E, 0x6810, 0x6812, 0x6814   ; bases
        dw GUEST_GDTR_BASE, GUEST_IDTR_BASE, GUEST_DR7, GUEST_RSP, GUEST_RIP, GUEST_RFLAGS
        dw GUEST_PENDING_DBG_EXCEPTIONS, GUEST_SYSENTER_ESP, GUEST_SYSENTER_EIP
        dw 0
; The controls of L1's VMCS that vmcs02 takes (its exit controls and host state stay L0's).
control_fields:
        dw PIN_BASED_VM_EXEC_CONTROL, CPU_BASED_VM_EXEC_CONTROL, EXCEPTION_BITMAP
        dw VM_ENTRY_CONTROLS, 0x4016, 0x400A                               ; entry interruption, CR3 targets
        dw 0
; The exit information of an exit of L2: vmcs02 -> vmcs12.
exit_fields:
        dw VM_EXIT_REASON, EXIT_QUALIFICATION, VM_EXIT_INSTRUCTION_LEN, VM_EXIT_INSTRUCTION_INFO
        dw VM_EXIT_INTR_INFO, VM_EXIT_INTR_ERROR, IDT_VECTORING_INFO, IDT_VECTORING_ERROR
        dw GUEST_LINEAR_ADDRESS, GUEST_PHYSICAL_ADDRESS
        dw 0

        align 8
l0_vmxon_ptr:   dq l0_vmxon
l0_vmcs01_ptr:  dq l0_vmcs01
l0_vmcs02_ptr:  dq l0_vmcs02
l0_vmcs12_ptr:  dq l0_vmcs12

        section .data
        align 8
l1_current:         dq -1               ; L1's current-VMCS pointer, as L0 emulates it
l1_launched:        db 0                ; its launch state
l0_vmcs02_launched: db 0
l0_running:         db 0                ; 1: L1 on vmcs01, 2: L2 on vmcs02

        section .bss
        alignb 4096
l0_vmxon:       resb 4096
l0_vmcs01:      resb 4096
l0_vmcs02:      resb 4096
l0_vmcs12:      resb 4096               ; the shadow VMCS: L1's VMCS as L1 sees it
l0_zero_page:   resb 4096               ; MSR, VMREAD and VMWRITE bitmaps
l0_buffer:      resb 1024
        alignb 16
                resb 4096
l0_stack_top:
                resb 4096
l1_stack_top:

        FLAT64_END
