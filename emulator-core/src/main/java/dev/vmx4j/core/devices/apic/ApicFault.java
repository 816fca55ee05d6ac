package dev.vmx4j.core.devices.apic;

/**
 * An APIC access the SDM answers with a general-protection exception: the CPU catches it around
 * RDMSR/WRMSR of IA32_APIC_BASE, IA32_TSC_DEADLINE and the x2APIC MSRs and raises #GP(0). It is
 * an architectural event, built without a stack trace; {@link #reason()} says which rule fired.
 */
public final class ApicFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the access faults; each names the SDM rule. */
    public enum Reason {
        /** SDM "x2APIC Register Availability": x2APIC MSRs are reachable only in x2APIC mode. */
        NOT_IN_X2APIC_MODE,
        /** SDM "x2APIC Register Address Space": an address in 800H-BFFH not in the table. */
        RESERVED_MSR,
        /** SDM "x2APIC Register Address Space": WRMSR to a read-only register. */
        WRITE_TO_READ_ONLY,
        /** SDM "x2APIC Register Address Space": RDMSR of a write-only register (EOI, SELF IPI). */
        READ_OF_WRITE_ONLY,
        /** SDM "Reserved Bit Checking": a non-zero write to reserved bits (includes EOI and ESR). */
        RESERVED_BITS,
        /** SDM "Local APIC Status and Location": reserved bits of IA32_APIC_BASE. */
        APIC_BASE_RESERVED_BITS,
        /** SDM "x2APIC State Transitions": a transition the state diagram forbids. */
        APIC_BASE_INVALID_TRANSITION,
        /** SDM "TSC-Deadline Mode": IA32_TSC_DEADLINE exists only with CPUID.01H:ECX.TSC_Deadline. */
        UNSUPPORTED_MSR
    }

    private final Reason reason;
    private final int msr;

    public ApicFault(Reason reason, int msr, String detail) {
        super(reason + " (MSR 0x" + Integer.toHexString(msr) + "): " + detail, null, false, false);
        this.reason = reason;
        this.msr = msr;
    }

    public Reason reason() {
        return reason;
    }

    public int msr() {
        return msr;
    }
}
