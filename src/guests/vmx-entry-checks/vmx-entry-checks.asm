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

        section .data
        align 8
cases:
        VMX_CASE "baseline", 0
        ; controls
        VMX_CASE "pin-based bit 7 set (allowed-1 is 0)", 0, PIN_BASED_VM_EXEC_CONTROL, OP_OR, 1 << 7
        VMX_CASE "pin-based bit 1 clear (allowed-0 is 1)", 0, PIN_BASED_VM_EXEC_CONTROL, OP_ANDN, 1 << 1
        VMX_CASE "CR3-target count 5", 0, CR3_TARGET_COUNT, OP_SET, 5
        VMX_CASE "NMI-window exiting without virtual NMIs", 0, CPU_BASED_VM_EXEC_CONTROL, OP_OR, 1 << 22
        VMX_CASE "I/O bitmap A not 4 KiB aligned", 0, CPU_BASED_VM_EXEC_CONTROL, OP_OR, 1 << 25, IO_BITMAP_A, OP_SET, 0x1234
        VMX_CASE "unrestricted guest without EPT", 0, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_ACTIVATE_SECONDARY, SECONDARY_VM_EXEC_CONTROL, OP_SET, 1 << 7
        VMX_CASE "EPT with EPTP 0 (page-walk length 1)", 0, CPU_BASED_VM_EXEC_CONTROL, OP_OR, CPU_ACTIVATE_SECONDARY, SECONDARY_VM_EXEC_CONTROL, OP_SET, CPU2_ENABLE_EPT
        VMX_CASE "entry interruption type 1 (reserved)", 0, VM_ENTRY_INTR_INFO_FIELD, OP_SET, 0x80000100
        VMX_CASE "entry #PF without deliver-error-code", 0, VM_ENTRY_INTR_INFO_FIELD, OP_SET, 0x8000030E
        VMX_CASE "entry MSR-load address not 16-byte aligned", 0, VM_ENTRY_MSR_LOAD_COUNT, OP_SET, 1, VM_ENTRY_MSR_LOAD_ADDR, OP_SET, 0x1008
        ; host state
        VMX_CASE "host CR0.PE clear", 0, HOST_CR0, OP_ANDN, 1 << 0
        VMX_CASE "host CR4.PAE clear (64-bit host)", 0, HOST_CR4, OP_ANDN, 1 << 5
        VMX_CASE "host CR3 bit 45 set (MAXPHYADDR 40)", 0, HOST_CR3, OP_OR, 1 << 45
        VMX_CASE "host RIP not canonical", 0, HOST_RIP, OP_SET, 0x8000000000000000
        VMX_CASE "host TR selector 0", 0, HOST_TR_SELECTOR, OP_SET, 0
        VMX_CASE "host CS selector TI set", 0, HOST_CS_SELECTOR, OP_OR, 1 << 2
        VMX_CASE "host SS selector 0 (allowed, 64-bit host)", 0, HOST_SS_SELECTOR, OP_SET, 0
        VMX_CASE "host GDTR base not canonical", 0, HOST_GDTR_BASE, OP_SET, 0x0000800000000000
        VMX_CASE "host address-space size clear in IA-32e mode", 0, VM_EXIT_CONTROLS, OP_ANDN, EXIT_HOST_ADDR_SPACE_SIZE
        ; guest state
        VMX_CASE "guest CR0.PE clear with PG set", 0, GUEST_CR0, OP_ANDN, 1 << 0
        VMX_CASE "guest CR4.VMXE clear", 0, GUEST_CR4, OP_ANDN, 1 << 13
        VMX_CASE "guest CR4.PAE clear, IA-32e mode guest", 0, GUEST_CR4, OP_ANDN, 1 << 5
        VMX_CASE "guest DR7 bit 32 set", 0, GUEST_DR7, OP_SET, 0x0000000100000400
        VMX_CASE "[Bochs] guest IA32_DEBUGCTL bit 63 set", 0, GUEST_IA32_DEBUGCTL, OP_SET, 0x8000000000000000
        VMX_CASE "guest CS.L and CS.D both set", 0, GUEST_CS_AR_BYTES, OP_OR, 1 << 14
        VMX_CASE "guest SS.DPL 3, SS.RPL 0", 0, GUEST_SS_AR_BYTES, OP_OR, 3 << 5
        VMX_CASE "guest TR unusable", 0, GUEST_TR_AR_BYTES, OP_SET, 0x10000
        VMX_CASE "guest TR type 9 (available TSS)", 0, GUEST_TR_AR_BYTES, OP_SET, 0x89
        VMX_CASE "guest TR selector TI set", 0, GUEST_TR_SELECTOR, OP_OR, 1 << 2
        VMX_CASE "guest GDTR base not canonical", 0, GUEST_GDTR_BASE, OP_SET, 0x0000800000000000
        VMX_CASE "[Bochs] guest RIP not canonical", 0, GUEST_RIP, OP_SET, 0x8000000000000000
        VMX_CASE "guest RFLAGS.VM set, IA-32e mode guest", 0, GUEST_RFLAGS, OP_SET, (1 << 17) | 2
        VMX_CASE "guest RFLAGS bit 15 (reserved) set", 0, GUEST_RFLAGS, OP_SET, (1 << 15) | 2
        VMX_CASE "guest activity state 4", 0, GUEST_ACTIVITY_STATE, OP_SET, 4
        VMX_CASE "guest blocking by STI with RFLAGS.IF 0", 0, GUEST_INTERRUPTIBILITY_INFO, OP_SET, 1
        VMX_CASE "guest pending debug bit 4 (reserved) set", 0, GUEST_PENDING_DBG_EXCEPTIONS, OP_SET, 1 << 4
        VMX_CASE "[Bochs] guest pending debug bit 40 (reserved) set", 0, GUEST_PENDING_DBG_EXCEPTIONS, OP_SET, 1 << 40
        VMX_CASE "guest VMCS link pointer to a page without the revision", 0, VMCS_LINK_POINTER, OP_SET, link_page
        VMX_CASE "guest VMCS link pointer not 4 KiB aligned", 0, VMCS_LINK_POINTER, OP_SET, 0x1008
        VMX_CASE "baseline again", 0
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
        lea rsi, [rel cases]
        lea rdi, [rel cases_end]
        jmp run_cases


guest_vmcall:
        vmcall

; host RIP: a VM exit, or a VM-entry failure
vm_exit:
        call print_entry_outcome
        jmp run_cases.next

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

        section .bss
        alignb 4096
link_page:      resb 4096                ; zero: not a VMCS revision identifier
        FLAT64_END
