#!/usr/bin/env python3
"""Generates the instruction-semantics vectors under src/test/resources/semantics/.

Each case is one x86-64 instruction (GNU Intel syntax) or a short "; "-separated sequence,
assembled with `as` and read back with `objdump`, then executed natively on the host CPU by
semantics-harness (see ../native/semantics-harness.c) from a seeded initial state: in 64-bit
mode, or (group legacy32) in 32-bit compatibility mode. Branches land on harness landing pads
that record where control went. The host's final state becomes the expected state. Flags the SDM calls undefined for the instruction (and, for a few
instructions, destination registers it calls undefined) are listed per case so the test
compares only what the SDM defines: the host is AMD, not Intel.

Usage (normally through gen-semantics-vectors.sh): gen-semantics-vectors.py HARNESS OUTDIR
Running it twice gives identical files: every random choice comes from random.Random seeded
per group with a fixed number, and nothing iterates over a hash-ordered collection.
"""
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

# ------------------------------------------------------------------ fixed layout (host = guest)
DATA_BASE = 0x10000000
DATA_SIZE = 0x10000
INSN_ADDR = 0x10020800
DEFAULT_RSP = 0x1000F000  # inside the data area; no non-stack instruction touches it
COMPAT_FLAG = 1 << 63  # harness target bit: run in 32-bit compatibility mode

REG64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
         'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15']
REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] + ['r%dd' % i for i in range(8, 16)]
REG16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] + ['r%dw' % i for i in range(8, 16)]
REG8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'] + ['r%db' % i for i in range(8, 16)]
HIGH8 = ['ah', 'ch', 'dh', 'bh']
NAMES = {8: REG8, 16: REG16, 32: REG32, 64: REG64}
PTR = {8: 'byte', 16: 'word', 32: 'dword', 64: 'qword', 128: 'xmmword'}
RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI = range(8)


def default_reg(n):
    """Value of a register the vector does not list (distinct per register)."""
    if n == RSP:
        return DEFAULT_RSP
    return 0x5EED000000000000 | (n * 0x0000010101010101)


CF, PF, AF, ZF, SF, OF, DF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800, 0x400
ARITH = CF | PF | AF | ZF | SF | OF
M64 = (1 << 64) - 1

# ------------------------------------------------------------------ undefined flags (SDM, Vol. 2)
# Each entry: mnemonic -> (flags the SDM calls undefined, where it says so). Entries whose
# mask depends on the operands are functions of (size, count) documented next to them.
UNDEF_FIXED = {
    'and': (AF, 'AND—Logical AND, Flags Affected: "The state of the AF flag is undefined."'),
    'or': (AF, 'OR—Logical Inclusive OR, Flags Affected: "The state of the AF flag is undefined."'),
    'xor': (AF, 'XOR—Logical Exclusive OR, Flags Affected: "The state of the AF flag is undefined."'),
    'test': (AF, 'TEST—Logical Compare, Flags Affected: "The state of the AF flag is undefined."'),
    'mul': (SF | ZF | AF | PF, 'MUL—Unsigned Multiply: "The SF, ZF, AF, and PF flags are undefined."'),
    'imul': (SF | ZF | AF | PF, 'IMUL—Signed Multiply: "The SF, ZF, AF, and PF flags are undefined."'),
    'div': (ARITH, 'DIV—Unsigned Divide: "The CF, OF, SF, ZF, AF, and PF flags are undefined."'),
    'idiv': (ARITH, 'IDIV—Signed Divide: "The CF, OF, SF, ZF, AF, and PF flags are undefined."'),
    'bt': (OF | SF | AF | PF, 'BT—Bit Test: "The ZF flag is unaffected. The OF, SF, AF, and PF flags are undefined."'),
    'bts': (OF | SF | AF | PF, 'BTS—Bit Test and Set: "The OF, SF, AF, and PF flags are undefined."'),
    'btr': (OF | SF | AF | PF, 'BTR—Bit Test and Reset: "The OF, SF, AF, and PF flags are undefined."'),
    'btc': (OF | SF | AF | PF, 'BTC—Bit Test and Complement: "The OF, SF, AF, and PF flags are undefined."'),
    'bsf': (CF | OF | SF | AF | PF, 'BSF—Bit Scan Forward: "The CF, OF, SF, AF, and PF flags are undefined." '
                                   '(destination undefined when the source is 0)'),
    'bsr': (CF | OF | SF | AF | PF, 'BSR—Bit Scan Reverse: "The CF, OF, SF, AF, and PF flags are undefined." '
                                   '(destination undefined when the source is 0)'),
    'lzcnt': (OF | SF | PF | AF,
              'LZCNT—Count the Number of Leading Zero Bits: "OF, SF, PF and AF flags are undefined."'),
    'tzcnt': (OF | SF | PF | AF,
              'TZCNT—Count the Number of Trailing Zero Bits: "OF, SF, PF and AF flags are undefined."'),
    'andn': (AF | PF, 'ANDN—Logical AND NOT: "AF and PF flags are undefined."'),
    'bextr': (AF | SF | PF, 'BEXTR—Bit Field Extract: "AF, SF and PF flags are undefined."'),
    'blsi': (AF | PF, 'BLSI—Extract Lowest Set Isolated Bit: "AF and PF flags are undefined."'),
    'blsmsk': (AF | PF, 'BLSMSK—Get Mask Up to Lowest Set Bit: "AF and PF flag are undefined."'),
    'blsr': (AF | PF, 'BLSR—Reset Lowest Set Bit: "AF and PF flags are undefined."'),
    'bzhi': (AF | PF, 'BZHI—Zero High Bits Starting with Specified Bit Position: "AF and PF flags are undefined."'),
}


def undef_shift(op, size, count):
    """SAL/SAR/SHL/SHR—Shift, Flags Affected: "The OF flag is affected only on 1-bit shifts. For
    left shifts, the OF flag is set to 0 [...]. The CF flag contents are undefined for SHL and
    SHR instructions where the count is greater than or equal to the size (in bits) of the
    destination operand. [...] For a non-zero count, the AF flag is undefined. If the count is
    0, the flags are not affected. If the count is greater than 1, the OF flag is undefined." """
    masked = count & (0x3F if size == 64 else 0x1F)
    if masked == 0:
        return 0
    m = AF
    if masked > 1:
        m |= OF
    if op in ('shl', 'shr') and masked >= size:
        m |= CF
    return m


def undef_rotate(size, count):
    """RCL/RCR/ROL/ROR—Rotate, Flags Affected: "If the masked count is 0, the flags are not
    affected. If the masked count is 1, then the OF flag is affected, otherwise (masked count is
    greater than 1) the OF flag is undefined." """
    masked = count & (0x3F if size == 64 else 0x1F)
    return OF if masked > 1 else 0


def undef_double_shift(size, count):
    """SHLD/SHRD—Double Precision Shift, Flags Affected: "For shifts greater than 1 bit, the OF
    flag is undefined. If a shift occurs, the AF flag is undefined. If the count operand is 0,
    the flags are not affected. If the count is greater than the operand size, the flags are
    undefined." (Counts above the operand size are never generated: the result is undefined.)"""
    masked = count & (0x3F if size == 64 else 0x1F)
    if masked == 0:
        return 0
    return AF | (OF if masked > 1 else 0)


# ------------------------------------------------------------------ cases

