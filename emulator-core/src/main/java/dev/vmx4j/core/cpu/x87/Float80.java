package dev.vmx4j.core.cpu.x87;

/**
 * Double-extended-precision arithmetic (SDM "Double Extended-Precision Floating-Point Format")
 * on values held as two primitives: {@code se} (bit 15 sign, bits 14:0 biased exponent) and
 * {@code sig} (the 64-bit significand with its explicit integer bit J at bit 63). One instance
 * per CPU is the arithmetic engine: set {@link #rc}, {@link #precision} and {@link #masks}, call
 * an operation, read the result from {@link #se}/{@link #sig}, the exception flags it raised
 * from {@link #flags} and "rounded up" (C1) from {@link #up}. Nothing allocates.
 *
 * <p>Results are exact to the last bit: intermediate values are 128-bit integers, rounded once
 * per SDM "Rounding Control Field" and "Precision Control Field". Special operands follow SDM
 * "x87 FPU Floating-Point Exception Conditions" and Table "Rules for handling NaNs".
 */
public final class Float80 {

    /** Exception flags, bit positions as in the status word. */
    public static final int IE = 1;
    public static final int DE = 2;
    public static final int ZE = 4;
    public static final int OE = 8;
    public static final int UE = 16;
    public static final int PE = 32;

    public static final int RC_NEAREST = 0;
    public static final int RC_DOWN = 1;
    public static final int RC_UP = 2;
    public static final int RC_ZERO = 3;

    public static final long J = 0x8000000000000000L;
    public static final long QUIET = 0x4000000000000000L;
    /** SDM "Indefinite": the real indefinite QNaN (sign 1, exponent all ones, 1.1000...). */
    public static final int INDEFINITE_SE = 0xFFFF;
    public static final long INDEFINITE_SIG = 0xC000000000000000L;

    /** 80-bit format exponent range (unbiased) and the SDM "Numeric Overflow/Underflow" bias adjust. */
    public static final int EMIN = -16382;
    public static final int EMAX = 16383;
    private static final int BIAS = 16383;
    private static final int WRAP = 24576;

    // ------------------------------------------------------------------ control in, results out
    /** Rounding control (CW bits 11:10). */
    public int rc;
    /** Significand bits of results: 24, 53 or 64 (CW bits 9:8). */
    public int precision = 64;
    /** Exception masks (CW bits 5:0); 1 = masked. */
    public int masks = 0x3F;

    public int se;
    public long sig;
    public int flags;
    public boolean up;
    /** Second result (FXTRACT significand, FPTAN 1.0, FSINCOS cosine). */
    public int se2;
    public long sig2;
    /** Result of {@link #compare}: 0 equal, 1 less, 2 greater, 3 unordered. */
    public int relation;

    // unpacked operands
    private int sa;
    private int ea;
    private long ma;
    private int sb;
    private int eb;
    private long mb;
    // 128-bit scratch
    private long tHi;
    private long tLo;

    /** Sets rounding, precision and masks from an x87 control word. */
    public void control(int cw) {
        rc = (cw >>> 10) & 3;
        int pc = (cw >>> 8) & 3;
        // SDM "Precision Control Field": 00B single, 10B double, 11B double extended; 01B reserved.
        // MANUAL: the reserved value 01B rounds to 64 bits, as current Intel processors do.
        precision = pc == 0 ? 24 : pc == 2 ? 53 : 64;
        masks = cw & 0x3F;
    }

    // ------------------------------------------------------------------ classification

    public static int exp(int se) {
        return se & 0x7FFF;
    }

    public static boolean isNaN(int se, long sig) {
        return (se & 0x7FFF) == 0x7FFF && sig < 0 && (sig << 1) != 0;
    }

    public static boolean isSNaN(int se, long sig) {
        return isNaN(se, sig) && (sig & QUIET) == 0;
    }

    public static boolean isInf(int se, long sig) {
        return (se & 0x7FFF) == 0x7FFF && sig == J;
    }

    public static boolean isZero(int se, long sig) {
        return (se & 0x7FFF) == 0 && sig == 0;
    }

    /** Denormals and pseudo-denormals (exponent 0, significand not zero). */
    public static boolean isDenormal(int se, long sig) {
        return (se & 0x7FFF) == 0 && sig != 0;
    }

    /**
     * SDM "Unsupported Double Extended-Precision Floating-Point Encodings and Pseudo-Denormals":
     * pseudo-NaNs, pseudo-infinities and unnormals (J = 0 with a non-zero exponent) are invalid
     * operands.
     */
    public static boolean isUnsupported(int se, long sig) {
        return (se & 0x7FFF) != 0 && sig >= 0;
    }

    /** Tag (SDM "x87 FPU Tag Word"): 0 valid, 1 zero, 2 special. */
    public static int tag(int se, long sig) {
        int e = se & 0x7FFF;
        if (e == 0) {
            return sig == 0 ? 1 : 2;
        }
        return e == 0x7FFF || sig >= 0 ? 2 : 0;
    }

    // ------------------------------------------------------------------ helpers

    private void begin() {
        flags = 0;
        up = false;
        curPrec = 64;
    }

    /** Precision of the current operation: {@link #precision} for +, -, *, / and sqrt, else 64. */
    private int curPrec = 64;

    private void result(int s, long m) {
        se = s;
        sig = m;
    }

    /** Masked invalid operation: the real indefinite. */
    public void invalid() {
        flags |= IE;
        se = INDEFINITE_SE;
        sig = INDEFINITE_SIG;
    }

