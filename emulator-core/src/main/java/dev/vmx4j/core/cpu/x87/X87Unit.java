package dev.vmx4j.core.cpu.x87;

/**
 * The x87 FPU state (SDM "x87 FPU Execution Environment"): eight physical data registers as
 * two primitive arrays, TOP, the control and status words, the empty/non-empty state behind the
 * tag word, and the last-instruction pointers (FCS:FIP, FDS:FDP, FOP). MMX registers alias the
 * significands of the physical registers (SDM "MMX Technology Programming Environment").
 */
public final class X87Unit {

    /** Status word bits (SDM "x87 FPU Status Register"). */
    public static final int SW_SF = 0x40;
    public static final int SW_ES = 0x80;
    public static final int SW_C0 = 0x100;
    public static final int SW_C1 = 0x200;
    public static final int SW_C2 = 0x400;
    public static final int SW_C3 = 0x4000;
    public static final int SW_B = 0x8000;
    public static final int SW_CC = SW_C0 | SW_C1 | SW_C2 | SW_C3;

    /** Physical registers R0-R7: sign and biased exponent, and significand. */
    public final int[] se = new int[8];
    public final long[] sig = new long[8];
    /** Bit i set: physical register i is not empty. */
    public int valid;
    public int top;
    public int control = 0x037F;
    /** Status word without the TOP field (bits 13:11 are kept zero here). */
    public int status;
    public long fip;
    public int fcs;
    public long fdp;
    public int fds;
    public int fop;

    /** The arithmetic engine. */
    public final Float80 f = new Float80();
    /** The transcendental functions over {@link #f}. */
    public final X87Math math = new X87Math(f);
    /** FRSTOR reads all registers before it changes anything (no allocation per instruction). */
    public final long[] scratchSig = new long[8];
    public final int[] scratchSe = new int[8];

    /** SDM "FINIT/FNINIT": control 037FH, status 0, all registers empty, pointers cleared. */
    public void init() {
        control = 0x037F;
        status = 0;
        top = 0;
        valid = 0;
        fip = 0;
        fcs = 0;
        fdp = 0;
        fds = 0;
        fop = 0;
    }

    /** The XSAVE initial configuration of the x87 component: FNINIT state with all registers zero. */
    public void initialConfiguration() {
        init();
        for (int i = 0; i < 8; i++) {
            se[i] = 0;
            sig[i] = 0;
        }
    }

    /** SDM "Processor State After Reset" (power-up): FCW 0040H, FTW 5555H (all valid, +0). */
    public void reset() {
        init();
        control = 0x0040;
        valid = 0xFF;
        for (int i = 0; i < 8; i++) {
            se[i] = 0;
            sig[i] = 0;
        }
    }

    public int statusWord() {
        return (status & ~0x3800) | (top << 11);
    }

    public void setStatusWord(int v) {
        status = v & 0xC7FF;
        top = (v >>> 11) & 7;
    }

    /** Recomputes ES and B from the exception flags and masks (after loading either). */
    public void updateErrorSummary() {
        if ((status & ~control & 0x3F) != 0) {
            status |= SW_ES | SW_B;
        } else {
            status &= ~(SW_ES | SW_B);
        }
    }

    public int phys(int i) {
        return (top + i) & 7;
    }

    public boolean isEmpty(int i) {
        return (valid & (1 << phys(i))) == 0;
    }

    /** The full tag word computed from the register contents (SDM "x87 FPU Tag Word"). */
    public int tagWord() {
        int t = 0;
        for (int r = 0; r < 8; r++) {
            int tag = (valid & (1 << r)) == 0 ? 3 : Float80.tag(se[r], sig[r]);
            t |= tag << (2 * r);
        }
        return t;
    }

    /** Loads a tag word: only empty (11B) versus not empty is kept; the rest follows the contents. */
    public void setTagWord(int t) {
        int v = 0;
        for (int r = 0; r < 8; r++) {
            if (((t >>> (2 * r)) & 3) != 3) {
                v |= 1 << r;
            }
        }
        valid = v;
    }

    /** The FXSAVE abridged tag: bit i = physical register i not empty. */
    public int abridgedTag() {
        return valid;
    }

    // ---------------------------------------------------------------- MMX aliasing

    /** SDM "Effect of MMX Instructions on x87 FPU State": TOP = 0, all tags valid. */
    public void mmxEnter() {
        top = 0;
        valid = 0xFF;
    }

    /** Writes MMX register i: the significand, with the exponent/sign field set to all ones. */
    public void setMmx(int i, long v) {
        sig[i] = v;
        se[i] = 0xFFFF;
    }

    /** SDM "EMMS": all registers empty. */
    public void emms() {
        valid = 0;
    }
}
