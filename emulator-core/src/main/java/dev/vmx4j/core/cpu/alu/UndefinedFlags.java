package dev.vmx4j.core.cpu.alu;

import static dev.vmx4j.core.cpu.alu.LazyFlags.AF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.ARITHMETIC;
import static dev.vmx4j.core.cpu.alu.LazyFlags.CF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.OF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.PF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.SF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.ZF;

/**
 * The flags the SDM calls undefined after each instruction, as data.
 *
 * <p>{@link Alu} gives every undefined flag a deterministic value (documented in
 * {@code docs/FLAGS.md}); hardware may differ there (AMD and Intel do), so a comparison with a
 * real CPU or another emulator must ignore these bits: {@code (expected ^ actual) & ~mask == 0}.
 */
public final class UndefinedFlags {

    private UndefinedFlags() {
    }

    /** ADD, ADC, SUB, SBB, CMP, NEG, INC, DEC, POPCNT, ADCX, ADOX: every affected flag defined. */
    public static final long NONE = 0;
    /** AND, OR, XOR, TEST: SDM "AND—Logical AND": the state of the AF flag is undefined. */
    public static final long LOGIC = AF;
    /** MUL, IMUL (all forms): SF, ZF, AF, PF undefined. */
    public static final long MUL = SF | ZF | AF | PF;
    /** DIV, IDIV: CF, OF, SF, ZF, AF, PF undefined. */
    public static final long DIV = ARITHMETIC;
    /** BT, BTS, BTR, BTC: OF, SF, AF, PF undefined (ZF unaffected). */
    public static final long BT = OF | SF | AF | PF;
    /** BSF, BSR: CF, OF, SF, AF, PF undefined. */
    public static final long BSF = CF | OF | SF | AF | PF;
    /** LZCNT, TZCNT: OF, SF, PF, AF undefined. */
    public static final long LZCNT = OF | SF | PF | AF;
    /** ANDN, BLSI, BLSMSK, BLSR, BZHI: AF, PF undefined. */
    public static final long ANDN = AF | PF;
    /** BEXTR: AF, SF, PF undefined. */
    public static final long BEXTR = AF | SF | PF;
    /** DAA, DAS: OF undefined. */
    public static final long DAA = OF;
    /** AAA, AAS: OF, SF, ZF, PF undefined. */
    public static final long AAA = OF | SF | ZF | PF;
    /** AAM, AAD: OF, AF, CF undefined. */
    public static final long AAM = OF | AF | CF;

    /**
     * SHL/SAL, SHR, SAR.
     *
     * <p>SDM "SAL/SAR/SHL/SHR—Shift": count 0 affects no flag; otherwise AF is undefined, OF is
     * defined only for 1-bit shifts, and CF is undefined for SHL and SHR when the count is at
     * least the operand width.
     *
     * @param maskedCount the count after masking to 5 bits (6 for 64-bit operands)
     * @param sar true for SAR, whose CF stays defined for large counts
     */
    public static long shift(int size, int maskedCount, boolean sar) {
        if (maskedCount == 0) {
            return 0;
        }
        long m = AF;
        if (maskedCount != 1) {
            m |= OF;
        }
        if (!sar && maskedCount >= size * 8) {
            m |= CF;
        }
        return m;
    }

    /**
     * ROL, ROR, RCL, RCR: SDM "RCL/RCR/ROL/ROR—Rotate": OF is defined only for 1-bit rotates,
     * and a masked count of 0 affects no flag.
     */
    public static long rotate(int maskedCount) {
        return maskedCount == 0 || maskedCount == 1 ? 0 : OF;
    }

    /**
     * SHLD, SHRD: SDM "SHLD—Double Precision Shift Left": AF undefined, OF defined only for
     * 1-bit shifts; when the count exceeds the operand size the flags (and the result) are
     * undefined.
     */
    public static long shiftDouble(int size, int maskedCount) {
        if (maskedCount == 0) {
            return 0;
        }
        if (maskedCount > size * 8) {
            return ARITHMETIC;
        }
        return maskedCount == 1 ? AF : AF | OF;
    }

    /** True if SHLD/SHRD leave the destination undefined (16-bit operands, count above 16). */
    public static boolean shiftDoubleResultUndefined(int size, int maskedCount) {
        return maskedCount > size * 8;
    }
}
