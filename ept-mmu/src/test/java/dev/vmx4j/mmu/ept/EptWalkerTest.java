package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.TestMemory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.mmu.MemoryType;
import org.junit.jupiter.api.Test;

class EptWalkerTest {

    private static final long TABLES = 0x10_0000L;
    private static final int READ = EptAccess.READ | EptAccess.LINEAR_ADDRESS_VALID;
    private static final int WRITE = EptAccess.WRITE | EptAccess.LINEAR_ADDRESS_VALID;
    private static final long LEAF = EptTables.RWX | EptTables.WB;

    private final TestMemory memory = new TestMemory();
    private final EptWalkResult result = new EptWalkResult();

    private EptWalker walker(EptTables tables, boolean ad) {
        return new EptWalker(memory).configure(EptCapabilities.TYPICAL, 46).eptp(tables.eptp(ad));
    }

    // ---- walks -------------------------------------------------------------------------------

    @Test
    void fourLevelWalk_4KPage_hostAddressIsLeafFrameplusBits11To0() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x1234_5000L, 0xABC_D000L, EptEntry.PTE, LEAF);

        assertThat(walker(t, false).translate(0x1234_5678L, 0, READ, result)).isTrue();
        assertThat(result.hostPhysicalAddress()).isEqualTo(0xABC_D678L);
        assertThat(result.level()).isEqualTo(EptEntry.PTE);
        assertThat(result.pageSize()).isEqualTo(4096);
        assertThat(result.topLevel()).isEqualTo(4);
        assertThat(result.entryAddress(4)).isEqualTo(TABLES);
    }

    @Test
    void fiveLevelWalk_indexesPml5WithGpaBits56To48() {
        EptTables t = new EptTables(memory, 5, TABLES);
        long gpa = (3L << 48) | 0x5000L;
        t.map(gpa, 0x99_9000L, EptEntry.PTE, LEAF);

        assertThat(walker(t, false).translate(gpa | 0x10, 0, READ, result)).isTrue();
        assertThat(result.hostPhysicalAddress()).isEqualTo(0x99_9010L);
        assertThat(result.entryAddress(5)).isEqualTo(TABLES + 3 * 8);
        // The same GPA without bit 48..49 misses: the PML5 entry 0 is not present.
        assertThat(walker(t, false).translate(0x5010L, 0, READ, result)).isFalse();
        assertThat(result.outcome()).isEqualTo(EptWalkOutcome.VIOLATION);
        assertThat(result.level()).isEqualTo(5);
    }

    @Test
    void fourLevelWalk_ignoresPml5IndexBits() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x99_9000L, EptEntry.PTE, LEAF);
        // 4-level: bits 47:39 index the PML4; bits above 47 do not select anything.
        assertThat(walker(t, false).translate((1L << 48) | 0x5000L, 0, READ, result)).isTrue();
        assertThat(result.hostPhysicalAddress()).isEqualTo(0x99_9000L);
    }

    @Test
    void twoMegabytePage_hostAddressKeepsGpaBits20To0() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x4020_0000L, 0x8000_0000L, EptEntry.PDE, LEAF);

        assertThat(walker(t, false).translate(0x4021_2345L, 0, READ, result)).isTrue();
        assertThat(result.hostPhysicalAddress()).isEqualTo(0x8001_2345L);
        assertThat(result.level()).isEqualTo(EptEntry.PDE);
        assertThat(result.pageSize()).isEqualTo(2L << 20);
    }

    @Test
    void oneGigabytePage_hostAddressKeepsGpaBits29To0() {
        EptTables t = new EptTables(memory, 5, TABLES);
        t.map(0x1_4000_0000L, 0x40_0000_0000L, EptEntry.PDPTE, LEAF);

        assertThat(walker(t, false).translate(0x1_7654_3210L, 0, READ, result)).isTrue();
        assertThat(result.hostPhysicalAddress()).isEqualTo(0x40_3654_3210L);
        assertThat(result.pageSize()).isEqualTo(1L << 30);
    }

    @Test
    void pteBit7_isIgnored() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF | EptEntry.PAGE_SIZE);
        assertThat(walker(t, false).translate(0x5000L, 0, READ, result)).isTrue();
        assertThat(result.hostPhysicalAddress()).isEqualTo(0x9000L);
    }

    @Test
    void ignoredBits_63To52And11And9_doNotAffectTranslation() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.nonLeafFlags |= 0x7FF0_0000_0000_0000L | (1L << 11) | (1L << 9);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF | 0x7FF0_0000_0000_0000L | (1L << 11));
        assertThat(walker(t, false).translate(0x5000L, 0, READ, result)).isTrue();
        assertThat(result.hostPhysicalAddress()).isEqualTo(0x9000L);
    }

    @Test
    void leafMemoryTypeAndIgnorePat_areReported() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.RWX | (1L << 3) | EptEntry.IGNORE_PAT);
        t.map(0x6000L, 0xA000L, EptEntry.PTE, EptTables.RWX | (5L << 3));
        EptWalker w = walker(t, false);

        w.translate(0x5000L, 0, READ, result);
        assertThat(result.memoryType()).isEqualTo(MemoryType.WC);
        assertThat(result.ignorePat()).isTrue();
        w.translate(0x6000L, 0, READ, result);
        assertThat(result.memoryType()).isEqualTo(MemoryType.WP);
        assertThat(result.ignorePat()).isFalse();
    }

    @Test
    void effectivePermissions_areTheAndAcrossAllLevels() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        long pde = t.get(0x5000L, EptEntry.PDE);
        t.set(0x5000L, EptEntry.PDE, pde & ~EptEntry.WRITE);

        assertThat(walker(t, false).translate(0x5000L, 0, READ, result)).isTrue();
        assertThat(result.readable()).isTrue();
        assertThat(result.writable()).isFalse();
        assertThat(result.executable()).isTrue();
        assertThat(walker(t, false).translate(0x5000L, 0, WRITE, result)).isFalse();
        assertThat(result.violationQualification().writable()).isFalse();
        assertThat(result.violationQualification().readable()).isTrue();
    }

    // ---- violations: qualification --------------------------------------------------------

    @Test
    void notPresentEntry_violationWithPermissionBits3To6Clear() {
        EptTables t = new EptTables(memory, 4, TABLES);
        EptWalker w = walker(t, false).modeBasedExecuteControl(true);
        assertThat(w.translate(0x5000L, 0x1000, READ, result)).isFalse();
        assertThat(result.outcome()).isEqualTo(EptWalkOutcome.VIOLATION);
        assertThat(result.level()).isEqualTo(4);
        assertThat(result.exitQualification()).isEqualTo(0x181L);
        assertThat(result.guestPhysicalAddress()).isEqualTo(0x5000L);
        assertThat(result.guestLinearAddress()).isEqualTo(0x1000L);
    }

    @Test
    void guestPagingStructureRead_clearsBit8KeepsBit7() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.EXECUTE);
        assertThat(walker(t, false).translate(0x5000L, 0x1234, READ | EptAccess.GUEST_PAGING_ENTRY
                | EptAccess.USER_MODE_LINEAR, result)).isFalse();
        EptViolationQualification q = result.violationQualification();
        assertThat(q.linearAddressValid()).isTrue();
        assertThat(q.linearTranslation()).isFalse();
        // Bits 9-11 are defined only when bit 8 is 1.
        assertThat(q.userModeLinear()).isFalse();
        assertThat(q.read()).isTrue();
        assertThat(q.write()).isFalse();
    }

    @Test
    void pdpteLoadWithoutLinearAddress_clearsBits7And8AndLinearAddress() {
        EptTables t = new EptTables(memory, 4, TABLES);
        assertThat(walker(t, false).translate(0x5000L, 0xdead, EptAccess.READ | EptAccess.GUEST_PAGING_ENTRY,
                result)).isFalse();
        assertThat(result.exitQualification()).isEqualTo(EptViolationQualification.READ);
        assertThat(result.linearAddressValid()).isFalse();
        assertThat(result.guestLinearAddress()).isZero();
    }

    @Test
    void advancedExitInformation_bits9To11_copiedOnlyWhenCapabilityBit22() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.READ);
        int access = WRITE | EptAccess.USER_MODE_LINEAR | EptAccess.LINEAR_READ_WRITE
                | EptAccess.LINEAR_EXECUTE_DISABLE;

        walker(t, false).translate(0x5000L, 0, access, result);
        assertThat(result.exitQualification()).isEqualTo(0x2 | 0x8 | 0x80 | 0x100 | 0xE00);

        EptWalker noAdvanced = new EptWalker(memory).configure(EptCapabilities.of(
                EptCapabilities.TYPICAL.raw() & ~EptCapabilities.ADVANCED_EPT_VIOLATION_EXIT_INFO), 46)
                .eptp(t.eptp(false));
        noAdvanced.translate(0x5000L, 0, access, result);
        assertThat(result.exitQualification()).isEqualTo(0x2 | 0x8 | 0x80 | 0x100);
    }

    @Test
    void qualificationBit6_isClearWithoutModeBasedExecuteControl() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.READ | EptEntry.USER_EXECUTE);
        walker(t, false).translate(0x5000L, 0, WRITE, result);
        assertThat(result.exitQualification() & EptViolationQualification.USER_EXECUTABLE).isZero();
        walker(t, false).modeBasedExecuteControl(true).translate(0x5000L, 0, WRITE, result);
        assertThat(result.exitQualification() & EptViolationQualification.USER_EXECUTABLE).isNotZero();
    }

    @Test
    void modeBasedExecute_userFetchUsesBit10_supervisorFetchUsesBit2() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.READ | EptEntry.USER_EXECUTE);
        EptWalker w = walker(t, false).modeBasedExecuteControl(true);
        int fetch = EptAccess.FETCH | EptAccess.LINEAR_ADDRESS_VALID;

        assertThat(w.translate(0x5000L, 0, fetch | EptAccess.USER_MODE_LINEAR, result)).isTrue();
        assertThat(result.userExecutable()).isTrue();
        assertThat(result.executable()).isFalse();
        assertThat(w.translate(0x5000L, 0, fetch, result)).isFalse();
        // Without MBEC bit 10 is ignored: a user fetch needs bit 2.
        assertThat(walker(t, false).translate(0x5000L, 0, fetch | EptAccess.USER_MODE_LINEAR, result)).isFalse();
        assertThat(result.userExecutable()).isFalse();
    }

    // ---- #VE -------------------------------------------------------------------------------

    @Test
    void eptViolationVe_convertibleWhenLeafSuppressVeClear() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.READ);
        t.map(0x6000L, 0xA000L, EptEntry.PTE, EptTables.WB | EptEntry.READ | EptEntry.SUPPRESS_VE);
        EptWalker w = walker(t, false).eptViolationVirtualizationException(true);

        w.translate(0x5000L, 0, WRITE, result);
        assertThat(result.convertibleToVirtualizationException()).isTrue();
        w.translate(0x6000L, 0, WRITE, result);
        assertThat(result.convertibleToVirtualizationException()).isFalse();
    }

    @Test
    void eptViolationVe_notPresentEntryUsesItsOwnBit63() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.set(0x5000L, EptEntry.PDE, EptEntry.SUPPRESS_VE);
        t.set(0x4000_0000L, EptEntry.PDE, 0);
        EptWalker w = walker(t, false).eptViolationVirtualizationException(true);

        w.translate(0x5000L, 0, READ, result);
        assertThat(result.level()).isEqualTo(EptEntry.PDE);
        assertThat(result.convertibleToVirtualizationException()).isFalse();
        w.translate(0x4000_0000L, 0, READ, result);
        assertThat(result.convertibleToVirtualizationException()).isTrue();
    }

    @Test
    void eptViolationVeControlOff_neverConvertible() {
        EptTables t = new EptTables(memory, 4, TABLES);
        walker(t, false).translate(0x5000L, 0, READ, result);
        assertThat(result.outcome()).isEqualTo(EptWalkOutcome.VIOLATION);
        assertThat(result.convertibleToVirtualizationException()).isFalse();
    }

    // ---- accessed and dirty flags ------------------------------------------------------------

    @Test
    void accessedDirtyDisabled_walkWritesNothing() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        int before = memory.writeCount();
        assertThat(walker(t, false).translate(0x5000L, 0, WRITE, result)).isTrue();
        assertThat(memory.writeCount()).isEqualTo(before);
        assertThat(t.get(0x5000L, EptEntry.PTE) & (EptEntry.ACCESSED | EptEntry.DIRTY)).isZero();
    }

    @Test
    void accessedDirtyEnabled_readSetsAccessedInEveryEntryUsed_notDirty() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        assertThat(walker(t, true).translate(0x5000L, 0, READ, result)).isTrue();
        for (int level = 4; level >= 1; level--) {
            assertThat(t.get(0x5000L, level) & EptEntry.ACCESSED).as("level %d", level).isNotZero();
        }
        assertThat(t.get(0x5000L, EptEntry.PTE) & EptEntry.DIRTY).isZero();
    }

    @Test
    void accessedDirtyEnabled_writeSetsDirtyInLeafOnly() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x4000_0000L, 0x8000_0000L, EptEntry.PDE, LEAF);
        assertThat(walker(t, true).translate(0x4000_0000L, 0, WRITE, result)).isTrue();
        assertThat(t.get(0x4000_0000L, EptEntry.PDE) & (EptEntry.ACCESSED | EptEntry.DIRTY))
                .isEqualTo(EptEntry.ACCESSED | EptEntry.DIRTY);
        assertThat(t.get(0x4000_0000L, EptEntry.PDPTE) & EptEntry.DIRTY).isZero();
        // The result reports the entry values as read, before the update.
        assertThat(result.entryValue(EptEntry.PDE) & EptEntry.DIRTY).isZero();
    }

    @Test
    void accessedDirtyEnabled_guestPagingStructureReadCountsAsWrite_setsDirty() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        assertThat(walker(t, true).translate(0x5000L, 0x1000, READ | EptAccess.GUEST_PAGING_ENTRY, result)).isTrue();
        assertThat(t.get(0x5000L, EptEntry.PTE) & EptEntry.DIRTY).isNotZero();
    }

    @Test
    void accessedDirtyEnabled_guestPagingStructureReadOfReadOnlyPage_violationSetsBits0And1() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.READ);
        int access = READ | EptAccess.GUEST_PAGING_ENTRY;
        assertThat(walker(t, true).translate(0x5000L, 0x1000, access, result)).isFalse();
        assertThat(result.exitQualification()).isEqualTo(0x1 | 0x2 | 0x8 | 0x80);
        // Without A/D the same read is allowed.
        assertThat(walker(t, false).translate(0x5000L, 0x1000, access, result)).isTrue();
    }

    @Test
    void accessedDirtyEnabled_pdpteLoadByMovCr_staysAReadAndSetsNoDirtyFlag() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.READ);
        int pdpteLoad = EptAccess.READ | EptAccess.GUEST_PAGING_ENTRY;
        assertThat(walker(t, true).translate(0x5000L, 0, pdpteLoad, result)).isTrue();
        assertThat(t.get(0x5000L, EptEntry.PTE) & (EptEntry.ACCESSED | EptEntry.DIRTY)).isEqualTo(EptEntry.ACCESSED);
    }

    @Test
    void accessedDirtyEnabled_violationSetsNoFlags() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.READ);
        int before = memory.writeCount();
        walker(t, true).translate(0x5000L, 0, WRITE, result);
        assertThat(memory.writeCount()).isEqualTo(before);
    }

    @Test
    void accessedDirtyEnabled_alreadySetFlags_areNotRewritten() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        EptWalker w = walker(t, true);
        w.translate(0x5000L, 0, WRITE, result);
        int before = memory.writeCount();
        w.translate(0x5000L, 0, WRITE, result);
        assertThat(memory.writeCount()).isEqualTo(before);
    }

    // ---- page-modification logging -------------------------------------------------------------

    @Test
    void pml_dirtyZeroToOne_logsPageAlignedGpaAndDecrementsIndex() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        PageModificationLog log = new PageModificationLog(memory, 0x200_0000L, 511);
        EptWalker w = walker(t, true).pageModificationLog(log);

        assertThat(w.translate(0x5678L, 0, WRITE, result)).isTrue();
        assertThat(memory.read64(0x200_0000L + 8 * 511)).isEqualTo(0x5000L);
        assertThat(log.index()).isEqualTo(510);
        w.translate(0x5678L, 0, WRITE, result);
        assertThat(log.index()).as("already dirty: no second entry").isEqualTo(510);
    }

    @Test
    void pml_readSettingOnlyAccessed_logsNothing() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        PageModificationLog log = new PageModificationLog(memory, 0x200_0000L, 511);
        walker(t, true).pageModificationLog(log).translate(0x5000L, 0, READ, result);
        assertThat(log.index()).isEqualTo(511);
    }

    @Test
    void pml_indexZero_wrapsToFfffAndNextUpdateIsLogFull() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        t.map(0x6000L, 0xA000L, EptEntry.PTE, LEAF);
        PageModificationLog log = new PageModificationLog(memory, 0x200_0000L, 0);
        EptWalker w = walker(t, true).pageModificationLog(log);

        assertThat(w.translate(0x5000L, 0, WRITE, result)).isTrue();
        assertThat(log.index()).isEqualTo(0xFFFF);
        int before = memory.writeCount();
        assertThat(w.translate(0x6000L, 0, WRITE, result)).isFalse();
        assertThat(result.outcome()).isEqualTo(EptWalkOutcome.PML_LOG_FULL);
        assertThat(memory.writeCount()).as("no flag set when the log is full").isEqualTo(before);
        assertThat(t.get(0x6000L, EptEntry.PTE) & (EptEntry.ACCESSED | EptEntry.DIRTY)).isZero();
    }

    @Test
    void pml_logFull_accessedOnlyUpdateAlsoReportsLogFull_butNoUpdateNeededTranslates() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        PageModificationLog full = new PageModificationLog(memory, 0x200_0000L, 512);
        EptWalker w = walker(t, true).pageModificationLog(full);
        assertThat(w.translate(0x5000L, 0, READ, result)).isFalse();
        assertThat(result.outcome()).isEqualTo(EptWalkOutcome.PML_LOG_FULL);

        w.pageModificationLog(null).translate(0x5000L, 0, READ, result);
        assertThat(w.pageModificationLog(full).translate(0x5000L, 0, READ, result)).isTrue();
    }

    // ---- diagnostics -----------------------------------------------------------------------

    @Test
    void resultToString_namesOutcomeAndItsDetails() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, LEAF);
        t.map(0x6000L, 0xA000L, EptEntry.PTE, EptEntry.WRITE);
        EptWalker w = walker(t, false);

        w.translate(0x5000L, 0, READ, result);
        assertThat(result.toString()).contains("TRANSLATED").contains("hpa=0x9000").contains("WB");
        w.translate(0x6000L, 0, READ, result);
        assertThat(result.toString()).contains("WRITE_WITHOUT_READ").contains("EPT PTE=0xa002");
        w.translate(0x7000L, 0, READ, result);
        assertThat(result.toString()).contains("VIOLATION").contains("qualification=0x181");
    }

    @Test
    void entryAccessorsOutsideTheLevelsRead_areMisuse() {
        EptTables t = new EptTables(memory, 4, TABLES);
        walker(t, false).translate(0x5000L, 0, READ, result); // stops at the PML4E
        assertThat(result.entryAddress(4)).isEqualTo(TABLES);
        assertThatThrownBy(() -> result.entryValue(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4..4");
        assertThatThrownBy(() -> result.entryValue(5)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- misuse ----------------------------------------------------------------------------

    @Test
    void translateBeforeEptp_isIllegalState() {
        assertThatThrownBy(() -> new EptWalker(memory).translate(0, 0, READ, result))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eptpWithWalkLength3_isRejectedAsMisuse() {
        assertThatThrownBy(() -> new EptWalker(memory).eptp(Eptp.of(0x1000, 6, 3, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 or 5");
    }
}
