package dev.vmx4j.vmx.exit;

/**
 * The exit qualification of a VM exit due to MOV DR (exit reason 29). SDM "Exit Qualification
 * for MOV DR":
 * <pre>
 *  2:0   number of the debug register
 *  3     reserved (0)
 *  4     direction of access: 0 MOV to DR, 1 MOV from DR
 *  7:5   reserved (0)
 *  11:8  general-purpose register (0 RAX ... 15 R15)
 *  63:12 reserved (0)
 * </pre>
 */
public record MovDrQualification(int debugRegister, boolean movFromDr, int generalPurposeRegister) {

    public static final long DEBUG_REGISTER_MASK = 0x7L;
    public static final long MOV_FROM_DR = 1L << 4;
    public static final int GPR_SHIFT = 8;
    public static final long DEFINED_BITS = 0xF17L;

    public MovDrQualification {
        if ((debugRegister & ~7) != 0) {
            throw new IllegalArgumentException("debugRegister must be in [0, 7], was " + debugRegister);
        }
        if ((generalPurposeRegister & ~0xF) != 0) {
            throw new IllegalArgumentException("generalPurposeRegister must be in [0, 15], was " + generalPurposeRegister);
        }
    }

    public long encode() {
        return debugRegister | (movFromDr ? MOV_FROM_DR : 0) | (long) generalPurposeRegister << GPR_SHIFT;
    }

    public static MovDrQualification decode(long q) {
        return new MovDrQualification((int) (q & DEBUG_REGISTER_MASK), (q & MOV_FROM_DR) != 0,
                (int) (q >>> GPR_SHIFT & 0xF));
    }
}
