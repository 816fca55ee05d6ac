package dev.vmx4j.vmx.controls;

/**
 * One bit of a VMX control vector, implemented by the per-vector enums. The bit number is the
 * SDM's, written explicitly in each constant (never {@code ordinal()}).
 */
public interface VmxControl {

    /** The bit position in the control field. */
    int bit();

    /** {@code 1L << bit()}. */
    default long mask() {
        return 1L << bit();
    }

    /** The constant's name (the SDM's name in upper snake case). */
    String name();
}
