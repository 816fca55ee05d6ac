; mbboot: a 512-byte boot sector that starts a Multiboot (v1) program under a PC BIOS.
;
; Bochs has no Multiboot loader, so src/scripts/run-bochs.sh boots a disk image made of this
; sector followed by the program file (an ELF32 or an a.out-kludge flat image):
;
;   LBA 0        this sector
;   LBA 1..127   the program file, padded (at most 127 * 512 = 65024 bytes)
;
; Real mode:  read LBA 1..127 to 0x10000 (INT 13h AH=42h), fill a Multiboot information block
;             at 0x9000 (flags bit 0: mem_lower from INT 12h, mem_upper from INT 15h E801h),
;             mask both PICs, enable A20 through port 0x92, load a flat GDT, CR0 = 0x11.
; 32-bit:     find the Multiboot header in the first 8 KiB, load the program (a.out kludge when
;             header flag bit 16 is set, else the ELF32 PT_LOAD segments by physical address,
;             zero-filling each .bss), then jump to the entry point in the state the Multiboot
;             spec defines: EAX = 0x2BADB002, EBX = 0x9000, CS/DS/ES/FS/GS/SS flat 4 GiB,
;             paging off, IF = 0, DF = 0. The GDT stays at 0x7C00+ (the program must set its
;             own before reloading a segment register, as the spec requires).
;
; On a load error it writes "mbboot: error\n" to port 0xE9, then "Shutdown" to port 0x8900 (Bochs
; quits) with EBX = 0xFE (the exit status run-bochs.sh reports), and halts.

MBI         equ 0x9000          ; Multiboot information block
IMAGE       equ 0x10000         ; where the program file is read
MB_MAGIC    equ 0x1BADB002      ; header magic
MB_BOOTED   equ 0x2BADB002      ; EAX value handed to the program

        bits 16
        org 0x7C00

start:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        cld
        sti
        jmp 0:.cs0                       ; normalise CS:IP to 0000:7Cxx
.cs0:
        ; DL = BIOS boot drive
        mov si, dap
        mov ah, 0x42
        int 0x13
        jc error16

        ; Multiboot info block: flags = 1 (mem_lower, mem_upper valid)
        mov di, MBI
        mov cx, 88 / 2
        xor ax, ax
        rep stosw
        mov byte [MBI], 1
        int 0x12                         ; AX = KiB of conventional memory
        mov [MBI + 4], ax
        mov ax, 0xE801
        xor cx, cx
        xor dx, dx
        int 0x15
        jc .mem_done
        jcxz .use_ax                     ; some BIOSes answer in AX/BX only
        mov ax, cx
        mov bx, dx
.use_ax:
        ; mem_upper (KiB above 1 MiB) = AX + BX * 64
        movzx eax, ax
        movzx ebx, bx
        shl ebx, 6
        add eax, ebx
        mov [MBI + 8], eax
.mem_done:
        cli
        mov al, 0xFF                     ; mask every PIC line
        out 0x21, al
        out 0xA1, al
        in al, 0x92                      ; fast A20, never the reset bit
        or al, 2
        and al, 0xFE
        out 0x92, al
        lgdt [gdtr]
        mov eax, 0x11                    ; PE, ET
        mov cr0, eax
        jmp 0x08:pm32

; Report a load error and end the run: "mbboot: error\n" to port 0xE9, then, with EBX = 0xFE
; (the status run-bochs.sh reports), "Shutdown" to port 0x8900. Assembled once per mode.
%macro LOAD_ERROR 0
        mov esi, errmsg                  ; 16-bit code: LODSB uses SI, the same low bits
%%print:
        lodsb
        test al, al
        jz %%shutdown
        out 0xE9, al
        jmp %%print
%%shutdown:
        mov ebx, 0xFE
        mov dx, 0x8900                   ; "Shutdown" follows errmsg's NUL
%%next: lodsb
        test al, al
        jz %%halt
        out dx, al
        jmp %%next
%%halt: cli
        hlt
        jmp %%halt
%endmacro

error16:
        LOAD_ERROR

        bits 32
pm32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, 0x7C00

        ; find the header: 4-byte aligned, within the first 8192 bytes, checksum zero
        mov edi, IMAGE
        mov ecx, 8192 / 4
.find:  cmp dword [edi], MB_MAGIC
        jne .next
        mov eax, [edi]
        add eax, [edi + 4]
        add eax, [edi + 8]
        jz .found
.next:  add edi, 4
        loop .find
        jmp error32

.found: test dword [edi + 4], 0x10000
        jz .elf
        ; a.out kludge: header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr
        push dword [edi + 28]            ; entry
        mov esi, edi
        sub esi, [edi + 12]
        add esi, [edi + 16]              ; file position of load_addr
        mov ecx, [edi + 20]
        sub ecx, [edi + 16]              ; bytes to copy
        mov edx, [edi + 24]              ; bss end (0: none)
        mov edi, [edi + 16]
        rep movsb
        mov ecx, edx
        sub ecx, edi
        jbe .go
        xor eax, eax
        rep stosb
        jmp .go

.elf:   mov esi, IMAGE
        push dword [esi + 0x18]          ; e_entry
        mov ebx, [esi + 0x1C]            ; e_phoff
        add ebx, esi
        movzx ebp, word [esi + 0x2A]     ; e_phentsize
        movzx edx, word [esi + 0x2C]     ; e_phnum
.ph:    test edx, edx
        jz .go
        cmp dword [ebx], 1               ; PT_LOAD
        jne .skip
        mov esi, IMAGE
        add esi, [ebx + 4]               ; p_offset
        mov edi, [ebx + 12]              ; p_paddr
        mov ecx, [ebx + 16]              ; p_filesz
        rep movsb
        mov ecx, [ebx + 20]              ; p_memsz
        sub ecx, [ebx + 16]
        xor eax, eax
        rep stosb
.skip:  add ebx, ebp
        dec edx
        jmp .ph

.go:    pop ecx
        mov eax, MB_BOOTED
        mov ebx, MBI
        jmp ecx

error32:
        LOAD_ERROR

errmsg: db "mbboot: error", 10, 0, "Shutdown", 0

        align 8
gdt:    dq 0
        dq 0x00CF9A000000FFFF            ; 0x08: code, base 0, 4 GiB, 32-bit
        dq 0x00CF92000000FFFF            ; 0x10: data, base 0, 4 GiB
gdtr:   dw gdtr - gdt - 1
        dd gdt

dap:    db 0x10, 0                       ; INT 13h AH=42h disk address packet
        dw 127                           ; sectors
        dw 0, IMAGE >> 4                 ; buffer offset, segment
        dq 1                             ; first LBA

        times 510 - ($ - $$) db 0
        dw 0xAA55
