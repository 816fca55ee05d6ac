package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every shipped profile: every MSR its CPUID promises (SDM "Model-Specific Registers
 * (MSRs)", the "if CPUID..." condition of each architectural MSR), derived here from the
 * profile's CPUID, is read with RDMSR and, unless read-only, written back with WRMSR by a
 * 64-bit guest at CPL 0: none may fault. Read-only ones must #GP on WRMSR, write-only ones on
 * RDMSR. The HWP MSRs other than IA32_PM_ENABLE exist only once HWP is enabled (SDM "Enabling
 * HWP"): their guest first sets IA32_PM_ENABLE.HWP_ENABLE ({@code HwpTest} checks the #GP before).
 */
class AdvertisedMsrsTest {

    private enum Kind { RW, RO, WO }

    private record Promised(int index, Kind kind, String why) {
    }

    private static boolean has(CpuProfile p, int leaf, int sub, int reg, int bit) {
        return p.hasFeature(leaf, sub, reg, bit);
    }

    /** The MSRs {@code p}'s CPUID promises. */
    static List<Promised> promised(CpuProfile p) {
        List<Promised> l = new ArrayList<>();
        java.util.function.BiConsumer<Integer, String> rw = (i, w) -> l.add(new Promised(i, Kind.RW, w));
        java.util.function.BiConsumer<Integer, String> ro = (i, w) -> l.add(new Promised(i, Kind.RO, w));
        java.util.function.BiConsumer<Integer, String> wo = (i, w) -> l.add(new Promised(i, Kind.WO, w));
        rw.accept(0x1A0, "IA32_MISC_ENABLE (architectural)");
        rw.accept(0x1D9, "IA32_DEBUGCTL (architectural)");
        if (has(p, 1, 0, 3, 4)) {
            rw.accept(0x10, "IA32_TSC: 01H:EDX.TSC");
        }
        if (has(p, 1, 0, 3, 9)) {
            rw.accept(0x1B, "IA32_APIC_BASE: 01H:EDX.APIC");
        }
        if (has(p, 1, 0, 2, 5)) {
            rw.accept(0x3A, "IA32_FEATURE_CONTROL: 01H:ECX.VMX");
            int[] r = new int[4];
            for (int i = 0x480; i <= 0x48C; i++) {
                ro.accept(i, "VMX capability: 01H:ECX.VMX");
            }
            if ((p.msr(0x480) & (1L << 55)) != 0) {
                for (int i = 0x48D; i <= 0x490; i++) {
                    ro.accept(i, "VMX TRUE controls: IA32_VMX_BASIC[55]");
                }
            }
            if ((p.msr(0x482) >>> 63) != 0 && (p.msr(0x48B) & (1L << (32 + 13))) != 0) {
                ro.accept(0x491, "IA32_VMX_VMFUNC: enable VM functions allowed");
            }
            if ((p.msr(0x482) & (1L << (32 + 17))) != 0) {
                ro.accept(0x492, "IA32_VMX_PROCBASED_CTLS3: activate tertiary controls allowed");
            }
            p.cpuid(1, 0, r);
        }
        if (has(p, 7, 0, 1, 1)) {
            rw.accept(0x3B, "IA32_TSC_ADJUST: 07H:EBX[1]");
        }
        if (has(p, 1, 0, 3, 11)) {
            for (int i = 0x174; i <= 0x176; i++) {
                rw.accept(i, "SYSENTER: 01H:EDX.SEP");
            }
        }
        if (has(p, 1, 0, 3, 12)) {
            ro.accept(0xFE, "IA32_MTRRCAP: 01H:EDX.MTRR");
            rw.accept(0x2FF, "IA32_MTRR_DEF_TYPE");
            if ((p.msr(0xFE) & (1 << 8)) != 0) {
                for (int i : new int[] {0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F}) {
                    rw.accept(i, "fixed-range MTRR: IA32_MTRRCAP.FIX");
                }
            }
            for (int i = 0; i < (p.msr(0xFE) & 0xFF); i++) {
                rw.accept(0x200 + 2 * i, "IA32_MTRR_PHYSBASE: IA32_MTRRCAP.VCNT");
                rw.accept(0x201 + 2 * i, "IA32_MTRR_PHYSMASK: IA32_MTRRCAP.VCNT");
            }
        }
        if (has(p, 1, 0, 3, 16)) {
            rw.accept(0x277, "IA32_PAT: 01H:EDX.PAT");
        }
        if (has(p, 1, 0, 3, 14)) {
            ro.accept(0x179, "IA32_MCG_CAP: 01H:EDX.MCA");
            rw.accept(0x17A, "IA32_MCG_STATUS: 01H:EDX.MCA");
        }
        if (has(p, 1, 0, 3, 21)) {
            rw.accept(0x600, "IA32_DS_AREA: 01H:EDX.DS");
        }
        if (has(p, 1, 0, 3, 22)) {
            rw.accept(0x19A, "IA32_CLOCK_MODULATION: 01H:EDX.ACPI");
            rw.accept(0x19B, "IA32_THERM_INTERRUPT: 01H:EDX.ACPI");
            rw.accept(0x19C, "IA32_THERM_STATUS: 01H:EDX.ACPI");
        }
        if (has(p, 1, 0, 2, 7)) {
            ro.accept(0x198, "IA32_PERF_STATUS: 01H:ECX.EST");
            rw.accept(0x199, "IA32_PERF_CTL: 01H:ECX.EST");
        }
        if (has(p, 6, 0, 0, 6)) {
            rw.accept(0x1B1, "IA32_PACKAGE_THERM_STATUS: 06H:EAX[6]");
            rw.accept(0x1B2, "IA32_PACKAGE_THERM_INTERRUPT: 06H:EAX[6]");
        }
        if (has(p, 6, 0, 0, 7)) {
            rw.accept(0x770, "IA32_PM_ENABLE: 06H:EAX.HWP");
            ro.accept(0x771, "IA32_HWP_CAPABILITIES: 06H:EAX.HWP");
            rw.accept(0x774, "IA32_HWP_REQUEST: 06H:EAX.HWP");
            rw.accept(0x777, "IA32_HWP_STATUS: 06H:EAX.HWP");
        }
        if (has(p, 6, 0, 0, 8)) {
            rw.accept(0x773, "IA32_HWP_INTERRUPT: 06H:EAX[8]");
        }
        if (has(p, 6, 0, 0, 11)) {
            rw.accept(0x772, "IA32_HWP_REQUEST_PKG: 06H:EAX[11]");
        }
        if (has(p, 6, 0, 2, 0)) {
            rw.accept(0xE7, "IA32_MPERF: 06H:ECX[0]");
            rw.accept(0xE8, "IA32_APERF: 06H:ECX[0]");
        }
        if (has(p, 6, 0, 2, 3)) {
            rw.accept(0x1B0, "IA32_ENERGY_PERF_BIAS: 06H:ECX[3]");
        }
        if (has(p, 7, 0, 3, 26) || has(p, 7, 0, 3, 27) || has(p, 7, 0, 3, 31)) {
            rw.accept(0x48, "IA32_SPEC_CTRL: 07H:EDX IBRS/STIBP/SSBD");
        }
        if (has(p, 7, 0, 3, 26)) {
            wo.accept(0x49, "IA32_PRED_CMD: 07H:EDX[26]");
        }
        if (has(p, 7, 0, 3, 28)) {
            wo.accept(0x10B, "IA32_FLUSH_CMD: 07H:EDX[28]");
        }
        if (has(p, 7, 0, 3, 29)) {
            ro.accept(0x10A, "IA32_ARCH_CAPABILITIES: 07H:EDX[29]");
        }
        if (has(p, 0xD, 1, 0, 3)) {
            rw.accept(0xDA0, "IA32_XSS: 0DH.1:EAX.XSAVES");
        }
        if (has(p, 7, 0, 2, 5)) {
            rw.accept(0xE1, "IA32_UMWAIT_CONTROL: 07H:ECX.WAITPKG");
        }
        if (has(p, 1, 0, 2, 24)) {
            rw.accept(0x6E0, "IA32_TSC_DEADLINE: 01H:ECX[24]");
        }
        if (has(p, 0x80000001, 0, 3, 27) || has(p, 7, 0, 2, 22)) {
            rw.accept(0xC0000103, "IA32_TSC_AUX: RDTSCP or RDPID");
        }
        if (has(p, 0x80000001, 0, 3, 29) || has(p, 0x80000001, 0, 3, 20)) {
            rw.accept(0xC0000080, "IA32_EFER: 80000001H:EDX.LM/NX");
        }
        if (has(p, 0x80000001, 0, 3, 29)) {
            for (int i : new int[] {0xC0000081, 0xC0000082, 0xC0000083, 0xC0000084, 0xC0000100, 0xC0000101, 0xC0000102}) {
                rw.accept(i, "STAR/LSTAR/CSTAR/FMASK/FS/GS/KERNEL_GS_BASE: 80000001H:EDX.LM");
            }
        }
        if (p.vendor() == dev.vmx4j.vmx.profile.CpuVendor.AMD) {
            // AMD APM Volume 2 "Performance Counters": the legacy counters every AMD64 processor has.
            for (int i = 0; i < 4; i++) {
                rw.accept(0xC0010000 + i, "PerfEvtSel" + i + ": AMD legacy performance counters");
                rw.accept(0xC0010004 + i, "PerfCtr" + i + ": AMD legacy performance counters");
            }
        }
        int[] a = new int[4];
        p.cpuid(0xA, 0, a);
        int version = a[0] & 0xFF;
        int gp = (a[0] >>> 8) & 0xFF;
        if (version >= 1) {
            for (int i = 0; i < gp; i++) {
                rw.accept(0xC1 + i, "IA32_PMC" + i + ": 0AH:EAX[15:8]");
                rw.accept(0x186 + i, "IA32_PERFEVTSEL" + i + ": 0AH:EAX[15:8]");
            }
        }
        if (version >= 2) {
            int fixed = a[3] & 0x1F;
            if (version >= 5) {
                fixed = Math.max(fixed, 32 - Integer.numberOfLeadingZeros(a[2]));
            }
            for (int i = 0; i < fixed; i++) {
                rw.accept(0x309 + i, "IA32_FIXED_CTR" + i + ": 0AH:EDX[4:0]/ECX");
            }
            rw.accept(0x38D, "IA32_FIXED_CTR_CTRL: 0AH:EAX version 2");
            ro.accept(0x38E, "IA32_PERF_GLOBAL_STATUS: version 2");
            rw.accept(0x38F, "IA32_PERF_GLOBAL_CTRL: version 2");
            rw.accept(0x390, "IA32_PERF_GLOBAL_OVF_CTRL: version 2");
        }
        if (version >= 4) {
            rw.accept(0x391, "IA32_PERF_GLOBAL_STATUS_SET: version 4");
            ro.accept(0x392, "IA32_PERF_GLOBAL_INUSE: version 4");
        }
        if (has(p, 1, 0, 2, 15)) {
            ro.accept(0x345, "IA32_PERF_CAPABILITIES: 01H:ECX.PDCM");
        }
        if (has(p, 1, 0, 2, 21)) {
            ro.accept(0x802, "x2APIC ID: 01H:ECX.x2APIC");
            ro.accept(0x803, "x2APIC version");
            rw.accept(0x808, "x2APIC TPR");
            ro.accept(0x80D, "x2APIC LDR");
            rw.accept(0x80F, "x2APIC SVR");
            rw.accept(0x828, "x2APIC ESR");
            rw.accept(0x830, "x2APIC ICR");
            rw.accept(0x832, "x2APIC LVT timer");
            rw.accept(0x835, "x2APIC LVT LINT0");
            rw.accept(0x836, "x2APIC LVT LINT1");
            rw.accept(0x837, "x2APIC LVT error");
            rw.accept(0x838, "x2APIC initial count");
            ro.accept(0x839, "x2APIC current count");
            rw.accept(0x83E, "x2APIC divide configuration");
            wo.accept(0x80B, "x2APIC EOI");
        }
        return l;
    }

    @TestFactory
    List<DynamicTest> everyPromisedMsr_behaves_inEveryShippedProfile() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : CpuProfile.BUILT_IN) {
            CpuProfile p = CpuProfile.builtIn(name);
            for (Promised m : promised(p)) {
                tests.add(DynamicTest.dynamicTest(String.format(Locale.ROOT, "%s 0x%x %s (%s)", name, m.index, m.kind, m.why),
                        () -> check(p, m)));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> theDefaultProfilePromisesThePmuAndNoUnmodelledMsr() {
        List<Integer> indexes = new ArrayList<>();
        for (Promised m : promised(CpuProfile.defaultProfile())) {
            indexes.add(m.index);
        }
        return List.of(
                DynamicTest.dynamicTest("PMU MSRs", () -> assertThat(indexes).contains(0xC1, 0xC4, 0x186, 0x309, 0x30B, 0x38F)),
                DynamicTest.dynamicTest("no thermal, MCA, HWP notification or package, speculation MSRs",
                        () -> assertThat(indexes).doesNotContain(0x19C, 0x772, 0x773, 0x48, 0x10A, 0x345)),
                // IA32_XSS, IA32_UMWAIT_CONTROL and the HWP base MSRs are modelled (SupervisorXsave,
                // UserWait, Hwp), not storage.
                DynamicTest.dynamicTest("IA32_XSS, IA32_UMWAIT_CONTROL, IA32_VMX_PROCBASED_CTLS3, HWP",
                        () -> assertThat(indexes).contains(0xDA0, 0xE1, 0x492, 0x770, 0x771, 0x774, 0x777)),
                DynamicTest.dynamicTest("IA32_MCG_CAP (MCA with no banks)", () -> assertThat(indexes).contains(0x179, 0x17A)));
    }

    private static String hex32(long v) {
        return String.format("%02x%02x%02x%02x", v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, (v >>> 24) & 0xFF);
    }

    private static void check(CpuProfile p, Promised m) {
        boolean x2apic = m.index >= 0x800 && m.index <= 0x8FF;
        boolean hwp = m.index == 0x771 || m.index == 0x774 || m.index == 0x777;
        String prologue = x2apic ? "B91B0000000F320D000C00000F30" // IA32_APIC_BASE |= EN | EXTD
                : hwp ? "B970070000B80100000031D20F30" : "";       // IA32_PM_ENABLE = 1 (HWP_ENABLE)
        String ecx = "B9" + hex32(m.index);
        switch (m.kind) {
            case RW:
                assertThat(run(p, prologue + ecx + "0F320F30F4")).as("RDMSR then WRMSR of the value read").isEmpty();
                break;
            case RO:
                assertThat(run(p, prologue + ecx + "0F32F4")).as("RDMSR").isEmpty();
                assertThat(run(p, prologue + ecx + "0F320F30F4")).as("WRMSR of a read-only MSR").startsWith(13);
                break;
            default:
                assertThat(run(p, prologue + ecx + "31C031D20F30F4")).as("WRMSR 0").isEmpty();
                assertThat(run(p, prologue + ecx + "0F32F4")).as("RDMSR of a write-only MSR").startsWith(13);
                break;
        }
    }

    /** Runs the 64-bit guest until HLT or its first exception; returns the exception vectors seen. */
    private static List<Integer> run(CpuProfile p, String hex) {
        Machine mc = Machine.builder().memorySize(8L << 20).profile(p).pcInterruptControllers().build();
        mc.enterLongMode(Guest.PAGE_TABLES);
        mc.memory().load(Fixtures.CODE, Guest.bytes(hex));
        mc.setRip(Fixtures.CODE);
        mc.setReg(dev.vmx4j.core.Reg.RSP, 0x80000);
        List<Integer> vectors = new ArrayList<>();
        mc.addExceptionListener((vector, code, hasCode) -> {
            vectors.add(vector);
            mc.requestStop(0);
        });
        mc.run(RunLimits.unlimited().maxInstructions(100));
        return vectors;
    }
}
