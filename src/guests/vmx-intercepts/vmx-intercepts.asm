; vmx-intercepts: one VM exit per instruction intercept, with its exit qualification,
; instruction length, instruction information and guest-linear address where the SDM defines
; them. A 64-bit VMX host (common/vmx64.inc) runs a 64-bit guest that shares its memory, GDT
; and IDT. Each exiting guest instruction is written with the X macro, which records its text,
; so the host prints one line per exit:
;   "<instruction>: exit RR qual QQQQQQQQQQQQQQQQ len LL [info IIIIIIII] [gla G] rip +NNNN"
; qual is printed as "-" where the SDM leaves it undefined (register operands of LLDT, LTR,
; SLDT, STR); info (the VM-exit instruction-information field) only for the exits whose format
; the SDM gives (INS/OUTS, LGDT/LIDT/SGDT/SIDT, LLDT/LTR/SLDT/STR, INVPCID, RDRAND, RDSEED),
; masked to the bits it defines there (operand size bit 11 of the descriptor-table format is
; undefined in 64-bit mode); gla for string I/O and LMSW with a memory operand.
; SDM "Instructions That Cause VM Exits Conditionally", "Exit Qualification for Control-Register
; Accesses", "Exit Qualification for MOV DR", "Exit Qualification for I/O Instructions",
; "VM-Exit Instruction-Information Field", "MSR-Bitmap Address", "I/O-Bitmap Addresses".
; Controls: TSC offsetting (0x7000000000000000), INVLPG, MWAIT, RDPMC, CR3-load (one CR3-target
; value: the guest's CR3), CR3-store, CR8-load, CR8-store, MOV-DR, MONITOR and PAUSE exiting,
; I/O bitmaps (port 0x80 in A, 0x8001 in B), MSR bitmaps (reads of 0x10, 0x1FFF, 0xC0000080,
; 0xC0001FFF, writes of 0x277 and 0xC0000102), descriptor-table, WBINVD, RDRAND and RDSEED
; exiting, enable RDTSCP, enable INVPCID; CR0 guest/host mask TS (read shadow TS = 1), CR4
; mask VMXE (read shadow 0). RDTSC exiting starts clear: the guest first reads the offset TSC
; with RDTSC and RDTSCP (no exit; it prints whether the value lies within 2^40 above the
; offset, and IA32_TSC_AUX), then a VMCALL makes the host set RDTSC exiting. The host resumes
; each exiting instruction by skipping it (length from the VMCS); a second VMCALL ends the run.
; A Multiboot v1 a.out-kludge image; Bochs only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

IO_BITMAP_A_ADDR            equ 0x2000
IO_BITMAP_B_ADDR            equ 0x2002
MSR_BITMAP_ADDR             equ 0x2004
TSC_OFFSET                  equ 0x2010
CR3_TARGET_COUNT            equ 0x400A
VMX_INSTRUCTION_INFO        equ 0x440E
CR0_GUEST_HOST_MASK         equ 0x6000
CR4_GUEST_HOST_MASK         equ 0x6002
CR0_READ_SHADOW             equ 0x6004
CR4_READ_SHADOW             equ 0x6006
CR3_TARGET_VALUE0           equ 0x6008

CPU_TSC_OFFSETTING          equ 1 << 3
CPU_INVLPG_EXITING          equ 1 << 9
CPU_MWAIT_EXITING           equ 1 << 10
CPU_RDPMC_EXITING           equ 1 << 11
CPU_RDTSC_EXITING           equ 1 << 12
CPU_CR3_LOAD_EXITING        equ 1 << 15
CPU_CR3_STORE_EXITING       equ 1 << 16
CPU_CR8_LOAD_EXITING        equ 1 << 19
CPU_CR8_STORE_EXITING       equ 1 << 20
CPU_MOV_DR_EXITING          equ 1 << 23
CPU_USE_IO_BITMAPS          equ 1 << 25
CPU_USE_MSR_BITMAPS         equ 1 << 28
CPU_MONITOR_EXITING         equ 1 << 29
CPU_PAUSE_EXITING           equ 1 << 30
CPU2_DESC_TABLE_EXITING     equ 1 << 2
CPU2_ENABLE_RDTSCP          equ 1 << 3
CPU2_WBINVD_EXITING         equ 1 << 6
CPU2_RDRAND_EXITING         equ 1 << 11
CPU2_ENABLE_INVPCID         equ 1 << 12
CPU2_RDSEED_EXITING         equ 1 << 16

IA32_PAT                    equ 0x277
IA32_EFER                   equ 0xC0000080
IA32_FS_BASE                equ 0xC0000100
IA32_KERNEL_GS_BASE         equ 0xC0000102
IA32_TSC_AUX                equ 0xC0000103
TSC_OFFSET_VALUE            equ 0x7000000000000000

; X instruction: a guest instruction expected to exit, followed by a short JMP over a marker
; byte 1 and the instruction's text (NUL-terminated), which the host prints
%macro X 1+
        %1
%defstr %%text %1
        jmp short %%after
        db 1, %%text, 0
%%after:
%endmacro

; XB instruction: as X, the text prefixed "[Bochs] ": a case where Bochs 2.7 departs from the SDM
; (expected/sdm.txt holds the SDM's line)
%macro XB 1+
        %1
%defstr %%text %1
        jmp short %%after
        db 1, "[Bochs] ", %%text, 0
%%after:
%endmacro

; a bit in a bitmap: SETBIT bitmap, bit number
%macro SETBIT 2
        or byte [rel %1 + (%2) / 8], 1 << ((%2) % 8)
%endmacro

        bits 64
main64:
        PUTS64 "vmx-intercepts: 64-bit host", 10
        mov ecx, IA32_TSC_AUX
        mov eax, 0x1234
        xor edx, edx
        wrmsr
        call vmx_enter

        ; SDM "MSR-Bitmap Address": read low 0x000, read high 0x400, write low 0x800, write high 0xC00
        SETBIT msr_bitmap, 0x10
        SETBIT msr_bitmap, 0x1FFF
        SETBIT msr_bitmap, 0x400 * 8 + (IA32_EFER & 0x1FFF)
        SETBIT msr_bitmap, 0x400 * 8 + 0x1FFF
        SETBIT msr_bitmap, 0x800 * 8 + IA32_PAT
        SETBIT msr_bitmap, 0xC00 * 8 + (IA32_KERNEL_GS_BASE & 0x1FFF)
        SETBIT io_bitmap_a, 0x80
        SETBIT io_bitmap_b, 0x8001 - 0x8000

        mov dword [rel want_proc], CPU_TSC_OFFSETTING | CPU_INVLPG_EXITING | CPU_MWAIT_EXITING | CPU_RDPMC_EXITING | CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING | CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING | CPU_MOV_DR_EXITING | CPU_USE_IO_BITMAPS | CPU_USE_MSR_BITMAPS | CPU_MONITOR_EXITING | CPU_PAUSE_EXITING | CPU_ACTIVATE_SECONDARY
        mov dword [rel want_proc2], CPU2_DESC_TABLE_EXITING | CPU2_ENABLE_RDTSCP | CPU2_WBINVD_EXITING | CPU2_RDRAND_EXITING | CPU2_ENABLE_INVPCID | CPU2_RDSEED_EXITING
        lea rax, [rel guest_code]
        mov [rel guest_entry], rax
        call setup_vmcs
        lea rax, [rel msr_bitmap]
        VMW MSR_BITMAP_ADDR, rax
        lea rax, [rel io_bitmap_a]
        VMW IO_BITMAP_A_ADDR, rax
        lea rax, [rel io_bitmap_b]
        VMW IO_BITMAP_B_ADDR, rax
        mov rax, TSC_OFFSET_VALUE
        VMW TSC_OFFSET, rax
        mov rbx, cr3
        mov [rel guest_cr3], rbx
        VMW CR3_TARGET_COUNT, 1
        VMW CR3_TARGET_VALUE0, rbx
        VMW CR0_GUEST_HOST_MASK, 1 << 3  ; TS
        VMW CR0_READ_SHADOW, 1 << 3
        VMW CR4_GUEST_HOST_MASK, 1 << 13 ; VMXE
        VMW CR4_READ_SHADOW, 0
        mov rax, cr4
        or eax, 1 << 18                  ; OSXSAVE, for XSETBV
        VMW GUEST_CR4, rax

        PUTS64 "vmlaunch", 10
        vmlaunch
        VMX_FAILED "vmlaunch"

guest_code:
        PUTS64 "guest: running", 10
        ; TSC offsetting without RDTSC exiting: TSC + offset, and IA32_TSC_AUX for RDTSCP
        rdtsc
        call tsc_check
        rdtscp
        call tsc_check
        PUTHEX64 "guest: rdtscp ecx", rcx
        X vmcall                         ; the host sets RDTSC exiting
        X rdtsc
        X rdtscp
        ; control registers
        mov rax, cr0
        PUTHEX64 "guest: cr0", rax
        xor eax, eax
        smsw ax                          ; no exit: the shadowed TS
        PUTHEX64 "guest: smsw", rax
        mov rax, cr0
        mov cr0, rax                     ; no exit: TS equals the read shadow
        and eax, ~(1 << 3)
        X mov cr0, rax
        X clts
        mov eax, 1
        X lmsw ax
        lea rbx, [rel msw_word]
        X lmsw [rbx]
        mov rax, cr4
        PUTHEX64 "guest: cr4", rax
        mov cr4, rax                     ; no exit: VMXE equals the read shadow
        or eax, 1 << 13
        X mov cr4, rax
        X mov rdx, cr3
        mov rcx, [rel guest_cr3]
        mov cr3, rcx                     ; no exit: a CR3-target value
        or rcx, 1 << 3
        X mov cr3, rcx
        mov eax, 2
        X mov cr8, rax
        X mov rcx, cr8
        ; debug registers
        X mov dr7, rax
        X mov rbx, dr6
        X mov dr0, r9
        ; descriptor tables
        lea rbx, [rel scratch]
        xor ecx, ecx
        X sgdt [rbx + rcx * 4 + 0x10]
        lea rdi, [rel scratch + 0x40]
        X sidt [rdi - 8]
        mov r12, rbx
        X lgdt [r12]
        X lidt [fs:rbx + 0x20]
        X sldt eax
        mov rdx, rbx
        X str [rdx]
        X lldt cx
        mov rsi, rbx
        xor r10d, r10d
        X ltr [rsi + r10 * 2 + 0x100]
        ; other instructions
        xor ecx, ecx
        X rdpmc
        X rdrand eax
        X rdrand rcx
        XB rdseed r9w                    ; Bochs: operand size 32-bit (1), SDM: 16-bit (0)
        X pause
        lea rax, [rel scratch]
        xor ecx, ecx
        xor edx, edx
        X monitor
        xor eax, eax
        X mwait
        X wbinvd
        X invd
        mov rbx, 0x123000
        X invlpg [rbx + 0x10]
        lea rbx, [rel scratch]
        xor ecx, ecx
        xor eax, eax
        X invpcid rax, [rbx + rcx * 8 + 0x40]
        xor ecx, ecx
        mov eax, 3
        xor edx, edx
        X xsetbv
        ; I/O: bitmaps A and B, sizes, immediate and DX forms, string forms
        X out 0x80, al
        X in al, 0x80
        in al, 0x81                      ; no exit: port 0x81 not in bitmap A
        mov dx, 0x8001
        X in ax, dx
        mov dx, 0x7FFE
        X out dx, eax                    ; ports 0x7FFE..0x8001: 0x8001 is in bitmap B
        mov dx, 0xFFFF
        X in ax, dx                      ; wraps around the I/O space
        mov dx, 0x80
        lea rsi, [rel scratch]
        mov ecx, 3
        X rep outsb
        mov dx, 0x8001
        lea rdi, [rel scratch + 0x80]
        X insw
        mov dx, 0x80
        lea esi, [rel scratch]
        X a32 fs outsd
        ; MSR bitmaps: low and high ranges, their last MSRs, out of range
        mov ecx, 0x10
        X rdmsr
        mov ecx, 0x1FFF
        X rdmsr
        mov ecx, IA32_EFER
        X rdmsr
        mov ecx, 0xC0001FFF
        X rdmsr
        mov ecx, IA32_FS_BASE
        rdmsr                            ; no exit: bit clear
        PUTHEX64 "guest: rdmsr IA32_FS_BASE eax", rax
        mov ecx, IA32_PAT
        mov eax, 0x00070406
        mov edx, 0x00070406
        X wrmsr
        mov ecx, IA32_KERNEL_GS_BASE
        X wrmsr
        mov ecx, 0x40000000
        X rdmsr
        mov ecx, 0xC0002000
        X wrmsr
        X vmcall                         ; the end

; EDX:EAX from RDTSC/RDTSCP: prints whether it lies in [offset, offset + 2^40)
tsc_check:
        shl rdx, 32
        or rax, rdx
        mov rdx, TSC_OFFSET_VALUE
        sub rax, rdx
        shr rax, 40
        jnz .out
        PUTS64 "guest: tsc within 2^40 above the offset", 10
        ret
.out:   PUTS64 "guest: tsc outside [offset, offset + 2^40)", 10
        ret

vm_exit:
        PUSH_GPRS
        ; the instruction's text, after the instruction: JMP short, 1, text
        mov eax, GUEST_RIP
        vmread rdx, rax
        mov eax, VM_EXIT_INSTRUCTION_LEN
        vmread rax, rax
        add rdx, rax
        cmp byte [rdx], 0xEB
        jne .unnamed
        cmp byte [rdx + 2], 1
        jne .unnamed
        lea rsi, [rdx + 3]
        call puts64
        PUTS64 ": "
        jmp .exit
.unnamed:
        PUTS64 "(not an X instruction): "
.exit:  PUTS64 "exit "
        mov eax, VM_EXIT_REASON
        vmread rbx, rax
        mov rax, rbx
        mov ecx, 2
        call puthex_n64
        mov eax, VMX_INSTRUCTION_INFO
        vmread r12, rax
        mov eax, EXIT_QUALIFICATION
        vmread r13, rax
        PUTS64 " qual "
        cmp ebx, 47                      ; LLDT, LTR, SLDT, STR with a register operand
        jne .qual
        bt r12d, 10
        jnc .qual
        PUTS64 "-"
        jmp .len
.qual:  mov rax, r13
        call puthex64
.len:   call print_exit_length           ; RSI = length
        call info_mask                   ; EAX = defined bits of the information, 0: none
        test eax, eax
        jz .gla
        PUTS64 " info "
        and eax, r12d
        mov ecx, 8
        call puthex_n64
.gla:   cmp ebx, 30                      ; string I/O
        jne .lmsw
        bt r13d, 4
        jc .print_gla
        jmp .rip
.lmsw:  cmp ebx, 28                      ; LMSW (access type 3) with a memory operand
        jne .rip
        mov eax, r13d
        and eax, 0x70
        cmp eax, 0x70
        jne .rip
.print_gla:
        PUTS64 " gla "
        mov eax, GUEST_LINEAR_ADDRESS
        vmread rax, rax
        call puthex64
.rip:   call print_guest_rip
        call newline64
        cmp ebx, 18
        jne .resume
        inc byte [rel vmcalls]
        cmp byte [rel vmcalls], 1
        jne vmx_leave
        mov eax, CPU_BASED_VM_EXEC_CONTROL
        vmread rdx, rax
        or edx, CPU_RDTSC_EXITING
        vmwrite rax, rdx
        call check_vmx
.resume:
        ADVANCE_AND_RESUME

; EBX = exit reason, R12 = instruction information, R13 = qualification: returns in EAX the
; bits of the instruction-information field the SDM defines for this exit (SDM
; "VM-Exit Instruction-Information Field"), 0 where the field is not defined
info_mask:
        xor eax, eax
        cmp ebx, 30                      ; I/O: only INS and OUTS
        jne .dt
        bt r13d, 4
        jnc .out
        mov eax, 0x380                   ; address size
        bt r13d, 3
        jc .out                          ; INS: segment undefined (always ES)
        or eax, 0x38000                  ; OUTS: segment
        ret
.dt:    cmp ebx, 46                      ; LGDT, LIDT, SGDT, SIDT: scaling, address size,
        jne .ldt                         ; bit 10, segment, index, base, identity (not bit 11)
        mov eax, 0x3FFF8783
        ret
.ldt:   cmp ebx, 47                      ; LLDT, LTR, SLDT, STR
        jne .rand
        mov eax, 0x3FFF8783              ; memory operand: as above
        bt r12d, 10
        jnc .out
        mov eax, 0x30000478              ; register operand: Reg1, bit 10, identity
        ret
.rand:  cmp ebx, 57                      ; RDRAND
        je .rr
        cmp ebx, 61                      ; RDSEED
        jne .invpcid
.rr:    mov eax, 0x1878                  ; destination register, operand size
        ret
.invpcid:
        cmp ebx, 58                      ; INVPCID: scaling, address size, segment, index,
        jne .out                         ; base, Reg2
        mov eax, 0xFFFF8383
.out:   ret

        section .data
        align 8
guest_cr3:      dq 0
msw_word:       dw 1
vmcalls:        db 0
        section .bss
        alignb 4096
msr_bitmap:     resb 4096
io_bitmap_a:    resb 4096
io_bitmap_b:    resb 4096
scratch:        resb 4096
        FLAT64_END
