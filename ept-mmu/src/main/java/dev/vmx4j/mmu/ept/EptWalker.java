package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.MemoryType;
import dev.vmx4j.mmu.PhysicalMemory;

/**
 * Translates guest-physical addresses through 4- or 5-level EPT paging structures.
 *
 * <p>SDM "EPT Translation Mechanism", "EPT Misconfigurations", "EPT Violations", "Accessed and
 * Dirty Flags for EPT", "Page-Modification Logging", "EPT and Memory Typing". One walker per
 * logical processor: configure it on VM entry ({@link #configure}, {@link #eptp}, the controls),
 * then call {@link #translate} for each access. The walk reads the entries from the top level
 * down, stops at the first not-present or misconfigured entry, and checks permissions once the
 * leaf is reached: a misconfiguration anywhere wins over a permission violation (SDM "EPT
 * Violations": "An EPT violation may occur ... whose translation does not cause an EPT
 * misconfiguration").
 *
 * <p>// PERF: no allocation, no boxing; the result object is the caller's and reused.
 */
public final class EptWalker {

    private static final long ALL_PERMISSIONS =
            EptEntry.READ | EptEntry.WRITE | EptEntry.EXECUTE | EptEntry.USER_EXECUTE;
    private static final long NON_LEAF_RESERVED = 0x78L;           // bits 6:3
    private static final long PAGE_1GB_RESERVED = 0x3FFF_F000L;     // bits 29:12
    private static final long PAGE_2MB_RESERVED = 0x001F_F000L;     // bits 20:12
    private static final int ADVANCED_INFO_ACCESS_BITS = EptAccess.USER_MODE_LINEAR
            | EptAccess.LINEAR_READ_WRITE | EptAccess.LINEAR_EXECUTE_DISABLE;

    private static final int PAGING_ENTRY_WITH_LINEAR_ADDRESS =
            EptAccess.GUEST_PAGING_ENTRY | EptAccess.LINEAR_ADDRESS_VALID;

    private final PhysicalMemory memory;
    private EptCapabilities capabilities = EptCapabilities.TYPICAL;
    private boolean executeOnly;
    private boolean pages1Gb;
    private boolean pages2Mb;
    private boolean advancedInfo;
    private long addressReserved;

    private long eptp;
    private int levels;
    private boolean accessedDirty;
    private long root;

    private boolean modeBasedExecute;
    private boolean violationVe;
    private PmlSink pml;

    public EptWalker(PhysicalMemory memory) {
        if (memory == null) {
            throw new IllegalArgumentException("memory must not be null");
        }
        this.memory = memory;
        configure(EptCapabilities.TYPICAL, 46);
    }

    /** Sets the processor's EPT capabilities and MAXPHYADDR (36..52). */
    public EptWalker configure(EptCapabilities capabilities, int maxPhysicalAddressWidth) {
        if (capabilities == null) {
            throw new IllegalArgumentException("capabilities must not be null");
        }
        EptEntry.checkMaxPhysicalAddressWidth(maxPhysicalAddressWidth);
        this.capabilities = capabilities;
        this.executeOnly = capabilities.executeOnlyTranslations();
        this.pages1Gb = capabilities.pdpte1GbPages();
        this.pages2Mb = capabilities.pde2MbPages();
        this.advancedInfo = capabilities.advancedEptViolationExitInformation();
        this.addressReserved = EptEntry.ADDRESS_MASK & EptEntry.bitsAtOrAbove(maxPhysicalAddressWidth);
        return this;
    }

    public EptCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Loads an EPTP that VM entry (or VMFUNC, see {@link EptpList}) has already validated.
     *
     * @throws IllegalArgumentException if the page-walk length is not 4 or 5 (validate first)
     */
    public EptWalker eptp(long eptp) {
        int length = Eptp.pageWalkLength(eptp);
        if (length != 4 && length != 5) {
            throw new IllegalArgumentException("EPTP page-walk length must be 4 or 5 (validate the EPTP first): "
                    + length);
        }
        this.eptp = eptp;
        this.levels = length;
        this.accessedDirty = Eptp.accessedDirtyEnabled(eptp);
        this.root = Eptp.rootTableAddress(eptp);
        return this;
    }

    public long eptp() {
        return eptp;
    }

