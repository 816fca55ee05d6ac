; segments32: protected-mode segmentation, for both oracles. A Multiboot v1 ELF32 kernel
; (common/sys32.inc for the IDT and TRY32) with its own GDT:
;   0x08 code, 0x10 data: flat (as sys32.inc's)
;   0x18 data, base 0x200000, limit 0xFFF (byte granular)
;   0x20 data, expand-down, limit 0xFFF, B = 1 (valid offsets 0x1000..0xFFFFFFFF)
;   0x28 code, execute-only        0x30 data, not present        0x38 data, read-only
;   0x40 32-bit call gate to 0x08:gate_target
; Lines: segment base and limit checks (#GP(0)), segment-register loads that fault with the
; selector as error code (#GP, #NP), a null selector used for an access, a far call through the
; call gate, and LAR/LSL/VERR/VERW results (SDM "Segment Descriptors", "Limit Checking",
; "Type Checking", "MOV—Move" (segment registers), "Call Gates", "LAR", "LSL", "VERR/VERW").
; Exit status 0.
; Known oracle difference: QEMU 7.2's software CPU checks no segment limits and lets an access
; through a null ES succeed, so four #GP(0) lines read "no exception" there; Bochs follows the
; SDM.

        bits 32
%include "multiboot.inc"
        MULTIBOOT_ELF_HEADER
%include "io32.inc"
%include "sys32.inc"

SEL_SMALL     equ 0x18
SEL_DOWN      equ 0x20
SEL_XONLY     equ 0x28
SEL_ABSENT    equ 0x30
SEL_RDONLY    equ 0x38
SEL_GATE      equ 0x40
SEL_BEYOND    equ 0x80                  ; past the GDT limit

; ZF as 0 or 1 in EAX (after LAR/LSL/VERR/VERW)
%macro ZF_TO_EAX 0
        setz al
        movzx eax, al
%endmacro

; PRINT_EAX "name": "name <EAX>"
%macro PRINT_EAX 1
        PUTS %1, " "
        call puthex32
        call newline
%endmacro

        global _start
_start:
        mov esp, stack_top
        call com1_init
        call sys32_init
        PUTS "segments32: protected mode", 10
        ; the call gate's offset, then the GDT
        mov eax, gate_target
        mov [seg_gdt + SEL_GATE], ax
        shr eax, 16
        mov [seg_gdt + SEL_GATE + 6], ax
        lgdt [seg_gdtr]
        jmp 0x08:.reload
.reload:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax

        ; ---- base and limit ----
        mov byte [0x200FFF], 0x42        ; through the flat segment
        mov ax, SEL_SMALL
        mov es, ax
        PUTS "base 0x200000 limit 0xfff, byte at 0xfff: "
        TRY32 movzx eax, byte [es:0xFFF]
        PRINT_EAX "value"
        PUTS "byte at 0x1000: "
        TRY32 mov al, [es:0x1000]
        PUTS "dword at 0xffe (crosses the limit): "
        TRY32 mov eax, [es:0xFFE]
        mov ax, SEL_DOWN
        mov es, ax
        PUTS "expand-down limit 0xfff, byte at 0xfff: "
        TRY32 mov al, [es:0xFFF]
        PUTS "expand-down, byte at 0x1000: "
        TRY32 mov al, [es:0x1000]

        ; ---- segment-register loads ----
        mov ax, 0x10
        mov es, ax
        mov bx, SEL_XONLY
        PUTS "load an execute-only code segment into ES: "
        TRY32 mov es, bx
        mov bx, SEL_ABSENT
        PUTS "load a not-present data segment into ES: "
        TRY32 mov es, bx
        mov bx, SEL_RDONLY
        PUTS "load a read-only data segment into SS: "
        TRY32 mov ss, bx
        mov bx, SEL_BEYOND
        PUTS "load a selector past the GDT limit into ES: "
        TRY32 mov es, bx
        xor ebx, ebx
        mov es, bx
        PUTS "access through a null ES: "
        TRY32 mov al, [es:0]
        mov ax, 0x10
        mov es, ax

        ; ---- call gate ----
        mov dword [gate_cs], 0
        PUTS "far call through the call gate: "
        TRY32 call SEL_GATE:0
        mov eax, [gate_cs]
        PRINT_EAX "cs inside"

        ; ---- LAR, LSL, VERR, VERW ----
        mov ecx, SEL_SMALL
        lar eax, ecx
        PRINT_EAX "lar 0x18"
        lsl eax, ecx
        PRINT_EAX "lsl 0x18"
        mov ecx, SEL_GATE
        lar eax, ecx
        PRINT_EAX "lar 0x40 (call gate)"
        mov eax, 0xFFFF
        lsl eax, ecx
        ZF_TO_EAX
        PRINT_EAX "lsl 0x40 (call gate) zf"
        mov cx, SEL_XONLY
        verr cx
        ZF_TO_EAX
        PRINT_EAX "verr 0x28 (execute-only) zf"
        mov cx, SEL_RDONLY
        verr cx
        ZF_TO_EAX
        PRINT_EAX "verr 0x38 (read-only) zf"
        verw cx
        ZF_TO_EAX
        PRINT_EAX "verw 0x38 (read-only) zf"
        mov cx, 0x10
        verw cx
        ZF_TO_EAX
        PRINT_EAX "verw 0x10 zf"

        PUTS "done", 10
        mov al, 0
        jmp exit

gate_target:                             ; reached through the call gate
        xor eax, eax
        mov ax, cs
        mov [gate_cs], eax
        retf

        section .data                    ; the gate's offset is filled in at run time
        align 8
seg_gdt:
        dq 0
        dq 0x00CF9A000000FFFF            ; 0x08 code, flat
        dq 0x00CF92000000FFFF            ; 0x10 data, flat
        dq 0x0040922000000FFF            ; 0x18 data, base 0x200000, limit 0xFFF
        dq 0x0040960000000FFF            ; 0x20 data, expand-down, limit 0xFFF, B = 1
        dq 0x00CF98000000FFFF            ; 0x28 code, execute-only
        dq 0x00CF12000000FFFF            ; 0x30 data, not present
        dq 0x00CF90000000FFFF            ; 0x38 data, read-only
        dq 0x00008C0000080000            ; 0x40 call gate: selector 0x08, 32-bit, offset below
seg_gdt_end:
seg_gdtr:
        dw seg_gdt_end - seg_gdt - 1
        dd seg_gdt

        section .bss
        alignb 4
gate_cs:        resd 1
        alignb 16
                resb 8192
stack_top:
