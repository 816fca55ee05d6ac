package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.memory.GuestMemory;
import org.junit.jupiter.api.Test;

/**
 * The invalidation of VPID 0000H by a VM entry or exit without "enable VPID" ({@link Mmu#transition}):
 * the context about to be used is kept only while {@link TranslationSources} proves that a walk
 * now would derive every cached translation again, identically and without writing memory (SDM
 * "Invalidation of TLBs and Paging-Structure Caches"); otherwise it is flushed and the next
 * access walks, setting the accessed and dirty flags again as the reference configuration does.
 *
 * <p>Identity paging of {@code Machine.enterLongMode} (2 MiB pages): PML4 at 0x200000, PDPT at
 * 0x201000, the first GiB's page directory at {@link #PD}; A and D start clear.
 */
class TransitionFlushTest {

    private static final long PD = Guest.PAGE_TABLES + 2 * 4096;
    private static final long A = 1L << 5;
    private static final long D = 1L << 6;
    private static final long DATA = 0x600000;
    private static final long PDE_DATA = PD + 8 * (DATA >>> 21);

    private static Cpu cpu() {
        Cpu c = Guest.long64("F4").m.cpu();
        c.memory.write64(DATA, 0x66);
        c.memory.write64(0x400000, 0x44);
        return c;
    }

    /** A VM entry or exit without "enable VPID" that stays in linear mappings (no EPT). */
    private static void transition(Cpu c) {
        c.mmu.transition(0, TlbContext.NO_EPT, true);
    }

    private static boolean cached(Cpu c, long linear) {
        return c.mmu.cachedReadPage(linear) != null;
    }

    @Test
    void unchangedPaging_keepsTheContext_noNewGeneration() {
        Cpu c = cpu();
        assertThat(c.mmu.read(DATA, 8, 0)).isEqualTo(0x66);
        c.mmu.write(DATA + 8, 8, 1, 0);
        TlbContext ctx = c.mmu.currentContext();
        long key = ctx.key;
        long writeKey = ctx.writeKey;
        assertThat(ctx.sources.count()).as("PML4E, PDPTE, PDE").isEqualTo(3);
        for (int i = 0; i < 3 * TlbContext.GENERATIONS; i++) {
            transition(c);
        }
        assertThat(c.mmu.currentContext()).isSameAs(ctx);
        assertThat(ctx.key).isEqualTo(key);
        assertThat(ctx.writeKey).isEqualTo(writeKey);
        assertThat(cached(c, DATA)).isTrue();
        assertThat(c.mmu.cachedWritePage(DATA)).isNotNull();
    }

    @Test
    void changedPde_isFlushed_andTheNextReadSeesTheNewMapping() {
        Cpu c = cpu();
        assertThat(c.mmu.read(DATA, 8, 0)).isEqualTo(0x66);
        c.memory.write64(PDE_DATA, 0x400000 | 0x87 | A);
        transition(c);
        assertThat(cached(c, DATA)).isFalse();
        assertThat(c.mmu.read(DATA, 8, 0)).isEqualTo(0x44);
    }

    @Test
    void clearedAccessedFlag_isFlushed_andTheNextAccessSetsItAgain() {
        Cpu c = cpu();
        c.mmu.read(DATA, 8, 0);
        long pml4e = c.memory.read64(Guest.PAGE_TABLES);
        assertThat(pml4e & A).isNotZero();
        c.memory.write64(Guest.PAGE_TABLES, pml4e & ~A);
        transition(c);
        assertThat(cached(c, DATA)).isFalse();
        c.mmu.read(DATA, 8, 0);
        assertThat(c.memory.read64(Guest.PAGE_TABLES)).isEqualTo(pml4e);
    }

    @Test
    void clearedDirtyFlag_isFlushed_andTheNextWriteSetsItAgain() {
        Cpu c = cpu();
        c.mmu.write(DATA, 8, 5, 0);
        long pde = c.memory.read64(PDE_DATA);
        assertThat(pde & (A | D)).isEqualTo(A | D);
        c.memory.write64(PDE_DATA, pde & ~D);
        transition(c);
        assertThat(c.mmu.cachedWritePage(DATA)).isNull();
        c.mmu.write(DATA, 8, 6, 0);
        assertThat(c.memory.read64(PDE_DATA)).isEqualTo(pde);
    }

