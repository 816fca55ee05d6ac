package dev.vmx4j.core.cpu.x87;

/**
 * The transcendental instructions (FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1)
 * on top of {@link Float80}: special operands exactly as the SDM tables give them, finite results
 * through {@link StrictMath} on a double-double split of the 64-bit significand.
 *
 * <p>DEVIATION: the results are not bit-exact with hardware; docs/CPU.md gives the measured
 * bound against the host CPU. Reduction of large arguments uses the exact value of pi, not the
 * 66-bit approximation Intel processors use, so results differ more for |x| far above pi.
 */
public final class X87Math {

    private static final double LN2 = 0.6931471805599453;
    private static final double LN2_LO = 2.3190468138462996e-17;

    private final Float80 f;

    public X87Math(Float80 f) {
        this.f = f;
    }

    /** The argument as hi + lo doubles (the value exactly, for |exponent| well inside the double range). */
    private double hi;
    private double lo;

    private void split(int se, long sig) {
        int e = Float80.unbiasedExponent(se, sig);
        double s = (se & 0x8000) != 0 ? -1 : 1;
        long m = sig << Long.numberOfLeadingZeros(sig);
        hi = s * Math.scalb((double) (m >>> 11), e - 52);
        lo = s * Math.scalb((double) (m & 0x7FF), e - 63);
    }

    /** Handles NaN/unsupported/denormal for a one-operand function; true when decided. */
    private boolean special1(int se, long sig) {
        f.clear();
        if (Float80.isUnsupported(se, sig)) {
            f.invalid();
            return true;
        }
        if (Float80.isNaN(se, sig)) {
            if ((sig & Float80.QUIET) == 0) {
                f.flags |= Float80.IE;
            }
            f.se = se;
            f.sig = sig | Float80.QUIET;
            return true;
        }
        if (Float80.isDenormal(se, sig)) {
            f.flags |= Float80.DE;
            // an unmasked #D stops the instruction before it computes anything
            return (f.masks & Float80.DE) == 0;
        }
        return false;
    }

    /** 1 = sin, 2 = cos, 3 = tan; result in f.se/f.sig. The caller handles |x| >= 2^63 (C2). */
    public void trig(int se, long sig, int which) {
        if (special1(se, sig)) {
            return;
        }
        if (Float80.isInf(se, sig)) {
            f.invalid();
            return;
        }
        if (Float80.isZero(se, sig)) {
            if (which == 2) {
                f.se = 0x3FFF;
                f.sig = Float80.J;
            } else {
                f.se = se;
                f.sig = 0;
            }
            return;
        }
        int e = Float80.unbiasedExponent(se, sig);
        if (e < -40) {
            // sin x and tan x lie within x^3/3 of x, cos x within x^2/2 of 1: far below one ulp,
            // so the result is x (or 1) nudged toward the exact value, then rounded.
            if (which == 2) {
                f.nudged(0x3FFF, Float80.J, false);
            } else {
                f.nudged(se, sig, which == 3);
            }
            return;
        }
        split(se, sig);
        // SDM "FSIN": the argument is reduced with a 66-bit approximation of pi (the recorded
        // hosts agree bit for bit with that model): r = x - k * pi66/2, computed exactly enough
        // in two 33-bit parts for |x| < 2^20, then sin/cos of the double-double r.
        double k = Math.rint((hi + lo) * TWO_OVER_PI);
        double r1 = hi - k * PIO2_1;
        double r2 = Math.fma(-k, PIO2_1, hi) - r1; // rounding error of r1 (exact for small k)
        double rh = r1 + (lo + r2 - k * PIO2_2);
        double rl = (r1 - rh) + (lo + r2 - k * PIO2_2);
        int quadrant = (int) ((long) k & 3);
        double sr = StrictMath.sin(rh) + StrictMath.cos(rh) * rl;
        double cr = StrictMath.cos(rh) - StrictMath.sin(rh) * rl;
        double sinX = quadrant == 0 ? sr : quadrant == 1 ? cr : quadrant == 2 ? -sr : -cr;
        double cosX = quadrant == 0 ? cr : quadrant == 1 ? -sr : quadrant == 2 ? -cr : sr;
        double res;
        if (which == 3) {
            // tan(r + rl) = t + (1 + t^2) rl; odd quadrants give -1 / tan
            double t = StrictMath.tan(rh);
            double tr = t + (1 + t * t) * rl;
            res = (quadrant & 1) == 0 ? tr : -1 / tr;
        } else {
            res = which == 1 ? sinX : cosX;
        }
        f.flags |= Float80.PE;
        f.fromDouble(res, 0);
    }

