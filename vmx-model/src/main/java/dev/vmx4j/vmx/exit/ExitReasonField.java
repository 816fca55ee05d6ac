package dev.vmx4j.vmx.exit;

/**
 * The 32-bit exit-reason field (VMCS 0x4402). SDM "Basic VM-Exit Information", "Exit reason":
 * <pre>
 *  15:0  basic exit reason
 *  16    always cleared to 0
 *  25:17 not currently defined
 *  26    a bus lock was asserted while the "VMM bus-lock detection" control was 1
 *  27    VM exit from enclave mode
 *  28    pending MTF VM exit (exit due to an SMI that arrived with an MTF exit pending)
 *  29    VM exit from VMX root operation (SMM VM exit)
 *  30    not currently defined
 *  31    VM-entry failure (0 = true VM exit, 1 = VM-entry failure)
 * </pre>
 * The basic reason is kept as a number, not an {@link ExitReason}, so that any value decodes;
 * {@link #reason()} maps it.
 */
public record ExitReasonField(int basicReason, boolean busLockDetected, boolean enclaveMode, boolean pendingMtf,
        boolean fromVmxRoot, boolean entryFailure) {

    public static final long BASIC_REASON_MASK = 0xFFFFL;
    public static final long BUS_LOCK_DETECTED = 1L << 26;
    public static final long ENCLAVE_MODE = 1L << 27;
    public static final long PENDING_MTF = 1L << 28;
    public static final long FROM_VMX_ROOT = 1L << 29;
    public static final long ENTRY_FAILURE = 1L << 31;
    /** The bits this record models. */
    public static final long DEFINED_BITS = BASIC_REASON_MASK | BUS_LOCK_DETECTED | ENCLAVE_MODE | PENDING_MTF
            | FROM_VMX_ROOT | ENTRY_FAILURE;

    public ExitReasonField {
        if (basicReason < 0 || basicReason > 0xFFFF) {
            throw new IllegalArgumentException("basicReason must be in [0, 0xFFFF], was " + basicReason);
        }
    }

    /** A plain VM exit (all flag bits 0) with {@code reason}. */
    public static ExitReasonField of(ExitReason reason) {
        return new ExitReasonField(reason.number(), false, false, false, false, false);
    }

    /** A VM-entry failure (bit 31 set) with {@code reason}. */
    public static ExitReasonField entryFailure(ExitReason reason) {
        return new ExitReasonField(reason.number(), false, false, false, false, true);
    }

    /** The basic reason, or null if the SDM defines none with this number. */
    public ExitReason reason() {
        return ExitReason.byNumber(basicReason);
    }

    /** The 32-bit field value (zero-extended). */
    public long encode() {
        return basicReason
                | (busLockDetected ? BUS_LOCK_DETECTED : 0)
                | (enclaveMode ? ENCLAVE_MODE : 0)
                | (pendingMtf ? PENDING_MTF : 0)
                | (fromVmxRoot ? FROM_VMX_ROOT : 0)
                | (entryFailure ? ENTRY_FAILURE : 0);
    }

    /** Decodes a field value; undefined bits are ignored. */
    public static ExitReasonField decode(long value) {
        return new ExitReasonField((int) (value & BASIC_REASON_MASK), (value & BUS_LOCK_DETECTED) != 0,
                (value & ENCLAVE_MODE) != 0, (value & PENDING_MTF) != 0, (value & FROM_VMX_ROOT) != 0,
                (value & ENTRY_FAILURE) != 0);
    }

    @Override
    public String toString() {
        ExitReason r = reason();
        StringBuilder b = new StringBuilder(r != null ? r.name() : "reason " + basicReason);
        if (entryFailure) {
            b.append(" (VM-entry failure)");
        }
        if (busLockDetected) {
            b.append(" [bus lock]");
        }
        if (enclaveMode) {
            b.append(" [enclave mode]");
        }
        if (pendingMtf) {
            b.append(" [pending MTF]");
        }
        if (fromVmxRoot) {
            b.append(" [from VMX root]");
        }
        return b.toString();
    }
}
