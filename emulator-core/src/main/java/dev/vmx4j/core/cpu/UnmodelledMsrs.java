package dev.vmx4j.core.cpu;

import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * MSRs that a profile's CPUID promises for features vmx4j does not model (thermal and power
 * management, machine-check architecture, debug store, speculation controls): the
 * default profile advertises none of these features, but the Bochs-recorded
 * {@code corei7_icelake_u} does, and an advertised MSR must not fault (SDM "Model-Specific
 * Registers (MSRs)": the CPUID condition under which each architectural MSR exists).
 *
 * <p>DEVIATION: they are plain storage with no effect: read-write ones keep what is written,
 * read-only ones read their reset value and #GP on write, write-only ones (commands) #GP on
 * read and ignore writes. One row per MSR: the CPUID bit that makes it exist, its kind and its
 * reset value.
 */
final class UnmodelledMsrs {

    static final int RW = 0;
    static final int RO = 1;
    static final int WO = 2;

    /** index, CPUID leaf, subleaf, register (0 EAX .. 3 EDX), bit, kind, reset value. */
    private static final long[][] ROWS = {
        // SDM "Machine-Check Architecture": CPUID.01H:EDX.MCA[14]. MANUAL: IA32_MCG_CAP = 0 (no
        // banks): the default profile advertises MCA this way (every Intel 64 processor has it and
        // software reads IA32_MCG_CAP unconditionally); no machine check is ever signalled.
        {0x179, 1, 0, 3, 14, RO, 0},  // IA32_MCG_CAP
        {0x17A, 1, 0, 3, 14, RW, 0},  // IA32_MCG_STATUS
        // Debug store: CPUID.01H:EDX.DS[21].
        {0x600, 1, 0, 3, 21, RW, 0},  // IA32_DS_AREA
        // Thermal monitor and clock modulation: CPUID.01H:EDX.ACPI[22].
        {0x19A, 1, 0, 3, 22, RW, 0},  // IA32_CLOCK_MODULATION
        {0x19B, 1, 0, 3, 22, RW, 0},  // IA32_THERM_INTERRUPT
        {0x19C, 1, 0, 3, 22, RW, 0},  // IA32_THERM_STATUS
        // Enhanced SpeedStep: CPUID.01H:ECX.EST[7].
        {0x198, 1, 0, 2, 7, RO, 0},   // IA32_PERF_STATUS
        {0x199, 1, 0, 2, 7, RW, 0},   // IA32_PERF_CTL
        // Leaf 06H: package thermal (EAX[6]), HWP notification and package request (EAX[8], [11]),
        // MPERF/APERF (ECX[0]), EPB (ECX[3]). The HWP base MSRs (EAX[7]) are modelled: Hwp.
        {0x1B1, 6, 0, 0, 6, RW, 0},   // IA32_PACKAGE_THERM_STATUS
        {0x1B2, 6, 0, 0, 6, RW, 0},   // IA32_PACKAGE_THERM_INTERRUPT
        {0x773, 6, 0, 0, 8, RW, 0},   // IA32_HWP_INTERRUPT
        {0x772, 6, 0, 0, 11, RW, 0},  // IA32_HWP_REQUEST_PKG
        {0xE7, 6, 0, 2, 0, RW, 0},    // IA32_MPERF
        {0xE8, 6, 0, 2, 0, RW, 0},    // IA32_APERF
        {0x1B0, 6, 0, 2, 3, RW, 0},   // IA32_ENERGY_PERF_BIAS
        // Speculation control: CPUID.(EAX=07H,ECX=0):EDX IBRS/IBPB[26], STIBP[27], L1D_FLUSH[28],
        // ARCH_CAPABILITIES[29], SSBD[31].
        {0x48, 7, 0, 3, 26, RW, 0},   // IA32_SPEC_CTRL
        {0x49, 7, 0, 3, 26, WO, 0},   // IA32_PRED_CMD
        {0x10B, 7, 0, 3, 28, WO, 0},  // IA32_FLUSH_CMD
        {0x10A, 7, 0, 3, 29, RO, 0},  // IA32_ARCH_CAPABILITIES
    };

    private UnmodelledMsrs() {
    }

    /** Calls {@code sink} for every row whose feature {@code profile} advertises. */
    static void forEachAdvertised(CpuProfile profile, Sink sink) {
        for (long[] r : ROWS) {
            if (profile.hasFeature((int) r[1], (int) r[2], (int) r[3], (int) r[4])) {
                sink.define((int) r[0], (int) r[5], r[6]);
            }
        }
    }

    /** Receives one advertised MSR. */
    interface Sink {
        void define(int index, int kind, long resetValue);
    }
}
