package dev.vmx4j.core.cpu.alu;

/**
 * The six arithmetic status flags (CF, PF, AF, ZF, SF, OF), evaluated lazily.
 *
 * <p>Design (see {@code docs/FLAGS.md}): an arithmetic instruction does not compute its flags.
 * It records the operation kind, the operand width and its operands and result (all
 * zero-extended to the width) with {@link #record}; a flag is derived from that record only when
 * someone reads it ({@link #cf()}, {@link #condition(int)}, {@link #get()}, PUSHF, LAHF...).
 * Instructions whose flags are rarer or irregular (rotates, multiply, BCD, bit scans) compute
 * their flags at once and store them in an explicit image with {@link #merge} or
 * {@link #replace}; the record marks which flags come from that image, so a rotate or a single
 * flag write ({@link #setCf}) leaves the other flags to be derived from the record. INC and DEC
 * are recorded as ADD and SUB of 1 with CF from the image.
 *
 * <p>{@code new LazyFlags(true)} is the eager reference mode: every record is materialized
 * immediately, so nothing is ever derived later. Tests run the same operations in both modes
 * and require identical flags; {@link #condition(int)} additionally has lazy fast paths (compare
 * the recorded operands directly) that the eager mode never takes.
 *
 * <p>Bits are in their RFLAGS positions; {@link #get()} returns only these six bits.
 */
public final class LazyFlags {

    /** RFLAGS.CF, bit 0. */
    public static final long CF = 1L;
    /** RFLAGS.PF, bit 2. */
    public static final long PF = 1L << 2;
    /** RFLAGS.AF, bit 4. */
    public static final long AF = 1L << 4;
    /** RFLAGS.ZF, bit 6. */
    public static final long ZF = 1L << 6;
    /** RFLAGS.SF, bit 7. */
    public static final long SF = 1L << 7;
    /** RFLAGS.OF, bit 11. */
    public static final long OF = 1L << 11;
    /** The six arithmetic flags. */
    public static final long ARITHMETIC = CF | PF | AF | ZF | SF | OF;

    // The record's {@code op} word: bits 3:0 the operand size in bytes (1, 2, 4, 8), bits 7:4
    // the operation kind, bits 27:16 the flags taken from the explicit image {@code saved}
    // instead of the operation (each flag's RFLAGS bit shifted left by 16). The numbers are
    // internal, never architectural.
    /** Shift of the explicit-flags mask within {@code op}. */
    private static final int FROM_SAVED = 16;
    /** ADD, ADC, INC (as a + 1): carry vector of a + b = res (no carry-in needed). */
    static final int OP_ADD = 1 << 4;
    /** SUB, CMP, NEG (as 0 - b), DEC (as a - 1): borrow vector of a - b = res. */
    static final int OP_SUB = 2 << 4;
    /** SBB: as SUB (the vectors need no borrow-in), but the compare fast paths do not apply. */
    static final int OP_SBB = 3 << 4;
    /** AND, OR, XOR, TEST, ANDN, BEXTR: CF = OF = 0, AF = 0 (undefined). */
    static final int OP_LOGIC = 4 << 4;
    /** SHL/SAL by b (masked, non-zero). */
    static final int OP_SHL = 5 << 4;
    /** SHR by b (masked, non-zero). */
    static final int OP_SHR = 6 << 4;
    /** SAR by b (masked, non-zero). */
    static final int OP_SAR = 7 << 4;
    private static final int KIND = 0xF0;
    /** All six flags are in the explicit image. */
    private static final int EXPLICIT = (int) ARITHMETIC << FROM_SAVED;
    /** The record of a compare (SUB without explicit flags) of any size: the fast conditions. */
    private static final int SUB_ONLY = ~0xF;

    private final boolean eager;

    private int op = EXPLICIT;
    private long a;
    private long b;
    private long res;
    /** The explicit image: the flags {@code op} marks as explicit (bits 27:16); other bits stale. */
    private long saved;

    /**
     * @param eager true for the reference mode that computes all six flags at every operation
     */
    public LazyFlags(boolean eager) {
        this.eager = eager;
    }

    /** True if this is the eager reference mode. */
    public boolean isEager() {
        return eager;
    }

    // ---------------------------------------------------------------- recording (from Alu)

    /**
     * Records an operation whose flags are derived later.
     *
     * <p>PERF: under 35 bytecodes (HotSpot's MaxInlineSize), so its size never keeps it out of
     * line, also at call sites the profile does not call hot.
     *
     * @param kind one of the {@code OP_*} kinds, possibly with flags marked as explicit
     * @param size operand size in bytes (1, 2, 4, 8)
     * @param x first operand, zero-extended to the size
     * @param y second operand (or shift count), zero-extended to the size
     * @param r result, zero-extended to the size
     */
    void record(int kind, int size, long x, long y, long r) {
        op = kind | size;
        a = x;
        b = y;
        res = r;
        eagerCheck();
    }

