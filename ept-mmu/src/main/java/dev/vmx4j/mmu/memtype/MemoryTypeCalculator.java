package dev.vmx4j.mmu.memtype;

import static dev.vmx4j.mmu.MemoryType.UC;
import static dev.vmx4j.mmu.MemoryType.UC_MINUS;
import static dev.vmx4j.mmu.MemoryType.WB;
import static dev.vmx4j.mmu.MemoryType.WC;
import static dev.vmx4j.mmu.MemoryType.WP;
import static dev.vmx4j.mmu.MemoryType.WT;

import dev.vmx4j.mmu.MemoryType;

/**
 * Answers "which memory type does this access get, and why".
 *
 * <p>Without EPT (SDM "Selecting Memory Types for Pentium III and More Recent Processor
 * Families"): CR0.CD = 1 gives UC; otherwise the MTRR type of the physical address combined
 * with the PAT entry selected by PAT/PCD/PWT through table "Effective Page-Level Memory Types";
 * with paging off the PAT plays no part (same as PAT type WB).
 *
 * <p>With EPT (SDM "Memory Type Used for Translated Guest-Physical Addresses"): CR0.CD = 1 gives
 * UC; otherwise IPAT = 1 gives the EPT type; IPAT = 0 combines the EPT type with the PAT type by
 * the same table, the EPT type in the MTRR role. The MTRRs have no effect.
 *
 * <p>The {@link Pat} is the current IA32_PAT value (the guest's while the guest runs). The
 * {@code type*} methods are allocation-free; the {@code explain*} methods build a
 * {@link MemoryTypeResult}.
 *
 * <p>DEVIATION: vmx4j models no caches. CR0.CD = 1 without EPT is "no-fill" mode on hardware
 * (existing lines still hit); we report UC, which is what an access that misses sees.
 */
public final class MemoryTypeCalculator {

    /** [MTRR or EPT encoding][PAT encoding]; null where the MTRR side cannot hold the type. */
    private static final MemoryType[][] TABLE = new MemoryType[8][8];

    static {
        // SDM table "Effective Page-Level Memory Types for Pentium III and More Recent Processor
        // Families". Columns, in SDM order, are the PAT entry value: UC, UC-, WC, WT, WB, WP.
        row(UC, UC, UC, WC, UC, UC, UC);
        row(WC, UC, WC, WC, UC, WC, UC);
        row(WT, UC, UC, WC, WT, WT, WP);
        row(WB, UC, UC, WC, WT, WB, WP);
        row(WP, UC, WC, WC, WT, WP, WP);
    }

    private static void row(MemoryType mtrr, MemoryType uc, MemoryType ucMinus, MemoryType wc,
            MemoryType wt, MemoryType wb, MemoryType wp) {
        MemoryType[] r = TABLE[mtrr.encoding()];
        r[UC.encoding()] = uc;
        r[UC_MINUS.encoding()] = ucMinus;
        r[WC.encoding()] = wc;
        r[WT.encoding()] = wt;
        r[WB.encoding()] = wb;
        r[WP.encoding()] = wp;
    }

    private final Mtrrs mtrrs;
    private final Pat pat;

    public MemoryTypeCalculator(Mtrrs mtrrs, Pat pat) {
        if (mtrrs == null || pat == null) {
            throw new IllegalArgumentException("mtrrs and pat must not be null");
        }
        this.mtrrs = mtrrs;
        this.pat = pat;
    }

    public Mtrrs mtrrs() {
        return mtrrs;
    }

    public Pat pat() {
        return pat;
    }

    /**
     * The table "Effective Page-Level Memory Types": {@code mtrr} (or the EPT type) is UC, WC,
     * WT, WP or WB; {@code patType} any of the six PAT types.
     */
    public static MemoryType effectivePageLevelType(MemoryType mtrr, MemoryType patType) {
        if (mtrr == null || mtrr == UC_MINUS) {
            throw new IllegalArgumentException("mtrr must be UC, WC, WT, WP or WB: " + mtrr);
        }
        if (patType == null) {
            throw new IllegalArgumentException("patType must not be null");
        }
        return TABLE[mtrr.encoding()][patType.encoding()];
    }