    private static final double TWO_OVER_PI = 0.6366197723675814;
    /** pi/2 as Intel's 66-bit approximation, in two 33-bit parts. */
    private static final double PIO2_1 = 0x1.921fb544p+0;
    private static final double PIO2_2 = 0x1.0b4611a6p-34;

    /** 80-bit pi, pi/2, pi/4 and 3pi/4 as 128-bit significands (exponents 1, 0, -1, 1). */
    private static final long PI_HI = 0xC90FDAA22168C234L;
    private static final long PI_LO = 0xC4C6628B80DC1CD1L;
    private static final long PI34_HI = 0x96CBE3F9990E91A7L;
    private static final long PI34_LO = 0x9394C9E8A0A5159CL;

    private void constant(int sign, int e, long hi, long lo) {
        f.roundTo(sign, e, hi, lo, 64, Float80.EMIN, Float80.EMAX, true);
        f.se = (sign << 15) | (f.rExp + 16383);
        f.flags |= Float80.PE;
    }

    /** FPATAN: atan(y / x) with the quadrant of (x, y), SDM "FPATAN" Table "FPATAN Results". */
    public void atan(int ySe, long ySig, int xSe, long xSig) {
        f.clear();
        if (nan2(ySe, ySig, xSe, xSig)) {
            return;
        }
        if (Float80.isDenormal(ySe, ySig) || Float80.isDenormal(xSe, xSig)) {
            f.flags |= Float80.DE;
            if ((f.masks & Float80.DE) == 0) {
                return;
            }
        }
        int ys = (ySe >>> 15) & 1;
        boolean xNeg = (xSe & 0x8000) != 0;
        boolean yZero = Float80.isZero(ySe, ySig);
        boolean xZero = Float80.isZero(xSe, xSig);
        boolean yInf = Float80.isInf(ySe, ySig);
        boolean xInf = Float80.isInf(xSe, xSig);
        if (yZero) {
            if (xNeg) {
                constant(ys, 1, PI_HI, PI_LO);
            } else {
                f.se = ySe;
                f.sig = 0;
            }
            return;
        }
        if (yInf) {
            if (xInf) {
                if (xNeg) {
                    constant(ys, 1, PI34_HI, PI34_LO);
                } else {
                    constant(ys, -1, PI_HI, PI_LO);
                }
            } else {
                constant(ys, 0, PI_HI, PI_LO);
            }
            return;
        }
        if (xZero) {
            constant(ys, 0, PI_HI, PI_LO);
            return;
        }
        if (xInf) {
            if (xNeg) {
                constant(ys, 1, PI_HI, PI_LO);
            } else {
                f.se = ySe & 0x8000;
                f.sig = 0;
            }
            return;
        }
        int ey = Float80.unbiasedExponent(ySe, ySig);
        int ex = Float80.unbiasedExponent(xSe, xSig);
        if (ey - ex < -70 && !xNeg) {
            // atan(t) = t to far below one ulp: the 80-bit quotient
            int saved = f.flags;
            f.div(ySe, ySig, xSe, xSig);
            f.flags |= saved | Float80.PE;
            if ((f.se & 0x7FFF) == 0 && f.sig != 0) {
                f.flags |= Float80.UE;
            }
            return;
        }
        int d = Math.max(-1100, Math.min(1100, ey - ex));
        double y = toDoubleScaled(ySe, ySig, -ey + d);
        double x = toDoubleScaled(xSe, xSig, -ex);
        double r = StrictMath.atan2(y, x);
        f.flags |= Float80.PE;
        f.fromDouble(r, 0);
    }

    private boolean nan2(int aSe, long aSig, int bSe, long bSig) {
        // reuse Float80's NaN rules through an addition that is decided by the NaN
        if (Float80.isUnsupported(aSe, aSig) || Float80.isUnsupported(bSe, bSig)
                || Float80.isNaN(aSe, aSig) || Float80.isNaN(bSe, bSig)) {
            f.add(aSe, aSig, bSe, bSig, false);
            return true;
        }
        return false;
    }

