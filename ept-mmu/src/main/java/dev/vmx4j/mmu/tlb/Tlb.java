package dev.vmx4j.mmu.tlb;

import dev.vmx4j.mmu.paging.PagingState;
import dev.vmx4j.mmu.paging.WalkResult;

/**
 * A translation lookaside buffer: caches successful linear-address translations tagged by PCID,
 * VPID and (for combined mappings under EPT) EP4TA, and implements the invalidation rules of SDM
 * "Operations that Invalidate TLBs and Paging-Structure Caches" and, for VMX, SDM "Operations
 * that Invalidate Cached Mappings".
 *
 * <p>An entry caches the translation and the permission summary of the walk (R/W, U/S and XD
 * over all levels, protection key, dirty flag), never an access decision: access rights are
 * re-checked on every hit with the current CR0.WP, CR4.SMEP/SMAP/PKE/PKS, PKRU, PKRS and CPL
 * ({@code PageWalker.checkAccess}). So changing those never makes a cached entry wrong, and they
 * need no invalidation here. Large pages are cached as one entry per 4-KByte slice that was
 * used; invalidating any address of a large page removes every slice of it.
 *
 * <p>{@code new Tlb(0)} (or {@link #disabled()}) is the reference mode: every lookup misses,
 * so every access walks the paging structures. The TLB is 4-way set-associative with
 * round-robin replacement per set, so its contents are deterministic.
 */
public final class Tlb {

    /** The tag of a linear mapping (EPT not in use). */
    public static final long NO_EPT = -1L;

    public static final int WAYS = 4;

    // PERF: parallel primitive arrays; flags packed in an int; no allocation per lookup.
    private static final int VALID = 1;
    private static final int WRITABLE = 1 << 1;
    private static final int USER = 1 << 2;
    private static final int EXECUTABLE = 1 << 3;
    private static final int GLOBAL = 1 << 4;
    private static final int DIRTY = 1 << 5;
    private static final int PAT_SHIFT = 8;
    private static final int PK_SHIFT = 12;
    private static final int SIZE_SHIFT = 16;

    private static final long[] SIZES = {WalkResult.PAGE_4K, WalkResult.PAGE_2M, WalkResult.PAGE_4M, WalkResult.PAGE_1G};

    private final int setMask;
    private final long[] pageNumber;
    private final long[] frameBase;
    private final long[] ept;
    private final int[] pcid;
    private final int[] vpid;
    private final int[] flags;
    private final byte[] victim;

    /**
     * @param entries number of entries: 0 for the reference mode, else a power of two of at
     *     least {@link #WAYS}
     */
    public Tlb(int entries) {
        if (entries != 0 && (entries < WAYS || Integer.bitCount(entries) != 1 || entries > (1 << 20))) {
            throw new IllegalArgumentException("entries " + entries + " must be 0 or a power of two in 4..1048576");
        }
        int sets = entries / WAYS;
        setMask = sets - 1;
        pageNumber = new long[entries];
        frameBase = new long[entries];
        ept = new long[entries];
        pcid = new int[entries];
        vpid = new int[entries];
        flags = new int[entries];
        victim = new byte[sets];
    }

    /** The reference configuration: a TLB that caches nothing. */
    public static Tlb disabled() {
        return new Tlb(0);
    }

    /** False in the reference mode. */
    public boolean enabled() {
        return flags.length != 0;
    }

    /** The EP4TA tag of an EPTP: bits 51:12 (SDM "Extended-Page-Table Pointer (EPTP)"). */
    public static long ep4ta(long eptp) {
        return eptp & 0x000F_FFFF_FFFF_F000L;
    }

    private int setBase(long page) {
        // PERF: Fibonacci hashing (multiply by 2^64/phi, keep the high bits) spreads both
        // consecutive pages and power-of-two strides over the sets; a plain low-bit index sent
        // every page of a 256 KiB stride to one set.
        return ((int) ((page * 0x9E3779B97F4A7C15L) >>> 40) & setMask) * WAYS;
    }

    /**
     * Looks up a cached translation of {@code linear} usable for the current PCID, VPID and EPT
     * tag, filling {@code out} (translation and permission summary; access rights unchecked).
     *
     * <p>SDM "Global Pages" / "Details of TLB Use": a global entry may be used whatever the
     * current PCID.
     *
     * @return true on a hit
     */
    public boolean lookup(long linear, int currentPcid, int currentVpid, long eptTag, boolean write,
            WalkResult out) {
        if (setMask < 0) {
            return false;
        }
        long page = linear >>> 12;
        int base = setBase(page);
        for (int i = base; i < base + WAYS; i++) {
            int f = flags[i];
            if ((f & VALID) != 0 && pageNumber[i] == page && vpid[i] == currentVpid && ept[i] == eptTag
                    && (pcid[i] == currentPcid || (f & GLOBAL) != 0)) {
                if (write && (f & DIRTY) == 0) {
                    // MANUAL: a write through an entry whose cached dirty flag is 0 is treated as
                    // a miss, so the walk sets D in memory (as processors do: SDM "Accessed and
                    // Dirty Flags" requires D set on every write to the page).
                    return false;
                }
                long size = SIZES[(f >>> SIZE_SHIFT) & 3];
                out.reset();
                out.pageSize = size;
                out.frameBase = frameBase[i];
                out.physicalAddress = frameBase[i] | (linear & (size - 1));
                out.writable = (f & WRITABLE) != 0;
                out.user = (f & USER) != 0;
                out.executable = (f & EXECUTABLE) != 0;
                out.global = (f & GLOBAL) != 0;
                out.dirty = (f & DIRTY) != 0;
                out.patIndex = (f >>> PAT_SHIFT) & 7;
                out.protectionKey = (f >>> PK_SHIFT) & 0xF;
                return true;
            }
        }
        return false;
    }

    /**
     * Caches a successful translation {@code r} of {@code linear}. Faulting results are ignored:
     * SDM "Caching Translations in TLBs": only translations without a page fault are cached.
     */
    public void insert(long linear, int currentPcid, int currentVpid, long eptTag, WalkResult r) {
        if (setMask < 0 || r.faulted) {
            return;
        }
        long page = linear >>> 12;
        int base = setBase(page);
        int slot = -1;
        for (int i = base; i < base + WAYS; i++) {
            // Replace the entry a lookup would find (same PCID, or a global one), so that a
            // re-walk after a write through a clean entry does not leave a clean duplicate.
            if ((flags[i] & VALID) != 0 && pageNumber[i] == page && vpid[i] == currentVpid && ept[i] == eptTag
                    && (pcid[i] == currentPcid || (flags[i] & GLOBAL) != 0)) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            for (int i = base; i < base + WAYS; i++) {
                if ((flags[i] & VALID) == 0) {
                    slot = i;
                    break;
                }
            }
        }
        if (slot < 0) {
            int set = base / WAYS;
            slot = base + victim[set];
            victim[set] = (byte) ((victim[set] + 1) & (WAYS - 1));
        }
        pageNumber[slot] = page;
        frameBase[slot] = r.frameBase;
        ept[slot] = eptTag;
        pcid[slot] = currentPcid;
        vpid[slot] = currentVpid;
        flags[slot] = VALID
                | (r.writable ? WRITABLE : 0)
                | (r.user ? USER : 0)
                | (r.executable ? EXECUTABLE : 0)
                | (r.global ? GLOBAL : 0)
                | (r.dirty ? DIRTY : 0)
                | (r.patIndex & 7) << PAT_SHIFT
                | (r.protectionKey & 0xF) << PK_SHIFT
                | sizeCode(r.pageSize) << SIZE_SHIFT;
    }

    private static int sizeCode(long size) {
        if (size == WalkResult.PAGE_4K) {
            return 0;
        }
        if (size == WalkResult.PAGE_2M) {
            return 1;
        }
        if (size == WalkResult.PAGE_4M) {
            return 2;
        }
        if (size == WalkResult.PAGE_1G) {
            return 3;
        }
        throw new IllegalArgumentException("page size 0x" + Long.toHexString(size) + " is not 4K, 2M, 4M or 1G");
    }

    /** Number of valid entries (for tests and statistics). */
    public int size() {
        int n = 0;
        for (int f : flags) {
            n += f & VALID;
        }
        return n;
    }

    // ---- selective invalidation (one scan over all entries; invalidation is rare) ----

    private static final int ANY = Integer.MIN_VALUE;
    private static final long ANY_EPT = Long.MIN_VALUE;

    private boolean coversPage(int i, long page) {
        long pages = SIZES[(flags[i] >>> SIZE_SHIFT) & 3] >>> 12;
        return ((pageNumber[i] ^ page) & ~(pages - 1)) == 0;
    }

    /**
     * Invalidates entries matching every given criterion.
     *
     * @param page linear page number (linear >>> 12) whose page must be covered, or -1 for any
     * @param pcidMatch PCID, or ANY
     * @param globalToo also entries for global pages (else they are kept)
     * @param globalsOfAnyPcid global entries match whatever their PCID
     * @param vpidMatch VPID, or ANY
     * @param vpidZeroToo whether VPID 0 entries may match when vpidMatch is ANY
     * @param eptMatch EPT tag, or ANY_EPT; {@link #NO_EPT} entries never match a real EP4TA
     * @param combinedOnly only combined mappings (EPT tag != NO_EPT)
     */
    private void invalidate(long page, int pcidMatch, boolean globalToo, boolean globalsOfAnyPcid, int vpidMatch,
            boolean vpidZeroToo, long eptMatch, boolean combinedOnly) {
        for (int i = 0; i < flags.length; i++) {
            int f = flags[i];
            if ((f & VALID) == 0) {
                continue;
            }
            boolean global = (f & GLOBAL) != 0;
            if (global && !globalToo) {
                continue;
            }
            if (pcidMatch != ANY && pcid[i] != pcidMatch && !(global && globalsOfAnyPcid)) {
                continue;
            }
            if (vpidMatch != ANY ? vpid[i] != vpidMatch : (!vpidZeroToo && vpid[i] == 0)) {
                continue;
            }
            if (eptMatch != ANY_EPT && ept[i] != eptMatch) {
                continue;
            }
            if (combinedOnly && ept[i] == NO_EPT) {
                continue;
            }
            if (page != -1 && !coversPage(i, page)) {
                continue;
            }
            flags[i] = 0;
        }
    }

    /**
     * INVLPG. SDM "Operations that Invalidate TLBs and Paging-Structure Caches": "invalidates any
     * TLB entries that are for a page number corresponding to the linear address and that are
     * associated with the current PCID. It also invalidates any global TLB entries with that page
     * number, regardless of PCID." SDM "Operations that Invalidate Cached Mappings": only the
     * current VPID's mappings.
     * MANUAL: combined mappings for every EP4TA of the VPID are dropped (the SDM lets a
     * processor invalidate more than required; we do not track which EP4TA is current here).
     */
    public void invlpg(long linear, int currentPcid, int currentVpid) {
        invalidate(linear >>> 12, currentPcid, true, true, currentVpid, true, ANY_EPT, false);
    }

    /**
     * The invalidation a page fault performs. SDM "Operations that Invalidate TLBs and
     * Paging-Structure Caches": "a page-fault exception resulting from an attempt to use a linear
     * address will invalidate any TLB entries that are for a page number corresponding to that
     * linear address and that are associated with the current PCID."
     * MANUAL: global entries for that page are dropped too (as INVLPG does), so a spurious fault
     * from a stale global entry cannot repeat forever.
     */
    public void invalidateOnPageFault(long linear, int currentPcid, int currentVpid) {
        invlpg(linear, currentPcid, currentVpid);
    }

    /**
     * INVPCID with a valid type (0..3) and descriptor; the caller raises #GP for a bad type,
     * reserved descriptor bits or a non-canonical address (type 0).
     *
     * <ul>
     *   <li>0 individual-address: mappings, except global translations, for the linear address
     *       and PCID. MANUAL: global translations are kept (the SDM says "in some cases" they may
     *       also be invalidated; we never do).</li>
     *   <li>1 single-context: all mappings, except global translations, for the PCID.</li>
     *   <li>2 all-context including globals: all mappings of any PCID.</li>
     *   <li>3 all-context: all mappings except global translations, any PCID.</li>
     * </ul>
     * All types act only on the current VPID (SDM "Operations that Invalidate Cached Mappings").
     */
    public void invpcid(int type, int pcidOperand, long linear, int currentVpid) {
        switch (type) {
            case 0:
                invalidate(linear >>> 12, pcidOperand, false, false, currentVpid, true, ANY_EPT, false);
                break;
            case 1:
                invalidate(-1, pcidOperand, false, false, currentVpid, true, ANY_EPT, false);
                break;
            case 2:
                invalidate(-1, ANY, true, true, currentVpid, true, ANY_EPT, false);
                break;
            case 3:
                invalidate(-1, ANY, false, false, currentVpid, true, ANY_EPT, false);
                break;
            default:
                throw new IllegalArgumentException("INVPCID type " + type + " outside 0..3 (the caller raises #GP)");
        }
    }

