package dev.vmx4j.mmu.ept;

/**
 * Validates EPTP values against a processor's capabilities and physical-address width.
 *
 * <p>Used by VM entry ("enable EPT" = 1), INVEPT (single-context descriptor) and VMFUNC EPTP
 * switching. {@link #check(long)} is allocation-free; {@link #validate(long)} adds the
 * diagnostic value.
 */
public final class EptpValidator {

    private final EptCapabilities capabilities;
    private final int maxPhysicalAddressWidth;
    private final long reservedMask;

    /**
     * @param capabilities            the IA32_VMX_EPT_VPID_CAP value
     * @param maxPhysicalAddressWidth MAXPHYADDR, 36..52
     */
    public EptpValidator(EptCapabilities capabilities, int maxPhysicalAddressWidth) {
        if (capabilities == null) {
            throw new IllegalArgumentException("capabilities must not be null");
        }
        this.capabilities = capabilities;
        this.maxPhysicalAddressWidth = EptEntry.checkMaxPhysicalAddressWidth(maxPhysicalAddressWidth);
        this.reservedMask = Eptp.RESERVED_11_8 | EptEntry.bitsAtOrAbove(maxPhysicalAddressWidth);
    }

    public EptCapabilities capabilities() {
        return capabilities;
    }

    public int maxPhysicalAddressWidth() {
        return maxPhysicalAddressWidth;
    }

    /** The first broken rule in SDM order, or {@link EptpCheck#OK}. Allocation-free. */
    public EptpCheck check(long eptp) {
        // SDM "Checks on VMX Controls": "The EPT memory type (bits 2:0) must be a value supported
        // by the processor as indicated in the IA32_VMX_EPT_VPID_CAP MSR."
        if (!capabilities.allowsEptpMemoryType(Eptp.memoryType(eptp))) {
            return EptpCheck.MEMORY_TYPE_NOT_SUPPORTED;
        }
        // SDM "Checks on VMX Controls": "Bits 5:3 ... must indicate a supported EPT page-walk length."
        if (!capabilities.allowsPageWalkLength(Eptp.pageWalkLength(eptp))) {
            return EptpCheck.PAGE_WALK_LENGTH_NOT_SUPPORTED;
        }
        // SDM "Checks on VMX Controls": "Bit 6 ... must be 0 if bit 21 of the
        // IA32_VMX_EPT_VPID_CAP MSR is read as 0".
        if (Eptp.accessedDirtyEnabled(eptp) && !capabilities.accessedAndDirtyFlags()) {
            return EptpCheck.ACCESSED_DIRTY_NOT_SUPPORTED;
        }
        // SDM "Checks on VMX Controls": bit 7 must be 0 unless IA32_VMX_EPT_VPID_CAP[23].
        // MANUAL: older editions list bit 7 among the reserved bits 11:7; on a processor without
        // CAP[23] both readings reject the same EPTPs, we name the newer, more specific rule.
        if ((eptp & Eptp.SUPERVISOR_SHADOW_STACK_ENABLE) != 0
                && !capabilities.supervisorShadowStackControl()) {
            return EptpCheck.SUPERVISOR_SHADOW_STACK_NOT_SUPPORTED;
        }
        // SDM "Checks on VMX Controls": "Reserved bits 11:8 and 63:N ... must all be 0."
        if ((eptp & reservedMask) != 0) {
            return EptpCheck.RESERVED_BITS_SET;
        }
        return EptpCheck.OK;
    }

    /** {@link #check(long)} with the offending bits, for diagnostics. */
    public EptpCheckResult validate(long eptp) {
        EptpCheck check = check(eptp);
        return new EptpCheckResult(check, eptp, offendingBits(check, eptp));
    }

    private long offendingBits(EptpCheck check, long eptp) {
        switch (check) {
            case OK:
                return 0;
            case RESERVED_BITS_SET:
                return eptp & reservedMask;
            default:
                return eptp & check.fieldMask();
        }
    }
}