    /** The "mode-based execute control for EPT" secondary processor-based control. */
    public EptWalker modeBasedExecuteControl(boolean enabled) {
        this.modeBasedExecute = enabled;
        return this;
    }

    /** The "EPT-violation #VE" secondary processor-based control. */
    public EptWalker eptViolationVirtualizationException(boolean enabled) {
        this.violationVe = enabled;
        return this;
    }

    /** The page-modification log when "enable PML" is 1, or {@code null}. */
    public EptWalker pageModificationLog(PmlSink sink) {
        this.pml = sink;
        return this;
    }

    /**
     * Translates one access.
     *
     * @param gpa    the guest-physical address
     * @param gla    the guest linear address (used only with {@link EptAccess#LINEAR_ADDRESS_VALID})
     * @param access {@link EptAccess} flags: at least one of READ, WRITE, FETCH
     * @param out    receives the result
     * @return true when translated (the access may proceed)
     */
    public boolean translate(long gpa, long gla, int access, EptWalkResult out) {
        if (levels == 0) {
            throw new IllegalStateException("no EPTP loaded: call eptp(long) first");
        }
        out.begin(gpa, gla, access, levels);
        long table = root;
        long allowed = ALL_PERMISSIONS;
        for (int level = levels; ; level--) {
            long entryAddress = table + (((gpa >>> EptEntry.indexShift(level)) & 0x1FFL) << 3);
            long entry = memory.read64(entryAddress);
            out.entry(level, entryAddress, entry);
            if (!isPresent(entry)) {
                // SDM "EPT Violations": "Translation of the guest-physical address encounters an
                // EPT paging-structure entry that is not present". The AND over the entries
                // includes this one, so bits 3-6 of the qualification are 0.
                return violation(access, 0, entry, out);
            }
            EptMisconfiguration reason = misconfiguration(entry, level);
            if (reason != EptMisconfiguration.NONE) {
                out.misconfiguration(reason);
                return false;
            }
            allowed &= entry;
            if (level == EptEntry.PTE || (entry & EptEntry.PAGE_SIZE) != 0) {
                return leaf(gpa, access, level, entry, allowed, out);
            }
            table = entry & EptEntry.ADDRESS_MASK;
        }
    }

    /**
     * SDM "EPT Translation Mechanism": an entry is present if any of bits 2:0 is 1, or (with
     * mode-based execute control) bit 10.
     */
    private boolean isPresent(long entry) {
        return (entry & EptEntry.PERMISSION_MASK) != 0
                || (modeBasedExecute && (entry & EptEntry.USER_EXECUTE) != 0);
    }

    /** The misconfiguration of a present entry at {@code level}, or {@link EptMisconfiguration#NONE}. */
    EptMisconfiguration misconfiguration(long entry, int level) {
        // SDM "EPT Misconfigurations": "bits 2:0 ... 010b (write-only) or 110b (write/execute)".
        if ((entry & (EptEntry.READ | EptEntry.WRITE)) == EptEntry.WRITE) {
            return EptMisconfiguration.WRITE_WITHOUT_READ;
        }
        // SDM "EPT Misconfigurations": "bits 2:0 ... 100b (execute-only) and this value is not
        // supported". MANUAL: with mode-based execute control, bit 10 alone (or with bit 2) and
        // bit 0 clear is execute-only too, so it is treated the same way.
        if (!executeOnly && (entry & EptEntry.READ) == 0
                && ((entry & EptEntry.EXECUTE) != 0
                    || (modeBasedExecute && (entry & EptEntry.USER_EXECUTE) != 0))) {
            return EptMisconfiguration.EXECUTE_ONLY_NOT_SUPPORTED;
        }
        EptMisconfiguration structural = structuralMisconfiguration(entry, level);
        if (structural != EptMisconfiguration.NONE) {
            return structural;
        }
        // SDM "EPT Misconfigurations": "a bit in the range 51:12 that is beyond the logical
        // processor's physical-address width".
        if ((entry & addressReserved) != 0) {
            return EptMisconfiguration.ADDRESS_BEYOND_MAXPHYADDR;
        }
        if (level == EptEntry.PTE || (entry & EptEntry.PAGE_SIZE) != 0) {
            // SDM "EPT Misconfigurations": leaf memory type 2, 3 or 7 is reserved.
            int type = (int) ((entry & EptEntry.MEMORY_TYPE_MASK) >>> EptEntry.MEMORY_TYPE_SHIFT);
            if (type == 2 || type == 3 || type == 7) {
                return EptMisconfiguration.INVALID_MEMORY_TYPE;
            }
        }
        return EptMisconfiguration.NONE;
    }

