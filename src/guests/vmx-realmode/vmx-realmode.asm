; vmx-realmode: an unrestricted guest (SDM "Unrestricted Guests") that starts in real mode,
; computes and prints in 16-bit code, switches itself to 32-bit protected mode and prints
; again, then VMCALLs. The 64-bit host (common/vmx64.inc) enables EPT (identity map) and
; "unrestricted guest", enters with CR0.PE = CR0.PG = 0, CS:IP = 0800:0000 (the guest code,
; copied to 0x8000), SS:SP = 0000:7000; the guest prints through ports 0xE9 and COM1 itself
; (no I/O exiting). After the VMCALL exit the host prints the guest's CR0, CS selector and
; access rights, and RIP as the VMCS holds them.
; A Multiboot v1 a.out-kludge image; Bochs only. Exit status 0.

%include "flat64.inc"
%include "vmx64.inc"

GUEST_BASE                  equ 0x8000  ; linear address of the real-mode code (CS = 0x0800)
CPU2_UNRESTRICTED_GUEST     equ 1 << 7
GUEST_CS_SELECTOR           equ 0x0802
GUEST_CS_AR_BYTES           equ 0x4816
CR0_GUEST_HOST_MASK         equ 0x6000
CR4_GUEST_HOST_MASK         equ 0x6002
CR0_READ_SHADOW             equ 0x6004
CR4_READ_SHADOW             equ 0x6006

        bits 64
main64:
        PUTS64 "vmx-realmode: 64-bit host", 10
        call vmx_enter

        ; the guest code to 0x8000
        mov esi, section..real16.start
        mov edi, GUEST_BASE
        mov ecx, real16_end
        rep movsb

        mov dword [rel want_proc], CPU_HLT_EXITING | CPU_ACTIVATE_SECONDARY
        mov dword [rel want_proc2], CPU2_ENABLE_EPT | CPU2_UNRESTRICTED_GUEST
        mov dword [rel want_entry], 0    ; not an IA-32e mode guest
        mov qword [rel guest_entry], 0   ; IP 0 in CS 0x0800
        call setup_vmcs
        call build_identity_ept
        VMW EPT_POINTER, rax

        ; real-mode guest state (SDM "Checks on Guest Segment Registers", unrestricted case)
        VMW GUEST_CR0, (1 << 5) | (1 << 4)              ; NE, ET; PE = PG = 0
        VMW GUEST_CR3, 0
        VMW GUEST_CR4, 1 << 13                          ; VMXE (IA32_VMX_CR4_FIXED0)
        VMW CR0_GUEST_HOST_MASK, 1 << 5                 ; NE belongs to the host
        VMW CR0_READ_SHADOW, 1 << 5
        VMW CR4_GUEST_HOST_MASK, 1 << 13                ; VMXE too
        VMW CR4_READ_SHADOW, 0
        xor ebx, ebx                     ; ES, CS, SS, DS, FS, GS: selector 0, base 0, 64 KiB
.seg:   lea eax, [GUEST_ES_SELECTOR + rbx * 2]
        xor edx, edx
        vmwrite rax, rdx
        call check_vmx
        lea eax, [GUEST_ES_BASE + rbx * 2]
        vmwrite rax, rdx
        call check_vmx
        lea eax, [GUEST_ES_LIMIT + rbx * 2]
        mov edx, 0xFFFF
        vmwrite rax, rdx
        call check_vmx
        lea eax, [GUEST_ES_AR_BYTES + rbx * 2]
        mov edx, 0x93                    ; present, data, read/write, accessed
        vmwrite rax, rdx
        call check_vmx
        inc ebx
        cmp ebx, 6
        jne .seg
        VMW GUEST_CS_SELECTOR, GUEST_BASE >> 4
        VMW GUEST_ES_BASE + 2, GUEST_BASE                ; CS base
        VMW GUEST_CS_AR_BYTES, 0x9B                      ; present, code, execute/read, accessed
        VMW GUEST_TR_SELECTOR, 0
        VMW GUEST_TR_BASE, 0
        VMW GUEST_TR_LIMIT, 0xFFFF
        VMW GUEST_TR_AR_BYTES, 0x8B                      ; busy 32-bit TSS
        VMW GUEST_GDTR_BASE, 0
        VMW GUEST_GDTR_LIMIT, 0xFFFF
        VMW GUEST_IDTR_BASE, 0
        VMW GUEST_IDTR_LIMIT, 0x3FF                      ; the real-mode interrupt vector table
        VMW GUEST_RSP, 0x7000
        VMW GUEST_RIP, 0

        PUTS64 "vmlaunch", 10
        vmlaunch
        VMX_FAILED "vmlaunch"