    @Test
    void readThenWrite_theWriteSettingDirty_keepsTracking() {
        Cpu c = cpu();
        c.mmu.read(DATA, 8, 0);
        assertThat(c.memory.read64(PDE_DATA) & D).isZero();
        c.mmu.write(DATA, 8, 7, 0);
        assertThat(c.memory.read64(PDE_DATA) & D).isNotZero();
        long key = c.mmu.currentContext().key;
        transition(c);
        assertThat(c.mmu.currentContext().key).isEqualTo(key);
        assertThat(cached(c, DATA)).isTrue();
    }

    @Test
    void anEntryChangedBetweenTwoWalks_isNeverKept() {
        // The read entry for DATA was made from the old PDE; a later walk of another access
        // reads the new one (no invalidation between): the context holds a stale translation.
        Cpu c = cpu();
        c.mmu.read(DATA, 8, 0);
        c.memory.write64(PDE_DATA, 0x400000 | 0x87 | A);
        c.mmu.write(DATA, 8, 9, 0);
        assertThat(cached(c, DATA)).as("stale read entry (no invalidation yet)").isTrue();
        transition(c);
        assertThat(cached(c, DATA)).isFalse();
        assertThat(c.mmu.read(DATA, 8, 0)).isEqualTo(9);
        assertThat(c.memory.read64(0x400000)).isEqualTo(9);
    }

    @Test
    void otherPagingState_isFlushed() {
        Cpu c = cpu();
        c.mmu.read(DATA, 8, 0);
        // The same tables under CR0.WP = 0 (the VMCS's guest and host CR0 may differ).
        c.cr0 &= ~Cpu.CR0_WP;
        transition(c);
        assertThat(cached(c, DATA)).isFalse();
        c.mmu.read(DATA, 8, 0);
        c.cr0 |= Cpu.CR0_WP;
        transition(c);
        assertThat(cached(c, DATA)).isFalse();
    }

    @Test
    void otherCr3WithIdenticalTables_isFlushed() {
        Cpu c = cpu();
        c.mmu.read(DATA, 8, 0);
        GuestMemory mem = c.memory;
        long copy = 0x700000;
        for (long off = 0; off < 3 * 4096; off += 8) {
            mem.write64(copy + off, mem.read64(Guest.PAGE_TABLES + off));
        }
        c.cr3 = copy;
        transition(c);
        assertThat(cached(c, DATA)).isFalse();
    }

    @Test
    void moreEntriesThanTheRecordHolds_isFlushed() {
        Cpu c = cpu();
        for (int i = 0; i <= TranslationSources.CAPACITY; i++) {
            c.mmu.read(0x40000000L + ((long) i << 21), 8, 0);
        }
        c.mmu.read(DATA, 8, 0);
        assertThat(c.mmu.currentContext().sources.tracked).isFalse();
        transition(c);
        assertThat(cached(c, DATA)).isFalse();
        assertThat(c.mmu.currentContext().sources.tracked).as("a full flush starts a new record").isTrue();
    }

    @Test
    void protectionKeys_areNeverTracked() {
        // With CR4.PKE (or SMAP) the rights of a hit would depend on the kind of access.
        Cpu c = cpu();
        c.cr4 |= Cpu.CR4_PKE;
        c.mmu.read(DATA, 8, 0);
        transition(c);
        assertThat(cached(c, DATA)).isFalse();
    }

    @Test
    void enableVpid_selectsWithoutInvalidating() {
        Cpu c = cpu();
        c.mmu.read(DATA, 8, 0);
        c.memory.write64(PDE_DATA, 0x400000 | 0x87 | A);
        c.mmu.transition(0, TlbContext.NO_EPT, false);
        assertThat(c.mmu.read(DATA, 8, 0)).as("no invalidation: the cached mapping").isEqualTo(0x66);
    }
}
