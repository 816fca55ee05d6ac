package dev.vmx4j.core.decoder;

/** Bit flags in {@link DecodedInstruction#prefixes}. */
public final class Prefix {
    private Prefix() {
    }

    public static final int LOCK = 1;
    /** F3: REP/REPE, or a mandatory prefix. */
    public static final int REP = 1 << 1;
    /** F2: REPNE, or a mandatory prefix. */
    public static final int REPNE = 1 << 2;
    /** 66: operand-size override. */
    public static final int OPERAND_SIZE = 1 << 3;
    /** 67: address-size override. */
    public static final int ADDRESS_SIZE = 1 << 4;
    /** A REX prefix was in effect (the last prefix before the opcode). */
    public static final int REX = 1 << 5;
    /** A segment-override prefix was present (see {@link DecodedInstruction#segmentOverride}). */
    public static final int SEGMENT = 1 << 6;
    /** The instruction was VEX-encoded (C4/C5); VEX.pp, VEX.W and VEX.vvvv are already applied to the operands. */
    public static final int VEX = 1 << 7;
}