    /**
     * Effective type of a physical access without EPT.
     *
     * @param patIndex      0..7 (from {@link Pat#index}), or -1 when CR0.PG = 0
     * @param cacheDisabled CR0.CD
     */
    public MemoryType type(long physicalAddress, int patIndex, boolean cacheDisabled) {
        checkPatIndex(patIndex);
        if (cacheDisabled) {
            return UC;
        }
        MemoryType mtrr = mtrrs.typeOf(physicalAddress);
        return patIndex < 0 ? mtrr : TABLE[mtrr.encoding()][pat.entry(patIndex).encoding()];
    }

    /**
     * Effective type of a guest access translated by EPT.
     *
     * @param eptType       the EPT leaf memory type (UC, WC, WT, WP, WB)
     * @param ignorePat     the EPT leaf IPAT bit
     * @param patIndex      0..7, or -1 when guest CR0.PG = 0 (PAT type WB)
     * @param cacheDisabled guest CR0.CD
     */
    public MemoryType guestType(MemoryType eptType, boolean ignorePat, int patIndex, boolean cacheDisabled) {
        checkEptType(eptType);
        checkPatIndex(patIndex);
        // SDM "Memory Type Used for Translated Guest-Physical Addresses": "If CR0.CD = 1, the
        // effective memory type is UC."
        if (cacheDisabled) {
            return UC;
        }
        // "If the value is 1, the memory type used for the access is the EPT memory type."
        if (ignorePat) {
            return eptType;
        }
        // "If the value is 0, the effective memory type is the combination of the EPT memory type
        // and the PAT memory type ..., using the EPT memory type in place of the MTRR memory type."
        MemoryType patType = patIndex < 0 ? WB : pat.entry(patIndex);
        return TABLE[eptType.encoding()][patType.encoding()];
    }

    /**
     * Memory type of the processor's own accesses to the EPT paging structures. SDM "Memory
     * Type Used for Accessing EPT Paging Structures": UC if CR0.CD = 1, else the EPTP's bits
     * 2:0 (UC or WB after VM entry validated it); the MTRRs have no effect.
     */
    public static MemoryType eptPagingStructureType(long eptp, boolean cacheDisabled) {
        if (cacheDisabled) {
            return UC;
        }
        MemoryType type = MemoryType.fromEncoding((int) (eptp & 7));
        if (type == null || type == UC_MINUS) {
            throw new IllegalArgumentException("EPTP memory type must be valid (validate the EPTP first): "
                    + (eptp & 7));
        }
        return type;
    }

    /** {@link #type} with the reasons. */
    public MemoryTypeResult explain(long physicalAddress, int patIndex, boolean cacheDisabled) {
        checkPatIndex(patIndex);
        if (cacheDisabled) {
            return new MemoryTypeResult(UC, MemoryTypeRule.CACHE_DISABLED, null, patIndex, null, null, false);
        }
        MtrrMatch match = mtrrs.match(physicalAddress);
        if (patIndex < 0) {
            return new MemoryTypeResult(match.type(), MemoryTypeRule.MTRR_PAGING_DISABLED, match, -1,
                    WB, null, false);
        }
        MemoryType patType = pat.entry(patIndex);
        return new MemoryTypeResult(TABLE[match.type().encoding()][patType.encoding()],
                MemoryTypeRule.MTRR_AND_PAT, match, patIndex, patType, null, false);
    }

    /** {@link #guestType} with the reasons. */
    public MemoryTypeResult explainGuest(MemoryType eptType, boolean ignorePat, int patIndex, boolean cacheDisabled) {
        MemoryType type = guestType(eptType, ignorePat, patIndex, cacheDisabled);
        if (cacheDisabled) {
            return new MemoryTypeResult(type, MemoryTypeRule.EPT_CACHE_DISABLED, null, patIndex, null,
                    eptType, ignorePat);
        }
        if (ignorePat) {
            return new MemoryTypeResult(type, MemoryTypeRule.EPT_IGNORE_PAT, null, patIndex, null,
                    eptType, true);
        }
        MemoryType patType = patIndex < 0 ? WB : pat.entry(patIndex);
        return new MemoryTypeResult(type, MemoryTypeRule.EPT_AND_PAT, null, patIndex, patType, eptType, false);
    }

    private static void checkPatIndex(int patIndex) {
        if (patIndex < -1 || patIndex > 7) {
            throw new IllegalArgumentException("patIndex must be -1 (paging off) or 0..7: " + patIndex);
        }
    }

    private static void checkEptType(MemoryType eptType) {
        if (eptType == null || eptType == UC_MINUS) {
            throw new IllegalArgumentException("eptType must be UC, WC, WT, WP or WB: " + eptType);
        }
    }
}
