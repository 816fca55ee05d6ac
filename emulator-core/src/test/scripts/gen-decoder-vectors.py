#!/usr/bin/env python3
"""Regenerates the decoder test vectors under emulator-core/src/test/resources/decoder/.

The oracle is GNU objdump (binutils 2.40 was used for the committed files):
  64-bit: objdump -D -b binary -m i386:x86-64 -M intel,intel64 --insn-width=15
  32-bit: objdump -D -b binary -m i386 -M intel --insn-width=15
  16-bit: objdump -D -b binary -m i8086 -M intel --insn-width=15
("-M intel64" alone selects Intel's 64-bit semantics but AT&T syntax, hence "intel,intel64".)

Two sets:
  curated.txt  - encodings derived from every row of the Java opcode tables (read from the
                 *OpcodeMap*.java sources), in every mode, with ModRM/prefix variants, plus the
                 full ModRM/SIB addressing matrix. Line: "hex, mode, address, length, text"
                 (length "-" and text "(bad)" when objdump rejects the bytes). The address is
                 where objdump disassembled the bytes; branch targets in the text depend on it.
  random-<mode>.txt.gz - one line per seeded random 15-byte sequence (SplitMix64, same generator
                 as DecoderObjdumpCrossCheckTest): "length text" or "bad".

Every case sits at the start of its own 32-byte block: up to 15 bytes of material, then 0x90
padding. Whatever objdump does with the rest of the material, the instruction it starts inside
the material ends before byte 30, and the 0x90 bytes re-synchronise it before the next block.

Usage: python3 emulator-core/src/test/scripts/gen-decoder-vectors.py  (from the repository root)
"""
import gzip
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SRC = os.path.join(ROOT, 'src/main/java/dev/vmx4j/core/decoder')
OUT = os.path.join(ROOT, 'src/test/resources/decoder')
BLOCK = 32
MASK64 = (1 << 64) - 1
RANDOM_PER_MODE = 34000
RANDOM_SEED = 0x5EED_DEC0

OBJDUMP = {
    64: ['-m', 'i386:x86-64', '-M', 'intel,intel64'],
    32: ['-m', 'i386', '-M', 'intel'],
    16: ['-m', 'i8086', '-M', 'intel'],
}

# ---------------------------------------------------------------- table rows
# (file, array) -> map: 0 one-byte, 1 0F, 2 0F38, 3 0F3A, 5 VEX 0F38, 6 VEX 0F3A
ARRAYS = [
    ('OneByteOpcodeMap.java', 'ROWS', 0),
    ('GroupOpcodeMaps.java', 'ONE_BYTE', 0),
    ('X87OpcodeMap.java', 'ROWS', 0),
    ('GroupOpcodeMaps.java', 'TWO_BYTE', 1),
    ('TwoByteOpcodeMap.java', 'ROWS', 1),
    ('Opcode0F38Map.java', 'ROWS', 2),
    ('Opcode0F3AMap.java', 'ROWS', 3),
    ('VexOpcodeMap.java', 'MAP_0F38', 5),
    ('VexOpcodeMap.java', 'MAP_0F3A', 6),
]
KEY = re.compile(r'^(?:p(NP|66|F3|F2):)?([0-9A-F]{2})(?:/([0-7]))?([mr])?(?:\.([0-7]))?$')
PFX_BYTE = {'NP': None, '66': 0x66, 'F3': 0xF3, 'F2': 0xF2}
VEX_PP = {None: 0, 'NP': 0, '66': 1, 'F3': 2, 'F2': 3}


def table_rows():
    rows = []
    for fname, array, mp in ARRAYS:
        text = open(os.path.join(SRC, fname)).read()
        m = re.search(r'String\[\]\s+' + array + r'\s*=\s*\{(.*?)\n\s*\};', text, re.S)
        if not m:
            continue
        for lit in re.findall(r'"([^"]*)"', m.group(1)):
            tok = lit.split()
            k = KEY.match(tok[0])
            if not k or tok[1] in ('PREFIX', 'ESCAPE'):
                continue
            pfx, op, reg, mod, rm = k.groups()
            rows.append(dict(map=mp, pfx=pfx, op=int(op, 16), reg=None if reg is None else int(reg),
                             mod=mod, rm=None if rm is None else int(rm), mnem=tok[1],
                             modrm=('modrm' in tok[3:]) or reg is not None or mod is not None
                             or uses_modrm(tok[2]),
                             vexreg=any(o.startswith('B') for o in tok[2].split(','))))
    return rows


def uses_modrm(ops):
    if ops == '-':
        return False
    return any(o and o[0] in 'CDEGMNPQRSUVW' and o not in ('CL', 'CS', 'DS', 'DX', 'ES', 'GS', 'SS')
               for o in ops.split(','))


FILL_A = bytes([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F])
FILL_B = bytes([0xF0, 0xFF, 0xFF, 0x7F, 0x80, 0x00, 0x00, 0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07])


