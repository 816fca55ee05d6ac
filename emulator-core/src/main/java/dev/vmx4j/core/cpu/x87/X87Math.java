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
        double res = which == 1 ? sinX : which == 2 ? cosX : sinX / cosX;
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
        boolean xNeg = (xSe & 0x8000) != 0;
        boolean xZero = Float80.isZero(xSe, xSig);
        int lSe;
        long lSig;
        int extra = 0;
        if (!plus1) {
            if (xNeg && !xZero) {
                f.invalid();
                return;
            }
            if (xZero) {
                boolean yFiniteNonZero = (ySe & 0x7FFF) != 0x7FFF && !Float80.isZero(ySe, ySig);
                if (yFiniteNonZero) {
                    extra = Float80.ZE;
                }
                lSe = 0xFFFF;
                lSig = Float80.J;
            } else if (Float80.isInf(xSe, xSig)) {
                lSe = 0x7FFF;
                lSig = Float80.J;
            } else {
                int e = Float80.unbiasedExponent(xSe, xSig);
                double m = Float80.significandDouble(xSig);
                double mr = Float80.significandRest(xSig);
                // log2(x) = e + log2(m): log2(m) = log1p(m - 1) / ln 2 (m - 1 is exact)
                double l = StrictMath.log1p((m - 1) + mr) / LN2;
                f.clear();
                double whole = e + l;
                if (whole == 0 && e == 0 && m == 1 && mr == 0) {
                    lSe = 0;
                    lSig = 0;
                } else {
                    double err = (e - whole) + l;
                    f.fromDouble(whole, 0);
                    int wSe = f.se;
                    long wSig = f.sig;
                    f.fromDouble(err, 0);
                    f.add(wSe, wSig, f.se, f.sig, false);
                    lSe = f.se;
                    lSig = f.sig;
                    extra |= Float80.PE;
                }
            }
        } else {
            // SDM "FYL2XP1": |x| < 1 - sqrt(2)/2; outside that the result is undefined (MANUAL:
            // the value of y × log2(x + 1) where it exists, #IA where it does not).
            if (Float80.isInf(xSe, xSig)) {
                if (xNeg) {
                    f.invalid();
                    return;
                }
                lSe = 0x7FFF;
                lSig = Float80.J;
            } else if (xZero) {
                lSe = xSe;
                lSig = 0;
            } else if (Float80.unbiasedExponent(xSe, xSig) < -900) {
                // log2(1 + x) = x / ln 2 to far below one ulp
                f.div(xSe, xSig, 0x3FFE, 0xB17217F7D1CF79ACL);
                lSe = f.se;
                lSig = f.sig;
                extra |= Float80.PE;
            } else {
                split(xSe, xSig);
                double l = (StrictMath.log1p(hi) + lo / (1 + hi)) / LN2;
                if (Double.isNaN(l)) {
                    f.invalid();
                    return;
                }
                f.clear();
                f.fromDouble(l, 0);
                lSe = f.se;
                lSig = f.sig;
                extra |= Double.isInfinite(l) ? Float80.ZE : Float80.PE;
            }
        }
        f.mul(ySe, ySig, lSe, lSig);
        if ((extra & Float80.ZE) != 0) {
            f.flags &= ~Float80.DE;
        }
        if ((f.flags & Float80.IE) == 0) {
            f.flags |= extra;
            if ((extra & Float80.ZE) == 0) {
                f.flags |= denormal;
            }
        }
    }
}
