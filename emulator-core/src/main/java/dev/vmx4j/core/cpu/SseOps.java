package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;

/**
 * The SSE/SSE2 integer and move subset compilers emit for copies and clears (the decoder's
 * SSE mnemonics), MXCSR access and FXSAVE/FXRSTOR of the SSE state. Lanes are computed on the
 * two 64-bit halves held in {@link Cpu#xmm} (register n: low half at 2n, high half at 2n+1).
 *
 * <p>SDM "Exceptions for SSE Instructions": #UD if CR0.EM = 1 or CR4.OSFXSR = 0, #NM if
 * CR0.TS = 1; a legacy-SSE 128-bit memory operand must be 16-byte aligned (#GP(0)) except for the
 * unaligned moves. MMX-register forms go to {@link MmxOps}. DEVIATION: floating-point SSE
 * arithmetic is absent.
 */
final class SseOps {

    private static final long CR4_OSFXSR = 1L << 9;

    private SseOps() {
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        if (MmxOps.isMmx(d)) {
            MmxOps.execute(c, x, d);
            return;
        }
        check(c, d);
        Mnemonic m = d.mnemonic;
        switch (m) {
            case LDMXCSR: {
                long v = c.readMem(d.memSegment, x.ea(d), 4);
                // SDM "LDMXCSR": setting a reserved bit (31:16, and DAZ only if MXCSR_MASK allows it) is #GP(0).
                if ((v & ~0xFFFFL) != 0) {
                    throw CpuException.gp(0);
                }
                c.mxcsr = (int) v;
                return;
            }
            case STMXCSR:
                c.writeMem(d.memSegment, x.ea(d), 4, c.mxcsr & 0xFFFFFFFFL);
                return;
            case FXSAVE:
                fxsave(c, x, d);
                return;
            case FXRSTOR:
                fxrstor(c, x, d);
                return;
            default:
                break;
        }
        if (d.kind[0] == OperandKind.XMM) {
            loadForm(c, x, d);
        } else {
            storeForm(c, x, d);
        }
    }

    private static void check(Cpu c, DecodedInstruction d) {
        // SDM "FXSAVE"/"FXRSTOR": #UD on CR0.EM only; CR4.OSFXSR = 0 leaves it to the
        // implementation whether XMM and MXCSR are saved (MANUAL: they are, as on Intel processors).
        boolean fx = d.mnemonic == Mnemonic.FXSAVE || d.mnemonic == Mnemonic.FXRSTOR;
        if ((c.cr0 & Cpu.CR0_EM) != 0 || ((c.cr4 & CR4_OSFXSR) == 0 && !fx)) {
            throw CpuException.ud();
        }
        for (int i = 0; i < d.operandCount; i++) {
            if (d.kind[i] == OperandKind.MMX) {
                throw CpuException.ud();
            }
        }
        if ((c.cr0 & Cpu.CR0_TS) != 0) {
            throw new CpuException(CpuException.NM, 0, false);
        }
    }

    private static boolean alignedMove(Mnemonic m) {
        return m == Mnemonic.MOVDQA || m == Mnemonic.MOVAPS || m == Mnemonic.MOVAPD;
    }

    private static boolean unalignedMove(Mnemonic m) {
        return m == Mnemonic.MOVDQU || m == Mnemonic.MOVUPS || m == Mnemonic.MOVUPD;
    }

    /** Reads operand {@code i} (XMM, GPR or memory) into out[0..1]; a 16-byte memory read checks alignment. */
    private static long[] src(Cpu c, Exec x, DecodedInstruction d, int i, long[] out) {
        switch (d.kind[i]) {
            case OperandKind.XMM:
                out[0] = c.xmm[2 * d.reg[i]];
                out[1] = c.xmm[2 * d.reg[i] + 1];
                break;
            case OperandKind.MEM: {
                int size = d.size[i];
                long off = x.ea(d);
                if (size == 16) {
                    if (!unalignedMove(d.mnemonic) && (c.linear(d.memSegment, off, 16, false) & 15) != 0) {
                        throw CpuException.gp(0);
                    }
                    out[0] = c.readMem(d.memSegment, off, 8);
                    out[1] = c.readMem(d.memSegment, nextOffset(d, off), 8);
                } else {
                    out[0] = c.readMem(d.memSegment, off, size);
                    out[1] = 0;
                }
                break;
            }
            default:
                out[0] = x.read(d, i);
                out[1] = 0;
                break;
        }
        return out;
    }

    private static long nextOffset(DecodedInstruction d, long off) {
        long n = off + 8;
        return d.addressSize == 8 ? n : d.addressSize == 4 ? n & 0xFFFFFFFFL : n & 0xFFFFL;
    }