def opcode_bytes(row, mode, extra_pfx, vex_w=0):
    mp = row['map']
    pre = bytes(extra_pfx)
    if mp in (5, 6):
        # C4: R X B = 1 (inverted), mmmmm; W vvvv(inverted, = reg 3) L=0 pp
        b1 = 0xE0 | (2 if mp == 5 else 3)
        vvvv = 3 if row['vexreg'] else 0  # VEX.vvvv must be 1111b (register 0) when unused
        b2 = (vex_w << 7) | ((~vvvv & 0xF) << 3) | VEX_PP[row['pfx']]
        return pre + bytes([0xC4, b1, b2, row['op']])
    p = PFX_BYTE.get(row['pfx']) if row['pfx'] else None
    mand = bytes([p]) if p else b''
    esc = {0: b'', 1: b'\x0f', 2: b'\x0f\x38', 3: b'\x0f\x3a'}[mp]
    # a mandatory prefix goes after the other legacy prefixes but before REX
    legacy = bytes(b for b in pre if not (mode == 64 and 0x40 <= b <= 0x4F))
    rex = bytes(b for b in pre if mode == 64 and 0x40 <= b <= 0x4F)
    return legacy + mand + rex + esc + bytes([row['op']])


def modrm_variants(row, mode):
    """(modrm-and-sib bytes) variants for a row."""
    if not row['modrm']:
        return [b'']
    regs = [row['reg']] if row['reg'] is not None else [2, 6]
    out = []
    for reg in regs:
        if row['mod'] in (None, 'm'):
            out.append(bytes([(0 << 6) | (reg << 3) | 0]))            # [rax] / [bx+si]
            if mode == 16:
                out.append(bytes([(1 << 6) | (reg << 3) | 6]))        # [bp+disp8]
                out.append(bytes([(2 << 6) | (reg << 3) | 1]))        # [bx+di+disp16]
            else:
                out.append(bytes([(1 << 6) | (reg << 3) | 4, 0x88]))  # [rax+rcx*4+disp8]
                out.append(bytes([(2 << 6) | (reg << 3) | 5]))        # [rbp+disp32]
            out.append(bytes([(0 << 6) | (reg << 3) | (6 if mode == 16 else 5)]))  # disp16 / rip / disp32
        if row['mod'] in (None, 'r'):
            rms = [row['rm']] if row['rm'] is not None else [1, 7]
            for rm in rms:
                out.append(bytes([0xC0 | (reg << 3) | rm]))
    return out


def prefix_variants(row, mode):
    if row['map'] in (5, 6):
        return [(b'', 0), (b'', 1)] if mode == 64 else [(b'', 0)]
    v = [b'', b'\x66', b'\x67', b'\xf0']
    if row['pfx'] is None or row['pfx'] == 'NP':
        v += [b'\xf3']
    if mode == 64:
        v += [b'\x48', b'\x45', b'\x4a', b'\x66\x48']
    return [(p, 0) for p in v]


def curated_cases():
    cases = []
    seen = set()

    def add(mode, material):
        material = bytes(material[:15])
        material = material + FILL_A[:15 - len(material)]
        if (mode, material) not in seen:
            seen.add((mode, material))
            cases.append((mode, material))

    rows = table_rows()
    for mode in (16, 32, 64):
        for row in rows:
            mods = modrm_variants(row, mode)
            for i, (pfx, w) in enumerate(prefix_variants(row, mode)):
                for j, mr in enumerate(mods):
                    if i > 0 and j > 0:
                        break
                    fill = FILL_A if (i + j) % 2 == 0 else FILL_B
                    add(mode, opcode_bytes(row, mode, pfx, w) + mr + fill)
        # the x87 escapes: every register form, and one memory form per reg
        for op in range(0xD8, 0xE0):
            for modrm in range(0x00, 0x100):
                if modrm >= 0xC0 or (modrm & 7) == 0:
                    add(mode, bytes([op, modrm]) + FILL_A)
        # addressing matrix: MOV Gv,Ev with every ModRM; SIB variants; with and without 67
        for a67 in (b'', b'\x67'):
            for modrm in range(256):
                add(mode, a67 + bytes([0x8B, modrm]) + FILL_B)
            for sib in range(256):
                add(mode, a67 + bytes([0x8B, 0x04, sib]) + FILL_A)
                add(mode, a67 + bytes([0x8B, 0x44, sib]) + FILL_B)
        # segment overrides, repeated and conflicting prefixes
        for seg in (0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65):
            add(mode, bytes([seg, 0x8B, 0x45, 0x08]))
            add(mode, bytes([seg, 0xA4]))
            add(mode, bytes([seg, 0xD7]))
            add(mode, bytes([seg, 0xA1]) + FILL_A)
        for pf in ([0x66, 0x66], [0x67, 0x66], [0xF2, 0xF3, 0xA4], [0xF3, 0xF2, 0xA6], [0x2E, 0x64],
                   [0x64, 0x2E], [0xF0, 0xF0], [0x66, 0x67, 0x66], [0xF3, 0x66], [0x66, 0xF3]):
            add(mode, bytes(pf) + bytes([0x01, 0x03]))
            add(mode, bytes(pf) + bytes([0xAB]))
        for n in range(1, 16):
            add(mode, bytes([0x66] * n) + bytes([0x05]) + FILL_A)
            add(mode, bytes([0x2E] * n) + bytes([0x90]))
        if mode == 64:
            for rex in range(0x40, 0x50):
                for op in (0x00, 0x01, 0x88, 0x8A, 0x90, 0x0F, 0xB0, 0xB8, 0xC6, 0xF6, 0xFE):
                    add(mode, bytes([rex, op, 0xE6]) + FILL_A)
                add(mode, bytes([rex, 0x0F, 0xB6, 0xF4]))
                add(mode, bytes([rex, 0x66, 0x01, 0xC0]))
    return cases


