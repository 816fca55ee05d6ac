; hello32: the first program vmx4j boots. A Multiboot v1 ELF32 kernel in 32-bit flat protected
; mode that prints a greeting and a few computed values to port 0xE9 and COM1, then exits with
; status 0 (port 0xF4, then "Shutdown" to port 0x8900).
;
; Instructions used, and no others: MOV, ADD, SUB, XOR, AND, OR, SHL, SHR, ROL, CMP, TEST, Jcc,
; JMP, CALL, RET, PUSH, POP, INC, DEC, MOVZX, LEA, IN, OUT, LODSB, CLI, HLT.
; It never reloads a segment register and needs no GDT, IDT or paging of its own.

        bits 32

%include "multiboot.inc"
        MULTIBOOT_ELF_HEADER
%include "io32.inc"

        global _start
_start:
        mov esp, stack_top
        mov ebp, eax                     ; Multiboot magic
        mov edi, ebx                     ; Multiboot information block
        call com1_init

        PUTS "Hello from vmx4j", 10

        PUTS "multiboot magic "
        mov eax, ebp
        call puthex32
        call newline

        ; flags bit 0: mem_lower/mem_upper valid (both loaders set it; the sizes differ)
        PUTS "multiboot mem info "
        mov eax, [edi]
        and eax, 1
        call puthex8
        call newline

        ; 1 + 2 + ... + 1000 = 500500
        PUTS "sum 1..1000 "
        xor eax, eax
        mov ecx, 1000
.sum:   add eax, ecx
        dec ecx
        jnz .sum
        call puthex32
        call newline

        ; fib(47) mod 2^32
        PUTS "fib(47) "
        xor eax, eax
        mov ebx, 1
        mov ecx, 47
.fib:   mov edx, eax
        add edx, ebx
        mov eax, ebx
        mov ebx, edx
        dec ecx
        jnz .fib
        call puthex32
        call newline

        ; rotate-xor hash of the greeting: h = rol(h, 5) xor byte, then h += h shl 3, h xor= h shr 11
        PUTS "hash "
        mov esi, greeting
        xor edx, edx
.hash:  lodsb
        test al, al
        jz .hash_done
        rol edx, 5
        movzx ebx, al
        xor edx, ebx
        jmp .hash
.hash_done:
        mov eax, edx
        shl eax, 3
        add edx, eax
        mov eax, edx
        shr eax, 11
        xor edx, eax
        mov eax, edx
        call puthex32
        call newline

        ; fill a 256-byte buffer with (7 i + 3) mod 256, then checksum it with a rotating mix
        PUTS "buffer checksum "
        mov edi, buffer
        xor ecx, ecx
        mov al, 3
.fill:  mov [edi + ecx], al
        add al, 7
        inc ecx
        cmp ecx, 256
        jne .fill
        xor edx, edx
        xor ecx, ecx
.csum:  movzx eax, byte [edi + ecx]
        lea edx, [edx + eax * 4 + 1]
        rol edx, 3
        sub edx, ecx
        or edx, 0x10
        inc ecx
        cmp ecx, 256
        jne .csum
        mov eax, edx
        call puthex32
        call newline

        ; conditional branches: bit i of the result is set iff condition i holds (LEA sets the bit
        ; without touching the flags the next branch tests)
        PUTS "conditions "
        xor eax, eax
        mov ebx, 5
        mov ecx, -3
        cmp ebx, ecx                     ; 5 vs -3: greater signed, below unsigned
        jle .c1
        lea eax, [eax + 0x01]
.c1:    jae .c2
        lea eax, [eax + 0x02]
.c2:    cmp ecx, ebx
        jl .c3s
        jmp .c3
.c3s:   lea eax, [eax + 0x04]
.c3:    ja .c4s
        jmp .c4
.c4s:   lea eax, [eax + 0x08]
.c4:    mov edx, 0x7FFFFFFF
        add edx, 1                       ; signed overflow, sign set, no carry
        jno .c5
        lea eax, [eax + 0x10]
.c5:    jns .c6
        lea eax, [eax + 0x20]
.c6:    jnc .c7
        lea eax, [eax + 0x40]
.c7:    sub edx, edx                     ; zero, even parity
        jnz .c8
        lea eax, [eax + 0x80]
.c8:    jpo .c9
        lea eax, [eax + 0x100]
.c9:    test ebx, 4
        jz .c10
        lea eax, [eax + 0x200]
.c10:   call puthex32
        call newline

        PUTS "Goodbye", 10
        mov al, 0
        jmp exit

        section .rodata
greeting:
        db "Hello from vmx4j", 0

        section .bss
        alignb 16
buffer: resb 256
        alignb 16
        resb 4096
stack_top:
