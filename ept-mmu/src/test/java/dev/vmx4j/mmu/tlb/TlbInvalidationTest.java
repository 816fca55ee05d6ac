package dev.vmx4j.mmu.tlb;

import dev.vmx4j.mmu.TestMemory;
import static dev.vmx4j.mmu.paging.PageTables.A;
import static dev.vmx4j.mmu.paging.PageTables.D;
import static dev.vmx4j.mmu.paging.PageTables.G;
import static dev.vmx4j.mmu.paging.PageTables.P;
import static dev.vmx4j.mmu.paging.PageTables.PS;
import static dev.vmx4j.mmu.paging.PageTables.RW;
import static dev.vmx4j.mmu.paging.PageTables.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.mmu.paging.PageFaultErrorCode;
import dev.vmx4j.mmu.paging.PageTables;
import dev.vmx4j.mmu.paging.PageWalker;
import dev.vmx4j.mmu.paging.PagingAccess;
import dev.vmx4j.mmu.paging.PagingMode;
import dev.vmx4j.mmu.paging.PagingState;
import dev.vmx4j.mmu.paging.WalkResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each rule of SDM "Operations that Invalidate TLBs and Paging-Structure Caches" (and the VPID /
 * EPT helpers): a stale translation stays in use until an operation that must invalidate it.
 */
class TlbInvalidationTest {

    private static final long LINEAR = 0x0000_1234_5678_9ABCL;
    private static final long OLD_FRAME = 0x0AAA_A000L;
    private static final long NEW_FRAME = 0x0BBB_B000L;

    private final TestMemory mem = new TestMemory();
    private final PagingState s = new PagingState().setMaxPhysicalAddressBits(46);
    private final Tlb tlb = new Tlb(64);
    private final CachedTranslator mmu = new CachedTranslator(new PageWalker(mem), tlb);
    private final WalkResult r = new WalkResult();
    private long pteAddress;

    @BeforeEach
    void mapOldFrame() {
        PageTables.enter(s, PagingMode.LEVEL_4);
        s.setCr4(s.cr4() | PagingState.CR4_PGE);
        map(0);
    }

    /** Rewrites the tables and flushes the whole TLB (a clean start for the next phase). */
    private void map(long leafExtra) {
        tlb.invalidateAll();
        PageTables.map4K(mem, s, LINEAR, OLD_FRAME, P | RW | US, P | RW | US, P | RW | US, P | RW | US | leafExtra);
        pteAddress = PageTables.entryAddress(PagingMode.LEVEL_4, 3, LINEAR);
    }

    /** Rewrites the PTE in memory to point at NEW_FRAME, keeping its flags. */
    private void remapInMemory() {
        long pte = mem.read64(pteAddress);
        mem.write64(pteAddress, (pte & 0xFFF) | NEW_FRAME);
    }

    private long translate(int vpid) {
        return translate(vpid, Tlb.NO_EPT);
    }

    private long translate(int vpid, long ept) {
        assertThat(mmu.translate(s, LINEAR, PagingAccess.READ, vpid, ept, r)).as("translation of LINEAR").isTrue();
        return r.frameBase;
    }

    private void setPcid(int pcid) {
        s.setCr4(s.cr4() | PagingState.CR4_PCIDE);
        s.setCr3((s.cr3() & ~0xFFFL) | pcid);
    }

    @Test
    void cachedTranslation_isUsedAfterPteChangeUntilInvlpg() {
        assertThat(translate(0)).isEqualTo(OLD_FRAME);
        remapInMemory();
        assertThat(translate(0)).as("stale entry still used").isEqualTo(OLD_FRAME);
        tlb.invlpg(LINEAR, s.pcid(), 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
    }

    @Test
    void referenceMode_neverCaches() {
        CachedTranslator ref = new CachedTranslator(new PageWalker(mem), Tlb.disabled());
        assertThat(ref.translate(s, LINEAR, PagingAccess.READ, 0, Tlb.NO_EPT, r)).isTrue();
        remapInMemory();
        assertThat(ref.translate(s, LINEAR, PagingAccess.READ, 0, Tlb.NO_EPT, r)).isTrue();
        assertThat(r.frameBase).isEqualTo(NEW_FRAME);
        assertThat(ref.tlb().enabled()).isFalse();
        assertThat(ref.tlb().size()).isZero();
    }

    @Test
    void tlbHit_doesNotSetAccessedAgainAfterSoftwareClearedIt() {
        translate(0);
        mem.write64(pteAddress, mem.read64(pteAddress) & ~A);
        translate(0);
        assertThat(mem.read64(pteAddress) & A).as("SDM allows a cached entry to skip A").isZero();
    }

    @Test
    void writeThroughCleanCachedEntry_rewalksAndSetsDirty() {
        translate(0);
        assertThat(mem.read64(pteAddress) & D).isZero();
        assertThat(mmu.translate(s, LINEAR, PagingAccess.WRITE, 0, Tlb.NO_EPT, r)).isTrue();
        assertThat(mem.read64(pteAddress) & D).isEqualTo(D);
    }

    @Test
    void accessRightsAreRecheckedOnHit_cr0WpChangeNeedsNoInvalidation() {
        map(0);
        mem.write64(pteAddress, mem.read64(pteAddress) & ~RW | D);
        translate(0);
        assertThat(mmu.translate(s, LINEAR, PagingAccess.WRITE, 0, Tlb.NO_EPT, r)).as("WP=0").isTrue();
        long old = s.cr0();
        s.setCr0(old | PagingState.CR0_WP);
        tlb.movToCr0(old, s.cr0(), 0);
        assertThat(mmu.translate(s, LINEAR, PagingAccess.WRITE, 0, Tlb.NO_EPT, r)).as("WP=1").isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.WR);
    }