    /** x × 2^k as a double (x finite or infinite; zero keeps its sign). */
    private static double toDoubleScaled(int se, long sig, int k) {
        double s = (se & 0x8000) != 0 ? -1 : 1;
        if ((se & 0x7FFF) == 0x7FFF) {
            return s * Double.POSITIVE_INFINITY;
        }
        if (sig == 0) {
            return s * 0.0;
        }
        int e = Float80.unbiasedExponent(se, sig);
        return s * Math.scalb(Float80.significandDouble(sig), e + k);
    }

    /** F2XM1: 2^x - 1 (SDM: x in [-1, +1]; outside that the result is undefined). */
    public void f2xm1(int se, long sig) {
        if (special1(se, sig)) {
            return;
        }
        if (Float80.isZero(se, sig)) {
            f.se = se;
            f.sig = 0;
            return;
        }
        if (Float80.isInf(se, sig)) {
            if ((se & 0x8000) != 0) {
                f.se = 0xBFFF;
                f.sig = Float80.J;
            } else {
                f.se = se;
                f.sig = sig;
            }
            return;
        }
        int e = Float80.unbiasedExponent(se, sig);
        if (e > 0 || (e == 0 && sig != Float80.J)) {
            // MANUAL: outside -1..+1 the SDM leaves the result undefined; like the recording
            // host, ST(0) is left unchanged with #P.
            f.flags |= Float80.PE;
            f.se = se;
            f.sig = sig;
            return;
        }
        if (e < -1000) {
            // 2^x - 1 = x ln 2 to far below one ulp (always inexact)
            int saved = f.flags;
            f.mul(se, sig, 0x3FFE, 0xB17217F7D1CF79ACL);
            f.flags |= saved | Float80.PE;
            if ((f.se & 0x7FFF) == 0 && f.sig != 0) {
                f.flags |= Float80.UE;
            }
            return;
        }
        split(se, sig);
        double a = hi * LN2;
        double b = Math.fma(hi, LN2, -a) + hi * LN2_LO + lo * LN2;
        double em = StrictMath.expm1(a);
        double r = em + (1 + em) * b;
        f.flags |= Float80.PE;
        f.fromDouble(r, 0);
    }

    private static final double INV_LN2 = 1.4426950408889634;
    private static final double INV_LN2_LO = 2.0355273740931033e-17;

    private int lSe;
    private long lSig;

    /** ln(1 + t) / ln 2 for the double-double t = hi + lo, into f.se/f.sig (adds #P). */
    private void log2OnePlus(double th, double tl, int k) {
        double l = StrictMath.log1p(th);
        double lc = tl / (1 + th);
        double p = l * INV_LN2;
        double pe = Math.fma(l, INV_LN2, -p) + l * INV_LN2_LO + lc * INV_LN2;
        // k + p + pe as an 80-bit sum
        double whole = k + p;
        double err = (k - whole) + p + pe;
        int saved = f.flags;
        f.fromDouble(whole, 0);
        int wSe = f.se;
        long wSig = f.sig;
        f.fromDouble(err, 0);
        f.add(wSe, wSig, f.se, f.sig, false);
        f.flags = saved | Float80.PE;
    }

    /** log2 of a finite positive x into lSe/lSig (exact 0 for x = 1). */
    private void log2(int xSe, long xSig) {
        int e = Float80.unbiasedExponent(xSe, xSig);
        long m = xSig << Long.numberOfLeadingZeros(xSig);
        if (e == 0 && m == Float80.J) {
            lSe = 0;
            lSig = 0;
            return;
        }
        int saved = f.flags;
        if (e == -1 || e == 0) {
            // x in [0.5, 2): t = x - 1 is exact in 80 bits
            f.add(xSe, xSig, 0x3FFF, Float80.J, true);
            e = 0;
        } else {
            f.add(0x3FFF, m, 0x3FFF, Float80.J, true); // m - 1, exact
        }
        int tSe = f.se;
        long tSig = f.sig;
        f.flags = saved;
        split(tSe, tSig);
        log2OnePlus(hi, lo, e);
        lSe = f.se;
        lSig = f.sig;
    }

