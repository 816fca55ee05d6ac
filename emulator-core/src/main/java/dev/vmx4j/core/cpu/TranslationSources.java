package dev.vmx4j.core.cpu;

import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.mmu.paging.PageWalker;
import dev.vmx4j.mmu.paging.PagingState;

/**
 * What the cached translations of one {@link TlbContext} were derived from since its last full
 * flush: the paging-control state (CR0.PG/WP, CR3, CR4's paging bits, IA32_EFER.LME/LMA/NXE, the
 * PDPTE registers) and the paging-structure entries in RAM that their walks read, with the
 * values those walks left there (accessed and dirty flags included). {@link #unchanged} tells
 * whether a walk now would derive every cached translation again, identically and without
 * writing memory; then an invalidation of the context cannot be observed ({@link Mmu#transition}).
 *
 * <p>Exactness. SDM "Invalidation of TLBs and Paging-Structure Caches": after an invalidation a
 * translation is derived again by a walk of the paging structures under the current control
 * state (and SDM "Information That May Be Cached": a processor may cache a translation at any
 * time, before any access needs it). A walk is a function of that state and of the entries it
 * reads; it writes memory only to set an accessed or dirty flag that is clear. If the control
 * state equals the one every cached translation was made under, and every entry any of their
 * walks read still holds the value the walk left (so its A flag, and D where the walk set it,
 * are still set), a walk now reads the same entries (it reads them top-down, each chosen by the
 * previous one) and gives the same translation, rights and global bit, and writes nothing. So
 * keeping the context gives the same results, faults and memory contents as dropping it and
 * refilling on demand. The record is abandoned (and the context then always really flushed)
 * when it cannot prove this: more entries than {@link #CAPACITY}, an entry outside RAM (reading
 * it could have side effects), a translation under EPT (combined mappings also depend on the
 * EPT paging structures), CR4.SMAP, PKE or PKS (a hit does not re-check the rights those make
 * depend on the kind of access), a translator other than the page walker, a control state that
 * differs from the recorded one, or an entry seen again with a value other than the recorded
 * one plus a dirty flag the walk set.
 */
final class TranslationSources {

    /** PERF: entries remembered per context; bench-vmexit's guest and host need about a dozen. */
    static final int CAPACITY = 64;
    private static final long CR0_PAGING = PagingState.CR0_PG | PagingState.CR0_WP;
    private static final long CR4_PAGING = PagingState.CR4_PSE | PagingState.CR4_PAE | PagingState.CR4_PGE
            | PagingState.CR4_LA57 | PagingState.CR4_PCIDE | PagingState.CR4_SMEP | PagingState.CR4_SMAP
            | PagingState.CR4_PKE | PagingState.CR4_PKS;
    /** Control state whose rights a TLB hit does not re-check against the kind of access. */
    private static final long CR4_UNTRACKED = PagingState.CR4_SMAP | PagingState.CR4_PKE | PagingState.CR4_PKS;
    private static final long EFER_PAGING = PagingState.EFER_LME | PagingState.EFER_LMA | PagingState.EFER_NXE;
    /** Bit 63 of a remembered address: the entry is 32 bits wide (32-bit paging). */
    private static final long ENTRY_32 = 1L << 63;
    private static final long DIRTY = 1L << 6;

    /** PERF: an open-addressing index over the entries (slot: position + 1, 0 = free), twice their capacity. */
    private static final int SLOTS = 2 * CAPACITY;

    private final long[] address = new long[CAPACITY];
    private final long[] value = new long[CAPACITY];
    private final byte[] slot = new byte[SLOTS];
    /** The slot of each entry, so {@link #reset} frees exactly the used ones. */
    private final byte[] slotOfEntry = new byte[CAPACITY];
    private int count;
    /** False once the record cannot prove the context's translations current (until the next {@link #reset}). */
    boolean tracked = true;
    /** Whether a global translation was made (it survives {@link TlbContext#flushNonGlobal}). */
    boolean globals;
    private boolean stateSet;
    private long cr0;
    private long cr3;
    private long cr4;
    private long efer;
    private long pdpte0;
    private long pdpte1;
    private long pdpte2;
    private long pdpte3;

    /** The context holds no translation any more (a full flush). */
    void reset() {
        for (int k = 0; k < count; k++) {
            slot[slotOfEntry[k]] = 0;
        }
        count = 0;
        tracked = true;
        globals = false;
        stateSet = false;
    }

