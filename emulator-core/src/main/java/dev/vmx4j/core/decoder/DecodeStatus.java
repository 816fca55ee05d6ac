package dev.vmx4j.core.decoder;

/** What {@code Decoder.decode} returns. Plain {@code int} constants: the decoder never throws on guest bytes. */
public final class DecodeStatus {
    private DecodeStatus() {
    }

    /** A complete, valid instruction; {@link DecodedInstruction#length} bytes were used. */
    public static final int OK = 0;
    /** The bytes available end before the instruction does; fetch more (up to 15) and decode again. */
    public static final int NEED_MORE_BYTES = 1;
    /** An undefined or invalid encoding in this mode: the CPU raises #UD. */
    public static final int INVALID = 2;
    /** LOCK on an instruction or operand form that cannot be locked: #UD. */
    public static final int INVALID_LOCK = 3;
    /** The instruction would be longer than 15 bytes: #GP(0). */
    public static final int TOO_LONG = 4;
}
