; cpuid-dump: prints the processor's CPUID leaves and model-specific registers in the statement
; format of a vmx4j CPU profile (vmx-model: dev.vmx4j.vmx.profile.CpuProfile), so that its
; output recorded on Bochs is the corei7_icelake_u profile. A Multiboot v1 ELF32 kernel.
;
;   cpuid 0x%08x 0x%02x 0x%08x 0x%08x 0x%08x 0x%08x    leaf, subleaf, EAX, EBX, ECX, EDX
;   cpuid 0x%08x *    0x%08x 0x%08x 0x%08x 0x%08x      a leaf that takes no subleaf (ECX = 0)
;   msr 0x%x 0x%016x                                   index, value
;
; CPUID: every basic leaf 0..CPUID.0:EAX, then every extended leaf 0x80000000..CPUID.80000000H:EAX.
; Leaves with subleaves are enumerated as the SDM ("CPUID—CPU Identification") defines:
;   4, 0xB, 0x1F   subleaf 0, 1, ... up to and including the first invalid one
;                  (4: EAX[4:0] cache type 0; 0xB/0x1F: ECX[15:8] level type 0)
;   7, 0x14, 0x17, 0x18   subleaf 0 .. EAX of subleaf 0
;   0xD            0, 1, and each i in 2..63 set in CPUID.(0DH,0):EDX:EAX or CPUID.(0DH,1):EDX:ECX
;   0xF            0, and each ResID i in 1..31 set in CPUID.(0FH,0):EDX
;   0x10           0, and each ResID i in 1..31 set in CPUID.(10H,0):EBX
;   0x12           0, 1, then 2, 3, ... up to and including the first with EAX[3:0] = 0
; Every subleaf loop stops after 64 subleaves whatever the processor answers.
;
; MSRs, each read only when the SDM says it exists (RDMSR of an absent MSR raises #GP):
;   with CPUID.1:ECX.VMX[5] (SDM appendix "VMX Capability Reporting Facility"):
;     0x480..0x48A; 0x48B if IA32_VMX_PROCBASED_CTLS[63]; 0x48C if IA32_VMX_PROCBASED_CTLS2
;     allows EPT [33] or VPID [37]; 0x48D..0x490 if IA32_VMX_BASIC[55]; 0x491 if
;     IA32_VMX_PROCBASED_CTLS2 allows "enable VM functions" [45]; 0x492 if
;     IA32_VMX_PROCBASED_CTLS allows "activate tertiary controls" [49]
;   0x3A IA32_FEATURE_CONTROL with CPUID.1:ECX.VMX[5] or SMX[6]
;   0x277 IA32_PAT with CPUID.1:EDX.PAT[16]
;   with CPUID.1:EDX.MTRR[12]: 0xFE IA32_MTRRCAP, 0x2FF IA32_MTRR_DEF_TYPE, the fixed-range
;     MTRRs if IA32_MTRRCAP[8], and IA32_MTRR_PHYSBASEn/PHYSMASKn for n < IA32_MTRRCAP[7:0]
; Then "done" and exit status 0. Any exception prints its vector and exits with status 0xFF.

        bits 32

%include "multiboot.inc"
        MULTIBOOT_ELF_HEADER
%include "io32.inc"
%include "sys32.inc"

MAX_SUBLEAVES equ 64

        global _start
_start:
        mov esp, stack_top
        call com1_init
        call sys32_init

        ; ---- basic leaves ----
        xor eax, eax
        xor ecx, ecx
        cpuid
        mov [max_basic], eax
        xor ebp, ebp                     ; EBP = leaf
.basic:
        mov [leaf], ebp
        cmp ebp, 0x04
        je .until_cache_null
        cmp ebp, 0x07
        je .count_in_eax
        cmp ebp, 0x0B
        je .until_level_null
        cmp ebp, 0x0D
        je .xsave
        cmp ebp, 0x0F
        je .rdt_monitoring
        cmp ebp, 0x10
        je .rdt_allocation
        cmp ebp, 0x12
        je .sgx
        cmp ebp, 0x14
        je .count_in_eax
        cmp ebp, 0x17
        je .count_in_eax
        cmp ebp, 0x18
        je .count_in_eax
        cmp ebp, 0x1F
        je .until_level_null
        call cpuid_any
        jmp .basic_next

.until_cache_null:                       ; leaf 4: up to the first cache type 0
        xor edi, edi
.ucn:   call cpuid_sub
        test byte [r_eax], 0x1F
        jz .basic_next
        inc edi
        cmp edi, MAX_SUBLEAVES
        jb .ucn
        jmp .basic_next

.until_level_null:                       ; leaves 0xB, 0x1F: up to the first level type 0
        xor edi, edi
.uln:   call cpuid_sub
        test dword [r_ecx], 0xFF00
        jz .basic_next
        inc edi
        cmp edi, MAX_SUBLEAVES
        jb .uln
        jmp .basic_next

.count_in_eax:                           ; leaves 7, 0x14, 0x17, 0x18: subleaves 0..EAX
        xor edi, edi
        call cpuid_sub
        mov eax, [r_eax]
        cmp eax, MAX_SUBLEAVES - 1
        jbe .cie_max
        mov eax, MAX_SUBLEAVES - 1
.cie_max:
        mov [count], eax
.cie:   cmp edi, [count]
        jae .basic_next
        inc edi
        call cpuid_sub
        jmp .cie

.xsave:                                  ; leaf 0xD
        xor edi, edi
        call cpuid_sub
        mov eax, [r_eax]
        mov [mask_lo], eax
        mov eax, [r_edx]
        mov [mask_hi], eax
        mov edi, 1
        call cpuid_sub
        mov eax, [r_ecx]
        or [mask_lo], eax
        mov eax, [r_edx]
        or [mask_hi], eax
        mov edi, 2
.xs:    mov eax, [mask_lo]
        mov edx, [mask_hi]
        cmp edi, 32
        jb .xs_lo
        mov eax, edx
.xs_lo: mov ecx, edi
        and ecx, 31
        bt eax, ecx
        jnc .xs_next
        call cpuid_sub
.xs_next:
        inc edi
        cmp edi, 64
        jb .xs
        jmp .basic_next

.rdt_monitoring:                         ; leaf 0xF: ResIDs from subleaf 0 EDX
        xor edi, edi
        call cpuid_sub
        mov eax, [r_edx]
        jmp .resids
.rdt_allocation:                         ; leaf 0x10: ResIDs from subleaf 0 EBX
        xor edi, edi
        call cpuid_sub
        mov eax, [r_ebx]
.resids:
        mov [mask_lo], eax
        mov edi, 1
.rs:    mov eax, [mask_lo]
        bt eax, edi
        jnc .rs_next
        call cpuid_sub
.rs_next:
        inc edi
        cmp edi, 32
        jb .rs
        jmp .basic_next

.sgx:                                    ; leaf 0x12: 0, 1, then EPC sections up to type 0
        xor edi, edi
        call cpuid_sub
        mov edi, 1
        call cpuid_sub
        mov edi, 2
.sg:    call cpuid_sub
        test byte [r_eax], 0x0F
        jz .basic_next
        inc edi
        cmp edi, MAX_SUBLEAVES
        jb .sg

.basic_next:
        inc ebp
        cmp ebp, [max_basic]
        jbe .basic

        ; ---- extended leaves ----
        mov eax, 0x80000000
        xor ecx, ecx
        cpuid
        mov ebx, eax
        cmp ebx, 0x80000000
        jb .msrs                         ; no extended leaves
        cmp ebx, 0x800000FF
        jbe .ext_max_ok
        mov ebx, 0x800000FF
.ext_max_ok:
        mov [max_ext], ebx
        mov ebp, 0x80000000
.ext:   mov [leaf], ebp
        call cpuid_any
        inc ebp
        cmp ebp, [max_ext]
        jbe .ext

        ; ---- MSRs ----
.msrs:
        mov eax, 1
        xor ecx, ecx
        cpuid
        mov [feat_ecx], ecx
        mov [feat_edx], edx
        test ecx, 1 << 5                 ; VMX
        jz .no_vmx
        mov ecx, 0x480                   ; IA32_VMX_BASIC
        call msr_line
        mov [vmx_basic_hi], edx
        mov ecx, 0x481                   ; IA32_VMX_PINBASED_CTLS
        call msr_line
        mov ecx, 0x482                   ; IA32_VMX_PROCBASED_CTLS
        call msr_line
        mov [procbased_hi], edx
        mov ecx, 0x483                   ; IA32_VMX_EXIT_CTLS .. IA32_VMX_VMCS_ENUM
.vmx_fixed:
        call msr_line
        inc ecx
        cmp ecx, 0x48A
        jbe .vmx_fixed
        mov dword [procbased2_hi], 0
        test dword [procbased_hi], 1 << (63 - 32)   ; activate secondary controls
        jz .no_ctls2
        mov ecx, 0x48B                   ; IA32_VMX_PROCBASED_CTLS2
        call msr_line
        mov [procbased2_hi], edx
        test edx, (1 << (33 - 32)) | (1 << (37 - 32))   ; enable EPT, enable VPID
        jz .no_ctls2
        mov ecx, 0x48C                   ; IA32_VMX_EPT_VPID_CAP
        call msr_line
.no_ctls2:
        test dword [vmx_basic_hi], 1 << (55 - 32)       ; TRUE controls
        jz .no_true
        mov ecx, 0x48D                   ; IA32_VMX_TRUE_PINBASED_CTLS .. TRUE_ENTRY_CTLS
.vmx_true:
        call msr_line
        inc ecx
        cmp ecx, 0x490
        jbe .vmx_true
.no_true:
        test dword [procbased2_hi], 1 << (45 - 32)      ; enable VM functions
        jz .no_vmfunc
        mov ecx, 0x491                   ; IA32_VMX_VMFUNC
        call msr_line
.no_vmfunc:
        test dword [procbased_hi], 1 << (49 - 32)       ; activate tertiary controls
        jz .no_vmx
        mov ecx, 0x492                   ; IA32_VMX_PROCBASED_CTLS3
        call msr_line
.no_vmx:
        test dword [feat_ecx], (1 << 5) | (1 << 6)      ; VMX or SMX
        jz .no_fc
        mov ecx, 0x3A                    ; IA32_FEATURE_CONTROL
        call msr_line
.no_fc:
        test dword [feat_edx], 1 << 16   ; PAT
        jz .no_pat
        mov ecx, 0x277                   ; IA32_PAT
        call msr_line
.no_pat:
        test dword [feat_edx], 1 << 12   ; MTRR
        jz .done
        mov ecx, 0xFE                    ; IA32_MTRRCAP
        call msr_line
        mov [mtrrcap], eax
        mov ecx, 0x2FF                   ; IA32_MTRR_DEF_TYPE
        call msr_line
        test dword [mtrrcap], 1 << 8     ; fixed-range MTRRs supported
        jz .no_fixed
        mov ecx, 0x250                   ; IA32_MTRR_FIX64K_00000
        call msr_line
        mov ecx, 0x258                   ; IA32_MTRR_FIX16K_80000
        call msr_line
        mov ecx, 0x259                   ; IA32_MTRR_FIX16K_A0000
        call msr_line
        mov ecx, 0x268                   ; IA32_MTRR_FIX4K_C0000 .. IA32_MTRR_FIX4K_F8000
.fix4k: call msr_line
        inc ecx
        cmp ecx, 0x26F
        jbe .fix4k
.no_fixed:
        movzx ebx, byte [mtrrcap]        ; VCNT
        shl ebx, 1
        add ebx, 0x200
        mov ecx, 0x200                   ; IA32_MTRR_PHYSBASE0, IA32_MTRR_PHYSMASK0, ...
.var:   cmp ecx, ebx
        jae .done
        call msr_line
        inc ecx
        jmp .var

.done:  PUTS "done", 10
        mov al, 0
        jmp exit

; CPUID leaf [leaf], subleaf EDI; prints the line with the subleaf in hex
cpuid_sub:
        mov byte [any_sub], 0
        jmp cpuid_common
; CPUID leaf [leaf], ECX = 0; prints the line with subleaf "*"
cpuid_any:
        mov byte [any_sub], 1
        push edi
        xor edi, edi
        call cpuid_common
        pop edi
        ret
; leaves EAX..EDX also in r_eax..r_edx; preserves EBP, EDI
cpuid_common:
        mov eax, [leaf]
        mov ecx, edi
        cpuid
        mov [r_eax], eax
        mov [r_ebx], ebx
        mov [r_ecx], ecx
        mov [r_edx], edx
        PUTS "cpuid 0x"
        mov eax, [leaf]
        call puthex32
        cmp byte [any_sub], 0
        je .hexsub
        PUTS " *   "
        jmp .regs
.hexsub:
        PUTS " 0x"
        mov eax, edi
        call puthex8
.regs:  PUTS " 0x"
        mov eax, [r_eax]
        call puthex32
        PUTS " 0x"
        mov eax, [r_ebx]
        call puthex32
        PUTS " 0x"
        mov eax, [r_ecx]
        call puthex32
        PUTS " 0x"
        mov eax, [r_edx]
        call puthex32
        call newline
        mov eax, [r_eax]
        mov ebx, [r_ebx]
        mov ecx, [r_ecx]
        mov edx, [r_edx]
        ret

; RDMSR ECX; prints "msr 0x<index> 0x<16 digits>"; returns EDX:EAX, preserves ECX
msr_line:
        push ecx
        rdmsr
        push edx
        push eax
        PUTS "msr 0x"
        mov eax, [esp + 8]
        call puthex_min
        PUTS " 0x"
        mov eax, [esp + 4]
        call puthex32
        mov eax, [esp]
        call puthex32
        call newline
        pop eax
        pop edx
        pop ecx
        ret

; EAX in hex without leading zeros (at least one digit)
puthex_min:
        push ecx
        push edx
        mov ecx, 8
        mov edx, eax
.strip: cmp ecx, 1
        je .print
        test edx, 0xF0000000
        jnz .print
        shl edx, 4
        dec ecx
        jmp .strip
.print: call puthex_n
        pop edx
        pop ecx
        ret

        section .bss
        alignb 4
leaf:           resd 1
max_basic:      resd 1
max_ext:        resd 1
r_eax:          resd 1
r_ebx:          resd 1
r_ecx:          resd 1
r_edx:          resd 1
count:          resd 1
mask_lo:        resd 1
mask_hi:        resd 1
feat_ecx:       resd 1
feat_edx:       resd 1
vmx_basic_hi:   resd 1
procbased_hi:   resd 1
procbased2_hi:  resd 1
mtrrcap:        resd 1
any_sub:        resb 1
        alignb 16
        resb 4096
stack_top:
