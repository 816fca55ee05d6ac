; paging64: 4-level paging outcomes and exceptions in 64-bit mode, for both oracles. A Multiboot
; v1 a.out-kludge image (common/flat64.inc). Every result printed is architectural (SDM
; "Paging", "Interrupt and Exception Handling"), so Bochs and QEMU must agree.
;
; Besides long64.inc's identity map of the first 1 GiB (2 MiB pages), the program maps
;   0x800000..0x804FFF with 4 KiB pages (PD entry 4 -> a page table):
;     +0x0000 -> 0x500000 read/write          accessed and dirty flags after a read, a write
;     +0x1000    not present                  read, write: #PF error 0x0, 0x2
;     +0x2000 -> 0x501000 read-only           write: #PF 0x3; with CR0.WP = 0 the write succeeds
;     +0x3000 -> 0x502000 read/write, XD      call into it: #PF 0x11 (IA32_EFER.NXE = 1)
;     +0x4000 -> 0x503000 bit 45 set          read: #PF 0x9 (reserved bit, MAXPHYADDR 40)
;   0x40000000..0x7FFFFFFF with one 1 GiB page (PDPTE 1) -> physical 0
; then a non-canonical access (#GP(0)), DIV by zero (#DE), UD2 (#UD), INT3 (#BP, a trap: the
; saved RIP is one byte on). Exception lines show vector, error code, CR2 for #PF, and the saved
; RIP relative to the instruction (see TRY in long64.inc). Exit status 0.
;
; Known oracle difference: for the reserved-bit fault QEMU 7.2 (TCG) reports error code 0x8; the
; SDM ("Page-Fault Exceptions": RSVD "can be set only if bit 0 is also set") and Bochs give 0x9.

%include "flat64.inc"

TEST_VA    equ 0x800000                 ; PD index 4
PHYS       equ 0x500000                 ; backing frames
HUGE_VA    equ 0x40000000               ; PDPT index 1

; paging-structure entry bits (SDM "Format of a PML4 Entry" and the tables that follow)
PTE_P      equ 1 << 0
PTE_RW     equ 1 << 1
PTE_A      equ 1 << 5
PTE_D      equ 1 << 6
PTE_PS     equ 1 << 7

        bits 64
main64:
        PUTS64 "paging64: 64-bit mode", 10

        ; CR0.WP: supervisor writes obey read-only pages (the Multiboot state leaves it open)
        mov rax, cr0
        or eax, 1 << 16
        mov cr0, rax
        ; IA32_EFER.NXE: bit 63 of an entry becomes execute-disable instead of reserved
        mov ecx, IA32_EFER
        rdmsr
        or eax, 1 << 11
        wrmsr

        ; the page table for TEST_VA and the 1 GiB page
        lea rdi, [rel pt]
        mov qword [rdi + 0 * 8], PHYS | PTE_RW | PTE_P
        mov qword [rdi + 1 * 8], 0
        mov qword [rdi + 2 * 8], (PHYS + 0x1000) | PTE_P
        mov rax, (1 << 63) | (PHYS + 0x2000) | PTE_RW | PTE_P
        mov [rdi + 3 * 8], rax
        mov rax, (1 << 45) | (PHYS + 0x3000) | PTE_RW | PTE_P
        mov [rdi + 4 * 8], rax
        mov rax, rdi
        or rax, PTE_RW | PTE_P
        mov [rel long64_pd + (TEST_VA >> 21) * 8], rax
        mov qword [rel long64_pdpt + (HUGE_VA >> 30) * 8], PTE_PS | PTE_RW | PTE_P
        mov rax, cr3                     ; flush the TLB after changing the structures
        mov cr3, rax

        ; accessed and dirty flags
        PUTHEX64 "pte0", [rel pt + 0 * 8]
        mov rbx, TEST_VA
        mov al, [rbx]
        PUTHEX64 "pte0 after read", [rel pt + 0 * 8]
        mov byte [rbx], 0x5A
        PUTHEX64 "pte0 after write", [rel pt + 0 * 8]
        mov rax, [rel long64_pd + (TEST_VA >> 21) * 8]
        and eax, 0xFFF                   ; the flags; the address depends on the layout
        PUTHEX64 "pd4 flags after accesses", rax

        ; not present
        mov rbx, TEST_VA + 0x1000
        PUTS64 "read not-present: "
        TRY mov al, [rbx]
        PUTS64 "write not-present: "
        TRY mov byte [rbx], 1

        ; read-only, then CR0.WP = 0
        mov rbx, TEST_VA + 0x2000
        PUTS64 "read read-only: "
        TRY mov al, [rbx]
        PUTS64 "write read-only: "
        TRY mov byte [rbx], 1
        mov rax, cr0
        and eax, ~(1 << 16)              ; WP
        mov cr0, rax
        PUTS64 "write read-only with CR0.WP=0: "
        TRY mov byte [rbx], 0x77
        mov rax, cr0
        or eax, 1 << 16
        mov cr0, rax
        PUTHEX64 "pte2", [rel pt + 2 * 8]
        PUTHEX64 "byte at 501000", [PHYS + 0x1000]

        ; execute-disable: the page holds a RET, written through the same mapping
        mov rbx, TEST_VA + 0x3000
        mov byte [rbx], 0xC3
        PUTS64 "call execute-disable: "
        TRY call rbx

        ; reserved bit
        mov rbx, TEST_VA + 0x4000
        PUTS64 "read reserved-bit: "
        TRY mov al, [rbx]

        ; the 1 GiB page aliases physical 0: the byte written at TEST_VA is at PHYS
        mov rbx, HUGE_VA + PHYS
        movzx eax, byte [rbx]
        PUTHEX64 "1 GiB page byte", rax
        PUTHEX64 "pdpte1", [rel long64_pdpt + (HUGE_VA >> 30) * 8]

        ; exceptions outside paging
        mov rbx, 0x0000800000000000      ; the first non-canonical address
        PUTS64 "read non-canonical: "
        TRY mov al, [rbx]
        xor ecx, ecx
        PUTS64 "div by zero: "
        TRY div ecx
        PUTS64 "ud2: "
        TRY ud2
        PUTS64 "int3: "
        TRY int3

        PUTS64 "done", 10
        mov al, 0
        jmp exit64

        section .bss
        alignb 4096
pt:     resb 4096
        FLAT64_END
