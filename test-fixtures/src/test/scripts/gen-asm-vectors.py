#!/usr/bin/env python3
"""Generates the assembler test vectors with GNU binutils as the oracle.

For every instruction text below (GNU Intel syntax, `.intel_syntax noprefix`) in each mode
(.code16/.code32/.code64), assembles it with `as`, takes its bytes from the object file and
writes one line per vector to src/test/resources/asm/vectors-<mode>.txt:

    <mode> | <hex bytes> | <GNU text>

A vector may hold several statements separated by ';' (e.g. a branch and its label, labels
are written `.Lname:`); the bytes are then those of all statements together. The generated
files are committed so the Java tests need no binutils.

Usage (from the repository root):  python3 test-fixtures/src/test/scripts/gen-asm-vectors.py
Needs: GNU as and objdump (Debian package binutils); tested with binutils 2.40.
"""
import os
import random
import re
import subprocess
import sys
import tempfile

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "asm")

ALU = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]
SHIFTS = ["rol", "ror", "rcl", "rcr", "shl", "sal", "shr", "sar"]
CONDS = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g",
         "c", "nc", "z", "nz", "nae", "nb", "na", "nbe", "pe", "po", "nge", "nl", "ng", "nle"]


# Not vectors on purpose (documented in docs/ASSEMBLER.md):
# - "int 3": GNU as emits INT3 (CC); our intn(3) emits CD 03, because the two differ for VMX
#   (software exception vs. software interrupt in the VM-exit interruption information).

