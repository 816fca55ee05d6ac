package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.Seg;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CPUID as a guest sees it under the AMD profile {@code opteron_g1}: AMD's vendor string, the
 * SYSCALL bit reported in every mode (Intel processors report it in 64-bit mode only), zeros
 * above the maximum leaf, and no VMX (VMXON #UD, CR4.VMXE reserved).
 */
class AmdProfileCpuidTest {

    private final List<Integer> vectors = new ArrayList<>();

    private Machine machine(String profile) {
        Machine m = Machine.builder().memorySize(8L << 20).profile(CpuProfile.builtIn(profile)).build();
        m.enterLongMode(Guest.PAGE_TABLES);
        m.setRip(Guest.CODE);
        m.setReg(Reg.RSP, Guest.STACK);
        m.addExceptionListener((v, code, has) -> vectors.add(v));
        return m;
    }

    private static long[] cpuid(Machine m, int leaf) {
        m.memory().load(Guest.CODE, Guest.bytes("0fa2"));
        m.setRip(Guest.CODE);
        m.setReg(Reg.RAX, leaf);
        m.setReg(Reg.RCX, 0);
        m.step();
        return new long[] {m.reg(Reg.RAX), m.reg(Reg.RBX), m.reg(Reg.RCX), m.reg(Reg.RDX)};
    }

    @Test
    void guestReadsAuthenticAmd_andZerosAboveTheMaximumLeaf() {
        Machine m = machine(VendorSystemCallsTest.AMD);
        long[] r = cpuid(m, 0);
        assertThat(r[1]).isEqualTo(0x68747541L); // "Auth"
        assertThat(r[3]).isEqualTo(0x69746e65L); // "enti"
        assertThat(r[2]).isEqualTo(0x444d4163L); // "cAMD"
        assertThat(cpuid(m, 7)).as("leaf 7 is above the maximum (5): zeros").containsExactly(0, 0, 0, 0);
        assertThat(cpuid(m, 0x8000000A)).as("above the maximum extended leaf: zeros").containsExactly(0, 0, 0, 0);
        assertThat(vectors).isEmpty();
    }

    @Test
    void syscallBit_isReportedInCompatibilityModeOnAmd_onlyIn64BitModeOnIntel() {
        for (String profile : new String[] {VendorSystemCallsTest.AMD, "vmx4j"}) {
            Machine m = machine(profile);
            long edx64 = cpuid(m, 0x80000001)[3];
            m.setSegment(Seg.CS, 0x08, 0, 0xFFFFFFFF, 0xC09B); // 32-bit code: compatibility mode
            long edxCompat = cpuid(m, 0x80000001)[3];
            assertThat(edx64 & (1 << 11)).as("%s: SYSCALL in 64-bit mode", profile).isNotZero();
            assertThat(edxCompat & (1 << 11)).as("%s: SYSCALL in compatibility mode", profile)
                    .isEqualTo(profile.equals("vmx4j") ? 0 : 1 << 11);
        }
    }

    @Test
    void noVmx_vmxonIsUndefinedOpcode_andCr4VmxeIsReserved() {
        Machine m = machine(VendorSystemCallsTest.AMD);
        // mov rax, cr4; bts rax, 13; mov cr4, rax
        m.memory().load(Guest.CODE, Guest.bytes("0f20e0480fbae80d0f22e0"));
        m.step();
        m.step();
        m.step();
        assertThat(vectors).as("CR4.VMXE without CPUID.01H:ECX.VMX: #GP(0) (then #DF: no IDT)").startsWith(13);
        assertThat(m.cr(4) & (1L << 13)).isZero();
        vectors.clear();
        Machine k = machine(VendorSystemCallsTest.AMD);
        k.memory().load(Guest.CODE, Guest.bytes("f30fc7342500100000")); // vmxon [0x1000]
        k.step();
        assertThat(vectors).as("VMXON with CR4.VMXE = 0: #UD (then #DF: no IDT)").startsWith(6);
    }

    @Test
    void amdLegacyPerformanceCounters_countRetiredInstructions_andDoNotExistOnIntel() {
        Machine m = machine(VendorSystemCallsTest.AMD);
        // PerfEvtSel0 = EN | OS | USR | C0H (Retired Instructions); 3 NOPs; RDMSR PerfCtr0; RDPMC 0
        m.memory().load(Guest.CODE, Guest.bytes("b9000001c0b8c0004300" + "31d20f30" + "909090"
                + "b904000 1c00f32" .replace(" ", "") + "4889c6" + "31c90f33" + "f4"));
        m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(20));
        assertThat(vectors).isEmpty();
        assertThat(m.reg(Reg.RSI)).as("counted from inside WRMSR: WRMSR itself, 3 NOPs, MOV ECX")
                .isEqualTo(5);
        assertThat(m.reg(Reg.RAX)).as("RDPMC 0 reads PerfCtr0 (MOV RSI, XOR and RDMSR more)").isEqualTo(8);
        Machine intel = machine("vmx4j");
        intel.memory().load(Guest.CODE, Guest.bytes("b900000 1c00f32".replace(" ", "")));
        intel.step();
        intel.step();
        assertThat(vectors).as("no AMD counters on an Intel profile: #GP(0)").startsWith(13);
    }
}