    @Test
    void protectionFaultOnHit_isReportedFromStaleEntryThenEntryIsInvalidated() {
        mem.write64(pteAddress, mem.read64(pteAddress) & ~RW | D);
        translate(0);
        mem.write64(pteAddress, mem.read64(pteAddress) | RW); // rights increased, no INVLPG
        int user = PagingAccess.USER;
        assertThat(mmu.translate(s, LINEAR, PagingAccess.WRITE | user, 0, Tlb.NO_EPT, r)).as("spurious #PF").isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.WR | PageFaultErrorCode.US);
        assertThat(mmu.translate(s, LINEAR, PagingAccess.WRITE | user, 0, Tlb.NO_EPT, r)).as("after the fault").isTrue();
    }

    @Test
    void faultingWalk_isNotCached() {
        mem.write64(pteAddress, 0);
        assertThat(mmu.translate(s, LINEAR, PagingAccess.READ, 0, Tlb.NO_EPT, r)).isFalse();
        assertThat(tlb.size()).isZero();
    }

    @Test
    void invlpg_invalidatesGlobalEntriesOfOtherPcids_butKeepsTheirNonGlobalEntries() {
        setPcid(1);
        translate(0); // non-global entry for PCID 1
        remapInMemory();
        setPcid(2);
        tlb.invlpg(LINEAR, 2, 0);
        setPcid(1);
        assertThat(translate(0)).as("PCID 1 non-global entry survives INVLPG in PCID 2").isEqualTo(OLD_FRAME);

        map(G);
        translate(0); // global entry filled under PCID 1
        remapInMemory();
        setPcid(2);
        assertThat(translate(0)).as("global entry used under another PCID").isEqualTo(OLD_FRAME);
        tlb.invlpg(LINEAR, 2, 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
    }

    @Test
    void invlpgInsideLargePage_invalidatesTheWholePage() {
        long pdeAddress = PageTables.entryAddress(PagingMode.LEVEL_4, 2, LINEAR);
        mem.write64(pdeAddress, 0x4000_0000L | P | RW | PS);
        translate(0);
        mem.write64(pdeAddress, 0x6000_0000L | P | RW | PS);
        assertThat(translate(0)).isEqualTo(0x4000_0000L);
        tlb.invlpg((LINEAR & ~0x1F_FFFFL) + 0x1_0000, s.pcid(), 0);
        assertThat(translate(0)).isEqualTo(0x6000_0000L);
    }

    @Test
    void movToCr3WithoutPcide_flushesNonGlobalKeepsGlobal() {
        translate(0);
        remapInMemory();
        tlb.movToCr3(s.cr3(), s.cr4(), 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);

        map(G);
        translate(0);
        remapInMemory();
        tlb.movToCr3(s.cr3(), s.cr4(), 0);
        assertThat(translate(0)).as("global entry survives MOV to CR3").isEqualTo(OLD_FRAME);
    }

    @Test
    void movToCr3WithPcide_flushesOnlyTargetPcid_andBit63KeepsEverything() {
        setPcid(5);
        translate(0);
        setPcid(6);
        translate(0);
        remapInMemory();
        tlb.movToCr3(s.cr3() | PagingState.CR3_PCID_NO_FLUSH, s.cr4(), 0);
        assertThat(translate(0)).as("bit 63 = 1: no flush").isEqualTo(OLD_FRAME);
        tlb.movToCr3(s.cr3(), s.cr4(), 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
        setPcid(5);
        assertThat(translate(0)).as("PCID 5 untouched by MOV CR3 to PCID 6").isEqualTo(OLD_FRAME);
    }

    @Test
    void invpcidType0_invalidatesAddressInPcidExceptGlobal() {
        setPcid(3);
        translate(0);
        remapInMemory();
        tlb.invpcid(0, 4, LINEAR, 0);
        assertThat(translate(0)).as("other PCID").isEqualTo(OLD_FRAME);
        tlb.invpcid(0, 3, LINEAR + 0x1000, 0);
        assertThat(translate(0)).as("other address").isEqualTo(OLD_FRAME);
        tlb.invpcid(0, 3, LINEAR, 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
        map(G);
        translate(0);
        remapInMemory();
        tlb.invpcid(0, 3, LINEAR, 0);
        assertThat(translate(0)).as("global kept by type 0").isEqualTo(OLD_FRAME);
    }

    @Test
    void invpcidType1_invalidatesPcidExceptGlobal() {
        setPcid(3);
        translate(0);
        remapInMemory();
        tlb.invpcid(1, 4, 0, 0);
        assertThat(translate(0)).isEqualTo(OLD_FRAME);
        tlb.invpcid(1, 3, 0, 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
        map(G);
        translate(0);
        remapInMemory();
        tlb.invpcid(1, 3, 0, 0);
        assertThat(translate(0)).isEqualTo(OLD_FRAME);
    }

    @Test
    void invpcidType2_invalidatesEverythingIncludingGlobal_type3KeepsGlobal() {
        map(G);
        setPcid(3);
        translate(0);
        remapInMemory();
        tlb.invpcid(3, 0, 0, 0);
        assertThat(translate(0)).as("type 3 keeps global").isEqualTo(OLD_FRAME);
        tlb.invpcid(2, 0, 0, 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
        map(0);
        setPcid(9);
        translate(0);
        remapInMemory();
        tlb.invpcid(3, 0, 0, 0);
        assertThat(translate(0)).as("type 3 drops non-global of any PCID").isEqualTo(NEW_FRAME);
    }

    @Test
    void invpcidInvalidType_isApiMisuse() {
        assertThatThrownBy(() -> tlb.invpcid(4, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..3");
    }

    @Test
    void movToCr0ClearingPg_flushesGlobalsToo() {
        map(G);
        translate(0);
        remapInMemory();
        long old = s.cr0();
        tlb.movToCr0(old, old, 0);
        assertThat(translate(0)).as("no PG change: nothing flushed").isEqualTo(OLD_FRAME);
        tlb.movToCr0(old, old & ~PagingState.CR0_PG, 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
    }

    @Test
    void movToCr4ChangingPge_flushesGlobals_otherBitsDoNot() {
        map(G);
        translate(0);
        remapInMemory();
        long old = s.cr4();
        tlb.movToCr4(old, old | PagingState.CR4_SMAP | PagingState.CR4_PKE, 0, 0);
        assertThat(translate(0)).isEqualTo(OLD_FRAME);
        tlb.movToCr4(old, old & ~PagingState.CR4_PGE, 0, 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
    }

    @Test
    void movToCr4ClearingPcide_flushesAllPcids() {
        setPcid(7);
        translate(0);
        remapInMemory();
        long old = s.cr4();
        tlb.movToCr4(old, old | PagingState.CR4_PCIDE, 7, 0);
        assertThat(translate(0)).as("PCIDE unchanged").isEqualTo(OLD_FRAME);
        tlb.movToCr4(old, old & ~PagingState.CR4_PCIDE, 7, 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
    }

    @Test
    void movToCr4SettingSmep_flushesCurrentPcidOnly() {
        setPcid(1);
        translate(0);
        setPcid(2);
        translate(0);
        remapInMemory();
        long old = s.cr4();
        tlb.movToCr4(old | PagingState.CR4_SMEP, old, 2, 0);
        assertThat(translate(0)).as("SMEP 1 to 0 flushes nothing").isEqualTo(OLD_FRAME);
        tlb.movToCr4(old, old | PagingState.CR4_SMEP, 2, 0);
        assertThat(translate(0)).isEqualTo(NEW_FRAME);
        setPcid(1);
        assertThat(translate(0)).isEqualTo(OLD_FRAME);
    }

    @Test
    void vpidTags_separateGuests_andInvvpidHelpersFollowTheirTypes() {
        translate(1);
        translate(0);
        remapInMemory();
        assertThat(translate(2)).as("VPID 2 never sees VPID 1 entries").isEqualTo(NEW_FRAME);
        assertThat(translate(1)).isEqualTo(OLD_FRAME);
        tlb.invlpg(LINEAR, 0, 3);
        assertThat(translate(1)).as("INVLPG in VPID 3 leaves VPID 1").isEqualTo(OLD_FRAME);
        tlb.invalidateAllVpidsExceptZero();
        assertThat(translate(1)).isEqualTo(NEW_FRAME);
        assertThat(translate(0)).as("all-context INVVPID keeps VPID 0").isEqualTo(OLD_FRAME);

        map(0);
        translate(1);
        remapInMemory();
        tlb.invalidateVpidAddress(1, LINEAR + 0x1000);
        assertThat(translate(1)).isEqualTo(OLD_FRAME);
        tlb.invalidateVpidAddress(1, LINEAR);
        assertThat(translate(1)).isEqualTo(NEW_FRAME);

        map(G);
        translate(1);
        remapInMemory();
        tlb.invalidateVpidNonGlobal(1);
        assertThat(translate(1)).as("type 3 retains globals").isEqualTo(OLD_FRAME);
        tlb.invalidateVpid(1);
        assertThat(translate(1)).isEqualTo(NEW_FRAME);
    }

    @Test
    void eptTags_separateCombinedMappings_andInveptHelpersDropOnlyCombined() {
        long ep4taA = Tlb.ep4ta(0x0000_0001_2345_601EL);
        long ep4taB = Tlb.ep4ta(0x0000_0002_0000_001EL);
        assertThat(ep4taA).isEqualTo(0x1_2345_6000L);
        translate(1, ep4taA);
        translate(1, Tlb.NO_EPT);
        remapInMemory();
        assertThat(translate(1, ep4taB)).isEqualTo(NEW_FRAME);
        tlb.invalidateEp4ta(ep4taB);
        assertThat(translate(1, ep4taA)).isEqualTo(OLD_FRAME);
        tlb.invalidateEp4ta(ep4taA);
        assertThat(translate(1, ep4taA)).isEqualTo(NEW_FRAME);
        assertThat(translate(1, Tlb.NO_EPT)).as("linear mapping untouched by INVEPT").isEqualTo(OLD_FRAME);
        map(0);
        translate(1, ep4taA);
        remapInMemory();
        tlb.invalidateAllCombined();
        assertThat(translate(1, ep4taA)).isEqualTo(NEW_FRAME);
    }

    @Test
    void tlbSize_mustBeZeroOrPowerOfTwo() {
        assertThatThrownBy(() -> new Tlb(12)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tlb(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void moreColliding4KPagesThanWays_evictRoundRobinAndStayCorrect() {
        Tlb small = new Tlb(4); // one set
        CachedTranslator m = new CachedTranslator(new PageWalker(mem), small);
        long[] frames = new long[6];
        for (int i = 0; i < 6; i++) {
            long linear = LINEAR + i * 0x1000L;
            frames[i] = 0x100_0000L + i * 0x1000L;
            mem.write64(PageTables.entryAddress(PagingMode.LEVEL_4, 3, linear), frames[i] | P | RW);
            assertThat(m.translate(s, linear, PagingAccess.READ, 0, Tlb.NO_EPT, r)).isTrue();
            assertThat(r.frameBase).isEqualTo(frames[i]);
        }
        assertThat(small.size()).isEqualTo(4);
        for (int i = 0; i < 6; i++) {
            long linear = LINEAR + i * 0x1000L;
            assertThat(m.translate(s, linear, PagingAccess.READ, 0, Tlb.NO_EPT, r)).isTrue();
            assertThat(r.physicalAddress).isEqualTo(frames[i] | (LINEAR & 0xFFF));
        }
    }

    @Test
    void writeThroughCleanGlobalEntryFromAnotherPcid_replacesItWithoutDuplicate() {
        map(G);
        setPcid(1);
        translate(0);
        setPcid(2);
        assertThat(mmu.translate(s, LINEAR, PagingAccess.WRITE, 0, Tlb.NO_EPT, r)).isTrue();
        assertThat(mem.read64(pteAddress) & D).isEqualTo(D);
        assertThat(tlb.size()).isEqualTo(1);
        remapInMemory();
        assertThat(mmu.translate(s, LINEAR, PagingAccess.WRITE, 0, Tlb.NO_EPT, r)).isTrue();
        assertThat(r.frameBase).as("second write hits the now-dirty cached entry").isEqualTo(OLD_FRAME);
    }
}