def common(m):
    """Vectors valid in mode m (16, 32, 64), with registers and addressing of that mode."""
    v = []
    A = {16: "ax", 32: "eax", 64: "rax"}[m]
    C = {16: "cx", 32: "ecx", 64: "rcx"}[m]
    D = {16: "dx", 32: "edx", 64: "rdx"}[m]
    B = {16: "bx", 32: "ebx", 64: "rbx"}[m]
    SP = {16: "sp", 32: "esp", 64: "rsp"}[m]
    # memory operands in the mode's natural addressing
    if m == 16:
        mems = ["[bx]", "[bx+si]", "[bp+di+0x10]", "[bp]", "[si-0x80]", "[di+0x1234]", "ds:0x1234", "[bx+si+0x7f]"]
    elif m == 32:
        mems = ["[ebx]", "[ebx+ecx*4]", "[ebp+0x10]", "[esp]", "[esp+8]", "[ebp]", "[eax+0x12345678]",
                "[ecx*8+0x100]", "ds:0x1000", "[edi+esi*2-0x20]"]
    else:
        mems = ["[rbx]", "[rbx+rcx*4]", "[rbp+0x10]", "[rsp]", "[rsp+8]", "[rbp]", "[r12]", "[r13]",
                "[rax+0x12345678]", "[rcx*8+0x100]", "[r8+r9*2-0x20]", "ds:0x1000", "[rip+0x100]",
                "[ebx+ecx*4]", "[r15+rax]"]
    bigs = ["WORD", "DWORD"] + (["QWORD"] if m == 64 else [])
    R = {"WORD": ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"],
         "DWORD": ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"],
         "QWORD": ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"],
         "BYTE": ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"]}
    # ---- ALU
    for i, op in enumerate(ALU):
        r8a, r8b = R["BYTE"][i % 8], R["BYTE"][(i + 3) % 8]
        v.append(f"{op} {r8a}, {r8b}")
        v.append(f"{op} al, 0x12")
        v.append(f"{op} {r8a}, 0x7f")
        for s in bigs:
            ra, rb = R[s][i % 8], R[s][(i + 5) % 8]
            v.append(f"{op} {ra}, {rb}")
            v.append(f"{op} {ra}, 1")
            v.append(f"{op} {ra}, -2")
            v.append(f"{op} {ra}, 0x1000")
            v.append(f"{op} {R[s][0]}, 0x1000")
            v.append(f"{op} {s} PTR {mems[i % len(mems)]}, {rb}")
            v.append(f"{op} {rb}, {s} PTR {mems[(i + 1) % len(mems)]}")
        v.append(f"{op} BYTE PTR {mems[(i + 2) % len(mems)]}, 0x55")
        v.append(f"{op} DWORD PTR {mems[(i + 3) % len(mems)]}, 0x12345")
        v.append(f"{op} WORD PTR {mems[(i + 4) % len(mems)]}, -1")
    v += [f"add {A}, 0x7f", f"add {A}, -0x80", f"add {A}, 0x80", "add ax, 0xffff", "add eax, 0xffffffff",
          "add al, -1", "cmp al, 0xff", "lock add DWORD PTR " + mems[0] + ", 1", "lock or BYTE PTR " + mems[1] + ", cl",
          "lock sub WORD PTR " + mems[0] + ", ax", "lock and DWORD PTR " + mems[2] + ", ecx",
          "lock xor DWORD PTR " + mems[3] + ", 0x100", "lock adc DWORD PTR " + mems[0] + ", edx",
          "lock sbb BYTE PTR " + mems[0] + ", 1"]
    for op in ["inc", "dec", "not", "neg", "mul", "imul", "div", "idiv"]:
        v += [f"{op} cl", f"{op} {C}", f"{op} dx", f"{op} BYTE PTR {mems[0]}", f"{op} DWORD PTR {mems[1]}",
              f"{op} WORD PTR {mems[2]}"]
        if m == 64:
            v += [f"{op} r9", f"{op} QWORD PTR {mems[4]}", f"{op} r10b", f"{op} sil"]
    v += ["lock inc DWORD PTR " + mems[0], "lock dec WORD PTR " + mems[1], "lock not BYTE PTR " + mems[0],
          "lock neg DWORD PTR " + mems[2]]
    v += [f"imul {C}, {D}", f"imul {C}, DWORD PTR {mems[1]}".replace("DWORD", {16: "WORD", 32: "DWORD", 64: "QWORD"}[m]),
          f"imul {C}, {D}, 5", f"imul {C}, {D}, 0x1000", "imul eax, ecx, -3", "imul ax, WORD PTR " + mems[3] + ", 0x300"]
    v += ["test al, cl", "test cl, dl", f"test {C}, {D}", "test ecx, eax", "test al, 5", "test ax, 0x100",
          "test eax, 0x10000", "test cl, 1", "test ecx, 0x10", f"test DWORD PTR {mems[0]}, eax",
          f"test BYTE PTR {mems[1]}, 0x80", f"test WORD PTR {mems[2]}, 0x8000", f"test eax, DWORD PTR {mems[3]}"]
    for op in SHIFTS:
        v += [f"{op} al, 1", f"{op} {C}, 1", f"{op} dx, cl", f"{op} BYTE PTR {mems[0]}, cl", f"{op} eax, 4",
              f"{op} DWORD PTR {mems[1]}, 3", f"{op} WORD PTR {mems[2]}, 1", f"{op} bl, 7"]
        if m == 64:
            v += [f"{op} r11, cl", f"{op} QWORD PTR {mems[5]}, 63"]
    v += ["shld eax, ecx, 4", "shld ax, dx, cl", f"shld DWORD PTR {mems[0]}, ebx, 8", "shrd eax, ecx, 4",
          "shrd ax, dx, cl", f"shrd DWORD PTR {mems[1]}, esi, cl"]
    for i, op in enumerate(["bt", "bts", "btr", "btc"]):
        v += [f"{op} eax, ecx", f"{op} WORD PTR {mems[i]}, dx", f"{op} ecx, 5", f"{op} DWORD PTR {mems[i + 1]}, 31"]
        if op != "bt":
            v += [f"lock {op} DWORD PTR {mems[i]}, ecx"]
    v += ["bsf eax, ecx", f"bsf ax, WORD PTR {mems[0]}", "bsr edx, ebx", f"bsr ecx, DWORD PTR {mems[1]}",
          "popcnt eax, ecx", "popcnt ax, dx", "lzcnt ecx, edx", f"lzcnt eax, DWORD PTR {mems[2]}", "tzcnt eax, ebx",
          "tzcnt si, di", "adcx eax, ecx", f"adcx edx, DWORD PTR {mems[0]}", "adox eax, ecx", f"adox ebx, DWORD PTR {mems[1]}"]
    if m != 16:
        v += ["andn eax, ecx, edx", f"andn eax, ebx, DWORD PTR {mems[0]}", "bextr eax, ecx, edx",
              "blsi eax, ecx", "blsmsk edx, DWORD PTR " + mems[1], "blsr esi, edi", "bzhi eax, ecx, edx",
              "mulx eax, ecx, edx", "pdep eax, ecx, edx", "pext eax, ecx, DWORD PTR " + mems[2], "rorx eax, ecx, 5",
              "sarx eax, ecx, edx", "shlx eax, DWORD PTR " + mems[0] + ", edx", "shrx edi, esi, ebx"]
    # ---- MOV family
    v += ["mov al, cl", "mov ch, dl", f"mov {C}, {D}", "mov ax, bx", "mov eax, ebx", f"mov {B}, {SP}",
          f"mov BYTE PTR {mems[0]}, al", f"mov ah, BYTE PTR {mems[1]}", f"mov DWORD PTR {mems[2]}, ecx",
          f"mov edx, DWORD PTR {mems[3]}", f"mov WORD PTR {mems[4]}, si", f"mov di, WORD PTR {mems[5]}",
          "mov al, 0x12", "mov bh, 0xff", "mov ax, 0x1234", "mov ecx, 0x12345678", "mov edi, -1",
          f"mov BYTE PTR {mems[0]}, 0x12", f"mov WORD PTR {mems[1]}, 0x1234", f"mov DWORD PTR {mems[2]}, 0x12345678",
          f"mov {A}, 0", f"mov {C}, 10",
          "mov ds, ax", "mov es, bx", "mov ss, ax", "mov fs, cx", "mov gs, dx", "mov ax, ds", "mov bx, cs",
          "mov ecx, ss", f"mov WORD PTR {mems[0]}, es", f"mov ds, WORD PTR {mems[1]}",
          "mov al, BYTE PTR ds:0x1000", f"mov {A}, {'QWORD' if m == 64 else 'DWORD' if m == 32 else 'WORD'} PTR ds:0x2000",
          "mov BYTE PTR ds:0x1000, al", "mov DWORD PTR ds:0x1000, eax", "mov WORD PTR ds:0x1000, ax",
          "mov eax, DWORD PTR fs:" + mems[0], "mov ebx, DWORD PTR es:" + mems[1], "mov cl, BYTE PTR cs:" + mems[0],
          "mov ecx, DWORD PTR gs:" + mems[2], "mov edx, DWORD PTR ss:" + mems[0], "mov edx, DWORD PTR ds:" + mems[5],
          "movzx eax, cl", "movzx ax, bl", "movzx ecx, WORD PTR " + mems[0], "movzx edx, BYTE PTR " + mems[1],
          "movsx eax, cl", "movsx ax, bl", "movsx ecx, WORD PTR " + mems[0], "movsx edx, BYTE PTR " + mems[1],
          f"movbe eax, DWORD PTR {mems[0]}", f"movbe WORD PTR {mems[1]}, cx",
          "xchg eax, ecx", "xchg ecx, eax", "xchg ax, dx", "xchg ecx, edx", "xchg al, cl", f"xchg DWORD PTR {mems[0]}, ebx",
          f"xchg ebx, DWORD PTR {mems[1]}", f"xchg BYTE PTR {mems[0]}, dl", f"lock xchg DWORD PTR {mems[0]}, eax",
          "cmpxchg ecx, edx", f"cmpxchg BYTE PTR {mems[0]}, bl", f"lock cmpxchg DWORD PTR {mems[1]}, ecx",
          f"cmpxchg8b QWORD PTR {mems[0]}", f"lock cmpxchg8b QWORD PTR {mems[2]}",
          "xadd eax, ecx", f"xadd BYTE PTR {mems[0]}, al", f"lock xadd DWORD PTR {mems[1]}, edx",
          "bswap eax", "bswap edi",
          f"lea eax, [{mems[1][1:-1]}]" if m != 16 else "lea ax, [bx+si+0x10]", f"lea {C}, {mems[2]}",
          f"lea {D}, {mems[0]}"]
    v += ["xchg ax, ax", "nop", "nop DWORD PTR [eax]" if m != 16 else "nop WORD PTR [bx]", "pause", "xlatb"]
    # ---- stack
    v += [f"push {A}", f"push {SP}", f"pop {C}", f"pop {B}", "push 1", "push -1", "push 0x1000", "push 0x7f",
          f"push {'QWORD' if m == 64 else 'DWORD' if m == 32 else 'WORD'} PTR {mems[0]}",
          f"pop {'QWORD' if m == 64 else 'DWORD' if m == 32 else 'WORD'} PTR {mems[1]}",
          "push fs", "push gs", "pop fs", "pop gs", "push ax", "pop dx", "pushf", "popf", "pushfw", "popfw",
          "enter 0x10, 0", "enter 0x100, 1", "leave"]
    if m != 64:
        v += ["push es", "push cs", "push ss", "push ds", "pop es", "pop ss", "pop ds", "pusha", "popa",
              "pushad", "popad", "pushfd", "popfd", "push eax", "pop ecx", "inc eax", "dec ecx", "inc ax", "dec di", "into"]
    else:
        v += ["push r8", "pop r15", "push r12", "pop rbp", "push QWORD PTR [r13+8]", "pop QWORD PTR [rip+0x20]"]
    v += ["cbw", "cwde", "cwd", "cdq", "lahf", "sahf", "clc", "stc", "cmc", "cld", "std", "cli", "sti",
          "cpuid", "rdtsc", "rdtscp", f"rdrand {C}", "rdrand ax", f"rdseed {D}", "rdseed eax", "ud2", "hlt",
          "int3", "int1", "int 0x80", "int 0x4", "iretd", "iretw", "ret", "ret 8"]
    if m != 64:
        v += ["iret", "retf", "retf 0x10", "sysexit"]
    # ---- strings
    for op in ["movs", "cmps", "stos", "lods", "scas", "ins", "outs"]:
        v += [op + "b", op + "w", op + "d"]
    v += ["rep movsb", "rep movsd", "rep stosb", "rep stosw", "repe cmpsb", "repne scasb", "repz cmpsd",
          "repnz scasw", "rep lodsb", "rep insb", "rep outsd"]
    # ---- system
    v += [f"lgdt [{mems[0][1:-1]}]" if mems[0].startswith("[") else "", f"lidt {mems[1]}", f"sgdt {mems[2]}",
          f"sidt {mems[0]}", "lldt ax", f"lldt WORD PTR {mems[0]}", "ltr cx", f"ltr WORD PTR {mems[1]}",
          "sldt ax", "str dx", f"sldt WORD PTR {mems[1]}", f"str WORD PTR {mems[2]}", "smsw eax", "smsw ax",
          f"sbb cl, BYTE PTR {mems[0]}", "lmsw ax", "smsw WORD PTR " + mems[0], f"invlpg {mems[0]}", f"invlpg {mems[2]}",
          "rdmsr", "wrmsr", "rdpmc", "clts", "invd", "wbinvd", "xgetbv", "xsetbv", "lfence", "mfence", "sfence",
          "in al, 0x60", "in ax, 0x60", "in eax, 0x80", "in al, dx", "in ax, dx", "in eax, dx",
          "out 0x80, al", "out 0x80, ax", "out 0xe9, eax", "out dx, al", "out dx, ax", "out dx, eax",
          "sysenter"]
    nat = "rax" if m == 64 else "eax"
    nb = "rbx" if m == 64 else "ebx"
    v += [f"mov cr0, {nat}", f"mov cr3, {nb}", f"mov cr4, {nat}", f"mov {nat}, cr0", f"mov {nb}, cr2",
          f"mov {nat}, cr4", f"mov dr0, {nat}", f"mov dr7, {nb}", f"mov {nat}, dr6", f"mov {nb}, dr3"]
    # ---- VMX
    v += [f"vmxon QWORD PTR {mems[0]}", f"vmclear QWORD PTR {mems[1]}", f"vmptrld QWORD PTR {mems[2]}",
          f"vmptrst QWORD PTR {mems[0]}", f"vmread {nat}, {nb}", f"vmread {'QWORD' if m == 64 else 'DWORD'} PTR {mems[1]}, {nat}",
          f"vmwrite {nb}, {nat}", f"vmwrite {nat}, {'QWORD' if m == 64 else 'DWORD'} PTR {mems[0]}",
          "vmlaunch", "vmresume", "vmxoff", "vmcall", "vmfunc",
          f"invept {nat}, OWORD PTR {mems[0]}", f"invvpid {nb}, OWORD PTR {mems[1]}", f"invpcid {nat}, OWORD PTR {mems[2]}"]
    # ---- far transfers (memory forms)
    v += [f"jmp FWORD PTR {mems[0]}", f"call FWORD PTR {mems[1]}", f"jmp DWORD PTR {mems[2]}" if m == 16 else
          f"call DWORD PTR {mems[2]}" if m == 32 else f"call QWORD PTR {mems[2]}",
          f"jmp {C}", f"call {D}"]
    # ---- SETcc / CMOVcc
    for i, cc in enumerate(CONDS):
        v.append(f"set{cc} {R['BYTE'][i % 8]}")
        v.append(f"cmov{cc} {R['DWORD'][i % 8]}, {R['DWORD'][(i + 1) % 8]}")
    v += [f"sete BYTE PTR {mems[0]}", f"cmovne ax, WORD PTR {mems[1]}"]
    # ---- branches with labels (several statements per vector)
    for i, cc in enumerate(CONDS):
        v.append(f".Lt: j{cc} .Lt")
        v.append(f"j{cc} .Lf; .fill {0x90 + i}, 1, 0x90; .Lf:")
    v += [".Lt: jmp .Lt", "jmp .Lf; .Lf:", "jmp .Lf; .fill 0x7f, 1, 0x90; .Lf:", "jmp .Lf; .fill 0x80, 1, 0x90; .Lf:",
          ".Lt: .fill 0x7e, 1, 0x90; jmp .Lt", ".Lt: .fill 0x7f, 1, 0x90; jmp .Lt", ".Lt: .fill 0x100, 1, 0x90; je .Lt",
          "call .Lf; .Lf:", ".Lt: call .Lt", ".Lt: loop .Lt", ".Lt: loope .Lt", "loopne .Lf; nop; .Lf:",
          ".Lt: loopz .Lt", ".Lt: loopnz .Lt",
          "jz .La; jmp .Lb; .La: nop; .Lb: jnz .La",
          ".Lt: nop; dec ecx; jnz .Lt; ret",
          # relaxation cascade: the second branch grows to near, which pushes the first out of rel8 range
          "jz .La; jz .Lb; .fill 125, 1, 0x90; .La: .fill 3, 1, 0x90; .Lb:",
          "jmp .La; jmp .Lb; .fill 124, 1, 0x90; .La: .fill 4, 1, 0x90; .Lb:",
          ".La: .fill 120, 1, 0x90; jmp .Lb; jmp .La; .fill 124, 1, 0x90; .Lb:"]
    if m == 16:
        v += [".Lt: jcxz .Lt", ".Lt: jecxz .Lt"]
    elif m == 32:
        v += [".Lt: jecxz .Lt", ".Lt: jcxz .Lt"]
    else:
        v += [".Lt: jrcxz .Lt", ".Lt: jecxz .Lt"]
    return [x for x in v if x]


def only64():
    v = ["mov rax, 0x1122334455667788", "movabs rax, 0x1122334455667788", "mov rax, 1", "mov rax, -1",
         "mov rax, 0xffffffff", "mov r8, 0x80000000", "mov r9d, 5", "mov r10w, 7", "mov r11b, 9", "mov spl, 1",
         "mov sil, dil", "mov r12, r13", "mov QWORD PTR [rbx+8], rax", "mov rax, QWORD PTR [r14+r15*8+0x40]",
         "mov QWORD PTR [rsp+0x10], 0x1234", "mov rax, QWORD PTR [rip+0x7fff]", "mov r8d, DWORD PTR [eax]",
         "movabs al, ds:0x1122334455667788", "movabs eax, ds:0x1000", "movabs ds:0x1122334455667788, rax",
         "movabs ds:0x1000, ax", "movabs ds:0x1122334455667788, al", "mov rax, QWORD PTR ds:0x12345678",
         "movsxd rax, ecx", "movsxd r8, DWORD PTR [rbx]", "movzx r8, byte ptr [rax]", "movzx rax, cx",
         "movsx rcx, bl", "movsx r9, WORD PTR [rdx]", "movbe rax, QWORD PTR [rbx]",
         "xchg rax, rcx", "xchg r8, rax", "xchg eax, r8d", "xchg rax, rax", "xchg eax, eax", "xchg r9, r10",
         "xchg rax, r8", "cmpxchg16b OWORD PTR [rdi]", "lock cmpxchg16b OWORD PTR [rsi+8]", "cmpxchg r8, r9",
         "xadd rax, r11", "bswap rax", "bswap r9", "bswap r12d", "lea rax, [rip+0x100]", "lea r10, [r11+r12*4+8]",
         "lea eax, [rbx+rcx]", "add r8, r9", "add r8b, r9b", "add r15w, 0x1234", "add r10d, -5",
         "sub rsp, 0x28", "and rax, -16", "or QWORD PTR [rip+0x10], 1", "xor r8d, r8d", "cmp QWORD PTR [rax], 0",
         "test r9, r10", "test rax, 0x100", "imul r8, r9, 10", "imul rax, QWORD PTR [rbx], 0x1000",
         "shl r8, 3", "sar QWORD PTR [rbx], 1", "shld rax, rcx, 5", "shrd r8, r9, cl", "bt r8, 40",
         "bts QWORD PTR [rax], rcx", "popcnt r8, r9", "lzcnt rax, QWORD PTR [rbx]", "tzcnt r10, r11",
         "adcx rax, rbx", "adox r8, QWORD PTR [r9]", "andn rax, rbx, rcx", "andn r8, r9, r10", "bextr r8, QWORD PTR [r9], r10",
         "blsi r15, rax", "blsmsk rax, r8", "blsr rcx, QWORD PTR [rip+0x10]", "bzhi rax, rbx, r12",
         "mulx r8, r9, r10", "pdep rax, rbx, rcx", "pext r11, r12, r13", "rorx rax, rbx, 63", "rorx r8d, r9d, 7",
         "sarx rax, rbx, rcx", "shlx r8, r9, r10", "shrx rax, QWORD PTR [r8], r9",
         "cdqe", "cqo", "pushfq", "popfq", "iretq", "retfq 8", "sysretd", "sysretq", "syscall", "swapgs", "retfq", "push r15", "pop r8",
         "cmovae r8, r9", "setne r8b", "sete spl", "movsq", "stosq", "lodsq", "scasq", "cmpsq", "rep movsq",
         "rep stosq", "repe cmpsq", "mov cr8, rax", "mov rax, cr8", "mov cr3, r15", "mov r9, cr3", "mov dr1, r10",
         "vmread QWORD PTR [rip+0x40], rdx", "vmwrite r8, r9", "invept r8, OWORD PTR [r9]",
         "vmptrld QWORD PTR [r12+8]", "vmxon QWORD PTR [rsp]", "jmp r11", "call QWORD PTR [rip+0x10]",
         "jmp QWORD PTR [rax+8]", "push QWORD PTR fs:[rax]", "lgdt [rip+0x10]", "sgdt [r8]",
         "mov rax, ds", "mov ds, eax", "mov r9w, gs", "rdrand r8", "rdseed r9w", "in eax, dx",
         "mov al, BYTE PTR [r8+r9*8+0x7f]", "mov BYTE PTR [rbp-1], 0", "lea r12, [r12+r12*1]",
         "add DWORD PTR [r12+r13*2+0x100], 0x10000", "mov eax, DWORD PTR [esp+ebp*4]", "mov eax, DWORD PTR [ebp]",
         "inc r8", "dec r12d", "neg QWORD PTR [r8]", "not r15b", "div r9", "nop QWORD PTR [rax+rax*1+0x0]",
         "nop WORD PTR [rax+rax*1+0x0]",
         "lea rax, [rip+.Lf]; .Lf:", "mov DWORD PTR [rip+.Lf], 5; nop; .Lf:", ".Lt: mov rax, QWORD PTR [rip+.Lt]",
         "cmp BYTE PTR [rip+.Lf+2], 0x10; .Lf:", "jmp QWORD PTR [rip+.Lf]; .fill 0x200, 1, 0xcc; .Lf:",
         ".Lt: .fill 0x100, 1, 0x90; lea r9, [rip+.Lt-8]",
         # the example program of docs/ASSEMBLER.md and the Assembler Javadoc
         "mov rax, 0; mov rcx, 10; .Lloop: add rax, rcx; dec rcx; jnz .Lloop; mov QWORD PTR [rbx+8], rax; "
         "vmxon QWORD PTR [rsi]; vmlaunch; hlt"]
    return v


def only32():
    return ["jmp 0x10:0x1000", "call 0x08:0x12345678", "mov eax, DWORD PTR fs:0x10", "mov BYTE PTR es:0x10, al", "mov eax, DWORD PTR [bx+si]", "mov ax, WORD PTR [bp+0x10]",
            "lea eax, [si]", "jmp FWORD PTR [ebx]", "les eax, FWORD PTR [ebx]" if False else "",
            "mov eax, DWORD PTR [ecx*2]", "mov DWORD PTR [esp+ebp*8+0x7f], 1"]


def only16():
    return ["jmp 0x10:0x1000", "call 0xf000:0xfff0", "mov ax, WORD PTR fs:0x10", "mov BYTE PTR es:0x10, al", "mov eax, DWORD PTR [ebx+ecx*4]", "mov ax, WORD PTR [eax]",
            "add DWORD PTR [bx], 0x12345678", "mov ebx, 0x12345678", "push eax", "pop ebx", "iretd", "lea eax, [bx]",
            "mov word ptr [si], 0x1234", "mov ax, WORD PTR ss:[bx]", "mov ax, WORD PTR ds:[bp]",
            "mov al, BYTE PTR [bp+si]", "mov al, BYTE PTR [bp+di]", "mov al, BYTE PTR [bx+di]", "mov al, BYTE PTR [di]",
            "mov al, BYTE PTR [si]", "mov al, BYTE PTR [bx+si-0x200]", "data32 jmp 0x8:0x1000",
            "data32 jmp 0x10:0x12345678"]


def random_vectors(m, count, seed):
    """Seeded random register/addressing/immediate combinations (deterministic for a seed)."""
    rnd = random.Random(seed)
    g64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"] + [f"r{i}" for i in range(8, 16)]
    g32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] + [f"r{i}d" for i in range(8, 16)]
    g16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"] + [f"r{i}w" for i in range(8, 16)]
    g8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"] + [f"r{i}b" for i in range(8, 16)]
    legacy8 = ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"]
    regs = {64: g64, 32: g32, 16: g16, 8: g8 if m == 64 else legacy8}
    limit = 16 if m == 64 else 8
    sizes = [8, 16, 32, 64] if m == 64 else [8, 16, 32]
    ptr = {8: "BYTE", 16: "WORD", 32: "DWORD", 64: "QWORD"}
    disps = [0, 1, -1, 0x7f, 0x80, -0x80, -0x81, 0x1234, -0x1234, 0x7fff]
    if m != 16:
        disps += [0x12345678, -0x12345678, 0x7fffffff, -0x80000000]
    imms = {8: [0, 1, 0x7f, 0x80, 0xff, -0x80, -1], 16: [0x7f, 0x80, -0x80, -0x81, 0x7fff, 0xffff, -0x8000],
            32: [0x7f, 0x80, -0x80, -0x81, 0x7fffffff, 0xffffffff, -0x80000000],
            64: [0x7f, 0x80, -0x80, -0x81, 0x7fffffff, -0x80000000]}

    def hexs(d):
        return f"-{-d:#x}" if d < 0 else f"+{d:#x}"

    def mem():
        if m == 16:
            base, index = rnd.choice([("bx", "si"), ("bx", "di"), ("bp", "si"), ("bp", "di"), ("si", None),
                                      ("di", None), ("bp", None), ("bx", None)])
            d = rnd.choice([0, 1, -1, 0x7f, 0x80, -0x80, -0x81, 0x1234, 0x7fff])
            inner = base + (f"+{index}" if index else "") + (hexs(d) if d else "")
            return f"[{inner}]"
        pool = g64[:limit] if m == 64 else g32[:limit]
        base = rnd.choice(pool + [None])
        index = rnd.choice([r for r in pool if r not in ("rsp", "esp")] + [None])
        if base is None and index is None:
            base = pool[rnd.randrange(limit)]
        parts = []
        if base:
            parts.append(base)
        if index:
            parts.append(f"{index}*{rnd.choice([1, 2, 4, 8])}")
        d = rnd.choice(disps)
        return "[" + "+".join(parts) + (hexs(d) if d else "") + "]"

    out = []
    while len(out) < count:
        op = rnd.choice(["mov", "add", "sub", "xor", "cmp", "and", "or", "adc", "test", "lea", "xchg"])
        size = rnd.choice(sizes)
        r = rnd.choice(regs[size][:limit])
        shape = rnd.randrange(3)
        if op == "lea":
            if size == 8:
                continue
            out.append(f"lea {r}, {mem()}")
        elif shape == 0:
            out.append(f"{op} {r}, {ptr[size]} PTR {mem()}")
        elif shape == 1:
            out.append(f"{op} {ptr[size]} PTR {mem()}, {r}")
        elif op != "xchg":
            out.append(f"{op} {ptr[size]} PTR {mem()}, {rnd.choice(imms[size]):#x}".replace("0x-", "-0x"))
    return out


