package dev.vmx4j.core.cpu;

/**
 * The software TLB's tagged contexts (SDM "Information That May Be Cached": linear mappings are
 * tagged by VPID and PCID, combined mappings by VPID, PCID and EP4TA). A small pool of
 * {@link TlbContext}s, one per (VPID, PCID, EP4TA) seen recently; VM entry and exit and MOV to
 * CR3 select one instead of flushing, and the invalidation operations drop exactly the contexts,
 * pages or non-global entries they name (SDM "Invalidation of TLBs and Paging-Structure Caches",
 * "Operations that Invalidate Cached Mappings").
 *
 * <p>MANUAL: a global translation is cached in the context of the PCID that made it, not shared
 * with the other PCIDs of its VPID (each PCID walks for it once): the SDM lets a processor
 * cache any translation or not. When the pool is full the least recently made context is reused
 * after a flush (hardware may drop cached translations at any time). A flush is a new
 * generation number ({@link TlbContext}), so flushing every context costs little.
 */
final class TlbContexts {

    /** PERF: sixteen contexts: the host's PCIDs plus a few guests; made on first use, reused after. */
    static final int SLOTS = 16;

    private final TlbContext[] slots = new TlbContext[SLOTS];
    private int used;
    private int victim;
    private TlbContext current;

    TlbContexts() {
        slots[0] = new TlbContext();
        used = 1;
        current = slots[0];
    }

    TlbContext current() {
        return current;
    }

    /** Makes the context tagged ({@code vpid}, {@code pcid}, {@code ep4ta}) current, reusing a slot if needed. */
    TlbContext select(int vpid, int pcid, long ep4ta) {
        TlbContext c = current;
        if (!c.isFor(vpid, pcid, ep4ta)) {
            c = find(vpid, pcid, ep4ta);
        }
        current = c;
        return c;
    }

    private TlbContext find(int vpid, int pcid, long ep4ta) {
        TlbContext c = existing(vpid, pcid, ep4ta);
        if (c != null) {
            return c;
        }
        if (used < SLOTS) {
            c = new TlbContext();
            slots[used++] = c;
        } else {
            if (slots[victim] == current) {
                victim = (victim + 1) % SLOTS;
            }
            c = slots[victim];
            victim = (victim + 1) % SLOTS;
            c.flush();
        }
        c.vpid = vpid;
        c.pcid = pcid;
        c.ep4ta = ep4ta;
        return c;
    }

    void flushAll() {
        for (int i = 0; i < used; i++) {
            slots[i].flush();
        }
    }

    /** Every mapping tagged with {@code vpid} (all PCIDs, all EP4TAs, global ones included). */
    void flushVpid(int vpid) {
        flushVpidExcept(vpid, null);
    }

    /** The context tagged ({@code vpid}, {@code pcid}, {@code ep4ta}) if there is one, else null (nothing is made). */
    TlbContext existing(int vpid, int pcid, long ep4ta) {
        for (int i = 0; i < used; i++) {
            if (slots[i].isFor(vpid, pcid, ep4ta)) {
                return slots[i];
            }
        }
        return null;
    }

    /** As {@link #flushVpid}, except for {@code kept} (null: none). */
    void flushVpidExcept(int vpid, TlbContext kept) {
        for (int i = 0; i < used; i++) {
            if (slots[i].vpid == vpid && slots[i] != kept) {
                slots[i].flush();
            }
        }
    }

    /** Every non-global mapping tagged with {@code vpid} (INVVPID single-context retaining globals, INVPCID type 3). */
    void flushVpidNonGlobal(int vpid) {
        for (int i = 0; i < used; i++) {
            TlbContext c = slots[i];
            if (c.vpid == vpid) {
                c.flushNonGlobal();
            }
        }
    }

    /** Every non-global mapping of ({@code vpid}, {@code pcid}) for every EP4TA (MOV to CR3, INVPCID type 1). */
    void flushPcidNonGlobal(int vpid, int pcid) {
        for (int i = 0; i < used; i++) {
            TlbContext c = slots[i];
            if (c.vpid == vpid && c.pcid == pcid) {
                c.flushNonGlobal();
            }
        }
    }

    /** Every VPID other than 0000H (INVVPID all-context). */
    void flushAllButVpid0() {
        for (int i = 0; i < used; i++) {
            if (slots[i].vpid != 0) {
                slots[i].flush();
            }
        }
    }

    /** The mappings of {@code vpid} for the page holding {@code linear}, every PCID, globals included (INVVPID type 0). */
    void flushPage(int vpid, long linear) {
        long vpn = linear >>> 12;
        for (int i = 0; i < used; i++) {
            TlbContext c = slots[i];
            if (c.vpid == vpid) {
                c.flushPage(vpn, TlbContext.ALL);
            }
        }
    }

    /**
     * INVLPG (and a page fault): the page's mappings of ({@code vpid}, {@code pcid}) and, for
     * INVLPG, its global mappings under every other PCID of the VPID; every EP4TA.
     */
    void flushPageForPcid(int vpid, int pcid, long linear, boolean globalsOfOtherPcids) {
        long vpn = linear >>> 12;
        for (int i = 0; i < used; i++) {
            TlbContext c = slots[i];
            if (c.vpid != vpid) {
                continue;
            }
            if (c.pcid == pcid) {
                c.flushPage(vpn, TlbContext.ALL);
            } else if (globalsOfOtherPcids) {
                c.flushPage(vpn, TlbContext.GLOBAL_ONLY);
            }
        }
    }

    /** INVPCID type 0: the non-global mappings of ({@code vpid}, {@code pcid}) for the page, every EP4TA. */
    void flushPageNonGlobal(int vpid, int pcid, long linear) {
        long vpn = linear >>> 12;
        for (int i = 0; i < used; i++) {
            TlbContext c = slots[i];
            if (c.vpid == vpid && c.pcid == pcid) {
                c.flushPage(vpn, TlbContext.NON_GLOBAL_ONLY);
            }
        }
    }

    /** Combined mappings derived from EP4TA {@code ep4ta}, for every VPID and PCID. */
    void flushEp4ta(long ep4ta) {
        for (int i = 0; i < used; i++) {
            if (slots[i].ep4ta == ep4ta) {
                slots[i].flush();
            }
        }
    }

    /** Combined mappings of every EP4TA (linear mappings, made without EPT, are kept). */
    void flushAllEpt() {
        for (int i = 0; i < used; i++) {
            if (slots[i].ep4ta != TlbContext.NO_EPT) {
                slots[i].flush();
            }
        }
    }

    /** Drops the write entries of every context (a frame now holds decoded code). */
    void dropWrites() {
        for (int i = 0; i < used; i++) {
            slots[i].dropWrites();
        }
    }
}
