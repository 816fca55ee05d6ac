package dev.vmx4j.vmx.exit;

/**
 * The exit qualification of a VM exit due to an I/O instruction (exit reason 30). SDM "Exit
 * Qualification for I/O Instructions":
 * <pre>
 *  2:0   size of access: 0 1-byte, 1 2-byte, 3 4-byte (other values not used)
 *  3     direction of the attempted access: 0 OUT, 1 IN
 *  4     string instruction: 0 not string, 1 string
 *  5     REP prefixed: 0 not REP, 1 REP
 *  6     operand encoding: 0 DX, 1 immediate
 *  15:7  reserved (0)
 *  31:16 port number (as specified in DX or in an immediate operand)
 *  63:32 reserved (0)
 * </pre>
 * {@link #size()} is the access size in bytes, encoded as size - 1 (so the unused codes 2 and
 * 4..7 decode to 3 and 5..8 and still round-trip).
 */
public record IoInstructionQualification(int size, boolean in, boolean string, boolean rep,
        boolean immediateOperand, int port) {

    public static final long SIZE_MASK = 0x7L;
    public static final long IN = 1L << 3;
    public static final long STRING = 1L << 4;
    public static final long REP = 1L << 5;
    public static final long IMMEDIATE_OPERAND = 1L << 6;
    public static final int PORT_SHIFT = 16;
    public static final long DEFINED_BITS = 0xFFFF_007FL;

    public IoInstructionQualification {
        if (size < 1 || size > 8) {
            throw new IllegalArgumentException("size must be 1, 2 or 4 bytes, was " + size);
        }
        if ((port & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("port must be in [0, 0xFFFF], was " + port);
        }
    }

    public long encode() {
        return (size - 1)
                | (in ? IN : 0)
                | (string ? STRING : 0)
                | (rep ? REP : 0)
                | (immediateOperand ? IMMEDIATE_OPERAND : 0)
                | (long) port << PORT_SHIFT;
    }

    public static IoInstructionQualification decode(long q) {
        return new IoInstructionQualification((int) (q & SIZE_MASK) + 1, (q & IN) != 0, (q & STRING) != 0,
                (q & REP) != 0, (q & IMMEDIATE_OPERAND) != 0, (int) (q >>> PORT_SHIFT & 0xFFFF));
    }
}