    private static void loadForm(Cpu c, Exec x, DecodedInstruction d) {
        long[] s = src(c, x, d, d.operandCount > 1 ? 1 : 0, c.sseScratch);
        int r = 2 * d.reg[0];
        long a = c.xmm[r];
        long b = c.xmm[r + 1];
        boolean memSrc = d.kind[1] == OperandKind.MEM;
        switch (d.mnemonic) {
            case MOVD:
            case MOVQ:
                // SDM "MOVD/MOVQ", "MOVQ": the destination XMM register is zero-extended.
                a = d.size[1] == 4 ? s[0] & 0xFFFFFFFFL : s[0];
                b = 0;
                break;
            case MOVDQA:
            case MOVDQU:
            case MOVAPS:
            case MOVUPS:
            case MOVAPD:
            case MOVUPD:
                a = s[0];
                b = s[1];
                break;
            case MOVSS_SSE:
                // SDM "MOVSS": from memory the upper 96 bits are cleared; register to register merges.
                a = memSrc ? s[0] & 0xFFFFFFFFL : (a & ~0xFFFFFFFFL) | (s[0] & 0xFFFFFFFFL);
                b = memSrc ? 0 : b;
                break;
            case MOVSD_SSE:
                a = s[0];
                b = memSrc ? 0 : b;
                break;
            case MOVLPS:
            case MOVLPD:
                a = s[0];
                break;
            case MOVHPS:
            case MOVHPD:
                b = s[0];
                break;
            case PXOR:
            case XORPS:
                a ^= s[0];
                b ^= s[1];
                break;
            case POR:
            case ORPS:
                a |= s[0];
                b |= s[1];
                break;
            case PAND:
            case ANDPS:
                a &= s[0];
                b &= s[1];
                break;
            case PANDN:
                a = ~a & s[0];
                b = ~b & s[1];
                break;
            case PADDB: a = add(a, s[0], 8); b = add(b, s[1], 8); break;
            case PADDW: a = add(a, s[0], 16); b = add(b, s[1], 16); break;
            case PADDD: a = add(a, s[0], 32); b = add(b, s[1], 32); break;
            case PADDQ: a += s[0]; b += s[1]; break;
            case PSUBB: a = sub(a, s[0], 8); b = sub(b, s[1], 8); break;
            case PSUBW: a = sub(a, s[0], 16); b = sub(b, s[1], 16); break;
            case PSUBD: a = sub(a, s[0], 32); b = sub(b, s[1], 32); break;
            case PSUBQ: a -= s[0]; b -= s[1]; break;
            case PCMPEQB: a = cmpeq(a, s[0], 8); b = cmpeq(b, s[1], 8); break;
            case PCMPEQW: a = cmpeq(a, s[0], 16); b = cmpeq(b, s[1], 16); break;
            case PCMPEQD: a = cmpeq(a, s[0], 32); b = cmpeq(b, s[1], 32); break;
            case PSHUFD: {
                int imm = (int) d.immediate & 0xFF;
                long[] dw = {s[0] & 0xFFFFFFFFL, s[0] >>> 32, s[1] & 0xFFFFFFFFL, s[1] >>> 32};
                a = dw[imm & 3] | dw[(imm >>> 2) & 3] << 32;
                b = dw[(imm >>> 4) & 3] | dw[(imm >>> 6) & 3] << 32;
                break;
            }
            case PUNPCKLBW: {
                long ra = 0;
                long rb = 0;
                for (int i = 0; i < 4; i++) {
                    ra |= ((a >>> (8 * i)) & 0xFF) << (16 * i) | ((s[0] >>> (8 * i)) & 0xFF) << (16 * i + 8);
                    rb |= ((a >>> (8 * (i + 4))) & 0xFF) << (16 * i) | ((s[0] >>> (8 * (i + 4))) & 0xFF) << (16 * i + 8);
                }
                a = ra;
                b = rb;
                break;
            }
            case PUNPCKLQDQ:
                b = s[0];
                break;
            default:
                if (!MmxOps.sse(c, d.mnemonic, r, s[0], s[1])) {
                    throw CpuException.ud();
                }
                return;
        }
        c.xmm[r] = a;
        c.xmm[r + 1] = b;
    }

