; msrs64: model-specific register rules in 64-bit mode, for both oracles: reads of defined
; values, #GP(0) for an unimplemented MSR and for reserved bits or invalid values on WRMSR,
; FS/GS bases set through their MSRs and used by memory operands, and SWAPGS. Every result is
; architectural (SDM "RDMSR", "WRMSR", "SWAPGS", "PAT", "MTRRs", "IA32_EFER"); no timestamps.
; Exit status 0. A Multiboot v1 a.out-kludge image (common/flat64.inc).
; Known oracle difference: QEMU 7.2's software CPU raises no #GP in any of the five cases (it
; reads an unknown MSR as 0 and does not check WRMSR values); Bochs follows the SDM.

%include "flat64.inc"

IA32_APIC_BASE          equ 0x1B
IA32_PAT                equ 0x277
IA32_MTRR_DEF_TYPE      equ 0x2FF
IA32_FS_BASE            equ 0xC0000100
IA32_GS_BASE            equ 0xC0000101
IA32_KERNEL_GS_BASE     equ 0xC0000102
UNIMPLEMENTED_MSR       equ 0x4B564D00  ; no processor defines it (KVM's paravirtual range)

; RDMSR_PRINT "name", index: prints "name <EDX:EAX>"
%macro RDMSR_PRINT 2
        mov ecx, %2
        rdmsr
        shl rdx, 32
        or rax, rdx
        PUTHEX64 %1, rax
%endmacro

        bits 64
main64:
        PUTS64 "msrs64: 64-bit mode", 10

        ; the APIC base as after reset: 0xFEE00000, enabled (bit 11), BSP (bit 8)
        RDMSR_PRINT "IA32_APIC_BASE", IA32_APIC_BASE
        RDMSR_PRINT "IA32_EFER", IA32_EFER

        PUTS64 "rdmsr of an unimplemented MSR: "
        mov ecx, UNIMPLEMENTED_MSR
        TRY rdmsr

        PUTS64 "wrmsr IA32_EFER with reserved bit 1: "
        mov ecx, IA32_EFER
        rdmsr
        or eax, 1 << 1
        TRY wrmsr

        PUTS64 "wrmsr IA32_PAT with memory type 2 (reserved): "
        mov ecx, IA32_PAT
        mov eax, 0x00070402
        mov edx, 0x00070406
        TRY wrmsr
        PUTS64 "wrmsr IA32_PAT with valid types: "
        mov ecx, IA32_PAT
        mov eax, 0x00010506
        mov edx, 0x00070406
        TRY wrmsr
        RDMSR_PRINT "IA32_PAT", IA32_PAT

        PUTS64 "wrmsr IA32_MTRR_DEF_TYPE with reserved bit 12: "
        mov ecx, IA32_MTRR_DEF_TYPE
        rdmsr
        or eax, 1 << 12
        TRY wrmsr

        ; FS and GS bases through the MSRs, seen by FS:/GS: memory operands
        lea rax, [rel fs_area]
        mov rdx, rax
        shr rdx, 32
        mov ecx, IA32_FS_BASE
        wrmsr
        lea rax, [rel gs_area]
        mov rdx, rax
        shr rdx, 32
        mov ecx, IA32_GS_BASE
        wrmsr
        lea rax, [rel kgs_area]
        mov rdx, rax
        shr rdx, 32
        mov ecx, IA32_KERNEL_GS_BASE
        wrmsr
        PUTHEX64 "fs:[8]", [fs:8]
        PUTHEX64 "gs:[8]", [gs:8]
        swapgs
        PUTHEX64 "gs:[8] after swapgs", [gs:8]
        mov ecx, IA32_KERNEL_GS_BASE
        rdmsr
        shl rdx, 32
        or rax, rdx
        lea rdx, [rel gs_area]
        sub rax, rdx
        PUTHEX64 "IA32_KERNEL_GS_BASE after swapgs - gs_area", rax
        swapgs

        PUTS64 "wrmsr IA32_FS_BASE non-canonical: "
        mov ecx, IA32_FS_BASE
        xor eax, eax
        mov edx, 0x00008000              ; 0x0000800000000000
        TRY wrmsr

        PUTS64 "done", 10
        mov al, 0
        jmp exit64

        section .data
        align 16
fs_area:        dq 0x1111111111111111, 0xF5F5F5F5F5F5F5F5
gs_area:        dq 0x2222222222222222, 0x6565656565656565
kgs_area:       dq 0x3333333333333333, 0x4B4B4B4B4B4B4B4B

        FLAT64_END