    private boolean unmasked(int f) {
        return (f & ~masks) != 0;
    }

    /** Unpacks a finite non-zero operand into sa/ea/ma (normalized, ea unbiased). */
    private void unpackA(int s, long m) {
        sa = (s >>> 15) & 1;
        int e = s & 0x7FFF;
        if (e == 0) {
            int z = Long.numberOfLeadingZeros(m);
            ma = m << z;
            ea = EMIN - z;
        } else {
            ma = m;
            ea = e - BIAS;
        }
    }

    private void unpackB(int s, long m) {
        sb = (s >>> 15) & 1;
        int e = s & 0x7FFF;
        if (e == 0) {
            int z = Long.numberOfLeadingZeros(m);
            mb = m << z;
            eb = EMIN - z;
        } else {
            mb = m;
            eb = e - BIAS;
        }
    }

    /**
     * Handles unsupported and NaN operands of a two-operand operation; true when the result is
     * decided (SDM "Rules for handling NaNs": a QNaN beats an SNaN, otherwise the larger
     * significand, and an SNaN raises #IA and is quieted).
     */
    private boolean nanOperands(int aSe, long aSig, int bSe, long bSig) {
        if (isUnsupported(aSe, aSig) || isUnsupported(bSe, bSig)) {
            invalid();
            return true;
        }
        boolean an = isNaN(aSe, aSig);
        boolean bn = isNaN(bSe, bSig);
        if (!an && !bn) {
            return false;
        }
        boolean as = an && (aSig & QUIET) == 0;
        boolean bs = bn && (bSig & QUIET) == 0;
        if (as || bs) {
            flags |= IE;
        }
        boolean pickA;
        if (an && bn && as == bs) {
            int cmp = Long.compareUnsigned(aSig, bSig);
            // MANUAL: equal significands: the positive NaN (lower sign/exponent word), as Intel does.
            pickA = cmp > 0 || (cmp == 0 && aSe <= bSe);
        } else if (an && bn) {
            pickA = bs;
        } else {
            pickA = an;
        }
        if (pickA) {
            result(aSe, aSig | QUIET);
        } else {
            result(bSe, bSig | QUIET);
        }
        return true;
    }

    private boolean nanOperand(int aSe, long aSig) {
        if (isUnsupported(aSe, aSig)) {
            invalid();
            return true;
        }
        if (isNaN(aSe, aSig)) {
            if ((aSig & QUIET) == 0) {
                flags |= IE;
            }
            result(aSe, aSig | QUIET);
            return true;
        }
        return false;
    }

    /** Shifts the 128-bit (hi, lo) right by n into tHi/tLo, jamming lost bits into bit 0. */
    private void shiftRightJam(long hi, long lo, int n) {
        if (n == 0) {
            tHi = hi;
            tLo = lo;
        } else if (n < 64) {
            boolean lost = (lo << (64 - n)) != 0;
            tLo = (lo >>> n) | (hi << (64 - n)) | (lost ? 1 : 0);
            tHi = hi >>> n;
        } else if (n == 64) {
            tLo = hi | (lo != 0 ? 1 : 0);
            tHi = 0;
        } else if (n < 128) {
            boolean lost = lo != 0 || (hi << (128 - n)) != 0;
            tLo = (hi >>> (n - 64)) | (lost ? 1 : 0);
            tHi = 0;
        } else {
            tHi = 0;
            tLo = (hi | lo) != 0 ? 1 : 0;
        }
    }

    // ------------------------------------------------------------------ rounding

    /** Rounded exponent out of {@link #roundTo}: unbiased; the significand is in {@link #sig}. */
    public int rExp;
    /** {@link #roundTo} overflowed to infinity. */
    public boolean rInf;