class Case:
    def __init__(self, group, rng):
        self.group = group
        self.rng = rng
        self.text = None
        self.asm = None          # assembler text when it differs from the display text
        self.regs = {}           # register number -> initial value
        self.flags = 0x202 | (rng.getrandbits(16) & (ARITH | DF))
        self.mem = {}            # absolute address -> initial byte
        self.undef = 0
        self.undef_regs = []
        self.rip_ea = None       # target of a RIP-relative operand; the text holds {disp}
        self.target = 0          # branch target in the code page (gets a landing pad), or 0
        self.compat = False      # run in 32-bit compatibility mode (the runner: protected mode)

    def set_reg(self, n, value):
        value &= M64
        if n in self.regs and self.regs[n] != value:
            raise AssertionError('%s: register %s set twice' % (self.text, REG64[n]))
        self.regs[n] = value

    def reg(self, op):
        """Randomizes (once) the register behind operand `op` = (number, size, high)."""
        n, size, high = op
        gpr = n
        if gpr not in self.regs:
            v = self.rng.getrandbits(64)
            if high:
                v = (v & ~0xFF00) | (rand_val(self.rng, 8) << 8)
            else:
                v = (v & ~mask(size)) | rand_val(self.rng, size)
            self.regs[gpr] = v
        return self.regs[gpr]

    def put(self, addr, data):
        if addr < DATA_BASE or addr + len(data) > DATA_BASE + DATA_SIZE:
            raise AssertionError('%s: memory outside the data area' % self.text)
        for i, b in enumerate(data):
            self.mem[addr + i] = b

    def put_random(self, addr, n):
        self.put(addr, bytes(self.rng.getrandbits(8) for _ in range(n)))

    def put_value(self, addr, bits, value=None):
        if value is None:
            value = rand_val(self.rng, bits) if bits <= 64 else self.rng.getrandbits(bits)
        self.put(addr, (value & mask(bits)).to_bytes(bits // 8, 'little'))


def mask(bits):
    return (1 << bits) - 1


def rand_val(rng, bits):
    """A value of `bits` bits: half uniformly random, half edge cases."""
    m = mask(bits)
    r = rng.random()
    if r < 0.5:
        return rng.getrandbits(bits)
    if r < 0.7:
        top = 1 << (bits - 1)
        return rng.choice([0, 1, 2, m, m - 1, top, top - 1, top + 1, 0x80 & m, 0x7F, 0xFF & m, 0x0F, 0x10])
    if r < 0.85:
        return rng.randrange(0, 256) & m
    return (m - rng.randrange(0, 256)) & m


def rand_signed(rng, bits):
    v = rand_val(rng, bits)
    return v - (1 << bits) if v >> (bits - 1) else v


def needs_rex(op):
    n, size, high = op
    return size == 64 or n >= 8 or (size == 8 and not high and 4 <= n <= 7)


def reg_name(op):
    n, size, high = op
    return HIGH8[n] if high else NAMES[size][n]


def pick_reg(rng, size, used=(), high_ok=False, legacy=False):
    """A register operand (number, size, high); never one of `used`."""
    while True:
        if size == 8 and high_ok and rng.random() < 0.25:
            op = (rng.randrange(4), 8, True)
        else:
            op = (rng.randrange(8 if legacy else 16), size, False)
        if legacy and needs_rex(op):
            continue
        if op[0] in used:
            continue
        return op


def imm_text(v):
    return ('-0x%x' % -v) if v < 0 else ('0x%x' % v)


def rand_imm(rng, size):
    """An immediate for an ALU form: imm8 (sign-extended) or a full immediate of the size."""
    if rng.random() < 0.4:
        return rng.randrange(-128, 128)
    if size == 64:
        return rand_signed(rng, 32)
    return rand_val(rng, size)


def data_addr(rng, align=1, lo=0x200, hi=0xE000):
    a = DATA_BASE + rng.randrange(lo, hi)
    if align > 1 or rng.random() < 0.7:
        a &= ~((align if align > 1 else rng.choice([2, 4, 8])) - 1)
    return a


def mem_operand(c, bits, used, align=1, legacy=False, margin=8, value=None, ea=None, nbytes=None):
    """Builds a memory operand of `bits` bits at a random address in the data area: picks an
    addressing form, sets its base/index registers, declares the bytes (with random margins)."""
    rng = c.rng
    if ea is None:
        ea = data_addr(rng, align)
    nregs = 8 if legacy else 16
    free = [n for n in range(nregs) if n not in used]
    form = rng.choice(['b', 'bd8', 'bd32', 'bis', 'bisd8', 'bisd32', 'isd32', 'abs'])
    if len(free) < 2 and form not in ('b', 'bd8', 'bd32', 'abs'):
        form = 'b'
    scale = rng.choice([1, 2, 4, 8])
    disp = 0
    if form in ('bd8', 'bisd8'):
        disp = rng.randrange(-128, 128)
    elif form in ('bd32', 'bisd32'):
        disp = rng.randrange(-0x8000, 0x8000) * rng.choice([1, 0x31])
    if form == 'abs':
        expr = '0x%x' % ea
    elif form == 'isd32':
        idx = rng.choice([n for n in free if n != RSP])
        iv = rng.randrange(-0x800, 0x800)
        c.set_reg(idx, iv)
        disp = ea - iv * scale
        expr = '%s*%d+0x%x' % (REG64[idx], scale, disp)
    else:
        base = rng.choice(free)
        bv = ea - disp
        expr = REG64[base]
        if form.startswith('bis'):
            idx = rng.choice([n for n in free if n != RSP and n != base])
            iv = rng.randrange(-0x800, 0x800)
            c.set_reg(idx, iv)
            bv -= iv * scale
            expr += '+%s*%d' % (REG64[idx], scale)
        c.set_reg(base, bv)
        if disp:
            expr += ('-0x%x' % -disp) if disp < 0 else ('+0x%x' % disp)
    n = nbytes if nbytes is not None else bits // 8
    c.put_random(ea - margin, margin)
    c.put_value(ea, n * 8, value)
    c.put_random(ea + n, margin)
    return '%s ptr [%s]' % (PTR[bits], expr) if bits in PTR else '[%s]' % expr, ea


def stack(c, below=48, above=48):
    """Points RSP into the data area and declares the bytes around it."""
    rng = c.rng
    rsp = DATA_BASE + rng.randrange(0x8000, 0xD000)
    if rng.random() < 0.85:
        rsp &= ~7
    c.set_reg(RSP, rsp)
    c.put_random(rsp - below, below + above)
    return rsp


def rm_source(c, size, reg_form, used):
    """An r/m source operand: a random register, or a memory operand whose address registers
    avoid `used`."""
    if reg_form:
        b = pick_reg(c.rng, size)
        c.reg(b)
        return reg_name(b)
    return mem_operand(c, size, used)[0]


# ------------------------------------------------------------------ groups
# Each generator yields Case objects with text and undef set; `N` scales the count.

ALU_OPS = ['add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test']


def undef_of(op):
    return UNDEF_FIXED[op][0] if op in UNDEF_FIXED else 0


def two_regs(rng, size, used=()):
    """Two register operands that can share one encoding: AH-BH only without a REX prefix."""
    a = pick_reg(rng, size, used, high_ok=True)
    b = pick_reg(rng, size, used, high_ok=not needs_rex(a), legacy=a[2])
    return a, b


def binary_operands(c, size, form):
    """The two operands of a 'rr', 'rm' (register, memory) or 'mr' (memory, register) form, as
    texts; registers are randomized and memory declared."""
    if form == 'rr':
        a, b = two_regs(c.rng, size)
        c.reg(a), c.reg(b)
        return reg_name(a), reg_name(b)
    a = pick_reg(c.rng, size)
    c.reg(a)
    m, _ = mem_operand(c, size, {a[0]})
    return (reg_name(a), m) if form == 'rm' else (m, reg_name(a))


def gen_alu(rng, n):
    for op in ALU_OPS:
        for size in (8, 16, 32, 64):
            forms = ['rr', 'rm', 'mr', 'ri', 'mi', 'ai']
            if op not in ('cmp', 'test'):
                forms.append('lock')
            for form in forms:
                for _ in range(n):
                    c = Case('alu', rng)
                    c.undef = undef_of(op)
                    if form in ('rr', 'rm', 'mr', 'lock'):
                        dst, src = binary_operands(c, size, 'mr' if form == 'lock' else form)
                        c.text = '%s%s %s, %s' % ('lock ' if form == 'lock' else '', op, dst, src)
                    elif form == 'ri':
                        a = pick_reg(rng, size, high_ok=True)
                        c.reg(a)
                        c.text = '%s %s, %s' % (op, reg_name(a), imm_text(rand_imm(rng, size)))
                    elif form == 'mi':
                        m, _ = mem_operand(c, size, ())
                        c.text = '%s %s, %s' % (op, m, imm_text(rand_imm(rng, size)))
                    else:  # accumulator with a full immediate
                        a = (RAX, size, False)
                        c.reg(a)
                        imm = rand_signed(rng, 32) if size == 64 else rand_val(rng, size)
                        c.text = '%s %s, %s' % (op, reg_name(a), imm_text(imm))
                    yield c


def gen_unary(rng, n):
    for op in ('inc', 'dec', 'neg', 'not'):
        for size in (8, 16, 32, 64):
            for form in ('r', 'm', 'lock'):
                for _ in range(n):
                    c = Case('unary', rng)
                    if form == 'r':
                        a = pick_reg(rng, size, high_ok=True)
                        c.reg(a)
                        c.text = '%s %s' % (op, reg_name(a))
                    else:
                        m, _ = mem_operand(c, size, ())
                        c.text = '%s%s %s' % ('lock ' if form == 'lock' else '', op, m)
                    yield c


def gen_mul(rng, n):
    for op in ('mul', 'imul'):
        for size in (8, 16, 32, 64):
            for form in ('r', 'm'):
                for _ in range(n):
                    c = Case('mul', rng)
                    c.undef = undef_of(op)
                    c.reg((RAX, 64, False)), c.reg((RDX, 64, False))
                    if form == 'r':
                        a = pick_reg(rng, size, high_ok=True)
                        c.reg(a)
                        c.text = '%s %s' % (op, reg_name(a))
                    else:
                        m, _ = mem_operand(c, size, {RAX, RDX})
                        c.text = '%s %s' % (op, m)
                    yield c
    for size in (16, 32, 64):
        for form in ('rr', 'rm', 'rri', 'rmi'):
            for _ in range(n * 2):
                c = Case('mul', rng)
                c.undef = undef_of('imul')
                a = pick_reg(rng, size)
                c.reg(a)
                if form.startswith('rr'):
                    b = pick_reg(rng, size)
                    c.reg(b)
                    src = reg_name(b)
                else:
                    src, _ = mem_operand(c, size, {a[0]})
                if form.endswith('i'):
                    imm = rng.randrange(-128, 128) if rng.random() < 0.5 else (
                        rand_signed(rng, 16) if size == 16 else rand_signed(rng, 32))
                    c.text = 'imul %s, %s, %s' % (reg_name(a), src, imm_text(imm))
                else:
                    c.text = 'imul %s, %s' % (reg_name(a), src)
                yield c


def div_operands(rng, op, size):
    """(dividend high, dividend low, divisor) that do not raise #DE."""
    m = mask(size)
    while True:
        if op == 'div':
            d = rand_val(rng, size)
            if d == 0:
                continue
            hi = rng.randrange(0, d) if rng.random() < 0.7 else rng.randrange(0, min(d, 4))
            return hi, rand_val(rng, size), d
        d = rand_signed(rng, size)
        if d == 0:
            continue
        lim = (1 << (size - 1)) - 1
        q = rng.randrange(-lim, lim + 1) if rng.random() < 0.6 else rand_signed(rng, size)
        if q < -lim:
            continue
        r = rng.randrange(0, abs(d))
        dividend = q * d + (r if (q * d) >= 0 else -r)
        if rng.random() < 0.2:
            dividend = q * d
        # truncating division as the SDM defines it
        qq = abs(dividend) // abs(d)
        if (dividend < 0) != (d < 0):
            qq = -qq
        if qq != q or abs(dividend) >= 1 << (2 * size - 1):
            continue
        u = dividend & mask(2 * size)
        return u >> size, u & m, d & m


def gen_div(rng, n):
    for op in ('div', 'idiv'):
        for size in (8, 16, 32, 64):
            for form in ('r', 'm'):
                for _ in range(n * 2):
                    c = Case('div', rng)
                    c.undef = undef_of(op)
                    hi, lo, d = div_operands(rng, op, size)
                    rax = rng.getrandbits(64)
                    if size == 8:
                        c.set_reg(RAX, (rax & ~0xFFFF) | (hi << 8) | lo)
                    else:
                        c.set_reg(RAX, (rax & ~mask(size)) | lo)
                        c.set_reg(RDX, (rng.getrandbits(64) & ~mask(size)) | hi)
                    if form == 'r':
                        used = {RAX} if size == 8 else {RAX, RDX}
                        a = pick_reg(rng, size, used, high_ok=(size == 8))
                        gpr = a[0]
                        v = rng.getrandbits(64)
                        v = (v & ~0xFF00) | (d << 8) if a[2] else (v & ~mask(size)) | d
                        c.set_reg(gpr, v)
                        c.text = '%s %s' % (op, reg_name(a))
                    else:
                        m, _ = mem_operand(c, size, {RAX, RDX}, value=d)
                        c.text = '%s %s' % (op, m)
                    yield c


def shift_count(rng, size):
    r = rng.random()
    if r < 0.6:
        return rng.randrange(0, size + 2)
    if r < 0.8:
        return rng.choice([0, 1, 2, size - 1, size, 31, 32, 33, 63, 64, 65])
    return rng.randrange(0, 256)


def gen_shift_like(rng, n, group, ops, undef_fn):
    for op in ops:
        for size in (8, 16, 32, 64):
            for form in ('r1', 'm1', 'rcl', 'mcl', 'ri', 'mi'):
                for _ in range(n):
                    c = Case(group, rng)
                    if form.endswith('1'):
                        count = 1
                        cnt = '1'
                    elif form.endswith('cl'):
                        count = shift_count(rng, size)
                        c.set_reg(RCX, (rng.getrandbits(64) & ~0xFF) | count)
                        cnt = 'cl'
                    else:
                        count = shift_count(rng, size)
                        cnt = '%d' % count
                    if form[0] == 'r':
                        used = {RCX} if cnt == 'cl' else set()
                        a = pick_reg(rng, size, used, high_ok=(cnt != 'cl'))
                        c.reg(a)
                        dst = reg_name(a)
                    else:
                        dst, _ = mem_operand(c, size, {RCX} if cnt == 'cl' else ())
                    c.text = '%s %s, %s' % (op, dst, cnt)
                    c.undef = undef_fn(op, size, count)
                    yield c


def gen_shift(rng, n):
    yield from gen_shift_like(rng, n, 'shift', ('shl', 'shr', 'sar'), undef_shift)


def gen_rotate(rng, n):
    yield from gen_shift_like(rng, n, 'rotate', ('rol', 'ror', 'rcl', 'rcr'),
                              lambda op, size, count: undef_rotate(size, count))


def gen_shiftd(rng, n):
    for op in ('shld', 'shrd'):
        for size in (16, 32, 64):
            for form in ('rri', 'mri', 'rrc', 'mrc'):
                for _ in range(n * 2):
                    c = Case('shiftd', rng)
                    while True:
                        count = shift_count(rng, size)
                        if size != 16 or (count & 0x1F) <= 16:
                            break
                    used = set()
                    if form.endswith('c'):
                        c.set_reg(RCX, (rng.getrandbits(64) & ~0xFF) | count)
                        used = {RCX}
                        cnt = 'cl'
                    else:
                        cnt = '%d' % count
                    src = pick_reg(rng, size, used)
                    c.reg(src)
                    if form[0] == 'r':
                        a = pick_reg(rng, size, used)
                        c.reg(a)
                        dst = reg_name(a)
                    else:
                        dst, _ = mem_operand(c, size, used | {src[0]})
                    c.text = '%s %s, %s, %s' % (op, dst, reg_name(src), cnt)
                    c.undef = undef_double_shift(size, count)
                    yield c


def gen_bit(rng, n):
    for op in ('bt', 'bts', 'btr', 'btc'):
        for size in (16, 32, 64):
            forms = ['rr', 'ri', 'mr', 'mi']
            if op != 'bt':
                forms += ['lockmr', 'lockmi']
            for form in forms:
                for _ in range(n):
                    c = Case('bit', rng)
                    c.undef = undef_of(op)
                    lock = 'lock ' if form.startswith('lock') else ''
                    f = form[4:] if lock else form
                    if f == 'rr':
                        a = pick_reg(rng, size)
                        b = pick_reg(rng, size)
                        c.reg(a), c.reg(b)
                        c.text = '%s %s, %s' % (op, reg_name(a), reg_name(b))
                    elif f == 'ri':
                        a = pick_reg(rng, size)
                        c.reg(a)
                        c.text = '%s %s, %d' % (op, reg_name(a), rng.randrange(0, 256))
                    elif f == 'mi':
                        m, _ = mem_operand(c, size, ())
                        c.text = '%s%s %s, %d' % (lock, op, m, rng.randrange(0, 256))
                    else:
                        # A register bit offset selects a bit anywhere in the bit string (SDM
                        # "BT—Bit Test": signed, operand-size offset). Mostly near offsets within
                        # [-256, 511] with the reachable bytes declared; some far offsets, up to
                        # +-0x3000 bytes away (16-bit: the whole signed range), with the
                        # addressed unit declared.
                        b = pick_reg(rng, size)
                        r = rng.random()
                        far = r >= 0.85
                        if far:
                            lim = 0x8000 if size == 16 else 0x18000
                            off = rng.randrange(-lim, lim)
                        else:
                            off = rng.randrange(-256, 512) if r < 0.6 else rng.randrange(-16, size)
                        v = rng.getrandbits(64)
                        c.set_reg(b[0], (v & ~mask(size)) | (off & mask(size)) if size < 64 else off)
                        ea = data_addr(rng, 1, 0x4000, 0xA000) if far else data_addr(rng, 1, 0x400, 0xD000)
                        m, _ = mem_operand(c, size, {b[0]}, ea=ea)
                        if far:
                            unit = ea + (off // size) * (size // 8)
                            c.put_random(unit - 8, size // 8 + 16)
                        else:
                            c.put_random(ea - 40, 40)
                            c.put_random(ea + size // 8, 72)
                        c.text = '%s%s %s, %s' % (lock, op, m, reg_name(b))
                    yield c


def gen_unary_src(rng, n, group, ops, sizes, zero_is_undef_dest=False):
    """Forms `op r, r/m` with a register destination (BSF, BSR, POPCNT, LZCNT, TZCNT)."""
    for op in ops:
        for size in sizes:
            for form in ('rr', 'rm'):
                for _ in range(n):
                    c = Case(group, rng)
                    c.undef = undef_of(op)
                    a = pick_reg(rng, size)
                    c.reg(a)
                    zero = rng.random() < 0.15
                    if form == 'rr':
                        b = pick_reg(rng, size, {a[0]})
                        v = c.reg(b)
                        if zero:
                            c.regs[b[0]] = v & ~mask(size)
                        src = reg_name(b)
                        value = c.regs[b[0]] & mask(size)
                    else:
                        src, ea = mem_operand(c, size, {a[0]}, value=0 if zero else None)
                        value = int.from_bytes(bytes(c.mem[ea + i] for i in range(size // 8)), 'little')
                    c.text = '%s %s, %s' % (op, reg_name(a), src)
                    # the edge-value generator also yields zero sources, so look at the value
                    if value == 0 and zero_is_undef_dest:
                        c.undef_regs.append(a[0])
                    yield c


def gen_bitscan(rng, n):
    yield from gen_unary_src(rng, n * 2, 'bitscan', ('bsf', 'bsr'), (16, 32, 64), zero_is_undef_dest=True)


def gen_bitcount(rng, n):
    yield from gen_unary_src(rng, n * 2, 'bitcount', ('popcnt', 'lzcnt', 'tzcnt'), (16, 32, 64))


def gen_bmi1(rng, n):
    for size in (32, 64):
        for op in ('andn', 'bextr', 'blsi', 'blsmsk', 'blsr'):
            for form in ('r', 'm'):
                for _ in range(n * 2):
                    c = Case('bmi1', rng)
                    c.undef = undef_of(op)
                    a = pick_reg(rng, size)
                    c.reg(a)
                    if op in ('andn', 'bextr'):
                        b = pick_reg(rng, size)
                        if op == 'bextr':
                            start = rng.randrange(0, 72) if rng.random() < 0.8 else rng.randrange(256)
                            length = rng.randrange(0, 72) if rng.random() < 0.8 else rng.randrange(256)
                            if b[0] not in c.regs:
                                c.set_reg(b[0], (rng.getrandbits(64) & ~0xFFFF) | (length << 8) | start)
                        c.reg(b)
                        src = rm_source(c, size, form == 'r', {a[0], b[0]})
                        if op == 'andn':
                            c.text = 'andn %s, %s, %s' % (reg_name(a), reg_name(b), src)
                        else:
                            c.text = 'bextr %s, %s, %s' % (reg_name(a), src, reg_name(b))
                    else:
                        if form == 'r':
                            s = pick_reg(rng, size)
                            c.reg(s)
                            src = reg_name(s)
                        else:
                            src, _ = mem_operand(c, size, {a[0]}, value=0 if rng.random() < 0.15 else None)
                        c.text = '%s %s, %s' % (op, reg_name(a), src)
                    yield c


def gen_bmi2(rng, n):
    for size in (32, 64):
        for op in ('bzhi', 'mulx', 'pdep', 'pext', 'rorx', 'sarx', 'shlx', 'shrx'):
            for form in ('r', 'm'):
                for _ in range(n * 2):
                    c = Case('bmi2', rng)
                    c.undef = undef_of(op)
                    if op == 'mulx':
                        c.reg((RDX, 64, False))
                        a = pick_reg(rng, size, {RDX})
                        b = pick_reg(rng, size, {RDX, a[0]})
                        c.reg(a), c.reg(b)
                        src = rm_source(c, size, form == 'r', {RDX, a[0], b[0]})
                        c.text = 'mulx %s, %s, %s' % (reg_name(a), reg_name(b), src)
                        yield c
                        continue
                    a = pick_reg(rng, size)
                    c.reg(a)
                    if op == 'rorx':
                        cnt = rng.randrange(0, 256) if rng.random() < 0.3 else rng.randrange(0, size + 1)
                        src = rm_source(c, size, form == 'r', {a[0]})
                        c.text = 'rorx %s, %s, %d' % (reg_name(a), src, cnt)
                        yield c
                        continue
                    b = pick_reg(rng, size)
                    if op == 'bzhi' and b[0] not in c.regs:
                        idx = rng.randrange(0, 72) if rng.random() < 0.8 else rng.randrange(256)
                        c.set_reg(b[0], (rng.getrandbits(64) & ~0xFF) | idx)
                    elif op in ('sarx', 'shlx', 'shrx') and b[0] not in c.regs and rng.random() < 0.5:
                        c.set_reg(b[0], (rng.getrandbits(64) & ~0xFF) | rng.randrange(0, size + 2))
                    c.reg(b)
                    src = rm_source(c, size, form == 'r', {a[0], b[0]})
                    if op in ('pdep', 'pext'):
                        c.text = '%s %s, %s, %s' % (op, reg_name(a), reg_name(b), src)
                    else:
                        c.text = '%s %s, %s, %s' % (op, reg_name(a), src, reg_name(b))
                    yield c


def gen_adx(rng, n):
    for op in ('adcx', 'adox'):
        for size in (32, 64):
            for form in ('rr', 'rm'):
                for _ in range(n * 2):
                    c = Case('adx', rng)
                    a = pick_reg(rng, size)
                    c.reg(a)
                    src = rm_source(c, size, form == 'rr', {a[0]})
                    c.text = '%s %s, %s' % (op, reg_name(a), src)
                    yield c


def gen_mov(rng, n):
    for size in (8, 16, 32, 64):
        for form in ('rr', 'rm', 'mr', 'ri', 'mi'):
            for _ in range(n):
                c = Case('mov', rng)
                if form in ('rr', 'rm', 'mr'):
                    c.text = 'mov %s, %s' % binary_operands(c, size, form)
                elif form == 'ri':
                    a = pick_reg(rng, size, high_ok=True)
                    c.reg(a)
                    if size == 64 and rng.random() < 0.5:
                        c.text = 'movabs %s, 0x%x' % (reg_name(a), rand_val(rng, 64))
                    else:
                        c.text = 'mov %s, %s' % (reg_name(a), imm_text(rand_imm(rng, size)))
                else:
                    m, _ = mem_operand(c, size, ())
                    c.text = 'mov %s, %s' % (m, imm_text(rand_imm(rng, size)))
                yield c
    for op in ('movzx', 'movsx'):
        for dsize, ssize in ((16, 8), (32, 8), (64, 8), (32, 16), (64, 16)):
            for form in ('rr', 'rm'):
                for _ in range(n):
                    c = Case('mov', rng)
                    a = pick_reg(rng, dsize)
                    c.reg(a)
                    if form == 'rr':
                        b = pick_reg(rng, ssize, high_ok=not needs_rex(a), legacy=False)
                        if b[2] and needs_rex(a):
                            b = (b[0], ssize, False)
                        c.reg(b)
                        src = reg_name(b)
                    else:
                        src, _ = mem_operand(c, ssize, {a[0]})
                    c.text = '%s %s, %s' % (op, reg_name(a), src)
                    yield c
    for form in ('rr', 'rm'):
        for _ in range(n * 2):
            c = Case('mov', rng)
            a = pick_reg(rng, 64)
            c.reg(a)
            if form == 'rr':
                b = pick_reg(rng, 32)
                c.reg(b)
                src = reg_name(b)
            else:
                src, _ = mem_operand(c, 32, {a[0]})
            c.text = 'movsxd %s, %s' % (reg_name(a), src)
            yield c


def gen_movbe(rng, n):
    for size in (16, 32, 64):
        for form in ('rm', 'mr'):
            for _ in range(n * 2):
                c = Case('movbe', rng)
                a = pick_reg(rng, size)
                c.reg(a)
                m, _ = mem_operand(c, size, {a[0]})
                c.text = ('movbe %s, %s' % (reg_name(a), m)) if form == 'rm' else ('movbe %s, %s' % (m, reg_name(a)))
                yield c


def gen_xchg(rng, n):
    for size in (8, 16, 32, 64):
        for form in ('rr', 'rm', 'ar'):
            for _ in range(n):
                c = Case('xchg', rng)
                if form in ('rr', 'rm'):
                    c.text = 'xchg %s, %s' % binary_operands(c, size, 'rr' if form == 'rr' else 'mr')
                else:
                    if size == 8:
                        continue
                    a = pick_reg(rng, size)
                    c.reg(a), c.reg((RAX, size, False))
                    c.text = 'xchg %s, %s' % (NAMES[size][RAX], reg_name(a))
                yield c
        for form in ('rr', 'mr', 'lock'):
            for _ in range(n):
                c = Case('xchg', rng)
                dst, src = binary_operands(c, size, 'rr' if form == 'rr' else 'mr')
                c.text = '%sxadd %s, %s' % ('lock ' if form == 'lock' else '', dst, src)
                yield c
        for form in ('rr', 'mr', 'lock'):
            for _ in range(n * 2):
                c = Case('xchg', rng)
                equal = rng.random() < 0.5
                acc = c.reg((RAX, 64, False))
                src = pick_reg(rng, size, {RAX})
                c.reg(src)
                if form == 'rr':
                    d = pick_reg(rng, size, {RAX, src[0]})
                    dv = c.reg(d)
                    if size == 32:
                        # MANUAL: with a 32-bit destination register, whether a failed compare
                        # writes (and so zero-extends) the destination differs between vendors;
                        # clear the upper halves so the vector holds either way.
                        c.regs[d[0]] = dv = dv & mask(32)
                        c.regs[RAX] = acc = acc & mask(32)
                    if equal:
                        c.regs[RAX] = acc = (acc & ~mask(size)) | (dv & mask(size))
                    c.text = 'cmpxchg %s, %s' % (reg_name(d), reg_name(src))
                else:
                    if size == 32:
                        c.regs[RAX] = acc = acc & mask(32)
                    mval = acc & mask(size) if equal else None
                    m, _ = mem_operand(c, size, {RAX, src[0]}, value=mval)
                    c.text = '%scmpxchg %s, %s' % ('lock ' if form == 'lock' else '', m, reg_name(src))
                yield c
    for op, bits in (('cmpxchg8b', 64), ('cmpxchg16b', 128)):
        for form in ('m', 'lock'):
            for _ in range(n * 3):
                c = Case('xchg', rng)
                half = bits // 2
                lo, hi = rand_val(rng, half), rand_val(rng, half)
                equal = rng.random() < 0.5
                if bits == 64:
                    # MANUAL: as for CMPXCHG r32, keep the upper halves of RAX/RDX clear.
                    c.set_reg(RAX, lo if equal else rand_val(rng, 32))
                    c.set_reg(RDX, hi if equal else rand_val(rng, 32))
                else:
                    c.set_reg(RAX, lo if equal else rand_val(rng, 64))
                    c.set_reg(RDX, hi if equal else rand_val(rng, 64))
                c.reg((RBX, 64, False)), c.reg((RCX, 64, False))
                m, _ = mem_operand(c, bits, {RAX, RDX, RBX, RCX}, align=16 if bits == 128 else 1,
                                   value=(hi << half) | lo)
                m = m.replace('qword ptr ', '').replace('xmmword ptr ', '')
                c.text = '%s%s %s' % ('lock ' if form == 'lock' else '', op, m)
                yield c


def gen_bswap(rng, n):
    for size in (32, 64):
        for _ in range(n * 4):
            c = Case('bswap', rng)
            a = pick_reg(rng, size)
            c.reg(a)
            c.text = 'bswap %s' % reg_name(a)
            yield c


def gen_convert(rng, n):
    for op in ('cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo'):
        for _ in range(n * 3):
            c = Case('convert', rng)
            c.reg((RAX, 64, False)), c.reg((RDX, 64, False))
            c.text = op
            yield c


def gen_flags(rng, n):
    for op in ('lahf', 'sahf', 'clc', 'stc', 'cmc', 'cld', 'std'):
        for _ in range(n * 2):
            c = Case('flags', rng)
            c.reg((RAX, 64, False))
            c.text = op
            yield c


CONDS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g']


def gen_setcc(rng, n):
    for cc in CONDS:
        for form in ('r', 'm'):
            for _ in range(n):
                c = Case('setcc', rng)
                if form == 'r':
                    a = pick_reg(rng, 8, high_ok=True)
                    c.reg(a)
                    dst = reg_name(a)
                else:
                    dst, _ = mem_operand(c, 8, ())
                c.text = 'set%s %s' % (cc, dst)
                yield c


def gen_cmovcc(rng, n):
    for cc in CONDS:
        for size in (16, 32, 64):
            for form in ('rr', 'rm'):
                for _ in range(max(1, n // 2)):
                    c = Case('cmovcc', rng)
                    a = pick_reg(rng, size)
                    c.reg(a)
                    src = rm_source(c, size, form == 'rr', {a[0]})
                    c.text = 'cmov%s %s, %s' % (cc, reg_name(a), src)
                    yield c


def gen_lea(rng, n):
    forms = ['b', 'bd8', 'bd32', 'bi', 'bid8', 'bid32', 'id32', 'd32', 'rip']
    for asize in (64, 32):
        for dsize in (16, 32, 64):
            for form in forms:
                if asize == 32 and form == 'rip':
                    continue
                for _ in range(n):
                    c = Case('lea', rng)
                    a = pick_reg(rng, dsize)
                    c.reg(a)
                    names = REG64 if asize == 64 else REG32
                    parts = []
                    if form in ('b', 'bd8', 'bd32', 'bi', 'bid8', 'bid32'):
                        base = rng.randrange(16)
                        c.reg((base, 64, False))
                        parts.append(names[base])
                    if form.startswith('bi') or form == 'id32':
                        idx = rng.choice([i for i in range(16) if i != RSP])
                        c.reg((idx, 64, False))
                        parts.append('%s*%d' % (names[idx], rng.choice([1, 2, 4, 8])))
                    if form == 'rip':
                        parts.append('rip')
                    if form.endswith('d8'):
                        parts.append(imm_text(rng.randrange(-128, 128)))
                    elif form.endswith('d32') or form == 'rip':
                        parts.append(imm_text(rand_signed(rng, 32)))
                    expr = '+'.join(parts).replace('+-', '-')
                    if form == 'd32':
                        expr = imm_text(rand_val(rng, 31))
                    c.text = 'lea %s, [%s]' % (reg_name(a), expr)
                    yield c


def gen_stack(rng, n):
    for _ in range(n * 2):
        for size in (64, 16):
            c = Case('stack', rng)
            stack(c)
            a = pick_reg(rng, size, {RSP} if rng.random() < 0.8 else ())
            c.reg(a)
            c.text = 'push %s' % reg_name(a)
            yield c
            c = Case('stack', rng)
            stack(c)
            a = pick_reg(rng, size, {RSP} if rng.random() < 0.8 else ())
            if a[0] != RSP:
                c.reg(a)
            c.text = 'pop %s' % reg_name(a)
            yield c
            c = Case('stack', rng)
            rsp = stack(c)
            if rng.random() < 0.3:
                m = '%s ptr [rsp+%d]' % (PTR[size], rng.randrange(0, 24))
            else:
                m, _ = mem_operand(c, size, {RSP})
            c.text = 'push %s' % m
            yield c
            c = Case('stack', rng)
            rsp = stack(c)
            if rng.random() < 0.3:
                m = '%s ptr [rsp+%d]' % (PTR[size], rng.randrange(0, 24))
            else:
                m, _ = mem_operand(c, size, {RSP})
            c.text = 'pop %s' % m
            yield c
        for text in ('push %s' % imm_text(rng.randrange(-128, 128)),
                     'push %s' % imm_text(rand_signed(rng, 32)),
                     'pushw %s' % imm_text(rand_val(rng, 16)),
                     'pushfq', 'pushfw', 'popfq', 'popfw', 'leave', 'enter'):
            c = Case('stack', rng)
            rsp = stack(c)
            if text in ('popfq', 'popfw'):
                # Only bits a CPL-3 POPF can change identically to a CPL-0 one: the arithmetic
                # flags, DF and the fixed bits (3, 5 and 15 must read back as 0).
                img = 0x202 | (rng.getrandbits(16) & (ARITH | DF | 0x8028))
                c.put(rsp, img.to_bytes(8 if text == 'popfq' else 2, 'little'))
            if text == 'leave':
                rbp = DATA_BASE + rng.randrange(0x8000, 0xD000) & ~7
                c.set_reg(RBP, rbp)
                c.put_random(rbp - 16, 32)
            if text == 'enter':
                level = rng.choice([0, 0, 1, 2, 3])
                alloc = rng.randrange(0, 64)
                rbp = rsp + rng.randrange(64, 512) & ~7
                c.set_reg(RBP, rbp)
                c.put_random(rbp - 8 * level - 8, 8 * level + 16)
                c.put_random(rsp - 96 - alloc, 96 + alloc)
                text = 'enter %d, %d' % (alloc, level)
            c.text = text
            yield c


STRING_SUFFIX = {8: 'b', 16: 'w', 32: 'd', 64: 'q'}


def gen_string(rng, n):
    for op in ('movs', 'stos', 'lods', 'cmps', 'scas'):
        for size in (8, 16, 32, 64):
            prefixes = ['', 'rep '] if op in ('movs', 'stos', 'lods') else ['', 'repe ', 'repne ']
            for prefix in prefixes:
                for addr32 in (False, True):
                    for _ in range(n if not addr32 else max(1, n // 4)):
                        c = Case('string', rng)
                        width = size // 8
                        count = rng.randrange(0, 13) if prefix else rng.randrange(1, 4)
                        span = width * max(count, 1) + 16
                        df = c.flags & DF
                        if prefix:
                            c.set_reg(RCX, count)
                        else:
                            c.reg((RCX, 64, False))
                        lo = 0x1000 + span
                        rsi = DATA_BASE + rng.randrange(lo, 0x6000)
                        rdi = DATA_BASE + rng.randrange(0x8000, 0xE000 - span)
                        if rng.random() < 0.8:
                            rsi &= ~(width - 1)
                            rdi &= ~(width - 1)
                        if op in ('movs', 'cmps', 'lods'):
                            c.set_reg(RSI, rsi)
                        else:
                            c.reg((RSI, 64, False))
                        if op in ('movs', 'cmps', 'stos', 'scas'):
                            c.set_reg(RDI, rdi)
                        else:
                            c.reg((RDI, 64, False))
                        c.reg((RAX, 64, False))
                        first = -span + width if df else -16
                        if op in ('movs', 'cmps', 'lods'):
                            c.put_random(rsi + first, span + 16)
                        if op in ('movs', 'cmps', 'stos', 'scas'):
                            c.put_random(rdi + first, span + 16)
                        if op in ('cmps', 'scas'):
                            # make runs of equal elements so REPE/REPNE stop at different points
                            step = -width if df else width
                            k = rng.randrange(0, max(count, 1) + 1)
                            for i in range(max(count, 1)):
                                if op == 'cmps':
                                    src = bytes(c.mem[rsi + i * step + j] for j in range(width))
                                else:
                                    src = (c.regs[RAX] & mask(size)).to_bytes(width, 'little')
                                if (prefix == 'repne ') != (i < k):
                                    c.put(rdi + i * step, src)
                        c.text = '%s%s%s%s' % ('addr32 ' if addr32 else '', prefix, op, STRING_SUFFIX[size])
                        yield c


    # Overlapping REP MOVS: the SDM moves element by element, so a destination just above the
    # source (DF=0) or just below it (DF=1) replicates the first elements (not a memmove).
    for size in (8, 16, 32, 64):
        width = size // 8
        for _ in range(n * 2):
            c = Case('string', rng)
            count = rng.randrange(2, 25)
            down = rng.random() < 0.5
            c.flags = (c.flags & ~DF) | (DF if down else 0)
            k = rng.randrange(1, 4) * width if rng.random() < 0.8 else rng.randrange(1, width + 1)
            rsi = DATA_BASE + rng.randrange(0x2000, 0xC000)
            rdi = rsi - k if down else rsi + k
            if rng.random() < 0.25:
                rdi = rsi + k if down else rsi - k  # the overlap that does not replicate
            c.set_reg(RCX, count)
            c.set_reg(RSI, rsi)
            c.set_reg(RDI, rdi)
            c.reg((RAX, 64, False))
            span = width * count + 16
            lo = min(rsi, rdi) - (span if down else 16)
            c.put_random(lo, 2 * span + 32)
            c.text = 'rep movs%s' % STRING_SUFFIX[size]
            yield c


def gen_misc(rng, n):
    for text, asm in (('nop', None), ('nop dword ptr [rax]', None), ('nop word ptr [rax+rax*1+0x0]', None),
                      ('pause', None), ('endbr64', None), ('lfence', None), ('mfence', None), ('sfence', None),
                      ('xchg eax, eax (87 c0)', '.byte 0x87, 0xc0'),
                      ('xchg r8, rax', None), ('xchg rax, rax (48 90)', '.byte 0x48, 0x90')):
        for _ in range(n):
            c = Case('misc', rng)
            c.reg((RAX, 64, False)), c.reg((8, 64, False))
            c.text = text
            c.asm = asm
            yield c
    for _ in range(n * 3):
        # XLAT reads [RBX + zero-extended AL]: declare the whole 256-byte table.
        c = Case('misc', rng)
        rbx = data_addr(rng, 1, 0x400, 0xD000)
        c.set_reg(RBX, rbx)
        c.reg((RAX, 64, False))
        c.put_random(rbx, 256)
        c.text = 'xlatb'
        yield c


def alt_mem_operand(c, bits, used, mode):
    """A memory operand with a 32-bit address size (mode 'a32': base/index upper halves random
    and ignored, sums wrap at 4 GiB) or RIP-relative (mode 'rip': the displacement is filled in
    once the instruction length is known, see resolve_rip_relative)."""
    rng = c.rng
    ea = data_addr(rng)
    free = [n for n in range(16) if n not in used]
    if mode == 'rip':
        c.rip_ea = ea
        expr = 'rip+{disp}'
    else:
        form = rng.choice(['b', 'bd8', 'bd32', 'bis', 'bisd32', 'isd32'])
        scale = rng.choice([1, 2, 4, 8])
        disp = {'bd8': rng.randrange(-128, 128), 'bd32': rand_signed(rng, 32),
                'bisd32': rand_signed(rng, 32)}.get(form, 0)
        upper = lambda: rng.getrandbits(32) << 32  # noqa: E731
        rest = ea - disp
        parts = []
        idx = None
        if form.startswith('bis') or form == 'isd32':
            idx = rng.choice([n for n in free if n != RSP])
            iv = rng.randrange(-0x800, 0x800)
            c.set_reg(idx, upper() | (iv & mask(32)))
            rest -= iv * scale
        if form == 'isd32':
            disp = signed(rest & mask(32), 32)
        else:
            base = rng.choice([n for n in free if n != idx])
            c.set_reg(base, upper() | (rest & mask(32)))
            parts.append(REG32[base])
        if idx is not None:
            parts.append('%s*%d' % (REG32[idx], scale))
        if disp:
            parts.append(imm_text(disp))
        expr = '+'.join(parts).replace('+-', '-')
    c.put_random(ea - 8, 8)
    c.put_value(ea, bits)
    c.put_random(ea + bits // 8, 8)
    return '%s ptr [%s]' % (PTR[bits], expr)


def signed(v, bits):
    return v - (1 << bits) if v >> (bits - 1) else v


ADDRESSING_FORMS = [
    # (text with {m} {r} {i8} {i} {c}, operand sizes)
    ('mov {r}, {m}', (8, 16, 32, 64)),
    ('mov {m}, {r}', (8, 16, 32, 64)),
    ('mov {m}, {i}', (8, 16, 32, 64)),
    ('add {m}, {i8}', (16, 32, 64)),
    ('add {m}, {i}', (8, 16, 32, 64)),
    ('cmp {m}, {i}', (8, 16, 32, 64)),
    ('test {m}, {i}', (8, 16, 32, 64)),
    ('sub {r}, {m}', (8, 16, 32, 64)),
    ('inc {m}', (8, 16, 32, 64)),
    ('shl {m}, {c}', (8, 16, 32, 64)),
    ('xchg {m}, {r}', (8, 16, 32, 64)),
    ('imul {r}, {m}, {i}', (16, 32, 64)),
    ('bt {m}, {c}', (16, 32, 64)),
]


def gen_crc32(rng, n):
    # CRC32 (SSE4.2; a general-purpose-register instruction): flags unaffected.
    for dsize, ssize in ((32, 8), (32, 16), (32, 32), (64, 8), (64, 64)):
        for form in ('rr', 'rm'):
            for _ in range(n):
                c = Case('crc32', rng)
                a = pick_reg(rng, dsize)
                c.reg(a)
                if form == 'rr':
                    b = pick_reg(rng, ssize, high_ok=dsize == 32)
                    if b[2] and needs_rex(a):
                        b = (b[0], ssize, False)
                    c.reg(b)
                    src = reg_name(b)
                else:
                    src, _ = mem_operand(c, ssize, {a[0]})
                c.text = 'crc32 %s, %s' % (reg_name(a), src)
                yield c


PREFIX_FORMS = [
    # (text, bytes, memory base register or None, memory operand bytes). SDM "REX Prefixes":
    # a REX prefix not immediately before the opcode is ignored; REX.W wins over 66H; with any
    # REX, ModRM 4-7 name SPL/BPL/SIL/DIL. SDM "Segment Override Prefixes" (64-bit mode): CS, DS,
    # ES and SS overrides are ignored. SDM "Instruction Format": at most 15 bytes.
    ('add eax, ebx (40 01 d8: empty REX)', '40 01 d8', None, 0),
    ('add ax, bx (48 66 01 d8: REX before 66 is ignored)', '48 66 01 d8', None, 0),
    ('add ax, bx (4f 66 01 d8: REX before 66 is ignored)', '4f 66 01 d8', None, 0),
    ('add ax, bx (66 66 01 d8: repeated 66)', '66 66 01 d8', None, 0),
    ('add rax, rbx (66 48 01 d8: REX.W wins over 66)', '66 48 01 d8', None, 0),
    ('mov al, spl (40 88 e0)', '40 88 e0', None, 0),
    ('mov al, ah (88 e0)', '88 e0', None, 0),
    ('mov spl, 0x12 (40 c6 c4 12)', '40 c6 c4 12', None, 0),
    ('mov ah, 0x12 (c6 c4 12)', 'c6 c4 12', None, 0),
    ('xchg r8d, eax (41 90)', '41 90', None, 0),
    ('xchg ax, ax (66 90)', '66 90', None, 0),
    ('nop qword ptr [rax] (48 0f 1f 00)', '48 0f 1f 00', None, 0),
    ('movabs rax, 0x807060504030201 (66 48 b8: REX.W wins over 66)', '66 48 b8 01 02 03 04 05 06 07 08', None, 0),
    ('add dword ptr cs:[rax], ebx (2e 01 18)', '2e 01 18', RAX, 4),
    ('add dword ptr es:ds:[rax], ebx (26 3e 01 18)', '26 3e 01 18', RAX, 4),
    ('mov eax, dword ptr ss:[rbx] (36 8b 03)', '36 8b 03', RBX, 4),
    ('nop word ptr cs:[rax+rax*1] (15 bytes: 66 x6, 2e 0f 1f 84 00 00000000)',
     '66 66 66 66 66 66 2e 0f 1f 84 00 00 00 00 00', RAX, 2),
]


def gen_prefixes(rng, n):
    for text, hexbytes, base, size in PREFIX_FORMS:
        for _ in range(n):
            c = Case('prefixes', rng)
            if base is not None:
                ea = data_addr(rng) & ~1
                c.set_reg(base, ea // 2 if 'rax*1' in text else ea)  # [rax+rax*1] addresses 2*rax
                c.put_random(ea - 8, 8)
                c.put_value(ea, size * 8)
                c.put_random(ea + size, 8)
            for n_ in (RAX, RBX, RSP, 8):
                c.reg((n_, 64, False))
            c.text = text
            c.asm = '.byte ' + ', '.join('0x' + b for b in hexbytes.split())
            yield c


BCD_UNDEF = {
    # SDM, Flags Affected of each instruction page
    'daa': OF,                  # DAA—Decimal Adjust AL After Addition: "The OF flag is undefined."
    'das': OF,                  # DAS—Decimal Adjust AL After Subtraction: "The OF flag is undefined."
    'aaa': OF | SF | ZF | PF,   # AAA—ASCII Adjust After Addition: "The OF, SF, ZF, and PF flags are undefined."
    'aas': OF | SF | ZF | PF,   # AAS—ASCII Adjust AL After Subtraction: same
    'aam': OF | AF | CF,        # AAM—ASCII Adjust AX After Multiply: "The OF, AF, and CF flags are undefined."
    'aad': OF | AF | CF,        # AAD—ASCII Adjust AX Before Division: "The OF, AF, and CF flags are undefined."
}


def gen_legacy32(rng, n):
    """Instructions of 32-bit code (run in compatibility mode on the host, protected mode in the
    emulator): BCD adjustments, INC/DEC 40-4F, PUSHA/POPA, 32-bit default operand and address
    sizes. Registers start with clear upper halves."""
    def case():
        c = Case('legacy32', rng)
        c.compat = True
        for r in range(8):
            if r != RSP:
                c.set_reg(r, rand_val(rng, 32))
        return c

    for op in ('daa', 'das', 'aaa', 'aas', 'aam', 'aad'):
        for _ in range(n * 4):
            c = case()
            if rng.random() < 0.6:  # mostly BCD-looking AL/AH values
                al = rng.randrange(0, 10) | (rng.randrange(0, 16) << 4) if op in ('aaa', 'aas') else \
                    rng.randrange(0, 0x9A) + rng.choice([0, 0, 6, 0x60, 0x66]) & 0xFF
                c.regs[RAX] = (c.regs[RAX] & ~0xFF) | al
            imm = ''
            if op in ('aam', 'aad') and rng.random() < 0.4:
                imm = ' %s' % imm_text(rng.randrange(1, 256))
            c.text = op + imm
            c.undef = BCD_UNDEF[op]
            yield c
    for op in ('inc', 'dec'):
        for size in (16, 32):
            for _ in range(n):
                c = case()
                r = rng.randrange(8)
                if r == RSP:
                    c.set_reg(r, rand_val(rng, 32))
                c.text = '%s %s' % (op, NAMES[size][r])
                yield c
    for text in ('pushad', 'popad', 'pushaw', 'popaw', 'push {r32}', 'pop {r32}', 'push {r16}', 'pop {r16}',
                 'push {imm}', 'pushfd', 'popfd', 'leave', 'enter {alloc}, 0'):
        for _ in range(n):
            c = case()
            rsp = stack(c, 48, 48)
            if text == 'popfd':
                c.put(rsp, (0x202 | (rng.getrandbits(16) & (ARITH | DF | 0x8028))).to_bytes(4, 'little'))
            if text == 'leave':
                rbp = (DATA_BASE + rng.randrange(0x8000, 0xD000)) & ~3
                c.regs[RBP] = rbp
                c.put_random(rbp - 8, 16)
            r = rng.randrange(8)
            if r == RSP and text.startswith('pop'):
                r = RAX
            c.text = text.format(r32=REG32[r], r16=REG16[r], imm=imm_text(rand_signed(rng, 32)),
                                 alloc=rng.randrange(0, 64))
            yield c
    for op in ('add', 'adc', 'sub', 'xor', 'cmp', 'shl', 'sar', 'imul', 'xchg', 'mov', 'lea'):
        for size in (16, 32):
            for form in ('rr', 'rm'):
                for _ in range(n):
                    c = case()
                    a = pick_reg(rng, size, {RSP}, legacy=True)
                    if form == 'rr' or op in ('shl', 'sar'):
                        b = pick_reg(rng, size, {RSP}, legacy=True)
                        src = reg_name(b) if op not in ('shl', 'sar') else str(rng.randrange(0, 40))
                    else:
                        # a 32-bit address from one base register (default address size in 32-bit code)
                        free = [x for x in range(8) if x not in (a[0], RSP)]
                        base = rng.choice(free)
                        ea = data_addr(rng)
                        disp = rng.randrange(-128, 128)
                        c.regs[base] = ea - disp
                        c.put_random(ea - 8, 8)
                        c.put_value(ea, size)
                        c.put_random(ea + size // 8, 8)
                        src = '%s ptr [%s%s]' % (PTR[size], REG32[base],
                                                 ('-0x%x' % -disp) if disp < 0 else '+0x%x' % disp)
                    if op == 'lea':
                        if form == 'rr':
                            continue
                        src = src.split(' ptr ')[1]
                    c.text = '%s %s, %s' % (op, reg_name(a), src)
                    c.undef = undef_shift(op, size, int(src)) if op in ('shl', 'sar') else undef_of(op)
                    yield c
    # branches in 32-bit code: EIP-relative targets, 32-bit return addresses, ECX/CX counters
    for form in ('jcc8', 'jcc32', 'jmp', 'call', 'callr', 'callm', 'jmpr', 'ret', 'reti', 'loop', 'loope',
                 'loopne', 'jecxz', 'jcxz'):
        for _ in range(n * 2):
            c = case()
            c.target, dest = branch_target(rng, form in ('jcc8', 'loop', 'loope', 'loopne', 'jecxz', 'jcxz'))
            rsp = stack(c)
            if form in ('jcc8', 'jcc32'):
                c.text = '%sj%s %s' % ('{disp32} ' if form == 'jcc32' else '', rng.choice(CONDS), dest)
            elif form in ('jmp', 'call'):
                c.text = '%s %s' % (form, dest)
            elif form in ('callr', 'jmpr'):
                r = rng.choice([x for x in range(8) if x != RSP])
                c.regs[r] = c.target
                c.text = '%s %s' % (form[:-1], REG32[r])
            elif form == 'callm':
                base = rng.choice([x for x in range(8) if x != RSP])
                ea = data_addr(rng, 4)
                c.regs[base] = ea
                c.put(ea, c.target.to_bytes(4, 'little'))
                c.text = 'call dword ptr [%s]' % REG32[base]
            elif form in ('ret', 'reti'):
                c.put(rsp, c.target.to_bytes(4, 'little'))
                c.text = 'ret' if form == 'ret' else 'ret %s' % imm_text(rng.randrange(0, 40))
            else:
                if rng.random() < 0.5:
                    c.regs[RCX] = rng.choice([0, 1, 2, 0x10000, 0x10001])
                c.text = '%s %s' % (form, dest)
            yield c
    # string instructions with the 32-bit default address size (ESI/EDI/ECX)
    for op in ('movs', 'stos', 'lods', 'cmps', 'scas'):
        for size in (8, 16, 32):
            for prefix in ('', 'rep ' if op in ('movs', 'stos', 'lods') else 'repe '):
                for _ in range(n // 2):
                    c = case()
                    width = size // 8
                    count = rng.randrange(0, 10)
                    if prefix:
                        c.regs[RCX] = count
                    down = c.flags & DF
                    rsi = DATA_BASE + rng.randrange(0x1100, 0x6000)
                    rdi = DATA_BASE + rng.randrange(0x8100, 0xD000)
                    c.regs[RSI], c.regs[RDI] = rsi, rdi
                    span = width * max(count, 1) + 16
                    for base in (rsi, rdi):
                        c.put_random(base - span if down else base - 16, span + 16 + width)
                    if op in ('cmps', 'scas') and rng.random() < 0.7:
                        for i in range(count):
                            step = -width if down else width
                            src = (bytes(c.mem[rsi + i * step + j] for j in range(width)) if op == 'cmps'
                                   else (c.regs[RAX] & mask(size)).to_bytes(width, 'little'))
                            if i < count - 1:
                                c.put(rdi + i * step, src)
                    c.text = '%s%s%s' % (prefix, op, STRING_SUFFIX[size])
                    yield c


# Short sequences: flags produced by one instruction and consumed by the next (lazy flags, fast
# condition paths, CF kept by INC and by a shift of 0). Placeholders: {a} {b} {c} {d} registers
# of one random size, {r8} an 8-bit register, {cc} a condition. Each entry: (text, undefined
# flags after the whole sequence, with the SDM page that leaves them undefined).
SEQUENCES = [
    ('add {a}, {b}; adc {c}, {d}', 0),
    ('sub {a}, {b}; sbb {c}, {d}', 0),
    ('cmp {a}, {b}; set{cc} {r8}', 0),
    ('cmp {a}, {b}; cmov{cc} {c32}, {d32}', 0),
    ('sub {a}, {b}; set{cc} {r8}', 0),
    ('add {a}, {b}; set{cc} {r8}', 0),
    ('test {a}, {b}; set{cc} {r8}', AF),            # TEST: AF undefined
    ('and {a}, {b}; cmov{cc} {c32}, {d32}', AF),    # AND: AF undefined
    ('inc {a}; set{cc} {r8}', 0),
    ('dec {a}; set{cc} {r8}', 0),
    ('neg {a}; set{cc} {r8}', 0),
    ('add {a}, {b}; inc {c}; adc {d}, {a}', 0),    # INC keeps CF
    ('add {a}, {b}; shl {c}, cl; setc {r8}', 0),   # CL = 0: no flag changes
    ('neg {a}; sbb {b}, {b}', 0),
    ('cmp {a}, {b}; sbb {c}, {c}', 0),
    ('bt {a16}, {b16}; setc {r8}', OF | SF | AF | PF),  # BT: OF, SF, AF, PF undefined
    ('imul {a16}, {b16}; seto {r8}', SF | ZF | AF | PF),  # IMUL: SF, ZF, AF, PF undefined
    ('popcnt {a16}, {b16}; setz {r8}', 0),
    ('add {a}, {b}; lahf', 0),
    ('sahf; set{cc} {r8}', 0),
    ('stc; rcl {a}, 1', 0),
    ('clc; rcr {a}, 1', 0),
    ('sub {a}, {b}; cmc; sbb {c}, {d}', 0),
    ('add {a64}, {b64}; adox {c64}, {d64}; adcx {c64}, {a64}', 0),
    ('xor {a32}, {a32}; set{cc} {r8}', AF),         # XOR: AF undefined
    ('shl {a}, 3; set{cc} {r8}', OF | AF),          # SHL count 3: OF, AF undefined
    ('add {a}, {b}; pushfq', 0),
    ('std; rep stosq', 0),
    ('std; rep movsb', 0),
    ('cld; rep stosd', 0),
]


def gen_sequences(rng, n):
    for text, undef in SEQUENCES:
        conds = CONDS if '{cc}' in text else [None]
        for cc in conds:
            for _ in range(n if cc is None else max(1, n // 3)):
                c = Case('sequences', rng)
                size = rng.choice([8, 16, 32, 64])
                used = {RSP, RCX} if 'cl' in text or 'rep' in text else {RSP}
                if 'lahf' in text or 'sahf' in text or 'rep' in text:
                    used |= {RAX}
                if 'rep' in text:
                    used |= {RSI, RDI}
                regs = {}
                for name, sz in (('a', size), ('b', size), ('c', size), ('d', size), ('c32', 32), ('d32', 32),
                                 ('a16', rng.choice([16, 32, 64])), ('b16', None), ('a32', 32), ('a64', 64),
                                 ('b64', 64), ('c64', 64), ('d64', 64), ('r8', 8)):
                    if name == 'b16':
                        sz = regs['a16'][1]
                    op = pick_reg(rng, sz, used)
                    regs[name] = op
                for name in ('a', 'b', 'c', 'd'):
                    if ('{%s}' % name) in text:
                        c.reg(regs[name])
                for name, op in regs.items():
                    if ('{%s}' % name) in text:
                        c.reg(op)
                if 'cl;' in text:
                    c.set_reg(RCX, rng.getrandbits(64) & ~0x3F)  # shift count 0 (masked)
                if 'sahf' in text or 'lahf' in text:
                    c.reg((RAX, 64, False))
                if 'pushfq' in text:
                    stack(c)
                if 'rep' in text:
                    width = {'b': 1, 'd': 4, 'q': 8}[text[-1]]
                    count = rng.randrange(0, 9)
                    c.set_reg(RCX, count)
                    c.reg((RAX, 64, False))
                    down = text.startswith('std')
                    rsi = DATA_BASE + rng.randrange(0x1100, 0x6000)
                    rdi = DATA_BASE + rng.randrange(0x8100, 0xD000)
                    c.set_reg(RSI, rsi)
                    c.set_reg(RDI, rdi)
                    span = width * count + 16
                    for base in (rsi, rdi):
                        c.put_random(base - span if down else base - 16, span + 16 + width)
                c.text = text.format(cc=cc, **{k: reg_name(v) for k, v in regs.items()})
                c.undef = undef
                yield c


CC_READS = {'o': OF, 'no': OF, 'b': CF, 'ae': CF, 'e': ZF, 'ne': ZF, 'be': CF | ZF, 'a': CF | ZF,
            's': SF, 'ns': SF, 'p': PF, 'np': PF, 'l': SF | OF, 'ge': SF | OF, 'le': ZF | SF | OF,
            'g': ZF | SF | OF}
ALL6 = CF | PF | AF | ZF | SF | OF

# Register-only links of a flag chain: (template, flags read, flags it defines, flags it leaves
# undefined), the latter two from each instruction's SDM "Flags Affected" section. {x} {y} are
# registers of the chain's size, {r8} an 8-bit register, {x32} {y32} 32/64-bit registers.
CHAIN_LINKS = [
    ('add {x}, {y}', 0, ALL6, 0), ('sub {x}, {y}', 0, ALL6, 0), ('cmp {x}, {y}', 0, ALL6, 0),
    ('adc {x}, {y}', CF, ALL6, 0), ('sbb {x}, {y}', CF, ALL6, 0), ('neg {x}', 0, ALL6, 0),
    ('and {x}, {y}', 0, ALL6 & ~AF, AF), ('or {x}, {y}', 0, ALL6 & ~AF, AF),
    ('xor {x}, {y}', 0, ALL6 & ~AF, AF), ('test {x}, {y}', 0, ALL6 & ~AF, AF),
    ('inc {x}', 0, ALL6 & ~CF, 0), ('dec {x}', 0, ALL6 & ~CF, 0),
    ('shl {x}, 1', 0, ALL6 & ~AF, AF), ('shr {x}, 1', 0, ALL6 & ~AF, AF), ('sar {x}, 1', 0, ALL6 & ~AF, AF),
    ('shl {x}, 5', 0, CF | SF | ZF | PF, AF | OF),
    ('rol {x}, 1', 0, CF | OF, 0), ('ror {x}, 1', 0, CF | OF, 0),
    ('rcl {x}, 1', CF, CF | OF, 0), ('rcr {x}, 1', CF, CF | OF, 0),
    ('clc', 0, CF, 0), ('stc', 0, CF, 0), ('cmc', CF, CF, 0),
    ('bt {x32}, 7', 0, CF, OF | SF | AF | PF),
    ('imul {x32}, {y32}', 0, CF | OF, SF | ZF | AF | PF),
    ('popcnt {x32}, {y32}', 0, ALL6, 0),
    ('lzcnt {x32}, {y32}', 0, CF | ZF, OF | SF | PF | AF),
    ('adcx {x32}, {y32}', CF, CF, 0), ('adox {x32}, {y32}', OF, OF, 0),
    ('mov {x}, {y}', 0, 0, 0),
    ('set{cc} {r8}', None, 0, 0), ('cmov{cc} {x32}, {y32}', None, 0, 0),
    ('lahf', SF | ZF | AF | PF | CF, 0, 0), ('sahf', 0, SF | ZF | AF | PF | CF, 0),
]


def gen_flagchains(rng, n):
    """Random chains of 3 to 5 register-only instructions in which each flag consumer reads only
    flags the earlier links left defined; the vector's mask is what stays undefined at the end."""
    for _ in range(n):
        c = Case('flagchains', rng)
        size = rng.choice([8, 16, 32, 64])
        undef = 0
        texts = []
        for _ in range(rng.randrange(3, 6)):
            while True:
                tmpl, reads, defines, leaves = rng.choice(CHAIN_LINKS)
                cc = rng.choice(CONDS)
                if reads is None:
                    reads = CC_READS[cc]
                if reads & undef == 0:
                    break
            x, y = pick_reg(rng, size, {RSP, RAX}), pick_reg(rng, size, {RSP, RAX})
            x32, y32 = pick_reg(rng, max(size, 32), {RSP, RAX}), pick_reg(rng, max(size, 32), {RSP, RAX})
            r8 = pick_reg(rng, 8, {RSP, RAX})
            for op in (x, y, x32, y32, r8):
                c.reg(op)
            c.reg((RAX, 64, False))
            texts.append(tmpl.format(x=reg_name(x), y=reg_name(y), x32=reg_name(x32), y32=reg_name(y32),
                                     r8=reg_name(r8), cc=cc))
            undef = (undef & ~defines) | leaves
        c.text = '; '.join(texts)
        c.undef = undef
        yield c


def gen_addressing(rng, n):
    for mode in ('a32', 'rip'):
        for fmt, sizes in ADDRESSING_FORMS:
            for size in sizes:
                for _ in range(n):
                    c = Case('addressing', rng)
                    r = pick_reg(rng, size)
                    if '{r}' in fmt:
                        c.reg(r)
                    m = alt_mem_operand(c, size, {r[0]} if '{r}' in fmt else (), mode)
                    c.text = fmt.format(m=m, r=reg_name(r), i8=imm_text(rng.randrange(-128, 128)),
                                        i=imm_text(rand_imm(rng, size)), c=rng.randrange(0, 256),
                                        disp='{disp}')
                    if fmt.startswith('imul'):
                        c.undef = undef_of('imul')
                    elif fmt.startswith('test'):
                        c.undef = undef_of('test')
                    elif fmt.startswith('bt'):
                        c.undef = undef_of('bt')
                    elif fmt.startswith('shl'):
                        c.undef = undef_shift('shl', size, int(c.text.rsplit(' ', 1)[1]))
                    yield c


PAGECROSS_FORMS = [
    # (text with {m} {r} {i}, operand sizes); every memory operand straddles a 4 KiB boundary
    ('mov {r}, {m}', (16, 32, 64)),
    ('mov {m}, {r}', (16, 32, 64)),
    ('mov {m}, {i}', (16, 32, 64)),
    ('add {m}, {r}', (16, 32, 64)),
    ('adc {r}, {m}', (16, 32, 64)),
    ('neg {m}', (16, 32, 64)),
    ('xchg {m}, {r}', (16, 32, 64)),
    ('lock xadd {m}, {r}', (16, 32, 64)),
    ('cmpxchg {m}, {r}', (16, 32, 64)),
    ('movbe {r}, {m}', (16, 32, 64)),
    ('movzx {r32}, {m}', (16,)),
    ('shr {m}, {c}', (16, 32, 64)),
    ('push {m}', (16, 64)),
    ('pop {m}', (16, 64)),
]


def gen_pagecross(rng, n):
    for fmt, sizes in PAGECROSS_FORMS:
        for size in sizes:
            for _ in range(n):
                c = Case('pagecross', rng)
                width = size // 8
                ea = DATA_BASE + 0x1000 * rng.randrange(1, 14) - rng.randrange(1, width)
                used = set()
                if fmt.startswith(('push', 'pop')):
                    stack(c)
                    used.add(RSP)
                if fmt.startswith('cmpxchg'):
                    c.reg((RAX, 64, False))
                    used.add(RAX)
                r = pick_reg(rng, 32 if '{r32}' in fmt else size, used)
                if '{r' in fmt:
                    c.reg(r)
                    used.add(r[0])
                if fmt.startswith('cmpxchg') and rng.random() < 0.5:
                    value = c.regs[RAX] & mask(size)
                else:
                    value = None
                m, _ = mem_operand(c, size, used, ea=ea, value=value)
                count = rng.randrange(0, size + 1)
                c.text = fmt.format(m=m, r=reg_name(r), r32=reg_name(r), i=imm_text(rand_imm(rng, size)), c=count)
                if fmt.startswith('shr'):
                    c.undef = undef_shift('shr', size, count)
                yield c
    for op in ('push', 'pop'):
        for size in (16, 64):
            for _ in range(n):
                # the stack slot itself straddles a page boundary
                c = Case('pagecross', rng)
                boundary = DATA_BASE + 0x1000 * rng.randrange(1, 14)
                width = size // 8
                rsp = boundary + rng.randrange(1, width) if op == 'push' else boundary - rng.randrange(1, width)
                c.set_reg(RSP, rsp)
                c.put_random(rsp - 24, 48)
                r = pick_reg(rng, size, {RSP})
                c.reg(r)
                c.text = '%s %s' % (op, reg_name(r))
                yield c


def branch_target(rng, rel8):
    """A target in the code page that leaves room for the harness's landing pads: before the
    instruction, or at least 16 bytes after its start (branch forms are at most 7 bytes)."""
    if rel8:
        off = rng.randrange(-120, -5) if rng.random() < 0.5 else rng.randrange(16, 120)
    else:
        off = rng.randrange(-0x6F0, -5) if rng.random() < 0.5 else rng.randrange(16, 0x3F0)
    return INSN_ADDR + off, ('.+0x%x' % off) if off >= 0 else ('.-0x%x' % -off)


def gen_branch(rng, n):
    for cc in CONDS:
        for rel8 in (True, False):
            for _ in range(n):
                c = Case('branch', rng)
                c.target, dest = branch_target(rng, rel8)
                c.text = '%sj%s %s' % ('' if rel8 else '{disp32} ', cc, dest)
                yield c
    for form in ('jmp8', 'jmp32', 'call', 'jmpr', 'callr', 'jmpm', 'callm', 'ret', 'reti'):
        for _ in range(n * 3):
            c = Case('branch', rng)
            c.target, dest = branch_target(rng, form == 'jmp8')
            if form.startswith('call') or form.startswith('ret'):
                rsp = stack(c)
            if form == 'jmp8':
                c.text = 'jmp %s' % dest
            elif form == 'jmp32':
                c.text = '{disp32} jmp %s' % dest
            elif form == 'call':
                c.text = 'call %s' % dest
            elif form in ('jmpr', 'callr'):
                r = pick_reg(rng, 64, {RSP})
                c.set_reg(r[0], c.target)
                c.text = '%s %s' % (form[:-1], reg_name(r))
            elif form in ('jmpm', 'callm'):
                m, _ = mem_operand(c, 64, {RSP}, value=c.target)
                c.text = '%s %s' % (form[:-1], m)
            else:
                c.put(rsp, c.target.to_bytes(8, 'little'))
                c.text = 'ret' if form == 'ret' else 'ret %s' % imm_text(rng.randrange(0, 40))
            yield c
    for op in ('loop', 'loope', 'loopne', 'jrcxz', 'jecxz'):
        for _ in range(n * 3):
            c = Case('branch', rng)
            c.target, dest = branch_target(rng, True)
            r = rng.random()
            if op == 'jecxz':
                low = 0 if r < 0.5 else rand_val(rng, 32)
                c.set_reg(RCX, (rng.getrandbits(32) << 32) | low)
            else:
                c.set_reg(RCX, rng.choice([0, 1, 2]) if r < 0.5 else rand_val(rng, 64))
            c.text = '%s %s' % (op, dest)
            yield c


def resolve_rip_relative(cases, workdir):
    """Fills in RIP-relative displacements: RIP-relative operands always take a disp32, so the
    length measured with a placeholder displacement is the final length."""
    pending = [c for c in cases if c.rip_ea is not None]
    probes = sorted({c.text.replace('{disp}', '0x7fff0000') for c in pending})
    code = assemble(probes, workdir)
    for c in pending:
        length = len(code[c.text.replace('{disp}', '0x7fff0000')])
        c.text = c.text.replace('+{disp}', '+' + imm_text(c.rip_ea - (INSN_ADDR + length))).replace('+-', '-')


GROUPS = [
    # (group, generator, cases-per-form scale, seed)
    ('alu', gen_alu, 6, 0x5EC0001),
    ('unary', gen_unary, 8, 0x5EC0002),
    ('mul', gen_mul, 10, 0x5EC0003),
    ('div', gen_div, 8, 0x5EC0004),
    ('shift', gen_shift, 10, 0x5EC0005),
    ('rotate', gen_rotate, 8, 0x5EC0006),
    ('shiftd', gen_shiftd, 8, 0x5EC0007),
    ('bit', gen_bit, 8, 0x5EC0008),
    ('bitscan', gen_bitscan, 12, 0x5EC0009),
    ('bitcount', gen_bitcount, 10, 0x5EC000A),
    ('bmi1', gen_bmi1, 8, 0x5EC000B),
    ('bmi2', gen_bmi2, 6, 0x5EC000C),
    ('adx', gen_adx, 12, 0x5EC000D),
    ('mov', gen_mov, 10, 0x5EC000E),
    ('movbe', gen_movbe, 10, 0x5EC000F),
    ('xchg', gen_xchg, 8, 0x5EC0010),
    ('bswap', gen_bswap, 10, 0x5EC0011),
    ('convert', gen_convert, 8, 0x5EC0012),
    ('flags', gen_flags, 8, 0x5EC0013),
    ('setcc', gen_setcc, 10, 0x5EC0014),
    ('cmovcc', gen_cmovcc, 10, 0x5EC0015),
    ('lea', gen_lea, 8, 0x5EC0016),
    ('stack', gen_stack, 12, 0x5EC0017),
    ('string', gen_string, 8, 0x5EC0018),
    ('misc', gen_misc, 6, 0x5EC0019),
    ('addressing', gen_addressing, 4, 0x5EC001A),
    ('pagecross', gen_pagecross, 8, 0x5EC001B),
    ('branch', gen_branch, 6, 0x5EC001C),
    ('crc32', gen_crc32, 12, 0x5EC001D),
    ('prefixes', gen_prefixes, 8, 0x5EC001E),
    ('legacy32', gen_legacy32, 8, 0x5EC001F),
    ('sequences', gen_sequences, 8, 0x5EC0020),
    ('flagchains', gen_flagchains, 600, 0x5EC0021),
]


# ------------------------------------------------------------------ assembling

LINE_RE = re.compile(r'^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$')


def assemble(texts, workdir, bits=64):
    """Assembles each text at its own label; returns {text: bytes}, read back with objdump."""
    src = ['.intel_syntax noprefix', '.text', '.code32' if bits == 32 else '.code64']
    for i, t in enumerate(texts):
        src.append('c%d:' % i)
        src.append(t)
    src.append('c%d:' % len(texts))
    s_path = os.path.join(workdir, 'all.s')
    o_path = os.path.join(workdir, 'all.o')
    with open(s_path, 'w') as f:
        f.write('\n'.join(src) + '\n')
    subprocess.run(['as', '--64', '-o', o_path, s_path], check=True)
    dump = subprocess.run(['objdump', '-d', '-w', '-z', '-M', 'intel' if bits == 64 else 'intel,i386', o_path],
                          check=True, capture_output=True, text=True).stdout
    out = {}
    current = None
    insns = {}
    for line in dump.splitlines():
        m = re.match(r'^[0-9a-f]+ <c(\d+)>:$', line.strip())
        if m:
            current = int(m.group(1))
            insns[current] = []
            continue
        m = LINE_RE.match(line)
        if m and current is not None:
            insns[current].append((bytes.fromhex(m.group(2).replace(' ', '')), m.group(3)))
    for i, t in enumerate(texts):
        got = insns.get(i, [])
        if len(got) != 1:
            raise SystemExit('"%s" assembled to %d instructions: %r' % (t, len(got), got))
        out[t] = got[0][0]
    return out


# ------------------------------------------------------------------ running on the host

def key(c):
    """The assembly of a case: (32 for compatibility-mode cases else 64, assembler text)."""
    return (32 if c.compat else 64, c.asm or c.text)


def run_harness(harness, cases, code):
    buf = bytearray(struct.pack('<I', len(cases)))
    for c in cases:
        b = code[key(c)]
        buf += struct.pack('<B', len(b)) + b.ljust(64, b'\0')
        for n in range(16):
            buf += struct.pack('<Q', c.regs.get(n, default_reg(n)))
        buf += struct.pack('<QQ', c.flags, c.target | (COMPAT_FLAG if c.compat else 0))
        runs = mem_runs(c.mem)
        buf += struct.pack('<I', len(runs))
        for addr, data in runs:
            buf += struct.pack('<II', addr - DATA_BASE, len(data)) + data
    proc = subprocess.run([harness], input=bytes(buf), capture_output=True, check=True)
    out = proc.stdout
    pos = 0
    results = []
    for c in cases:
        runs = []
        for _ in range(2):
            status, = struct.unpack_from('<I', out, pos)
            regs = list(struct.unpack_from('<16Q', out, pos + 4))
            flags, rip, nchanged = struct.unpack_from('<QQI', out, pos + 4 + 128)
            pos += 4 + 128 + 20
            changed = {}
            for _ in range(nchanged):
                off, val = struct.unpack_from('<IB', out, pos)
                pos += 5
                changed[DATA_BASE + off] = val
            runs.append((status, regs, flags, rip, changed))
        results.append(runs)
    if pos != len(out):
        raise SystemExit('harness output has %d trailing bytes' % (len(out) - pos))
    return results


def mem_runs(mem):
    runs = []
    for addr in sorted(mem):
        if runs and runs[-1][0] + len(runs[-1][1]) == addr:
            runs[-1][1].append(mem[addr])
        else:
            runs.append((addr, bytearray([mem[addr]])))
    return [(a, bytes(d)) for a, d in runs]


def check_result(c, runs):
    """Rejects a case whose outcome depends on memory it did not declare, or that wrote memory
    it did not declare, or that faulted. Returns (regs, flags, changed bytes) or a reason."""
    (s0, r0, f0, ip0, ch0), (s1, r1, f1, ip1, ch1) = runs
    if s0 or s1:
        return 'faulted with signal %d/%d' % (s0, s1)
    undeclared = sorted(a for a in set(ch0) | set(ch1) if a not in c.mem)
    if undeclared:
        return 'wrote undeclared memory at 0x%x' % undeclared[0]
    if r0 != r1 or f0 != f1 or ip0 != ip1 or ch0 != ch1:
        return 'result depends on undeclared memory'
    return r0, f0, ip0, ch0


def fmt_regs(d):
    """name=value pairs; key 16 is RIP, listed only when the instruction transferred control."""
    return ' '.join('%s=%016x' % ((REG64 + ['rip'])[n], d[n]) for n in sorted(d)) or '-'


def fmt_mem(mem):
    runs = mem_runs(mem)
    return ' '.join('%x:%s' % (a, d.hex()) for a, d in runs) or '-'


HEADER = """\
# vmx4j instruction-semantics vectors, group "{group}": {count} cases.
# Generated by emulator-core/src/test/scripts/gen-semantics-vectors.sh on an AMD host CPU
# (seed 0x{seed:x}); do not edit by hand. See docs/CONFORMANCE.md.
#
# One case per line, fields separated by " | ":
#   1 text      the instruction, GNU Intel syntax (as written to the assembler); a sequence
#               of instructions is separated by "; " and runs as a whole
#   2 bytes     its encoding in hex; it sits at RIP 0x{rip:x} in {mode_text}, CPL 0,
#               flat segments; after it RIP must be 0x{rip:x} + length{mode_note}
#   3 regs      initial general registers name=hex64; every register not listed holds
#               0x5eed000000000000 | n*0x010101010101 (n = SDM register number),
#               except RSP, which holds 0x{rsp:x}
#   4 rflags    initial RFLAGS (hex); IF=1 and bit 1 always set, TF/AC never
#   5 mem       initial memory as addr:hexbytes runs; every other byte of the data area
#               [0x{data:x}, 0x{dataend:x}) is zero
#   6 regs'     the registers that changed, with their final values (all others must not change);
#               rip=... when the instruction transferred control (branch taken), else RIP
#               must be 0x{rip:x} + length
#   7 rflags'   the final RFLAGS
#   8 mem'      the bytes that changed, addr:hexbytes (all others must not change)
#   9 undef     RFLAGS bits the SDM calls undefined for this instruction and these operands:
#               not compared
#  10 undefregs registers whose final value the SDM calls undefined (BSF/BSR with a zero
#               source): not compared; "-" when none
# "-" stands for an empty list.
"""


def main():
    if len(sys.argv) != 3:
        raise SystemExit('usage: gen-semantics-vectors.py HARNESS OUTDIR')
    harness, outdir = sys.argv[1], sys.argv[2]
    per_group = []
    for group, fn, n, seed in GROUPS:
        rng = random.Random(seed)
        cases = list(fn(rng, n))
        for c in cases:
            if c.group != group:
                raise AssertionError(c.text)
        per_group.append((group, seed, cases))
    with tempfile.TemporaryDirectory() as work:
        resolve_rip_relative([c for _, _, cases in per_group for c in cases], work)
    keys = []
    seen = set()
    for _, _, cases in per_group:
        for c in cases:
            if key(c) not in seen:
                seen.add(key(c))
                keys.append(key(c))
    code = {}
    with tempfile.TemporaryDirectory() as work:
        for bits in (64, 32):
            # a sequence ("a; b") is assembled one instruction at a time and concatenated
            texts = sorted({p for b, t in keys if b == bits and not t.startswith('.byte ') for p in t.split('; ')})
            if texts:
                parts = assemble(texts, work, bits)
                for b, t in keys:
                    if b == bits and not t.startswith('.byte '):
                        code[(b, t)] = b''.join(parts[p] for p in t.split('; '))
    for bits, t in keys:
        if t.startswith('.byte '):  # raw encodings: the bytes themselves
            code[(bits, t)] = bytes(int(b, 16) for b in t[len('.byte '):].split(', '))
    total = 0
    index = []
    for group, seed, cases in per_group:
        results = run_harness(harness, cases, code)
        lines = []
        rejected = 0
        for c, runs in zip(cases, results):
            r = check_result(c, runs)
            if isinstance(r, str):
                rejected += 1
                print('%s: rejected "%s": %s' % (group, c.text, r), file=sys.stderr)
                continue
            regs, flags, rip, changed = r
            initial = {n: c.regs.get(n, default_reg(n)) for n in range(16)}
            if c.compat:
                regs = [(initial[n] & ~mask(32)) | (regs[n] & mask(32)) if n < 8 else initial[n]
                        for n in range(16)]
            final_regs = {n: regs[n] for n in range(16) if regs[n] != initial[n]}
            length = len(code[key(c)])
            if rip != INSN_ADDR + length:
                final_regs[16] = rip
            final_mem = {a: v for a, v in changed.items()}
            lines.append(' | '.join([
                c.text,
                code[key(c)].hex(),
                fmt_regs(c.regs),
                '%x' % c.flags,
                fmt_mem(c.mem),
                fmt_regs(final_regs),
                '%x' % flags,
                fmt_mem(final_mem),
                '%x' % c.undef,
                ' '.join(REG64[n] for n in c.undef_regs) or '-',
            ]))
        if rejected:
            raise SystemExit('%s: %d cases rejected' % (group, rejected))
        path = os.path.join(outdir, group + '.txt')
        with open(path, 'w') as f:
            compat = cases[0].compat
            f.write(HEADER.format(
                group=group, count=len(lines), seed=seed, rip=INSN_ADDR, rsp=DEFAULT_RSP, data=DATA_BASE,
                dataend=DATA_BASE + DATA_SIZE,
                mode_text='32-bit protected mode (paging off)' if compat else '64-bit mode (identity paging)',
                mode_note='\n#               (generated in compatibility mode: only the low 32 bits of RAX..RDI are'
                          '\n#               compared; R8-R15 cannot change)' if compat else ''))
            f.write('\n'.join(lines) + '\n')
        index.append('%s %d %s' % (group, len(lines), 'protected32' if compat else 'long64'))
        total += len(lines)
        print('%-10s %6d cases' % (group, len(lines)), file=sys.stderr)
    with open(os.path.join(outdir, 'index.txt'), 'w') as f:
        f.write('# group file (without .txt), its number of cases and the mode it runs in (long64: 64-bit mode;\n'
                '# protected32: 32-bit protected mode); written by gen-semantics-vectors.py\n')
        f.write('\n'.join(index) + '\n')
    print('total      %6d cases' % total, file=sys.stderr)


if __name__ == '__main__':
    main()
