; paging32: 32-bit paging and PAE paging outcomes, for both oracles. A Multiboot v1 ELF32
; kernel in 32-bit protected mode (common/sys32.inc for the GDT, IDT and TRY32). Every result
; printed is architectural (SDM "32-Bit Paging", "PAE Paging", "Page-Fault Exceptions").
;
; 32-bit paging (CR4.PSE = 1, CR0.WP = 1):
;   PDE 0: 4 MiB page -> 0 (identity, holds this program and its stack)
;   PDE 1: page table for 0x400000..0x7FFFFF: +0 -> 0x500000 read/write, +0x1000 not present,
;          +0x2000 -> 0x501000 read-only
;   PDE 2: 4 MiB page at 0x800000 -> 0 (an alias of the first 4 MiB)
;   PDE 3: 4 MiB page with bit 21 set (reserved with MAXPHYADDR 40)
; PAE paging (CR4.PAE = 1, IA32_EFER.NXE = 1): PDPTE 0 -> page directory whose PDE 0 is a
;   2 MiB identity page, PDE 1 a 2 MiB page marked execute-disable, PDE 2 -> 0x600000 read-only
;   2 MiB; then MOV to CR3 of a PDPT whose entry 1 has bit 1 set (reserved in a PDPTE), which
;   loads the PDPTEs and so raises #GP(0) (SDM "PDPTE Registers").
; Exception lines: vector, error code, CR2 for #PF, EIP relative to the instruction.
; Known oracle differences, where Bochs follows the SDM and QEMU 7.2 (TCG) does not: QEMU
; reports the reserved-bit page fault with error code 0x8 (the SDM: RSVD "can be set only if bit
; 0 is also set"; Bochs 0x9), and QEMU does not load the PDPTEs on MOV to CR3, so the bad PDPT
; raises no #GP and becomes CR3. Exit status 0.

        bits 32
%include "multiboot.inc"
        MULTIBOOT_ELF_HEADER
%include "io32.inc"
%include "sys32.inc"

PTE_P      equ 1 << 0
PTE_RW     equ 1 << 1
PTE_A      equ 1 << 5
PTE_D      equ 1 << 6
PTE_PS     equ 1 << 7
IA32_EFER  equ 0xC0000080

        global _start
_start:
        mov esp, stack_top
        call com1_init
        call sys32_init
        PUTS "paging32: 32-bit protected mode", 10

        ; ---- 32-bit paging ----
        mov dword [pd32 + 0 * 4], 0 | PTE_PS | PTE_RW | PTE_P
        mov eax, pt32
        or eax, PTE_RW | PTE_P
        mov [pd32 + 1 * 4], eax
        mov dword [pd32 + 2 * 4], 0 | PTE_PS | PTE_RW | PTE_P
        mov dword [pd32 + 3 * 4], (1 << 21) | PTE_PS | PTE_RW | PTE_P
        mov dword [pt32 + 0 * 4], 0x500000 | PTE_RW | PTE_P
        mov dword [pt32 + 1 * 4], 0
        mov dword [pt32 + 2 * 4], 0x501000 | PTE_P
        mov eax, cr4
        or eax, 1 << 4                   ; PSE
        mov cr4, eax
        mov eax, pd32
        mov cr3, eax
        mov eax, cr0
        or eax, (1 << 31) | (1 << 16)    ; PG, WP
        mov cr0, eax
        PUTS "32-bit paging on", 10

        mov ebx, 0x400000
        mov al, [ebx]
        mov eax, [pt32]
        PUTS "pte0 after read "
        call puthex32
        call newline
        mov byte [ebx], 0x5A
        mov eax, [pt32]
        PUTS "pte0 after write "
        call puthex32
        call newline
        mov eax, [pd32 + 1 * 4]
        and eax, 0xFFF
        PUTS "pde1 flags "
        call puthex32
        call newline
        mov ebx, 0x401000
        PUTS "read not-present: "
        TRY32 mov al, [ebx]
        mov ebx, 0x402000
        PUTS "write read-only: "
        TRY32 mov byte [ebx], 1
        mov ebx, 0x800000 + multiboot_header
        PUTS "4 MiB alias of the Multiboot magic "
        mov eax, [ebx]
        call puthex32
        call newline
        mov eax, [pd32 + 2 * 4]
        PUTS "pde2 (4 MiB page) after read "
        call puthex32
        call newline
        mov ebx, 0xC00000
        PUTS "read 4 MiB page with reserved bit 21: "
        TRY32 mov al, [ebx]

        ; back to no paging
        mov eax, cr0
        and eax, ~(1 << 31)
        mov cr0, eax

        ; ---- PAE paging ----
        mov eax, pd_pae
        or eax, PTE_P
        mov [pdpt_pae], eax
        mov dword [pd_pae + 0 * 8], 0x000000 | PTE_PS | PTE_RW | PTE_P
        mov dword [pd_pae + 1 * 8], 0x200000 | PTE_PS | PTE_RW | PTE_P
        mov dword [pd_pae + 1 * 8 + 4], 1 << 31          ; XD
        mov dword [pd_pae + 2 * 8], 0x600000 | PTE_PS | PTE_P
        mov ecx, IA32_EFER
        rdmsr
        or eax, 1 << 11                  ; NXE
        wrmsr
        mov eax, cr4
        or eax, 1 << 5                   ; PAE
        mov cr4, eax
        mov eax, pdpt_pae
        mov cr3, eax
        mov eax, cr0
        or eax, 1 << 31
        mov cr0, eax
        PUTS "PAE paging on", 10

        mov ebx, 0x200000
        mov byte [ebx], 0xC3             ; RET, in a page that may not be executed
        PUTS "call execute-disable: "
        TRY32 call ebx
        mov ebx, 0x400000
        PUTS "write read-only 2 MiB page: "
        TRY32 mov byte [ebx], 1
        mov eax, [pd_pae + 1 * 8]
        PUTS "pde1 low after write "
        call puthex32
        call newline

        ; a PDPT with a reserved bit in entry 1: MOV to CR3 loads the PDPTEs and faults
        mov eax, [pdpt_pae]
        mov [pdpt_bad], eax
        mov eax, pd_pae
        or eax, PTE_RW | PTE_P
        mov [pdpt_bad + 1 * 8], eax
        mov eax, pdpt_bad
        PUTS "mov cr3 of a PDPT with reserved bit 1 set: "
        TRY32 mov cr3, eax
        mov eax, cr3
        PUTS "cr3 still "
        mov ecx, pdpt_pae
        sub eax, ecx
        call puthex32
        PUTS " from the good PDPT", 10

        PUTS "done", 10
        mov al, 0
        jmp exit

        section .bss
        alignb 4096
pd32:           resb 4096
pt32:           resb 4096
pd_pae:         resb 4096
        alignb 32
pdpt_pae:       resb 32
pdpt_bad:       resb 32
        alignb 16
                resb 8192
stack_top:
