package dev.vmx4j.mmu.memtype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.mmu.MemoryType;
import org.junit.jupiter.api.Test;

class MemoryTypeCalculatorTest {

    private final Mtrrs mtrrs = new Mtrrs(0x50AL, 46);
    private final Pat pat = new Pat();
    private final MemoryTypeCalculator calc = new MemoryTypeCalculator(mtrrs, pat);

    private void setUpTypicalFirmwareMap() {
        // Below 1 MiB: 0-9FFFF WB, A0000-BFFFF UC (VGA), C0000-FFFFF WP (ROM); 3-4 GiB UC (MMIO);
        // default WB.
        assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_FIX64K_00000, 0x0606_0606_0606_0606L)).isEqualTo(MsrWriteStatus.OK);
        assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_FIX16K_80000, 0x0606_0606_0606_0606L)).isEqualTo(MsrWriteStatus.OK);
        assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_FIX16K_A0000, 0)).isEqualTo(MsrWriteStatus.OK);
        for (int msr = MtrrMsr.IA32_MTRR_FIX4K_C0000; msr <= MtrrMsr.IA32_MTRR_FIX4K_F8000; msr++) {
            assertThat(mtrrs.write(msr, 0x0505_0505_0505_0505L)).isEqualTo(MsrWriteStatus.OK);
        }
        assertThat(mtrrs.write(MtrrMsr.physBase(0), 0xC000_0000L)).isEqualTo(MsrWriteStatus.OK);
        assertThat(mtrrs.write(MtrrMsr.physMask(0), 0x3FFF_C000_0000L | Mtrrs.PHYSMASK_VALID)).isEqualTo(MsrWriteStatus.OK);
        assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_DEF_TYPE, Mtrrs.DEF_TYPE_E | Mtrrs.DEF_TYPE_FE | 6))
                .isEqualTo(MsrWriteStatus.OK);
    }

    @Test
    void explain_vgaHoleWithPatWb_namesFixedRangeAndPatEntry() {
        setUpTypicalFirmwareMap();
        MemoryTypeResult r = calc.explain(0xA8000L, 0, false);
        assertThat(r.type()).isEqualTo(MemoryType.UC);
        assertThat(r.mtrr().rule()).isEqualTo(MtrrRule.FIXED_RANGE);
        assertThat(r.mtrr().fixedRangeIndex()).isEqualTo(8 + 10);
        assertThat(r.mtrr().msr()).isEqualTo(MtrrMsr.IA32_MTRR_FIX16K_A0000);
        assertThat(r.patIndex()).isZero();
        assertThat(r.patType()).isEqualTo(MemoryType.WB);
        assertThat(r.explain()).contains("UC").contains("fixed range 18").contains("PAT entry 0 WB");
    }

    @Test
    void explain_mmioHoleWithPatWc_isWcPerTable() {
        setUpTypicalFirmwareMap();
        assertThat(pat.write(0x0007_0406_0007_0401L)).isEqualTo(MsrWriteStatus.OK); // PA0 = WC
        MemoryTypeResult r = calc.explain(0xFEE0_0000L, 0, false);
        assertThat(r.type()).isEqualTo(MemoryType.WC);
        assertThat(r.mtrr().variableIndex()).isZero();
        assertThat(r.mtrr().type()).isEqualTo(MemoryType.UC);
    }

    @Test
    void romWpWithPatUcMinus_isWc_ramWbWithPatUcMinus_isUc() {
        setUpTypicalFirmwareMap();
        int ucMinus = Pat.index(false, true, false); // reset PA2 = UC-
        assertThat(calc.type(0xF0000L, ucMinus, false)).isEqualTo(MemoryType.WC); // WP + UC- = WC
        assertThat(calc.type(0x1000_0000L, ucMinus, false)).isEqualTo(MemoryType.UC); // WB + UC- = UC
        assertThat(calc.type(0x1000_0000L, 0, false)).isEqualTo(MemoryType.WB);
    }

    @Test
    void explainGuest_namesEptTypeAndIpat() {
        MemoryTypeResult r = calc.explainGuest(MemoryType.WB, true, 3, false);
        assertThat(r.type()).isEqualTo(MemoryType.WB);
        assertThat(r.eptType()).isEqualTo(MemoryType.WB);
        assertThat(r.ignorePat()).isTrue();
        assertThat(r.explain()).contains("EPT_IGNORE_PAT").contains("IPAT=1");
    }

    @Test
    void guestAccesses_ignoreTheMtrrs() {
        setUpTypicalFirmwareMap();
        // The VGA hole is UC in the MTRRs; with EPT only the EPT type and PAT count.
        assertThat(calc.guestType(MemoryType.WB, false, 0, false)).isEqualTo(MemoryType.WB);
    }

    @Test
    void eptPagingStructureAccesses_useEptpTypeOrUcWithCr0Cd() {
        assertThat(MemoryTypeCalculator.eptPagingStructureType(0x10_001EL, false)).isEqualTo(MemoryType.WB);
        assertThat(MemoryTypeCalculator.eptPagingStructureType(0x10_0018L, false)).isEqualTo(MemoryType.UC);
        assertThat(MemoryTypeCalculator.eptPagingStructureType(0x10_001EL, true)).isEqualTo(MemoryType.UC);
        assertThatThrownBy(() -> MemoryTypeCalculator.eptPagingStructureType(0x10_001AL, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void misuse_isRejectedWithTheAllowedRange() {
        assertThatThrownBy(() -> calc.type(0, 8, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1 (paging off) or 0..7");
        assertThatThrownBy(() -> calc.guestType(MemoryType.UC_MINUS, false, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UC, WC, WT, WP or WB");
        assertThatThrownBy(() -> MemoryTypeCalculator.effectivePageLevelType(MemoryType.UC_MINUS, MemoryType.WB))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
