package dev.vmx4j.mmu.paging;

import dev.vmx4j.mmu.TestMemory;
import static dev.vmx4j.mmu.paging.PageTables.A;
import static dev.vmx4j.mmu.paging.PageTables.D;
import static dev.vmx4j.mmu.paging.PageTables.G;
import static dev.vmx4j.mmu.paging.PageTables.P;
import static dev.vmx4j.mmu.paging.PageTables.PCD;
import static dev.vmx4j.mmu.paging.PageTables.PS;
import static dev.vmx4j.mmu.paging.PageTables.PWT;
import static dev.vmx4j.mmu.paging.PageTables.RW;
import static dev.vmx4j.mmu.paging.PageTables.US;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FourLevelWalkTest {

    private static final long LINEAR = (1L << 39) | (2L << 30) | (3L << 21) | (4L << 12) | 0x123;
    private static final long FRAME = 0x1234_5000L;

    private final TestMemory mem = new TestMemory();
    private final PagingState s = new PagingState().setMaxPhysicalAddressBits(46);
    private final PageWalker walker = new PageWalker(mem);
    private final WalkResult r = new WalkResult();

    @BeforeEach
    void enter() {
        PageTables.enter(s, PagingMode.LEVEL_4);
    }

    @Test
    void modeIsLevel4WhenPgPaeAndLmeSet() {
        assertThat(s.mode()).isEqualTo(PagingMode.LEVEL_4);
    }

    @Test
    void presentChain_translatesToFramePlusOffset() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P | RW | US, P | RW | US, P | RW | US, P | RW | US);
        assertThat(walker.walk(s, LINEAR, PagingAccess.READ, r)).isTrue();
        assertThat(r.faulted).isFalse();
        assertThat(r.physicalAddress).isEqualTo(FRAME | 0x123);
        assertThat(r.frameBase).isEqualTo(FRAME);
        assertThat(r.pageSize).isEqualTo(WalkResult.PAGE_4K);
        assertThat(r.writable).isTrue();
        assertThat(r.user).isTrue();
        assertThat(r.executable).isTrue();
    }

    @Test
    void upperLinearBitsAbove47_doNotSelectEntriesIn4LevelPaging() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P, P, P, P);
        long nonCanonical = LINEAR | 0xFFFF_0000_0000_0000L;
        assertThat(walker.walk(s, nonCanonical, PagingAccess.READ, r)).isTrue();
        assertThat(r.physicalAddress).isEqualTo(FRAME | 0x123);
    }

    @Test
    void notPresentAtEachLevel_faultsWithPClearAndNoWrites() {
        for (int level = 0; level < 4; level++) {
            long[] bits = PageTables.same(4, P | RW);
            bits[level] = RW; // P = 0
            PageTables.map4K(mem, s, LINEAR, FRAME, bits);
            mem.resetWriteCount();
            assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE, r)).as("level %d", level).isFalse();
            assertThat(r.faulted).isTrue();
            assertThat(r.errorCode).as("level %d", level).isEqualTo(PageFaultErrorCode.WR);
            assertThat(mem.writeCount()).as("no A/D writes on a faulting walk").isZero();
        }
    }

    @Test
    void successfulRead_setsAccessedInEveryEntryButNotDirty() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P | RW, P | RW, P | RW, P | RW);
        assertThat(walker.walk(s, LINEAR, PagingAccess.READ, r)).isTrue();
        for (int level = 0; level < 4; level++) {
            long e = PageTables.entry(mem, PagingMode.LEVEL_4, level, LINEAR);
            assertThat(e & A).as("A at level %d", level).isEqualTo(A);
            assertThat(e & D).as("D at level %d", level).isZero();
        }
        assertThat(r.dirty).isFalse();
    }

    @Test
    void successfulWrite_setsDirtyOnlyInLeaf() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P | RW, P | RW, P | RW, P | RW);
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE, r)).isTrue();
        for (int level = 0; level < 3; level++) {
            assertThat(PageTables.entry(mem, PagingMode.LEVEL_4, level, LINEAR) & (A | D)).isEqualTo(A);
        }
        assertThat(PageTables.entry(mem, PagingMode.LEVEL_4, 3, LINEAR) & (A | D)).isEqualTo(A | D);
        assertThat(r.dirty).isTrue();
    }

    @Test
    void accessedAndDirtyAlreadySet_walkWritesNothing() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P | RW | A, P | RW | A, P | RW | A, P | RW | A | D);
        mem.resetWriteCount();
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE, r)).isTrue();
        assertThat(mem.writeCount()).isZero();
    }

    @Test
    void protectionFault_writesNoAccessedFlags() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P | RW, P | RW, P | RW, P); // leaf read-only
        mem.resetWriteCount();
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE | PagingAccess.USER, r)).isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.WR | PageFaultErrorCode.US);
        assertThat(mem.writeCount()).isZero();
    }

    @Test
    void twoMegabytePde_mapsTwoMegabytePageWithPatFromBit12() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P | RW, P | RW, P | RW, P | RW);
        long pdAddress = PageTables.entryAddress(PagingMode.LEVEL_4, 2, LINEAR);
        mem.write64(pdAddress, 0x4020_0000L | P | RW | PS | (1L << 12) | PWT);
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE, r)).isTrue();
        assertThat(r.pageSize).isEqualTo(WalkResult.PAGE_2M);
        assertThat(r.frameBase).isEqualTo(0x4020_0000L);
        assertThat(r.physicalAddress).isEqualTo(0x4020_0000L | (LINEAR & 0x1F_FFFF));
        assertThat(r.patIndex).isEqualTo(0b101);
        assertThat(mem.read64(pdAddress) & (A | D)).isEqualTo(A | D);
    }

    @Test
    void oneGigabytePdpte_mapsOneGigabytePage() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P | RW, P | RW, P | RW, P | RW);
        long pdptAddress = PageTables.entryAddress(PagingMode.LEVEL_4, 1, LINEAR);
        mem.write64(pdptAddress, 0x8000_0000L | P | PS | PCD);
        assertThat(walker.walk(s, LINEAR, PagingAccess.READ, r)).isTrue();
        assertThat(r.pageSize).isEqualTo(WalkResult.PAGE_1G);
        assertThat(r.physicalAddress).isEqualTo(0x8000_0000L | (LINEAR & 0x3FFF_FFFF));
        assertThat(r.patIndex).isEqualTo(0b010);
        assertThat(r.writable).isFalse();
    }

    @Test
    void pteFlags_patFromBit7AndGlobalOnlyWithCr4Pge() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P, P, P, P | G | PS | PCD | PWT);
        assertThat(walker.walk(s, LINEAR, PagingAccess.READ, r)).isTrue();
        assertThat(r.patIndex).isEqualTo(7);
        assertThat(r.global).isFalse();
        s.setCr4(s.cr4() | PagingState.CR4_PGE);
        assertThat(walker.walk(s, LINEAR, PagingAccess.READ, r)).isTrue();
        assertThat(r.global).isTrue();
    }

    @Test
    void protectionKeyIsLeafBits62To59() {
        PageTables.map4K(mem, s, LINEAR, FRAME, P, P, P, P | (0xBL << 59));
        assertThat(walker.walk(s, LINEAR, PagingAccess.READ, r)).isTrue();
        assertThat(r.protectionKey).isEqualTo(0xB);
    }
}
