package dev.vmx4j.mmu.ept;

/**
 * Why an EPT paging-structure entry causes an EPT misconfiguration (exit reason 49).
 *
 * <p>SDM "EPT Misconfigurations". The SDM gives no priority among several reasons in one entry;
 * the walker reports the first in declaration order (MANUAL: permission encodings, then
 * structural bits, then address bits, then the memory type).
 */
public enum EptMisconfiguration {
    /** Not a misconfiguration. */
    NONE("", ""),
    WRITE_WITHOUT_READ("EPT Misconfigurations",
            "The value of bits 2:0 of an EPT paging-structure entry is either 010b (write-only) or 110b (write/execute)."),
    EXECUTE_ONLY_NOT_SUPPORTED("EPT Misconfigurations",
            "The value of bits 2:0 of an EPT paging-structure entry is 100b (execute-only) and this value is not supported by the logical processor."),
    LARGE_PAGE_NOT_ALLOWED_AT_LEVEL("EPT Translation Mechanism",
            "Bit 7 of an EPT PML5E or PML4E is reserved (must be 0): these entries cannot map a page."),
    LARGE_PAGE_NOT_SUPPORTED("EPT Translation Mechanism",
            "Not all processors allow bit 7 of an EPT PDPTE (1-GByte page) or PDE (2-MByte page) to be set to 1 (IA32_VMX_EPT_VPID_CAP bits 17 and 16)."),
    RESERVED_BITS_SET("EPT Misconfigurations",
            "The entry is present and a reserved bit is set (bits 6:3 of a non-leaf entry, bits 29:12 of a 1-GByte or 20:12 of a 2-MByte page entry)."),
    ADDRESS_BEYOND_MAXPHYADDR("EPT Misconfigurations",
            "A reserved bit is set. This includes the setting of a bit in the range 51:12 that is beyond the logical processor's physical-address width."),
    INVALID_MEMORY_TYPE("EPT Misconfigurations",
            "The entry is the last one used to translate a guest physical address and the value of bits 5:3 (EPT memory type) is 2, 3, or 7.");

    private final String sdmSection;
    private final String quote;

    EptMisconfiguration(String sdmSection, String quote) {
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
