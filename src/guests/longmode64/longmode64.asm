; longmode64: enters IA-32e mode from the Multiboot state and prints integer results from 64-bit
; code. A Multiboot v1 a.out-kludge flat image (header flag bit 16: the loader takes load_addr,
; load_end_addr, bss_end_addr and entry_addr from the header, not from an ELF file), loaded at
; 1 MiB; QEMU's -kernel takes it where it refuses an ELF64.
;
; 32-bit part: own GDT, check CPUID.80000001H:EDX.LM[29], identity-map the first 1 GiB with
; 2 MiB pages (PML4 -> PDPT -> PD), CR4.PAE, CR3, IA32_EFER.LME, CR0.PG, far jump to a 64-bit
; code segment (SDM "Initializing IA-32e Mode").
; 64-bit part: an IDT that reports exceptions, IA32_EFER, CPUID.80000001H in 64-bit mode, a
; xorshift64 sequence, a 1,000,000-iteration xorshift/load/store loop over a 64 KiB buffer at
; 4 MiB, then MUL, IMUL, DIV, IDIV, shifts and rotates, SHLD/SHRD, BSF/BSR, POPCNT, BSWAP,
; ADC/SBB. Only architecturally defined results are printed (no undefined flags).
; Exit status 0; 1 if long mode is missing; 0xFF on an exception.

        bits 32
        org 0x100000
        section .text                    ; code, with the Multiboot header first
        section .rodata follows=.text align=16
        section .tables follows=.rodata align=4096
        section .text

MB_MAGIC  equ 0x1BADB002
MB_FLAGS  equ 0x00010002                ; bit 1: memory info; bit 16: address fields valid
BUFFER    equ 0x400000                  ; 64 KiB scratch, identity mapped
IA32_EFER equ 0xC0000080

CODE64    equ 0x08
DATA      equ 0x10
CODE32    equ 0x18

        align 4
multiboot_header:
        dd MB_MAGIC
        dd MB_FLAGS
        dd -(MB_MAGIC + MB_FLAGS)
        dd multiboot_header              ; header_addr
        dd $$                            ; load_addr
        dd image_end                     ; load_end_addr
        dd image_end                     ; bss_end_addr: no bss, everything is in the file
        dd start32                       ; entry_addr

%include "io32.inc"

start32:
        mov esp, stack_top
        call com1_init
        lgdt [gdtr]
        jmp CODE32:.flat
.flat:  mov ax, DATA
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        PUTS "longmode64: 32-bit entry", 10

        mov eax, 0x80000000
        cpuid
        cmp eax, 0x80000001
        jb .no_lm
        mov eax, 0x80000001
        cpuid
        bt edx, 29
        jc .lm
.no_lm: PUTS "no long mode", 10
        mov al, 1
        jmp exit

.lm:    ; PD[i] = i * 2 MiB | PS | RW | P, for the first 1 GiB
        mov edi, pd
        xor ecx, ecx
.pde:   mov eax, ecx
        shl eax, 21
        or eax, 0x83
        mov [edi + ecx * 8], eax
        mov dword [edi + ecx * 8 + 4], 0
        inc ecx
        cmp ecx, 512
        jne .pde
        mov dword [pdpt], pd + 3
        mov dword [pml4], pdpt + 3

        mov eax, cr4
        or eax, 1 << 5                   ; PAE
        mov cr4, eax
        mov eax, pml4
        mov cr3, eax
        mov ecx, IA32_EFER
        rdmsr
        or eax, 1 << 8                   ; LME
        wrmsr
        mov eax, cr0
        or eax, 1 << 31                  ; PG: IA32_EFER.LMA becomes 1
        mov cr0, eax
        jmp CODE64:long64

        bits 64
%include "io64.inc"