    /** Reserved low bits and page-size bits by level (SDM "EPT Translation Mechanism" tables). */
    private EptMisconfiguration structuralMisconfiguration(long entry, int level) {
        boolean large = (entry & EptEntry.PAGE_SIZE) != 0;
        switch (level) {
            case EptEntry.PML5E:
            case EptEntry.PML4E:
                // "Format of an EPT PML4 Entry": bits 7:3 reserved; bit 7 would name a page.
                if (large) {
                    return EptMisconfiguration.LARGE_PAGE_NOT_ALLOWED_AT_LEVEL;
                }
                return (entry & NON_LEAF_RESERVED) != 0 ? EptMisconfiguration.RESERVED_BITS_SET
                        : EptMisconfiguration.NONE;
            case EptEntry.PDPTE:
                return largeOrTable(entry, large, pages1Gb, PAGE_1GB_RESERVED);
            case EptEntry.PDE:
                return largeOrTable(entry, large, pages2Mb, PAGE_2MB_RESERVED);
            default:
                // "Format of an EPT Page-Table Entry": bit 7 ignored, no reserved low bits.
                return EptMisconfiguration.NONE;
        }
    }

    private static EptMisconfiguration largeOrTable(long entry, boolean large, boolean supported,
            long pageReserved) {
        if (large) {
            // SDM "EPT Translation Mechanism": bit 7 of a PDPTE (PDE) may be 1 only where
            // IA32_VMX_EPT_VPID_CAP bit 17 (16) allows 1-GByte (2-MByte) pages.
            if (!supported) {
                return EptMisconfiguration.LARGE_PAGE_NOT_SUPPORTED;
            }
            return (entry & pageReserved) != 0 ? EptMisconfiguration.RESERVED_BITS_SET
                    : EptMisconfiguration.NONE;
        }
        return (entry & NON_LEAF_RESERVED) != 0 ? EptMisconfiguration.RESERVED_BITS_SET
                : EptMisconfiguration.NONE;
    }

    /** Bits 0-2 of the qualification: the access as EPT sees it. */
    private int effectiveAccess(int access) {
        int bits = access & (EptAccess.READ | EptAccess.WRITE | EptAccess.FETCH);
        // SDM "Accessed and Dirty Flags for EPT": with A/D enabled, processor accesses to guest
        // paging-structure entries are treated as writes; SDM "Exit Qualification for EPT
        // Violations": such an access sets both bit 0 and bit 1. SDM "EPT Violations": "This
        // does not apply to loads of the PDPTE registers by the MOV to CR instruction for PAE
        // paging" -- the only guest paging-structure accesses without a linear address.
        if (accessedDirty && (access & PAGING_ENTRY_WITH_LINEAR_ADDRESS) == PAGING_ENTRY_WITH_LINEAR_ADDRESS) {
            bits |= EptAccess.READ | EptAccess.WRITE;
        }
        return bits;
    }

