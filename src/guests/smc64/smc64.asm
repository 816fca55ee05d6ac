; smc64: self-modifying and cross-modifying code in 64-bit mode, for both oracles; the case a
; decoded-instruction cache must get right (SDM "Self-Modifying Code": a write to a code byte
; takes effect for instructions fetched after a jump that follows the write). Each case prints
; a value computed by code that was changed before it ran:
;   1. the imm32 of "add eax, imm32" patched on every one of 100 iterations
;   2. an opcode byte flipped (ADD <-> SUB) between calls
;   3. code written through another linear address (the 1 GiB page at 0x40000000 that maps
;      physical 0) and executed through its identity address
;   4. a buffer of code at 0x300000 overwritten with REP MOVSB by a second routine, then run
;   5. a store into the very next instruction's immediate, then a jump to it
; Exit status 0. A Multiboot v1 a.out-kludge image (common/flat64.inc).

%include "flat64.inc"

ALIAS      equ 0x40000000               ; PDPT index 1: a 1 GiB page mapping physical 0
CODE_BUF   equ 0x300000

        bits 64
main64:
        PUTS64 "smc64: 64-bit mode", 10
        mov qword [rel long64_pdpt + (ALIAS >> 30) * 8], (1 << 7) | 3   ; PS, RW, P
        mov rax, cr3
        mov cr3, rax

        ; 1. patch the immediate on every iteration: sum of i*3 for i = 0..99, plus 100 * 7
        xor ebx, ebx                     ; sum
        xor ecx, ecx                     ; i
.iter:  lea edx, [ecx * 2 + ecx]
        mov [rel .patch_imm + 1], edx     ; the imm32 of "add eax, imm32" (05 id)
        jmp .run                         ; the jump after the write
.run:   mov eax, 7
.patch_imm:
        add eax, 0x11111111
        add ebx, eax
        inc ecx
        cmp ecx, 100
        jne .iter
        PUTHEX64 "patched immediate sum", rbx

        ; 2. flip ADD (01 /r) and SUB (29 /r) between calls of the same routine
        mov eax, 1000
        mov ebx, 1
        call add_or_sub                  ; 1001
        mov byte [rel add_or_sub], 0x29
        call add_or_sub                  ; 1000
        call add_or_sub                  ; 999
        mov byte [rel add_or_sub], 0x01
        call add_or_sub                  ; 1000
        call add_or_sub                  ; 1001
        PUTHEX64 "add/sub flips", rax

        ; 3. write through the alias, run through the identity mapping
        mov rdi, ALIAS
        add rdi, alias_target
        mov dword [rdi + 1], 0x00C0FFEE  ; "mov eax, imm32" (B8 id) gets a new immediate
        call alias_target
        PUTHEX64 "written through alias", rax

        ; 4. code buffer: copy routine A, run it, overwrite with routine B, run it
        mov edi, CODE_BUF
        lea rsi, [rel routine_a]
        mov ecx, routine_a_end - routine_a
        rep movsb
        mov eax, CODE_BUF
        call rax
        mov rbx, rax
        mov edi, CODE_BUF
        lea rsi, [rel routine_b]
        mov ecx, routine_b_end - routine_b
        rep movsb
        mov eax, CODE_BUF
        call rax
        shl rbx, 32
        or rax, rbx
        PUTHEX64 "buffer A then B", rax

        ; 5. the next instruction's immediate, stored and then jumped to
        mov dword [rel .next_imm + 1], 0x5EED
        jmp .next_imm
.next_imm:
        mov eax, 0x0BAD
        PUTHEX64 "next instruction", rax

        PUTS64 "done", 10
        mov al, 0
        jmp exit64

        section .data                    ; code that is rewritten lives with the data
add_or_sub:
        add eax, ebx                     ; 01 D8, or 29 D8 = sub eax, ebx
        ret
alias_target:
        mov eax, 0x0BAD
        ret
routine_a:
        mov eax, 0xAAAA
        ret
routine_a_end:
routine_b:
        mov eax, 0xBBBB
        add eax, 0x1111
        ret
routine_b_end:
        section .text

        FLAT64_END
