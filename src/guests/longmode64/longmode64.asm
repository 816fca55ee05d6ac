; longmode64: enters IA-32e mode from the Multiboot state and prints integer results from 64-bit
; code. A Multiboot v1 a.out-kludge flat image (header flag bit 16: the loader takes load_addr,
; load_end_addr, bss_end_addr and entry_addr from the header, not from an ELF file), loaded at
; 1 MiB; QEMU's -kernel takes it where it refuses an ELF64.
;
; common/long64.inc does the switch: own GDT, check CPUID.80000001H:EDX.LM[29], identity-map
; the first 1 GiB with 2 MiB pages (PML4 -> PDPT -> PD), CR4.PAE, CR3, IA32_EFER.LME, CR0.PG,
; far jump to a 64-bit code segment (SDM "Initializing IA-32e Mode"), TSS, IDT.
; 64-bit part (main64): IA32_EFER, CPUID.80000001H in 64-bit mode, a
; xorshift64 sequence, a 1,000,000-iteration xorshift/load/store loop over a 64 KiB buffer at
; 4 MiB, then MUL, IMUL, DIV, IDIV, shifts and rotates, SHLD/SHRD, BSF/BSR, POPCNT, BSWAP,
; ADC/SBB. Only architecturally defined results are printed (no undefined flags).
; Exit status 0; 1 if long mode is missing; 0xFF on an exception.

%include "flat64.inc"

BUFFER    equ 0x400000                  ; 64 KiB scratch, identity mapped

        bits 64
main64:
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

        FLAT64_END
