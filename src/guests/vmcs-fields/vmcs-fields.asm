; vmcs-fields: which VMCS field encodings the processor supports. With a current VMCS, VMREAD
; of every encoding of the SDM's layout (appendix "Field Encoding in VMCS": bit 0 access type,
; bits 9:1 index, bits 11:10 type, bits 14:13 width; here index 0..63) and prints, one a line,
;   "0xEEEE"   for each encoding VMREAD accepts,
; then the number of encodings accepted and the number rejected with VMfailValid(12),
; "VMREAD/VMWRITE from/to unsupported VMCS component". Any other outcome is printed with its
; encoding. The highest index accepted must agree with IA32_VMX_VMCS_ENUM[9:1], printed first.
; A Multiboot v1 a.out-kludge image; Bochs only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

IA32_VMX_VMCS_ENUM equ 0x48A

        bits 64
main64:
        PUTS64 "vmcs-fields: 64-bit host", 10
        call vmx_enter
        mov ecx, IA32_VMX_VMCS_ENUM
        rdmsr
        shr eax, 1
        and eax, 0x1FF
        PUTHEX64 "IA32_VMX_VMCS_ENUM highest index", rax

        xor r12d, r12d                   ; accepted
        xor r13d, r13d                   ; rejected with error 12
        xor ebx, ebx                     ; width:type << 7 | index << 1 | access
.next:  ; encoding: access and index 0..63 from EBX[6:0] (bits 9:7 stay 0), type from EBX[8:7]
        ; into bits 11:10, width from EBX[10:9] into bits 14:13 (bit 12 is reserved)
        mov eax, ebx
        and eax, 0x7F
        mov edx, ebx
        shr edx, 7
        and edx, 3
        shl edx, 10
        or eax, edx
        mov edx, ebx
        shr edx, 9
        and edx, 3
        shl edx, 13
        or eax, edx
        test eax, 1                      ; the "high" access type exists for 64-bit fields only
        jz .read
        mov edx, eax
        shr edx, 13
        cmp edx, 1
        jne .skip
.read:  vmread rdx, rax
        jc .other
        jz .failvalid
        inc r12d
        PUTS64 "0x"
        mov ecx, 4
        call puthex_n64
        call newline64
        jmp .skip
.failvalid:
        mov esi, eax
        mov eax, VM_INSTRUCTION_ERROR
        vmread rdx, rax
        cmp edx, 12
        jne .other_esi
        inc r13d
        jmp .skip
.other_esi:
        mov eax, esi
.other: PUTS64 "unexpected outcome for 0x"
        mov ecx, 4
        call puthex_n64
        call newline64
.skip:  inc ebx
        cmp ebx, 1 << 11                 ; 7 bits of access/index, 4 bits of type/width
        jb .next

        PUTHEX64 "accepted", r12
        PUTHEX64 "rejected with VMfailValid(12)", r13
        jmp vmx_leave

vm_exit:
        PUTS64 "unexpected VM exit", 10
        mov al, 3
        jmp exit64

        FLAT64_END