    /**
     * Rounds sign × (hi:lo as 1.xxx, bit 127 set) × 2^e to {@code prec} significand bits in a format
     * with exponents emin..emax, per {@link #rc}. Writes {@link #sig} (left-aligned, J at bit 63 when
     * normal; a denormal keeps J clear with exponent emin), {@link #rExp}, {@link #rInf},
     * {@link #up} and the O/U/P flags. {@code wrap}: the destination is a register, so unmasked
     * overflow/underflow deliver the result with the exponent adjusted by 24576 (SDM "Numeric
     * Overflow Exception (#O)", "Numeric Underflow Exception (#U)").
     */
    public void roundTo(int sign, int e, long hi, long lo, int prec, int emin, int emax, boolean wrap) {
        rInf = false;
        boolean tiny = false;
        if (e < emin) {
            // SDM "Numeric Underflow Exception (#U)": tininess is detected after rounding.
            tiny = !(e == emin - 1 && carriesOut(sign, hi, lo, prec));
        }
        boolean uUnmasked = unmasked(UE);
        // An unmasked underflow delivers the exponent + 24576; if even that is out of range
        // (FSCALE), the masked response is delivered with #U, as the recording host does.
        boolean wrapUnder = tiny && uUnmasked && wrap && e + WRAP >= emin;
        if (tiny && uUnmasked && wrap && !wrapUnder) {
            // beyond the bias adjust: a signed zero, #U and #P, C1 = 0
            flags |= UE | PE;
            up = false;
            sig = 0;
            rExp = emin;
            return;
        }
        if (wrap && unmasked(OE) && e - WRAP > emax + 1) {
            // beyond the bias adjust: infinity whatever the rounding, #O and #P, C1 = 1
            flags |= OE | PE;
            up = true;
            rInf = true;
            sig = J;
            rExp = emax + 1;
            return;
        }
        if (tiny && !wrapUnder) {
            shiftRightJam(hi, lo, Math.min(emin - e, 200));
            hi = tHi;
            lo = tLo;
            e = emin;
        }
        long keep;
        boolean half;
        boolean rest;
        if (prec == 64) {
            keep = hi;
            half = lo < 0;
            rest = (lo << 1) != 0;
        } else {
            keep = hi >>> (64 - prec);
            half = ((hi >>> (63 - prec)) & 1) != 0;
            rest = (hi & ((1L << (63 - prec)) - 1)) != 0 || lo != 0;
        }
        boolean inexact = half || rest;
        boolean inc = roundsAway(rc, half, rest, (keep & 1) != 0, sign != 0);
        if (inc) {
            keep++;
            if (prec == 64 ? keep == 0 : keep == 1L << prec) {
                keep = prec == 64 ? J : 1L << (prec - 1);
                e++;
            }
        }
        up = inc;
        long m = prec == 64 ? keep : keep << (64 - prec);
        if (wrapUnder) {
            e += WRAP;
            flags |= UE;
        } else if (tiny && (inexact || uUnmasked)) {
            flags |= UE;
        }
        if (e > emax) {
            if (wrap && unmasked(OE) && e - WRAP <= emax) {
                e -= WRAP;
                flags |= OE;
            } else {
                flags |= OE | PE;
                inexact = true;
                boolean toInf = rc == RC_NEAREST || (rc == RC_UP && sign == 0) || (rc == RC_DOWN && sign != 0);
                if (toInf) {
                    rInf = true;
                    up = true;
                    m = J;
                    e = emax + 1;
                } else {
                    up = false;
                    m = prec == 64 ? -1L : ((1L << prec) - 1) << (64 - prec);
                    e = emax;
                }
            }
        }
        if (inexact) {
            flags |= PE;
        }
        sig = m;
        rExp = e;
    }

    private boolean carriesOut(int sign, long hi, long lo, int prec) {
        long keep = prec == 64 ? hi : hi >>> (64 - prec);
        long all = prec == 64 ? -1L : (1L << prec) - 1;
        if (keep != all) {
            return false;
        }
        boolean half = prec == 64 ? lo < 0 : ((hi >>> (63 - prec)) & 1) != 0;
        boolean rest = prec == 64 ? (lo << 1) != 0 : (hi & ((1L << (63 - prec)) - 1)) != 0 || lo != 0;
        switch (rc) {
            case RC_NEAREST:
                return half;
            case RC_DOWN:
                return (half || rest) && sign != 0;
            case RC_UP:
                return (half || rest) && sign == 0;
            default:
                return false;
        }
    }

    /**
     * SDM "Rounding Control Field": whether rounding a magnitude whose discarded part is
     * {@code half} (its top bit) and {@code rest} (any lower bit) adds one to the kept part
     * ({@code odd}: its lowest bit) under rounding control {@code mode}.
     */
    private static boolean roundsAway(int mode, boolean half, boolean rest, boolean odd, boolean negative) {
        switch (mode) {
            case RC_NEAREST:
                return half && (rest || odd);
            case RC_DOWN:
                return (half || rest) && negative;
            case RC_UP:
                return (half || rest) && !negative;
            default:
                return false;
        }
    }

    /** Rounds to the current precision in the 80-bit format and packs into se/sig. */
    private void pack(int sign, int e, long hi, long lo) {
        roundTo(sign, e, hi, lo, curPrec, EMIN, EMAX, true);
        packRounded(sign);
    }

    private void packRounded(int sign) {
        int s = sign << 15;
        if (rInf) {
            se = s | 0x7FFF;
            sig = J;
        } else if (sig == 0) {
            se = s;
        } else if (sig < 0) {
            se = s | ((rExp + BIAS) & 0x7FFF);
        } else {
            se = s;
        }
    }

    /** Normalizes hi:lo (not zero) so bit 127 is set, then rounds and packs; e is the exponent of bit 127 before. */
    private void normalizePack(int sign, int e, long hi, long lo) {
        if (hi == 0) {
            hi = lo;
            lo = 0;
            e -= 64;
        }
        int z = Long.numberOfLeadingZeros(hi);
        if (z != 0) {
            hi = (hi << z) | (lo >>> (64 - z));
            lo <<= z;
            e -= z;
        }
        pack(sign, e, hi, lo);
    }

    // ------------------------------------------------------------------ arithmetic

