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

import org.junit.jupiter.api.Test;

class OtherModesWalkTest {

    private final TestMemory mem = new TestMemory();
    private final PagingState s = new PagingState().setMaxPhysicalAddressBits(40);
    private final PageWalker walker = new PageWalker(mem);
    private final WalkResult r = new WalkResult();

    // ---- no paging ----

    @Test
    void pagingDisabled_linearIsPhysicalTruncatedTo32BitsWithAllRights() {
        PageTables.enter(s, PagingMode.NONE);
        assertThat(s.mode()).isEqualTo(PagingMode.NONE);
        assertThat(walker.walk(s, 0x1_2345_6789L, PagingAccess.WRITE | PagingAccess.USER, r)).isTrue();
        assertThat(r.physicalAddress).isEqualTo(0x2345_6789L);
        assertThat(mem.writeCount()).isZero();
    }

    // ---- 32-bit paging ----

    @Test
    void bits32_fourKilobytePage_translatesAndSetsAccessedDirtyIn32BitEntries() {
        PageTables.enter(s, PagingMode.BITS_32);
        long linear = 0xC040_2ABCL;
        PageTables.map4K(mem, s, linear, 0x0ABC_D000L, P | RW, P | RW | G | PCD);
        s.setCr4(s.cr4() | PagingState.CR4_PGE);
        assertThat(walker.walk(s, linear, PagingAccess.WRITE, r)).isTrue();
        assertThat(r.physicalAddress).isEqualTo(0x0ABC_DABCL);
        assertThat(r.global).isTrue();
        assertThat(r.patIndex).isEqualTo(2);
        assertThat(PageTables.entry(mem, PagingMode.BITS_32, 0, linear) & (A | D)).isEqualTo(A);
        assertThat(PageTables.entry(mem, PagingMode.BITS_32, 1, linear) & (A | D)).isEqualTo(A | D);
        // The neighbouring 32-bit entry is untouched (4-byte writes, not 8).
        assertThat(mem.read32(PageTables.entryAddress(PagingMode.BITS_32, 1, linear) + 4)).isZero();
    }

    @Test
    void bits32_pdePsWithCr4Pse_mapsFourMegabytePageWithPatFromBit12() {
        PageTables.enter(s, PagingMode.BITS_32);
        s.setCr4(s.cr4() | PagingState.CR4_PSE);
        long linear = 0x8065_4321L;
        s.setCr3(PageTables.TABLE_BASE);
        long pde = 0x4C00_0000L | P | RW | PS | (1L << 12) | PWT;
        mem.write32(PageTables.entryAddress(PagingMode.BITS_32, 0, linear), (int) pde);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
        assertThat(r.pageSize).isEqualTo(WalkResult.PAGE_4M);
        assertThat(r.physicalAddress).isEqualTo(0x4C00_0000L | (linear & 0x3F_FFFF));
        assertThat(r.patIndex).isEqualTo(5);
    }

    @Test
    void bits32_pdePsWithoutCr4Pse_isIgnoredAndReferencesPageTable() {
        PageTables.enter(s, PagingMode.BITS_32);
        long linear = 0x8065_4321L;
        PageTables.map4K(mem, s, linear, 0x0002_1000L, P | RW | PS, P | RW);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
        assertThat(r.pageSize).isEqualTo(WalkResult.PAGE_4K);
        assertThat(r.physicalAddress).isEqualTo(0x0002_1321L);
    }

    @Test
    void bits32_pse36_highAddressBitsFromPdeBits20To13() {
        PageTables.enter(s, PagingMode.BITS_32);
        s.setCr4(s.cr4() | PagingState.CR4_PSE).setCr3(PageTables.TABLE_BASE);
        long linear = 0x0040_0010L;
        // bits 20:13 = 0xA5 -> physical bits 39:32 with MAXPHYADDR 40
        long pde = 0x1240_0000L & 0xFFC0_0000L | (0xA5L << 13) | P | PS;
        mem.write32(PageTables.entryAddress(PagingMode.BITS_32, 0, linear), (int) pde);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
        assertThat(r.physicalAddress).isEqualTo((0xA5L << 32) | 0x1240_0010L);
    }