long64:
        mov ax, DATA
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        mov rsp, stack_top
        call idt64_init
        PUTS64 "longmode64: 64-bit mode", 10

        mov ecx, IA32_EFER
        rdmsr
        shl rdx, 32
        or rax, rdx
        PUTHEX64 "efer", rax

        mov eax, 0x80000001
        xor ecx, ecx
        cpuid
        PUTS64 "cpuid 80000001 ecx "
        mov eax, ecx
        mov ecx, 8
        call puthex_n64
        PUTS64 " edx "
        mov eax, edx
        call puthex_n64
        call newline64

        ; xorshift64 (13, 7, 17), eight steps from a fixed seed
        mov rax, 0x9E3779B97F4A7C15
        mov ecx, 8
.xs:    call xorshift64
        PUTHEX64 "xorshift64", rax
        dec ecx
        jnz .xs

        ; 1,000,000 iterations of xorshift, a load and store to a 64 KiB buffer and a
        ; data-dependent branch
        mov rdi, BUFFER
        mov ecx, 65536 / 8
        xor eax, eax
        rep stosq
        mov rax, 0x0123456789ABCDEF
        xor ebx, ebx
        mov ecx, 1000000
        mov rdi, BUFFER
.loop:  call xorshift64
        mov edx, eax
        and edx, 0xFFF8
        xor [rdi + rdx], rax
        add rbx, [rdi + rdx]
        test al, 1
        jz .even
        rol rbx, 1
.even:  dec ecx
        jnz .loop
        PUTHEX64 "loop x", rax
        PUTHEX64 "loop sum", rbx
        xor ebx, ebx
        xor ecx, ecx
.fold:  add rbx, [rdi + rcx * 8]
        ror rbx, 3
        inc ecx
        cmp ecx, 65536 / 8
        jne .fold
        PUTHEX64 "buffer fold", rbx

        ; MUL / IMUL: 128-bit products
        mov rax, 0xFEDCBA9876543210
        mov rbx, 0x0123456789ABCDEF
        mul rbx
        PUTHEX64 "mul hi", rdx
        PUTHEX64 "mul lo", rax
        mov rax, -0x123456789ABC
        mov rbx, 0x7654321FEDCBA
        imul rbx
        PUTHEX64 "imul hi", rdx
        PUTHEX64 "imul lo", rax
        mov rax, -0x123456789
        imul rax, rax, 0x3F3F3F3F
        PUTHEX64 "imul3", rax

        ; DIV / IDIV: 128-bit dividends
        mov rdx, 0x0000000000000001
        mov rax, 0x23456789ABCDEF01
        mov rbx, 0x0000000FEDCBA987
        div rbx
        PUTHEX64 "div q", rax
        PUTHEX64 "div r", rdx
        mov rax, -1000000000007
        cqo
        mov rbx, 37
        idiv rbx
        PUTHEX64 "idiv q", rax
        PUTHEX64 "idiv r", rdx

        ; shifts and rotates
        mov rbx, 0xF0E1D2C3B4A59687
        mov rax, rbx
        shl rax, 13
        PUTHEX64 "shl 13", rax
        mov rax, rbx
        shr rax, 7
        PUTHEX64 "shr 7", rax
        mov rax, rbx
        sar rax, 9
        PUTHEX64 "sar 9", rax
        mov rax, rbx
        mov cl, 67                       ; count masked to 6 bits: 3
        sar rax, cl
        PUTHEX64 "sar cl=67", rax
        mov rax, rbx
        rol rax, 17
        PUTHEX64 "rol 17", rax
        mov rax, rbx
        ror rax, 29
        PUTHEX64 "ror 29", rax
        mov rax, rbx
        mov rdx, 0x0123456789ABCDEF
        shld rax, rdx, 20
        PUTHEX64 "shld 20", rax
        mov rax, rbx
        mov cl, 44
        shrd rax, rdx, cl
        PUTHEX64 "shrd 44", rax

        ; bit scans and counts
        mov rbx, 0x0000100000000400
        bsf rax, rbx
        PUTHEX64 "bsf", rax
        bsr rax, rbx
        PUTHEX64 "bsr", rax
        mov rbx, 0xF0E1D2C3B4A59687
        popcnt rax, rbx
        PUTHEX64 "popcnt", rax
        mov rax, rbx
        bswap rax
        PUTHEX64 "bswap", rax

        ; 128-bit add and subtract with ADC/SBB; CF out as a value
        mov rax, 0xFFFFFFFFFFFFFFFF
        mov rdx, 0x7FFFFFFFFFFFFFFF
        add rax, 1
        adc rdx, 0
        mov ebx, 0
        adc ebx, 0                       ; CF after the ADC
        PUTHEX64 "add128 hi", rdx
        PUTHEX64 "add128 lo", rax
        PUTHEX64 "add128 cf", rbx
        mov rax, 0
        mov rdx, 0
        sub rax, 1
        sbb rdx, 0
        mov ebx, 0
        adc ebx, 0
        PUTHEX64 "sub128 hi", rdx
        PUTHEX64 "sub128 lo", rax
        PUTHEX64 "sub128 cf", rbx

        PUTS64 "done", 10
        mov al, 0
        jmp exit64

