package dev.vmx4j.vmx.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CpuProfileTest {

    @Test
    void icelakeProfile_hasTheVmxCapabilityMsrsBochsReports() {
        CpuProfile p = CpuProfile.builtIn("corei7_icelake_u");
        assertThat(p.name()).isEqualTo("corei7_icelake_u");
        // ../shared/ORACLE.md, values read by a guest under Bochs 2.7.
        assertThat(p.msr(0x480)).isEqualTo(0x00d8100000000004L);
        assertThat(p.msr(0x48B)).isEqualTo(0x02977fff00000000L);
        assertThat(p.msr(0x48C)).isEqualTo(0x00000f0106334141L);
        assertThat(p.msr(0x490)).isEqualTo(0x0000ffff000011fbL);
        assertThat(p.maxPhysicalAddressBits()).isEqualTo(40);
        int[] r = new int[4];
        p.cpuid(1, 0, r);
        assertThat(r[2]).isEqualTo(0x77faf3bf);
        assertThat(p.hasFeature(1, 0, 2, 5)).as("CPUID.1:ECX.VMX").isTrue();
    }

    /**
     * The controls vmx4j advertises beyond the Bochs recording (docs/CPU.md "CPU profiles"):
     * "process posted interrupts" (pin-based bit 7), which Ice Lake processors have and Bochs 2.7
     * does not implement; "activate tertiary controls" (primary bit 17, for "LOADIWKEY exiting")
     * and "enable user wait and pause" (secondary bit 26), which go with the Key Locker and
     * WAITPKG features the default profile adds, "VMM bus-lock detection" (secondary bit 30) and
     * "instruction timeout" (secondary bit 31).
     */
    private static long beyondTheRecording(int index) {
        switch (index) {
            case 0x481:
            case 0x48D:
                return 1L << (32 + 7);
            case 0x482:
            case 0x48E:
                return 1L << (32 + 17);
            case 0x48B:
                return 1L << (32 + 26) | 1L << (32 + 30) | 1L << (32 + 31);
            case 0x489:
                return 1L << 19; // IA32_VMX_CR4_FIXED1: CR4.KL
            default:
                return 0;
        }
    }

    /** CPUID bits the default profile adds to the recording: 07H:ECX WAITPKG (5) and KL (23). */
    private static int cpuidBeyondTheRecording(int leaf, int reg) {
        return leaf == 7 && reg == 2 ? 1 << 5 | 1 << 23 : 0;
    }

    @Test
    void defaultProfile_isVmx4j_withIcelakesVmxCapabilitiesAndFewerFeatures() {
        CpuProfile p = CpuProfile.defaultProfile();
        CpuProfile icelake = CpuProfile.builtIn("corei7_icelake_u");
        assertThat(p.name()).isEqualTo("vmx4j");
        // The VMX capability MSRs are icelake's lowered to what vmx4j implements (emulator-core's
        // CapabilityHonestyTest checks which): the same fixed bits and allowed-0 settings, a
        // subset of the allowed-1 settings and capabilities.
        for (int index = 0x480; index <= 0x490; index++) {
            long mine = p.msr(index);
            long theirs = icelake.msr(index);
            boolean controls = index >= 0x481 && index <= 0x484 || index == 0x48B || index >= 0x48D;
            if (controls) {
                assertThat(mine & 0xFFFFFFFFL).as("allowed-0 of 0x%x as in icelake", index).isEqualTo(theirs & 0xFFFFFFFFL);
                assertThat(mine & ~theirs & ~beyondTheRecording(index)).as("allowed-1 of 0x%x within icelake's", index)
                        .isZero();
            } else if (index == 0x48C) {
                assertThat(mine & ~theirs).as("EPT_VPID_CAP within icelake's").isZero();
            } else if (index == 0x48A) {
                assertThat(mine).as("VMCS_ENUM: the highest index of the fields the lowered controls support")
                        .isEqualTo((long) dev.vmx4j.vmx.controls.VmxCapabilities.of(p).impliedHighestVmcsIndex() << 1);
            } else {
                assertThat(mine & ~beyondTheRecording(index)).as("VMX capability MSR 0x%x as in icelake", index)
                        .isEqualTo(theirs);
            }
        }
        assertThat(p.firmwareMsrs()).isEqualTo(icelake.firmwareMsrs());
        assertThat(p.hasFeature(1, 0, 2, 5)).as("CPUID.1:ECX.VMX").isTrue();
        assertThat(p.hasFeature(1, 0, 3, 0)).as("CPUID.1:EDX.FPU").isTrue();
        assertThat(p.hasFeature(1, 0, 2, 15)).as("CPUID.1:ECX.PDCM").isFalse();
        assertThat(p.hasFeature(1, 0, 2, 28)).as("CPUID.1:ECX.AVX").isFalse();
        int[] r = new int[4];
        int[] q = new int[4];
        for (int leaf : new int[] {1, 6, 7, 0xA, 0xD}) {
            p.cpuid(leaf, 0, r);
            icelake.cpuid(leaf, 0, q);
            for (int reg = 0; reg < 4; reg++) {
                if (leaf != 0xA) { // leaf 0AH is a different PMU description, not a subset
                    assertThat(r[reg] & ~q[reg] & ~cpuidBeyondTheRecording(leaf, reg))
                            .as("leaf 0x%x reg %d adds no bit icelake lacks", leaf, reg).isZero();
                }
            }
        }
    }

    @Test
    void leafAboveMaximumBasicLeaf_returnsHighestBasicLeaf() throws Exception {
        CpuProfile p = CpuProfile.parse(new StringReader(
                "name t\ncpuid 0 * 2 0 0 0\ncpuid 2 * 0x22 0x33 0x44 0x55\ncpuid 0x80000000 * 0x80000001 0 0 0\n"), "t");
        int[] r = new int[4];
        p.cpuid(7, 0, r);
        assertThat(r).containsExactly(0x22, 0x33, 0x44, 0x55);
        p.cpuid(0x80000005, 0, r);
        assertThat(r).containsExactly(0x22, 0x33, 0x44, 0x55);
        p.cpuid(1, 0, r);
        assertThat(r).containsExactly(0, 0, 0, 0);
    }

    @Test
    void amdProfile_isQemusOpteronG1_withAmdsVendorAndLeafRules() {
        CpuProfile p = CpuProfile.builtIn("opteron_g1");
        assertThat(p.vendor()).isEqualTo(CpuVendor.AMD);
        assertThat(CpuProfile.defaultProfile().vendor()).isEqualTo(CpuVendor.INTEL);
        assertThat(CpuProfile.builtIn("corei7_icelake_u").vendor()).isEqualTo(CpuVendor.INTEL);
        int[] r = new int[4];
        p.cpuid(0, 0, r);
        assertThat(r[0]).as("maximum basic leaf (QEMU: level 5)").isEqualTo(5);
        assertThat(vendorString(r)).isEqualTo("AuthenticAMD");
        p.cpuid(1, 0, r);
        assertThat(r[0]).as("family 15, model 6, stepping 1").isEqualTo(0xF61);
        p.cpuid(0x80000000, 0, r);
        assertThat(r[0]).as("xlevel").isEqualTo(0x80000008);
        StringBuilder brand = new StringBuilder();
        for (int leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
            p.cpuid(leaf, 0, r);
            for (int reg : r) {
                for (int i = 0; i < 4; i++) {
                    char ch = (char) (reg >>> (8 * i) & 0xFF);
                    if (ch != 0) {
                        brand.append(ch);
                    }
                }
            }
        }
        assertThat(brand.toString()).isEqualTo("AMD Opteron 240 (Gen 1 Class Opteron)");
        p.cpuid(0x80000008, 0, r);
        assertThat(r[0] & 0xFF).as("physical-address bits as maxphyaddr").isEqualTo(p.maxPhysicalAddressBits());
        assertThat(p.hasMsr(0x480)).as("no VMX capability MSRs").isFalse();
        assertThat(p.firmwareMsrs()).as("no IA32_FEATURE_CONTROL on an AMD processor").doesNotContainKey(0x3A);
    }

    @Test
    void leafAboveMaximum_returnsZerosOnAmd() throws Exception {
        CpuProfile p = CpuProfile.parse(new StringReader("name t\ncpuid 0 * 2 0x68747541 0x444d4163 0x69746e65\n"
                + "cpuid 2 * 0x22 0x33 0x44 0x55\ncpuid 0x80000000 * 0x80000001 0 0 0\n"), "t");
        assertThat(p.vendor()).isEqualTo(CpuVendor.AMD);
        int[] r = new int[4];
        p.cpuid(7, 0, r);
        assertThat(r).containsExactly(0, 0, 0, 0);
        p.cpuid(0x80000005, 0, r);
        assertThat(r).containsExactly(0, 0, 0, 0);
        p.cpuid(2, 0, r);
        assertThat(r).containsExactly(0x22, 0x33, 0x44, 0x55);
    }

    private static String vendorString(int[] leaf0) {
        StringBuilder s = new StringBuilder();
        for (int reg : new int[] {leaf0[1], leaf0[3], leaf0[2]}) {
            for (int i = 0; i < 4; i++) {
                s.append((char) (reg >>> (8 * i) & 0xFF));
            }
        }
        return s.toString();
    }

    @Test
    void subleafSpecificEntries_winOverWildcard() throws Exception {
        CpuProfile p = CpuProfile.parse(new StringReader(
                "name t\ncpuid 0 * 7 0 0 0\ncpuid 7 * 1 1 1 1\ncpuid 7 1 2 2 2 2\n"), "t");
        int[] r = new int[4];
        p.cpuid(7, 1, r);
        assertThat(r[0]).isEqualTo(2);
        p.cpuid(7, 5, r);
        assertThat(r[0]).isEqualTo(1);
    }

    @Test
    void malformedProfiles_nameSourceLineAndProblem() {
        assertThatThrownBy(() -> CpuProfile.parse(new StringReader("name x\ncpuid 1 2 3\n"), "f.profile"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f.profile:2")
                .hasMessageContaining("takes 6 values");
        assertThatThrownBy(() -> CpuProfile.parse(new StringReader("maxphyaddr 60\nname x\n"), "g"))
                .hasMessageContaining("[32, 52]");
        assertThatThrownBy(() -> CpuProfile.parse(new StringReader("cpuid 0 * 0 0 0 0\n"), "h"))
                .hasMessageContaining("no 'name'");
        assertThatThrownBy(() -> CpuProfile.parse(new StringReader("name x\nfoo 1\n"), "i"))
                .hasMessageContaining("unknown statement");
        assertThatThrownBy(() -> CpuProfile.builtIn("pentium")).hasMessageContaining("corei7_icelake_u")
                .hasMessageContaining("opteron_g1");
        assertThatThrownBy(() -> CpuProfile.defaultProfile().msr(0x12345)).hasMessageContaining("0x12345");
    }
}