    @Test
    void bits32_pse36_bitsAboveMaxPhyAddrAndBit21_areReserved() {
        PageTables.enter(s, PagingMode.BITS_32);
        s.setMaxPhysicalAddressBits(36);
        s.setCr4(s.cr4() | PagingState.CR4_PSE).setCr3(PageTables.TABLE_BASE);
        long linear = 0x0040_0010L;
        long pdeAddress = PageTables.entryAddress(PagingMode.BITS_32, 0, linear);
        // MAXPHYADDR 36: bits 16:13 hold address bits 35:32; bits 21:17 are reserved.
        mem.write32(pdeAddress, (int) (0x0040_0000L | (0xFL << 13) | P | PS));
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
        assertThat(r.physicalAddress).isEqualTo(0xF_0040_0010L);
        for (int bit = 17; bit <= 21; bit++) {
            mem.write32(pdeAddress, (int) (0x0040_0000L | (1L << bit) | P | PS));
            assertThat(walker.walk(s, linear, PagingAccess.READ, r)).as("bit %d", bit).isFalse();
            assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
        }
    }

    @Test
    void bits32_maxPhysAddrAbove40_pse36StillLimitedTo40Bits() {
        PageTables.enter(s, PagingMode.BITS_32);
        s.setMaxPhysicalAddressBits(46);
        s.setCr4(s.cr4() | PagingState.CR4_PSE).setCr3(PageTables.TABLE_BASE);
        long linear = 0x0040_0010L;
        mem.write32(PageTables.entryAddress(PagingMode.BITS_32, 0, linear), (int) (0x0040_0000L | (1L << 21) | P | PS));
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isFalse();
        assertThat(r.errorCode & PageFaultErrorCode.RSVD).isNotZero();
    }

