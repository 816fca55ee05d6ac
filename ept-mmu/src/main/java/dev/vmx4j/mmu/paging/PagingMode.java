package dev.vmx4j.mmu.paging;

/**
 * The paging modes of SDM "Paging Modes and Control Bits", as selected by CR0.PG, CR4.PAE,
 * IA32_EFER.LME and CR4.LA57. This enum has no architectural encoding; never persist its
 * ordinal.
 */
public enum PagingMode {
    /** CR0.PG = 0: linear addresses are physical addresses. */
    NONE,
    /** CR0.PG = 1, CR4.PAE = 0: 32-bit paging (4-KByte pages, 4-MByte pages with CR4.PSE). */
    BITS_32,
    /** CR0.PG = 1, CR4.PAE = 1, IA32_EFER.LME = 0: PAE paging with the four PDPTE registers. */
    PAE,
    /** CR0.PG = 1, CR4.PAE = 1, IA32_EFER.LME = 1, CR4.LA57 = 0: 4-level paging. */
    LEVEL_4,
    /** CR0.PG = 1, CR4.PAE = 1, IA32_EFER.LME = 1, CR4.LA57 = 1: 5-level paging. */
    LEVEL_5;

    /** True for 4-level and 5-level paging (IA-32e paging: protection keys, 64-bit linear). */
    public boolean isIa32e() {
        return this == LEVEL_4 || this == LEVEL_5;
    }
}
