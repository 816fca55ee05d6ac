package dev.vmx4j.mmu.paging;

import dev.vmx4j.mmu.TestMemory;
import static dev.vmx4j.mmu.paging.PageTables.A;
import static dev.vmx4j.mmu.paging.PageTables.D;
import static dev.vmx4j.mmu.paging.PageTables.P;
import static dev.vmx4j.mmu.paging.PageTables.PS;
import static dev.vmx4j.mmu.paging.PageTables.RW;
import static dev.vmx4j.mmu.paging.PageTables.US;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SDM "Accessed and Dirty Flags" across modes and page sizes. */
class AccessedDirtyTest {

    private final TestMemory mem = new TestMemory();
    private final PagingState s = new PagingState().setMaxPhysicalAddressBits(40);
    private final PageWalker walker = new PageWalker(mem);
    private final WalkResult r = new WalkResult();

    @Test
    void bits32FourMegabyteWrite_setsAccessedAndDirtyInThePde() {
        PageTables.enter(s, PagingMode.BITS_32);
        s.setCr4(s.cr4() | PagingState.CR4_PSE).setCr3(PageTables.TABLE_BASE);
        long linear = 0x0840_0000L;
        long pdeAddress = PageTables.entryAddress(PagingMode.BITS_32, 0, linear);
        mem.write32(pdeAddress, (int) (0x0800_0000L | P | RW | PS));
        assertThat(walker.walk(s, linear, PagingAccess.WRITE, r)).isTrue();
        assertThat(mem.read32(pdeAddress) & (A | D)).isEqualTo(A | D);
    }

    @Test
    void level5OneGigabyteRead_setsAccessedInFourEntriesAndNoDirty() {
        PageTables.enter(s, PagingMode.LEVEL_5);
        long linear = (2L << 48) | (3L << 39) | (4L << 30) | 0x1234;
        PageTables.map4K(mem, s, linear, 0x1000, P | RW, P | RW, P | RW, P | RW, P | RW);
        long pdpteAddress = PageTables.entryAddress(PagingMode.LEVEL_5, 2, linear);
        mem.write64(pdpteAddress, 0x4000_0000L | P | RW | PS);
        long pdeAddress = PageTables.entryAddress(PagingMode.LEVEL_5, 3, linear);
        long pdeBefore = mem.read64(pdeAddress);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
        assertThat(r.pageSize).isEqualTo(WalkResult.PAGE_1G);
        assertThat(r.physicalAddress).isEqualTo(0x4000_1234L);
        for (int level = 0; level < 3; level++) {
            assertThat(PageTables.entry(mem, PagingMode.LEVEL_5, level, linear) & (A | D)).as("level %d", level).isEqualTo(A);
        }
        assertThat(mem.read64(pdeAddress)).as("entries below the leaf are not used").isEqualTo(pdeBefore);
    }

    @Test
    void supervisorWriteToReadOnlyPageWithWpClear_isPermittedAndSetsDirty() {
        PageTables.enter(s, PagingMode.LEVEL_4);
        long linear = 0x0000_0012_3456_7000L;
        PageTables.map4K(mem, s, linear, 0x3000, P | US, P | US, P | US, P | US);
        assertThat(walker.walk(s, linear, PagingAccess.WRITE, r)).isTrue();
        assertThat(r.writable).isFalse();
        assertThat(r.dirty).isTrue();
        assertThat(PageTables.entry(mem, PagingMode.LEVEL_4, 3, linear) & D).isEqualTo(D);
    }

    @Test
    void instructionFetch_setsAccessedNotDirty() {
        PageTables.enter(s, PagingMode.PAE);
        long linear = 0x0040_2000L;
        PageTables.map4K(mem, s, linear, 0x3000, P | RW, P | RW);
        assertThat(walker.walk(s, linear, PagingAccess.EXECUTE, r)).isTrue();
        assertThat(PageTables.entry(mem, PagingMode.PAE, 1, linear) & (A | D)).isEqualTo(A);
    }

    @Test
    void reservedBitFaultInLeaf_leavesUpperEntriesUntouched() {
        PageTables.enter(s, PagingMode.LEVEL_4);
        long linear = 0x0000_0012_3456_7000L;
        PageTables.map4K(mem, s, linear, 0x3000, P | RW, P | RW, P | RW, P | RW | (1L << 45));
        mem.resetWriteCount();
        assertThat(walker.walk(s, linear, PagingAccess.WRITE, r)).isFalse();
        assertThat(mem.writeCount()).isZero();
        assertThat(PageTables.entry(mem, PagingMode.LEVEL_4, 0, linear) & A).isZero();
    }
}
