package dev.vmx4j.mmu.ept;

/**
 * The EPT and VPID capabilities of a processor, decoded from the 64-bit
 * {@code IA32_VMX_EPT_VPID_CAP} MSR (index 48CH).
 *
 * <p>SDM "VPID and EPT Capabilities": every bit the SDM defines has an accessor named after it;
 * {@link #raw()} keeps the MSR value so undefined bits are not lost.
 *
 * <pre>
 *  bit 0      execute-only translations supported
 *  bit 6      page-walk length 4 supported
 *  bit 7      page-walk length 5 supported
 *  bit 8      EPT paging-structure memory type UC allowed in the EPTP
 *  bit 14     EPT paging-structure memory type WB allowed in the EPTP
 *  bit 16     2-MByte pages (EPT PDE bit 7)
 *  bit 17     1-GByte pages (EPT PDPTE bit 7)
 *  bit 20     INVEPT supported
 *  bit 21     accessed and dirty flags for EPT
 *  bit 22     advanced VM-exit information for EPT violations
 *  bit 23     supervisor shadow-stack control (EPTP bit 7)
 *  bit 25     single-context INVEPT
 *  bit 26     all-context INVEPT
 *  bit 32     INVVPID supported
 *  bit 40     individual-address INVVPID
 *  bit 41     single-context INVVPID
 *  bit 42     all-context INVVPID
 *  bit 43     single-context-retaining-globals INVVPID
 *  bits 53:48 maximum HLAT prefix size
 * </pre>
 */
public final class EptCapabilities {

    public static final int MSR_IA32_VMX_EPT_VPID_CAP = 0x48C;

    public static final long EXECUTE_ONLY = 1L << 0;
    public static final long PAGE_WALK_LENGTH_4 = 1L << 6;
    public static final long PAGE_WALK_LENGTH_5 = 1L << 7;
    public static final long MEMORY_TYPE_UC = 1L << 8;
    public static final long MEMORY_TYPE_WB = 1L << 14;
    public static final long PDE_2MB_PAGES = 1L << 16;
    public static final long PDPTE_1GB_PAGES = 1L << 17;
    public static final long INVEPT = 1L << 20;
    public static final long ACCESSED_DIRTY_FLAGS = 1L << 21;
    public static final long ADVANCED_EPT_VIOLATION_EXIT_INFO = 1L << 22;
    public static final long SUPERVISOR_SHADOW_STACK = 1L << 23;
    public static final long INVEPT_SINGLE_CONTEXT = 1L << 25;
    public static final long INVEPT_ALL_CONTEXT = 1L << 26;
    public static final long INVVPID = 1L << 32;
    public static final long INVVPID_INDIVIDUAL_ADDRESS = 1L << 40;
    public static final long INVVPID_SINGLE_CONTEXT = 1L << 41;
    public static final long INVVPID_ALL_CONTEXT = 1L << 42;
    public static final long INVVPID_SINGLE_CONTEXT_RETAINING_GLOBALS = 1L << 43;
    public static final int HLAT_PREFIX_SIZE_SHIFT = 48;
    public static final long HLAT_PREFIX_SIZE_MASK = 0x3FL << HLAT_PREFIX_SIZE_SHIFT;

    /**
     * A typical recent Intel core: execute-only, 4- and 5-level walks, UC and WB, 2 MiB and
     * 1 GiB pages, INVEPT (single and all context), A/D flags, advanced exit information,
     * INVVPID (all four types).
     */
    public static final EptCapabilities TYPICAL = of(EXECUTE_ONLY | PAGE_WALK_LENGTH_4
            | PAGE_WALK_LENGTH_5 | MEMORY_TYPE_UC | MEMORY_TYPE_WB | PDE_2MB_PAGES
            | PDPTE_1GB_PAGES | INVEPT | ACCESSED_DIRTY_FLAGS | ADVANCED_EPT_VIOLATION_EXIT_INFO
            | INVEPT_SINGLE_CONTEXT | INVEPT_ALL_CONTEXT | INVVPID | INVVPID_INDIVIDUAL_ADDRESS
            | INVVPID_SINGLE_CONTEXT | INVVPID_ALL_CONTEXT
            | INVVPID_SINGLE_CONTEXT_RETAINING_GLOBALS);

    private final long raw;

    private EptCapabilities(long raw) {
        this.raw = raw;
    }

