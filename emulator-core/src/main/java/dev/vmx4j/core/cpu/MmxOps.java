package dev.vmx4j.core.cpu;

import dev.vmx4j.core.cpu.x87.X87Unit;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;

/**
 * The MMX instructions (SDM "MMX Instruction Set"): 64-bit packed integer operations on MM0-MM7,
 * which alias the significands of the x87 physical registers R0-R7. SDM "Effect of MMX
 * Instructions on x87 FPU State": every MMX instruction except EMMS sets TOP to 0 and all tags
 * valid; a write sets the register's sign/exponent field to all ones; EMMS empties the tag word.
 * SDM "Exceptions for MMX Instructions": #UD if CR0.EM = 1, #NM if CR0.TS = 1, #MF if an x87
 * exception is pending.
 */
final class MmxOps {

    private MmxOps() {
    }

    /** True when the instruction names an MMX register (the non-66 forms of the shared mnemonics). */
    static boolean isMmx(DecodedInstruction d) {
        if (d.mnemonic == Mnemonic.EMMS) {
            return true;
        }
        for (int i = 0; i < d.operandCount; i++) {
            if (d.kind[i] == OperandKind.MMX) {
                return true;
            }
        }
        return false;
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        if ((c.cr0 & Cpu.CR0_EM) != 0) {
            throw CpuException.ud();
        }
        if ((c.cr0 & Cpu.CR0_TS) != 0) {
            throw new CpuException(CpuException.NM, 0, false);
        }
        X87Unit u = c.x87;
        if ((u.status & X87Unit.SW_ES) != 0 && (c.cr0 & Cpu.CR0_NE) != 0) {
            throw new CpuException(CpuException.MF, 0, false);
        }
        Mnemonic m = d.mnemonic;
        if (m == Mnemonic.EMMS) {
            u.emms();
            return;
        }
        if (d.kind[0] != OperandKind.MMX) {
            // stores: MOVD/MOVQ r/m, mm and MOVQ mm/m64, mm; PMOVMSKB r, mm
            long v;
            if (m == Mnemonic.PMOVMSKB) {
                long s = u.sig[d.reg[1]];
                int mask = 0;
                for (int i = 0; i < 8; i++) {
                    mask |= (int) ((s >>> (8 * i + 7)) & 1) << i;
                }
                u.mmxEnter();
                c.setReg(d.reg[0], d.size[0], mask);
                return;
            }
            v = u.sig[d.reg[1]];
            if (d.kind[0] == OperandKind.MEM) {
                c.writeMem(d.memSegment, x.ea(d), d.size[0], d.size[0] == 4 ? v & 0xFFFFFFFFL : v);
            } else {
                c.setReg(d.reg[0], d.size[0], v);
            }
            u.mmxEnter();
            return;
        }
        int r = d.reg[0];
        long a = u.sig[r];
        long b = source(c, x, d, u);
        long v;
        switch (m) {
            case MOVD:
            case MOVQ: v = d.size[1] == 4 ? b & 0xFFFFFFFFL : b; break;
            case PAND: v = a & b; break;
            case PANDN: v = ~a & b; break;
            case POR: v = a | b; break;
            case PXOR: v = a ^ b; break;
            case PADDB: v = lanes(a, b, 8, 0); break;
            case PADDW: v = lanes(a, b, 16, 0); break;
            case PADDD: v = lanes(a, b, 32, 0); break;
            case PADDQ: v = a + b; break;
            case PSUBB: v = lanes(a, b, 8, 1); break;
            case PSUBW: v = lanes(a, b, 16, 1); break;
            case PSUBD: v = lanes(a, b, 32, 1); break;
            case PSUBQ: v = a - b; break;
            case PADDSB: v = lanes(a, b, 8, 2); break;
            case PADDSW: v = lanes(a, b, 16, 2); break;
            case PSUBSB: v = lanes(a, b, 8, 3); break;
            case PSUBSW: v = lanes(a, b, 16, 3); break;
            case PADDUSB: v = lanes(a, b, 8, 4); break;
            case PADDUSW: v = lanes(a, b, 16, 4); break;
            case PSUBUSB: v = lanes(a, b, 8, 5); break;
            case PSUBUSW: v = lanes(a, b, 16, 5); break;
            case PCMPEQB: v = lanes(a, b, 8, 6); break;
            case PCMPEQW: v = lanes(a, b, 16, 6); break;
            case PCMPEQD: v = lanes(a, b, 32, 6); break;
            case PCMPGTB: v = lanes(a, b, 8, 7); break;
            case PCMPGTW: v = lanes(a, b, 16, 7); break;
            case PCMPGTD: v = lanes(a, b, 32, 7); break;
            case PMULLW: v = lanes(a, b, 16, 8); break;
            case PMULHW: v = lanes(a, b, 16, 9); break;
            case PMADDWD: v = pmaddwd(a, b); break;
            case PSLLW: v = shift(a, b, 16, 0); break;
            case PSLLD: v = shift(a, b, 32, 0); break;
            case PSLLQ: v = shift(a, b, 64, 0); break;
            case PSRLW: v = shift(a, b, 16, 1); break;
            case PSRLD: v = shift(a, b, 32, 1); break;
            case PSRLQ: v = shift(a, b, 64, 1); break;
            case PSRAW: v = shift(a, b, 16, 2); break;
            case PSRAD: v = shift(a, b, 32, 2); break;
            case PACKSSWB: v = pack(a, b, 16, true); break;
            case PACKSSDW: v = pack(a, b, 32, true); break;
            case PACKUSWB: v = pack(a, b, 16, false); break;
            case PUNPCKLBW: v = unpack(a, b, 8, false); break;
            case PUNPCKLWD: v = unpack(a, b, 16, false); break;
            case PUNPCKLDQ: v = unpack(a, b, 32, false); break;
            case PUNPCKHBW: v = unpack(a, b, 8, true); break;
            case PUNPCKHWD: v = unpack(a, b, 16, true); break;
            case PUNPCKHDQ: v = unpack(a, b, 32, true); break;
            default:
                throw CpuException.ud();
        }
        u.mmxEnter();
        u.setMmx(r, v);
    }