    void abandon() {
        tracked = false;
    }

    /** Entries remembered (for tests). */
    int count() {
        return count;
    }

    /**
     * Records the translation {@code t} just made for the context (call only while
     * {@link #tracked}): the control state and the entries its walk read.
     */
    void note(Cpu cpu, PageTranslator t, boolean global, GuestMemory mem) {
        if ((cpu.cr4 & CR4_UNTRACKED) != 0 || !(t instanceof WalkerTranslator)) {
            tracked = false;
            return;
        }
        WalkerTranslator w = (WalkerTranslator) t;
        if (!stateSet) {
            capture(cpu, w);
        } else if (!sameState(cpu, w)) {
            tracked = false;
            return;
        }
        globals |= global;
        if ((cpu.cr0 & Cpu.CR0_PG) == 0) {
            // SDM "Paging Modes and Control Bits": the identity translation reads no entry.
            return;
        }
        PageWalker walker = w.walker();
        long width = walker.entries32Bit() ? ENTRY_32 : 0;
        for (int i = 0, n = walker.entryCount(); i < n && tracked; i++) {
            add(walker.entryAddress(i) | width, walker.entryValue(i), mem);
        }
    }

    private void add(long entry, long v, GuestMemory mem) {
        int h = hash(entry);
        for (int k = slot[h] - 1; k >= 0; k = slot[h = (h + 1) & (SLOTS - 1)] - 1) {
            if (address[k] == entry) {
                if (value[k] != v) {
                    // A read translation made before a write set the leaf's dirty flag gives the
                    // same answer from either value; any other change means an older cached
                    // translation may be stale.
                    tracked = (value[k] | DIRTY) == v;
                    value[k] = v;
                }
                return;
            }
        }
        if (count == CAPACITY || !mem.isRam(entry & ~ENTRY_32)) {
            tracked = false;
            return;
        }
        address[count] = entry;
        value[count] = v;
        slotOfEntry[count] = (byte) h;
        count++;
        slot[h] = (byte) count;
    }

    private static int hash(long entry) {
        // Entries are 4- or 8-byte aligned; Fibonacci hashing spreads neighbouring entries.
        return (int) ((entry >>> 2) * 0x9E3779B97F4A7C15L >>> 57) & (SLOTS - 1);
    }

    private void capture(Cpu cpu, WalkerTranslator w) {
        cr0 = cpu.cr0 & CR0_PAGING;
        cr3 = cpu.cr3;
        cr4 = cpu.cr4 & CR4_PAGING;
        efer = cpu.efer & EFER_PAGING;
        pdpte0 = w.pdpte(0);
        pdpte1 = w.pdpte(1);
        pdpte2 = w.pdpte(2);
        pdpte3 = w.pdpte(3);
        stateSet = true;
    }

    private boolean sameState(Cpu cpu, WalkerTranslator w) {
        return cr0 == (cpu.cr0 & CR0_PAGING) && cr3 == cpu.cr3 && cr4 == (cpu.cr4 & CR4_PAGING)
                && efer == (cpu.efer & EFER_PAGING) && pdpte0 == w.pdpte(0) && pdpte1 == w.pdpte(1)
                && pdpte2 == w.pdpte(2) && pdpte3 == w.pdpte(3);
    }

    /**
     * True if every translation the context caches would be derived again, identically and
     * without a write, by a walk now (see the class comment).
     */
    boolean unchanged(Cpu cpu, PageTranslator t, GuestMemory mem) {
        if (!tracked) {
            return false;
        }
        if (!stateSet) {
            // Nothing was translated since the last full flush: the context is empty.
            return true;
        }
        if (!(t instanceof WalkerTranslator) || !sameState(cpu, (WalkerTranslator) t)) {
            return false;
        }
        for (int k = 0; k < count; k++) {
            long a = address[k] & ~ENTRY_32;
            // RAM when recorded; a page no longer RAM reads as null and is a change.
            byte[] p = mem.pageForRead(a);
            if (p == null) {
                return false;
            }
            int off = (int) a & 0xFFF;
            long now = address[k] < 0 ? (int) GuestMemory.LE32.get(p, off) & 0xFFFF_FFFFL : (long) GuestMemory.LE64.get(p, off);
            if (now != value[k]) {
                return false;
            }
        }
        return true;
    }
}