    /** Marks a rounded transcendental result: #P, and #U when it is tiny (the exact value never is representable). */
    private void inexactResult() {
        f.flags |= Float80.PE;
        if ((f.se & 0x7FFF) == 0 && f.sig != 0) {
            f.flags |= Float80.UE;
        }
    }

    /**
     * FYL2X (plus1 false): y × log2(x); FYL2XP1 (plus1 true): y × log2(x + 1). The logarithm is
     * formed as an 80-bit value and multiplied by y with {@link Float80#mul}, which gives the
     * SDM tables' special cases (0 × inf invalid, signs of zeros and infinities).
     */
    public void ylog2x(int xSe, long xSig, int ySe, long ySig, boolean plus1) {
        f.clear();
        if (nan2(xSe, xSig, ySe, ySig)) {
            return;
        }
        int denormal = Float80.isDenormal(xSe, xSig) || Float80.isDenormal(ySe, ySig) ? Float80.DE : 0;
        boolean invalidFirst = !plus1 && (xSe & 0x8000) != 0 && !Float80.isZero(xSe, xSig);
        if (denormal != 0 && (f.masks & Float80.DE) == 0 && !invalidFirst) {
            // an unmasked #D stops the instruction before it computes anything
            f.flags |= Float80.DE;
            return;
        }
        boolean xNeg = (xSe & 0x8000) != 0;
        boolean xZero = Float80.isZero(xSe, xSig);
        boolean yFiniteNonZero = (ySe & 0x7FFF) != 0x7FFF && !Float80.isZero(ySe, ySig);
        int extra = 0;
        boolean exact = false;
        if (plus1 && !xZero && (xSe & 0x7FFF) != 0x7FFF) {
            int e = Float80.unbiasedExponent(xSe, xSig);
            if (e < -900) {
                // log2(1 + x) = x / ln 2 to far below one ulp
                f.div(xSe, xSig, 0x3FFE, 0xB17217F7D1CF79ACL);
                lSe = f.se;
                lSig = f.sig;
                extra = Float80.PE;
            } else if (e < -1) {
                split(xSe, xSig);
                f.clear();
                log2OnePlus(hi, lo, 0);
                lSe = f.se;
                lSig = f.sig;
                extra = Float80.PE;
            } else {
                // MANUAL: outside the SDM's domain, log2 of the rounded x + 1
                f.add(xSe, xSig, 0x3FFF, Float80.J, false);
                int zSe = f.se;
                long zSig = f.sig;
                f.clear();
                if ((zSe & 0x8000) != 0 || Float80.isZero(zSe, zSig)) {
                    // x <= -1: like the recording host, the result is x itself, with #P
                    f.se = xSe;
                    f.sig = xSig;
                    f.flags |= Float80.PE | denormal;
                    return;
                }
                log2(zSe, zSig);
                extra = Float80.PE;
            }
        } else if (plus1 && xZero) {
            lSe = xSe;
            lSig = 0;
            exact = true;
        } else if (plus1) {
            // x = +inf: log2 = +inf; x = -inf: invalid
            if (xNeg) {
                f.invalid();
                return;
            }
            lSe = 0x7FFF;
            lSig = Float80.J;
            exact = true;
        } else if (xNeg && !xZero) {
            f.invalid();
            return;
        } else if (xZero) {
            extra = yFiniteNonZero ? Float80.ZE : 0;
            lSe = 0xFFFF;
            lSig = Float80.J;
        } else if (Float80.isInf(xSe, xSig)) {
            lSe = 0x7FFF;
            lSig = Float80.J;
            exact = true;
        } else {
            log2(xSe, xSig);
            exact = lSig == 0;
            extra = exact ? 0 : Float80.PE;
        }
        f.clear();
        f.mul(ySe, ySig, lSe, lSig);
        if ((extra & Float80.ZE) != 0) {
            f.flags &= ~Float80.DE;
        }
        if ((f.flags & Float80.IE) == 0) {
            f.flags |= extra;
            if ((extra & Float80.ZE) == 0) {
                f.flags |= denormal;
            }
            if ((extra & Float80.PE) != 0) {
                inexactResult();
            }
        }
    }
}