    /**
     * The SSE2 (66-prefixed XMM) forms of the same operations: lane-wise on each 64-bit half,
     * shifts by the low quadword of the source, packs and unpacks across the 128 bits.
     * Returns false for a mnemonic this does not handle.
     */
    static boolean sse(Cpu c, Mnemonic m, int r, long s0, long s1) {
        long a = c.xmm[r];
        long b = c.xmm[r + 1];
        long lo;
        long hi;
        switch (m) {
            case PACKSSWB: lo = pack(a, b, 16, true); hi = pack(s0, s1, 16, true); break;
            case PACKSSDW: lo = pack(a, b, 32, true); hi = pack(s0, s1, 32, true); break;
            case PACKUSWB: lo = pack(a, b, 16, false); hi = pack(s0, s1, 16, false); break;
            case PUNPCKLWD: lo = unpack(a, s0, 16, false); hi = unpack(a, s0, 16, true); break;
            case PUNPCKLDQ: lo = unpack(a, s0, 32, false); hi = unpack(a, s0, 32, true); break;
            case PUNPCKHBW: lo = unpack(b, s1, 8, false); hi = unpack(b, s1, 8, true); break;
            case PUNPCKHWD: lo = unpack(b, s1, 16, false); hi = unpack(b, s1, 16, true); break;
            case PUNPCKHDQ: lo = unpack(b, s1, 32, false); hi = unpack(b, s1, 32, true); break;
            case PSLLW: lo = shift(a, s0, 16, 0); hi = shift(b, s0, 16, 0); break;
            case PSLLD: lo = shift(a, s0, 32, 0); hi = shift(b, s0, 32, 0); break;
            case PSLLQ: lo = shift(a, s0, 64, 0); hi = shift(b, s0, 64, 0); break;
            case PSRLW: lo = shift(a, s0, 16, 1); hi = shift(b, s0, 16, 1); break;
            case PSRLD: lo = shift(a, s0, 32, 1); hi = shift(b, s0, 32, 1); break;
            case PSRLQ: lo = shift(a, s0, 64, 1); hi = shift(b, s0, 64, 1); break;
            case PSRAW: lo = shift(a, s0, 16, 2); hi = shift(b, s0, 16, 2); break;
            case PSRAD: lo = shift(a, s0, 32, 2); hi = shift(b, s0, 32, 2); break;
            case PMADDWD: lo = pmaddwd(a, s0); hi = pmaddwd(b, s1); break;
            default: {
                int w;
                int op;
                switch (m) {
                    case PADDSB: w = 8; op = 2; break;
                    case PADDSW: w = 16; op = 2; break;
                    case PSUBSB: w = 8; op = 3; break;
                    case PSUBSW: w = 16; op = 3; break;
                    case PADDUSB: w = 8; op = 4; break;
                    case PADDUSW: w = 16; op = 4; break;
                    case PSUBUSB: w = 8; op = 5; break;
                    case PSUBUSW: w = 16; op = 5; break;
                    case PCMPGTB: w = 8; op = 7; break;
                    case PCMPGTW: w = 16; op = 7; break;
                    case PCMPGTD: w = 32; op = 7; break;
                    case PMULLW: w = 16; op = 8; break;
                    case PMULHW: w = 16; op = 9; break;
                    default: return false;
                }
                lo = lanes(a, s0, w, op);
                hi = lanes(b, s1, w, op);
                break;
            }
        }
        c.xmm[r] = lo;
        c.xmm[r + 1] = hi;
        return true;
    }

