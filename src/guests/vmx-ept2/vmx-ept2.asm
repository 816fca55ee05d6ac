; vmx-ept2: EPT in more detail than vmx-ept. A 64-bit VMX host (common/vmx64.inc) runs a 64-bit
; guest that shares its page tables, with guest-physical memory identity-mapped by EPT
; (4-level, write-back, 2 MiB pages; 0x600000-0x7FFFFF in 4 KiB pages). Four parts:
; 1. INVEPT and INVVPID in VMX root operation, each printed with its outcome (SDM "INVEPT",
;    "INVVPID": VMfailValid(28) for an unsupported type or an invalid descriptor).
; 2. EPT violations for reads, writes and instruction fetches against each permission
;    combination of a 4 KiB entry (not present, R, RW, X, RX), a read-only 2 MiB page and a
;    not-present PDE, and EPT misconfigurations (W, WX, memory type 2, a reserved address bit):
;    one line per exit, "exit RR qual Q gpa G [gla L] rip +NNNN" (SDM "Exit Qualification for
;    EPT Violations"); the host then makes the entry read/write/execute, INVEPTs and resumes the
;    guest at the same instruction.
; 3. EPT accessed and dirty flags (EPTP bit 6) and page-modification logging: a VMCALL makes the
;    host switch to an EPTP with A/D flags enabled (all entries' flags preset but those of six
;    test pages) and enable PML with PML index 1; the guest reads one page and writes two (one
;    of them twice), the host prints the test entries' A/D flags and the log and sets the index
;    to 0; the guest's next write is logged at 0, the one after ends in the PML-full exit (62),
;    after which the host sets the index to 511 and the write is retried and logged (SDM "Accessed and Dirty Flags for EPT", "Page-Modification Logging").
; 4. VMFUNC EPTP switching (SDM "EPTP Switching"): EPTP list [0] the current EPTP, [1] a copy
;    mapping 0x610000 to 0x611000 instead, [2] 0. The guest reads 0x610000 through both, then
;    VMFUNC with index 512, with index 2 (an invalid EPTP) and with function 1 (not enabled):
;    exit 59 each, the host printing which list entry the EPTP field holds.
; A Multiboot v1 a.out-kludge image; Bochs only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

VIRTUAL_PROCESSOR_ID        equ 0x0000
GUEST_PML_INDEX             equ 0x0812
PML_ADDRESS                 equ 0x200E
VM_FUNCTION_CONTROLS        equ 0x2018
EPTP_LIST_ADDRESS           equ 0x2024
VM_EXIT_INSTRUCTION_LEN_F   equ 0x440C

CPU2_ENABLE_VPID            equ 1 << 5
CPU2_ENABLE_VMFUNC          equ 1 << 13
CPU2_ENABLE_PML             equ 1 << 17

SPECIAL    equ 0x600000                 ; the 2 MiB region mapped with 4 KiB EPT pages
LARGE      equ 0x800000                 ; a 2 MiB page made read-only
NOPDE      equ 0xA00000                 ; a PDE made not present
EPT_AD     equ 1 << 6                   ; EPTP: enable accessed and dirty flags
EPT_A      equ 1 << 8
EPT_D      equ 1 << 9

; page k of the special region
%define PG(k) (SPECIAL + (k) * 0x1000)
; the PTE for page k: PTE k, permission/flags
%macro PTE 2
        mov qword [rel ept_pt + (k_%1) * 8], PG(k_%1) | (%2)
%endmacro

; test pages of part 2 (k_ = page number)
k_np_r   equ 1
k_np_w   equ 2
k_np_x   equ 3
k_r_w    equ 4
k_r_x    equ 5
k_rw_x   equ 6
k_x_r    equ 7
k_x_w    equ 8
k_rx_w   equ 9
k_w_r    equ 10                         ; misconfigurations
k_wx_x   equ 11
k_mt2_r  equ 12
k_rsv_r  equ 13
; part 3
k_a1     equ 0x20
k_a2     equ 0x21
k_a3     equ 0x22
k_b1     equ 0x23
k_b2     equ 0x24
k_b3     equ 0x25
; part 4
k_c      equ 0x10
k_d      equ 0x11

; INVEPT type, descriptor qword 0, then print "<text>: <outcome>"
%macro INVEPT_CASE 3
        mov rax, %2
        mov [rel desc], rax
        mov qword [rel desc + 8], 0
        PUTS64 %3, ": "
        mov ecx, %1
        invept rcx, [rel desc]
        call print_vmx_result
%endmacro
; INVVPID type, VPID (qword 0), linear address (qword 1), text
%macro INVVPID_CASE 4
        mov rax, %2
        mov [rel desc], rax
        mov rax, %3
        mov [rel desc + 8], rax
        PUTS64 %4, ": "
        mov ecx, %1
        invvpid rcx, [rel desc]
        call print_vmx_result
%endmacro

        bits 64
main64:
        PUTS64 "vmx-ept2: 64-bit host", 10
        call vmx_enter
        call build_ept
        mov [rel eptp], rax

        ; part 1: INVEPT and INVVPID in VMX root operation
        INVEPT_CASE 1, [rel eptp], "invept single-context"
        INVEPT_CASE 2, 0, "invept all-context"
        INVEPT_CASE 0, [rel eptp], "invept type 0"
        INVEPT_CASE 3, [rel eptp], "invept type 3"
        mov rax, [rel eptp]
        and rax, ~7
        or rax, 2                        ; memory type 2: not supported
        mov [rel scratch_eptp], rax
        INVEPT_CASE 1, [rel scratch_eptp], "invept single-context, EPTP memory type 2"
        mov rax, [rel eptp]
        and rax, ~0x38
        or rax, 4 << 3                   ; page-walk length 5: not supported (Ice Lake client)
        mov [rel scratch_eptp], rax
        INVEPT_CASE 1, [rel scratch_eptp], "invept single-context, EPTP 5-level"
        INVVPID_CASE 0, 1, 0x1000, "invvpid individual-address, VPID 1"
        INVVPID_CASE 0, 1, 0x0000800000000000, "invvpid individual-address, non-canonical"
        INVVPID_CASE 0, 0, 0x1000, "invvpid individual-address, VPID 0"
        INVVPID_CASE 1, 1, 0, "invvpid single-context, VPID 1"
        INVVPID_CASE 1, 0, 0, "invvpid single-context, VPID 0"
        INVVPID_CASE 2, 0, 0, "invvpid all-context"
        INVVPID_CASE 3, 1, 0, "invvpid single-context retaining globals, VPID 1"
        INVVPID_CASE 4, 1, 0, "invvpid type 4"
        INVVPID_CASE 1, 0x10001, 0, "invvpid single-context, descriptor bit 16 set"

        ; part 2: guest code pages hold RET for the fetch cases; part 4's two pages differ
        mov byte [PG(k_np_x)], 0xC3
        mov byte [PG(k_r_x)], 0xC3
        mov byte [PG(k_rw_x)], 0xC3
        mov byte [PG(k_wx_x)], 0xC3
        mov byte [PG(k_c)], 0x11
        mov byte [PG(k_d)], 0x22
        ; the guest's paging-structure entries for the test pages get their A/D flags now
        mov byte [PG(k_a1)], 0
        mov byte [LARGE], 0
        mov byte [NOPDE], 0

        mov dword [rel want_proc], CPU_HLT_EXITING | CPU_ACTIVATE_SECONDARY
        mov dword [rel want_proc2], CPU2_ENABLE_EPT | CPU2_ENABLE_VPID
        lea rax, [rel guest_code]
        mov [rel guest_entry], rax
        call setup_vmcs
        mov rax, [rel eptp]
        VMW EPT_POINTER, rax
        VMW VIRTUAL_PROCESSOR_ID, 1
        call invept_current
        PUTS64 "vmlaunch", 10
        vmlaunch
        VMX_FAILED "vmlaunch"

; vmx64.inc's identity EPT, with PD[3] -> PT (512 x 4 KiB identity), the part 2 entries, the
; 2 MiB page at LARGE read-only and the PDE for NOPDE not present; returns the EPTP in RAX
build_ept:
        call build_identity_ept
        push rax
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
        PTE np_r, 0
        PTE np_w, 0
        PTE np_x, 0
        PTE r_w, EPT_WB | 1
        PTE r_x, EPT_WB | 1
        PTE rw_x, EPT_WB | 3
        PTE x_r, EPT_WB | 4
        PTE x_w, EPT_WB | 4
        PTE rx_w, EPT_WB | 5
        PTE w_r, EPT_WB | 2
        PTE wx_x, EPT_WB | 6
        PTE mt2_r, (2 << 3) | 7
        mov rax, PG(k_rsv_r) | EPT_WB | 7 | (1 << 45)     ; bit 45: above MAXPHYADDR (40)
        mov [rel ept_pt + k_rsv_r * 8], rax
        mov qword [rel ept_pd + (LARGE >> 21) * 8], LARGE | EPT_LARGE | EPT_WB | 1
        mov qword [rel ept_pd + (NOPDE >> 21) * 8], 0
        pop rax
        ret

; INVEPT single-context for the EPTP field; stops the run unless it succeeds
invept_current:
        push rax
        push rcx
        mov eax, EPT_POINTER
        vmread rax, rax
        mov [rel desc], rax
        mov qword [rel desc + 8], 0
        mov ecx, 1
        invept rcx, [rel desc]
        call check_vmx
        pop rcx
        pop rax
        ret

guest_code:
        ; part 2: reads (MOV AL), writes (MOV BYTE), fetches (CALL)
        mov al, [PG(k_np_r)]
        mov byte [PG(k_np_w)], 1
        mov rax, PG(k_np_x)
        call rax
        mov byte [PG(k_r_w)], 1
        mov rax, PG(k_r_x)
        call rax
        mov rax, PG(k_rw_x)
        call rax
        mov al, [PG(k_x_r)]
        mov byte [PG(k_x_w)], 1
        mov byte [PG(k_rx_w)], 1
        mov al, [PG(k_w_r)]
        mov rax, PG(k_wx_x)
        call rax
        mov al, [PG(k_mt2_r)]
        mov al, [PG(k_rsv_r)]
        mov byte [LARGE + 0x1234], 1
        mov al, [NOPDE + 0x5678]
        vmcall                           ; exit 18: part 3

        ; part 3: A/D flags and the log (PML index 1)
        mov al, [PG(k_a1)]
        mov byte [PG(k_a2)], 1
        mov byte [PG(k_a2) + 8], 2       ; the same page: no second log entry
        mov byte [PG(k_a3)], 1
        vmcall                           ; exit 18: the host prints flags and log
        mov byte [PG(k_b1)], 1           ; logged at index 0
        mov byte [PG(k_b2)], 1           ; exit 62, then (index 511) logged at 511
        mov byte [PG(k_b1) + 8], 1       ; the same page: not logged
        vmcall                           ; exit 18: part 4

        ; part 4: EPTP switching
        call print_c
        xor eax, eax
        mov ecx, 1
        vmfunc                           ; EPTP list entry 1
        call print_c
        vmcall                           ; exit 18: the host prints which EPTP
        xor eax, eax
        xor ecx, ecx
        vmfunc                           ; back to entry 0
        call print_c
        xor eax, eax
        mov ecx, 512
        vmfunc                           ; exit 59: index out of range
        xor eax, eax
        mov ecx, 2
        vmfunc                           ; exit 59: entry 2 is not a valid EPTP
        mov eax, 1
        xor ecx, ecx
        vmfunc                           ; exit 59: VM function 1 not enabled
        vmcall                           ; exit 18: the end

print_c:
        PUTS64 "guest: byte at 610000 "
        movzx eax, byte [PG(k_c)]
        push rcx
        mov ecx, 2
        call puthex_n64
        pop rcx
        jmp newline64

vm_exit:
        PUSH_GPRS
        call print_exit                  ; EBX = exit reason
        cmp ebx, 48
        je .gpa
        cmp ebx, 49
        jne .len
.gpa:   PUTS64 " gpa "
        mov eax, GUEST_PHYSICAL_ADDRESS
        vmread rsi, rax
        mov rax, rsi
        call puthex64
        cmp ebx, 48
        jne .rip
        PUTS64 " gla "
        mov eax, GUEST_LINEAR_ADDRESS
        vmread rax, rax
        call puthex64
        jmp .rip
.len:   cmp ebx, 62                      ; not caused by an instruction: no length
        je .rip
        call print_exit_length           ; RSI = length
.rip:   call print_guest_rip
        call newline64
        cmp ebx, 48
        je fix_entry
        cmp ebx, 49
        je fix_entry
        cmp ebx, 62
        je pml_full
        cmp ebx, 59
        je vmfunc_exit
        cmp ebx, 18
        je vmcall_exit
        mov al, 3
        jmp exit64

; EPT violation or misconfiguration at the GPA in RSI: its entry becomes RWX, INVEPT, retry
fix_entry:
        mov rax, rsi
        sub rax, SPECIAL
        cmp rax, 0x200000
        jae .large
        shr rax, 12
        and rsi, ~0xFFF
        or rsi, EPT_WB | EPT_RWX
        lea rdi, [rel ept_pt]
        mov [rdi + rax * 8], rsi
        jmp .done
.large: mov rax, rsi
        shr rax, 21
        and rsi, ~0x1FFFFF
        or rsi, EPT_LARGE | EPT_WB | EPT_RWX
        lea rdi, [rel ept_pd]
        mov [rdi + rax * 8], rsi
.done:  call invept_current
        POP_GPRS
        vmresume
        VMX_FAILED "vmresume"

vmcall_exit:
        inc byte [rel vmcalls]
        movzx eax, byte [rel vmcalls]
        cmp eax, 1
        je start_part3
        cmp eax, 2
        je report_part3
        cmp eax, 3
        je start_part4
        cmp eax, 4
        je report_eptp
        jmp vmx_leave

; A/D flags on (EPTP[6]), preset in every entry but those of the part 3 pages; PML, index 1
start_part3:
        PUTS64 "EPT A/D flags and PML on", 10
        lea rdi, [rel ept_pml4]
        or qword [rdi], EPT_A
        lea rdi, [rel ept_pdpt]
        or qword [rdi], EPT_A
        lea rdi, [rel ept_pd]
        xor ecx, ecx
.pd:    mov rax, [rdi + rcx * 8]
        test al, EPT_LARGE
        jz .nonleaf
        or rax, EPT_A | EPT_D
        jmp .store
.nonleaf:
        or rax, EPT_A
.store: mov [rdi + rcx * 8], rax
        inc ecx
        cmp ecx, 512
        jne .pd
        lea rdi, [rel ept_pt]
        xor ecx, ecx
.pt:    or qword [rdi + rcx * 8], EPT_A | EPT_D
        inc ecx
        cmp ecx, 512
        jne .pt
        mov ecx, k_a1
.clear: and qword [rdi + rcx * 8], ~(EPT_A | EPT_D)
        inc ecx
        cmp ecx, k_b3 + 1
        jne .clear
        mov rax, [rel eptp]
        or rax, EPT_AD
        mov [rel eptp], rax
        VMW EPT_POINTER, rax
        call invept_current
        mov eax, SECONDARY_VM_EXEC_CONTROL
        vmread rdx, rax
        or edx, CPU2_ENABLE_PML
        vmwrite rax, rdx
        call check_vmx
        lea rax, [rel pml_log]
        VMW PML_ADDRESS, rax
        VMW GUEST_PML_INDEX, 1
        jmp resume_after

; prints the A/D flags of the part 3 entries and the log; PML index 0
report_part3:
        call print_ad
        call print_pml
        VMW GUEST_PML_INDEX, 0
        jmp resume_after

print_ad:
        push r8
        mov r8d, k_a1
        lea rdi, [rel ept_pt]
.l:     PUTS64 "ept entry "
        mov rax, r8
        shl rax, 12
        add rax, SPECIAL
        mov ecx, 6
        call puthex_n64
        mov ecx, 1
        PUTS64 " accessed "
        mov rax, [rdi + r8 * 8]
        shr rax, 8
        and eax, 1
        call puthex_n64
        PUTS64 " dirty "
        mov rax, [rdi + r8 * 8]
        shr rax, 9
        and eax, 1
        call puthex_n64
        call newline64
        inc r8d
        cmp r8d, k_b3 + 1
        jne .l
        pop r8
        ret

print_pml:
        PUTS64 "pml index "
        mov eax, GUEST_PML_INDEX
        vmread rax, rax
        push rcx
        mov ecx, 4
        call puthex_n64
        PUTS64 " log[0] "
        mov rax, [rel pml_log]
        call puthex64
        PUTS64 " log[1] "
        mov rax, [rel pml_log + 8]
        call puthex64
        PUTS64 " log[511] "
        mov rax, [rel pml_log + 511 * 8]
        call puthex64
        pop rcx
        jmp newline64

; exit 62: the log is full; print it and the flags, PML index 511, retry the write
pml_full:
        call print_pml
        call print_ad
        VMW GUEST_PML_INDEX, 511
        POP_GPRS
        vmresume
        VMX_FAILED "vmresume"

; VMFUNC on: EPTP list [0] current, [1] the copy with 0x610000 -> 0x611000, [2] 0
start_part4:
        call print_ad
        call print_pml
        PUTS64 "VMFUNC EPTP switching on", 10
        call build_alt_ept
        mov rax, [rel eptp]
        mov [rel eptp_list], rax
        mov rax, [rel alt_eptp]
        mov [rel eptp_list + 8], rax
        mov eax, SECONDARY_VM_EXEC_CONTROL
        vmread rdx, rax
        or edx, CPU2_ENABLE_VMFUNC
        vmwrite rax, rdx
        call check_vmx
        VMW VM_FUNCTION_CONTROLS, 1
        lea rax, [rel eptp_list]
        VMW EPTP_LIST_ADDRESS, rax
        jmp resume_after

; the copy of the EPT paging structures for EPTP list entry 1
build_alt_ept:
        lea rsi, [rel ept_pd]
        lea rdi, [rel alt_pd]
        mov ecx, 512
        rep movsq
        lea rsi, [rel ept_pt]
        lea rdi, [rel alt_pt]
        mov ecx, 512
        rep movsq
        lea rax, [rel alt_pt]
        or rax, EPT_RWX | EPT_A
        mov [rel alt_pd + (SPECIAL >> 21) * 8], rax
        mov qword [rel alt_pt + k_c * 8], PG(k_d) | EPT_WB | EPT_RWX | EPT_A | EPT_D
        lea rax, [rel alt_pd]
        or rax, EPT_RWX | EPT_A
        mov [rel alt_pdpt], rax
        lea rax, [rel alt_pdpt]
        or rax, EPT_RWX | EPT_A
        mov [rel alt_pml4], rax
        lea rax, [rel alt_pml4]
        or rax, EPT_AD | (3 << 3) | 6
        mov [rel alt_eptp], rax
        ret

report_eptp:
        call print_eptp
        jmp resume_after

; "eptp list[N]" for the EPTP field (or "eptp other")
print_eptp:
        PUTS64 "eptp "
        mov eax, EPT_POINTER
        vmread rax, rax
        cmp rax, [rel eptp_list]
        je .l0
        cmp rax, [rel eptp_list + 8]
        je .l1
        PUTS64 "other", 10
        ret
.l0:    PUTS64 "list[0]", 10
        ret
.l1:    PUTS64 "list[1]", 10
        ret

vmfunc_exit:
        call print_eptp
        mov eax, VM_EXIT_INSTRUCTION_LEN_F
        vmread rsi, rax
        ADVANCE_AND_RESUME

resume_after:
        mov eax, VM_EXIT_INSTRUCTION_LEN_F
        vmread rsi, rax
        ADVANCE_AND_RESUME

        section .data
        align 16
desc:           dq 0, 0
eptp:           dq 0
alt_eptp:       dq 0
scratch_eptp:   dq 0
vmcalls:        db 0

        section .bss
        alignb 4096
ept_pt:         resb 4096
pml_log:        resb 4096
eptp_list:      resb 4096
alt_pml4:       resb 4096
alt_pdpt:       resb 4096
alt_pd:         resb 4096
alt_pt:         resb 4096
        FLAT64_END