    /** a + b, or a - b when {@code subtract}. */
    public void add(int aSe, long aSig, int bSe, long bSig, boolean subtract) {
        begin();
        curPrec = precision;
        if (nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        if (subtract) {
            bSe ^= 0x8000;
        }
        boolean aInf = isInf(aSe, aSig);
        boolean bInf = isInf(bSe, bSig);
        if (aInf && bInf && ((aSe ^ bSe) & 0x8000) != 0) {
            invalid();
            return;
        }
        if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) {
            flags |= DE;
            if (unmasked(DE)) {
                return;
            }
        }
        if (aInf || bInf) {
            result(aInf ? aSe : bSe, J);
            return;
        }
        boolean aZero = isZero(aSe, aSig);
        boolean bZero = isZero(bSe, bSig);
        if (aZero && bZero) {
            int s = ((aSe ^ bSe) & 0x8000) == 0 ? aSe & 0x8000 : rc == RC_DOWN ? 0x8000 : 0;
            result(s, 0);
            return;
        }
        if (aZero || bZero) {
            int s = aZero ? bSe : aSe;
            long m = aZero ? bSig : aSig;
            unpackA(s, m);
            pack(sa, ea, ma, 0);
            return;
        }
        unpackA(aSe, aSig);
        unpackB(bSe, bSig);
        // make a the larger magnitude
        if (ea < eb || (ea == eb && Long.compareUnsigned(ma, mb) < 0)) {
            int t = sa; sa = sb; sb = t;
            t = ea; ea = eb; eb = t;
            long u = ma; ma = mb; mb = u;
        }
        // 128-bit values with one spare top bit: a = ma >>> 1 : ma << 63, exponent of bit 126 = ea
        long aHi = ma >>> 1;
        long aLo = ma << 63;
        shiftRightJam(mb >>> 1, mb << 63, Math.min(ea - eb, 200));
        long hi;
        long lo;
        if (sa == sb) {
            lo = aLo + tLo;
            hi = aHi + tHi + (Long.compareUnsigned(lo, aLo) < 0 ? 1 : 0);
        } else {
            lo = aLo - tLo;
            hi = aHi - tHi - (Long.compareUnsigned(aLo, tLo) < 0 ? 1 : 0);
            if (hi == 0 && lo == 0) {
                result(rc == RC_DOWN ? 0x8000 : 0, 0);
                return;
            }
        }
        normalizePack(sa, ea + 1, hi, lo);
    }

