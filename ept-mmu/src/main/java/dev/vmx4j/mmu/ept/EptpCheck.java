package dev.vmx4j.mmu.ept;

/**
 * Stable identifiers of the EPTP checks, in SDM order.
 *
 * <p>SDM "Checks on VMX Controls" (VM-execution control fields, "enable EPT" = 1) lists these
 * bullets for the EPTP. The same checks decide INVEPT single-context operand validity and the
 * validity of an entry of the EPTP list used by VMFUNC EPTP switching.
 */
public enum EptpCheck {
    /** No rule is broken. */
    OK("", "", 0),
    MEMORY_TYPE_NOT_SUPPORTED("Checks on VMX Controls",
            "The EPT memory type (bits 2:0) must be a value supported by the processor as indicated in the IA32_VMX_EPT_VPID_CAP MSR.",
            Eptp.MEMORY_TYPE_MASK),
    PAGE_WALK_LENGTH_NOT_SUPPORTED("Checks on VMX Controls",
            "Bits 5:3 (1 less than the EPT page-walk length) must indicate a supported EPT page-walk length.",
            Eptp.WALK_LENGTH_MASK),
    ACCESSED_DIRTY_NOT_SUPPORTED("Checks on VMX Controls",
            "Bit 6 (enable bit for accessed and dirty flags for EPT) must be 0 if bit 21 of the IA32_VMX_EPT_VPID_CAP MSR is read as 0.",
            Eptp.ACCESSED_DIRTY_ENABLE),
    SUPERVISOR_SHADOW_STACK_NOT_SUPPORTED("Checks on VMX Controls",
            "Bit 7 (enable bit for supervisor shadow-stack control) must be 0 if bit 23 of the IA32_VMX_EPT_VPID_CAP MSR is read as 0.",
            Eptp.SUPERVISOR_SHADOW_STACK_ENABLE),
    RESERVED_BITS_SET("Checks on VMX Controls",
            "Reserved bits 11:8 and 63:N (where N is the processor's physical-address width) must all be 0.",
            0);

    private final String sdmSection;
    private final String quote;
    private final long fieldMask;

    EptpCheck(String sdmSection, String quote, long fieldMask) {
        this.sdmSection = sdmSection;
        this.quote = quote;
        this.fieldMask = fieldMask;
    }

    /** The SDM section title the rule is in (empty for {@link #OK}). */
    public String sdmSection() {
        return sdmSection;
    }

    /** A one-line quote of the SDM bullet (empty for {@link #OK}). */
    public String quote() {
        return quote;
    }

    /** The EPTP bits the rule examines (0 when they depend on MAXPHYADDR). */
    public long fieldMask() {
        return fieldMask;
    }

    public boolean isOk() {
        return this == OK;
    }
}