    /** In the eager reference mode, turns the record just made into the explicit image. */
    private void eagerCheck() {
        if (eager) {
            materialize();
        }
    }

    /**
     * Records INC (kind {@link #OP_ADD}) or DEC ({@link #OP_SUB}) of {@code x}: the flags of
     * x + 1 or x - 1 except CF. SDM "INC—Increment by 1": The CF flag is not affected.
     */
    void recordKeepingCf(int kind, int size, long x, long r) {
        saved = cf() ? CF : 0;
        record(kind | (int) CF << FROM_SAVED, size, x, 1, r);
    }

    /**
     * Replaces the flags in {@code mask} by the same bits of {@code value}; the other flags keep
     * their current values. Used by instructions that compute their flags directly (rotates,
     * BCD, LZCNT, the single-flag setters).
     *
     * <p>PERF: the record stays; the replaced flags are marked as explicit in it, so the others
     * are still derived only when read (a rotate costs two stores, not six flags).
     */
    void merge(long mask, long value) {
        saved = (saved & ~mask) | (value & mask);
        op |= (int) mask << FROM_SAVED;
    }

    /** Replaces all six flags (the result of an instruction that defines or chooses every one). */
    void replace(long value) {
        op = EXPLICIT;
        saved = value & ARITHMETIC;
    }

    private void materialize() {
        if (op != EXPLICIT) {
            saved = computeAll();
            op = EXPLICIT;
        }
    }

    private long computeAll() {
        long f = 0;
        if (cf()) {
            f |= CF;
        }
        if (pf()) {
            f |= PF;
        }
        if (af()) {
            f |= AF;
        }
        if (zf()) {
            f |= ZF;
        }
        if (sf()) {
            f |= SF;
        }
        if (of()) {
            f |= OF;
        }
        return f;
    }

    /** True if {@code flag} comes from the explicit image. */
    private boolean explicit(long flag) {
        return (op & ((int) flag << FROM_SAVED)) != 0;
    }

    // ---------------------------------------------------------------- whole image

    /** The six flags in their RFLAGS positions, all other bits 0. */
    public long get() {
        return op == EXPLICIT ? saved : computeAll();
    }

    /** Loads the six flags from an RFLAGS image (POPF, IRET, VM entry...); other bits ignored. */
    public void set(long rflags) {
        op = EXPLICIT;
        saved = rflags & ARITHMETIC;
    }

    // ---------------------------------------------------------------- single flags

    /** The recorded operand width in bits. */
    private int bits() {
        return (op & 0xF) << 3;
    }

    /** Most significant bit of {@code x} at the recorded width. */
    private boolean msb(long x) {
        return ((x >>> (bits() - 1)) & 1) != 0;
    }

    /** CF, carry flag. */
    public boolean cf() {
        if (explicit(CF)) {
            return (saved & CF) != 0;
        }
        return recordCf();
    }

    /** CF as the recorded operation defines it. */
    private boolean recordCf() {
        int bits = bits();
        switch (op & KIND) {
            case OP_ADD:
                return msb((a & b) | ((a | b) & ~res));
            case OP_SUB:
            case OP_SBB:
                return msb((~a & b) | ((~a | b) & res));
            case OP_SHL:
                // SDM "SAL/SAR/SHL/SHR—Shift": CF receives the last bit shifted out; beyond the
                // width the bits shifted out are zeros (CF undefined there; we follow the loop).
                return b <= bits && ((a >>> (bits - b)) & 1) != 0;
            case OP_SHR:
                return b <= bits && ((a >>> (b - 1)) & 1) != 0;
            case OP_SAR:
                return (((a << (64 - bits)) >> (64 - bits) >> (b - 1)) & 1) != 0;
            default: // OP_LOGIC
                return false;
        }
    }

    /** PF, parity of the low byte of the result (set when the number of one bits is even). */
    public boolean pf() {
        if (explicit(PF)) {
            return (saved & PF) != 0;
        }
        return (Integer.bitCount((int) res & 0xFF) & 1) == 0;
    }

    /** AF, carry or borrow out of bit 3. */
    public boolean af() {
        if (explicit(AF)) {
            return (saved & AF) != 0;
        }
        switch (op & KIND) {
            case OP_ADD:
            case OP_SUB:
            case OP_SBB:
                // INC and DEC are recorded as ADD and SUB of 1: the same carry into bit 4.
                return ((a ^ b ^ res) & 0x10) != 0;
            default:
                // MANUAL: AF is undefined after logic and shift instructions; we clear it.
                return false;
        }
    }

    /** ZF, result is zero. */
    public boolean zf() {
        if (explicit(ZF)) {
            return (saved & ZF) != 0;
        }
        return res == 0;
    }

    /** SF, most significant bit of the result. */
    public boolean sf() {
        if (explicit(SF)) {
            return (saved & SF) != 0;
        }
        return msb(res);
    }