    private static void storeForm(Cpu c, Exec x, DecodedInstruction d) {
        if (d.mnemonic == Mnemonic.PMOVMSKB) {
            long[] s = src(c, x, d, 1, c.sseScratch);
            int mask = 0;
            for (int i = 0; i < 8; i++) {
                mask |= (int) ((s[0] >>> (8 * i + 7)) & 1) << i;
                mask |= (int) ((s[1] >>> (8 * i + 7)) & 1) << (i + 8);
            }
            c.setReg(d.reg[0], d.size[0], mask);
            return;
        }
        if (d.kind[1] != OperandKind.XMM) {
            throw CpuException.ud();
        }
        int r = 2 * d.reg[1];
        long a = c.xmm[r];
        long b = c.xmm[r + 1];
        switch (d.mnemonic) {
            case MOVD:
            case MOVQ:
            case MOVSS_SSE:
            case MOVSD_SSE:
            case MOVLPS:
            case MOVLPD:
                storeLow(c, x, d, a);
                break;
            case MOVHPS:
            case MOVHPD:
                c.writeMem(d.memSegment, x.ea(d), 8, b);
                break;
            case MOVDQA:
            case MOVDQU:
            case MOVAPS:
            case MOVUPS:
            case MOVAPD:
            case MOVUPD:
                if (d.kind[0] == OperandKind.XMM) {
                    c.xmm[2 * d.reg[0]] = a;
                    c.xmm[2 * d.reg[0] + 1] = b;
                } else {
                    long off = x.ea(d);
                    long lin = c.linear(d.memSegment, off, 16, true);
                    if (alignedMove(d.mnemonic) && (lin & 15) != 0) {
                        throw CpuException.gp(0);
                    }
                    c.mmu.probeWrite(lin, 16, c.userAccess);
                    c.writeMem(d.memSegment, off, 8, a);
                    c.writeMem(d.memSegment, nextOffset(d, off), 8, b);
                }
                break;
            default:
                throw CpuException.ud();
        }
    }

    /** Stores the low 4 or 8 bytes; into an XMM destination (MOVSS/MOVSD/MOVQ register forms). */
    private static void storeLow(Cpu c, Exec x, DecodedInstruction d, long a) {
        int size = d.size[0];
        switch (d.kind[0]) {
            case OperandKind.XMM: {
                int r = 2 * d.reg[0];
                if (d.mnemonic == Mnemonic.MOVSS_SSE) {
                    c.xmm[r] = (c.xmm[r] & ~0xFFFFFFFFL) | (a & 0xFFFFFFFFL);
                } else if (d.mnemonic == Mnemonic.MOVSD_SSE) {
                    c.xmm[r] = a;
                } else {
                    // SDM "MOVQ" (66 0F D6) to a register: the upper quadword is cleared.
                    c.xmm[r] = a;
                    c.xmm[r + 1] = 0;
                }
                break;
            }
            case OperandKind.MEM:
                c.writeMem(d.memSegment, x.ea(d), size, a);
                break;
            default:
                c.setReg(d.reg[0], size, a);
                break;
        }
    }

    private static long laneHigh(int w) {
        return w == 8 ? 0x8080808080808080L : w == 16 ? 0x8000800080008000L : 0x8000000080000000L;
    }

    private static long add(long a, long b, int w) {
        long h = laneHigh(w);
        return ((a & ~h) + (b & ~h)) ^ ((a ^ b) & h);
    }

    private static long sub(long a, long b, int w) {
        long h = laneHigh(w);
        return ((a | h) - (b & ~h)) ^ ((a ^ ~b) & h);
    }

    private static long cmpeq(long a, long b, int w) {
        long lane = (1L << w) - 1;
        long r = 0;
        for (int s = 0; s < 64; s += w) {
            if (((a >>> s) & lane) == ((b >>> s) & lane)) {
                r |= lane << s;
            }
        }
        return r;
    }

    // ---------------------------------------------------------------- XSAVE / XRSTOR

    private static final long CR4_OSXSAVE = 1L << 18;

