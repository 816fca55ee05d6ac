package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XSAVES/XRSTORS and IA32_XSS (SDM "XSAVES", "XRSTORS", "Operation of XSAVES/XRSTORS"),
 * UMONITOR/UMWAIT/TPAUSE and IA32_UMWAIT_CONTROL (SDM "UMWAIT", "TPAUSE"), LOADIWKEY (SDM
 * "LOADIWKEY") outside VMX, on the default profile, which advertises them. The VMX side is in
 * test-fixtures' {@code ExtensionInterceptsTest}.
 */
class XsavesWaitpkgKeyLockerTest {

    /** CR4.OSFXSR | OSXSAVE; XSETBV XCR0 = 3 (x87, SSE). */
    private static final String XSAVE_ON = "0F20E00D000204000F22E031C931D2B8030000000F01D1";
    /** CR4.OSFXSR | KL. */
    private static final String KL_ON = "0F20E00D000208000F22E0";

    private static List<Integer> vectors(Guest g) {
        List<Integer> v = new ArrayList<>();
        g.m.addExceptionListener((vec, e, has) -> v.add(vec));
        return v;
    }

    // ---------------------------------------------------------------- XSAVES / XRSTORS

    @Test
    void xsavesThenXrstors_roundTripInTheCompactedFormat() {
        // mov ebx,0x99; movq xmm3,rbx; mov ebx,0x3000; mov eax,3; xsaves [rbx]; pxor xmm3,xmm3;
        // xrstors [rbx]; movq rcx,xmm3; hlt
        Guest g = Guest.long64(XSAVE_ON + "BB9900000066480F6EDBBB00300000B8030000000FC72B660FEFDB0FC71B66480F7ED9F4");
        g.m.memory().write64(0x3000 + 512, 0xFFFF_0000L);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x99);
        assertThat(g.m.memory().read64(0x3000 + 512)).as("XSTATE_BV = RFBM (every bit written)").isEqualTo(3);
        assertThat(g.m.memory().read64(0x3000 + 520)).as("XCOMP_BV: bit 63 and RFBM").isEqualTo(0x8000_0000_0000_0003L);
        assertThat(g.m.memory().read64(0x3000 + 160 + 3 * 16)).as("XMM3 in the legacy region").isEqualTo(0x99);
        assertThat(g.m.memory().read32(0x3000 + 24)).as("MXCSR").isEqualTo(0x1F80);
    }

    @Test
    void xsavesWithRfbmOnlyX87_writesNoMxcsrNorXmm_andXcompBvOf1() {
        // mov ebx,0x3000; mov eax,1; xor edx,edx; xsaves [rbx]; hlt
        Guest g = Guest.long64(XSAVE_ON + "BB00300000B80100000031D20FC72BF4");
        g.m.memory().write32(0x3000 + 24, 0x5555);
        g.m.memory().write64(0x3000 + 160, 0x7777);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.memory().read32(0x3000 + 24)).as("MXCSR belongs to SSE state in the compacted form").isEqualTo(0x5555);
        assertThat(g.m.memory().read64(0x3000 + 160)).isEqualTo(0x7777);
        assertThat(g.m.memory().read64(0x3000 + 512)).isEqualTo(1);
        assertThat(g.m.memory().read64(0x3000 + 520)).isEqualTo(0x8000_0000_0000_0001L);
    }

    @Test
    void xrstorsWithSseNotInXstateBv_initializesXmmAndMxcsr() {
        // mov ebx,0x3000; mov eax,3; xor edx,edx; xrstors [rbx]; stmxcsr [0x3400]; movq rcx,xmm3; hlt
        Guest g = Guest.long64(XSAVE_ON + "BB00300000B80300000031D20FC71B" + "0FAE1C250034000066480F7ED9F4");
        Cpu.of(g.m).xmm[6] = 0x1234;
        Cpu.of(g.m).mxcsr = 0x1F00;
        g.m.memory().write64(0x3000 + 512, 1);                      // XSTATE_BV: x87 only
        g.m.memory().write64(0x3000 + 520, 0x8000_0000_0000_0003L); // XCOMP_BV
        g.m.memory().write16(0x3000, 0x37F);                        // FCW
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RCX)).as("XMM3 initialized").isZero();
        assertThat(Cpu.of(g.m).xmm[6]).isZero();
        assertThat(g.m.memory().read32(0x3400)).as("MXCSR initialized to 1F80H").isEqualTo(0x1F80);
    }

    @Test
    void xrstors_headerRules_areGeneralProtection() {
        long[][] headers = {
            {3, 3},                                  // XCOMP_BV[63] = 0: the standard form is XRSTOR's
            {3, 0x8000_0000_0000_0001L},             // XSTATE_BV sets a bit XCOMP_BV lacks
            {1, 0x8000_0000_0000_0005L},             // XCOMP_BV sets a bit outside XCR0 | IA32_XSS
            {1, 0x8000_0000_0000_0001L, 1},          // header bytes 16-63 not zero
            {2, 0x8000_0000_0000_0003L, 0, 0x10000}, // MXCSR with a reserved bit
        };
        for (long[] h : headers) {
            Guest g = Guest.long64(XSAVE_ON + "BB00300000B80300000031D20FC71BF4");
            g.m.memory().write64(0x3000 + 512, h[0]);
            g.m.memory().write64(0x3000 + 520, h[1]);
            if (h.length > 2) {
                g.m.memory().write64(0x3000 + 528, h[2]);
            }
            if (h.length > 3) {
                g.m.memory().write32(0x3000 + 24, (int) h[3]);
            }
            List<Integer> v = vectors(g);
            g.run();
            assertThat(v).as(java.util.Arrays.toString(h)).first().isEqualTo(13);
        }
        // And the same header with everything right loads.
        Guest ok = Guest.long64(XSAVE_ON + "BB00300000B80300000031D20FC71BF4");
        ok.m.memory().write64(0x3000 + 520, 0x8000_0000_0000_0003L);
        assertThat(vectors(ok)).isEmpty();
        assertThat(ok.run().reason()).isEqualTo(StopReason.HALTED);
    }

    @Test
    void xsaves_unalignedIsGp_withoutOsxsaveIsUd_andNotAdvertisedIsUd() {
        Guest unaligned = Guest.long64(XSAVE_ON + "BB08300000B8030000000FC72BF4");
        List<Integer> v = vectors(unaligned);
        unaligned.run();
        assertThat(v).first().isEqualTo(13);

        Guest noOsxsave = Guest.long64("BB003000000FC72BF4");
        List<Integer> w = vectors(noOsxsave);
        noOsxsave.run();
        assertThat(w).first().isEqualTo(6);

        // A profile without CPUID.(EAX=0DH,ECX=1):EAX.XSS: #UD even with CR4.OSXSAVE.
        Guest noXss = Guest.long64(XSAVE_ON + "BB00300000B8030000000FC72BF4", false, withoutXsaves());
        List<Integer> u = vectors(noXss);
        noXss.run();
        assertThat(u).first().isEqualTo(6);
    }

    private static dev.vmx4j.vmx.profile.CpuProfile withoutXsaves() {
        String text = new String(readProfile(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("cpuid 0x0000000d 0x01 0x00000009", "cpuid 0x0000000d 0x01 0x00000001")
                .replace("cpuid 0x00000007 0x00 0x00000000 0x009c278b 0x00c0002c",
                        "cpuid 0x00000007 0x00 0x00000000 0x009c278b 0x0040000c");
        assertThat(text).contains("0x0040000c").contains("0x0000000d 0x01 0x00000001");
        try {
            return dev.vmx4j.vmx.profile.CpuProfile.parse(new java.io.StringReader(text), "no-xsaves");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readProfile() {
        try (java.io.InputStream in = dev.vmx4j.vmx.profile.CpuProfile.class
                .getResourceAsStream("/dev/vmx4j/vmx/profile/vmx4j.profile")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void ia32Xss_readsZero_andBit0IsReserved() {
        // mov ecx,0xda0; rdmsr; mov r8,rax; mov eax,1; xor edx,edx; wrmsr; hlt
        Guest g = Guest.long64("B9A00D00000F324989C0B80100000031D20F30F4");
        g.m.setReg(Reg.R8, 0x55);
        List<Integer> v = vectors(g);
        g.run();
        assertThat(g.reg(Reg.R8)).isZero();
        assertThat(v).as("x87 is a user component: WRMSR of IA32_XSS bit 0 is #GP (bit 16: HwpTest)").first().isEqualTo(13);
    }

    // ---------------------------------------------------------------- UMONITOR / UMWAIT / TPAUSE

    /** rdtsc into r8; deadline = r8 + 100000 in EDX:EAX; xor ecx,ecx; WAIT ecx; setc r9b; rax = TSC - r8; hlt. */
    private static String timedWait(String waitOpcode) {
        return "0F3148C1E2204809D04989C04805A08601004889C248C1EA2031C9" + waitOpcode
                + "410F92C10F3148C1E2204809D04C29C0F4";
    }

    private static final String TPAUSE_ECX = "660FAEF1";
    private static final String UMWAIT_ECX = "F20FAEF1";
    private static final String UMONITOR_RBX = "BB00300000F30FAEF3";
    /** IA32_UMWAIT_CONTROL = 1000 (the OS limit, 1000 TSC ticks). */
    private static final String OS_LIMIT_1000 = "B9E1000000B8E803000031D20F30";

    @Test
    void tpause_waitsUntilTheTscDeadline_withCf0() {
        Guest g = Guest.long64(timedWait(TPAUSE_ECX));
        g.m.setReg(Reg.R9, 0xFF);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX)).as("TSC ticks across the wait").isBetween(100_000L, 100_100L);
        assertThat(g.reg(Reg.R9) & 0xFF).as("CF = 0: the deadline, not the OS limit").isZero();
    }

    @Test
    void tpause_withTheOsLimitShorter_wakesAtTheLimit_withCf1() {
        Guest g = Guest.long64(OS_LIMIT_1000 + timedWait(TPAUSE_ECX));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX)).isBetween(1000L, 1100L);
        assertThat(g.reg(Reg.R9) & 0xFF).as("CF = 1").isEqualTo(1);
    }

    @Test
    void umwait_waitsOnlyWithAnArmedMonitor() {
        Guest unarmed = Guest.long64(timedWait(UMWAIT_ECX));
        assertThat(unarmed.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(unarmed.reg(Reg.RAX)).as("no UMONITOR: returns at once").isLessThan(100);

        Guest armed = Guest.long64(UMONITOR_RBX + timedWait(UMWAIT_ECX));
        assertThat(armed.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(armed.reg(Reg.RAX)).isBetween(100_000L, 100_100L);
        assertThat(armed.reg(Reg.R9) & 0xFF).isZero();
    }

    @Test
    void tpause_aDeadlineInThePast_returnsAtOnce_andAReservedControlBitIsGp() {
        // The deadline is the TSC minus 100000 (sub instead of add): no wait.
        Guest past = Guest.long64(timedWait(TPAUSE_ECX).replace("4805A0860100", "482DA0860100"));
        past.m.setMsr(0x10, 1_000_000); // IA32_TSC: far enough from 0 that the deadline does not wrap
        assertThat(past.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(past.reg(Reg.RAX)).isLessThan(100);

        Guest g = Guest.long64("B902000000660FAEF1F4"); // mov ecx,2; tpause ecx
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(13);
    }

    @Test
    void aDeadlineOfAllOnes_withNoLimitAndNoTimer_endsAfterTheLongestWait_withCf0() {
        // mov eax,-1; mov edx,-1; xor ecx,ecx; tpause ecx; setc r9b; hlt
        Guest g = Guest.long64("B8FFFFFFFFBAFFFFFFFF31C9660FAEF1410F92C1F4");
        long before = g.m.tsc();
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.tsc() - before).isBetween(UserWait.LONGEST_WAIT, UserWait.LONGEST_WAIT + 100);
        assertThat(g.reg(Reg.R9) & 0xFF).isZero();
    }

    @Test
    void ia32UmwaitControl_reservedBitsAreGp() {
        // mov ecx,0xe1; mov eax,2 (bit 1 reserved); xor edx,edx; wrmsr; hlt
        Guest g = Guest.long64("B9E1000000B80200000031D20F30F4");
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(13);
    }

    // ---------------------------------------------------------------- LOADIWKEY

    /** xmm1 = 0x11, xmm2 = 0x22, xmm0 = 0x33; eax = 0; cmp eax,eax (ZF = 1); loadiwkey xmm1,xmm2; rbx = RFLAGS; hlt. */
    private static final String LOAD_IW_KEY = "B81100000066480F6EC8B82200000066480F6ED0B83300000066480F6EC031C039C0F30F38DCCA9C5BF4";

    @Test
    void loadiwkey_loadsTheKeysFromXmm1Xmm2AndXmm0_andClearsZf() {
        Guest g = Guest.long64(KL_ON + LOAD_IW_KEY);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        long[] k = Cpu.of(g.m).iwKey;
        assertThat(k).containsExactly(0x22, 0, 0x11, 0, 0x33, 0, 0);
        assertThat(g.reg(Reg.RBX) & 0x8D5).as("ZF, CF, PF, AF, SF, OF cleared").isZero();
    }

    @Test
    void loadiwkey_withoutCr4Kl_isUd_andReservedOrUnsupportedEaxIsGp() {
        Guest noKl = Guest.long64("0F20E00D000200000F22E0" + LOAD_IW_KEY);
        List<Integer> v = vectors(noKl);
        noKl.run();
        assertThat(v).first().isEqualTo(6);
        assertThat(Cpu.of(noKl.m).iwKey).containsOnly(0);
        // EAX = 1 (NoBackup: CPUID.19H:ECX[0] = 0), 2 (KeySource 1: CPUID.19H:ECX[1] = 0), 4 (KeySource 2), 0x20.
        for (String eax : new String[] {"01000000", "02000000", "04000000", "20000000"}) {
            Guest g = Guest.long64(KL_ON + "B8" + eax + "F30F38DCCAF4");
            List<Integer> w = vectors(g);
            g.run();
            assertThat(w).as("EAX " + eax).first().isEqualTo(13);
        }
    }

    @Test
    void keyLockerAesInstructions_areUd_becauseAeskleIs0() {
        Guest g = Guest.long64(KL_ON + "F30F38FAC1F4"); // encodekey128 eax,ecx
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(6);
        int[] r = new int[4];
        g.m.profile().cpuid(0x19, 0, r);
        assertThat(r).containsOnly(0);
    }

    @Test
    void cr4Kl_isReservedWithoutTheKeyLockerFeature() {
        Guest g = Guest.long64("0F20E00D000008000F22E0F4", false, Guest.icelake());
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(13);
    }
}