# ---------------------------------------------------------------- random sequences
def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


RANDOM_PREFIXES = [0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x48, 0x2E, 0x64]
RANDOM_0F = [0x01, 0x00, 0xC7, 0xAE, 0xBA, 0x38, 0x3A, 0x1E]
RANDOM_VEX_OP = [0xF0, 0xF1, 0xF2, 0xF3, 0xF5, 0xF6, 0xF7]
RANDOM_0F38_OP = [0x80, 0x81, 0x82, 0xF0, 0xF1, 0xF6]


def random_sequences(mode):
    """Must match DecoderRandomBytesTest.sequence()."""
    state = (RANDOM_SEED + mode) & MASK64
    seqs = []
    for i in range(RANDOM_PER_MODE):
        state, a = splitmix64(state)
        state, b = splitmix64(state)
        raw = a.to_bytes(8, 'little') + b.to_bytes(8, 'little')
        s = bytearray(raw[:15])
        kind = i % 6
        if kind == 1:
            s[0] = 0x0F
        elif kind == 2:
            s[0] = RANDOM_PREFIXES[s[14] & 7]
        elif kind == 3:
            s[0] = 0x0F
            s[1] = RANDOM_0F[s[14] & 7]
        elif kind == 4:  # VEX (BMI maps 0F38/0F3A, VEX.L = 0)
            s[0] = 0xC4
            s[1] = (s[1] & 0xE0) | (2 + (s[14] & 1))
            s[2] &= 0xFB
            s[3] = RANDOM_VEX_OP[s[13] % 7]
        elif kind == 5:
            s[0] = 0x0F
            s[1] = 0x38
            s[2] = RANDOM_0F38_OP[s[13] % 6]
        seqs.append(bytes(s))
    return seqs


# ---------------------------------------------------------------- objdump
LINE = re.compile(r'^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$')


def objdump(mode, materials):
    blob = bytearray()
    for m in materials:
        blob += m + bytes([0x90] * (BLOCK - len(m)))
    with tempfile.NamedTemporaryFile(suffix='.bin', delete=False) as f:
        f.write(blob)
        path = f.name
    try:
        out = subprocess.run(['objdump', '-D', '-b', 'binary', '--insn-width=15'] + OBJDUMP[mode] + [path],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    at = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            addr = int(m.group(1), 16)
            if addr % BLOCK == 0:
                nbytes = len(m.group(2).split())
                text = normalize(m.group(3))
                at[addr // BLOCK] = (nbytes, text)
    return at


def normalize(text):
    text = text.split('#')[0].rstrip()
    parts = text.split(None, 1)
    if not parts:
        return ''
    return parts[0] if len(parts) == 1 else parts[0] + ' ' + ' '.join(parts[1].split())






def main():
    os.makedirs(OUT, exist_ok=True)
    cases = curated_cases()
    with open(os.path.join(OUT, 'curated.txt'), 'w') as f:
        f.write('# Generated by emulator-core/src/test/scripts/gen-decoder-vectors.py from objdump output.\n')
        f.write('# hex bytes, mode, address objdump used, length (- = objdump rejects), objdump text\n')
        f.write('# Known objdump/SDM differences are listed in objdump-differences.txt next to this file.\n')
        for mode in (16, 32, 64):
            mats = [m for md, m in cases if md == mode]
            res = objdump(mode, mats)
            for i, m in enumerate(mats):
                n, text = res.get(i, (None, '(bad)'))
                if n is None or '(bad)' in text:
                    f.write('%s, %d, %x, -, (bad)\n' % (m.hex(), mode, i * BLOCK))
                else:
                    f.write('%s, %d, %x, %d, %s\n' % (m[:n].hex(), mode, i * BLOCK, n, text))
    for mode in (16, 32, 64):
        seqs = random_sequences(mode)
        res = objdump(mode, seqs)
        lines = []
        for i in range(len(seqs)):
            n, text = res.get(i, (None, '(bad)'))
            lines.append('bad\n' if n is None or '(bad)' in text else '%d %s\n' % (n, text))
        with open(os.path.join(OUT, 'random-%d.txt.gz' % mode), 'wb') as raw:
            with gzip.GzipFile(fileobj=raw, mode='wb', compresslevel=9, mtime=0, filename='') as f:
                f.write(''.join(lines).encode())
    print('curated: %d cases' % len(cases), file=sys.stderr)


if __name__ == '__main__':
    main()
