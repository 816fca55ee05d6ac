# The fixed 64-bit integer loop used for MIPS figures (docs/PERFORMANCE.md).
# 22 instructions per iteration on either path of the data-dependent branch:
# xorshift64, shifts, a load and a store into a 64 KiB buffer at RBX, a branch on the state.
# Entry state: RAX = seed (non-zero), RBX = buffer base, RCX = iterations. Ends with HLT.
        .intel_syntax noprefix
        .code64
        .globl _start
_start:
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
        hlt
