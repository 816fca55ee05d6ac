package dev.vmx4j.mmu.memtype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.mmu.MemoryType;
import org.junit.jupiter.api.Test;

class MtrrsTest {

    /** VCNT = 10, FIX, WC. */
    private static final long MTRRCAP = 0x50AL;
    private static final long E = Mtrrs.DEF_TYPE_E;
    private static final long FE = Mtrrs.DEF_TYPE_FE;

    /**
     * SDM table "Address Mapping for Fixed-Range MTRRs": MSR, first address, range size; each
     * register holds eight consecutive ranges.
     */
    private static final long[][] FIXED_MAP = {
        {0x250, 0x00000, 0x10000},
        {0x258, 0x80000, 0x4000},
        {0x259, 0xA0000, 0x4000},
        {0x268, 0xC0000, 0x1000},
        {0x269, 0xC8000, 0x1000},
        {0x26A, 0xD0000, 0x1000},
        {0x26B, 0xD8000, 0x1000},
        {0x26C, 0xE0000, 0x1000},
        {0x26D, 0xE8000, 0x1000},
        {0x26E, 0xF0000, 0x1000},
        {0x26F, 0xF8000, 0x1000},
    };

    private final Mtrrs mtrrs = new Mtrrs(MTRRCAP, 46);

    private void write(int msr, long value) {
        assertThat(mtrrs.write(msr, value)).as("WRMSR 0x%x, 0x%x", msr, value).isEqualTo(MsrWriteStatus.OK);
    }

    private void variable(int n, long base, int type, long mask) {
        write(MtrrMsr.physBase(n), base | type);
        write(MtrrMsr.physMask(n), mask | Mtrrs.PHYSMASK_VALID);
    }

    @Test
    void resetState_mtrrsDisabled_everythingIsUc() {
        assertThat(mtrrs.typeOf(0)).isEqualTo(MemoryType.UC);
        assertThat(mtrrs.typeOf(0x1_0000_0000L)).isEqualTo(MemoryType.UC);
        assertThat(mtrrs.match(0x1000).rule()).isEqualTo(MtrrRule.MTRRS_DISABLED);
    }

    @Test
    void mtrrsDisabled_ignoresProgrammedRangesAndDefault() {
        variable(0, 0, 6, 0x3FFF_0000_0000L);
        write(MtrrMsr.IA32_MTRR_DEF_TYPE, 6 | FE);
        assertThat(mtrrs.typeOf(0x1000)).isEqualTo(MemoryType.UC);
    }