    /** The source operand: an MMX register, memory (4 or 8 bytes), a general register or an immediate. */
    private static long source(Cpu c, Exec x, DecodedInstruction d, X87Unit u) {
        int i = d.operandCount - 1;
        switch (d.kind[i]) {
            case OperandKind.MMX:
                return u.sig[d.reg[i]];
            case OperandKind.MEM:
                return c.readMem(d.memSegment, x.ea(d), d.size[i]);
            case OperandKind.IMM:
                return d.immediate & 0xFF;
            default:
                return x.read(d, i);
        }
    }

    /**
     * Lane-wise operation: 0 add, 1 sub (wrapping), 2 add / 3 sub with signed saturation,
     * 4 add / 5 sub with unsigned saturation, 6 equal / 7 signed greater (all ones or zero),
     * 8 low and 9 high half of the signed product.
     */
    static long lanes(long a, long b, int w, int op) {
        long mask = (1L << w) - 1;
        long r = 0;
        int sh = 64 - w;
        long sMax = (1L << (w - 1)) - 1;
        long sMin = -(1L << (w - 1));
        for (int s = 0; s < 64; s += w) {
            long ua = (a >>> s) & mask;
            long ub = (b >>> s) & mask;
            long sa = (a >>> s) << sh >> sh;
            long sb = (b >>> s) << sh >> sh;
            long v;
            switch (op) {
                case 0: v = ua + ub; break;
                case 1: v = ua - ub; break;
                case 2: v = Math.max(sMin, Math.min(sMax, sa + sb)); break;
                case 3: v = Math.max(sMin, Math.min(sMax, sa - sb)); break;
                case 4: v = Math.min(mask, ua + ub); break;
                case 5: v = Math.max(0, ua - ub); break;
                case 6: v = ua == ub ? mask : 0; break;
                case 7: v = sa > sb ? mask : 0; break;
                case 8: v = sa * sb; break;
                default: v = (sa * sb) >> 16; break;
            }
            r |= (v & mask) << s;
        }
        return r;
    }

    private static long pmaddwd(long a, long b) {
        long r = 0;
        for (int d = 0; d < 2; d++) {
            long sum = 0;
            for (int k = 0; k < 2; k++) {
                int s = 32 * d + 16 * k;
                sum += (long) (short) (a >>> s) * (short) (b >>> s);
            }
            r |= (sum & 0xFFFFFFFFL) << (32 * d);
        }
        return r;
    }

    /** SDM "PSLLW/PSLLD/PSLLQ", "PSRLW...", "PSRAW/PSRAD": counts above the lane width clear (or sign-fill). */
    static long shift(long a, long count, int w, int kind) {
        boolean big = Long.compareUnsigned(count, w - 1) > 0;
        if (w == 64) {
            if (big) {
                return 0;
            }
            int n = (int) count;
            return kind == 0 ? a << n : a >>> n;
        }
        long mask = (1L << w) - 1;
        int sh = 64 - w;
        long r = 0;
        for (int s = 0; s < 64; s += w) {
            long lane = (a >>> s) & mask;
            long v;
            if (kind == 2) {
                long sv = lane << sh >> sh;
                v = sv >> (big ? w - 1 : (int) count);
            } else if (big) {
                v = 0;
            } else {
                v = kind == 0 ? lane << count : lane >>> count;
            }
            r |= (v & mask) << s;
        }
        return r;
    }

    /** PACKSSWB/PACKSSDW (signed saturation) and PACKUSWB (unsigned saturation of signed words). */
    private static long pack(long a, long b, int w, boolean signed) {
        int out = w / 2;
        long outMask = (1L << out) - 1;
        int n = 64 / w;
        long r = 0;
        for (int i = 0; i < 2 * n; i++) {
            long src = i < n ? a : b;
            int s = (i % n) * w;
            long v = (src >>> s) << (64 - w) >> (64 - w);
            long lo = signed ? -(1L << (out - 1)) : 0;
            long hi = signed ? (1L << (out - 1)) - 1 : outMask;
            v = Math.max(lo, Math.min(hi, v));
            r |= (v & outMask) << (i * out);
        }
        return r;
    }

    /** PUNPCKL*: interleave the low halves of a and b; PUNPCKH*: the high halves. */
    private static long unpack(long a, long b, int w, boolean high) {
        long mask = (1L << w) - 1;
        int n = 32 / w;
        int base = high ? 32 : 0;
        long r = 0;
        for (int i = 0; i < n; i++) {
            long la = (a >>> (base + i * w)) & mask;
            long lb = (b >>> (base + i * w)) & mask;
            r |= la << (2 * i * w);
            r |= lb << ((2 * i + 1) * w);
        }
        return r;
    }
}
