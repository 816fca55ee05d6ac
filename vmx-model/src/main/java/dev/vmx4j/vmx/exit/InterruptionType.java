package dev.vmx4j.vmx.exit;

/**
 * The interruption type, bits 10:8 of the interruption-information formats (VM-entry
 * interruption information, VM-exit interruption information, IDT-vectoring information).
 * SDM "Format of the VM-Entry Interruption-Information Field" and "Information for VM Exits Due
 * to Vectored Events".
 */
public enum InterruptionType {
    EXTERNAL_INTERRUPT(0),
    RESERVED(1),
    NMI(2),
    HARDWARE_EXCEPTION(3),
    SOFTWARE_INTERRUPT(4),
    PRIVILEGED_SOFTWARE_EXCEPTION(5),
    SOFTWARE_EXCEPTION(6),
    /** Other event: on VM entry, a pending MTF VM exit (vector 0). */
    OTHER_EVENT(7);

    private static final InterruptionType[] BY_CODE = values();

    private final int code;

    InterruptionType(int code) {
        this.code = code;
    }

    /** The 3-bit code. */
    public int code() {
        return code;
    }

    /** The type with code {@code code} (0..7). */
    public static InterruptionType byCode(int code) {
        if (code < 0 || code > 7) {
            throw new IllegalArgumentException("interruption type must be in [0, 7], was " + code);
        }
        return BY_CODE[code];
    }
}
