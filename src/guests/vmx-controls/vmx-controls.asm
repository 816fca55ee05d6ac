; vmx-controls: CR masks and read shadows, control-register-access exits, MSR and I/O bitmaps,
; and event injection. A 64-bit VMX host (common/vmx64.inc) runs a 64-bit guest that shares
; its memory, GDT and IDT; port 0xE9 and COM1 are not in the I/O bitmap, so the guest prints
; its own lines (prefixed "guest") while the host prints one line per VM exit:
;   "exit RRRRRRRR qual QQQQQQQQQQQQQQQQ len LL rip +NN" (RIP relative to the guest code)
; Controls: CR3-load and CR3-store exiting, use MSR bitmaps (read of IA32_FEATURE_CONTROL and
; write of IA32_PAT exit), use I/O bitmaps (port 0x80 exits), HLT exiting; CR0 guest/host mask
; TS with read shadow TS = 1; CR4 guest/host mask VMXE with read shadow 0.
; Guest: reads CR0 and CR4 (shadowed values, no exit), MOV to CR0 clearing TS (exit 28), CLTS
; (28), MOV from CR3 (28, twice), MOV to CR3 (28), LMSW (28, source data in the qualification), RDMSR
; 0x3A (31), RDMSR 0x277 (no exit: the value passes through), WRMSR 0x277 (32), OUT 0x80 (30).
; SDM "Exit Qualification for Control-Register Accesses". The host skips each of those
; instructions. Then three VMCALLs (exit 18) after each of which the host injects an event on
; VM entry (SDM "Event Injection"): #UD; #GP with error code 0x1234; #BP as a software
; exception with VM-entry instruction length 1. The guest's handler prints each (the TRY macro
; of long64.inc), with the saved RIP relative to the VMCALL. A fourth VMCALL ends the guest.
; A Multiboot v1 a.out-kludge image; Bochs only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

IO_BITMAP_A_ADDR            equ 0x2000
IO_BITMAP_B_ADDR            equ 0x2002
MSR_BITMAP_ADDR             equ 0x2004
VM_ENTRY_INTR_INFO          equ 0x4016
VM_ENTRY_EXCEPTION_ERRCODE  equ 0x4018
VM_ENTRY_INSTRUCTION_LEN    equ 0x401A
CR0_GUEST_HOST_MASK         equ 0x6000
CR4_GUEST_HOST_MASK         equ 0x6002
CR0_READ_SHADOW             equ 0x6004
CR4_READ_SHADOW             equ 0x6006

CPU_CR3_LOAD_EXITING        equ 1 << 15
CPU_CR3_STORE_EXITING       equ 1 << 16
CPU_USE_IO_BITMAPS          equ 1 << 25
CPU_USE_MSR_BITMAPS         equ 1 << 28

IA32_PAT                    equ 0x277

        bits 64
main64:
        PUTS64 "vmx-controls: 64-bit host", 10
        call vmx_enter

        ; bitmaps: RDMSR 0x3A, WRMSR 0x277, port 0x80
        or byte [rel msr_bitmap + IA32_FEATURE_CONTROL / 8], 1 << (IA32_FEATURE_CONTROL % 8)
        or byte [rel msr_bitmap + 0x800 + IA32_PAT / 8], 1 << (IA32_PAT % 8)
        or byte [rel io_bitmap_a + 0x80 / 8], 1 << (0x80 % 8)

        mov dword [rel want_proc], CPU_HLT_EXITING | CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING | CPU_USE_IO_BITMAPS | CPU_USE_MSR_BITMAPS
        lea rax, [rel guest_code]
        mov [rel guest_entry], rax
        call setup_vmcs
        lea rax, [rel msr_bitmap]
        VMW MSR_BITMAP_ADDR, rax
        lea rax, [rel io_bitmap_a]
        VMW IO_BITMAP_A_ADDR, rax
        lea rax, [rel io_bitmap_b]
        VMW IO_BITMAP_B_ADDR, rax
        VMW CR0_GUEST_HOST_MASK, 1 << 3  ; TS
        VMW CR0_READ_SHADOW, 1 << 3
        VMW CR4_GUEST_HOST_MASK, 1 << 13 ; VMXE
        VMW CR4_READ_SHADOW, 0

        PUTS64 "vmlaunch", 10
        vmlaunch
        VMX_FAILED "vmlaunch"

guest_code:
        PUTS64 "guest: running", 10
        mov rax, cr0
        PUTHEX64 "guest: cr0", rax
        mov rax, cr4
        PUTHEX64 "guest: cr4", rax
        mov rbx, cr0
        and rbx, ~(1 << 3)
        mov cr0, rbx                     ; exit 28: TS differs from the read shadow
        clts                             ; exit 28: CLTS with mask and shadow TS = 1
        mov rcx, cr3                     ; exit 28: CR3-store exiting
        mov cr3, rcx                     ; exit 28: CR3-load exiting, no CR3 targets
        mov rdx, cr3                     ; exit 28: CR3-store exiting
        mov ax, 1
        lmsw ax                          ; exit 28: TS 0 differs from the shadow
        mov ecx, IA32_FEATURE_CONTROL
        rdmsr                            ; exit 31: bit set in the read bitmap
        mov ecx, IA32_PAT
        rdmsr                            ; no exit
        shl rdx, 32
        or rax, rdx
        PUTHEX64 "guest: pat", rax
        wrmsr                            ; exit 32: bit set in the write bitmap
        out 0x80, al                     ; exit 30: port 0x80 in I/O bitmap A
        PUTS64 "guest: vmcall, #UD to be injected", 10
        TRY vmcall
        PUTS64 "guest: vmcall, #GP(0x1234) to be injected", 10
        TRY vmcall
        PUTS64 "guest: vmcall, #BP to be injected as a software exception", 10
        TRY vmcall
        vmcall                           ; the end

vm_exit:
        PUSH_GPRS
        call print_exit
        call print_exit_length
        call print_guest_rip
        call newline64
        cmp ebx, 18
        jne .skip
        ; VMCALL: the next event to inject, or the end
        movzx eax, byte [rel vmcalls]
        inc byte [rel vmcalls]
        cmp eax, 0
        je .inject_ud
        cmp eax, 1
        je .inject_gp
        cmp eax, 2
        je .inject_bp
        jmp vmx_leave
.inject_ud:
        VMW VM_ENTRY_INTR_INFO, 0x80000306              ; valid, hardware exception, #UD
        jmp .skip
.inject_gp:
        VMW VM_ENTRY_INTR_INFO, 0x80000B0D              ; valid, deliver error code, hardware exception, #GP
        VMW VM_ENTRY_EXCEPTION_ERRCODE, 0x1234
        jmp .skip
.inject_bp:
        VMW VM_ENTRY_INTR_INFO, 0x80000603              ; valid, software exception, #BP
        VMW VM_ENTRY_INSTRUCTION_LEN, 1
.skip:  ; resume after the exiting instruction (RSI = its length)
        ADVANCE_AND_RESUME

        section .data
vmcalls:        db 0

        section .bss
        alignb 4096
msr_bitmap:     resb 4096
io_bitmap_a:    resb 4096
io_bitmap_b:    resb 4096
        FLAT64_END
