package dev.vmx4j.mmu.memtype;

/** The rule that produced an effective memory type (see {@link MemoryTypeCalculator}). */
public enum MemoryTypeRule {
    /**
     * CR0.CD = 1 without EPT: no-fill cache mode; we report UC. SDM "Cache Control Registers
     * and Bits" / "Preventing Caching".
     */
    CACHE_DISABLED("Cache Control Registers and Bits"),
    /** CR0.PG = 0: no PAT entry applies; the MTRR type is used (PAT type WB). */
    MTRR_PAGING_DISABLED("Selecting Memory Types for Pentium III and More Recent Processor Families"),
    /** MTRR type combined with the PAT type by table "Effective Page-Level Memory Types". */
    MTRR_AND_PAT("Selecting Memory Types for Pentium III and More Recent Processor Families"),
    /** EPT: CR0.CD = 1 gives UC. */
    EPT_CACHE_DISABLED("Memory Type Used for Translated Guest-Physical Addresses"),
    /** EPT, IPAT = 1: the EPT memory type alone. */
    EPT_IGNORE_PAT("Memory Type Used for Translated Guest-Physical Addresses"),
    /** EPT, IPAT = 0: the EPT type in the MTRR role of "Effective Page-Level Memory Types". */
    EPT_AND_PAT("Memory Type Used for Translated Guest-Physical Addresses");

    private final String sdmSection;

    MemoryTypeRule(String sdmSection) {
        this.sdmSection = sdmSection;
    }

    public String sdmSection() {
        return sdmSection;
    }
}