    /**
     * XSAVE, XSAVEOPT (same effect here) and XRSTOR in the standard format for the two components
     * this CPU has, x87 (0) and SSE (1): the legacy 512-byte region as FXSAVE lays it out, then
     * the XSAVE header at byte 512 (XSTATE_BV, XCOMP_BV). SDM "XSAVE—Save Processor Extended
     * States": #UD unless CR4.OSXSAVE = 1; the area must be 64-byte aligned (#GP(0)).
     */
    static void xsave(Cpu c, Exec x, DecodedInstruction d) {
        if ((c.cr4 & CR4_OSXSAVE) == 0) {
            throw CpuException.ud();
        }
        if ((c.cr0 & Cpu.CR0_TS) != 0) {
            throw new CpuException(CpuException.NM, 0, false);
        }
        long off = x.ea(d);
        boolean save = d.mnemonic != Mnemonic.XRSTOR;
        long lin = c.linear(d.memSegment, off, 576, save);
        if ((lin & 63) != 0) {
            throw CpuException.gp(0);
        }
        long rfbm = ((c.gpr[2] << 32) | (c.gpr[0] & 0xFFFFFFFFL)) & c.xcr0;
        int regs = c.mode64 ? 16 : 8;
        if (save) {
            c.mmu.probeWrite(lin, 576, c.userAccess);
            if ((rfbm & 1) != 0) {
                X87Ops.fxsaveX87(c, d, off, c.mode64 && d.operandSize == 8);
            }
            if ((rfbm & 3) != 0) {
                c.writeMem(d.memSegment, off + 24, 4, c.mxcsr & 0xFFFFFFFFL);
                c.writeMem(d.memSegment, off + 28, 4, 0xFFFF);
            }
            if ((rfbm & 2) != 0) {
                for (int i = 0; i < regs; i++) {
                    c.writeMem(d.memSegment, off + 160 + 16L * i, 8, c.xmm[2 * i]);
                    c.writeMem(d.memSegment, off + 168 + 16L * i, 8, c.xmm[2 * i + 1]);
                }
            }
            // XSTATE_BV: the saved components' bits are written (1 = not in the initial configuration).
            long bv = c.readMem(d.memSegment, off + 512, 8);
            c.writeMem(d.memSegment, off + 512, 8, (bv & ~rfbm) | rfbm);
            return;
        }
        long bv = c.readMem(d.memSegment, off + 512, 8);
        long comp = c.readMem(d.memSegment, off + 520, 8);
        // SDM "XRSTOR": #GP(0) if XSTATE_BV sets a bit not in XCR0, XCOMP_BV[63] = 1 (compacted form
        // is XRSTORS's), or header bytes 528-575 are not zero.
        if ((bv & ~c.xcr0) != 0 || comp != 0) {
            throw CpuException.gp(0);
        }
        for (int i = 16; i < 64; i += 8) {
            if (c.readMem(d.memSegment, off + 512 + i, 8) != 0) {
                throw CpuException.gp(0);
            }
        }
        if ((rfbm & 3) != 0) {
            long mx = c.readMem(d.memSegment, off + 24, 4);
            if ((mx & ~0xFFFFL) != 0) {
                throw CpuException.gp(0);
            }
            c.mxcsr = (int) mx;
        }
        if ((rfbm & 1) != 0) {
            if ((bv & 1) != 0) {
                X87Ops.fxrstorX87(c, d, off, c.mode64 && d.operandSize == 8);
            } else {
                c.x87.initialConfiguration();
            }
        }
        if ((rfbm & 2) != 0) {
            for (int i = 0; i < regs; i++) {
                boolean load = (bv & 2) != 0;
                c.xmm[2 * i] = load ? c.readMem(d.memSegment, off + 160 + 16L * i, 8) : 0;
                c.xmm[2 * i + 1] = load ? c.readMem(d.memSegment, off + 168 + 16L * i, 8) : 0;
            }
        }
    }

    // ---------------------------------------------------------------- FXSAVE / FXRSTOR

    /** SDM "FXSAVE": 512-byte area, 16-byte aligned; XMM0-15 in 64-bit mode, XMM0-7 otherwise. */
    private static void fxsave(Cpu c, Exec x, DecodedInstruction d) {
        long off = x.ea(d);
        long lin = c.linear(d.memSegment, off, 512, true);
        if ((lin & 15) != 0) {
            throw CpuException.gp(0);
        }
        c.mmu.probeWrite(lin, 512, c.userAccess);
        X87Ops.fxsaveX87(c, d, off, c.mode64 && d.operandSize == 8);
        c.writeMem(d.memSegment, off + 24, 4, c.mxcsr & 0xFFFFFFFFL);
        c.writeMem(d.memSegment, off + 28, 4, 0xFFFF); // MXCSR_MASK
        int regs = c.mode64 ? 16 : 8;
        for (int i = 0; i < regs; i++) {
            c.writeMem(d.memSegment, off + 160 + 16L * i, 8, c.xmm[2 * i]);
            c.writeMem(d.memSegment, off + 168 + 16L * i, 8, c.xmm[2 * i + 1]);
        }
    }

    private static void fxrstor(Cpu c, Exec x, DecodedInstruction d) {
        long off = x.ea(d);
        long lin = c.linear(d.memSegment, off, 512, false);
        if ((lin & 15) != 0) {
            throw CpuException.gp(0);
        }
        long mx = c.readMem(d.memSegment, off + 24, 4);
        if ((mx & ~0xFFFFL) != 0) {
            throw CpuException.gp(0);
        }
        X87Ops.fxrstorX87(c, d, off, c.mode64 && d.operandSize == 8);
        c.mxcsr = (int) mx;
        int regs = c.mode64 ? 16 : 8;
        for (int i = 0; i < regs; i++) {
            c.xmm[2 * i] = c.readMem(d.memSegment, off + 160 + 16L * i, 8);
            c.xmm[2 * i + 1] = c.readMem(d.memSegment, off + 168 + 16L * i, 8);
        }
    }
}