    @Test
    void all88FixedRanges_coverTheFirstMegabyteAsTheSdmMapsThem() {
        // Range i of register k gets type WB if (k + i) is even, else WT: neighbours differ.
        for (long[] reg : FIXED_MAP) {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                long type = ((reg[0] + i) & 1) == 0 ? 6 : 4;
                value |= type << (8 * i);
            }
            write((int) reg[0], value);
        }
        write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | FE | 0);
        int ranges = 0;
        for (long[] reg : FIXED_MAP) {
            for (int i = 0; i < 8; i++) {
                MemoryType expected = ((reg[0] + i) & 1) == 0 ? MemoryType.WB : MemoryType.WT;
                long first = reg[1] + i * reg[2];
                long last = first + reg[2] - 1;
                assertThat(mtrrs.typeOf(first)).as("MSR 0x%x range %d first 0x%x", reg[0], i, first).isEqualTo(expected);
                assertThat(mtrrs.typeOf(last)).as("MSR 0x%x range %d last 0x%x", reg[0], i, last).isEqualTo(expected);
                MtrrMatch m = mtrrs.match(first);
                assertThat(m.rule()).isEqualTo(MtrrRule.FIXED_RANGE);
                assertThat(m.msr()).isEqualTo((int) reg[0]);
                assertThat(MtrrMsr.fixedRangeBase(m.fixedRangeIndex())).isEqualTo(first);
                assertThat(MtrrMsr.fixedRangeSize(m.fixedRangeIndex())).isEqualTo(reg[2]);
                ranges++;
            }
        }
        assertThat(ranges).isEqualTo(88);
        assertThat(mtrrs.typeOf(0x100000)).as("1 MiB is past the fixed ranges: default").isEqualTo(MemoryType.UC);
    }

    @Test
    void fixedRangesDisabledByFe_firstMegabyteUsesVariableRangesAndDefault() {
        write(MtrrMsr.IA32_MTRR_FIX64K_00000, 0x0606_0606_0606_0606L);
        variable(0, 0, 5, 0x3FFF_FFF0_0000L & ~0xFFFFFL); // 0..1 MiB WP
        write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 0);
        assertThat(mtrrs.typeOf(0x1000)).isEqualTo(MemoryType.WP);
        assertThat(mtrrs.match(0x1000).rule()).isEqualTo(MtrrRule.SINGLE_VARIABLE_RANGE);
        write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | FE | 0);
        assertThat(mtrrs.typeOf(0x1000)).isEqualTo(MemoryType.WB);
    }

    @Test
    void fixedRangesTakePrecedenceOverVariableRanges() {
        write(MtrrMsr.IA32_MTRR_FIX4K_F8000, 0x0505_0505_0505_0505L);
        variable(0, 0, 0, 0x3FFF_F000_0000L); // 0..256 MiB UC
        write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | FE | 6);
        assertThat(mtrrs.typeOf(0xFF000)).isEqualTo(MemoryType.WP);
    }

    @Test
    void variableRange_matchesWhenAddressAndBaseAgreeUnderMask() {
        variable(3, 0x8000_0000L, 1, 0x3FFF_C000_0000L); // 2 GiB .. 3 GiB WC
        write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 6);
        assertThat(mtrrs.typeOf(0x7FFF_FFFFL)).isEqualTo(MemoryType.WB);
        assertThat(mtrrs.typeOf(0x8000_0000L)).isEqualTo(MemoryType.WC);
        assertThat(mtrrs.typeOf(0xBFFF_FFFFL)).isEqualTo(MemoryType.WC);
        assertThat(mtrrs.typeOf(0xC000_0000L)).isEqualTo(MemoryType.WB);
        MtrrMatch m = mtrrs.match(0x8000_1000L);
        assertThat(m.variableIndex()).isEqualTo(3);
        assertThat(m.msr()).isEqualTo(0x206);
        assertThat(m.matchingVariable()).isEqualTo(1L << 3);
        assertThat(mtrrs.match(0x1000).rule()).isEqualTo(MtrrRule.DEFAULT_TYPE);
    }

    @Test
    void variableRangeWithValidClear_neverMatches() {
        write(MtrrMsr.physBase(0), 0);
        write(MtrrMsr.physMask(0), 0x3FFF_F000_0000L);
        write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 6);
        assertThat(mtrrs.typeOf(0x1000)).isEqualTo(MemoryType.WB);
    }

    @Test
    void variableMask_onlyBitsBelowMaxPhyAddrTakePart() {
        Mtrrs narrow = new Mtrrs(MTRRCAP, 36);
        // A mask of all address bits below bit 36 selects exactly one 4-KByte page.
        assertThat(narrow.write(MtrrMsr.physBase(0), 0x1234_5000L | 4)).isEqualTo(MsrWriteStatus.OK);
        assertThat(narrow.write(MtrrMsr.physMask(0), 0xF_FFFF_F000L | Mtrrs.PHYSMASK_VALID)).isEqualTo(MsrWriteStatus.OK);
        assertThat(narrow.write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 6)).isEqualTo(MsrWriteStatus.OK);
        assertThat(narrow.typeOf(0x1234_5FFFL)).isEqualTo(MemoryType.WT);
        assertThat(narrow.typeOf(0x1234_6000L)).isEqualTo(MemoryType.WB);
        assertThat(narrow.write(MtrrMsr.physMask(0), 0x1F_FFFF_F000L | Mtrrs.PHYSMASK_VALID))
                .as("bit 36 is reserved with MAXPHYADDR 36").isEqualTo(MsrWriteStatus.RESERVED_BITS_SET);
    }

    // ---- SDM "MTRR Precedences": overlaps ---------------------------------------------------------

    private static final long MASK_1G = 0x3FFF_C000_0000L;
    private static final long MASK_2G = 0x3FFF_8000_0000L;

    private MtrrMatch overlap(int typeLow, int typeHigh) {
        variable(0, 0, typeLow, MASK_2G);  // 0 .. 2 GiB
        variable(1, 0, typeHigh, MASK_1G); // 0 .. 1 GiB
        write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 6);
        return mtrrs.match(0x1000);
    }

    @Test
    void overlapOfIdenticalTypes_usesThatType() {
        MtrrMatch m = overlap(5, 5);
        assertThat(m.type()).isEqualTo(MemoryType.WP);
        assertThat(m.rule()).isEqualTo(MtrrRule.OVERLAP_IDENTICAL);
        assertThat(m.matchingVariable()).isEqualTo(0b11);
    }

    @Test
    void overlapWithUc_ucWinsWhateverTheOtherType() {
        for (int other : new int[] {1, 4, 5, 6}) {
            Mtrrs fresh = new Mtrrs(MTRRCAP, 46);
            fresh.write(MtrrMsr.physBase(0), other);
            fresh.write(MtrrMsr.physMask(0), MASK_2G | Mtrrs.PHYSMASK_VALID);
            fresh.write(MtrrMsr.physBase(1), 0);
            fresh.write(MtrrMsr.physMask(1), MASK_1G | Mtrrs.PHYSMASK_VALID);
            fresh.write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 6);
            assertThat(fresh.typeOf(0x1000)).as("UC + %d", other).isEqualTo(MemoryType.UC);
            assertThat(fresh.match(0x1000).rule()).isEqualTo(MtrrRule.OVERLAP_UC_WINS);
            assertThat(fresh.match(0x1000).variableIndex()).isEqualTo(1);
            assertThat(fresh.typeOf(0x5000_0000L)).as("only range 0").isEqualTo(MemoryType.fromEncoding(other));
        }
    }

    @Test
    void overlapOfWtAndWb_givesWt() {
        MtrrMatch m = overlap(6, 4);
        assertThat(m.type()).isEqualTo(MemoryType.WT);
        assertThat(m.rule()).isEqualTo(MtrrRule.OVERLAP_WT_OVER_WB);
        assertThat(m.variableIndex()).isEqualTo(1);
    }

    @Test
    void undefinedOverlaps_leastCacheableInOrderWcWtWpWb_reportedAsUndefined() {
        // MANUAL choice documented in Mtrrs: order UC, WC, WT, WP, WB.
        int[][] cases = {{1, 6, 1}, {1, 4, 1}, {1, 5, 1}, {4, 5, 4}, {5, 6, 5}};
        for (int[] c : cases) {
            Mtrrs fresh = new Mtrrs(MTRRCAP, 46);
            fresh.write(MtrrMsr.physBase(0), c[0]);
            fresh.write(MtrrMsr.physMask(0), MASK_2G | Mtrrs.PHYSMASK_VALID);
            fresh.write(MtrrMsr.physBase(1), c[1]);
            fresh.write(MtrrMsr.physMask(1), MASK_1G | Mtrrs.PHYSMASK_VALID);
            fresh.write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 6);
            assertThat(fresh.typeOf(0x1000).encoding()).as("%d + %d", c[0], c[1]).isEqualTo(c[2]);
            assertThat(fresh.match(0x1000).rule()).isEqualTo(MtrrRule.OVERLAP_UNDEFINED);
        }
    }

    // ---- WRMSR validation -----------------------------------------------------------------------

    @Test
    void reservedTypeEncodings_areInvalidInEveryTypeField() {
        for (long bad : new long[] {2, 3, 7, 8, 0xFF}) {
            assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | bad)).as("default %d", bad)
                    .isEqualTo(MsrWriteStatus.INVALID_MEMORY_TYPE);
            assertThat(mtrrs.write(MtrrMsr.physBase(2), bad)).as("PHYSBASE %d", bad)
                    .isEqualTo(MsrWriteStatus.INVALID_MEMORY_TYPE);
            for (int i = 0; i < 8; i++) {
                assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_FIX4K_C8000, 0x0606_0606_0606_0606L & ~(0xFFL << (8 * i))
                        | (bad << (8 * i)))).as("fixed byte %d = %d", i, bad).isEqualTo(MsrWriteStatus.INVALID_MEMORY_TYPE);
            }
        }
        assertThat(mtrrs.read(MtrrMsr.IA32_MTRR_DEF_TYPE)).as("failed writes change nothing").isZero();
        assertThat(mtrrs.read(MtrrMsr.IA32_MTRR_FIX4K_C8000)).isZero();
    }

    @Test
    void validTypeEncodings_areAccepted() {
        for (long ok : new long[] {0, 1, 4, 5, 6}) {
            assertThat(mtrrs.write(MtrrMsr.physBase(9), ok)).isEqualTo(MsrWriteStatus.OK);
            assertThat(mtrrs.read(MtrrMsr.physBase(9))).isEqualTo(ok);
        }
    }

    @Test
    void wcWithoutMtrrcapWc_isInvalidType() {
        Mtrrs noWc = new Mtrrs(MTRRCAP & ~Mtrrs.CAP_WC, 46);
        assertThat(noWc.write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 1)).isEqualTo(MsrWriteStatus.INVALID_MEMORY_TYPE);
    }

    @Test
    void defTypeReservedBits_9To8And63To12_areRejected() {
        for (int bit : new int[] {8, 9, 12, 31, 63}) {
            assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | 6 | (1L << bit))).as("bit %d", bit)
                    .isEqualTo(MsrWriteStatus.RESERVED_BITS_SET);
        }
        assertThat(mtrrs.write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | FE | 6)).isEqualTo(MsrWriteStatus.OK);
    }

    @Test
    void physBaseReservedBits_11To8AndAboveMaxPhyAddr_areRejected() {
        for (int bit : new int[] {8, 11, 46, 63}) {
            assertThat(mtrrs.write(MtrrMsr.physBase(0), 6 | (1L << bit))).as("bit %d", bit)
                    .isEqualTo(MsrWriteStatus.RESERVED_BITS_SET);
        }
        assertThat(mtrrs.write(MtrrMsr.physBase(0), 6 | (1L << 45))).isEqualTo(MsrWriteStatus.OK);
    }

    @Test
    void physMaskReservedBits_10To0AndAboveMaxPhyAddr_areRejected() {
        for (int bit : new int[] {0, 7, 10, 46, 63}) {
            assertThat(mtrrs.write(MtrrMsr.physMask(0), Mtrrs.PHYSMASK_VALID | (1L << bit))).as("bit %d", bit)
                    .isEqualTo(MsrWriteStatus.RESERVED_BITS_SET);
        }
    }

    @Test
    void mtrrcap_isReadOnly() {
        assertThat(mtrrs.write(MtrrMsr.IA32_MTRRCAP, 0)).isEqualTo(MsrWriteStatus.READ_ONLY);
        assertThat(mtrrs.read(MtrrMsr.IA32_MTRRCAP)).isEqualTo(MTRRCAP);
    }

    @Test
    void variableRangeAtOrAboveVcnt_doesNotExist() {
        assertThat(mtrrs.handles(MtrrMsr.physMask(9))).isTrue();
        assertThat(mtrrs.handles(MtrrMsr.physBase(10))).isFalse();
        assertThat(mtrrs.write(MtrrMsr.physBase(10), 6)).isEqualTo(MsrWriteStatus.UNSUPPORTED_MSR);
        assertThatThrownBy(() -> mtrrs.read(MtrrMsr.physBase(10))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutMtrrcapFix_fixedRangeMsrsDoNotExistAndFeIsReserved() {
        Mtrrs noFix = new Mtrrs(MTRRCAP & ~Mtrrs.CAP_FIX, 46);
        for (long[] reg : FIXED_MAP) {
            assertThat(noFix.handles((int) reg[0])).isFalse();
            assertThat(noFix.write((int) reg[0], 0)).isEqualTo(MsrWriteStatus.UNSUPPORTED_MSR);
        }
        assertThat(noFix.write(MtrrMsr.IA32_MTRR_DEF_TYPE, E | FE | 6)).isEqualTo(MsrWriteStatus.RESERVED_BITS_SET);
    }

    @Test
    void vcntAbove64_isMisuse() {
        assertThatThrownBy(() -> new Mtrrs(65, 46)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..64");
    }
}
