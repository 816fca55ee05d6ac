package dev.vmx4j.vmx.exit;

import java.util.Objects;

/**
 * The interruption-information format shared by the VM-entry interruption-information field,
 * the VM-exit interruption-information field and the IDT-vectoring information field:
 * <pre>
 *  7:0   vector
 *  10:8  interruption type ({@link InterruptionType})
 *  11    deliver / error code valid
 *  12    NMI unblocking due to IRET (VM-exit interruption information; undefined in IDT-vectoring
 *        information and reserved on entry)
 *  30:13 reserved
 *  31    valid
 * </pre>
 * SDM "Format of the VM-Entry Interruption-Information Field", "Information for VM Exits Due to
 * Vectored Events", "Information for VM Exits That Occur During Event Delivery".
 */
public record InterruptionInfo(int vector, InterruptionType type, boolean errorCodeValid,
        boolean nmiUnblockingDueToIret, boolean valid) {

    public static final long VECTOR_MASK = 0xFFL;
    public static final int TYPE_SHIFT = 8;
    public static final long TYPE_MASK = 7L << TYPE_SHIFT;
    public static final long ERROR_CODE_VALID = 1L << 11;
    public static final long NMI_UNBLOCKING_DUE_TO_IRET = 1L << 12;
    public static final long VALID = 1L << 31;
    /** Bits 30:13, reserved. */
    public static final long RESERVED_BITS = 0x7FFF_E000L;
    /** The bits this record models. */
    public static final long DEFINED_BITS = VECTOR_MASK | TYPE_MASK | ERROR_CODE_VALID | NMI_UNBLOCKING_DUE_TO_IRET
            | VALID;

    public InterruptionInfo {
        if (vector < 0 || vector > 0xFF) {
            throw new IllegalArgumentException("vector must be in [0, 255], was " + vector);
        }
        Objects.requireNonNull(type, "type");
    }

    /** A valid event with bit 12 clear. */
    public static InterruptionInfo of(int vector, InterruptionType type, boolean errorCodeValid) {
        return new InterruptionInfo(vector, type, errorCodeValid, false, true);
    }

    /** The 32-bit field value (zero-extended). */
    public long encode() {
        return encode(vector, type.code(), errorCodeValid, nmiUnblockingDueToIret, valid);
    }

    /** Allocation-free encoding from the parts. */
    public static long encode(int vector, int typeCode, boolean errorCodeValid, boolean nmiUnblockingDueToIret,
            boolean valid) {
        return (vector & VECTOR_MASK)
                | ((long) (typeCode & 7) << TYPE_SHIFT)
                | (errorCodeValid ? ERROR_CODE_VALID : 0)
                | (nmiUnblockingDueToIret ? NMI_UNBLOCKING_DUE_TO_IRET : 0)
                | (valid ? VALID : 0);
    }

    /** Decodes a field value; reserved bits 30:13 are ignored. */
    public static InterruptionInfo decode(long value) {
        return new InterruptionInfo((int) (value & VECTOR_MASK), InterruptionType.byCode((int) (value >>> TYPE_SHIFT & 7)),
                (value & ERROR_CODE_VALID) != 0, (value & NMI_UNBLOCKING_DUE_TO_IRET) != 0, (value & VALID) != 0);
    }
}