    @Test
    void bits32_fetchFaultSetsIdOnlyWithSmep() {
        PageTables.enter(s, PagingMode.BITS_32);
        long linear = 0x0040_1000L;
        PageTables.map4K(mem, s, linear, 0x5000, RW, P);
        s.setEfer(PagingState.EFER_NXE); // no effect on I/D without CR4.PAE
        assertThat(walker.walk(s, linear, PagingAccess.EXECUTE, r)).isFalse();
        assertThat(r.errorCode).isZero();
        s.setCr4(s.cr4() | PagingState.CR4_SMEP);
        assertThat(walker.walk(s, linear, PagingAccess.EXECUTE, r)).isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.ID);
    }

    // ---- PAE paging ----

    @Test
    void pae_translatesThroughPdpteRegisterNotMemory() {
        PageTables.enter(s, PagingMode.PAE);
        long linear = 0xC020_3456L;
        PageTables.map4K(mem, s, linear, 0x9_8765_4000L, P | RW | US, P | RW | US);
        assertThat(walker.walk(s, linear, PagingAccess.WRITE | PagingAccess.USER, r)).isTrue();
        assertThat(r.physicalAddress).isEqualTo(0x9_8765_4456L);
        // Clearing the PDPT in memory changes nothing until the PDPTE registers are reloaded.
        mem.write64(PageTables.PAE_PDPT + 24, 0);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
        assertThat(PageWalker.loadPdptes(s, mem)).isTrue();
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isFalse();
        assertThat(r.errorCode).isZero();
    }

    @Test
    void pae_pdptesHaveNoAccessedFlagWritten() {
        PageTables.enter(s, PagingMode.PAE);
        long linear = 0x4000_1000L;
        PageTables.map4K(mem, s, linear, 0x3000, P | RW, P | RW);
        walker.walk(s, linear, PagingAccess.WRITE, r);
        assertThat(mem.read64(PageTables.PAE_PDPT + 8)).isEqualTo(PageTables.TABLE_BASE | P);
        assertThat(PageTables.entry(mem, PagingMode.PAE, 0, linear) & (A | D)).isEqualTo(A);
        assertThat(PageTables.entry(mem, PagingMode.PAE, 1, linear) & (A | D)).isEqualTo(A | D);
    }

    @Test
    void pae_twoMegabytePage_andReservedBits20To13() {
        PageTables.enter(s, PagingMode.PAE);
        long linear = 0x4060_1234L;
        PageTables.map4K(mem, s, linear, 0x3000, P | RW, P | RW);
        long pdeAddress = PageTables.entryAddress(PagingMode.PAE, 0, linear);
        mem.write64(pdeAddress, 0x1_2340_0000L | P | PS);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
        assertThat(r.pageSize).isEqualTo(WalkResult.PAGE_2M);
        assertThat(r.physicalAddress).isEqualTo(0x1_2340_0000L | (linear & 0x1F_FFFF));
        mem.write64(pdeAddress, 0x1_2340_0000L | P | PS | (1L << 13));
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
    }

    @Test
    void pae_bits62ToMaxPhyAddrReservedInPdeAndPte() {
        PageTables.enter(s, PagingMode.PAE);
        long linear = 0x4060_1234L;
        for (int level = 0; level < 2; level++) {
            for (int bit = 40; bit <= 62; bit++) {
                long[] bits = PageTables.same(2, P | RW);
                bits[level] |= 1L << bit;
                PageTables.map4K(mem, s, linear, 0x3000, bits);
                assertThat(walker.walk(s, linear, PagingAccess.READ, r)).as("level %d bit %d", level, bit).isFalse();
                assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
            }
        }
        PageTables.map4K(mem, s, linear, 0x3000, P | RW, P | RW | (1L << 39));
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).as("bit 39 is an address bit").isTrue();
        assertThat(r.physicalAddress).isEqualTo((1L << 39) | 0x3234);
    }

    @Test
    void pae_notPresentPdpteRegister_faultsWithPClear() {
        PageTables.enter(s, PagingMode.PAE);
        PageTables.map4K(mem, s, 0x4000_0000L, 0x3000, P, P);
        assertThat(walker.walk(s, 0x0000_1000L, PagingAccess.WRITE, r)).isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.WR);
    }

    @Test
    void loadPdptes_presentPdpteWithReservedBit_returnsFalseAndKeepsRegisters() {
        PageTables.enter(s, PagingMode.PAE);
        s.setCr3(0x5000).setPdpte(0, 0x1111_1001L);
        long[] reserved = {1L << 1, 1L << 2, 1L << 5, 1L << 6, 1L << 7, 1L << 8, 1L << 40, 1L << 63};
        for (long bit : reserved) {
            mem.write64(0x5008, 0x7000 | P | bit);
            assertThat(PageWalker.loadPdptes(s, mem)).as("bit 0x%x", bit).isFalse();
            assertThat(s.pdpte(0)).isEqualTo(0x1111_1001L);
        }
    }

    @Test
    void loadPdptes_notPresentPdpteMayHoldAnyBits_andCr3Bits31To5LocateTable() {
        PageTables.enter(s, PagingMode.PAE);
        mem.write64(0x5020, 0xFFFF_FFFF_FFFF_FFFEL);
        mem.write64(0x5028, 0x7000 | P | PWT | PCD);
        assertThat(PageWalker.loadPdptes(s, mem, 0x5020 | 0x18)).isTrue();
        assertThat(s.pdpte(0)).isEqualTo(0xFFFF_FFFF_FFFF_FFFEL);
        assertThat(s.pdpte(1)).isEqualTo(0x7000 | P | PWT | PCD);
    }

    // ---- 5-level paging ----

    @Test
    void level5_walksFiveTablesUsingLinearBits56To48() {
        PageTables.enter(s, PagingMode.LEVEL_5);
        assertThat(s.mode()).isEqualTo(PagingMode.LEVEL_5);
        long linear = (0x1ABL << 48) | (7L << 39) | (6L << 30) | (5L << 21) | (4L << 12) | 0xFED;
        PageTables.map4K(mem, s, linear, 0xAB_C000L, P | RW, P | RW, P | RW, P | RW, P | RW);
        assertThat(walker.walk(s, linear, PagingAccess.WRITE, r)).isTrue();
        assertThat(r.physicalAddress).isEqualTo(0xAB_CFEDL);
        for (int level = 0; level < 5; level++) {
            assertThat(PageTables.entry(mem, PagingMode.LEVEL_5, level, linear) & A).as("level %d", level).isEqualTo(A);
        }
        // A different PML5 index does not reach the mapping.
        assertThat(walker.walk(s, linear ^ (1L << 48), PagingAccess.READ, r)).isFalse();
        assertThat(r.errorCode).isZero();
    }

    @Test
    void level5_psInPml5eAndPml4e_isReserved() {
        PageTables.enter(s, PagingMode.LEVEL_5);
        long linear = (3L << 48) | 0x1000;
        for (int level = 0; level < 2; level++) {
            long[] bits = PageTables.same(5, P | RW);
            bits[level] |= PS;
            PageTables.map4K(mem, s, linear, 0x3000, bits);
            assertThat(walker.walk(s, linear, PagingAccess.READ, r)).as("level %d", level).isFalse();
            assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
        }
    }

    // ---- reserved bits in 4-level paging ----

    @Test
    void level4_bits51ToMaxPhyAddrReservedAtEveryLevel_bitsBelowAreAddress() {
        PageTables.enter(s, PagingMode.LEVEL_4);
        s.setMaxPhysicalAddressBits(39);
        long linear = 0x1000_0020_3000L;
        for (int level = 0; level < 4; level++) {
            for (int bit = 39; bit <= 51; bit++) {
                long[] bits = PageTables.same(4, P | RW);
                bits[level] |= 1L << bit;
                PageTables.map4K(mem, s, linear, 0x3000, bits);
                mem.resetWriteCount();
                assertThat(walker.walk(s, linear, PagingAccess.WRITE, r)).as("level %d bit %d", level, bit).isFalse();
                assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD | PageFaultErrorCode.WR);
                assertThat(mem.writeCount()).isZero();
            }
            // Bits 62:52 are ignored (62:59 are the key in the leaf).
            long[] bits = PageTables.same(4, P | RW);
            bits[level] |= 0x7FFL << 52;
            PageTables.map4K(mem, s, linear, 0x3000, bits);
            assertThat(walker.walk(s, linear, PagingAccess.READ, r)).as("ignored bits at level %d", level).isTrue();
        }
    }

    @Test
    void level4_notPresentEntryWithReservedBits_faultsAsNotPresent() {
        PageTables.enter(s, PagingMode.LEVEL_4);
        long linear = 0x1000_0020_3000L;
        PageTables.map4K(mem, s, linear, 0x3000, P, (1L << 51) | PS, P, P);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isFalse();
        assertThat(r.errorCode).isZero();
    }

    @Test
    void level4_largePageLowReservedBits_andOneGigabyteWithoutCpuSupport() {
        PageTables.enter(s, PagingMode.LEVEL_4);
        long linear = 0x1000_0020_3000L;
        PageTables.map4K(mem, s, linear, 0x3000, P, P, P, P);
        long pdpte = PageTables.entryAddress(PagingMode.LEVEL_4, 1, linear);
        long pde = PageTables.entryAddress(PagingMode.LEVEL_4, 2, linear);
        for (int bit = 13; bit <= 29; bit++) {
            mem.write64(pdpte, 0x4000_0000L | P | PS | (1L << bit));
            assertThat(walker.walk(s, linear, PagingAccess.READ, r)).as("1G bit %d", bit).isFalse();
            assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
        }
        mem.write64(pdpte, 0x4000_0000L | P | PS);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
        s.setPages1GSupported(false);
        assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
        mem.write64(pdpte, PageTables.TABLE_BASE + 0x2000 | P);
        for (int bit = 13; bit <= 20; bit++) {
            mem.write64(pde, 0x20_0000L | P | PS | (1L << bit));
            assertThat(walker.walk(s, linear, PagingAccess.READ, r)).as("2M bit %d", bit).isFalse();
        }
    }

    @Test
    void level4_xdWithNxeClear_isReservedAtEveryLevel() {
        PageTables.enter(s, PagingMode.LEVEL_4);
        long linear = 0x1000_0020_3000L;
        for (int level = 0; level < 4; level++) {
            long[] bits = PageTables.same(4, P);
            bits[level] |= PageTables.XD;
            PageTables.map4K(mem, s, linear, 0x3000, bits);
            assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isFalse();
            assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
            s.setEfer(s.efer() | PagingState.EFER_NXE);
            assertThat(walker.walk(s, linear, PagingAccess.READ, r)).isTrue();
            assertThat(r.executable).isFalse();
            assertThat(walker.walk(s, linear, PagingAccess.EXECUTE, r)).isFalse();
            assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.ID);
            s.setEfer(s.efer() & ~PagingState.EFER_NXE);
        }
    }

    @Test
    void maxPhysicalAddressBitsOutsideRange_isRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.setMaxPhysicalAddressBits(53))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32..52");
    }
}
