package dev.vmx4j.mmu.tlb;

import dev.vmx4j.mmu.TestMemory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.mmu.paging.PageTables;
import dev.vmx4j.mmu.paging.PageWalker;
import dev.vmx4j.mmu.paging.PagingAccess;
import dev.vmx4j.mmu.paging.PagingMode;
import dev.vmx4j.mmu.paging.PagingState;
import dev.vmx4j.mmu.paging.WalkResult;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cached engine and the reference (no-TLB) configuration give identical results and leave
 * identical memory (A/D flags) on seeded random page tables and accesses, as long as software
 * invalidates (INVLPG) after every paging-structure change, as the SDM requires of it.
 */
class TlbReferenceEquivalenceTest {

    private static final int PAGES = 64;

    @Test
    void randomAccessesWithInvlpgAfterEveryChange_matchReferenceConfiguration() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            TestMemory fastMem = new TestMemory();
            TestMemory refMem = new TestMemory();
            PagingState s = new PagingState().setMaxPhysicalAddressBits(40);
            PageTables.enter(s, PagingMode.LEVEL_4);
            s.setCr0(s.cr0() | PagingState.CR0_WP).setEfer(s.efer() | PagingState.EFER_NXE)
                    .setCr4(s.cr4() | PagingState.CR4_SMEP | PagingState.CR4_SMAP | PagingState.CR4_PGE);
            long base = 0x7000_0000L;
            // Upper levels fully permissive; PTEs random.
            PageTables.map4K(fastMem, s, base, 0, 7, 7, 7, 0);
            PageTables.map4K(refMem, s, base, 0, 7, 7, 7, 0);
            for (int i = 0; i < PAGES; i++) {
                long pte = randomPte(rnd);
                long addr = PageTables.entryAddress(PagingMode.LEVEL_4, 3, base + i * 0x1000L);
                fastMem.write64(addr, pte);
                refMem.write64(addr, pte);
            }
            CachedTranslator fast = new CachedTranslator(new PageWalker(fastMem), new Tlb(16));
            CachedTranslator ref = new CachedTranslator(new PageWalker(refMem), Tlb.disabled());
            WalkResult a = new WalkResult();
            WalkResult b = new WalkResult();
            for (int step = 0; step < 2000; step++) {
                int page = rnd.nextInt(PAGES);
                long linear = base + page * 0x1000L + rnd.nextInt(4096);
                if (rnd.nextInt(10) == 0) {
                    long pte = randomPte(rnd);
                    long addr = PageTables.entryAddress(PagingMode.LEVEL_4, 3, linear);
                    fastMem.write64(addr, pte);
                    refMem.write64(addr, pte);
                    fast.tlb().invlpg(linear, s.pcid(), 0);
                    continue;
                }
                int access = rnd.nextInt(PagingAccess.ALL + 1) & PagingAccess.ALL;
                if ((access & PagingAccess.EXECUTE) != 0) {
                    access &= ~(PagingAccess.WRITE | PagingAccess.IMPLICIT_SUPERVISOR);
                }
                boolean okA = fast.translate(s, linear, access, 0, Tlb.NO_EPT, a);
                boolean okB = ref.translate(s, linear, access, 0, Tlb.NO_EPT, b);
                String what = "seed " + seed + " step " + step + " access " + access;
                assertThat(okA).as(what).isEqualTo(okB);
                assertThat(a.toString()).as(what).isEqualTo(b.toString());
            }
            for (int i = 0; i < PAGES; i++) {
                long addr = PageTables.entryAddress(PagingMode.LEVEL_4, 3, base + i * 0x1000L);
                assertThat(fastMem.read64(addr)).as("seed %d PTE %d", seed, i).isEqualTo(refMem.read64(addr));
            }
        }
    }

    private static long randomPte(SplittableRandom rnd) {
        long frame = (0x100L + rnd.nextInt(0x1000)) << 12;
        long flags = rnd.nextInt(8) == 0 ? 0 : 1; // P
        flags |= rnd.nextBoolean() ? 2 : 0; // R/W
        flags |= rnd.nextBoolean() ? 4 : 0; // U/S
        flags |= rnd.nextInt(4) == 0 ? 0x40 : 0; // D already set
        flags |= rnd.nextInt(4) == 0 ? 0x100 : 0; // G
        flags |= rnd.nextBoolean() ? 1L << 63 : 0; // XD
        return frame | flags;
    }
}
