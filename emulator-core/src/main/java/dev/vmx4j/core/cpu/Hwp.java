package dev.vmx4j.core.cpu;

import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * Hardware-Controlled Performance States (SDM "Hardware-Controlled Performance States (HWP)")
 * for a processor with one performance level: IA32_PM_ENABLE, IA32_HWP_CAPABILITIES,
 * IA32_HWP_REQUEST and IA32_HWP_STATUS, present when CPUID.06H:EAX[7] = 1. The hints software
 * writes are kept and read back but change nothing: there is no other level to select.
 * Storage is {@link Msrs}; this class holds the rules RDMSR, WRMSR and XRSTORS apply.
 */
final class Hwp {

    static final int IA32_PM_ENABLE = 0x770;
    static final int IA32_HWP_CAPABILITIES = 0x771;
    static final int IA32_HWP_REQUEST = 0x774;
    static final int IA32_HWP_STATUS = 0x777;

    /** IA32_PM_ENABLE.HWP_ENABLE (bit 0). */
    static final long HWP_ENABLE = 1;

    /**
     * The one performance level. MANUAL: the emulated CPU runs at the cycle model's single speed
     * (docs/CYCLE-MODEL.md), so highest = guaranteed = most efficient = lowest; the SDM leaves the
     * scale to the processor and level 1 is the smallest non-zero one.
     */
    static final int LEVEL = 1;

    /**
     * SDM "HWP Performance Range and Dynamic Capabilities": Highest_Performance (7:0),
     * Guaranteed_Performance (15:8), Most_Efficient_Performance (23:16), Lowest_Performance
     * (31:24), all the one level; bits 63:32 are reserved (0).
     */
    static final long CAPABILITIES = LEVEL | LEVEL << 8 | LEVEL << 16 | (long) LEVEL << 24;

    /** SDM "Managing HWP", IA32_HWP_REQUEST: bits 63:43 are reserved and must be zero. */
    static final long REQUEST_RESERVED = -1L << 43;
    /** Minimum_Performance (7:0), Maximum_Performance (15:8), Desired_Performance (23:16). */
    private static final long BASE_FIELDS = 0xFF_FFFFL;
    private static final long ENERGY_PERFORMANCE_PREFERENCE = 0xFFL << 24;
    private static final long ACTIVITY_WINDOW = 0x3FFL << 32;
    private static final long PACKAGE_CONTROL = 1L << 42;

    /**
     * SDM "HWP Feedback" / IA32_HWP_STATUS: Guaranteed_Performance_Change (bit 0) and
     * Excursion_To_Minimum (bit 2) are RWC0; bit 1 and bits 63:3 are reserved.
     */
    static final long STATUS_BITS = 0b101;

    private Hwp() {
    }

    /** CPUID.06H:EAX[7]: the HWP base MSRs exist. */
    static boolean advertised(CpuProfile p) {
        return p.hasFeature(6, 0, 0, 7);
    }

    /**
     * The IA32_HWP_REQUEST fields this profile supports. SDM "Managing HWP": the three
     * performance fields with HWP; Energy_Performance_Preference if CPUID.06H:EAX[10];
     * Activity_Window if CPUID.06H:EAX[9]; Package_Control if CPUID.06H:EAX[11]
     * (IA32_HWP_REQUEST_PKG). "Reads of non-supported fields will return 0. Writes to
     * non-supported fields are ignored."
     */
    static long requestFields(CpuProfile p) {
        long m = BASE_FIELDS;
        m |= p.hasFeature(6, 0, 0, 10) ? ENERGY_PERFORMANCE_PREFERENCE : 0;
        m |= p.hasFeature(6, 0, 0, 9) ? ACTIVITY_WINDOW : 0;
        m |= p.hasFeature(6, 0, 0, 11) ? PACKAGE_CONTROL : 0;
        return m;
    }

    /**
     * The reset value of IA32_HWP_REQUEST, from the field defaults of SDM "Managing HWP":
     * Minimum_Performance = Lowest_Performance, Maximum_Performance = Highest_Performance,
     * Desired_Performance 0, Energy_Performance_Preference 80H (if supported), Activity_Window 0.
     */
    static long resetRequest(CpuProfile p) {
        return (LEVEL | LEVEL << 8 | 0x80L << 24) & requestFields(p);
    }

    /**
     * True if RDMSR/WRMSR of {@code index} is #GP(0) now: SDM "Enabling HWP": "Additional MSRs
     * associated with HWP may only be accessed after HWP is enabled" (IA32_PM_ENABLE itself always).
     */
    static boolean lockedOut(Cpu c, int index) {
        return (index == IA32_HWP_CAPABILITIES || index == IA32_HWP_REQUEST || index == IA32_HWP_STATUS)
                && c.features.hwp && !enabled(c);
    }

    static boolean enabled(Cpu c) {
        return (c.msrs.get(IA32_PM_ENABLE) & HWP_ENABLE) != 0;
    }

    /** True if {@code value} sets a reserved bit of IA32_HWP_REQUEST (#GP(0) on WRMSR and XRSTORS). */
    static boolean requestReserved(long value) {
        return (value & REQUEST_RESERVED) != 0;
    }

    /** Guest WRMSR of an HWP MSR after {@link #lockedOut} and the read-only check. */
    static void wrmsr(Cpu c, int index, long value) {
        switch (index) {
            case IA32_PM_ENABLE:
                // SDM "Enabling HWP": bits 63:1 reserved; HWP_ENABLE is R/W1Once: "Once set, writes
                // to the HWP_ENABLE bit are ignored. Only RESET will clear this bit."
                // DEVIATION: the SDM makes IA32_PM_ENABLE package-scoped (a write from one logical
                // processor enables HWP on all of its package); here each processor has its own.
                if ((value & ~HWP_ENABLE) != 0) {
                    throw CpuException.gp(0);
                }
                c.msrs.put(IA32_PM_ENABLE, c.msrs.get(IA32_PM_ENABLE) | value);
                break;
            case IA32_HWP_REQUEST:
                if (requestReserved(value)) {
                    throw CpuException.gp(0);
                }
                c.msrs.put(IA32_HWP_REQUEST, value & c.features.hwpRequestFields);
                break;
            default: // IA32_HWP_STATUS
                if ((value & ~STATUS_BITS) != 0) {
                    throw CpuException.gp(0);
                }
                // RWC0: software clears a bit by writing 0; MANUAL: writing 1 leaves the bit as it
                // is (only the processor sets it, and with one level it never does).
                c.msrs.put(IA32_HWP_STATUS, c.msrs.get(IA32_HWP_STATUS) & value);
                break;
        }
    }
}
