; bench-mem: memory-heavy work. Maps a 64 MiB window at linear 0x40000000 with 4 KiB pages
; (16,384 PTEs, physical 16-80 MiB) and does a load and a store at pseudo-random addresses in
; it on every iteration (a TLB miss and a page walk almost every time: the working set is far
; larger than any TLB), and every 16th iteration copies 256 bytes between two random pages
; with REP MOVSQ and sums 16 quadwords with LODSQ. Prints a checksum and exits with status 0.
; A Multiboot v1 a.out-kludge image (common/flat64.inc).

%include "flat64.inc"

ITERATIONS equ 4000000
WINDOW     equ 0x40000000               ; PDPT index 1
PAGES      equ 16384                    ; 64 MiB
PHYS_BASE  equ 0x1000000                ; 16 MiB
PD2        equ 0x600000                 ; the page directory of the window
PTS        equ 0x800000                 ; 32 page tables, 128 KiB

        bits 64
main64:
        PUTS64 "bench-mem", 10
        ; PTE i = PHYS_BASE + i * 4096 | RW | P
        mov edi, PTS
        mov eax, PHYS_BASE | 3
        mov ecx, PAGES
.pte:   mov [rdi], rax
        add rdi, 8
        add rax, 4096
        dec ecx
        jnz .pte
        ; PDE k = PTS + k * 4096 | RW | P, for the 32 page tables
        mov edi, PD2
        mov eax, PTS | 3
        mov ecx, PAGES / 512
.pde:   mov [rdi], rax
        add rdi, 8
        add rax, 4096
        dec ecx
        jnz .pde
        mov qword [rel long64_pdpt + (WINDOW >> 30) * 8], PD2 | 3
        mov rax, cr3
        mov cr3, rax

        mov rax, 0x0F1E2D3C4B5A6978      ; seed
        mov r12, WINDOW
        mov ecx, ITERATIONS
        xor r9d, r9d
        xor r10d, r10d
        cld
.loop:  mov rdx, rax                     ; xorshift64
        shl rdx, 13
        xor rax, rdx
        mov rdx, rax
        shr rdx, 7
        xor rax, rdx
        mov rdx, rax
        shl rdx, 17
        xor rax, rdx
        mov rsi, rax
        and esi, 0x3FFFFF8               ; a quadword in the 64 MiB window
        mov rdx, [r12 + rsi]
        add rdx, rax
        mov rdi, rax
        shr rdi, 26
        and edi, 0x3FFFFF8               ; another one
        mov [r12 + rdi], rdx
        add r9, rdx
        test ecx, 15
        jnz .next
        ; strings: 256 bytes from one random page to another, then 16 LODSQ
        mov r11, rcx
        and esi, 0x3FFF000
        and edi, 0x3FFF000
        add rsi, r12
        add rdi, r12
        mov ecx, 32
        rep movsq
        mov ecx, 16
.sum:   lodsq
        add r10, rax
        dec ecx
        jnz .sum
        mov rax, r10
        xor rax, r9
        or rax, 1                        ; keep the xorshift state non-zero
        mov rcx, r11
.next:  dec ecx
        jnz .loop

        PUTHEX64 "rax", rax
        PUTHEX64 "r9", r9
        PUTHEX64 "r10", r10
        mov al, 0
        jmp exit64

        FLAT64_END
