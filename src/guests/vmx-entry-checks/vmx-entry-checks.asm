; vmx-entry-checks: one VMLAUNCH per case, each from the valid VMCS of common/vmx64.inc's
; setup_vmcs with one rule broken (one or two VMWRITEs), printing how VM entry ends:
;   "<case>: VMfailValid(07)"      VM-entry with invalid control field(s)
;   "<case>: VMfailValid(08)"      VM-entry with invalid host-state field(s)
;   "<case>: entry failure 00000021 qual Q"   invalid guest state (exit reason 33, bit 31 set;
;                                  qualification 4 for the VMCS link pointer checks)
;   "<case>: entered"              the guest ran (its first instruction is VMCALL)
; The SDM sections are "Checks on VMX Controls", "Checks on Host Control Registers, MSRs, and
; SSP", "Checks on Host Segment and Descriptor-Table Registers", "Checks on Guest Control
; Registers, Debug Registers, and MSRs", "Checks on Guest Segment Registers", "Checks on Guest
; Descriptor-Table Registers", "Checks on Guest RIP, RFLAGS, and SSP", "Checks on Guest
; Non-Register State". Cases marked [Bochs] record a place where Bochs 2.7 departs from the
; SDM (ORACLE.md); vmx4j follows the SDM there. run-bochs.sh's log also names each failed check
; (recorded as expected/bochs-vmx-log.txt).
; A Multiboot v1 a.out-kludge image; Bochs only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

; more VMCS fields (SDM appendix "Field Encoding in VMCS")
IO_BITMAP_A                 equ 0x2000
VM_ENTRY_MSR_LOAD_ADDR      equ 0x200A
CR3_TARGET_COUNT            equ 0x400A
VM_ENTRY_MSR_LOAD_COUNT     equ 0x4014
VM_ENTRY_INTR_INFO_FIELD    equ 0x4016
GUEST_CS_AR_BYTES           equ 0x4816
GUEST_SS_AR_BYTES           equ 0x4818
HOST_CS_SELECTOR            equ 0x0C02
HOST_SS_SELECTOR            equ 0x0C04

NONE    equ 0xFFFFFFFF                  ; no second VMWRITE
OP_SET  equ 0                           ; field = value
OP_OR   equ 1                           ; field |= value
OP_ANDN equ 2                           ; field &= ~value

; CASE "name", field, op, value [, field2, op2, value2]
%macro CASE 4-7 NONE, OP_SET, 0
[section .rodata]
%%name: db %1, 0
[section .data]
        dq %%name, %2, %3, %4, %5, %6, %7
__SECT__
%endmacro
CASE_SIZE equ 7 * 8

        section .data
        align 8
cases:
        CASE "baseline", NONE, OP_SET, 0
        ; controls
        CASE "pin-based bit 7 set (allowed-1 is 0)", PIN_BASED_VM_EXEC_CONTROL, OP_OR, 1 << 7
        CASE "pin-based bit 1 clear (allowed-0 is 1)", PIN_BASED_VM_EXEC_CONTROL, OP_ANDN, 1 << 1
        CASE "CR3-target count 5", CR3_TARGET_COUNT, OP_SET, 5
        CASE "NMI-window exiting without virtual NMIs", CPU_BASED_VM_EXEC_CONTROL, OP_OR, 1 << 22
        CASE "I/O bitmap A not 4 KiB aligned", CPU_BASED_VM_EXEC_CONTROL, OP_OR, 1 << 25, IO_BITMAP_A, OP_SET, 0x1234
        CASE "unrestricted guest without EPT", CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_ACTIVATE_SECONDARY, SECONDARY_VM_EXEC_CONTROL, OP_SET, 1 << 7
        CASE "EPT with EPTP 0 (page-walk length 1)", CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_ACTIVATE_SECONDARY, SECONDARY_VM_EXEC_CONTROL, OP_SET, CPU2_ENABLE_EPT
        CASE "entry interruption type 1 (reserved)", VM_ENTRY_INTR_INFO_FIELD, OP_SET, 0x80000100
        CASE "entry #PF without deliver-error-code", VM_ENTRY_INTR_INFO_FIELD, OP_SET, 0x8000030E
        CASE "entry MSR-load address not 16-byte aligned", VM_ENTRY_MSR_LOAD_COUNT, OP_SET, 1, VM_ENTRY_MSR_LOAD_ADDR, OP_SET, 0x1008
        ; host state
        CASE "host CR0.PE clear", HOST_CR0, OP_ANDN, 1 << 0
        CASE "host CR4.PAE clear (64-bit host)", HOST_CR4, OP_ANDN, 1 << 5
        CASE "host CR3 bit 45 set (MAXPHYADDR 40)", HOST_CR3, OP_OR, 1 << 45
        CASE "host RIP not canonical", HOST_RIP, OP_SET, 0x8000000000000000
        CASE "host TR selector 0", HOST_TR_SELECTOR, OP_SET, 0
        CASE "host CS selector TI set", HOST_CS_SELECTOR, OP_OR, 1 << 2
        CASE "host SS selector 0 (allowed, 64-bit host)", HOST_SS_SELECTOR, OP_SET, 0
        CASE "host GDTR base not canonical", HOST_GDTR_BASE, OP_SET, 0x0000800000000000
        CASE "host address-space size clear in IA-32e mode", VM_EXIT_CONTROLS, OP_ANDN, EXIT_HOST_ADDR_SPACE_SIZE
        ; guest state
        CASE "guest CR0.PE clear with PG set", GUEST_CR0, OP_ANDN, 1 << 0
        CASE "guest CR4.VMXE clear", GUEST_CR4, OP_ANDN, 1 << 13
        CASE "guest CR4.PAE clear, IA-32e mode guest", GUEST_CR4, OP_ANDN, 1 << 5
        CASE "guest DR7 bit 32 set", GUEST_DR7, OP_SET, 0x0000000100000400
        CASE "[Bochs] guest IA32_DEBUGCTL bit 63 set", GUEST_IA32_DEBUGCTL, OP_SET, 0x8000000000000000
        CASE "guest CS.L and CS.D both set", GUEST_CS_AR_BYTES, OP_OR, 1 << 14
        CASE "guest SS.DPL 3, SS.RPL 0", GUEST_SS_AR_BYTES, OP_OR, 3 << 5
        CASE "guest TR unusable", GUEST_TR_AR_BYTES, OP_SET, 0x10000
        CASE "guest TR type 9 (available TSS)", GUEST_TR_AR_BYTES, OP_SET, 0x89
        CASE "guest TR selector TI set", GUEST_TR_SELECTOR, OP_OR, 1 << 2
        CASE "guest GDTR base not canonical", GUEST_GDTR_BASE, OP_SET, 0x0000800000000000
        CASE "[Bochs] guest RIP not canonical", GUEST_RIP, OP_SET, 0x8000000000000000
        CASE "guest RFLAGS.VM set, IA-32e mode guest", GUEST_RFLAGS, OP_SET, (1 << 17) | 2
        CASE "guest RFLAGS bit 15 (reserved) set", GUEST_RFLAGS, OP_SET, (1 << 15) | 2
        CASE "guest activity state 4", GUEST_ACTIVITY_STATE, OP_SET, 4
        CASE "guest blocking by STI with RFLAGS.IF 0", GUEST_INTERRUPTIBILITY_INFO, OP_SET, 1
        CASE "guest pending debug bit 4 (reserved) set", GUEST_PENDING_DBG_EXCEPTIONS, OP_SET, 1 << 4
        CASE "[Bochs] guest pending debug bit 40 (reserved) set", GUEST_PENDING_DBG_EXCEPTIONS, OP_SET, 1 << 40
        CASE "guest VMCS link pointer to a page without the revision", VMCS_LINK_POINTER, OP_SET, link_page
        CASE "guest VMCS link pointer not 4 KiB aligned", VMCS_LINK_POINTER, OP_SET, 0x1008
        CASE "baseline again", NONE, OP_SET, 0