    public void mul(int aSe, long aSig, int bSe, long bSig) {
        begin();
        curPrec = precision;
        if (nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        int s = (aSe ^ bSe) & 0x8000;
        boolean aInf = isInf(aSe, aSig);
        boolean bInf = isInf(bSe, bSig);
        boolean aZero = isZero(aSe, aSig);
        boolean bZero = isZero(bSe, bSig);
        if (aInf || bInf) {
            if (aZero || bZero) {
                invalid();
            } else {
                if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) {
                    flags |= DE;
                    if (unmasked(DE)) {
                        return;
                    }
                }
                result(s | 0x7FFF, J);
            }
            return;
        }
        if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) {
            flags |= DE;
            if (unmasked(DE)) {
                return;
            }
        }
        if (aZero || bZero) {
            result(s, 0);
            return;
        }
        unpackA(aSe, aSig);
        unpackB(bSe, bSig);
        long lo = ma * mb;
        long hi = unsignedMultiplyHigh(ma, mb);
        normalizePack(s >>> 15, ea + eb + 1, hi, lo);
    }

    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    public void div(int aSe, long aSig, int bSe, long bSig) {
        begin();
        curPrec = precision;
        if (nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        int s = (aSe ^ bSe) & 0x8000;
        boolean aInf = isInf(aSe, aSig);
        boolean bInf = isInf(bSe, bSig);
        boolean aZero = isZero(aSe, aSig);
        boolean bZero = isZero(bSe, bSig);
        if ((aInf && bInf) || (aZero && bZero)) {
            invalid();
            return;
        }
        if (bZero && !aInf) {
            // SDM "Divide-By-Zero Exception (#Z)": reported without #D for a denormal dividend.
            flags |= ZE;
            result(s | 0x7FFF, J);
            return;
        }
        if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) {
            flags |= DE;
            if (unmasked(DE)) {
                return;
            }
        }
        if (aInf) {
            result(s | 0x7FFF, J);
            return;
        }
        if (bInf || aZero) {
            result(s, 0);
            return;
        }
        if (bZero) {
            flags |= ZE;
            result(s | 0x7FFF, J);
            return;
        }
        unpackA(aSe, aSig);
        unpackB(bSe, bSig);
        // long division: 128 quotient bits of ma / mb, first bit weight 2^0
        long rem = ma;
        long qHi = 0;
        long qLo = 0;
        boolean carry = false;
        for (int i = 0; i < 128; i++) {
            boolean bit = carry || Long.compareUnsigned(rem, mb) >= 0;
            if (bit) {
                rem -= mb;
            }
            qHi = (qHi << 1) | (qLo >>> 63);
            qLo = (qLo << 1) | (bit ? 1 : 0);
            carry = rem < 0;
            rem <<= 1;
            if (i >= 67 && rem == 0 && !carry) {
                // exact: the remaining quotient bits are zero
                int left = 127 - i;
                qHi = left >= 64 ? qLo << (left - 64) : (qHi << left) | (qLo >>> (64 - left));
                qLo = left >= 64 ? 0 : qLo << left;
                normalizePack(s >>> 15, ea - eb, qHi, qLo);
                return;
            }
            if (i == 67) {
                // enough bits for any rounding: jam the rest as a sticky bit
                int left = 127 - i;
                qHi = (qHi << left) | (qLo >>> (64 - left));
                qLo = (qLo << left) | 1;
                normalizePack(s >>> 15, ea - eb, qHi, qLo);
                return;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    public void sqrt(int aSe, long aSig) {
        begin();
        curPrec = precision;
        if (nanOperand(aSe, aSig)) {
            return;
        }
        if (isZero(aSe, aSig)) {
            result(aSe, 0);
            return;
        }
        if ((aSe & 0x8000) != 0) {
            invalid();
            return;
        }
        if (isInf(aSe, aSig)) {
            result(aSe, J);
            return;
        }
        if (isDenormal(aSe, aSig)) {
            flags |= DE;
            if (unmasked(DE)) {
                return;
            }
        }
        unpackA(aSe, aSig);
        // value = ma * 2^(ea-63). N = ma << 64 (or << 63 for odd ea): sqrt(N) has 64 bits.
        long nHi;
        long nLo;
        int e;
        if ((ea & 1) == 0) {
            nHi = ma >>> 1;
            nLo = ma << 63;
            e = ea / 2;
        } else {
            nHi = ma;
            nLo = 0;
            e = (ea - 1) / 2;
        }
        // N = (nHi:nLo) represents ma * 2^63 or ma * 2^64; its root r has bit 63 set and
        // value = r * 2^(e-63).
        long r = 0;
        long remHi = 0;
        long remLo = 0;
        for (int i = 63; i >= 0; i--) {
            int two = i >= 32 ? (int) (nHi >>> (2 * (i - 32))) & 3 : (int) (nLo >>> (2 * i)) & 3;
            // rem = rem*4 + two
            remHi = (remHi << 2) | (remLo >>> 62);
            remLo = (remLo << 2) | two;
            // trial = r*4 + 1
            long tH = r >>> 62;
            long tL = (r << 2) | 1;
            boolean ge = Long.compareUnsigned(remHi, tH) > 0 || (remHi == tH && Long.compareUnsigned(remLo, tL) >= 0);
            if (ge) {
                long nl = remLo - tL;
                remHi = remHi - tH - (Long.compareUnsigned(remLo, tL) < 0 ? 1 : 0);
                remLo = nl;
                r = (r << 1) | 1;
            } else {
                r <<= 1;
            }
        }
        // round bit: sqrt(N) >= r + 1/2 iff rem > r; sticky: rem != 0 (never exactly half)
        boolean half = remHi != 0 || Long.compareUnsigned(remLo, r) > 0;
        long lo = (half ? J : 0) | ((remHi | remLo) != 0 ? 1 : 0);
        pack(0, e, r, lo);
    }

    /** Rounds to the current precision (used by FLD-type reloads, FSCALE and the constants). */
    public void round(int aSe, long aSig) {
        begin();
        if (nanOperand(aSe, aSig)) {
            return;
        }
        if (isZero(aSe, aSig) || isInf(aSe, aSig)) {
            result(aSe, aSig);
            return;
        }
        unpackA(aSe, aSig);
        pack(sa, ea, ma, 0);
    }

    /** FSCALE: a × 2^trunc(b). */
    public void scale(int aSe, long aSig, int bSe, long bSig) {
        begin();
        if (nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        boolean aInf = isInf(aSe, aSig);
        boolean bInf = isInf(bSe, bSig);
        boolean aZero = isZero(aSe, aSig);
        if (bInf) {
            boolean bNeg = (bSe & 0x8000) != 0;
            if ((aZero && !bNeg) || (aInf && bNeg)) {
                invalid();
                return;
            }
            if (isDenormal(aSe, aSig)) {
                flags |= DE;
                if (unmasked(DE)) {
                    return;
                }
            }
            result((aSe & 0x8000) | (aZero || bNeg ? 0 : 0x7FFF), aZero || bNeg ? 0 : J);
            return;
        }
        if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) {
            flags |= DE;
            if (unmasked(DE)) {
                return;
            }
        }
        if (aInf || aZero) {
            result(aSe, aSig);
            return;
        }
        int n;
        if (isZero(bSe, bSig) || (bSe & 0x7FFF) < BIAS) {
            n = 0;
        } else {
            int be = (bSe & 0x7FFF) - BIAS;
            long mag = be >= 17 ? 1L << 17 : bSig >>> (63 - be);
            n = (int) Math.min(mag, 1 << 17);
            if ((bSe & 0x8000) != 0) {
                n = -n;
            }
        }
        unpackA(aSe, aSig);
        pack(sa, ea + n, ma, 0);
    }

    // ------------------------------------------------------------------ comparison

    /**
     * Compares a with b into {@link #relation}. {@code quiet}: only SNaNs raise #IA (FUCOM*);
     * otherwise any NaN does (FCOM*). Unsupported operands always raise #IA.
     */
    public void compare(int aSe, long aSig, int bSe, long bSig, boolean quiet) {
        begin();
        if (isUnsupported(aSe, aSig) || isUnsupported(bSe, bSig)) {
            flags |= IE;
            relation = 3;
            return;
        }
        boolean an = isNaN(aSe, aSig);
        boolean bn = isNaN(bSe, bSig);
        if (an || bn) {
            if (!quiet || isSNaN(aSe, aSig) || isSNaN(bSe, bSig)) {
                flags |= IE;
            }
            relation = 3;
            return;
        }
        if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) {
            flags |= DE;
        }
        relation = order(aSe, aSig, bSe, bSig);
    }

    private int order(int aSe, long aSig, int bSe, long bSig) {
        boolean aZero = isZero(aSe, aSig) || ((aSe & 0x7FFF) == 0 && aSig == 0);
        boolean bZero = isZero(bSe, bSig);
        if (aZero && bZero) {
            return 0;
        }
        int as = aZero ? ((bSe & 0x8000) == 0 ? 1 : 0) : (aSe >>> 15) & 1;
        int bs = bZero ? ((aSe & 0x8000) == 0 ? 1 : 0) : (bSe >>> 15) & 1;
        if (aZero) {
            return (bSe & 0x8000) != 0 ? 2 : 1;
        }
        if (bZero) {
            return (aSe & 0x8000) != 0 ? 1 : 2;
        }
        if (as != bs) {
            return as != 0 ? 1 : 2;
        }
        // same sign: compare magnitudes (normalize denormals)
        int c;
        unpackA(aSe, aSig);
        unpackB(bSe, bSig);
        if (ea != eb) {
            c = ea < eb ? -1 : 1;
        } else {
            c = Long.compareUnsigned(ma, mb);
        }
        if (c == 0) {
            return 0;
        }
        if (as != 0) {
            c = -c;
        }
        return c < 0 ? 1 : 2;
    }

    // ------------------------------------------------------------------ conversions

    /** Exact 80-bit value of a signed 64-bit integer. */
    public void fromLong(long v) {
        begin();
        if (v == 0) {
            result(0, 0);
            return;
        }
        int s = v < 0 ? 0x8000 : 0;
        long mag = v < 0 ? -v : v; // Long.MIN_VALUE stays 2^63 as unsigned
        int z = Long.numberOfLeadingZeros(mag);
        result(s | (63 - z + BIAS), mag << z);
    }

    /** Single (bits 31:0) or double (64) precision to 80 bits: SNaN raises #IA, denormals #D. */
    public void fromBinary(long bits, int width) {
        begin();
        int fracBits = width == 32 ? 23 : 52;
        int expBits = width == 32 ? 8 : 11;
        int bias = width == 32 ? 127 : 1023;
        int s = (int) (bits >>> (width - 1)) & 1;
        int e = (int) (bits >>> fracBits) & ((1 << expBits) - 1);
        long frac = bits & ((1L << fracBits) - 1);
        int sign = s << 15;
        if (e == (1 << expBits) - 1) {
            long m = J | (frac << (63 - fracBits));
            if (frac != 0 && (m & QUIET) == 0) {
                flags |= IE;
                m |= QUIET;
            }
            result(sign | 0x7FFF, m);
            return;
        }
        if (e == 0) {
            if (frac == 0) {
                result(sign, 0);
                return;
            }
            flags |= DE;
            int z = Long.numberOfLeadingZeros(frac);
            // value = frac * 2^(1 - bias - fracBits); msb at bit (63 - z)
            int ue = 1 - bias - fracBits + (63 - z);
            result(sign | (ue + BIAS), frac << z);
            return;
        }
        result(sign | (e - bias + BIAS), J | (frac << (63 - fracBits)));
    }

    /**
     * Rounds a to single (32) or double (64) precision per {@link #rc} (the precision field does
     * not apply) and returns the encoding; flags as FST m32fp/m64fp raise them.
     */
    public long toBinary(int aSe, long aSig, int width) {
        begin();
        int fracBits = width == 32 ? 23 : 52;
        int expBits = width == 32 ? 8 : 11;
        int bias = width == 32 ? 127 : 1023;
        long signBit = (long) ((aSe >>> 15) & 1) << (width - 1);
        long expAll = ((1L << expBits) - 1) << fracBits;
        if (isUnsupported(aSe, aSig)) {
            flags |= IE;
            return (1L << (width - 1)) | expAll | (1L << (fracBits - 1));
        }
        if (isNaN(aSe, aSig)) {
            if ((aSig & QUIET) == 0) {
                flags |= IE;
            }
            return signBit | expAll | (((aSig | QUIET) << 1) >>> (64 - fracBits));
        }
        if (isInf(aSe, aSig)) {
            return signBit | expAll;
        }
        if (isZero(aSe, aSig)) {
            return signBit;
        }
        // Stores raise no #D for a denormal source (as the host vectors show).
        unpackA(aSe, aSig);
        roundTo(sa, ea, ma, 0, fracBits + 1, 1 - bias, bias, false);
        if (rInf) {
            return signBit | expAll;
        }
        long m = sig >>> (63 - fracBits);
        if (m == 0) {
            return signBit;
        }
        if (sig < 0) {
            return signBit | ((long) (rExp + bias) << fracBits) | (m & ((1L << fracBits) - 1));
        }
        return signBit | m;
    }

    /**
     * Rounds a to an integer per rc (or toward zero when {@code truncate}) and returns it; on NaN,
     * infinity, unsupported or a value out of the signed {@code bits}-bit range raises #IA and
     * returns the integer indefinite (only the sign bit set). Flags #P when inexact.
     */
    public long toInteger(int aSe, long aSig, int bits, boolean truncate) {
        begin();
        long indefinite = 1L << (bits - 1);
        if (isUnsupported(aSe, aSig) || (aSe & 0x7FFF) == 0x7FFF) {
            flags |= IE;
            return indefinite;
        }
        if (isZero(aSe, aSig)) {
            return 0;
        }
        unpackA(aSe, aSig);
        int mode = truncate ? RC_ZERO : rc;
        long mag;
        if (ea >= 64) {
            flags |= IE;
            return indefinite;
        }
        if (ea == 63) {
            mag = ma;
        } else {
            int shift = 63 - ea;
            long ip;
            long frac;
            if (shift >= 64) {
                ip = 0;
                frac = shift == 64 ? ma : 1; // only sticky matters below one half
                if (shift > 64) {
                    // value < 1/2: half bit clear
                    frac = 1;
                }
            } else {
                ip = ma >>> shift;
                frac = ma << (64 - shift);
            }
            boolean half = shift <= 64 && frac < 0;
            boolean rest = shift <= 64 ? (frac << 1) != 0 : true;
            boolean inexact = half || rest;
            boolean inc = roundsAway(mode, half, rest, (ip & 1) != 0, sa != 0);
            mag = ip + (inc ? 1 : 0);
            up = inc;
            if (inexact) {
                flags |= PE;
            }
        }
        // range check on the signed result
        long limit = 1L << (bits - 1); // magnitude allowed: < limit, or == limit when negative
        boolean fits = bits == 64
                ? (mag >= 0 || (sa != 0 && mag == Long.MIN_VALUE))
                : (Long.compareUnsigned(mag, limit) < 0 || (sa != 0 && mag == limit));
        if (!fits) {
            flags = (flags & ~PE) | IE;
            up = false;
            return indefinite;
        }
        long v = sa != 0 ? -mag : mag;
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    /** FRNDINT: rounds to an integral value per rc. */
    public void roundToIntegral(int aSe, long aSig) {
        begin();
        if (nanOperand(aSe, aSig)) {
            return;
        }
        if (isZero(aSe, aSig) || isInf(aSe, aSig)) {
            result(aSe, aSig);
            return;
        }
        if (isDenormal(aSe, aSig)) {
            flags |= DE;
            if (unmasked(DE)) {
                return;
            }
        }
        unpackA(aSe, aSig);
        if (ea >= 63) {
            result(aSe, aSig);
            return;
        }
        int shift = 63 - ea;
        long ip = shift >= 64 ? 0 : ma >>> shift;
        boolean half = shift == 64 ? ma < 0 : shift < 64 && ((ma >>> (shift - 1)) & 1) != 0;
        boolean rest = shift > 64 || (shift == 64 ? (ma << 1) != 0 : shift >= 2 && (ma << (65 - shift)) != 0);
        boolean inexact = half || rest;
        boolean inc = roundsAway(rc, half, rest, (ip & 1) != 0, sa != 0);
        long mag = ip + (inc ? 1 : 0);
        up = inc;
        if (inexact) {
            flags |= PE;
        }
        if (mag == 0) {
            result(aSe & 0x8000, 0);
            return;
        }
        int z = Long.numberOfLeadingZeros(mag);
        result((aSe & 0x8000) | (63 - z + BIAS), mag << z);
    }

    /** FPREM/FPREM1 quotient bits (Q2..Q0 in bits 2:0) and whether the reduction is partial (C2). */
    public int quotient;
    public boolean incomplete;

    /**
     * SDM "FPREM—Partial Remainder" ({@code ieee} false: truncating quotient) and "FPREM1—Partial
     * Remainder" (round-to-nearest-even quotient). Exact. For an exponent difference of 64 or
     * more the reduction is partial: N = 32 + (D mod 32) (MANUAL: the SDM lets N be any number
     * between 32 and 63; this is the value the recorded host vectors show).
     */
    public void remainder(int aSe, long aSig, int bSe, long bSig, boolean ieee) {
        begin();
        quotient = 0;
        incomplete = false;
        if (nanOperands(aSe, aSig, bSe, bSig)) {
            return;
        }
        if (isInf(aSe, aSig) || isZero(bSe, bSig)) {
            invalid();
            return;
        }
        if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) {
            flags |= DE;
            if (unmasked(DE)) {
                return;
            }
        }
        if (isInf(bSe, bSig) || isZero(aSe, aSig)) {
            if (isDenormal(aSe, aSig)) {
                unpackA(aSe, aSig);
                pack(sa, ea, ma, 0);
                return;
            }
            result(aSe, aSig);
            return;
        }
        unpackA(aSe, aSig);
        unpackB(bSe, bSig);
        int d = ea - eb;
        int sign = sa;
        if (d < 0) {
            if (ieee && d == -1 && Long.compareUnsigned(ma, mb) > 0) {
                // |a| > |b|/2: the nearest quotient is 1
                quotient = 1;
                long r = mb - (ma - mb);
                normalizePack(sign ^ 1, eb - 1, r, 0);
                return;
            }
            pack(sa, ea, ma, 0);
            return;
        }
        int shiftBits = d;
        if (d >= 64) {
            incomplete = true;
            shiftBits = 32 + (d & 31);
        }
        long rem = ma;
        long q = 0;
        boolean carry = false;
        for (int i = 0; i <= shiftBits; i++) {
            boolean bit = carry || Long.compareUnsigned(rem, mb) >= 0;
            if (bit) {
                rem -= mb;
            }
            q = (q << 1) | (bit ? 1 : 0);
            if (i < shiftBits) {
                carry = rem < 0;
                rem <<= 1;
            }
        }
        int remExp = eb + (d >= 64 ? d - shiftBits : 0);
        if (ieee && d < 64) {
            boolean more = rem < 0 || Long.compareUnsigned(rem << 1, mb) > 0;
            boolean tie = rem >= 0 && (rem << 1) == mb;
            if (more || (tie && (q & 1) != 0)) {
                q++;
                rem = mb - rem;
                sign ^= 1;
            }
        }
        quotient = (int) (q & 7);
        if (rem == 0) {
            result(sa << 15, 0);
            return;
        }
        normalizePack(sign, remExp, rem, 0);
    }

    /** SDM "FXTRACT": exponent into se/sig, significand into se2/sig2. */
    public void extract(int aSe, long aSig) {
        begin();
        if (nanOperand(aSe, aSig)) {
            se2 = se;
            sig2 = sig;
            return;
        }
        if (isZero(aSe, aSig)) {
            flags |= ZE;
            if (unmasked(ZE)) {
                return;
            }
            result(0xFFFF, J);
            se2 = aSe;
            sig2 = 0;
            return;
        }
        if (isInf(aSe, aSig)) {
            result(0x7FFF, J);
            se2 = aSe;
            sig2 = J;
            return;
        }
        if (isDenormal(aSe, aSig)) {
            flags |= DE;
            if (unmasked(DE)) {
                return;
            }
        }
        unpackA(aSe, aSig);
        int s = sa;
        long m = ma;
        fromLong(ea);
        se2 = (s << 15) | BIAS;
        sig2 = m;
        flags |= isDenormal(aSe, aSig) ? DE : 0;
    }

    /** SDM "FBLD": 18 packed BCD digits (low 8 bytes in lo, bytes 8-9 in hi) to an exact value. */
    public void fromBcd(long lo, int hi) {
        int b8 = hi & 0xFF;
        long v = ((b8 >>> 4) & 0xF) * 10 + (b8 & 0xF);
        for (int i = 7; i >= 0; i--) {
            int b = (int) (lo >>> (8 * i)) & 0xFF;
            v = v * 100 + ((b >>> 4) & 0xF) * 10 + (b & 0xF);
        }
        boolean neg = (hi & 0x8000) != 0;
        fromLong(v);
        if (neg) {
            se |= 0x8000;
        }
    }

    /**
     * SDM "FBSTP": rounds per rc to an integer of at most 18 decimal digits; out of range, NaN,
     * infinity or unsupported raise #IA and give the BCD indefinite. Returns the low 8 bytes;
     * bytes 8-9 are in {@link #bcdHigh}.
     */
    public long toBcd(int aSe, long aSig) {
        long v = toInteger(aSe, aSig, 64, false);
        boolean neg = (aSe & 0x8000) != 0;
        long mag = v < 0 ? -v : v;
        if ((flags & IE) != 0 || v == Long.MIN_VALUE || mag >= 1_000_000_000_000_000_000L) {
            flags = (flags & ~PE) | IE;
            up = false;
            bcdHigh = 0xFFFF;
            return 0xC000000000000000L;
        }
        long lo = 0;
        for (int i = 0; i < 16; i++) {
            lo |= (mag % 10) << (4 * i);
            mag /= 10;
        }
        bcdHigh = (int) ((mag % 10) | ((mag / 10) % 10) << 4) | (neg ? 0x8000 : 0);
        return lo;
    }

    public int bcdHigh;

    /** Clears the flags and "rounded up" before a composed operation (see {@link X87Math}). */
    public void clear() {
        begin();
    }

    /**
     * Loads d × 2^k (d finite) into se/sig, rounding only if the value leaves the 80-bit range;
     * adds to {@link #flags} rather than clearing them.
     */
    public void fromDouble(double d, int k) {
        long bits = Double.doubleToRawLongBits(d);
        int sign = (int) (bits >>> 63);
        if (d == 0) {
            result(sign << 15, 0);
            return;
        }
        if (Double.isInfinite(d)) {
            result((sign << 15) | 0x7FFF, J);
            return;
        }
        int e = (int) (bits >>> 52) & 0x7FF;
        long frac = bits & ((1L << 52) - 1);
        long m;
        int ue;
        if (e == 0) {
            int z = Long.numberOfLeadingZeros(frac);
            m = frac << z;
            ue = -1074 + 63 - z;
        } else {
            m = J | (frac << 11);
            ue = e - 1023;
        }
        int saved = flags;
        curPrec = 64;
        pack(sign, ue + k, m, 0);
        flags |= saved;
    }

    /** Unbiased exponent of a finite non-zero value (denormals normalized). */
    public static int unbiasedExponent(int aSe, long aSig) {
        int e = aSe & 0x7FFF;
        return e == 0 ? EMIN - Long.numberOfLeadingZeros(aSig) : e - BIAS;
    }

    /** The significand of a finite non-zero value as a double in [1, 2), rounded to nearest. */
    public static double significandDouble(long aSig) {
        long m = aSig << Long.numberOfLeadingZeros(aSig);
        return Math.scalb((double) (m >>> 11), -52) + Math.scalb((double) (m & 0x7FF), -63);
    }

    /** The part of the significand below the 53 bits {@link #significandDouble} keeps, as a double. */
    public static double significandRest(long aSig) {
        long m = aSig << Long.numberOfLeadingZeros(aSig);
        double hi = Math.scalb((double) (m >>> 11), -52);
        double all = significandDouble(aSig);
        return (hi - all) + Math.scalb((double) (m & 0x7FF), -63);
    }

    /**
     * Rounds |a| nudged by less than one ulp (above or below; the sign of a is kept) at 64 bits:
     * for functions whose exact value is a tiny distance from a (sin x, tan x, cos x near 0).
     * Adds #P (and #U for a tiny result) to {@link #flags}.
     */
    public void nudged(int aSe, long aSig, boolean above) {
        int saved = flags;
        unpackA(aSe, aSig);
        long hi;
        long lo;
        int e = ea;
        if (above) {
            hi = ma;
            lo = 1;
        } else {
            hi = ma - 1;
            lo = -1L;
            if (hi >= 0) {
                hi = (hi << 1) | 1;
                e--;
            }
        }
        curPrec = 64;
        pack(sa, e, hi, lo);
        flags |= saved;
    }
}
