; nested-vmx: hypervisors inside hypervisors. Four levels, one address space:
;
;   L0  the VMX root: a small hypervisor (the hv_* code below) that runs L1
;   L1  the same hypervisor code, as L0's guest, running L2
;   L2  an ordinary VMX hypervisor (common/vmx64.inc's setup_vmcs), running L3
;   L3  a 64-bit guest: CPUID, RDMSR, OUT, VMPTRST, VMREAD, VMWRITE, INVEPT, INVVPID, HLT,
;       VMCALL
;
; In VMX non-root operation every VMX instruction causes a VM exit (SDM "Instructions That Cause
; VM Exits Unconditionally"); the hv code emulates those of its guest hypervisor:
;
;   VMXON, VMCLEAR, VMPTRLD, VMXOFF   the guest's VMX state (its current-VMCS pointer, the
;                                     launch states), the memory operand decoded from the exit
;                                     qualification and the VM-exit instruction-information field
;   VMREAD, VMWRITE                   never exit: the guest runs with "VMCS shadowing", all-zero
;                                     VMREAD/VMWRITE bitmaps, and the VMCS link pointer set to
;                                     the guest's current VMCS, whose region the hv marks as a
;                                     shadow VMCS (SDM "VMCS Shadowing"); the guest's VMREADs and
;                                     VMWRITEs then read and write that VMCS directly
;   VMLAUNCH, VMRESUME                the hv copies the guest's current VMCS (guest state and
;                                     controls) into its own second VMCS (host state: the hv's)
;                                     and enters the guest's guest with it
;
; Every exit of the guest's guest reaches the hv first; it reflects it: the exit information and
; guest state go into the guest's current VMCS, and the guest continues at that VMCS's host RIP
; and RSP (the rest of its host state equals its current state: one GDT, one address space).
; L1 runs the very same code under L0, so its VMX instructions (including those it executes to
; emulate L2's) are emulated by L0 in turn, and an exit of L3 travels L0 -> L1 -> L2. Each
; level prints what it handles. At L3's VMCALL, L2 leaves VMX operation and makes a VMCALL,
; which L1 handles by doing the same, which L0 handles by ending the run.
;
; Simplifications (what a real hypervisor must also do): no VMfail emulation except for the
; launch states of VMLAUNCH/VMRESUME, no EPT or MSR-list merging, the memory operands read from
; the identity-mapped address space, up to 4 VMCSs per guest.
;
; A Multiboot v1 a.out-kludge image. Exit status 0; 2 without VMX or VMCS shadowing; 3 after a
; VM-entry failure; 4 when a guest hypervisor executes an instruction the hv does not emulate.

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
SHADOW_VMCS                 equ 0x80000000

; A level's block (R15 in the hv code)
HV_VMXON        equ 0       ; dq: the VMXON region
HV_VGUEST       equ 8       ; dq: the VMCS the hv runs its guest hypervisor with
HV_VMERGED      equ 16      ; dq: the VMCS it runs the guest's guest with
HV_CURRENT      equ 24      ; dq: the guest's current-VMCS pointer, -1 if none
HV_LAUNCHED     equ 32      ; 4 dq: the guest's VMCSs in launched state (0: free slot)
HV_NAME         equ 64      ; dq: "L0: " ...
HV_GUEST        equ 72      ; dq: " from L1" ...
HV_GUESTS_GUEST equ 80      ; dq: " from L1's guest: reflected to L1" ...
HV_ENTRY        equ 88      ; dq: the guest hypervisor's first instruction
HV_GUEST_STACK  equ 96      ; dq: its stack
HV_EXIT         equ 104     ; dq: the hv's exit handler (host RIP)
HV_STACK        equ 112     ; dq: the handler's stack (host RSP)
HV_BUFFER       equ 120     ; dq: 1 KiB for field values
HV_GG_NAME      equ 128     ; dq: "L1's guest" ...: the guest's guest, as the hv knows it
HV_ROOT         equ 136     ; db: 1 in VMX root operation (L0)
HV_RUNNING      equ 137     ; db: 1 the guest hypervisor runs, 2 the guest's guest
HV_MERGED_LAUNCHED equ 138  ; db: the hv's own launch state of HV_VMERGED

; After a VMX instruction: prints the text and the outcome (RFLAGS kept across the print).
%macro RESULT 1
        pushfq
        PUTS64 %1, " "
        popfq
        call print_vmx_result
%endmacro

; Prints the string the level block's field %1 points to.
%macro PUTS_FIELD 1
        push rsi
        mov rsi, [r15 + %1]
        call puts64
        pop rsi
%endmacro

        bits 64
main64:
        PUTS64 "nested-vmx: L0 runs L1, which runs L2, which runs L3", 10
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
        lea r15, [rel level0]
        jmp hv_start

; ------------------------------------------------------------------------------ the hypervisor

; Starts the hypervisor of level block R15: VMXON, its two VMCSs, VMLAUNCH of its guest
; hypervisor (which does not return).
hv_start:
        mov ecx, IA32_VMX_BASIC
        rdmsr
        mov [rel vmx_basic_hi], edx
        and eax, 0x7FFFFFFF
        mov rbx, [r15 + HV_VMXON]
        mov [rbx], eax
        mov rbx, [r15 + HV_VGUEST]
        mov [rbx], eax
        mov rbx, [r15 + HV_VMERGED]
        mov [rbx], eax
        vmxon [r15 + HV_VMXON]
        pushfq
        PUTS_FIELD HV_NAME
        popfq
        RESULT "vmxon"
        ; the VMCS for the guest's guest: host state the hv's; guest state and controls copied
        ; from the guest's current VMCS at each VMLAUNCH/VMRESUME of the guest
        vmclear [r15 + HV_VMERGED]
        vmptrld [r15 + HV_VMERGED]
        mov dword [rel want_proc], 0
        mov dword [rel want_proc2], 0
        call setup_vmcs
        call hv_host_state
        ; the VMCS for the guest hypervisor
        vmclear [r15 + HV_VGUEST]
        vmptrld [r15 + HV_VGUEST]
        mov dword [rel want_proc], CPU_USE_MSR_BITMAPS | CPU_ACTIVATE_SECONDARY
        mov dword [rel want_proc2], CPU2_VMCS_SHADOWING
        mov rax, [r15 + HV_ENTRY]
        mov [rel guest_entry], rax
        call setup_vmcs
        call hv_host_state
        VMW GUEST_RSP, [r15 + HV_GUEST_STACK]
        mov eax, SECONDARY_VM_EXEC_CONTROL
        vmread rax, rax
        test eax, CPU2_VMCS_SHADOWING
        jnz .shadowing
        PUTS64 "no VMCS shadowing", 10
        mov al, 2
        jmp exit64
.shadowing:
        ; all-zero bitmaps: the guest reads and writes the MSRs of the two ranges without
        ; exits, and every VMREAD and VMWRITE of the guest is served from the shadow VMCS
        lea rbx, [rel zero_page]
        VMW MSR_BITMAP, rbx
        VMW VMREAD_BITMAP, rbx
        VMW VMWRITE_BITMAP, rbx
        mov qword [r15 + HV_CURRENT], -1 ; link pointer FFFFFFFF_FFFFFFFFH (setup_vmcs)
        mov byte [r15 + HV_RUNNING], 1
        PUTS_FIELD HV_NAME
        PUTS64 "vmlaunch, VMCS shadowing on", 10
        vmlaunch
        PUTS_FIELD HV_NAME
        VMX_FAILED "vmlaunch"

; The current VMCS gets the hv's host RIP and RSP.
hv_host_state:
        VMW HOST_RIP, [r15 + HV_EXIT]
        VMW HOST_RSP, [r15 + HV_STACK]
        ret

; The host RIPs: the level block, then the common handler.
l0_exit:
        PUSH_GPRS
        lea r15, [rel level0]
        jmp hv_exit
l1_exit:
        PUSH_GPRS
        lea r15, [rel level1]
        jmp hv_exit

; A VM exit at the hv of block R15; RBP = the guest's saved GPRs (PUSH_GPRS order, R15 first).
; The current VMCS is the one that ran: HV_VGUEST or HV_VMERGED.
hv_exit:
        mov rbp, rsp
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        bt ebx, 31
        jc .entry_failure
        cmp byte [r15 + HV_RUNNING], 2
        je hv_reflect
        PUTS_FIELD HV_NAME
        PUTS64 "exit "
        movzx eax, bx
        call print_reason_name
        PUTS_FIELD HV_GUEST
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
        je hv_cpuid
        cmp eax, 18
        je hv_vmcall
        cmp eax, 19
        je hv_vmclear
        cmp eax, 20
        je hv_vmlaunch
        cmp eax, 21
        je hv_vmptrld
        cmp eax, 24
        je hv_vmresume
        cmp eax, 26
        je hv_vmxoff
        cmp eax, 27
        je hv_vmxon
        PUTS64 "not emulated", 10
        mov al, 4
        jmp exit64
.entry_failure:
        PUTS_FIELD HV_NAME
        PUTS64 "VM-entry failure, exit reason "
        mov eax, ebx
        mov ecx, 8
        call puthex_n64
        call newline64
        mov al, 3
        jmp exit64

; CPUID: executed with the guest's EAX and ECX (at L1 it exits to L0 in turn: the line is
; printed first), the result into the guest's registers.
hv_cpuid:
        PUTS64 "execute it", 10
        mov eax, [rbp + 14 * 8]
        mov ecx, [rbp + 12 * 8]
        cpuid
        mov [rbp + 14 * 8], rax
        mov [rbp + 13 * 8], rbx
        mov [rbp + 12 * 8], rcx
        mov [rbp + 11 * 8], rdx
        jmp hv_succeed

hv_vmxon:
        call hv_operand
        PUTS64 "VMX operation, VMXON pointer "
        call print_pointer
        jmp hv_succeed

hv_vmxoff:
        mov qword [r15 + HV_CURRENT], -1
        call hv_link_pointer
        PUTS64 "VMX operation left", 10
        jmp hv_succeed

hv_vmclear:
        call hv_operand
        PUTS64 "VMCS "
        call print_pointer
        mov [rel hv_pointer], rax
        vmclear [rel hv_pointer]         ; its data to its region (at L1: emulated by L0)
        mov rax, [rel hv_pointer]
        call hv_clear_launched
        cmp rax, [r15 + HV_CURRENT]
        jne hv_succeed
        mov qword [r15 + HV_CURRENT], -1 ; SDM "VMCLEAR": the current VMCS becomes invalid
        call hv_link_pointer
        jmp hv_succeed

hv_vmptrld:
        call hv_operand
        or dword [rax], SHADOW_VMCS      ; the guest's VMCS serves as the hv's shadow VMCS
        mov [r15 + HV_CURRENT], rax
        call hv_link_pointer
        PUTS64 "current VMCS "
        call print_pointer
        jmp hv_succeed

hv_vmlaunch:
        mov rax, [r15 + HV_CURRENT]
        cmp rax, -1
        je hv_fail_invalid
        call hv_find_launched
        mov ecx, 4                       ; VMLAUNCH with non-clear VMCS
        jnc hv_fail_valid
        call hv_set_launched
        PUTS64 "enter "
        PUTS_FIELD HV_GG_NAME
        call newline64
        jmp hv_enter

hv_vmresume:
        mov rax, [r15 + HV_CURRENT]
        cmp rax, -1
        je hv_fail_invalid
        call hv_find_launched
        mov ecx, 5                       ; VMRESUME with non-launched VMCS
        jc hv_fail_valid
        PUTS64 "resume "
        PUTS_FIELD HV_GG_NAME
        call newline64
        jmp hv_enter

; The guest hypervisor is done: L0 ends the run; L1 leaves VMX operation and tells L0.
hv_vmcall:
        PUTS64 "done", 10
        cmp byte [r15 + HV_ROOT], 0
        je .nested
        PUTS_FIELD HV_NAME
        jmp vmx_leave
.nested:
        mov rsp, [r15 + HV_STACK]
        vmxoff
        pushfq
        PUTS_FIELD HV_NAME
        popfq
        RESULT "vmxoff"
        PUTS_FIELD HV_NAME
        PUTS64 "vmcall", 10
        vmcall
        jmp $

; The guest's VMCS RAX: CF = 0 if it is in launched state, CF = 1 if clear. Preserves RAX.
hv_find_launched:
        xor ecx, ecx
.next:  cmp [r15 + HV_LAUNCHED + rcx * 8], rax
        je .found
        inc ecx
        cmp ecx, 4
        jne .next
        stc
        ret
.found: clc
        ret

; Marks the guest's VMCS RAX launched (the first free slot). Preserves RAX.
hv_set_launched:
        xor ecx, ecx
.next:  cmp qword [r15 + HV_LAUNCHED + rcx * 8], 0
        je .found
        inc ecx
        cmp ecx, 3
        jne .next
.found: mov [r15 + HV_LAUNCHED + rcx * 8], rax
        ret

; Marks the guest's VMCS RAX clear. Preserves RAX.
hv_clear_launched:
        xor ecx, ecx
.next:  cmp [r15 + HV_LAUNCHED + rcx * 8], rax
        jne .skip
        mov qword [r15 + HV_LAUNCHED + rcx * 8], 0
.skip:  inc ecx
        cmp ecx, 4
        jne .next
        ret

; The link pointer of HV_VGUEST (current): the guest's current VMCS, or FFFFFFFF_FFFFFFFFH
; (the guest's VMREAD/VMWRITE then give VMfailInvalid, as without a current VMCS). Preserves RAX.
hv_link_pointer:
        push rax
        mov rdx, [r15 + HV_CURRENT]
        mov eax, VMCS_LINK_POINTER
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

; Returns in RAX the 64-bit memory operand of the guest's VMX instruction: its address is the
; exit qualification (SDM "Exit Qualification for VM Exits Due to Instructions with a Memory
; Operand": the displacement, or for RIP-relative addressing the displacement plus the next
; RIP) plus the base and index registers the VM-exit instruction-information field names (SDM
; "VM-Exit Instruction-Information Field"). Segment bases are 0 and paging is the identity.
hv_operand:
        mov eax, VM_EXIT_INSTRUCTION_INFO
        vmread r8, rax
        mov eax, EXIT_QUALIFICATION
        vmread r9, rax
        bt r8d, 27                       ; base register invalid
        jc .no_base
        mov ecx, r8d
        shr ecx, 23
        and ecx, 15
        call hv_gpr
        add r9, rax
.no_base:
        bt r8d, 22                       ; index register invalid
        jc .size
        mov ecx, r8d
        shr ecx, 18
        and ecx, 15
        call hv_gpr
        mov ecx, r8d
        and ecx, 3                       ; scaling
        shl rax, cl
        add r9, rax
.size:  mov eax, r8d
        shr eax, 7
        and eax, 7
        cmp eax, 1                       ; 32-bit address size
        jne .read
        mov r9d, r9d
.read:  mov rax, [r9]
        ret

; ECX = register number (0 RAX .. 15 R15, the VM-exit instruction-information encoding) ->
; RAX = the guest's register. Clobbers RDX.
hv_gpr:
        cmp ecx, 4
        jne .saved
        mov eax, GUEST_RSP
        vmread rax, rax
        ret
.saved: lea rdx, [rel gpr_slot]
        movzx eax, byte [rdx + rcx]
        mov rax, [rbp + rax * 8]
        ret

; The guest's VMX instruction completes: RFLAGS as VMsucceed (or as the fail paths set it),
; RIP past it, the guest resumed.
hv_succeed:
        xor ecx, ecx
hv_set_flags:
        mov eax, GUEST_RFLAGS
        vmread rdx, rax
        and edx, ~RFLAGS_VMX_STATUS
        or edx, ecx
        vmwrite rax, rdx
        mov eax, VM_EXIT_INSTRUCTION_LEN
        vmread rsi, rax
        mov eax, GUEST_RIP
        vmread rdx, rax
        add rdx, rsi
        vmwrite rax, rdx
        mov rsp, rbp
        POP_GPRS
        vmresume
        PUTS64 "hv: "
        VMX_FAILED "vmresume"

hv_fail_invalid:
        PUTS64 "VMfailInvalid", 10
        mov ecx, 1                       ; CF
        jmp hv_set_flags

; ECX = VM-instruction error, stored in the guest's current VMCS (where it reads it).
hv_fail_valid:
        PUTS64 "VMfailValid", 10
        vmptrld [r15 + HV_CURRENT]
        mov eax, VM_INSTRUCTION_ERROR
        vmwrite rax, rcx
        vmptrld [r15 + HV_VGUEST]
        mov ecx, 0x40                    ; ZF
        jmp hv_set_flags

; The guest's VMLAUNCH/VMRESUME: HV_VMERGED gets the guest state and controls of the guest's
; current VMCS; then the hv enters the guest's guest with the guest's registers (VM entry
; leaves the GPRs as they are).
hv_enter:
        vmptrld [r15 + HV_CURRENT]
        lea rsi, [rel guest_fields]
        mov rdi, [r15 + HV_BUFFER]
        call read_fields
        lea rsi, [rel control_fields]
        call read_fields
        vmptrld [r15 + HV_VMERGED]
        lea rsi, [rel guest_fields]
        mov rdi, [r15 + HV_BUFFER]
        call write_fields
        lea rsi, [rel control_fields]
        call write_fields
        mov byte [r15 + HV_RUNNING], 2
        mov rsp, rbp
        cmp byte [r15 + HV_MERGED_LAUNCHED], 0
        jne .resume
        mov byte [r15 + HV_MERGED_LAUNCHED], 1
        POP_GPRS
        vmlaunch
        PUTS64 "hv: "
        VMX_FAILED "vmlaunch"
.resume:
        POP_GPRS
        vmresume
        PUTS64 "hv: "
        VMX_FAILED "vmresume"

; An exit of the guest's guest (HV_VMERGED current) goes to the guest hypervisor: its current
; VMCS gets the exit information and the guest state; it continues at that VMCS's host RIP and
; RSP with the guest's guest's registers (SDM "Loading Host State" leaves the GPRs but RSP).
hv_reflect:
        PUTS_FIELD HV_NAME
        PUTS64 "exit "
        movzx eax, bx
        call print_reason_name
        PUTS_FIELD HV_GUESTS_GUEST
        call newline64
        lea rsi, [rel exit_fields]
        mov rdi, [r15 + HV_BUFFER]
        call read_fields
        lea rsi, [rel guest_fields]
        call read_fields
        vmptrld [r15 + HV_CURRENT]
        lea rsi, [rel exit_fields]
        mov rdi, [r15 + HV_BUFFER]
        call write_fields
        lea rsi, [rel guest_fields]
        call write_fields
        mov eax, HOST_RIP
        vmread r12, rax
        mov eax, HOST_RSP
        vmread r13, rax
        vmptrld [r15 + HV_VGUEST]
        VMW GUEST_RIP, r12
        VMW GUEST_RSP, r13
        VMW GUEST_RFLAGS, 2
        mov byte [r15 + HV_RUNNING], 1
        mov rsp, rbp
        POP_GPRS
        vmresume
        PUTS64 "hv: "
        VMX_FAILED "vmresume"

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
        PUTS64 "L1: the same hypervisor, as L0's guest", 10
        lea r15, [rel level1]
        jmp hv_start

; ------------------------------------------------------------------------------------------ L2

l2_main:
        PUTS64 "L2: an ordinary hypervisor, as L1's guest", 10
        mov eax, 1
        cpuid
        bt ecx, 5
        jc .vmx
        PUTS64 "L2: no VMX", 10
        vmcall
.vmx:   PUTS64 "L2: CPUID.1:ECX.VMX = 1", 10
        mov ecx, IA32_VMX_BASIC
        rdmsr                            ; no exit: the MSR bitmaps are all 0
        mov [rel vmx_basic_hi], edx
        and eax, 0x7FFFFFFF
        mov [rel vmxon_region], eax
        mov [rel vmcs_region], eax
        vmxon [rel vmxon_ptr]
        RESULT "L2: vmxon"
        vmclear [rel vmcs_ptr]
        RESULT "L2: vmclear"
        vmptrld [rel vmcs_ptr]
        RESULT "L2: vmptrld"
        mov dword [rel want_proc], CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING
        mov dword [rel want_proc2], 0
        lea rax, [rel l3_code]
        mov [rel guest_entry], rax
        call setup_vmcs
        PUTS64 "L2: VMCS set up by VMWRITEs that did not exit", 10
        mov eax, GUEST_RIP
        vmread rax, rax
        RESULT "L2: vmread guest RIP"
        PUTS64 "L2: vmlaunch", 10
        vmlaunch
        VMX_FAILED "L2: vmlaunch"

; L2's host RIP: an exit of L3, as L1 reflected it.
vm_exit:
        PUSH_GPRS
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        bt ebx, 31
        jc .entry_failure
        PUTS64 "L2: exit "
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
        cmp bx, 18                       ; VMCALL: L3 is done
        je l2_done
        ADVANCE_AND_RESUME
.entry_failure:
        PUTS64 "L2: VM-entry failure, exit reason "
        mov eax, ebx
        mov ecx, 8
        call puthex_n64
        call newline64

l2_done:
        mov rsp, l2_stack_top
        vmxoff
        RESULT "L2: vmxoff"
        PUTS64 "L2: vmcall", 10
        vmcall
        jmp l2_done

; ------------------------------------------------------------------------------------------ L3

l3_code:
        xor eax, eax
        cpuid                            ; CPUID (10)
        mov ecx, IA32_FEATURE_CONTROL
        rdmsr                            ; RDMSR (31): L2 uses no MSR bitmaps
        mov al, 0x5A
        out 0x80, al                     ; I/O instruction (30): L2's unconditional I/O exiting
        vmptrst [rsp - 16]               ; VMPTRST (22), with a displacement and a base register
        mov ecx, GUEST_RIP
        vmread rax, rcx                  ; VMREAD (23): register operands
        vmwrite rcx, [rsp - 8]           ; VMWRITE (25): a memory source
        invept rax, [rsp - 32]           ; INVEPT (50)
        invvpid rdx, [rbx + rcx * 4 + 8] ; INVVPID (53): base, index and scale
        hlt                              ; HLT (12): L2's HLT exiting
        vmcall                           ; VMCALL (18): the end
        jmp l3_code

; CF = 1 if basic exit reason EAX is a VMX instruction with a memory operand form, whose exits
; define the exit qualification and instruction information: VMCLEAR (19), VMPTRLD (21), VMPTRST
; (22), VMREAD (23), VMWRITE (25), VMXON (27), INVEPT (50), INVVPID (53). Preserves registers
; but RFLAGS.
has_memory_operand:
        cmp eax, 50
        je .yes
        cmp eax, 53
        je .yes
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
        dd 50
        db "INVEPT", 0
        dd 53
        db "INVVPID", 0
        dd -1

; The guest's register number -> slot of the saved GPRs (PUSH_GPRS order; RSP is in the VMCS)
gpr_slot:
        db 14, 12, 11, 13, 0, 8, 10, 9, 7, 6, 5, 4, 3, 2, 1, 0

name_l0:        db "L0: ", 0
name_l1:        db "L1: ", 0
from_l1:        db " from L1", 0
from_l2:        db " from L2", 0
from_l1g_refl:  db " from L1's guest: reflected to L1", 0
l1g_name:       db "L1's guest", 0
from_l3_refl:   db " from L3: reflected to L2", 0
l3_name:        db "L3", 0

        align 2
; The guest-state fields setup_vmcs writes: copied at entry to the merged VMCS, back at each exit.
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
; The execution and entry controls of the guest's VMCS the merged VMCS takes (its exit controls
; and host state stay the hv's); with them the guest's own VMCS shadowing, MSR bitmaps and VMCS
; link pointer (one address space: its addresses are the same at every level).
control_fields:
        dw PIN_BASED_VM_EXEC_CONTROL, CPU_BASED_VM_EXEC_CONTROL, EXCEPTION_BITMAP
        dw SECONDARY_VM_EXEC_CONTROL, VM_ENTRY_CONTROLS, 0x4016, 0x400A   ; entry interruption, CR3 targets
        dw MSR_BITMAP, VMREAD_BITMAP, VMWRITE_BITMAP, VMCS_LINK_POINTER
        dw 0
; The exit information: merged VMCS -> the guest's VMCS.
exit_fields:
        dw VM_EXIT_REASON, EXIT_QUALIFICATION, VM_EXIT_INSTRUCTION_LEN, VM_EXIT_INSTRUCTION_INFO
        dw VM_EXIT_INTR_INFO, VM_EXIT_INTR_ERROR, IDT_VECTORING_INFO, IDT_VECTORING_ERROR
        dw GUEST_LINEAR_ADDRESS, GUEST_PHYSICAL_ADDRESS
        dw 0

        section .data
        align 8
; The level blocks (HV_* offsets).
level0:
        dq l0_vmxon, l0_vguest, l0_vmerged, -1, 0, 0, 0, 0
        dq name_l0, from_l1, from_l1g_refl, l1_main, l1_stack_top, l0_exit, l0_stack_top, l0_buffer
        dq l1g_name
        db 1, 0, 0
        align 8
level1:
        dq l1_vmxon, l1_vguest, l1_vmerged, -1, 0, 0, 0, 0
        dq name_l1, from_l2, from_l3_refl, l2_main, l2_stack_top, l1_exit, l1_stack_top, l1_buffer
        dq l3_name
        db 0, 0, 0
        align 8
hv_pointer:     dq 0

        section .bss
        alignb 4096
l0_vmxon:       resb 4096
l0_vguest:      resb 4096
l0_vmerged:     resb 4096
l1_vmxon:       resb 4096
l1_vguest:      resb 4096
l1_vmerged:     resb 4096
zero_page:      resb 4096               ; MSR, VMREAD and VMWRITE bitmaps
l0_buffer:      resb 1024
l1_buffer:      resb 1024
        alignb 16
                resb 4096
l0_stack_top:
                resb 4096
l1_stack_top:
                resb 4096
l2_stack_top:

        FLAT64_END