def vectors(m):
    v = common(m)
    v += random_vectors(m, 150, 4000 + m)
    v += {16: only16, 32: only32, 64: only64}[m]()
    out, seen = [], set()
    for x in v:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def assemble(m, texts):
    """Assembles each text in its own section; returns the list of byte strings."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "v.s")
        obj = os.path.join(tmp, "v.o")
        lines = [".intel_syntax noprefix", f".code{m}"]
        for i, t in enumerate(texts):
            lines.append(f'.section .v{i},"ax",@progbits')
            body = re.sub(r"\.L(\w+)", lambda mm: f".L{mm.group(1)}_{i}", t)
            for stmt in body.split(";"):
                lines.append(stmt.strip())
        with open(src, "w") as f:
            f.write("\n".join(lines) + "\n")
        arch = "--64" if m == 64 else "--32"
        r = subprocess.run(["as", arch, "-o", obj, src], capture_output=True, text=True)
        if r.returncode != 0 or r.stderr.strip():
            for line in r.stderr.splitlines():
                mm = re.match(r".*?:(\d+): (.*)", line)
                print(line if not mm else f"{mm.group(2)}: {lines[int(mm.group(1)) - 1]}", file=sys.stderr)
            sys.exit(f"as failed for mode {m}")
        rel = subprocess.run(["objdump", "-r", obj], capture_output=True, text=True, check=True).stdout
        if "R_X86" in rel or "R_386" in rel:
            sys.exit(f"relocations in mode {m} output (a vector refers to an undefined symbol):\n{rel}")
        dump = subprocess.run(["objdump", "-s", obj], capture_output=True, text=True, check=True).stdout
    data = {}
    cur = None
    for line in dump.splitlines():
        mm = re.match(r"Contents of section \.v(\d+):", line)
        if mm:
            cur = int(mm.group(1))
            data[cur] = ""
            continue
        if cur is not None:
            mm = re.match(r"\s[0-9a-f]+ ((?:[0-9a-f]+ ){1,4})", line + " ")
            if mm:
                data[cur] += mm.group(1).replace(" ", "")
            else:
                cur = None
    result = []
    for i in range(len(texts)):
        hexs = data.get(i, "")
        result.append(" ".join(hexs[k:k + 2] for k in range(0, len(hexs), 2)))
    return result


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    ver = subprocess.run(["as", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    for m in (16, 32, 64):
        texts = vectors(m)
        codes = assemble(m, texts)
        path = os.path.join(OUT_DIR, f"vectors-{m}.txt")
        with open(path, "w") as f:
            f.write(f"# Generated by test-fixtures/src/test/scripts/gen-asm-vectors.py with {ver}; do not edit.\n")
            f.write("# mode | bytes (hex) | GNU as Intel-syntax text (';' separates statements)\n")
            for t, c in zip(texts, codes):
                if not c:
                    sys.exit(f"no bytes for '{t}' in mode {m}")
                f.write(f"{m} | {c} | {t}\n")
        print(f"{path}: {len(texts)} vectors")


if __name__ == "__main__":
    main()
