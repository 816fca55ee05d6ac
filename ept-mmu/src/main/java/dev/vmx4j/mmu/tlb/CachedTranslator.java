package dev.vmx4j.mmu.tlb;

import dev.vmx4j.mmu.paging.PageWalker;
import dev.vmx4j.mmu.paging.PagingAccess;
import dev.vmx4j.mmu.paging.PagingMode;
import dev.vmx4j.mmu.paging.PagingState;
import dev.vmx4j.mmu.paging.WalkResult;

/**
 * Linear-address translation through a {@link Tlb} in front of a {@link PageWalker}: a hit
 * re-checks access rights against the current state; a miss walks and caches the result.
 * Allocation-free; one instance per logical processor.
 */
public final class CachedTranslator {

    private final PageWalker walker;
    private final Tlb tlb;

    public CachedTranslator(PageWalker walker, Tlb tlb) {
        if (walker == null || tlb == null) {
            throw new IllegalArgumentException("walker and tlb must not be null");
        }
        this.walker = walker;
        this.tlb = tlb;
    }

    public Tlb tlb() {
        return tlb;
    }

    /**
     * Translates {@code linear} for {@code access} (bits of {@code PagingAccess}) in the current
     * VPID ({@code 0} outside VMX non-root operation or without VPID) and EPT tag
     * ({@link Tlb#NO_EPT} without EPT).
     *
     * @return true if permitted; false with {@code out.faulted} and the #PF error code
     */
    public boolean translate(PagingState s, long linear, int access, int vpid, long eptTag, WalkResult out) {
        if (s.mode() == PagingMode.NONE) {
            return walker.walk(s, linear, access, out);
        }
        int pcid = s.pcid();
        boolean write = (access & PagingAccess.WRITE) != 0;
        if (tlb.lookup(linear, pcid, vpid, eptTag, write, out)) {
            int code = PageWalker.checkAccess(s, access, out);
            if (code == 0) {
                return true;
            }
            // MANUAL: a protection fault found on a TLB hit is reported from the cached entry
            // without re-walking, as processors do (SDM "Optional Invalidation": software must
            // expect such spurious faults after increasing rights without invalidation); the
            // fault then invalidates the entry.
            tlb.invalidateOnPageFault(linear, pcid, vpid);
            out.reset();
            out.faulted = true;
            out.errorCode = code;
            return false;
        }
        if (walker.walk(s, linear, access, out)) {
            tlb.insert(linear, pcid, vpid, eptTag, out);
            return true;
        }
        tlb.invalidateOnPageFault(linear, pcid, vpid);
        return false;
    }
}