    /** Decodes the MSR value; every bit pattern is accepted (undefined bits are kept in {@link #raw()}). */
    public static EptCapabilities of(long msrValue) {
        return new EptCapabilities(msrValue);
    }

    public long raw() {
        return raw;
    }

    private boolean bit(long mask) {
        return (raw & mask) != 0;
    }

    public boolean executeOnlyTranslations() {
        return bit(EXECUTE_ONLY);
    }

    public boolean pageWalkLength4() {
        return bit(PAGE_WALK_LENGTH_4);
    }

    public boolean pageWalkLength5() {
        return bit(PAGE_WALK_LENGTH_5);
    }

    public boolean uncacheableMemoryType() {
        return bit(MEMORY_TYPE_UC);
    }

    public boolean writeBackMemoryType() {
        return bit(MEMORY_TYPE_WB);
    }

    public boolean pde2MbPages() {
        return bit(PDE_2MB_PAGES);
    }

    public boolean pdpte1GbPages() {
        return bit(PDPTE_1GB_PAGES);
    }

    public boolean invept() {
        return bit(INVEPT);
    }

    public boolean accessedAndDirtyFlags() {
        return bit(ACCESSED_DIRTY_FLAGS);
    }

    public boolean advancedEptViolationExitInformation() {
        return bit(ADVANCED_EPT_VIOLATION_EXIT_INFO);
    }

    public boolean supervisorShadowStackControl() {
        return bit(SUPERVISOR_SHADOW_STACK);
    }

    public boolean inveptSingleContext() {
        return bit(INVEPT_SINGLE_CONTEXT);
    }

    public boolean inveptAllContext() {
        return bit(INVEPT_ALL_CONTEXT);
    }

    public boolean invvpid() {
        return bit(INVVPID);
    }

    public boolean invvpidIndividualAddress() {
        return bit(INVVPID_INDIVIDUAL_ADDRESS);
    }

    public boolean invvpidSingleContext() {
        return bit(INVVPID_SINGLE_CONTEXT);
    }

    public boolean invvpidAllContext() {
        return bit(INVVPID_ALL_CONTEXT);
    }

    public boolean invvpidSingleContextRetainingGlobals() {
        return bit(INVVPID_SINGLE_CONTEXT_RETAINING_GLOBALS);
    }

    /** Bits 53:48: the maximum HLAT prefix size. */
    public int maxHlatPrefixSize() {
        return (int) ((raw & HLAT_PREFIX_SIZE_MASK) >>> HLAT_PREFIX_SIZE_SHIFT);
    }

    /**
     * Whether INVEPT supports this type (the register operand): 1 single-context (bit 25),
     * 2 all-context (bit 26). SDM "INVEPT": an unsupported type fails with VMfailValid.
     */
    public boolean supportsInveptType(long type) {
        if (!invept()) {
            return false;
        }
        if (type == 1) {
            return inveptSingleContext();
        }
        if (type == 2) {
            return inveptAllContext();
        }
        return false;
    }

    /**
     * Whether INVVPID supports this type: 0 individual-address (bit 40), 1 single-context
     * (bit 41), 2 all-context (bit 42), 3 single-context-retaining-globals (bit 43).
     */
    public boolean supportsInvvpidType(long type) {
        if (!invvpid() || type < 0 || type > 3) {
            return false;
        }
        return bit(INVVPID_INDIVIDUAL_ADDRESS << type);
    }

    /** Whether an EPTP may name this paging-structure memory type (bits 2:0 of the EPTP). */
    public boolean allowsEptpMemoryType(int encoding) {
        // SDM "Checks on VMX Controls": only UC (bit 8) and WB (bit 14) can ever be allowed.
        if (encoding == 0) {
            return uncacheableMemoryType();
        }
        if (encoding == 6) {
            return writeBackMemoryType();
        }
        return false;
    }

    /** Whether an EPTP may name this page-walk length (4 or 5). */
    public boolean allowsPageWalkLength(int length) {
        if (length == 4) {
            return pageWalkLength4();
        }
        if (length == 5) {
            return pageWalkLength5();
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EptCapabilities && ((EptCapabilities) o).raw == raw;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(raw);
    }

    @Override
    public String toString() {
        return "EptCapabilities[0x" + Long.toHexString(raw) + "]";
    }
}
