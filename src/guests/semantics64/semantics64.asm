; semantics64: instruction details that emulators get wrong, in 64-bit mode, for both oracles.
; Each line is a value the SDM defines exactly (no undefined flags are printed):
;   string instructions: REP MOVSB forward and backward (DF = 1), overlapping copy, REP STOSD,
;     REPE CMPSB (stops at the first difference; RCX and RSI afterwards), REPNE SCASB
;   bit strings: BT/BTS/BTR/BTC on memory with a register offset outside the addressed dword
;     (SDM "BT": the offset selects a bit anywhere relative to the address, also negative)
;   CMPXCHG (equal and not equal), XADD, CMPXCHG16B, XCHG with memory
;   shifts and rotates by 0 (flags unchanged), 32-bit operations zeroing bits 63:32, MOVSX/MOVSXD
;   SETcc/CMOVcc (CMOV with a false condition still zeroes bits 63:32 of a 32-bit destination)
;   ENTER/LEAVE with nesting level 2, LOOP/JRCXZ, XLAT
; Exit status 0. A Multiboot v1 a.out-kludge image (common/flat64.inc).

%include "flat64.inc"

        bits 64
main64:
        PUTS64 "semantics64: 64-bit mode", 10
        cld

        ; ---- strings ----
        lea rsi, [rel src_text]
        lea rdi, [rel buf]
        mov ecx, 16
        rep movsb
        PUTHEX64 "movsb forward, buf[8..15]", [rel buf + 8]
        lea rsi, [rel src_text + 15]
        lea rdi, [rel buf2 + 15]
        mov ecx, 16
        std
        rep movsb                        ; backward: the same bytes
        cld
        PUTHEX64 "movsb backward, buf2[0..7]", [rel buf2]
        ; overlapping: copy buf[0..14] to buf[1..15] forward: the first byte smears
        lea rsi, [rel buf]
        lea rdi, [rel buf + 1]
        mov ecx, 15
        rep movsb
        PUTHEX64 "overlapping forward movsb, buf[0..7]", [rel buf]
        lea rdi, [rel buf]
        mov eax, 0xA5A5A5A5
        mov ecx, 3
        rep stosd
        PUTHEX64 "rep stosd, buf[8..15]", [rel buf + 8]
        lea rdx, [rel buf]
        sub rdi, rdx
        PUTHEX64 "rep stosd, rdi advance", rdi
        lea rsi, [rel src_text]
        lea rdi, [rel cmp_text]
        mov ecx, 16
        repe cmpsb
        lea rdx, [rel src_text]
        sub rsi, rdx
        PUTHEX64 "repe cmpsb, rcx left", rcx
        PUTHEX64 "repe cmpsb, rsi advance", rsi
        lea rdi, [rel src_text]
        mov al, 'm'
        mov ecx, 16
        repne scasb
        PUTHEX64 "repne scasb for 'm', rcx left", rcx

        ; ---- bit strings in memory ----
        lea rbx, [rel bitstr]
        mov rax, 100                     ; bit 100: dword 3, bit 4
        bts [rbx], rax
        mov rax, -1                      ; bit -1: the top bit of the byte before
        bts qword [rbx + 8], rax
        mov eax, 67
        btc dword [rbx], eax
        mov eax, 3
        btr dword [rbx + 12], eax        ; clears nothing (bit 3 of dword 3 is 0)
        PUTHEX64 "bts/btc/btr, bitstr[0..7]", [rel bitstr]
        PUTHEX64 "bts/btc/btr, bitstr[8..15]", [rel bitstr + 8]
        mov rax, 100
        bt [rbx], rax
        setc al
        movzx eax, al
        PUTHEX64 "bt bit 100", rax

        ; ---- atomics and exchanges ----
        mov qword [rel cell], 5
        mov eax, 5
        mov ecx, 9
        lock cmpxchg [rel cell], rcx     ; equal: store 9, ZF = 1
        setz dl
        movzx edx, dl
        PUTHEX64 "cmpxchg equal: cell", [rel cell]
        PUTHEX64 "cmpxchg equal: zf", rdx
        mov eax, 5
        mov ecx, 11
        cmpxchg [rel cell], rcx          ; not equal: RAX = 9, cell unchanged
        PUTHEX64 "cmpxchg not equal: rax", rax
        mov ecx, 0x10
        lock xadd [rel cell], rcx
        PUTHEX64 "xadd: old", rcx
        PUTHEX64 "xadd: cell", [rel cell]
        mov rax, 0x1111
        mov rdx, 0x2222
        mov rbx, 0x3333
        mov rcx, 0x4444
        lea rdi, [rel pair]
        mov qword [rdi], 0x1111
        mov qword [rdi + 8], 0x2222
        lock cmpxchg16b [rdi]
        PUTHEX64 "cmpxchg16b: low", [rel pair]
        PUTHEX64 "cmpxchg16b: high", [rel pair + 8]
        mov rax, 0x77
        xchg [rel cell], rax
        PUTHEX64 "xchg: old cell", rax

        ; ---- widths and zero-extension ----
        mov rax, -1
        mov eax, eax
        PUTHEX64 "mov eax, eax zero-extends", rax
        mov rax, -1
        add eax, 0
        PUTHEX64 "add eax, 0 zero-extends", rax
        mov rax, -1
        mov ax, 0x1234
        PUTHEX64 "mov ax keeps 63:16", rax
        mov rax, -1
        mov al, 0
        mov ah, 0x12
        PUTHEX64 "mov al/ah keep the rest", rax
        mov ecx, 0x80000000
        movsxd rax, ecx
        PUTHEX64 "movsxd", rax
        mov cl, 0x80
        movsx rax, cl
        PUTHEX64 "movsx from a byte", rax
        mov rax, -1
        xor ecx, ecx
        cmp ecx, 1                       ; ZF = 0
        cmovz eax, ecx                   ; false, but 32-bit: bits 63:32 cleared
        PUTHEX64 "cmovz false, 32-bit destination", rax
        mov rax, 0x1234
        stc
        shl rax, 0                       ; count 0: CF stays 1
        setc al
        movzx eax, al
        PUTHEX64 "shl by 0 keeps cf", rax
        mov rax, 0x8000000000000001
        mov cl, 64 + 1                   ; masked to 1
        rol rax, cl
        PUTHEX64 "rol by 65 = rol by 1", rax
        mov eax, 0x80000001
        mov cl, 33                       ; 32-bit: masked to 1
        ror eax, cl
        PUTHEX64 "ror eax by 33", rax

        ; ---- frames, loops, table lookup ----
        lea rbp, [rel outer_frame]       ; [rbp - 8] = 0x5555: what ENTER copies
        enter 0x20, 2                    ; pushes RBP, copies 1 outer frame pointer, then RBP
        mov rax, rsp
        mov rdx, rbp
        sub rdx, rax
        PUTHEX64 "enter 0x20,2: rbp - rsp", rdx
        mov rax, [rbp - 8]
        PUTHEX64 "enter 0x20,2: [rbp-8] (outer frame pointer copy)", rax
        leave
        lea rdx, [rel outer_frame]
        sub rbp, rdx
        PUTHEX64 "leave restores rbp (rbp - outer frame)", rbp
        mov ecx, 5
        xor eax, eax
.loop:  add eax, ecx
        loop .loop
        PUTHEX64 "loop sum 5..1", rax
        xor ecx, ecx
        mov eax, 1
        jrcxz .zero
        mov eax, 2
.zero:  PUTHEX64 "jrcxz taken", rax
        lea rbx, [rel src_text]
        mov eax, 4
        xlatb
        movzx eax, al
        PUTHEX64 "xlat index 4", rax

        PUTS64 "done", 10
        mov al, 0
        jmp exit64

        section .rodata
src_text:       db "semantics of x86"
cmp_text:       db "semantics OF x86"

        section .data
        align 16
buf:            times 16 db 0
buf2:           times 16 db 0
bitstr:         dq 0x00000000000000F0, 0
cell:           dq 0
        align 16
pair:           dq 0, 0                  ; CMPXCHG16B needs 16-byte alignment
                dq 0x5555
outer_frame:

        FLAT64_END
