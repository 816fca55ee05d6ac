package dev.vmx4j.mmu.memtype;

/**
 * MSR indices of the memory-typing MSRs (SDM "Memory Type Range Registers (MTRRs)",
 * "IA32_PAT MSR").
 */
public final class MtrrMsr {

    public static final int IA32_MTRRCAP = 0xFE;
    public static final int IA32_MTRR_PHYSBASE0 = 0x200;
    public static final int IA32_MTRR_PHYSMASK0 = 0x201;
    public static final int IA32_MTRR_FIX64K_00000 = 0x250;
    public static final int IA32_MTRR_FIX16K_80000 = 0x258;
    public static final int IA32_MTRR_FIX16K_A0000 = 0x259;
    public static final int IA32_MTRR_FIX4K_C0000 = 0x268;
    public static final int IA32_MTRR_FIX4K_C8000 = 0x269;
    public static final int IA32_MTRR_FIX4K_D0000 = 0x26A;
    public static final int IA32_MTRR_FIX4K_D8000 = 0x26B;
    public static final int IA32_MTRR_FIX4K_E0000 = 0x26C;
    public static final int IA32_MTRR_FIX4K_E8000 = 0x26D;
    public static final int IA32_MTRR_FIX4K_F0000 = 0x26E;
    public static final int IA32_MTRR_FIX4K_F8000 = 0x26F;
    public static final int IA32_PAT = 0x277;
    public static final int IA32_MTRR_DEF_TYPE = 0x2FF;

    /** The 11 fixed-range MSRs in range order; register k holds ranges 8k..8k+7. */
    static final int[] FIXED = {
        IA32_MTRR_FIX64K_00000, IA32_MTRR_FIX16K_80000, IA32_MTRR_FIX16K_A0000,
        IA32_MTRR_FIX4K_C0000, IA32_MTRR_FIX4K_C8000, IA32_MTRR_FIX4K_D0000, IA32_MTRR_FIX4K_D8000,
        IA32_MTRR_FIX4K_E0000, IA32_MTRR_FIX4K_E8000, IA32_MTRR_FIX4K_F0000, IA32_MTRR_FIX4K_F8000,
    };

    /** Number of fixed ranges (8 x 64K + 16 x 16K + 64 x 4K). */
    public static final int FIXED_RANGES = 88;

    private MtrrMsr() {
    }

    public static int physBase(int n) {
        return IA32_MTRR_PHYSBASE0 + 2 * n;
    }

    public static int physMask(int n) {
        return IA32_MTRR_PHYSMASK0 + 2 * n;
    }

    /** The MSR holding fixed range {@code index} (0..87). */
    public static int fixedRangeMsr(int index) {
        if (index < 0 || index >= FIXED_RANGES) {
            throw new IllegalArgumentException("fixed range index must be 0..87: " + index);
        }
        return FIXED[index >>> 3];
    }

    /** Position 0..10 of a fixed-range MSR in {@link #FIXED}, or -1. */
    static int fixedRegisterNumber(int msr) {
        for (int k = 0; k < FIXED.length; k++) {
            if (FIXED[k] == msr) {
                return k;
            }
        }
        return -1;
    }

    /** The first physical address of fixed range {@code index} (0..87). */
    public static long fixedRangeBase(int index) {
        if (index < 0 || index >= FIXED_RANGES) {
            throw new IllegalArgumentException("fixed range index must be 0..87: " + index);
        }
        if (index < 8) {
            return (long) index << 16;
        }
        if (index < 24) {
            return 0x80000L + ((long) (index - 8) << 14);
        }
        return 0xC0000L + ((long) (index - 24) << 12);
    }

    /** The size in bytes of fixed range {@code index} (0..87). */
    public static long fixedRangeSize(int index) {
        fixedRangeBase(index);
        return index < 8 ? 0x10000L : index < 24 ? 0x4000L : 0x1000L;
    }

    /** The fixed range (0..87) containing physical address {@code address} below 1 MiB, else -1. */
    public static int fixedRangeIndex(long address) {
        if (address < 0 || address >= 0x100000L) {
            return -1;
        }
        if (address < 0x80000L) {
            return (int) (address >>> 16);
        }
        if (address < 0xC0000L) {
            return 8 + (int) ((address - 0x80000L) >>> 14);
        }
        return 24 + (int) ((address - 0xC0000L) >>> 12);
    }
}
