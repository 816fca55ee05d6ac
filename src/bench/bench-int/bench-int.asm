; bench-int: the 64-bit integer loop of src/guests/bench-loop/loop.s as a Multiboot program, so
; Bochs and vmx4j run the same bytes: xorshift64, shifts, a load and a store into a 64 KiB
; buffer, a data-dependent branch; 22 instructions per iteration on either path, ITERATIONS
; iterations. Prints the final state (a checksum both emulators must agree on) and exits with
; status 0. A Multiboot v1 a.out-kludge image (common/flat64.inc).

%include "flat64.inc"

ITERATIONS equ 20000000

        bits 64
main64:
        PUTS64 "bench-int", 10
        mov rax, 0x123456789ABCDEF1      ; seed
        lea rbx, [rel buffer]
        mov ecx, ITERATIONS
        xor edi, edi
        xor r8d, r8d
        xor r9d, r9d
loop:
        mov     rdx, rax
        shl     rdx, 13
        xor     rax, rdx
        mov     rdx, rax
        shr     rdx, 7
        xor     rax, rdx
        mov     rdx, rax
        shl     rdx, 17
        xor     rax, rdx
        mov     rsi, rax
        and     esi, 0xFFF8
        mov     rdx, [rbx+rsi]
        add     rdx, rax
        mov     [rbx+rsi], rdx
        test    al, 1
        jz      even
        add     rdi, rdx
        jmp     next
even:
        sub     rdi, rdx
        ror     rdi, 1
next:
        inc     r8
        add     r9, rsi
        dec     rcx
        jnz     loop

        PUTHEX64 "rax", rax
        PUTHEX64 "rdi", rdi
        PUTHEX64 "r8", r8
        PUTHEX64 "r9", r9
        mov al, 0
        jmp exit64

        section .bss
        alignb 4096
buffer: resb 65536

        FLAT64_END
