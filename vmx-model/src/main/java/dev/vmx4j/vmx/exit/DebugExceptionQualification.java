package dev.vmx4j.vmx.exit;

/**
 * The exit qualification of a VM exit due to a debug exception (#DB intercepted by the exception
 * bitmap) and of the MOV-DR-free debug traps. SDM "Exit Qualification for Debug Exceptions":
 * <pre>
 *  3:0   B3-B0: breakpoint condition n was met (whether or not enabled in DR7)
 *  12:4  reserved (0)
 *  13    BD: debug-register access detected
 *  14    BS: single-step or branch trap
 *  15    reserved (0)
 *  16    RTM: a debug exception or breakpoint occurred inside an RTM region
 * </pre>
 */
public record DebugExceptionQualification(int breakpoints, boolean bd, boolean bs, boolean rtm) {

    public static final long BREAKPOINTS_MASK = 0xFL;
    public static final long BD = 1L << 13;
    public static final long BS = 1L << 14;
    public static final long RTM = 1L << 16;
    public static final long DEFINED_BITS = BREAKPOINTS_MASK | BD | BS | RTM;

    public DebugExceptionQualification {
        if ((breakpoints & ~0xF) != 0) {
            throw new IllegalArgumentException("breakpoints (B3-B0) must be in [0, 0xF], was " + breakpoints);
        }
    }

    /** True if breakpoint condition {@code n} (0..3) was met. */
    public boolean breakpoint(int n) {
        return (breakpoints >>> n & 1) != 0;
    }

    public long encode() {
        return breakpoints | (bd ? BD : 0) | (bs ? BS : 0) | (rtm ? RTM : 0);
    }

    /** Decodes a qualification; reserved bits are ignored. */
    public static DebugExceptionQualification decode(long q) {
        return new DebugExceptionQualification((int) (q & BREAKPOINTS_MASK), (q & BD) != 0, (q & BS) != 0,
                (q & RTM) != 0);
    }
}
