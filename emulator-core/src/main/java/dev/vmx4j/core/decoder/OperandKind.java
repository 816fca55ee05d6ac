package dev.vmx4j.core.decoder;

/**
 * Operand kinds stored in {@link DecodedInstruction#kind}. Plain {@code int} constants so the
 * decoded instruction stays a flat value.
 */
public final class OperandKind {
    private OperandKind() {
    }

    public static final int NONE = 0;
    /** A general register: {@code reg} is 0-15 (RAX..R15); the size says which part. */
    public static final int REG = 1;
    /** AH, CH, DH or BH (legacy high byte, only without REX): {@code reg} is 0-3 for AH..BH. */
    public static final int REG8_HIGH = 2;
    /** The memory operand described by the {@code mem*} fields. */
    public static final int MEM = 3;
    /** An immediate in {@link DecodedInstruction#immediate}, already sign/zero extended. */
    public static final int IMM = 4;
    /** A relative branch target: target = address of next instruction + {@code immediate}. */
    public static final int REL = 5;
    /** A segment register: {@code reg} is a {@link SegmentRegister} index. */
    public static final int SEG = 6;
    /** A control register CRn: {@code reg} = n. */
    public static final int CR = 7;
    /** A debug register DRn: {@code reg} = n. */
    public static final int DR = 8;
    /** A far pointer ptr16:16/ptr16:32: offset in {@code immediate}, selector in {@code immediate2}. */
    public static final int FAR_PTR = 9;
    /** An XMM register: {@code reg} = 0-15. */
    public static final int XMM = 10;
    /** An MMX register: {@code reg} = 0-7. */
    public static final int MMX = 11;
    /** An x87 register ST(i): {@code reg} = i. */
    public static final int ST = 12;
}