    private boolean leaf(long gpa, int access, int level, long entry, long allowed, EptWalkResult out) {
        int need = effectiveAccess(access);
        // SDM "EPT Violations": the access is a read/write/fetch and the matching bit was clear
        // in any of the entries used. With mode-based execute control a fetch from a user-mode
        // linear address checks bit 10 and one from a supervisor-mode address checks bit 2.
        long executeBit = modeBasedExecute && (access & EptAccess.USER_MODE_LINEAR) != 0
                ? EptEntry.USER_EXECUTE : EptEntry.EXECUTE;
        if (((need & EptAccess.READ) != 0 && (allowed & EptEntry.READ) == 0)
                || ((need & EptAccess.WRITE) != 0 && (allowed & EptEntry.WRITE) == 0)
                || ((need & EptAccess.FETCH) != 0 && (allowed & executeBit) == 0)) {
            return violation(access, allowed, entry, out);
        }
        if (accessedDirty && !updateAccessedDirty(gpa, level, (need & EptAccess.WRITE) != 0, out)) {
            out.pmlLogFull();
            return false;
        }
        long pageMask = (1L << EptEntry.indexShift(level)) - 1;
        long hpa = (entry & EptEntry.ADDRESS_MASK & ~pageMask) | (gpa & pageMask);
        // SDM "Memory Type Used for Translated Guest-Physical Addresses": the EPT memory type is
        // bits 5:3 of the last entry, bit 6 is "ignore PAT".
        MemoryType type = MemoryType.fromEncoding(
                (int) ((entry & EptEntry.MEMORY_TYPE_MASK) >>> EptEntry.MEMORY_TYPE_SHIFT));
        out.translated(hpa, modeBasedExecute ? allowed : allowed & ~EptEntry.USER_EXECUTE, type,
                (entry & EptEntry.IGNORE_PAT) != 0);
        return true;
    }

    /**
     * SDM "Accessed and Dirty Flags for EPT": sets the accessed flag of every entry used and, for
     * a write, the dirty flag of the leaf. SDM "Page-Modification Logging": if any flag must
     * change and the log is full, nothing is set and the access does not occur.
     *
     * <p>MANUAL: flags are set only for accesses that translate; the SDM does not say whether a
     * walk ending in an EPT violation sets accessed flags, and software cannot rely on it.
     */
    private boolean updateAccessedDirty(long gpa, int leafLevel, boolean write, EptWalkResult out) {
        boolean setDirty = write && (out.entryValue(leafLevel) & EptEntry.DIRTY) == 0;
        boolean change = setDirty;
        for (int level = levels; level >= leafLevel && !change; level--) {
            change = (out.entryValue(level) & EptEntry.ACCESSED) == 0;
        }
        if (!change) {
            return true;
        }
        if (pml != null && pml.isFull()) {
            return false;
        }
        for (int level = levels; level >= leafLevel; level--) {
            long flags = level == leafLevel && setDirty
                    ? EptEntry.ACCESSED | EptEntry.DIRTY : EptEntry.ACCESSED;
            if ((out.entryValue(level) & flags) != flags) {
                // Re-read: two levels may share one entry when tables alias.
                long address = out.entryAddress(level);
                long current = memory.read64(address);
                if ((current & flags) != flags) {
                    memory.write64(address, current | flags);
                }
            }
        }
        if (setDirty && pml != null) {
            pml.log(gpa & ~0xFFFL);
        }
        return true;
    }

    /** Fills in an EPT violation; {@code entry} is the entry whose bit 63 decides #VE. */
    private boolean violation(int access, long allowed, long entry, EptWalkResult out) {
        long q = effectiveAccess(access);
        // SDM "Exit Qualification for EPT Violations": bits 3-5 are the AND of bits 0-2 of the
        // entries used; bit 6 the AND of bit 10 when mode-based execute control is 1.
        q |= (allowed & EptEntry.PERMISSION_MASK) << 3;
        if (modeBasedExecute && (allowed & EptEntry.USER_EXECUTE) != 0) {
            q |= EptViolationQualification.USER_EXECUTABLE;
        }
        if ((access & EptAccess.LINEAR_ADDRESS_VALID) != 0) {
            q |= EptViolationQualification.LINEAR_ADDRESS_VALID;
            if ((access & EptAccess.GUEST_PAGING_ENTRY) == 0) {
                q |= EptViolationQualification.LINEAR_TRANSLATION;
                // Bits 9-11 only with advanced VM-exit information for EPT violations.
                // MANUAL: where the SDM says "undefined" we store 0.
                if (advancedInfo) {
                    q |= access & ADVANCED_INFO_ACCESS_BITS;
                }
            }
        }
        // SDM "Convertible EPT Violations": with "EPT-violation #VE" = 1 the violation converts
        // only if bit 63 ("suppress #VE") is 0 in the not-present entry or in the entry that
        // maps the page.
        boolean convertible = violationVe && (entry & EptEntry.SUPPRESS_VE) == 0;
        out.violation(q, modeBasedExecute ? allowed : allowed & ~EptEntry.USER_EXECUTE, convertible);
        return false;
    }
}
