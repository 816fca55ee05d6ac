bits 64
org 0x10000
; sort 16 qwords at 0x3000 (bubble sort), then compute a checksum and a sieve of primes < 1000
start:
    mov rsi, 0x3000
    mov ecx, 16
outer:
    dec ecx
    jz sorted
    xor edx, edx
    xor ebx, ebx
inner:
    mov rax, [rsi+rbx*8]
    mov rdi, [rsi+rbx*8+8]
    cmp rax, rdi
    jle noswap
    mov [rsi+rbx*8], rdi
    mov [rsi+rbx*8+8], rax
    mov edx, 1
noswap:
    inc ebx
    cmp ebx, ecx
    jb inner
    test edx, edx
    jnz outer
sorted:
    ; checksum = sum of (i+1) * a[i]
    xor r8, r8
    xor ebx, ebx
csum:
    lea rax, [rbx+1]
    imul rax, [rsi+rbx*8]
    add r8, rax
    inc ebx
    cmp ebx, 16
    jne csum
    ; sieve: bytes at 0x4000..0x4000+999, count primes into r9
    mov rdi, 0x4000
    mov ecx, 1000
    mov al, 1
    rep stosb
    mov byte [0x4000], 0
    mov byte [0x4001], 0
    mov ebx, 2
sieve:
    mov eax, ebx
    imul eax, ebx
    cmp eax, 1000
    jae count
    cmp byte [0x4000+rbx], 0
    je next
mark:
    mov byte [0x4000+rax], 0
    add eax, ebx
    cmp eax, 1000
    jb mark
next:
    inc ebx
    jmp sieve
count:
    xor r9d, r9d
    xor ebx, ebx
cnt:
    movzx eax, byte [0x4000+rbx]
    add r9d, eax
    inc ebx
    cmp ebx, 1000
    jne cnt
    hlt
