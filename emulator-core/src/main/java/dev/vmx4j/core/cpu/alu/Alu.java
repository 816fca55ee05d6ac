package dev.vmx4j.core.cpu.alu;

import static dev.vmx4j.core.cpu.alu.LazyFlags.AF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.ARITHMETIC;
import static dev.vmx4j.core.cpu.alu.LazyFlags.CF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.OF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.PF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.SF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.ZF;

/**
 * The integer ALU: the value semantics and flag effects of the general-purpose arithmetic,
 * logic, shift, bit and BCD instructions.
 *
 * <p>Every method takes its operands as {@code long} and an operand size in bytes (1, 2, 4, 8;
 * BMI forms 4 or 8). Inputs may carry garbage above the size; results are truncated to the size
 * and zero-extended. Flags go to the {@link LazyFlags} given at construction. Secondary results
 * are left in the public fields {@link #high}, {@link #quotient} and {@link #remainder}; read
 * them right after the call. Flags the SDM leaves undefined get the values listed in
 * {@code docs/FLAGS.md}; {@link UndefinedFlags} holds the masks.
 *
 * <p>PERF: no allocation, no boxing, one small method per instruction so HotSpot inlines them
 * into the CPU's dispatch.
 */
public final class Alu {

    /** AAM with an immediate of 0: the CPU must raise #DE. */
    public static final long DIVIDE_ERROR = -1L;

    private final LazyFlags flags;

    /** High half of the last MUL/IMUL (one-operand) or MULX product, zero-extended. */
    public long high;
    /** Quotient of the last successful DIV/IDIV, zero-extended. */
    public long quotient;
    /** Remainder of the last successful DIV/IDIV, zero-extended. */
    public long remainder;

    public Alu(LazyFlags flags) {
        if (flags == null) {
            throw new IllegalArgumentException("flags must not be null");
        }
        this.flags = flags;
    }

    /** The flags this ALU writes. */
    public LazyFlags flags() {
        return flags;
    }

    // ---------------------------------------------------------------- helpers

    /** All ones at the operand size. */
    static long mask(int size) {
        switch (size) {
            case 1:
                return 0xFFL;
            case 2:
                return 0xFFFFL;
            case 4:
                return 0xFFFF_FFFFL;
            case 8:
                return -1L;
            default:
                throw badSize(size);
        }
    }

    private static IllegalArgumentException badSize(int size) {
        return new IllegalArgumentException("operand size must be 1, 2, 4 or 8 bytes, was " + size);
    }

    /** {@code x} sign-extended from the operand size. */
    static long signExtend(int size, long x) {
        int s = 64 - (size << 3);
        return (x << s) >> s;
    }

    /** Shift-count mask: SDM "SAL/SAR/SHL/SHR—Shift": 5 bits, 6 bits with REX.W. */
    private static int countMask(int size) {
        return size == 8 ? 0x3F : 0x1F;
    }

    private static long szp(int size, long r) {
        long f = 0;
        if (r == 0) {
            f |= ZF;
        }
        if (((r >>> ((size << 3) - 1)) & 1) != 0) {
            f |= SF;
        }
        if ((Integer.bitCount((int) r & 0xFF) & 1) == 0) {
            f |= PF;
        }
        return f;
    }

    // ---------------------------------------------------------------- add / sub

