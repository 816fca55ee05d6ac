package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every feature bit the default profile and the AMD profile {@code opteron_g1} advertise is
 * implemented (docs/CPU.md); the Bochs-recorded {@code corei7_icelake_u} is exempt and advertises
 * exactly the extra bits listed here and in docs/CPU.md "CPU profiles".
 */
class CpuProfileFeaturesTest {

    private static int bits(int... b) {
        int v = 0;
        for (int i : b) {
            v |= 1 << i;
        }
        return v;
    }

    /** Feature registers: "leaf.subleaf.reg" -> the bits vmx4j implements. */
    private static final Map<String, Integer> IMPLEMENTED = new LinkedHashMap<>();

    static {
        // 01H:ECX MONITOR VMX CMPXCHG16B PCID x2APIC MOVBE POPCNT TSC-deadline XSAVE OSXSAVE RDRAND
        IMPLEMENTED.put("1.0.ECX", bits(3, 5, 13, 17, 21, 22, 23, 24, 26, 27, 30));
        // 01H:EDX FPU DE PSE TSC MSR PAE CX8 APIC SEP MTRR PGE CMOV PAT PSE-36 CLFSH MMX FXSR SSE SSE2 SS HTT
        // (FPU, MMX, SSE, SSE2: see docs/CPU.md for what of them is implemented)
        // MCE and MCA: machine-check architecture with no banks (IA32_MCG_CAP = 0), never signalled.
        IMPLEMENTED.put("1.0.EDX", bits(0, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 19, 23, 24, 25, 26, 27, 28));
        // ARAT; HWP base, activity window, energy/performance preference (one performance level: Hwp)
        IMPLEMENTED.put("6.0.EAX", bits(2, 7, 9, 10));
        IMPLEMENTED.put("6.0.ECX", 0);
        // 07H EBX: FSGSBASE TSC_ADJUST BMI1 SMEP BMI2 ERMS INVPCID FPU-CS/DS-deprecation RDSEED ADX SMAP CLFLUSHOPT
        IMPLEMENTED.put("7.0.EBX", bits(0, 1, 3, 7, 8, 9, 10, 13, 18, 19, 20, 23));
        IMPLEMENTED.put("7.0.ECX", bits(2, 3, 4, 5, 22, 23));  // UMIP PKU OSPKE WAITPKG RDPID KL
        IMPLEMENTED.put("7.0.EDX", bits(4, 14));        // FSRM SERIALIZE
        IMPLEMENTED.put("13.1.EAX", bits(0, 3));        // XSAVEOPT XSAVES
        IMPLEMENTED.put("13.1.ECX", bits(16));          // IA32_XSS: HWP state, the only supervisor component
        IMPLEMENTED.put("13.1.EDX", 0);
        IMPLEMENTED.put("25.0.EBX", 0);                 // 19H: no AESKLE, wide KL or IWKey backup
        IMPLEMENTED.put("-2147483647.0.ECX", bits(0, 5, 8));          // 80000001H: LAHF/SAHF LZCNT PREFETCHW
        IMPLEMENTED.put("-2147483647.0.EDX", bits(11, 20, 26, 27, 29)); // SYSCALL NX 1-GByte pages RDTSCP LM
        IMPLEMENTED.put("-2147483641.0.EDX", bits(8));                // 80000007H: invariant TSC
    }

    private static final String[] REG = {"EAX", "EBX", "ECX", "EDX"};

    private static Map<String, Integer> unimplemented(CpuProfile p) {
        Map<String, Integer> extra = new LinkedHashMap<>();
        int[] r = new int[4];
        for (Map.Entry<String, Integer> e : IMPLEMENTED.entrySet()) {
            String[] k = e.getKey().split("\\.");
            int leaf = Integer.parseInt(k[0]);
            int sub = Integer.parseInt(k[1]);
            int reg = java.util.Arrays.asList(REG).indexOf(k[2]);
            p.cpuid(leaf, sub, r);
            int more = r[reg] & ~e.getValue();
            if (more != 0) {
                extra.put(e.getKey(), more);
            }
        }
        return extra;
    }

