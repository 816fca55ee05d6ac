package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.TestMemory;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** One test per rule of SDM "EPT Misconfigurations" and the reserved bits of the entry formats. */
class EptMisconfigurationTest {

    private static final long TABLES = 0x10_0000L;
    private static final long GPA = 0x4000_5000L;
    private static final int READ = EptAccess.READ | EptAccess.LINEAR_ADDRESS_VALID;
    private static final long LEAF = EptTables.RWX | EptTables.WB;

    private final TestMemory memory = new TestMemory();
    private final EptWalkResult result = new EptWalkResult();

    private EptWalkResult walk(EptTables t, long caps, int maxPhys) {
        new EptWalker(memory).configure(EptCapabilities.of(caps), maxPhys).eptp(t.eptp(false))
                .translate(GPA, 0, READ, result);
        return result;
    }

    private EptWalkResult walk(EptTables t) {
        return walk(t, EptCapabilities.TYPICAL.raw(), 46);
    }

    private EptTables tables4k(int levels) {
        EptTables t = new EptTables(memory, levels, TABLES);
        t.map(GPA, 0x9000L, EptEntry.PTE, LEAF);
        return t;
    }

    private void assertMisconfigured(EptMisconfiguration reason, int level) {
        assertThat(result.outcome()).as(result.toString()).isEqualTo(EptWalkOutcome.MISCONFIGURATION);
        assertThat(result.misconfiguration()).isEqualTo(reason);
        assertThat(result.level()).isEqualTo(level);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void writeOnlyEntry_010b_isMisconfigurationAtAnyLevel(int level) {
        EptTables t = tables4k(5);
        t.set(GPA, level, (t.get(GPA, level) & ~7L) | EptEntry.WRITE);
        walk(t);
        assertMisconfigured(EptMisconfiguration.WRITE_WITHOUT_READ, level);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void writeExecuteEntry_110b_isMisconfigurationEvenWithExecuteOnlySupport(int level) {
        EptTables t = tables4k(5);
        t.set(GPA, level, (t.get(GPA, level) & ~7L) | EptEntry.WRITE | EptEntry.EXECUTE);
        walk(t);
        assertMisconfigured(EptMisconfiguration.WRITE_WITHOUT_READ, level);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void executeOnlyEntry_withoutCapabilityBit0_isMisconfiguration(int level) {
        EptTables t = tables4k(4);
        t.set(GPA, level, (t.get(GPA, level) & ~7L) | EptEntry.EXECUTE);
        walk(t, EptCapabilities.TYPICAL.raw() & ~EptCapabilities.EXECUTE_ONLY, 46);
        assertMisconfigured(EptMisconfiguration.EXECUTE_ONLY_NOT_SUPPORTED, level);
        walk(t);
        assertThat(result.outcome()).as("supported: a read is a violation").isEqualTo(EptWalkOutcome.VIOLATION);
    }

    @Test
    void userExecuteOnlyEntry_underMbecWithoutExecuteOnlySupport_isMisconfiguration() {
        EptTables t = tables4k(4);
        t.set(GPA, EptEntry.PTE, (t.get(GPA, 1) & ~7L) | EptEntry.USER_EXECUTE);
        new EptWalker(memory).configure(EptCapabilities.of(EptCapabilities.TYPICAL.raw()
                & ~EptCapabilities.EXECUTE_ONLY), 46).eptp(t.eptp(false)).modeBasedExecuteControl(true)
                .translate(GPA, 0, READ, result);
        assertMisconfigured(EptMisconfiguration.EXECUTE_ONLY_NOT_SUPPORTED, EptEntry.PTE);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void bit7InPml4eOrPml5e_isMisconfiguration(int level) {
        EptTables t = tables4k(5);
        t.set(GPA, level, t.get(GPA, level) | EptEntry.PAGE_SIZE);
        walk(t);
        assertMisconfigured(EptMisconfiguration.LARGE_PAGE_NOT_ALLOWED_AT_LEVEL, level);
    }

    @Test
    void oneGigabytePage_withoutCapabilityBit17_isMisconfiguration() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(GPA, 0x4000_0000L, EptEntry.PDPTE, LEAF);
        walk(t, EptCapabilities.TYPICAL.raw() & ~EptCapabilities.PDPTE_1GB_PAGES, 46);
        assertMisconfigured(EptMisconfiguration.LARGE_PAGE_NOT_SUPPORTED, EptEntry.PDPTE);
        walk(t);
        assertThat(result.isTranslated()).isTrue();
    }

    @Test
    void twoMegabytePage_withoutCapabilityBit16_isMisconfiguration() {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(GPA, 0x20_0000L, EptEntry.PDE, LEAF);
        walk(t, EptCapabilities.TYPICAL.raw() & ~EptCapabilities.PDE_2MB_PAGES, 46);
        assertMisconfigured(EptMisconfiguration.LARGE_PAGE_NOT_SUPPORTED, EptEntry.PDE);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6})
    void nonLeafReservedBits6To3_areMisconfigurationAtEveryTableLevel(int bit) {
        for (int level = 2; level <= 5; level++) {
            TestMemory fresh = new TestMemory();
            EptTables t = new EptTables(fresh, 5, TABLES);
            t.map(GPA, 0x9000L, EptEntry.PTE, LEAF);
            t.set(GPA, level, t.get(GPA, level) | (1L << bit));
            new EptWalker(fresh).eptp(t.eptp(false)).translate(GPA, 0, READ, result);
            assertThat(result.misconfiguration()).as("level %d bit %d", level, bit)
                    .isEqualTo(EptMisconfiguration.RESERVED_BITS_SET);
            assertThat(result.level()).isEqualTo(level);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 20, 29})
    void oneGigabytePageBits29To12_areReserved(int bit) {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(GPA, 0x4000_0000L | (1L << bit), EptEntry.PDPTE, LEAF);
        walk(t);
        assertMisconfigured(EptMisconfiguration.RESERVED_BITS_SET, EptEntry.PDPTE);
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 16, 20})
    void twoMegabytePageBits20To12_areReserved(int bit) {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(GPA, 0x20_0000L | (1L << bit), EptEntry.PDE, LEAF);
        walk(t);
        assertMisconfigured(EptMisconfiguration.RESERVED_BITS_SET, EptEntry.PDE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void addressBitAtMaxPhyAddr_isMisconfiguration_butBelowIsNot(int level) {
        EptTables t = tables4k(4);
        long entry = t.get(GPA, level);
        t.set(GPA, level, entry | (1L << 39));
        walk(t, EptCapabilities.TYPICAL.raw(), 39);
        assertMisconfigured(EptMisconfiguration.ADDRESS_BEYOND_MAXPHYADDR, level);
        walk(t, EptCapabilities.TYPICAL.raw(), 40);
        assertThat(result.misconfiguration()).isEqualTo(EptMisconfiguration.NONE);
    }

    @Test
    void bit51_isReservedEvenWithMaxPhyAddr52() {
        // Bits 51:N with N = 52 is empty: bit 51 is an address bit.
        EptTables t = tables4k(4);
        t.set(GPA, EptEntry.PTE, t.get(GPA, EptEntry.PTE) | (1L << 51));
        walk(t, EptCapabilities.TYPICAL.raw(), 52);
        assertThat(result.isTranslated()).isTrue();
        assertThat(result.hostPhysicalAddress()).isEqualTo((1L << 51) | 0x9000L);
        walk(t, EptCapabilities.TYPICAL.raw(), 51);
        assertMisconfigured(EptMisconfiguration.ADDRESS_BEYOND_MAXPHYADDR, EptEntry.PTE);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7})
    void reservedMemoryTypeInLeaf_isMisconfigurationFor4K2MAnd1GPages(int type) {
        for (int level = 1; level <= 3; level++) {
            TestMemory fresh = new TestMemory();
            EptTables t = new EptTables(fresh, 4, TABLES);
            t.map(GPA, 0, level, EptTables.RWX | ((long) type << 3));
            new EptWalker(fresh).eptp(t.eptp(false)).translate(GPA, 0, READ, result);
            assertThat(result.misconfiguration()).as("level %d type %d", level, type)
                    .isEqualTo(EptMisconfiguration.INVALID_MEMORY_TYPE);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 5, 6})
    void validMemoryTypesInLeaf_translate(int type) {
        EptTables t = new EptTables(memory, 4, TABLES);
        t.map(GPA, 0x9000L, EptEntry.PTE, EptTables.RWX | ((long) type << 3));
        walk(t);
        assertThat(result.isTranslated()).isTrue();
        assertThat(result.memoryType().encoding()).isEqualTo(type);
    }

    @Test
    void misconfigurationBelowAPermissionDenial_winsOverTheViolation() {
        EptTables t = tables4k(4);
        t.set(GPA, EptEntry.PDE, t.get(GPA, EptEntry.PDE) & ~EptEntry.READ & ~EptEntry.WRITE);
        t.set(GPA, EptEntry.PTE, t.get(GPA, EptEntry.PTE) | (7L << 3));
        walk(t);
        assertMisconfigured(EptMisconfiguration.INVALID_MEMORY_TYPE, EptEntry.PTE);
    }

    @Test
    void notPresentEntry_hidesMisconfigurationsBelowIt() {
        EptTables t = tables4k(4);
        t.set(GPA, EptEntry.PTE, EptEntry.WRITE);
        t.set(GPA, EptEntry.PDE, t.get(GPA, EptEntry.PDE) & ~7L);
        walk(t);
        assertThat(result.outcome()).isEqualTo(EptWalkOutcome.VIOLATION);
        assertThat(result.level()).isEqualTo(EptEntry.PDE);
    }

    @Test
    void notPresentEntryWithReservedBits_isNotMisconfigured() {
        EptTables t = tables4k(4);
        t.set(GPA, EptEntry.PDE, 0x7FFF_FFFF_FFFF_FFF8L);
        walk(t);
        assertThat(result.outcome()).isEqualTo(EptWalkOutcome.VIOLATION);
    }

    @Test
    void everyReason_carriesSdmSectionAndQuote() {
        for (EptMisconfiguration m : EptMisconfiguration.values()) {
            if (m != EptMisconfiguration.NONE) {
                assertThat(m.sdmSection()).as(m.name()).isNotBlank();
                assertThat(m.quote()).as(m.name()).isNotBlank();
            }
        }
    }
}