    /**
     * MOV to CR3 with {@code newCr3} as source, {@code cr4} the current CR4. SDM "Operations that
     * Invalidate TLBs and Paging-Structure Caches": with CR4.PCIDE = 0, invalidates all entries
     * for PCID 000H except global ones; with CR4.PCIDE = 1 and source bit 63 = 0, all entries for
     * the PCID in source bits 11:0 except global ones; with bit 63 = 1 "the instruction is not
     * required to invalidate any TLB entries".
     * MANUAL: with bit 63 = 1 we invalidate nothing (what processors do; it is the point of the
     * bit). The caller clears bit 63 before storing CR3.
     */
    public void movToCr3(long newCr3, long cr4, int currentVpid) {
        if ((cr4 & PagingState.CR4_PCIDE) == 0) {
            invalidate(-1, 0, false, false, currentVpid, true, ANY_EPT, false);
        } else if ((newCr3 & PagingState.CR3_PCID_NO_FLUSH) == 0) {
            invalidate(-1, (int) (newCr3 & 0xFFF), false, false, currentVpid, true, ANY_EPT, false);
        }
    }

    /**
     * MOV to CR0. SDM "Operations that Invalidate TLBs and Paging-Structure Caches": invalidates
     * all entries, including global ones, for all PCIDs, if it changes CR0.PG from 1 to 0.
     * MANUAL: a change of CR0.WP invalidates nothing: entries cache no access decision (rights
     * are re-checked with the current WP on every hit), so no stale permission can be used.
     */
    public void movToCr0(long oldCr0, long newCr0, int currentVpid) {
        if ((oldCr0 & PagingState.CR0_PG) != 0 && (newCr0 & PagingState.CR0_PG) == 0) {
            invalidate(-1, ANY, true, true, currentVpid, true, ANY_EPT, false);
        }
    }

    /**
     * MOV to CR4. SDM "Operations that Invalidate TLBs and Paging-Structure Caches": invalidates
     * all entries, including global ones, for all PCIDs if it changes CR4.PGE or changes CR4.PCIDE
     * from 1 to 0; invalidates all entries for the current PCID if it changes CR4.PAE or changes
     * CR4.SMEP from 0 to 1.
     * MANUAL: for the current-PCID case we also drop global entries (usable by the current PCID)
     * and we treat a change of CR4.PSE like a change of CR4.PAE (a cached 4-MByte translation must
     * not outlive the PSE setting that produced it). Changes of SMAP, PKE, PKS and SMEP 1 to 0
     * need nothing: rights are re-checked on every hit.
     */
    public void movToCr4(long oldCr4, long newCr4, int currentPcid, int currentVpid) {
        long changed = oldCr4 ^ newCr4;
        boolean pcideCleared = (oldCr4 & PagingState.CR4_PCIDE) != 0 && (newCr4 & PagingState.CR4_PCIDE) == 0;
        if ((changed & PagingState.CR4_PGE) != 0 || pcideCleared) {
            invalidate(-1, ANY, true, true, currentVpid, true, ANY_EPT, false);
            return;
        }
        boolean smepSet = (changed & newCr4 & PagingState.CR4_SMEP) != 0;
        if ((changed & (PagingState.CR4_PAE | PagingState.CR4_PSE)) != 0 || smepSet) {
            invalidate(-1, currentPcid, true, true, currentVpid, true, ANY_EPT, false);
        }
    }

    // ---- VPID-tagged helpers (INVVPID, VMX transitions) ----

    /** INVVPID type 0 (individual-address): mappings of the VPID for the page, global or not. */
    public void invalidateVpidAddress(int vpidOperand, long linear) {
        invalidate(linear >>> 12, ANY, true, true, vpidOperand, true, ANY_EPT, false);
    }

    /** INVVPID type 1 (single-context): all mappings of the VPID. */
    public void invalidateVpid(int vpidOperand) {
        invalidate(-1, ANY, true, true, vpidOperand, true, ANY_EPT, false);
    }

    /** INVVPID type 2 (all-context): all mappings of every VPID except VPID 0000H. */
    public void invalidateAllVpidsExceptZero() {
        invalidate(-1, ANY, true, true, ANY, false, ANY_EPT, false);
    }

    /** INVVPID type 3 (single-context retaining globals): the VPID's non-global mappings. */
    public void invalidateVpidNonGlobal(int vpidOperand) {
        invalidate(-1, ANY, false, false, vpidOperand, true, ANY_EPT, false);
    }

    // ---- EPT-tagged helpers (INVEPT) ----

    /** INVEPT type 1 (single-context): combined mappings for the EP4TA, every VPID and PCID. */
    public void invalidateEp4ta(long ep4ta) {
        invalidate(-1, ANY, true, true, ANY, true, ep4ta, true);
    }

    /** INVEPT type 2 (all-context): combined mappings for every EP4TA. */
    public void invalidateAllCombined() {
        invalidate(-1, ANY, true, true, ANY, true, ANY_EPT, true);
    }

    /** Drops every entry (e.g. on RESET/INIT). */
    public void invalidateAll() {
        java.util.Arrays.fill(flags, 0);
    }
}
