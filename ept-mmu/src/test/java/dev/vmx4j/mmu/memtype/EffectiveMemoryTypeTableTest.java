package dev.vmx4j.mmu.memtype;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.mmu.MemoryType;
import dev.vmx4j.mmu.ept.VectorLines;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SDM's MTRR x PAT table, applied without EPT, with EPT (IPAT 0 and 1) and under CR0.CD. */
class EffectiveMemoryTypeTableTest {

    private record Row(int line, String text, MemoryType mtrr, MemoryType pat, MemoryType effective) {
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (VectorLines.Line line : VectorLines.read(EffectiveMemoryTypeTableTest.class,
                "effective-page-level-memory-types.txt")) {
            String[] f = line.fields();
            rows.add(new Row(line.number(), line.text(), type(f[0]), type(f[1]), type(f[2])));
        }
        assertThat(rows).hasSize(30);
        return rows;
    }

    private static MemoryType type(String name) {
        return name.equals("UC-") ? MemoryType.UC_MINUS : MemoryType.valueOf(name);
    }

    /** MTRRs enabled with {@code defaultType} everywhere; PAT entry 5 holds {@code patType}. */
    private static MemoryTypeCalculator calculator(MemoryType defaultType, MemoryType patType) {
        Mtrrs mtrrs = new Mtrrs(0x50A, 46);
        assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_DEF_TYPE, Mtrrs.DEF_TYPE_E | defaultType.encoding()))
                .isEqualTo(MsrWriteStatus.OK);
        Pat pat = new Pat();
        long value = (Pat.RESET_VALUE & ~(0xFFL << 40)) | ((long) patType.encoding() << 40);
        assertThat(pat.write(value)).isEqualTo(MsrWriteStatus.OK);
        return new MemoryTypeCalculator(mtrrs, pat);
    }

    private static final int PAT_INDEX_5 = Pat.index(true, false, true);

    @Test
    void everyMtrrPatPair_matchesSdmEffectivePageLevelTable() {
        for (Row row : rows()) {
            String where = "line " + row.line() + ": " + row.text();
            assertThat(MemoryTypeCalculator.effectivePageLevelType(row.mtrr(), row.pat())).as(where)
                    .isEqualTo(row.effective());
            MemoryTypeCalculator calc = calculator(row.mtrr(), row.pat());
            assertThat(calc.type(0x1234_5000L, PAT_INDEX_5, false)).as(where).isEqualTo(row.effective());
            MemoryTypeResult explained = calc.explain(0x1234_5000L, PAT_INDEX_5, false);
            assertThat(explained.type()).as(where).isEqualTo(row.effective());
            assertThat(explained.rule()).as(where).isEqualTo(MemoryTypeRule.MTRR_AND_PAT);
            assertThat(explained.patIndex()).as(where).isEqualTo(5);
            assertThat(explained.patType()).as(where).isEqualTo(row.pat());
            assertThat(explained.mtrr().type()).as(where).isEqualTo(row.mtrr());
        }
    }

    @Test
    void everyMtrrPatPair_withCr0CdSet_isUc() {
        for (Row row : rows()) {
            MemoryTypeCalculator calc = calculator(row.mtrr(), row.pat());
            assertThat(calc.type(0x1234_5000L, PAT_INDEX_5, true)).as("line %d", row.line()).isEqualTo(MemoryType.UC);
            assertThat(calc.explain(0x1234_5000L, PAT_INDEX_5, true).rule()).isEqualTo(MemoryTypeRule.CACHE_DISABLED);
        }
    }

    @Test
    void pagingDisabled_usesMtrrTypeAlone() {
        for (Row row : rows()) {
            MemoryTypeCalculator calc = calculator(row.mtrr(), row.pat());
            assertThat(calc.type(0x1234_5000L, -1, false)).as("line %d", row.line()).isEqualTo(row.mtrr());
            assertThat(calc.explain(0x1234_5000L, -1, false).rule()).isEqualTo(MemoryTypeRule.MTRR_PAGING_DISABLED);
        }
    }

    @Test
    void everyEptTypePatPair_withoutIpat_usesTheTableWithEptTypeInMtrrRole() {
        for (Row row : rows()) {
            String where = "line " + row.line() + ": " + row.text();
            // The MTRRs must not matter: make them UC everywhere (disabled).
            MemoryTypeCalculator calc = new MemoryTypeCalculator(new Mtrrs(0x50A, 46), patWithEntry5(row.pat()));
            assertThat(calc.guestType(row.mtrr(), false, PAT_INDEX_5, false)).as(where).isEqualTo(row.effective());
            MemoryTypeResult r = calc.explainGuest(row.mtrr(), false, PAT_INDEX_5, false);
            assertThat(r.rule()).as(where).isEqualTo(MemoryTypeRule.EPT_AND_PAT);
            assertThat(r.eptType()).as(where).isEqualTo(row.mtrr());
            assertThat(r.mtrr()).as(where).isNull();
        }
    }

    @Test
    void everyEptTypePatPair_withIpat_isTheEptType() {
        for (Row row : rows()) {
            MemoryTypeCalculator calc = new MemoryTypeCalculator(new Mtrrs(0x50A, 46), patWithEntry5(row.pat()));
            assertThat(calc.guestType(row.mtrr(), true, PAT_INDEX_5, false)).as("line %d", row.line())
                    .isEqualTo(row.mtrr());
            assertThat(calc.explainGuest(row.mtrr(), true, PAT_INDEX_5, false).rule())
                    .isEqualTo(MemoryTypeRule.EPT_IGNORE_PAT);
        }
    }

    @Test
    void everyEptTypePatPair_withGuestCr0CdSet_isUcWithAndWithoutIpat() {
        for (Row row : rows()) {
            MemoryTypeCalculator calc = new MemoryTypeCalculator(new Mtrrs(0x50A, 46), patWithEntry5(row.pat()));
            assertThat(calc.guestType(row.mtrr(), false, PAT_INDEX_5, true)).isEqualTo(MemoryType.UC);
            assertThat(calc.guestType(row.mtrr(), true, PAT_INDEX_5, true)).isEqualTo(MemoryType.UC);
            assertThat(calc.explainGuest(row.mtrr(), true, PAT_INDEX_5, true).rule())
                    .isEqualTo(MemoryTypeRule.EPT_CACHE_DISABLED);
        }
    }

    @Test
    void eptWithGuestPagingDisabled_combinesWithPatTypeWb() {
        MemoryTypeCalculator calc = new MemoryTypeCalculator(new Mtrrs(0x50A, 46), new Pat());
        for (MemoryType ept : new MemoryType[] {MemoryType.UC, MemoryType.WC, MemoryType.WT, MemoryType.WP, MemoryType.WB}) {
            assertThat(calc.guestType(ept, false, -1, false)).isEqualTo(ept);
            assertThat(calc.explainGuest(ept, false, -1, false).patType()).isEqualTo(MemoryType.WB);
        }
    }

    private static Pat patWithEntry5(MemoryType type) {
        Pat pat = new Pat();
        assertThat(pat.write((Pat.RESET_VALUE & ~(0xFFL << 40)) | ((long) type.encoding() << 40)))
                .isEqualTo(MsrWriteStatus.OK);
        return pat;
    }
}