    @Test
    void theDefaultProfile_advertisesOnlyImplementedFeatures() {
        assertThat(unimplemented(CpuProfile.defaultProfile())).isEmpty();
    }

    /**
     * AMD's CPUID.80000001H:EDX repeats leaf 1's EDX bits 0-9, 12-17, 23 and 24 (AMD APM "CPUID":
     * FPU ... FXSR); an alias is implemented exactly when the leaf 1 bit is, which the test above
     * checks for leaf 1.
     */
    private static final int AMD_ALIASES = bits(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 23, 24);

    @Test
    void theAmdProfile_advertisesOnlyImplementedFeatures_andNoVmxOrSvm() {
        CpuProfile p = CpuProfile.builtIn("opteron_g1");
        Map<String, Integer> extra = unimplemented(p);
        int[] leaf1 = new int[4];
        int[] ext1 = new int[4];
        p.cpuid(1, 0, leaf1);
        p.cpuid(0x80000001, 0, ext1);
        assertThat(ext1[3] & AMD_ALIASES).as("80000001H:EDX aliases mirror leaf 1 EDX").isEqualTo(leaf1[3] & AMD_ALIASES);
        Integer ext1Extra = extra.remove("-2147483647.0.EDX");
        assertThat(ext1Extra == null ? 0 : ext1Extra & ~AMD_ALIASES).as("80000001H:EDX beyond the aliases").isZero();
        assertThat(extra).isEmpty();
        assertThat(unimplemented(CpuProfile.defaultProfile())).isEmpty();
        assertThat(p.hasFeature(1, 0, 2, 5)).as("CPUID.01H:ECX.VMX").isFalse();
        assertThat(p.hasFeature(0x80000001, 0, 2, 2)).as("CPUID.80000001H:ECX.SVM").isFalse();
        assertThat(p.hasFeature(1, 0, 3, 1)).as("VME (not implemented), which QEMU's Opteron_G1 has").isFalse();
        assertThat(p.hasFeature(1, 0, 2, 0)).as("SSE3 (not implemented), which QEMU's Opteron_G1 has").isFalse();
        assertThat(p.hasFeature(0x80000001, 0, 3, 11)).as("SYSCALL").isTrue();
        assertThat(p.hasFeature(1, 0, 3, 11)).as("SEP (SYSENTER in legacy mode)").isTrue();
    }

    @Test
    void icelake_advertisesExactlyTheDocumentedExtraFeatures() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        // SSE3 PCLMULQDQ DTES64 DS-CPL EST TM2 SSSE3 FMA xTPR PDCM SSE4.1 SSE4.2 AES AVX F16C
        expected.put("1.0.ECX", bits(0, 1, 2, 4, 7, 8, 9, 12, 14, 15, 19, 20, 25, 28, 29));
        expected.put("1.0.EDX", bits(1, 21, 22, 29, 31));             // VME DS ACPI TM PBE
        expected.put("6.0.EAX", 0x7aff5 & ~bits(2, 7, 9, 10));         // thermal and power management, HWP notification/package
        expected.put("6.0.ECX", bits(0, 3));                           // MPERF/APERF, energy-performance bias
        expected.put("7.0.EBX", bits(5, 6, 16, 17, 21, 28, 29, 30, 31)); // AVX2 FDP_EXCPTN_ONLY AVX512F/DQ/IFMA/CD SHA AVX512BW/VL
        expected.put("7.0.ECX", bits(1, 6, 8, 9, 10, 11, 12, 14));      // AVX512_VBMI(2) GFNI VAES VPCLMULQDQ AVX512_VNNI/BITALG/VPOPCNTDQ
        expected.put("7.0.EDX", bits(8, 26, 27, 28, 29, 31));           // AVX512_VP2INTERSECT IBRS STIBP L1D_FLUSH ARCH_CAPABILITIES SSBD
        expected.put("13.1.EAX", bits(1, 2));                            // XSAVEC XGETBV-ECX1
        assertThat(unimplemented(CpuProfile.builtIn("corei7_icelake_u"))).isEqualTo(expected);
    }
}
