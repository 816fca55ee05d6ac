package dev.vmx4j.vmx.exit;

import java.util.Objects;

/**
 * The exit qualification of a VM exit due to a control-register access (exit reason 28). SDM
 * "Exit Qualification for Control-Register Accesses":
 * <pre>
 *  3:0   number of the control register (0 for CLTS and LMSW)
 *  5:4   access type: 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW
 *  6     LMSW operand type: 0 register, 1 memory (0 for CLTS and MOV CR)
 *  7     reserved (0)
 *  11:8  for MOV CR, the general-purpose register (0 RAX ... 15 R15); 0 for CLTS and LMSW
 *  15:12 reserved (0)
 *  31:16 for LMSW, the LMSW source data; 0 for CLTS and MOV CR
 *  63:32 reserved (0)
 * </pre>
 */
public record ControlRegisterAccessQualification(int controlRegister, AccessType accessType,
        boolean lmswMemoryOperand, int generalPurposeRegister, int lmswSourceData) {

    /** Bits 5:4. */
    public enum AccessType {
        MOV_TO_CR(0), MOV_FROM_CR(1), CLTS(2), LMSW(3);

        private final int code;

        AccessType(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static AccessType byCode(int code) {
            return values()[code & 3];
        }
    }

    public static final long CONTROL_REGISTER_MASK = 0xFL;
    public static final int ACCESS_TYPE_SHIFT = 4;
    public static final long LMSW_MEMORY_OPERAND = 1L << 6;
    public static final int GPR_SHIFT = 8;
    public static final int LMSW_SOURCE_DATA_SHIFT = 16;
    public static final long DEFINED_BITS = 0xFFFF_0F7FL;

    public ControlRegisterAccessQualification {
        if ((controlRegister & ~0xF) != 0) {
            throw new IllegalArgumentException("controlRegister must be in [0, 15], was " + controlRegister);
        }
        Objects.requireNonNull(accessType, "accessType");
        if ((generalPurposeRegister & ~0xF) != 0) {
            throw new IllegalArgumentException("generalPurposeRegister must be in [0, 15], was " + generalPurposeRegister);
        }
        if ((lmswSourceData & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("lmswSourceData must be in [0, 0xFFFF], was " + lmswSourceData);
        }
    }

    /** MOV to CRn from general-purpose register {@code gpr}. */
    public static ControlRegisterAccessQualification movToCr(int cr, int gpr) {
        return new ControlRegisterAccessQualification(cr, AccessType.MOV_TO_CR, false, gpr, 0);
    }

    /** MOV from CRn to general-purpose register {@code gpr}. */
    public static ControlRegisterAccessQualification movFromCr(int cr, int gpr) {
        return new ControlRegisterAccessQualification(cr, AccessType.MOV_FROM_CR, false, gpr, 0);
    }

    /** CLTS. */
    public static ControlRegisterAccessQualification clts() {
        return new ControlRegisterAccessQualification(0, AccessType.CLTS, false, 0, 0);
    }

    /** LMSW with source data {@code source} from a register or memory operand. */
    public static ControlRegisterAccessQualification lmsw(boolean memoryOperand, int source) {
        return new ControlRegisterAccessQualification(0, AccessType.LMSW, memoryOperand, 0, source & 0xFFFF);
    }

    public long encode() {
        return controlRegister
                | (long) accessType.code() << ACCESS_TYPE_SHIFT
                | (lmswMemoryOperand ? LMSW_MEMORY_OPERAND : 0)
                | (long) generalPurposeRegister << GPR_SHIFT
                | (long) lmswSourceData << LMSW_SOURCE_DATA_SHIFT;
    }

    public static ControlRegisterAccessQualification decode(long q) {
        return new ControlRegisterAccessQualification((int) (q & CONTROL_REGISTER_MASK),
                AccessType.byCode((int) (q >>> ACCESS_TYPE_SHIFT)), (q & LMSW_MEMORY_OPERAND) != 0,
                (int) (q >>> GPR_SHIFT & 0xF), (int) (q >>> LMSW_SOURCE_DATA_SHIFT & 0xFFFF));
    }
}