    /** OF, signed overflow. */
    public boolean of() {
        if (explicit(OF)) {
            return (saved & OF) != 0;
        }
        switch (op & KIND) {
            case OP_ADD:
                // INC (a + 1): OF exactly when the result is 80..0H.
                return msb((a ^ res) & (b ^ res));
            case OP_SUB:
            case OP_SBB:
                // DEC (a - 1): OF exactly when the result is 7F..FH.
                return msb((a ^ b) & (a ^ res));
            case OP_SHL:
                // SDM "SAL/SAR/SHL/SHR—Shift": 1-bit SHL: OF = MSB(result) XOR CF (the shift's
                // own CF, also when a later instruction replaced CF).
                // MANUAL: other counts leave OF undefined; we apply the same rule.
                return msb(res) != recordCf();
            case OP_SHR:
                // SDM: 1-bit SHR: OF = MSB of the original operand = bit width-2 of the result.
                // MANUAL: other counts leave OF undefined; we apply the same rule to the result.
                return msb(res ^ (res << 1));
            default:
                // OP_LOGIC; OP_SAR: SDM "SAL/SAR/SHL/SHR—Shift": for SAR with a 1-bit shift OF
                // is cleared. MANUAL: for other counts OF is undefined; we clear it as for count 1.
                return false;
        }
    }

    /** Sets or clears CF (CLC, STC, CMC, BT...); the other flags keep their values. */
    public void setCf(boolean v) {
        setBit(CF, v);
    }

    /** Sets or clears PF. */
    public void setPf(boolean v) {
        setBit(PF, v);
    }

    /** Sets or clears AF. */
    public void setAf(boolean v) {
        setBit(AF, v);
    }

    /** Sets or clears ZF. */
    public void setZf(boolean v) {
        setBit(ZF, v);
    }

    /** Sets or clears SF. */
    public void setSf(boolean v) {
        setBit(SF, v);
    }

    /** Sets or clears OF. */
    public void setOf(boolean v) {
        setBit(OF, v);
    }

    private void setBit(long bit, boolean v) {
        merge(bit, v ? bit : 0);
    }

    // ---------------------------------------------------------------- conditions

    /**
     * Evaluates condition {@code tttn} (the low four bits of the Jcc/SETcc/CMOVcc opcode).
     *
     * <p>SDM "Jcc—Jump if Condition Is Met": 0 O, 1 NO, 2 B/C/NAE, 3 AE/NB/NC, 4 E/Z, 5 NE/NZ,
     * 6 BE/NA, 7 A/NBE, 8 S, 9 NS, A P/PE, B NP/PO, C L/NGE, D GE/NL, E LE/NG, F G/NLE.
     *
     * @throws IllegalArgumentException if {@code tttn} is outside 0..15
     */
    public boolean condition(int tttn) {
        if ((op & SUB_ONLY) == OP_SUB && tttn >= 2) {
            // PERF: after CMP/SUB the unsigned and signed relations are read from the operands.
            return subCondition(tttn);
        }
        return flagCondition(tttn);
    }

    private boolean subCondition(int tttn) {
        int shift = 64 - bits();
        long sa = (a << shift) >> shift;
        long sb = (b << shift) >> shift;
        switch (tttn) {
            case 0x2:
                return Long.compareUnsigned(a, b) < 0;
            case 0x3:
                return Long.compareUnsigned(a, b) >= 0;
            case 0x4:
                return a == b;
            case 0x5:
                return a != b;
            case 0x6:
                return Long.compareUnsigned(a, b) <= 0;
            case 0x7:
                return Long.compareUnsigned(a, b) > 0;
            case 0xC:
                return sa < sb;
            case 0xD:
                return sa >= sb;
            case 0xE:
                return sa <= sb;
            case 0xF:
                return sa > sb;
            default: // S, NS, P, NP
                return flagCondition(tttn);
        }
    }

    private boolean flagCondition(int tttn) {
        switch (tttn) {
            case 0x0:
                return of();
            case 0x1:
                return !of();
            case 0x2:
                return cf();
            case 0x3:
                return !cf();
            case 0x4:
                return zf();
            case 0x5:
                return !zf();
            case 0x6:
                return cf() || zf();
            case 0x7:
                return !cf() && !zf();
            case 0x8:
                return sf();
            case 0x9:
                return !sf();
            case 0xA:
                return pf();
            case 0xB:
                return !pf();
            case 0xC:
                return sf() != of();
            case 0xD:
                return sf() == of();
            case 0xE:
                return zf() || sf() != of();
            case 0xF:
                return !zf() && sf() == of();
            default:
                throw new IllegalArgumentException("tttn must be 0..15, was " + tttn);
        }
    }

    @Override
    public String toString() {
        long f = get();
        return String.format("%s%s%s%s%s%s", (f & OF) != 0 ? "O" : "o", (f & SF) != 0 ? "S" : "s",
                (f & ZF) != 0 ? "Z" : "z", (f & AF) != 0 ? "A" : "a", (f & PF) != 0 ? "P" : "p",
                (f & CF) != 0 ? "C" : "c");
    }
}
