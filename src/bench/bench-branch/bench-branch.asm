; bench-branch: control-flow-heavy work. Every iteration makes an indirect call through a table
; of eight small functions (some call a leaf in turn), an indirect jump through a table of four
; cases, a direct call, and a recursive call chain of depth four every fourth iteration; the
; choices come from an xorshift64 state, so the targets are data-dependent. Prints a checksum
; and exits with status 0. A Multiboot v1 a.out-kludge image (common/flat64.inc).

%include "flat64.inc"

ITERATIONS equ 8000000

        bits 64
main64:
        PUTS64 "bench-branch", 10
        mov rax, 0x2545F4914F6CDD1D      ; seed
        lea rbx, [rel functions]
        lea rbp, [rel cases]
        mov r12d, ITERATIONS
        xor r9d, r9d
        xor r10d, r10d
.loop:  call xorshift
        mov edx, eax
        and edx, 7
        call [rbx + rdx * 8]             ; indirect call
        mov edx, eax
        shr edx, 8
        and edx, 3
        jmp [rbp + rdx * 8]              ; indirect jump
.join:  call leaf
        test r12d, 3
        jnz .next
        mov ecx, 4
        call recurse
.next:  dec r12d
        jnz .loop

        PUTHEX64 "rax", rax
        PUTHEX64 "r9", r9
        PUTHEX64 "r10", r10
        mov al, 0
        jmp exit64

case0:  add r10, 1
        jmp main64.join
case1:  sub r10, 3
        jmp main64.join
case2:  xor r10, rax
        jmp main64.join
case3:  rol r10, 5
        jmp main64.join

f0:     add r9, rax
        ret
f1:     sub r9, rax
        ret
f2:     xor r9, rax
        call leaf
        ret
f3:     lea r9, [r9 + rax * 2]
        ret
f4:     ror r9, 7
        call leaf
        ret
f5:     add r9, 12345
        ret
f6:     not r9
        ret
f7:     imul r9, r9, 3
        call leaf
        ret

leaf:   inc r10
        ret

; RCX = depth: adds the depth to R10 on the way down and up
recurse:
        add r10, rcx
        dec ecx
        jz .bottom
        call recurse
.bottom:
        ret

; RAX = xorshift64(RAX)
xorshift:
        mov rdx, rax
        shl rdx, 13
        xor rax, rdx
        mov rdx, rax
        shr rdx, 7
        xor rax, rdx
        mov rdx, rax
        shl rdx, 17
        xor rax, rdx
        ret

        section .rodata
        align 8
functions: dq f0, f1, f2, f3, f4, f5, f6, f7
cases:     dq case0, case1, case2, case3

        FLAT64_END
