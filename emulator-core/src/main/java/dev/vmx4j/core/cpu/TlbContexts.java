package dev.vmx4j.core.cpu;

/**
 * The software TLB's tagged contexts (SDM "Information That May Be Cached": linear mappings are
 * tagged by VPID and PCID, combined mappings by VPID, PCID and EP4TA). A small pool of
 * {@link TlbContext}s, one per (VPID, EP4TA) seen recently; VM entry and exit select one instead
 * of flushing, and the invalidation instructions drop exactly the contexts (or pages) they name
 * (SDM "Invalidation of TLBs and Paging-Structure Caches").
 *
 * <p>MANUAL: PCIDs are not tagged: every operation that invalidates for the current PCID
 * invalidates for all PCIDs of the VPID, which the SDM allows ("may invalidate more"). When the
 * pool is full the least recently made context is reused after a flush (hardware may drop
 * cached translations at any time).
 */
final class TlbContexts {

    /** PERF: eight contexts: the host plus a few guests; made on first use, reused after. */
    static final int SLOTS = 8;

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

    /** Makes the context tagged ({@code vpid}, {@code ep4ta}) current, reusing a slot if needed. */
    TlbContext select(int vpid, long ep4ta) {
        TlbContext c = current;
        if (c.isFor(vpid, ep4ta)) {
            return c;
        }
        for (int i = 0; i < used; i++) {
            if (slots[i].isFor(vpid, ep4ta)) {
                current = slots[i];
                return current;
            }
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
        c.ep4ta = ep4ta;
        current = c;
        return c;
    }

    void flushAll() {
        for (int i = 0; i < used; i++) {
            slots[i].flush();
        }
    }

    /** Every mapping tagged with {@code vpid} (all PCIDs, all EP4TAs). */
    void flushVpid(int vpid) {
        for (int i = 0; i < used; i++) {
            if (slots[i].vpid == vpid) {
                slots[i].flush();
            }
        }
    }

    /** Every mapping tagged with a VPID other than 0000H (INVVPID all-context). */
    void flushAllButVpid0() {
        for (int i = 0; i < used; i++) {
            if (slots[i].vpid != 0) {
                slots[i].flush();
            }
        }
    }

    /** The mappings of {@code vpid} for the page holding {@code linear}. */
    void flushPage(int vpid, long linear) {
        long vpn = linear >>> 12;
        for (int i = 0; i < used; i++) {
            if (slots[i].vpid == vpid) {
                slots[i].flushPage(vpn);
            }
        }
    }

    /** Combined mappings derived from EP4TA {@code ep4ta}, for every VPID. */
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
