#!/usr/bin/env python3
"""Cross-checks the host-CPU semantics vectors against a small model of the SDM pseudocode.

The vectors come from an AMD CPU; the emulator follows the Intel SDM. Where the two disagree
on state the SDM defines, a vector would be wrong for vmx4j. This script recomputes the
register-only forms of the arithmetic, shift, rotate, bit and BMI groups from the SDM's
"Operation" and "Flags Affected" sections and reports every vector whose defined state
differs. Usage: check-semantics-vectors.py [DIR] (default: ../resources/semantics).
It exits non-zero if any vector disagrees.
"""
import os
import re
import sys

CF, PF, AF, ZF, SF, OF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800
M64 = (1 << 64) - 1
REG64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'] + ['r%d' % i for i in range(8, 16)]
NAMES = {}
for i, n in enumerate(REG64):
    NAMES[n] = (i, 64, False)
for i, n in enumerate(['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] + ['r%dd' % i for i in range(8, 16)]):
    NAMES[n] = (i, 32, False)
for i, n in enumerate(['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] + ['r%dw' % i for i in range(8, 16)]):
    NAMES[n] = (i, 16, False)
for i, n in enumerate(['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'] + ['r%db' % i for i in range(8, 16)]):
    NAMES[n] = (i, 8, False)
for i, n in enumerate(['ah', 'ch', 'dh', 'bh']):
    NAMES[n] = (i, 8, True)


def default_reg(n):
    return 0x1000F000 if n == 4 else 0x5EED000000000000 | (n * 0x010101010101)


def mask(bits):
    return (1 << bits) - 1


def parity(v):
    return bin(v & 0xFF).count('1') % 2 == 0


MEM = -1  # operand tuples: (register number, size, high byte) or (MEM, size, address)
INSN_ADDR = 0x10020800
PTR_BITS = {'byte': 8, 'word': 16, 'dword': 32, 'qword': 64}


class State:
    def __init__(self, regs, flags, mem, insn_len):
        self.regs = list(regs)
        self.flags = flags
        self.mem = dict(mem)       # address -> byte
        self.insn_len = insn_len   # for RIP-relative operands
        self.rip = INSN_ADDR + insn_len  # a taken branch changes it
        self.protected32 = False          # vectors of a protected32 group

    def push(self, v, size):
        sp = (4, 32 if self.protected32 else 64, False)  # ESP in 32-bit code
        self.put(sp, self.get(sp) - size // 8)
        self.put((MEM, size, self.get(sp)), v)

    def pop(self, size):
        sp = (4, 32 if self.protected32 else 64, False)
        v = self.get((MEM, size, self.get(sp)))
        self.put(sp, self.get(sp) + size // 8)
        return v

    def get(self, op):
        n, size, high = op
        if n == MEM:
            return int.from_bytes(bytes(self.mem.get(high + i, 0) for i in range(size // 8)), 'little')
        return (self.regs[n] >> 8) & 0xFF if high else self.regs[n] & mask(size)

    def put(self, op, v):
        n, size, high = op
        if n == MEM:
            for i, b in enumerate((v & mask(size)).to_bytes(size // 8, 'little')):
                self.mem[high + i] = b
        elif high:
            self.regs[n] = (self.regs[n] & ~0xFF00) | ((v & 0xFF) << 8)
        elif size == 32:
            self.regs[n] = v & mask(32)
        elif size == 64:
            self.regs[n] = v & M64
        else:
            self.regs[n] = (self.regs[n] & ~mask(size) & M64) | (v & mask(size))

    def flag(self, f):
        return 1 if self.flags & f else 0

    def set(self, f, on):
        self.flags = (self.flags | f) if on else (self.flags & ~f)

    def szp(self, v, size):
        v &= mask(size)
        self.set(ZF, v == 0)
        self.set(SF, v >> (size - 1) & 1)
        self.set(PF, parity(v))


def signed(v, size):
    v &= mask(size)
    return v - (1 << size) if v >> (size - 1) else v


def op_alu(s, op, d, src, size):
    a, b = s.get(d), src
    m = mask(size)
    if op in ('add', 'adc'):
        c = s.flag(CF) if op == 'adc' else 0
        r = a + b + c
        s.set(CF, r >> size)
        s.set(OF, ((a ^ r) & (b ^ r)) >> (size - 1) & 1)
        s.set(AF, (a ^ b ^ r) & 0x10)
    elif op in ('sub', 'sbb', 'cmp'):
        c = s.flag(CF) if op == 'sbb' else 0
        r = a - b - c
        s.set(CF, r < 0)
        s.set(OF, ((a ^ b) & (a ^ r)) >> (size - 1) & 1)
        s.set(AF, (a ^ b ^ r) & 0x10)
    else:
        r = {'and': a & b, 'test': a & b, 'or': a | b, 'xor': a ^ b}[op]
        s.set(CF, 0)
        s.set(OF, 0)
    s.szp(r, size)
    if op not in ('cmp', 'test'):
        s.put(d, r & m)


def op_shift(s, op, d, count, size):
    v = s.get(d)
    masked = count & (0x3F if size == 64 else 0x1F)
    if masked == 0:
        # MANUAL: the destination is still written, so a 32-bit one is zero-extended.
        s.put(d, v)
        return
    msb = size - 1
    if op == 'shl':
        r = (v << masked) & mask(size)
        cf = (v >> (size - masked)) & 1 if masked <= size else 0
        of = (r >> msb & 1) ^ cf
    elif op == 'shr':
        r = v >> masked
        cf = (v >> (masked - 1)) & 1 if masked <= size else 0
        of = v >> msb & 1
    else:
        sv = signed(v, size)
        r = (sv >> masked) & mask(size)
        cf = (sv >> (masked - 1)) & 1 if masked <= size else (v >> msb) & 1
        of = 0
    s.set(CF, cf)
    s.set(OF, of)
    s.szp(r, size)
    s.put(d, r)


def op_rotate(s, op, d, count, size):
    v = s.get(d)
    masked = count & (0x3F if size == 64 else 0x1F)
    if op in ('rol', 'ror'):
        tc = masked % size
        if op == 'rol':
            r = ((v << tc) | (v >> (size - tc))) & mask(size) if tc else v
        else:
            r = ((v >> tc) | (v << (size - tc))) & mask(size) if tc else v
        if masked:
            if op == 'rol':
                cf = r & 1
                s.set(CF, cf)
                if masked == 1:
                    s.set(OF, (r >> (size - 1)) ^ cf)
            else:
                cf = r >> (size - 1)
                s.set(CF, cf)
                if masked == 1:
                    s.set(OF, (r >> (size - 1)) ^ ((r >> (size - 2)) & 1))
        s.put(d, r)
        return
    tc = masked % (size + 1) if size in (8, 16) else masked
    cf = s.flag(CF)
    wide = (cf << size) | v
    n = size + 1
    if op == 'rcl':
        w = ((wide << tc) | (wide >> (n - tc))) & mask(n) if tc else wide
    else:
        w = ((wide >> tc) | (wide << (n - tc))) & mask(n) if tc else wide
    r = w & mask(size)
    if masked:
        if op == 'rcl':
            s.set(CF, w >> size)
            if masked == 1:
                s.set(OF, (r >> (size - 1)) ^ (w >> size))
        else:
            if masked == 1:
                s.set(OF, (v >> (size - 1)) ^ cf)
            s.set(CF, w >> size)
    s.put(d, r)


def op_shiftd(s, op, d, src, count, size):
    v = s.get(d)
    c = count & (0x3F if size == 64 else 0x1F)
    if c == 0:
        s.put(d, v)
        return
    if op == 'shld':
        r = ((v << c) | (src >> (size - c))) & mask(size)
        cf = (v >> (size - c)) & 1
    else:
        r = ((v >> c) | (src << (size - c))) & mask(size)
        cf = (v >> (c - 1)) & 1
    s.set(CF, cf)
    if c == 1:
        s.set(OF, ((r ^ v) >> (size - 1)) & 1)
    s.szp(r, size)
    s.put(d, r)


def op_bit(s, op, d, off, size, from_reg):
    v = s.get(d)
    bit = off & (size - 1)
    s.set(CF, (v >> bit) & 1)
    if op == 'bts':
        v |= 1 << bit
    elif op == 'btr':
        v &= ~(1 << bit)
    elif op == 'btc':
        v ^= 1 << bit
    if op != 'bt':
        s.put(d, v)


def op_count(s, op, d, src, size):
    if op == 'popcnt':
        r = bin(src).count('1')
        for f in (CF, PF, AF, SF, OF):
            s.set(f, 0)
        s.set(ZF, src == 0)
    elif op == 'lzcnt':
        r = size - src.bit_length()
        s.set(CF, src == 0)
        s.set(ZF, r == 0)
    elif op == 'tzcnt':
        r = size if src == 0 else (src & -src).bit_length() - 1
        s.set(CF, src == 0)
        s.set(ZF, r == 0)
    elif op == 'bsf':
        s.set(ZF, src == 0)
        if src == 0:
            return
        r = (src & -src).bit_length() - 1
    else:  # bsr
        s.set(ZF, src == 0)
        if src == 0:
            return
        r = src.bit_length() - 1
    s.put(d, r)


def op_bmi(s, op, ops, size):
    m = mask(size)
    vals = [s.get(o) if isinstance(o, tuple) else o for o in ops]
    d = ops[0]
    if op == 'andn':
        r = ~vals[1] & vals[2] & m
        s.szp(r, size)
        s.set(CF, 0)
        s.set(OF, 0)
    elif op == 'bextr':
        src, ctl = vals[1], vals[2]
        start, length = ctl & 0xFF, (ctl >> 8) & 0xFF
        r = (src >> start) & mask(length) if start < size else 0
        r &= m
        s.set(ZF, r == 0)
        s.set(CF, 0)
        s.set(OF, 0)
    elif op == 'blsi':
        src = vals[1]
        r = (-src) & src & m
        s.set(ZF, r == 0)
        s.set(SF, r >> (size - 1))
        s.set(CF, src != 0)
        s.set(OF, 0)
    elif op == 'blsmsk':
        src = vals[1]
        r = ((src - 1) ^ src) & m
        s.set(SF, r >> (size - 1))
        s.set(ZF, 0)
        s.set(CF, src == 0)
        s.set(OF, 0)
    elif op == 'blsr':
        src = vals[1]
        r = ((src - 1) & src) & m
        s.set(ZF, r == 0)
        s.set(SF, r >> (size - 1))
        s.set(CF, src == 0)
        s.set(OF, 0)
    elif op == 'bzhi':
        src, n = vals[1], vals[2] & 0xFF
        r = src & mask(n) if n < size else src
        s.set(ZF, r == 0)
        s.set(SF, r >> (size - 1))
        s.set(CF, n > size - 1)
        s.set(OF, 0)
    elif op in ('pdep', 'pext'):
        src, msk = vals[1], vals[2]
        r, k = 0, 0
        for i in range(size):
            if msk >> i & 1:
                if op == 'pdep':
                    r |= ((src >> k) & 1) << i
                else:
                    r |= ((src >> i) & 1) << k
                k += 1
    elif op == 'rorx':
        src, c = vals[1], vals[2] % size
        r = ((src >> c) | (src << (size - c))) & m
    elif op in ('sarx', 'shlx', 'shrx'):
        src, c = vals[1], vals[2] & (size - 1)
        if op == 'shlx':
            r = (src << c) & m
        elif op == 'shrx':
            r = src >> c
        else:
            r = (signed(src, size) >> c) & m
    elif op == 'mulx':
        p = s.get((2, size, False)) * vals[2]
        s.put(ops[1], p & m)
        s.put(ops[0], p >> size)
        return
    else:
        return False
    s.put(d, r)


def op_mul(s, op, ops, size):
    if len(ops) == 1:
        v = s.get(ops[0])
        a = s.get((0, size, False))
        if op == 'mul':
            p = a * v
            hi = p >> size
            s.set(CF, hi != 0)
            s.set(OF, hi != 0)
        else:
            p = signed(a, size) * signed(v, size)
            s.set(CF, p != signed(p, size))
            s.set(OF, p != signed(p, size))
            p &= mask(2 * size)
        if size == 8:
            s.put((0, 16, False), p)
        else:
            s.put((0, size, False), p & mask(size))
            s.put((2, size, False), p >> size)
        return
    a = s.get(ops[0]) if len(ops) == 2 else s.get(ops[1])
    b = s.get(ops[1]) if len(ops) == 2 else ops[2]
    p = signed(a, size) * (signed(b, size) if len(ops) == 2 else b)
    s.set(CF, p != signed(p, size))
    s.set(OF, p != signed(p, size))
    s.put(ops[0], p)


def op_unary(s, op, d, size):
    v = s.get(d)
    if op == 'not':
        s.put(d, ~v)
        return
    if op == 'neg':
        r = (-v) & mask(size)
        s.set(CF, v != 0)
        s.set(OF, v == 1 << (size - 1))
        s.set(AF, (v ^ r) & 0x10)
    else:
        r = (v + (1 if op == 'inc' else -1)) & mask(size)
        s.set(OF, r == (1 << (size - 1)) if op == 'inc' else v == (1 << (size - 1)))
        s.set(AF, (v ^ r ^ 1) & 0x10)
    s.szp(r, size)
    s.put(d, r)


def op_bcd(s, op, imm):
    """SDM DAA/DAS/AAA/AAS/AAM/AAD Operation sections (32-bit code)."""
    ax = s.get((0, 16, False))
    al, ah = ax & 0xFF, ax >> 8
    if op in ('daa', 'das'):
        old_al, old_cf = al, s.flag(CF)
        s.set(CF, 0)
        if (al & 0xF) > 9 or s.flag(AF):
            r = al + 6 if op == 'daa' else al - 6
            al = r & 0xFF
            s.set(CF, old_cf or r > 0xFF or r < 0)
            s.set(AF, 1)
        else:
            s.set(AF, 0)
        if old_al > 0x99 or old_cf:
            al = (al + 0x60 if op == 'daa' else al - 0x60) & 0xFF
            s.set(CF, 1)
        else:
            s.set(CF, 0)
        s.szp(al, 8)
        s.put((0, 8, False), al)
    elif op in ('aaa', 'aas'):
        if (al & 0xF) > 9 or s.flag(AF):
            if op == 'aaa':
                ax = (ax + 0x106) & 0xFFFF
            else:
                ax = (((ah - 1) & 0xFF) << 8) | ((al - 6) & 0xFF)
            s.set(AF, 1)
            s.set(CF, 1)
        else:
            s.set(AF, 0)
            s.set(CF, 0)
        s.put((0, 16, False), ax & 0xFF0F)
    elif op == 'aam':
        s.put((0, 16, False), ((al // imm) << 8) | (al % imm))
        s.szp(al % imm, 8)
    else:
        r = (al + ah * imm) & 0xFF
        s.put((0, 16, False), r)
        s.szp(r, 8)


def operand(text, s):
    text = text.strip()
    if text in NAMES:
        return NAMES[text]
    if re.fullmatch(r'-?0x[0-9a-f]+|\d+', text):
        return int(text, 0)
    m = re.fullmatch(r'(byte|word|dword|qword) ptr \[([^]]+)\]', text)
    if m:
        # SDM "Specifying an Offset": base + index*scale + displacement, wrapped to the address size
        ea, addr32 = 0, False
        for sign, term in re.findall(r'([+-]?)([^+-]+)', m.group(2)):
            reg, _, scale = term.partition('*')
            if reg == 'rip':
                v = INSN_ADDR + s.insn_len
            elif reg in NAMES:
                r = NAMES[reg]
                addr32 |= r[1] == 32
                v = s.get(r) * int(scale or '1')
            else:
                v = int(reg, 0)
            ea += -v if sign == '-' else v
        return (MEM, PTR_BITS[m.group(1)], ea & (mask(32) if addr32 else M64))
    return None


CONDITIONS = {
    # SDM "Jcc—Jump if Condition Is Met": condition codes as functions of the flags
    'o': lambda s: s.flag(OF), 'b': lambda s: s.flag(CF), 'e': lambda s: s.flag(ZF),
    'be': lambda s: s.flag(CF) | s.flag(ZF), 's': lambda s: s.flag(SF), 'p': lambda s: s.flag(PF),
    'l': lambda s: s.flag(SF) ^ s.flag(OF), 'le': lambda s: s.flag(ZF) | (s.flag(SF) ^ s.flag(OF)),
}
for _cc, _neg in (('no', 'o'), ('ae', 'b'), ('ne', 'e'), ('a', 'be'), ('ns', 's'), ('np', 'p'), ('ge', 'l'),
                  ('g', 'le')):
    CONDITIONS[_cc] = (lambda f: lambda s: 1 - f(s))(CONDITIONS[_neg])


DF_FLAG = 0x400
STRING_WIDTH = {'b': 8, 'w': 16, 'd': 32, 'q': 64}


def model_control(s, mn, rest):
    """Stack, branch, string and XLAT instructions (64-bit mode); None if not one of them."""
    w = 32 if s.protected32 else 64  # stack width: 32-bit code pushes doublewords
    if mn in ('pushad', 'pushaw'):
        size = 32 if mn == 'pushad' else 16
        old_sp = s.get((4, size, False))
        for r in range(8):
            s.push(old_sp if r == 4 else s.get((r, size, False)), size)
        return True
    if mn in ('popad', 'popaw'):
        size = 32 if mn == 'popad' else 16
        for r in reversed(range(8)):
            v = s.pop(size)
            if r != 4:
                s.put((r, size, False), v)
        return True
    if mn in ('std', 'cld'):
        s.set(DF_FLAG, mn == 'std')
        return True
    if mn in ('push', 'pushw'):
        src = operand(rest, s)
        if isinstance(src, int):
            size = 16 if mn == 'pushw' else w
            s.push(src, size)
        else:
            s.push(s.get(src), src[1])
        return True
    if mn == 'pop':
        size = operand(rest, s)[1]
        v = s.pop(size)
        s.put(operand(rest, s), v)  # SDM "POP": an RSP-based address is computed after the increment
        return True
    if mn in ('pushfq', 'pushfd', 'pushfw'):
        s.push(s.flags, 16 if mn == 'pushfw' else w)
        return True
    if mn in ('popfq', 'popfd', 'popfw'):
        size = 16 if mn == 'popfw' else w
        v = s.pop(size)
        # SDM "POPF": bits 1 reads 1, bits 3, 5, 15 read 0; the vectors pop only arithmetic flags and DF
        keep = s.flags & ~mask(size)
        s.flags = (keep | v) & ~0x8028 | 2
        return True
    if mn == 'leave':
        s.put((4, w, False), s.get((5, w, False)))
        s.put((5, w, False), s.pop(w))
        return True
    if mn == 'enter':
        alloc, level = (int(x, 0) for x in rest.split(','))
        level %= 32
        s.push(s.get((5, w, False)), w)
        frame = s.get((4, w, False))
        if level > 0:
            for _ in range(level - 1):
                s.put((5, w, False), s.get((5, w, False)) - w // 8)
                s.push(s.get((MEM, w, s.get((5, w, False)))), w)
            s.push(frame, w)
        s.put((5, w, False), frame)
        s.put((4, w, False), s.get((4, w, False)) - alloc)
        return True
    branches = ('jmp', 'call', 'loop', 'loope', 'loopne', 'jrcxz', 'jecxz', 'jcxz')
    if mn not in branches and not (mn.startswith('j') and mn[1:] in CONDITIONS) and mn not in ('ret', 'xlatb'):
        return None
    if rest.startswith('.'):
        target = INSN_ADDR + int(rest[1:].replace('+', ''), 0) if rest[1] == '+' else \
            INSN_ADDR - int(rest[2:], 0)
    elif rest and mn != 'ret':
        target = s.get(operand(rest, s))
    else:
        target = None
    if mn in ('jmp', 'call'):
        if mn == 'call':
            s.push(s.rip, w)
        s.rip = target
        return True
    if mn == 'ret':
        s.rip = s.pop(w)
        s.put((4, w, False), s.get((4, w, False)) + (int(rest, 0) if rest else 0))
        return True
    if mn.startswith('j') and mn[1:] in CONDITIONS:
        if CONDITIONS[mn[1:]](s):
            s.rip = target
        return True
    if mn in ('loop', 'loope', 'loopne'):
        count = (1, w, False)  # RCX, or ECX in 32-bit code
        s.put(count, s.get(count) - 1)
        cond = s.get(count) != 0 and (mn == 'loop' or (s.flag(ZF) == 1) == (mn == 'loope'))
        if cond:
            s.rip = target
        return True
    if mn in ('jrcxz', 'jecxz', 'jcxz'):
        if s.get((1, {'jrcxz': 64, 'jecxz': 32, 'jcxz': 16}[mn], False)) == 0:
            s.rip = target
        return True
    if mn == 'xlatb':
        s.put((0, 8, False), s.get((MEM, 8, (s.regs[3] + s.get((0, 8, False))) & M64)))
        return True
    return None


def model_string(s, prefix, mn, addr32=False):
    """SDM MOVS/STOS/LODS/CMPS/SCAS with REP/REPE/REPNE; 64-bit addresses, or with addr32 the
    32-bit ESI/EDI/ECX (the vectors keep their upper halves clear)."""
    size = STRING_WIDTH[mn[4]]
    step = -(size // 8) if s.flag(DF_FLAG) else size // 8
    op = mn[:4]
    am = mask(32) if addr32 else M64

    def once():
        rsi, rdi = s.regs[6] & am, s.regs[7] & am
        if op == 'movs':
            s.put((MEM, size, rdi), s.get((MEM, size, rsi)))
        elif op == 'stos':
            s.put((MEM, size, rdi), s.get((0, size, False)))
        elif op == 'lods':
            s.put((0, size, False), s.get((MEM, size, rsi)))
        elif op == 'cmps':
            op_alu(s, 'cmp', (MEM, size, rsi), s.get((MEM, size, rdi)), size)
        else:
            op_alu(s, 'cmp', (0, size, False), s.get((MEM, size, rdi)), size)
        if op in ('movs', 'lods', 'cmps'):
            s.regs[6] = (rsi + step) & am
        if op != 'lods':
            s.regs[7] = (rdi + step) & am

    if not prefix:
        once()
        return True
    while s.regs[1] & am != 0:
        once()
        s.regs[1] = (s.regs[1] - 1) & am
        if prefix == 'repe' and op in ('cmps', 'scas') and not s.flag(ZF):
            break
        if prefix == 'repne' and op in ('cmps', 'scas') and s.flag(ZF):
            break
    return True


def model(s, text):
    """Applies the instruction (or each instruction of a "; " sequence) to s; returns False if a
    form is not modelled."""
    if '; ' in text:
        return all(model(s, part) for part in text.split('; '))
    if text.startswith('lock '):
        text = text[5:]  # LOCK changes atomicity, not the result
    if '(' in text or ':' in text:
        return False
    words = text.split(' ')
    addr32 = words[0] == 'addr32'
    if addr32:
        words = words[1:]
    addr32 |= s.protected32  # the default address size of 32-bit code
    if words[0] in ('rep', 'repe', 'repne') and len(words) == 2:
        return model_string(s, words[0], words[1], addr32)
    if len(words) == 1 and words[0][:4] in ('movs', 'stos', 'lods', 'cmps', 'scas') and words[0][4:] in STRING_WIDTH:
        return model_string(s, '', words[0], addr32)
    if words[0] in ('cmpxchg8b', 'cmpxchg16b'):
        # SDM "CMPXCHG8B/CMPXCHG16B": compare rDX:rAX with m64/m128; equal: ZF = 1 and the
        # memory gets rCX:rBX; else ZF = 0 and rDX:rAX gets the memory
        half = 32 if words[0] == 'cmpxchg8b' else 64
        m = operand(('qword ptr ' if half == 32 else 'qword ptr ') + ' '.join(words[1:]), s)
        lo, hi = (MEM, half, m[2]), (MEM, half, m[2] + half // 8)
        if s.get(lo) == s.get((0, half, False)) and s.get(hi) == s.get((2, half, False)):
            s.set(ZF, 1)
            s.put(lo, s.get((3, half, False)))
            s.put(hi, s.get((1, half, False)))
        else:
            s.set(ZF, 0)
            s.put((0, half, False), s.get(lo))
            s.put((2, half, False), s.get(hi))
        return True
    mn, _, rest = text.replace('{disp32} ', '').partition(' ')
    handled = model_control(s, mn, rest)
    if handled is not None:
        return handled
    if mn in ('nop', 'pause', 'endbr64', 'lfence', 'mfence', 'sfence'):
        return True  # no architectural state changes (operands of NOP are not accessed)
    if mn in ('div', 'idiv'):
        # SDM "DIV"/"IDIV": (E/R)DX:(E/R)AX (AX for a byte) divided by the source, truncating
        src = operand(rest, s)
        size = src[1]
        d = s.get(src)
        if size == 8:
            n = s.get((0, 16, False))
        else:
            n = (s.get((2, size, False)) << size) | s.get((0, size, False))
        if mn == 'idiv':
            n, d = signed(n, 2 * size), signed(d, size)
        q = abs(n) // abs(d) * (1 if (n < 0) == (d < 0) else -1)
        r = n - q * d
        if size == 8:
            s.put((0, 16, False), ((r & 0xFF) << 8) | (q & 0xFF))
        else:
            s.put((0, size, False), q)
            s.put((2, size, False), r)
        return True
    if mn in ('clc', 'stc', 'cmc'):
        s.set(CF, {'clc': 0, 'stc': 1, 'cmc': 1 - s.flag(CF)}[mn])
        return True
    if mn == 'lahf':
        s.put((0, 8, True), (s.flags & (SF | ZF | AF | PF | CF)) | 2)
        return True
    if mn == 'sahf':
        mask_ = SF | ZF | AF | PF | CF
        s.flags = (s.flags & ~mask_) | (s.get((0, 8, True)) & mask_)
        return True
    if mn.startswith('set') and mn[3:] in CONDITIONS:
        s.put(operand(rest, s), CONDITIONS[mn[3:]](s))
        return True
    if mn.startswith('cmov') and mn[4:] in CONDITIONS:
        d, src = (operand(o, s) for o in rest.split(','))
        # SDM "CMOVcc": a 32-bit destination is zero-extended even when the condition is false
        s.put(d, s.get(src) if CONDITIONS[mn[4:]](s) else s.get(d))
        return True
    if mn in ('cbw', 'cwde', 'cdqe'):
        size = {'cbw': 16, 'cwde': 32, 'cdqe': 64}[mn]
        s.put((0, size, False), signed(s.get((0, size // 2, False)), size // 2))
        return True
    if mn in ('cwd', 'cdq', 'cqo'):
        size = {'cwd': 16, 'cdq': 32, 'cqo': 64}[mn]
        s.put((2, size, False), -(s.get((0, size, False)) >> (size - 1)))
        return True
    if mn == 'lea':
        d, m = rest.split(', ', 1)
        d = NAMES[d]
        ptr = operand('qword ptr ' + m, s)
        s.put(d, ptr[2])
        return True
    if mn in ('movzx', 'movsx', 'movsxd', 'movbe', 'xchg', 'xadd', 'cmpxchg', 'bswap'):
        ops = [operand(o, s) for o in rest.split(',')]
        if any(o is None for o in ops):
            return False
        d = ops[0]
        if mn == 'bswap':
            s.put(d, int.from_bytes(s.get(d).to_bytes(d[1] // 8, 'little'), 'big'))
        elif mn == 'movzx':
            s.put(d, s.get(ops[1]))
        elif mn in ('movsx', 'movsxd'):
            s.put(d, signed(s.get(ops[1]), ops[1][1]))
        elif mn == 'movbe':
            v = s.get(ops[1])
            s.put(d, int.from_bytes(v.to_bytes(d[1] // 8, 'little'), 'big'))
        elif mn == 'xchg':
            a, b = s.get(d), s.get(ops[1])
            s.put(d, b)
            s.put(ops[1], a)
        elif mn == 'xadd':
            a, b = s.get(d), s.get(ops[1])
            op_alu(s, 'add', d, b, d[1])  # flags and DEST = DEST + SRC
            s.put(ops[1], a)
            s.put(d, (a + b) & mask(d[1]))
        else:
            # SDM "CMPXCHG": compare the accumulator with DEST; equal: DEST = SRC, else the
            # accumulator = DEST (and DEST is written back with its own value)
            size = d[1]
            acc, dv = s.get((0, size, False)), s.get(d)
            op_alu(s, 'cmp', (0, size, False), dv, size)
            if acc == dv:
                s.put(d, s.get(ops[1]))
            else:
                s.put((0, size, False), dv)
                s.put(d, dv)
        return True
    if mn in ('mov', 'movabs'):
        d, src = (operand(o, s) for o in rest.split(','))
        s.put(d, s.get(src) if isinstance(src, tuple) else src)
        return True
    if mn in ('daa', 'das', 'aaa', 'aas', 'aam', 'aad'):
        op_bcd(s, mn, int(rest, 0) if rest else 10)
        return True
    ops = [operand(o, s) for o in rest.split(',')] if rest else []
    if any(o is None for o in ops):
        return False
    regs = [o for o in ops if isinstance(o, tuple)]
    if not regs:
        return False
    size = regs[0][1]
    imm = lambda v: v & mask(size)  # noqa: E731 (immediates are sign-extended to the size)
    if mn in ('add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test'):
        src = s.get(ops[1]) if isinstance(ops[1], tuple) else imm(ops[1])
        op_alu(s, mn, ops[0], src, size)
    elif mn in ('shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr'):
        count = s.get(ops[1]) if isinstance(ops[1], tuple) else ops[1]
        (op_shift if mn in ('shl', 'shr', 'sar') else op_rotate)(s, mn, ops[0], count, size)
    elif mn in ('shld', 'shrd'):
        count = s.get(ops[2]) if isinstance(ops[2], tuple) else ops[2]
        op_shiftd(s, mn, ops[0], s.get(ops[1]), count, size)
    elif mn in ('bt', 'bts', 'btr', 'btc') and ops[0][0] == MEM and isinstance(ops[1], tuple):
        # SDM "BT—Bit Test": a register offset is signed and selects a bit anywhere in the
        # bit string starting at the memory operand: byte BitBase + floor(offset / 8)
        off = signed(s.get(ops[1]), size)
        byte = (MEM, 8, ops[0][2] + (off >> 3))
        v, bit = s.get(byte), off & 7
        s.set(CF, (v >> bit) & 1)
        if mn != 'bt':
            s.put(byte, {'bts': v | (1 << bit), 'btr': v & ~(1 << bit), 'btc': v ^ (1 << bit)}[mn])
    elif mn in ('bt', 'bts', 'btr', 'btc'):
        off = s.get(ops[1]) if isinstance(ops[1], tuple) else ops[1]
        op_bit(s, mn, ops[0], off, size, isinstance(ops[1], tuple))
    elif mn in ('popcnt', 'lzcnt', 'tzcnt', 'bsf', 'bsr'):
        op_count(s, mn, ops[0], s.get(ops[1]), size)
    elif mn in ('mul', 'imul'):
        op_mul(s, mn, ops, size)
    elif mn in ('inc', 'dec', 'neg', 'not'):
        op_unary(s, mn, ops[0], size)
    elif mn in ('adcx', 'adox'):
        f = CF if mn == 'adcx' else OF
        r = s.get(ops[0]) + s.get(ops[1]) + s.flag(f)
        s.set(f, r >> size)
        s.put(ops[0], r)
    elif mn == 'crc32':
        # SDM "CRC32—Accumulate CRC32 Value": CRC-32C (polynomial 11EDC6F41H), bit-reflected.
        crc = s.get(ops[0]) & mask(32)
        v, width = s.get(ops[1]), ops[1][1]
        for i in range(width // 8):
            crc ^= (v >> (8 * i)) & 0xFF
            for _ in range(8):
                crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
        s.put((ops[0][0], 32, False), crc)
    elif mn in ('andn', 'bextr', 'blsi', 'blsmsk', 'blsr', 'bzhi', 'pdep', 'pext', 'rorx', 'sarx',
                'shlx', 'shrx', 'mulx'):
        if op_bmi(s, mn, ops, size) is False:
            return False
    else:
        return False
    return True


def read_mem(field):
    mem = {}
    for run in field.split() if field != '-' else []:
        a, h = run.split(':')
        for i, b in enumerate(bytes.fromhex(h)):
            mem[int(a, 16) + i] = b
    return mem


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'resources', 'semantics')
    checked = bad = 0
    protected32 = {line.split()[0] for line in open(os.path.join(d, 'index.txt'))
                   if not line.startswith('#') and line.split()[2:] == ['protected32']}
    for name in sorted(os.listdir(d)):
        if not name.endswith('.txt') or name == 'index.txt':
            continue
        for lineno, line in enumerate(open(os.path.join(d, name)), 1):
            if line.startswith('#') or not line.strip():
                continue
            f = line.rstrip('\n').split(' | ')
            regs = [default_reg(n) for n in range(16)]
            for kv in f[2].split() if f[2] != '-' else []:
                k, v = kv.split('=')
                regs[REG64.index(k)] = int(v, 16)
            expected = list(regs)
            expected_rip = INSN_ADDR + len(f[1]) // 2
            for kv in f[5].split() if f[5] != '-' else []:
                k, v = kv.split('=')
                if k == 'rip':
                    expected_rip = int(v, 16)
                else:
                    expected[REG64.index(k)] = int(v, 16)
            mem = read_mem(f[4])
            s = State(regs, int(f[3], 16), mem, len(f[1]) // 2)
            s.protected32 = name[:-4] in protected32
            if not model(s, f[0]):
                continue
            expected_mem = dict(mem)
            expected_mem.update(read_mem(f[7]))
            checked += 1
            undef = int(f[8], 16)
            undef_regs = [REG64.index(r) for r in f[9].split()] if f[9] != '-' else []
            diffs = []
            for n in range(16):
                if n not in undef_regs and s.regs[n] != expected[n]:
                    diffs.append('%s model %016x host %016x' % (REG64[n], s.regs[n], expected[n]))
            for a in sorted(set(s.mem) | set(expected_mem)):
                if s.mem.get(a) != expected_mem.get(a):
                    diffs.append('mem %x model %s host %s' % (a, s.mem.get(a), expected_mem.get(a)))
                    break
            if s.rip != expected_rip:
                diffs.append('rip model %x host %x' % (s.rip, expected_rip))
            fd = (s.flags ^ int(f[6], 16)) & ~undef
            if fd:
                diffs.append('rflags model %x host %x (differ %x)' % (s.flags, int(f[6], 16), fd))
            if diffs:
                bad += 1
                print('%s:%d: %s: %s' % (name, lineno, f[0], '; '.join(diffs)))
    print('checked %d vectors against the SDM model; %d disagree' % (checked, bad))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
