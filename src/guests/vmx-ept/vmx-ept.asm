; vmx-ept: EPT violations and an EPT misconfiguration, with their exit qualifications. A 64-bit
; VMX host (common/vmx64.inc) runs a 64-bit guest that shares its page tables; guest-physical
; memory is identity-mapped by EPT (4-level, write-back) with 2 MiB pages, except
; 0x600000-0x7FFFFF, mapped by 4 KiB pages of which four are special:
;   0x601000  read-only                    guest write        -> exit 48 (EPT violation)
;   0x602000  not present                  guest read         -> exit 48
;   0x603000  write-only (misconfigured)   guest read         -> exit 49 (EPT misconfiguration)
;   0x604000  read/write, not executable   guest CALL into it -> exit 48
; For each exit the host prints reason, exit qualification, guest-physical address,
; guest-linear address (exit 48 only; SDM "Exit Qualification for EPT Violations" bit 7 says it
; is valid here), and the guest RIP (relative to the guest code when inside it); then it makes
; the entry read/write/execute, INVEPT (single-context) and resumes without advancing RIP, so
; the access is retried. VMCALL ends the guest; the host prints the byte the guest wrote to
; 0x601000, then VMXOFF.
; Exit status 0; 2 without VMX or the needed EPT capabilities; 3 on an unexpected VMX outcome.
; A Multiboot v1 a.out-kludge image; Bochs only (QEMU's software CPU has no VMX).

%include "flat64.inc"
%include "vmx64.inc"

SPECIAL    equ 0x600000                 ; the 2 MiB region mapped with 4 KiB EPT pages
PAGE_RO    equ SPECIAL + 0x1000
PAGE_NP    equ SPECIAL + 0x2000
PAGE_MISC  equ SPECIAL + 0x3000
PAGE_NX    equ SPECIAL + 0x4000


        bits 64
main64:
        PUTS64 "vmx-ept: 64-bit host", 10
        call vmx_enter

        ; SDM "VPID and EPT Capabilities": page-walk length 4 [6], WB paging structures [14],
        ; INVEPT [20] with the single-context type [25]
        mov ecx, IA32_VMX_EPT_VPID_CAP
        rdmsr
        and eax, (1 << 6) | (1 << 14) | (1 << 20) | (1 << 25)
        cmp eax, (1 << 6) | (1 << 14) | (1 << 20) | (1 << 25)
        je .caps_ok
        PUTS64 "EPT capabilities missing", 10
        mov al, 2
        jmp exit64
.caps_ok:
        call build_ept
        PUTS64 "eptp low bits "             ; memory type, page-walk length - 1, A/D enable
        mov rax, [rel invept_desc]
        mov ecx, 3
        call puthex_n64
        call newline64

        mov dword [rel want_proc], CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING | CPU_ACTIVATE_SECONDARY
        mov dword [rel want_proc2], CPU2_ENABLE_EPT
        lea rax, [rel guest_code]
        mov [rel guest_entry], rax
        call setup_vmcs
        mov rax, [rel invept_desc]
        VMW EPT_POINTER, rax
        call invept_all

        PUTS64 "vmlaunch", 10
        vmlaunch
        VMX_FAILED "vmlaunch"

; vmx64.inc's identity EPT, with PD[3] -> PT: 512 x 4 KiB identity, four of them special
build_ept:
        call build_identity_ept
        mov [rel invept_desc], rax
        lea rax, [rel ept_pt]
        or rax, EPT_RWX
        mov [rel ept_pd + (SPECIAL >> 21) * 8], rax
        lea rdi, [rel ept_pt]
        xor ecx, ecx
.pte:   mov rax, rcx
        shl rax, 12
        add rax, SPECIAL
        or rax, EPT_WB | EPT_RWX
        mov [rdi + rcx * 8], rax
        inc ecx
        cmp ecx, 512
        jne .pte
        mov qword [rdi + 1 * 8], PAGE_RO | EPT_WB | 1          ; read
        mov qword [rdi + 2 * 8], 0                             ; not present
        mov qword [rdi + 3 * 8], PAGE_MISC | EPT_WB | 2        ; write without read
        mov qword [rdi + 4 * 8], PAGE_NX | EPT_WB | 3          ; read, write
        ret

; INVEPT single-context for our EPTP; stops the run unless it succeeds
invept_all:
        push rax
        mov eax, 1
        invept rax, [rel invept_desc]
        call check_vmx
        pop rax
        ret

guest_code:
        mov al, [PAGE_RO]                ; allowed: no exit
        mov byte [PAGE_RO], 0xAB         ; exit 48: write to a read-only page
        mov al, [PAGE_NP]                ; exit 48: not present
        mov al, [PAGE_MISC]              ; exit 49: misconfigured entry
        mov byte [PAGE_NX], 0xC3         ; RET, written to a page that may not be executed
        mov rax, PAGE_NX
        call rax                         ; exit 48: instruction fetch
        vmcall                           ; exit 18: the end
        jmp guest_code                   ; not reached

vm_exit:
        PUSH_GPRS
        call print_exit
        cmp bx, 18
        je .rip
        PUTS64 " gpa "
        mov eax, GUEST_PHYSICAL_ADDRESS
        vmread rsi, rax
        mov rax, rsi
        call puthex64
        cmp bx, 48
        jne .rip
        PUTS64 " gla "
        mov eax, GUEST_LINEAR_ADDRESS
        vmread rax, rax
        call puthex64
.rip:   call print_guest_rip
        call newline64
        cmp bx, 18                       ; VMCALL
        je vmx_done
        cmp ebx, 48                      ; EPT violation
        je .fix
        cmp ebx, 49                      ; EPT misconfiguration
        je .fix
        mov al, 3
        jmp exit64

.fix:   ; the 4 KiB entry for the guest-physical address in RSI becomes read/write/execute
        mov rax, rsi
        sub rax, SPECIAL
        cmp rax, 0x200000
        jae .outside
        shr rax, 12
        lea rdi, [rel ept_pt]
        and rsi, ~0xFFF
        or rsi, EPT_WB | EPT_RWX
        mov [rdi + rax * 8], rsi
        call invept_all
        POP_GPRS
        vmresume
        VMX_FAILED "vmresume"
.outside:
        PUTS64 "EPT exit outside the 4 KiB-mapped region", 10
        mov al, 3
        jmp exit64

vmx_done:
        mov rsp, host_stack_top
        PUTS64 "byte at 601000 "
        mov al, [PAGE_RO]
        mov ecx, 2
        call puthex_n64
        call newline64
        jmp vmx_leave

        section .data
        align 16
invept_desc:    dq 0, 0                  ; EPTP, reserved

        section .bss
        alignb 4096
ept_pt:         resb 4096
        FLAT64_END