cases_end:
        section .text

        bits 64
main64:
        PUTS64 "vmx-entry-checks: 64-bit host", 10
        call vmx_enter
        lea rax, [rel guest_vmcall]
        mov [rel guest_entry], rax
        ; "load debug controls" on, so the DR7 and IA32_DEBUGCTL checks apply; every guest
        ; exception exits (a guest that enters where it should not then reports through exit 0)
        mov dword [rel want_entry], ENTRY_IA32E_MODE_GUEST | (1 << 2)
        mov dword [rel want_exceptions], 0xFFFFFFFF
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
        ; a fresh VMCS for every case: clear (launch state "clear"), load, fill
        vmclear [rel vmcs_ptr]
        call check_vmx
        vmptrld [rel vmcs_ptr]
        call check_vmx
        call setup_vmcs
        mov rbx, [rel case_ptr]
        sub rbx, CASE_SIZE               ; setup_vmcs used RBX
        mov ecx, [rbx + 8]
        mov edx, [rbx + 16]
        mov rdi, [rbx + 24]
        call mutate
        mov ecx, [rbx + 32]
        mov edx, [rbx + 40]
        mov rdi, [rbx + 48]
        call mutate
        vmlaunch
        call print_vmx_result            ; the VMfail cases (success does not return here)
        jmp next_case
.all_done:
        jmp vmx_leave

; ECX = field (NONE: nothing), EDX = OP_SET/OP_OR/OP_ANDN, RDI = value. Clobbers RAX, RSI.
mutate:
        cmp ecx, NONE
        je .done
        mov rsi, rdi
        cmp edx, OP_SET
        je .write
        vmread rsi, rcx
        call check_vmx
        cmp edx, OP_OR
        jne .andn
        or rsi, rdi
        jmp .write
.andn:  mov rax, rdi
        not rax
        and rsi, rax
.write: vmwrite rcx, rsi
        call check_vmx
.done:  ret

guest_vmcall:
        vmcall

; host RIP: a VM exit, or a VM-entry failure
vm_exit:
        call print_entry_outcome
        jmp next_case

; prints the outcome of a VM entry that reached the host RIP
print_entry_outcome:
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        bt ebx, 31
        jc .failure
        cmp ebx, 18
        jne .other
        PUTS64 "entered", 10
        ret
.other: PUTS64 "entered, then exit "
        mov rax, rbx
        mov ecx, 8
        call puthex_n64
        call newline64
        ret
.failure:
        PUTS64 "entry failure "
        mov rax, rbx
        mov ecx, 8
        call puthex_n64
        PUTS64 " qual "
        mov eax, EXIT_QUALIFICATION
        vmread rax, rax
        call puthex64
        call newline64
        ret

        section .data
        align 8
case_ptr:       dq 0

        section .bss
        alignb 4096
link_page:      resb 4096                ; zero: not a VMCS revision identifier
        FLAT64_END
