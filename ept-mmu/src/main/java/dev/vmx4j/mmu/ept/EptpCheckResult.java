package dev.vmx4j.mmu.ept;

/**
 * The outcome of validating one EPTP: the first broken rule (or {@link EptpCheck#OK}), the
 * value checked and the bits that broke the rule.
 *
 * @param check         the rule, {@link EptpCheck#OK} when the EPTP is valid
 * @param eptp          the EPTP value checked
 * @param offendingBits the bits of {@code eptp} that violate the rule (0 when OK)
 */
public record EptpCheckResult(EptpCheck check, long eptp, long offendingBits) {

    public EptpCheckResult {
        if (check == null) {
            throw new IllegalArgumentException("check must not be null");
        }
    }

    public boolean isOk() {
        return check == EptpCheck.OK;
    }

    /** The SDM section title of the broken rule. */
    public String sdmSection() {
        return check.sdmSection();
    }

    /** A one-line quote of the broken rule. */
    public String quote() {
        return check.quote();
    }

    @Override
    public String toString() {
        if (isOk()) {
            return "EPTP 0x" + Long.toHexString(eptp) + " OK";
        }
        return check + ": EPTP 0x" + Long.toHexString(eptp) + ", offending bits 0x"
                + Long.toHexString(offendingBits) + " (SDM \"" + check.sdmSection() + "\": "
                + check.quote() + ")";
    }
}