    /** ADD. */
    public long add(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a + b) & m;
        flags.record(LazyFlags.OP_ADD, size, a, b, r);
        return r;
    }

    /** ADC: a + b + CF. */
    public long adc(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a + b + (flags.cf() ? 1 : 0)) & m;
        flags.record(LazyFlags.OP_ADD, size, a, b, r);
        return r;
    }

    /** SUB. */
    public long sub(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a - b) & m;
        flags.record(LazyFlags.OP_SUB, size, a, b, r);
        return r;
    }

    /** SBB: a - (b + CF). */
    public long sbb(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a - b - (flags.cf() ? 1 : 0)) & m;
        flags.record(LazyFlags.OP_SBB, size, a, b, r);
        return r;
    }

    /** CMP: the flags of a - b. */
    public void cmp(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        flags.record(LazyFlags.OP_SUB, size, a, b, (a - b) & m);
    }

    /** NEG: 0 - a; SDM "NEG—Two's Complement Negation": CF = (source != 0). */
    public long neg(int size, long a) {
        long m = mask(size);
        a &= m;
        long r = -a & m;
        flags.record(LazyFlags.OP_SUB, size, 0, a, r);
        return r;
    }

    /** INC; CF is not affected. */
    public long inc(int size, long a) {
        long m = mask(size);
        long r = (a + 1) & m;
        flags.recordKeepingCf(LazyFlags.OP_ADD, size, a & m, r);
        return r;
    }

    /** DEC; CF is not affected. */
    public long dec(int size, long a) {
        long m = mask(size);
        long r = (a - 1) & m;
        flags.recordKeepingCf(LazyFlags.OP_SUB, size, a & m, r);
        return r;
    }

    // ---------------------------------------------------------------- logic

    private long logic(int size, long r) {
        r &= mask(size);
        flags.record(LazyFlags.OP_LOGIC, size, 0, 0, r);
        return r;
    }

    /** AND; SDM "AND—Logical AND": OF, CF cleared, SF ZF PF per result, AF undefined (0). */
    public long and(int size, long a, long b) {
        return logic(size, a & b);
    }

    /** OR. */
    public long or(int size, long a, long b) {
        return logic(size, a | b);
    }

    /** XOR. */
    public long xor(int size, long a, long b) {
        return logic(size, a ^ b);
    }

    /** TEST: the flags of a AND b. */
    public void test(int size, long a, long b) {
        logic(size, a & b);
    }

    /** NOT; no flags affected. */
    public long not(int size, long a) {
        return ~a & mask(size);
    }

    // ---------------------------------------------------------------- shifts

    /** SHL/SAL. A masked count of 0 changes neither the value nor the flags. */
    public long shl(int size, long a, long count) {
        int c = (int) count & countMask(size);
        long m = mask(size);
        if (c == 0) {
            return a & m;
        }
        a &= m;
        long r = (a << c) & m;
        flags.record(LazyFlags.OP_SHL, size, a, c, r);
        return r;
    }

    /** SAL: the same instruction as SHL. */
    public long sal(int size, long a, long count) {
        return shl(size, a, count);
    }

    /** SHR. */
    public long shr(int size, long a, long count) {
        int c = (int) count & countMask(size);
        long m = mask(size);
        if (c == 0) {
            return a & m;
        }
        a &= m;
        long r = a >>> c;
        flags.record(LazyFlags.OP_SHR, size, a, c, r);
        return r;
    }

    /** SAR. */
    public long sar(int size, long a, long count) {
        int c = (int) count & countMask(size);
        long m = mask(size);
        if (c == 0) {
            return a & m;
        }
        a &= m;
        long r = (signExtend(size, a) >> c) & m;
        flags.record(LazyFlags.OP_SAR, size, a, c, r);
        return r;
    }

    // ---------------------------------------------------------------- rotates

    private static long rotl(int size, long a, int n) {
        switch (size) {
            case 8:
                return Long.rotateLeft(a, n);
            case 4:
                return Integer.rotateLeft((int) a, n) & 0xFFFF_FFFFL;
            default:
                int bits = size << 3;
                n &= bits - 1;
                long m = mask(size);
                return n == 0 ? a & m : ((a << n) | ((a & m) >>> (bits - n))) & m;
        }
    }

    /** Sets CF and OF after a rotate; OF = MSB(result) XOR {@code ofOther}. */
    private void rotateFlags(int size, long r, boolean cf, long ofOther) {
        boolean of = (((r ^ ofOther) >>> ((size << 3) - 1)) & 1) != 0;
        flags.merge(CF | OF, (cf ? CF : 0) | (of ? OF : 0));
    }

    /**
     * ROL. SDM "RCL/RCR/ROL/ROR—Rotate": count masked to 5 (6) bits, then taken modulo the
     * width; CF = LSB(result) whenever the masked count is not 0; OF = MSB(result) XOR CF for a
     * 1-bit rotate. MANUAL: OF is undefined for other counts; we apply the 1-bit rule.
     */
    public long rol(int size, long a, long count) {
        int c = (int) count & countMask(size);
        if (c == 0) {
            return a & mask(size);
        }
        long r = rotl(size, a, c);
        boolean cf = (r & 1) != 0;
        rotateFlags(size, r, cf, cf ? -1L : 0);
        return r;
    }

    /**
     * ROR. CF = MSB(result); OF = MSB(result) XOR MSB-1(result) for a 1-bit rotate.
     * MANUAL: OF is undefined for other counts; we apply the 1-bit rule.
     */
    public long ror(int size, long a, long count) {
        int c = (int) count & countMask(size);
        if (c == 0) {
            return a & mask(size);
        }
        int bits = size << 3;
        long r = rotl(size, a, bits - (c & (bits - 1)));
        boolean cf = ((r >>> (bits - 1)) & 1) != 0;
        rotateFlags(size, r, cf, r << 1);
        return r;
    }

    /** RCL/RCR count: masked, then modulo 9 (8-bit) or 17 (16-bit). */
    private static int rcCount(int size, int masked) {
        if (size == 1) {
            return masked % 9;
        }
        if (size == 2) {
            return masked % 17;
        }
        return masked;
    }

    /** CF after the last {@link #rotateThroughCarry}. */
    private boolean carryOut;

    /**
     * Rotates the (width+1)-bit ring CF:a left by {@code n} (0..width); returns the new value
     * and leaves the new CF in {@link #carryOut}. RCR by c is RCL by width+1-c on the same ring.
     */
    private long rotateThroughCarry(int size, long a, int n) {
        boolean cin = flags.cf();
        if (n == 0) {
            carryOut = cin;
            return a;
        }
        long c = cin ? 1 : 0;
        if (size == 8) {
            carryOut = ((a >>> (64 - n)) & 1) != 0;
            return (n == 64 ? 0 : a << n) | (c << (n - 1)) | (n == 1 ? 0 : a >>> (65 - n));
        }
        int bits = size << 3;
        long ring = (mask(size) << 1) | 1;
        long x = (c << bits) | a;
        long rx = ((x << n) | (x >>> (bits + 1 - n))) & ring;
        carryOut = ((rx >>> bits) & 1) != 0;
        return rx & mask(size);
    }

    /**
     * RCL: rotate the (width+1)-bit value CF:dest left. SDM "RCL/RCR/ROL/ROR—Rotate": 8/16-bit
     * counts are taken modulo 9/17 after masking; OF = MSB(result) XOR CF for a 1-bit rotate.
     * MANUAL: OF is undefined for other counts (including a masked count that is a multiple of
     * 9/17, which leaves value and CF unchanged); we apply the 1-bit rule.
     */
    public long rcl(int size, long a, long count) {
        int masked = (int) count & countMask(size);
        if (masked == 0) {
            return a & mask(size);
        }
        long r = rotateThroughCarry(size, a & mask(size), rcCount(size, masked));
        rotateFlags(size, r, carryOut, carryOut ? -1L : 0);
        return r;
    }

    /**
     * RCR: rotate CF:dest right. OF = MSB(dest) XOR CF before a 1-bit rotate, which equals
     * MSB(result) XOR MSB-1(result) after it. MANUAL: other counts apply the same rule.
     */
    public long rcr(int size, long a, long count) {
        int masked = (int) count & countMask(size);
        if (masked == 0) {
            return a & mask(size);
        }
        int c = rcCount(size, masked);
        long r = rotateThroughCarry(size, a & mask(size), c == 0 ? 0 : (size << 3) + 1 - c);
        rotateFlags(size, r, carryOut, r << 1);
        return r;
    }

    // ---------------------------------------------------------------- double shifts

    /**
     * SHLD dest, src, count. SDM "SHLD—Double Precision Shift Left": count masked to 5 (6)
     * bits; 0 changes nothing. MANUAL: for 16-bit operands with a count above 16 the result and
     * flags are undefined; we shift the 48-bit string dest:src:dest, so bits of src and then of
     * dest enter (a natural extension; the AMD host of our vectors produces other values). CF = last bit shifted out of dest, SF ZF PF per
     * result, OF = sign change (defined for count 1; same rule otherwise), AF = 0 (undefined).
     */
    public long shld(int size, long dst, long src, long count) {
        int c = (int) count & countMask(size);
        long m = mask(size);
        dst &= m;
        if (c == 0) {
            return dst;
        }
        src &= m;
        long r;
        boolean cf;
        if (size == 8) {
            r = (dst << c) | (src >>> (64 - c));
            cf = ((dst >>> (64 - c)) & 1) != 0;
        } else if (size == 4) {
            long x = (dst << 32) | src;
            r = (x << c) >>> 32;
            cf = ((dst >>> (32 - c)) & 1) != 0;
        } else {
            int bits = size << 3;
            long x = (dst << (2 * bits)) | (src << bits) | dst;
            r = (x >>> (2 * bits - c)) & m;
            cf = ((x >>> (3 * bits - c)) & 1) != 0;
        }
        shiftDoubleFlags(size, dst, r, cf);
        return r;
    }

    /**
     * SHRD dest, src, count. As {@link #shld} to the right: bits of src enter at the top.
     * MANUAL: a 16-bit count above 16 shifts the 48-bit string dest:src:dest right.
     */
    public long shrd(int size, long dst, long src, long count) {
        int c = (int) count & countMask(size);
        long m = mask(size);
        dst &= m;
        if (c == 0) {
            return dst;
        }
        src &= m;
        long r;
        boolean cf = ((dst >>> (c - 1)) & 1) != 0;
        if (size == 8) {
            r = (dst >>> c) | (src << (64 - c));
        } else if (size == 4) {
            long x = (src << 32) | dst;
            r = (x >>> c) & m;
        } else {
            int bits = size << 3;
            long x = (dst << (2 * bits)) | (src << bits) | dst;
            r = (x >>> c) & m;
            cf = ((x >>> (c - 1)) & 1) != 0;
        }
        shiftDoubleFlags(size, dst, r, cf);
        return r;
    }

    private void shiftDoubleFlags(int size, long dst, long r, boolean cf) {
        boolean of = (((r ^ dst) >>> ((size << 3) - 1)) & 1) != 0;
        flags.replace(szp(size, r) | (cf ? CF : 0) | (of ? OF : 0));
    }

    // ---------------------------------------------------------------- multiply

    /** Unsigned high 64 bits of a * b. */
    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /**
     * MUL flags: CF = OF = (high half != 0). MANUAL: SF, ZF, PF are undefined; we set them from
     * the low half, and clear AF.
     */
    private void mulFlags(int size, long low, boolean overflow) {
        flags.replace(szp(size, low) | (overflow ? CF | OF : 0));
    }

    /** MUL (one operand): unsigned a * b; returns the low half, the high half in {@link #high}. */
    public long mul(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        long lo;
        long hi;
        if (size == 8) {
            lo = a * b;
            hi = unsignedMultiplyHigh(a, b);
        } else {
            long p = a * b;
            lo = p & m;
            hi = p >>> (size << 3);
        }
        high = hi;
        mulFlags(size, lo, hi != 0);
        return lo;
    }

    /**
     * IMUL (one operand): signed a * b; low half returned, high half in {@link #high}.
     * CF = OF = (the product does not fit the low half, sign-extended).
     */
    public long imul(int size, long a, long b) {
        long m = mask(size);
        long lo;
        long hi;
        boolean overflow;
        if (size == 8) {
            lo = a * b;
            hi = Math.multiplyHigh(a, b);
            overflow = hi != (lo >> 63);
        } else {
            long p = signExtend(size, a) * signExtend(size, b);
            lo = p & m;
            hi = (p >> (size << 3)) & m;
            overflow = signExtend(size, lo) != p;
        }
        high = hi;
        mulFlags(size, lo, overflow);
        return lo;
    }

    /** IMUL (two and three operands): the product truncated to the size; CF = OF = overflow. */
    public long imulTruncated(int size, long a, long b) {
        return imul(size, a, b);
    }

    // ---------------------------------------------------------------- divide

    /**
     * DIV: unsigned (high:low) / divisor, each half {@code size} bytes (for size 1: AH:AL).
     * Returns false (fields then undefined, flags unchanged) on a zero divisor or a quotient that does not fit: the
     * CPU raises #DE. SDM "DIV—Unsigned Divide": flags undefined. MANUAL: we leave them unchanged.
     */
    public boolean div(int size, long hi, long lo, long divisor) {
        long m = mask(size);
        hi &= m;
        lo &= m;
        divisor &= m;
        if (divisor == 0) {
            return false;
        }
        if (size == 8) {
            if (Long.compareUnsigned(hi, divisor) >= 0) {
                return false;
            }
            quotient = divideUnsigned128(hi, lo, divisor);
            return true;
        }
        long dividend = (hi << (size << 3)) | lo;
        long q = Long.divideUnsigned(dividend, divisor);
        if (Long.compareUnsigned(q, m) > 0) {
            return false;
        }
        quotient = q;
        remainder = dividend - q * divisor;
        return true;
    }

    /**
     * IDIV: signed (high:low) / divisor. Returns false on a zero divisor or a quotient outside
     * the signed range of the size (#DE). The remainder has the sign of the dividend.
     * MANUAL: flags (undefined) are left unchanged.
     */
    public boolean idiv(int size, long hi, long lo, long divisor) {
        long m = mask(size);
        long d = signExtend(size, divisor);
        if (d == 0) {
            return false;
        }
        if (size == 8) {
            return idiv128(hi, lo, d);
        }
        int bits = size << 3;
        long dividend = (signExtend(size, hi) << bits) | (lo & m);
        long q = dividend / d;
        long r = dividend % d;
        if (signExtend(size, q) != q || (dividend == Long.MIN_VALUE && d == -1)) {
            return false;
        }
        quotient = q & m;
        remainder = r & m;
        return true;
    }

    private boolean idiv128(long hi, long lo, long d) {
        boolean negative = hi < 0;
        long ahi = hi;
        long alo = lo;
        if (negative) {
            alo = -lo;
            ahi = ~hi + (lo == 0 ? 1 : 0);
        }
        long ad = d < 0 ? -d : d; // Long.MIN_VALUE stays 2^63 read unsigned
        if (Long.compareUnsigned(ahi, ad) >= 0) {
            return false;
        }
        long q = divideUnsigned128(ahi, alo, ad);
        boolean negQ = negative != (d < 0);
        if (Long.compareUnsigned(q, negQ ? Long.MIN_VALUE : Long.MAX_VALUE) > 0) {
            return false;
        }
        quotient = negQ ? -q : q;
        remainder = negative ? -remainder : remainder;
        return true;
    }

    /**
     * Unsigned (u1:u0) / v for u1 < v (so the quotient fits 64 bits); remainder in
     * {@link #remainder}. Long division in base 2^32 on the normalized divisor (Knuth, algorithm D).
     */
    private long divideUnsigned128(long u1, long u0, long v) {
        if (u1 == 0) {
            quotient = Long.divideUnsigned(u0, v);
            remainder = u0 - quotient * v;
            return quotient;
        }
        final long base = 1L << 32;
        int s = Long.numberOfLeadingZeros(v);
        v <<= s;
        long vn1 = v >>> 32;
        long vn0 = v & 0xFFFF_FFFFL;
        long un32 = s == 0 ? u1 : (u1 << s) | (u0 >>> (64 - s));
        long un10 = u0 << s;
        long un1 = un10 >>> 32;
        long un0 = un10 & 0xFFFF_FFFFL;

        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, base) >= 0
                || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0) {
                break;
            }
        }
        long un21 = (un32 << 32) + un1 - q1 * v;

        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, base) >= 0
                || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0) {
                break;
            }
        }
        remainder = ((un21 << 32) + un0 - q0 * v) >>> s;
        return (q1 << 32) | q0;
    }

    // ---------------------------------------------------------------- bit test and scan

    /**
     * BT: CF = bit {@code index} of {@code value}; the index is taken modulo the operand width
     * (the register form; memory forms reduce the offset before calling). SDM "BT—Bit Test":
     * ZF unaffected; OF, SF, AF, PF undefined. MANUAL: we leave them unchanged.
     */
    public void bt(int size, long value, long index) {
        int i = (int) index & ((size << 3) - 1);
        flags.setCf(((value >>> i) & 1) != 0);
    }

    /** BTS: as {@link #bt}, returns the value with the bit set. */
    public long bts(int size, long value, long index) {
        bt(size, value, index);
        return (value | (1L << ((int) index & ((size << 3) - 1)))) & mask(size);
    }

    /** BTR: as {@link #bt}, returns the value with the bit cleared. */
    public long btr(int size, long value, long index) {
        bt(size, value, index);
        return (value & ~(1L << ((int) index & ((size << 3) - 1)))) & mask(size);
    }

    /** BTC: as {@link #bt}, returns the value with the bit complemented. */
    public long btc(int size, long value, long index) {
        bt(size, value, index);
        return (value ^ (1L << ((int) index & ((size << 3) - 1)))) & mask(size);
    }

    /**
     * BSF: index of the lowest set bit of {@code src}. SDM "BSF—Bit Scan Forward": if the source
     * is 0, ZF = 1 and the destination is undefined; MANUAL: we return {@code oldDst} unchanged
     * (AMD documents this, Intel cores behave so in practice; a 32-bit destination write still
     * clears bits 63:32, which is the caller's register write). CF, OF, SF, AF, PF undefined:
     * left unchanged.
     */
    public long bsf(int size, long oldDst, long src) {
        src &= mask(size);
        flags.setZf(src == 0);
        return src == 0 ? oldDst & mask(size) : Long.numberOfTrailingZeros(src);
    }

    /** BSR: index of the highest set bit of {@code src}; a zero source as for {@link #bsf}. */
    public long bsr(int size, long oldDst, long src) {
        src &= mask(size);
        flags.setZf(src == 0);
        return src == 0 ? oldDst & mask(size) : 63 - Long.numberOfLeadingZeros(src);
    }

    /** POPCNT: SDM "POPCNT—Return the Count of Number of Bits Set to 1": ZF = (src == 0), others 0. */
    public long popcnt(int size, long src) {
        src &= mask(size);
        flags.replace(src == 0 ? ZF : 0);
        return Long.bitCount(src);
    }

    /**
     * LZCNT: number of leading zero bits at the operand width. CF = (src == 0), ZF = (result ==
     * 0). OF, SF, PF, AF undefined; MANUAL: left unchanged.
     */
    public long lzcnt(int size, long src) {
        src &= mask(size);
        long r = Long.numberOfLeadingZeros(src) - (64 - (size << 3));
        flags.merge(CF | ZF, (src == 0 ? CF : 0) | (r == 0 ? ZF : 0));
        return r;
    }

    /** TZCNT: number of trailing zero bits (the width when src is 0); flags as {@link #lzcnt}. */
    public long tzcnt(int size, long src) {
        src &= mask(size);
        long r = src == 0 ? size << 3 : Long.numberOfTrailingZeros(src);
        flags.merge(CF | ZF, (src == 0 ? CF : 0) | (r == 0 ? ZF : 0));
        return r;
    }

    // ---------------------------------------------------------------- BMI1

    /** ANDN: ~a AND b. SF ZF per result, CF OF cleared; AF PF undefined (MANUAL: as logic). */
    public long andn(int size, long a, long b) {
        return logic(size, ~a & b);
    }

    /**
     * BEXTR: bits [start, start+len) of src, start = ctl[7:0], len = ctl[15:8]. ZF per result,
     * CF OF cleared; AF SF PF undefined (MANUAL: as logic of the result).
     */
    public long bextr(int size, long src, long ctl) {
        int bits = size << 3;
        int start = (int) ctl & 0xFF;
        int len = (int) (ctl >>> 8) & 0xFF;
        src &= mask(size);
        long r = start >= bits ? 0 : src >>> start;
        if (len < bits) {
            r &= (1L << len) - 1;
        }
        return logic(size, r);
    }

    /** BMI1 flags: SF ZF from the result, CF as given, OF cleared; AF PF (undefined) as logic. */
    private void bmiFlags(int size, long r, boolean cf) {
        flags.replace(szp(size, r) | (cf ? CF : 0));
    }

    /** BLSI: src AND -src. CF = (src != 0). */
    public long blsi(int size, long src) {
        src &= mask(size);
        long r = src & -src;
        bmiFlags(size, r, src != 0);
        return r;
    }

    /**
     * BLSMSK: src XOR (src - 1). CF = (src == 0). SDM "BLSMSK—Get Mask Up to Lowest Set Bit":
     * ZF and OF are cleared (the result is never 0).
     */
    public long blsmsk(int size, long src) {
        long m = mask(size);
        src &= m;
        long r = (src ^ (src - 1)) & m;
        bmiFlags(size, r, src == 0);
        return r;
    }

    /** BLSR: src AND (src - 1). CF = (src == 0). */
    public long blsr(int size, long src) {
        src &= mask(size);
        long r = src & (src - 1);
        bmiFlags(size, r, src == 0);
        return r;
    }

    // ---------------------------------------------------------------- BMI2 (no flags except BZHI)

    /**
     * BZHI: src with the bits from index (= idx[7:0]) up cleared. SDM "BZHI—Zero High Bits
     * Starting with Specified Bit Position": CF = (index > width - 1), SF ZF per result, OF 0.
     */
    public long bzhi(int size, long src, long idx) {
        int bits = size << 3;
        int n = (int) idx & 0xFF;
        long r = src & mask(size);
        if (n < bits) {
            r &= (1L << n) - 1;
        }
        bmiFlags(size, r, n > bits - 1);
        return r;
    }

    /** MULX: unsigned a * b (a is EDX/RDX); low half returned, high half in {@link #high}; no flags. */
    public long mulx(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        if (size == 8) {
            high = unsignedMultiplyHigh(a, b);
            return a * b;
        }
        long p = a * b;
        high = p >>> (size << 3);
        return p & m;
    }

    /** PDEP: deposit the low bits of src at the positions of the set bits of mask; no flags. */
    public long pdep(int size, long src, long selector) {
        long sel = selector & mask(size);
        long r = 0;
        for (long bit = 1; sel != 0; bit <<= 1) {
            long low = sel & -sel;
            if ((src & bit) != 0) {
                r |= low;
            }
            sel ^= low;
        }
        return r;
    }

    /** PEXT: gather the bits of src at the set bits of mask into the low bits; no flags. */
    public long pext(int size, long src, long selector) {
        long sel = selector & mask(size);
        long r = 0;
        for (long bit = 1; sel != 0; bit <<= 1) {
            long low = sel & -sel;
            if ((src & low) != 0) {
                r |= bit;
            }
            sel ^= low;
        }
        return r;
    }

    /** RORX: rotate right by imm (masked to 5/6 bits); no flags. */
    public long rorx(int size, long src, long imm) {
        int c = (int) imm & countMask(size);
        int bits = size << 3;
        return rotl(size, src & mask(size), (bits - c) & (bits - 1));
    }

    /** SARX: arithmetic shift right, count masked to 5/6 bits; no flags. */
    public long sarx(int size, long src, long count) {
        return (signExtend(size, src) >> ((int) count & countMask(size))) & mask(size);
    }

    /** SHLX: shift left, count masked to 5/6 bits; no flags. */
    public long shlx(int size, long src, long count) {
        return (src << ((int) count & countMask(size))) & mask(size);
    }

    /** SHRX: logical shift right, count masked to 5/6 bits; no flags. */
    public long shrx(int size, long src, long count) {
        return (src & mask(size)) >>> ((int) count & countMask(size));
    }

    // ---------------------------------------------------------------- ADX

    /** Carry out of a + b + cin at the operand size. */
    private static boolean carryOut(int size, long a, long b, long r) {
        return (((a & b) | ((a | b) & ~r)) >>> ((size << 3) - 1) & 1) != 0;
    }

    /** ADCX: a + b + CF; only CF is written. */
    public long adcx(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a + b + (flags.cf() ? 1 : 0)) & m;
        flags.setCf(carryOut(size, a, b, r));
        return r;
    }

    /** ADOX: a + b + OF; only OF is written (with the carry out). */
    public long adox(int size, long a, long b) {
        long m = mask(size);
        a &= m;
        b &= m;
        long r = (a + b + (flags.of() ? 1 : 0)) & m;
        flags.setOf(carryOut(size, a, b, r));
        return r;
    }

    // ---------------------------------------------------------------- BCD (legacy and compatibility modes)

    /**
     * DAA on AL (returned). SDM "DAA—Decimal Adjust AL After Addition": adjusts with CF and AF.
     * SF ZF PF per result; OF undefined, MANUAL: left unchanged.
     */
    public long daa(long al) {
        al &= 0xFF;
        long oldAl = al;
        boolean oldCf = flags.cf();
        boolean cf = false;
        boolean af = false;
        if ((al & 0xF) > 9 || flags.af()) {
            cf = oldCf || al + 6 > 0xFF;
            al = (al + 6) & 0xFF;
            af = true;
        }
        if (oldAl > 0x99 || oldCf) {
            al = (al + 0x60) & 0xFF;
            cf = true;
        } else {
            cf = false;
        }
        flags.merge(CF | AF | SF | ZF | PF, szp(1, al) | (cf ? CF : 0) | (af ? AF : 0));
        return al;
    }

    /** DAS on AL (returned). SDM "DAS—Decimal Adjust AL After Subtraction". OF unchanged. */
    public long das(long al) {
        al &= 0xFF;
        long oldAl = al;
        boolean oldCf = flags.cf();
        boolean cf = false;
        boolean af = false;
        if ((al & 0xF) > 9 || flags.af()) {
            cf = oldCf || al < 6;
            al = (al - 6) & 0xFF;
            af = true;
        }
        if (oldAl > 0x99 || oldCf) {
            al = (al - 0x60) & 0xFF;
            cf = true;
        }
        flags.merge(CF | AF | SF | ZF | PF, szp(1, al) | (cf ? CF : 0) | (af ? AF : 0));
        return al;
    }

    /**
     * AAA on AX (returned). SDM "AAA—ASCII Adjust After Addition": if AL[3:0] > 9 or AF, AX +=
     * 0x106 and AF = CF = 1, else AF = CF = 0; then AL &= 0x0F. OF SF ZF PF undefined,
     * MANUAL: left unchanged.
     */
    public long aaa(long ax) {
        ax &= 0xFFFF;
        boolean adjust = (ax & 0xF) > 9 || flags.af();
        if (adjust) {
            ax = (ax + 0x106) & 0xFFFF;
        }
        flags.merge(CF | AF, adjust ? CF | AF : 0);
        return ax & 0xFF0F;
    }

    /**
     * AAS on AX (returned). SDM "AAS—ASCII Adjust AL After Subtraction": if AL[3:0] > 9 or AF,
     * AX -= 6, AH -= 1, AF = CF = 1, else AF = CF = 0; then AL &= 0x0F. Others unchanged.
     */
    public long aas(long ax) {
        ax &= 0xFFFF;
        boolean adjust = (ax & 0xF) > 9 || flags.af();
        if (adjust) {
            ax = (ax - 6) & 0xFFFF;
            ax = (ax - 0x100) & 0xFFFF;
        }
        flags.merge(CF | AF, adjust ? CF | AF : 0);
        return ax & 0xFF0F;
    }

    /**
     * AAM imm8 on AX: AH = AL / imm8, AL = AL mod imm8; returns the new AX, or
     * {@link #DIVIDE_ERROR} when imm8 is 0 (the CPU raises #DE, nothing changes). SF ZF PF per
     * AL; OF AF CF undefined, MANUAL: cleared (the result of the logic-style flag update).
     */
    public long aam(long ax, int imm8) {
        int base = imm8 & 0xFF;
        if (base == 0) {
            return DIVIDE_ERROR;
        }
        long al = ax & 0xFF;
        long r = ((al / base) << 8) | (al % base);
        flags.replace(szp(1, r & 0xFF));
        return r;
    }

    /**
     * AAD imm8 on AX: AL = (AL + AH * imm8) & 0xFF, AH = 0; returns the new AX. SF ZF PF per AL;
     * OF AF CF undefined, MANUAL: cleared.
     */
    public long aad(long ax, int imm8) {
        long r = ((ax & 0xFF) + ((ax >>> 8) & 0xFF) * (imm8 & 0xFF)) & 0xFF;
        flags.replace(szp(1, r));
        return r;
    }
}
