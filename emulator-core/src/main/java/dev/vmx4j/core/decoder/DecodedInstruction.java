package dev.vmx4j.core.decoder;

/**
 * One decoded instruction as a small flat value: primitive fields and three fixed arrays, no
 * pointers to other objects except the mnemonic constant. The decoder fills a caller-owned
 * instance (or a cache slot) in place and never allocates.
 *
 * <p>Operands are in Intel order (destination first). Memory operands use the {@code mem*}
 * fields; string instructions have no explicit memory operand (their operands are implicit:
 * [rSI]/[rDI] with {@link #addressSize} and, for the source, {@link #memSegment}).
 */
public final class DecodedInstruction {

    /** Maximum instruction length (SDM "Instruction Format": 15 bytes). */
    public static final int MAX_LENGTH = 15;
    /** {@link #memBase} value meaning RIP-relative addressing (64-bit mode, mod=00 r/m=101). */
    public static final int BASE_RIP = 16;
    /** {@link #memBase}/{@link #memIndex} value meaning "none". */
    public static final int NO_REGISTER = -1;

    public Mnemonic mnemonic = Mnemonic.INVALID;
    /** Bytes used, 1..15. */
    public int length;
    /** Decoding mode: 16, 32 or 64 (the code-segment default size, or 64 in 64-bit mode). */
    public int mode;
    /** Effective operand-size attribute in bytes: 2, 4 or 8 (byte forms still say 2/4/8 here). */
    public int operandSize;
    /** Effective address-size attribute in bytes: 2, 4 or 8. */
    public int addressSize;

    /** {@link Prefix} bit flags. */
    public int prefixes;
    /** The REX byte in effect (0x40-0x4F), or 0. */
    public int rex;
    /** Segment-override prefix as a {@link SegmentRegister} index, or {@link SegmentRegister#NONE}. */
    public int segmentOverride;
    /** Condition code tttn (0-15) for Jcc, SETcc, CMOVcc; otherwise 0. */
    public int condition;

    /** Number of explicit operands, 0..4. */
    public int operandCount;
    /** {@link OperandKind} of each operand. */
    public final int[] kind = new int[4];
    /** Register number of each register operand (meaning depends on the kind). */
    public final int[] reg = new int[4];
    /** Size in bytes of each operand (1, 2, 4, 8, 10, 16, ...; a far pointer's size is 4 or 6). */
    public final int[] size = new int[4];

    /** Base register 0-15, {@link #BASE_RIP}, or {@link #NO_REGISTER}. */
    public int memBase;
    /** Index register 0-15, or {@link #NO_REGISTER}. */
    public int memIndex;
    /** Scale: 1, 2, 4 or 8. */
    public int memScale;
    /** Displacement, sign-extended to 64 bits. */
    public long memDisplacement;
    /** Segment of the memory operand: the override if any, else the SDM default (SS for rBP/rSP bases). */
    public int memSegment;

    /** The immediate (sign- or zero-extended as the SDM's operand notation says), or a relative displacement. */
    public long immediate;
    /** A second immediate: ENTER's nesting level, a far pointer's selector. */
    public long immediate2;

    /** The opcode map and byte: {@code 0x00xx} one-byte, {@code 0x0Fxx}, {@code 0x0F38xx}, {@code 0x0F3Axx}. */
    public int opcode;
    /** The ModRM byte, or -1 if the instruction has none. */
    public int modrm;

    /** Resets every field to the state of "nothing decoded". */
    public void clear() {
        mnemonic = Mnemonic.INVALID;
        length = 0;
        mode = 0;
        operandSize = 0;
        addressSize = 0;
        prefixes = 0;
        rex = 0;
        segmentOverride = SegmentRegister.NONE;
        condition = 0;
        operandCount = 0;
        for (int i = 0; i < 4; i++) {
            kind[i] = OperandKind.NONE;
            reg[i] = 0;
            size[i] = 0;
        }
        memBase = NO_REGISTER;
        memIndex = NO_REGISTER;
        memScale = 1;
        memDisplacement = 0;
        memSegment = SegmentRegister.DS;
        immediate = 0;
        immediate2 = 0;
        opcode = 0;
        modrm = -1;
    }

    /** Copies every field of {@code other} into this instance. */
    public void copyFrom(DecodedInstruction other) {
        mnemonic = other.mnemonic;
        length = other.length;
        mode = other.mode;
        operandSize = other.operandSize;
        addressSize = other.addressSize;
        prefixes = other.prefixes;
        rex = other.rex;
        segmentOverride = other.segmentOverride;
        condition = other.condition;
        operandCount = other.operandCount;
        System.arraycopy(other.kind, 0, kind, 0, 4);
        System.arraycopy(other.reg, 0, reg, 0, 4);
        System.arraycopy(other.size, 0, size, 0, 4);
        memBase = other.memBase;
        memIndex = other.memIndex;
        memScale = other.memScale;
        memDisplacement = other.memDisplacement;
        memSegment = other.memSegment;
        immediate = other.immediate;
        immediate2 = other.immediate2;
        opcode = other.opcode;
        modrm = other.modrm;
    }

    public boolean hasPrefix(int prefixFlag) {
        return (prefixes & prefixFlag) != 0;
    }
}
