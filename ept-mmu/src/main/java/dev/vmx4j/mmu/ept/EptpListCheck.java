package dev.vmx4j.mmu.ept;

/**
 * VM-entry checks on the EPTP-list address, in SDM order.
 *
 * <p>SDM "Checks on VMX Controls": if the "EPTP switching" VM-function control is 1, the
 * EPTP-list address must satisfy these checks.
 */
public enum EptpListCheck {
    OK("", ""),
    NOT_PAGE_ALIGNED("Checks on VMX Controls", "Bits 11:0 of the address must be 0."),
    BEYOND_PHYSICAL_ADDRESS_WIDTH("Checks on VMX Controls",
            "The address must not set any bits beyond the processor's physical-address width.");

    private final String sdmSection;
    private final String quote;

    EptpListCheck(String sdmSection, String quote) {
        this.sdmSection = sdmSection;
        this.quote = quote;
    }

    public String sdmSection() {
        return sdmSection;
    }

    public String quote() {
        return quote;
    }
}