vm_exit:
        call print_exit
        call print_exit_length
        call print_guest_rip
        call newline64
        cmp ebx, 18
        jne .unexpected
        mov eax, GUEST_CR0
        vmread rax, rax
        PUTHEX64 "guest cr0", rax
        mov eax, GUEST_CS_SELECTOR
        vmread rax, rax
        PUTHEX64 "guest cs", rax
        mov eax, GUEST_CS_AR_BYTES
        vmread rax, rax
        PUTHEX64 "guest cs access rights", rax
        jmp vmx_leave
.unexpected:
        mov al, 3
        jmp exit64

; ---------------------------------------------------------------------------------------------
; The guest, copied to GUEST_BASE; offsets count from 0 (CS base GUEST_BASE).
        section .real16
        bits 16
real_entry:
        mov ax, cs
        mov ds, ax
        mov si, r_hello
        call r_puts

        ; 16-bit MUL and DIV
        mov si, r_mul
        call r_puts
        mov ax, 0x1234
        mov bx, 0x5678
        mul bx                           ; DX:AX = 0x06260060
        call r_put_dx_ax
        mov si, r_div
        call r_puts
        mov dx, 0x0012
        mov ax, 0x3456
        mov bx, 0x1000
        div bx                           ; AX = 0x0123, DX = 0x0456
        xchg ax, dx                      ; print quotient (now DX), then remainder
        call r_put_dx_ax

        ; segment arithmetic: 1000:0010 and 1001:0000 are the same byte
        mov si, r_alias
        call r_puts
        mov ax, 0x1000
        mov es, ax
        mov word [es:0x0010], 0xBEEF
        mov ax, 0x1001
        mov es, ax
        mov ax, [es:0x0000]
        xor dx, dx
        call r_put_dx_ax

        ; to protected mode: flat GDT, CR0.PE, far jump to 32-bit code
        cli
        lgdt [r_gdtr]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp dword 0x08:(GUEST_BASE + r_pm32)

; AL to port 0xE9 and COM1 (LSR bit 5 before the byte)
r_putc:
        push dx
        push ax
        out 0xE9, al
        mov ah, al
        mov dx, 0x3FD
.wait:  in al, dx
        test al, 0x20
        jz .wait
        mov al, ah
        mov dx, 0x3F8
        out dx, al
        pop ax
        pop dx
        ret

; DS:SI: NUL-terminated string
r_puts:
        push ax
.l:     lodsb
        test al, al
        jz .done
        call r_putc
        jmp .l
.done:  pop ax
        ret

; DX:AX as 8 hex digits, then a newline
r_put_dx_ax:
        push cx
        push bx
        mov bx, ax
        mov ax, dx
        call r_puthex16
        mov ax, bx
        call r_puthex16
        mov al, 10
        call r_putc
        pop bx
        pop cx
        ret

; AX as 4 hex digits
r_puthex16:
        push ax
        push cx
        push dx
        mov dx, ax
        mov cx, 4
.l:     rol dx, 4
        mov al, dl
        and al, 0x0F
        cmp al, 10
        jb .digit
        add al, 'a' - '0' - 10
.digit: add al, '0'
        call r_putc
        loop .l
        pop dx
        pop cx
        pop ax
        ret

        bits 32
r_pm32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 0x7000
        mov esi, GUEST_BASE + r_pm_msg
        mov eax, puts                    ; io32.inc's, at its linear address (flat segments)
        call eax
        vmcall

        align 8
r_gdt:  dq 0
        dq 0x00CF9A000000FFFF            ; 0x08: 32-bit code, base 0, 4 GiB
        dq 0x00CF92000000FFFF            ; 0x10: data, base 0, 4 GiB
r_gdtr: dw r_gdtr - r_gdt - 1
        dd GUEST_BASE + r_gdt

r_hello:  db "guest: real mode", 10, 0
r_mul:    db "guest: mul 1234*5678 = ", 0
r_div:    db "guest: div 00123456/1000 = quotient:remainder ", 0
r_alias:  db "guest: 1001:0000 after writing 1000:0010 = ", 0
r_pm_msg: db "guest: 32-bit protected mode", 10, 0
real16_end:

        section .text
        bits 64
        FLAT64_END
