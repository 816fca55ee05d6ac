; rings64: privilege levels in 64-bit mode, for both oracles. The kernel (CPL 0) enters small
; user snippets at CPL 3 with IRETQ; a snippet ends in SYSCALL (the kernel's service 0) or in
; an exception, which the kernel prints (vector, error code, CR2 for #PF, RIP relative to the
; snippet) before it runs the next snippet. SYSCALL services: 1 print the string at RDI,
; 2 print RDI in hex, 3 print the kernel's RFLAGS (after IA32_FMASK) and the user's (R11).
; Set-up: IA32_EFER.SCE, IA32_STAR (SYSCALL CS 0x08, SYSRET base 0x30), IA32_LSTAR,
; IA32_FMASK = TF | IF | DF, TSS.RSP0, the first 2 MiB user-accessible (U/S = 1 at every
; level) and 2..4 MiB supervisor-only, the #BP gate with DPL 3.
; SDM "Privilege Levels", "SYSCALL", "SYSRET", "IRET", "Protection on Page Level",
; "Interrupt and Exception Handling" (gate DPL checks). Exit status 0.
; Known oracle difference: for INT 13 through the DPL 0 gate QEMU 7.2 (TCG) pushes error code
; 0xd2 (the gate's byte offset in the 64-bit IDT, plus IDT flag); the SDM's error code holds the
; vector in bits 15:3, so 13 << 3 | 2 = 0x6a, as Bochs gives. (The QEMU behaviour has been
; taken for the SDM before: rust-osdev/x86_64 issue 396, its PR 397 closed unmerged.)

%include "flat64.inc"

IA32_STAR   equ 0xC0000081
IA32_LSTAR  equ 0xC0000082
IA32_FMASK  equ 0xC0000084
SUPERVISOR  equ 0x200000                ; PD entry 1: supervisor-only

; USER snippet: run the snippet at CPL 3 until it makes service 0 or raises an exception
%macro USER 1
        lea rax, [rel %%back]
        mov [rel long64_recover], rax
        mov [rel long64_recover_rsp], rsp
        lea rax, [rel %1]
        mov [rel long64_fault_site], rax
        push LONG64_UDATA                ; SS
        lea rdx, [rel user_stack_top]
        push rdx                         ; RSP
        push 2                           ; RFLAGS: IOPL 0, IF 0
        push LONG64_USER64               ; CS
        push rax                         ; RIP
        iretq
%%back:
%endmacro

        bits 64
main64:
        PUTS64 "rings64: 64-bit mode", 10

        ; SYSCALL/SYSRET
        mov ecx, IA32_EFER
        rdmsr
        or eax, 1                        ; SCE
        wrmsr
        mov ecx, IA32_STAR
        xor eax, eax
        mov edx, (0x30 << 16) | 0x08     ; SYSRET base 0x30, SYSCALL CS 0x08
        wrmsr
        mov ecx, IA32_LSTAR
        lea rax, [rel syscall_entry]
        mov rdx, rax
        shr rdx, 32
        wrmsr
        mov ecx, IA32_FMASK
        mov eax, (1 << 8) | (1 << 9) | (1 << 10)
        xor edx, edx
        wrmsr
        ; interrupts and exceptions from CPL 3 switch to TSS.RSP0
        lea rax, [rel kernel_stack_top]
        mov [rel long64_tss + 4], rax
        ; I/O map base beyond the TSS limit: no I/O permission bitmap, so IN/OUT at CPL 3
        ; with IOPL 0 always raise #GP (SDM "I/O Permission Bit Map")
        mov word [rel long64_tss + 0x66], 104
        ; user pages: U/S at every level for 0..2 MiB; 2..4 MiB stays supervisor-only
        or qword [rel long64_pml4], 4
        or qword [rel long64_pdpt], 4
        or qword [rel long64_pd], 4
        mov rax, cr3
        mov cr3, rax
        ; INT3 allowed from CPL 3: gate 3 gets DPL 3 (type byte 0xEE)
        mov byte [rel long64_idt + 3 * 16 + 5], 0xEE

        PUTS64 "user: hello and selectors", 10
        USER u_hello
        PUTS64 "user: HLT", 10
        USER u_hlt
        PUTS64 "user: CLI with IOPL 0", 10
        USER u_cli
        PUTS64 "user: IN with IOPL 0", 10
        USER u_in
        PUTS64 "user: MOV from CR0", 10
        USER u_cr0
        PUTS64 "user: read a supervisor page", 10
        USER u_read_sup
        PUTS64 "user: write a supervisor page", 10
        USER u_write_sup
        PUTS64 "user: INT3 through a DPL 3 gate", 10
        USER u_int3
        PUTS64 "user: INT 13 through a DPL 0 gate", 10
        USER u_int13
        PUTS64 "user: STD, then SYSCALL (IA32_FMASK clears DF)", 10
        USER u_flags
        PUTS64 "done", 10
        mov al, 0
        jmp exit64

; SYSCALL lands here at CPL 0: RCX = user RIP, R11 = user RFLAGS, RSP still the user's
syscall_entry:
        mov [rel user_rsp], rsp
        lea rsp, [rel syscall_stack_top]
        push rcx
        push r11
        test eax, eax
        jz .back_to_kernel
        cmp eax, 1
        jne .not_puts
        mov rsi, rdi
        call puts64
        jmp .ret
.not_puts:
        cmp eax, 2
        jne .not_hex
        mov rax, rdi
        call puthex64
        call newline64
        jmp .ret
.not_hex:
        PUTS64 "kernel rflags & 0x700 "
        pushfq
        pop rax
        and eax, 0x700
        mov ecx, 4
        call puthex_n64
        PUTS64 ", user rflags (r11) & 0x700 "
        mov rax, r11
        and eax, 0x700
        call puthex_n64
        call newline64
.ret:   pop r11
        pop rcx
        mov rsp, [rel user_rsp]
        o64 sysret
.back_to_kernel:                         ; service 0: back to the USER in main64
        PUTS64 "back in the kernel by SYSCALL", 10
        mov rax, [rel long64_recover]
        mov qword [rel long64_recover], 0
        mov rsp, [rel long64_recover_rsp]
        jmp rax

; ---- user snippets (CPL 3) ----
u_hello:
        lea rdi, [rel msg_hello]
        mov eax, 1
        syscall
        mov rdi, cs
        mov eax, 2
        syscall
        mov rdi, ss
        mov eax, 2
        syscall
        xor eax, eax
        syscall
u_hlt:  hlt
u_cli:  cli
u_in:   in al, 0x80
u_cr0:  mov rax, cr0
u_read_sup:
        mov al, [SUPERVISOR]
u_write_sup:
        mov byte [SUPERVISOR], 1
u_int3: int3
u_int13:
        int 13
u_flags:
        std
        mov eax, 3
        syscall
        cld
        xor eax, eax
        syscall

        section .rodata
msg_hello:      db "hello from CPL 3; CS and SS:", 10, 0

        section .data
        align 8
user_rsp:       dq 0

        section .bss
        alignb 16
                resb 4096
kernel_stack_top:
                resb 4096
syscall_stack_top:
                resb 4096
user_stack_top:
        FLAT64_END