; RAX = xorshift64(RAX): x ^= x << 13; x ^= x >> 7; x ^= x << 17
xorshift64:
        push rdx
        mov rdx, rax
        shl rdx, 13
        xor rax, rdx
        mov rdx, rax
        shr rdx, 7
        xor rax, rdx
        mov rdx, rax
        shl rdx, 17
        xor rax, rdx
        pop rdx
        ret

; 32 interrupt gates: vector i -> stubs64 + 16 * i
idt64_init:
        lea rdi, [rel idt64]
        lea rdx, [rel stubs64]
        xor ecx, ecx
.gate:  mov rax, rdx
        mov [rdi], ax                    ; offset 15:0
        mov word [rdi + 2], CODE64
        mov word [rdi + 4], 0x8E00       ; present, DPL 0, 64-bit interrupt gate
        shr rax, 16
        mov [rdi + 6], ax                ; offset 31:16
        shr rax, 16
        mov [rdi + 8], eax               ; offset 63:32
        mov dword [rdi + 12], 0
        add rdi, 16
        add rdx, 16
        inc ecx
        cmp ecx, 32
        jne .gate
        lidt [rel idtr64]
        ret

        align 16
stubs64:
%assign vec 0
%rep 32
        align 16
  %if vec = 8 || (vec >= 10 && vec <= 14) || vec = 17 || vec = 21 || vec = 29 || vec = 30
        push vec                         ; the CPU pushed an error code
  %else
        push 0
        push vec
  %endif
        jmp exception64
%assign vec vec + 1
%endrep

; stack: vector, error code, RIP, CS, RFLAGS, RSP, SS
exception64:
        PUTS64 "exception "
        mov rax, [rsp]
        mov ecx, 2
        call puthex_n64
        PUTS64 " error "
        mov rax, [rsp + 8]
        mov ecx, 8
        call puthex_n64
        PUTS64 " at "
        mov rax, [rsp + 16]
        call puthex64
        call newline64
        mov al, 0xFF
        jmp exit64

        section .rodata
        align 8
gdt:    dq 0
        dq 0x00AF9A000000FFFF            ; 0x08: 64-bit code
        dq 0x00CF92000000FFFF            ; 0x10: data, base 0, 4 GiB
        dq 0x00CF9A000000FFFF            ; 0x18: 32-bit code, base 0, 4 GiB
gdtr:   dw gdtr - gdt - 1
        dd gdt
        align 8
idtr64: dw 32 * 16 - 1
        dq idt64

        section .tables                  ; zero in the file (no bss: see the header)
        align 16
idt64:  times 32 * 16 db 0
        align 4096
pml4:   times 4096 db 0
pdpt:   times 4096 db 0
pd:     times 4096 db 0
        times 8192 db 0
stack_top:
image_end:
