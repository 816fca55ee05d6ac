package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HWP with one performance level (SDM "Hardware-Controlled Performance States (HWP)") and its
 * XSAVE supervisor state component 16 (SDM "XSAVE-Supported Features and State-Component
 * Bitmaps", "Operation of XSAVES", "Operation of XRSTORS") on the default profile. Guest code
 * is hand-assembled (NASM, in the comments). The VMX side (exits 63 and 64) is in
 * test-fixtures' {@code ExtensionInterceptsTest}.
 */
class HwpTest {

    private static final int PM_ENABLE = 0x770;
    private static final int REQUEST = 0x774;
    private static final int XSS = 0xDA0;
    /** CR4.OSFXSR | OSXSAVE; XSETBV XCR0 = 3 (x87, SSE). */
    private static final String XSAVE_ON = "0F20E00D000204000F22E031C931D2B8030000000F01D1";
    /** mov ecx,0x770; mov eax,1; xor edx,edx; wrmsr. */
    private static final String ENABLE = "B970070000B80100000031D20F30";
    /** Minimum 1, Maximum 1, Desired 0, Energy_Performance_Preference C0H, Activity_Window 155H. */
    private static final long HINTS = 0x155_C0_00_01_01L;
    private static final long SENTINEL = 0x5A5A_5A5A_5A5A_5A5AL;

    private static List<Integer> vectors(Guest g) {
        List<Integer> v = new ArrayList<>();
        g.m.addExceptionListener((vec, e, has) -> v.add(vec));
        return v;
    }

    private static List<Integer> faults(String hex) {
        Guest g = Guest.long64(hex);
        List<Integer> v = vectors(g);
        g.run();
        return v;
    }

    // ---------------------------------------------------------------- the MSRs

    @Test
    void beforeHwpIsEnabled_pmEnableReadsZero_andTheOtherHwpMsrsAreGp() {
        // mov ecx,0x770; rdmsr; mov r8,rax; hlt
        Guest g = Guest.long64("B9700700000F324989C0F4");
        g.m.setReg(Reg.R8, 0x55);
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
        assertThat(g.reg(Reg.R8)).isZero();
        assertThat(faults("B9710700000F32F4")).as("RDMSR IA32_HWP_CAPABILITIES").first().isEqualTo(13);
        assertThat(faults("B9740700000F32F4")).as("RDMSR IA32_HWP_REQUEST").first().isEqualTo(13);
        assertThat(faults("B9770700000F32F4")).as("RDMSR IA32_HWP_STATUS").first().isEqualTo(13);
        assertThat(faults("B97407000031C031D20F30F4")).as("WRMSR IA32_HWP_REQUEST").first().isEqualTo(13);
        // And after HWP_ENABLE the same RDMSR of IA32_HWP_REQUEST is allowed.
        assertThat(faults(ENABLE + "B9740700000F32F4")).isEmpty();
    }

    @Test
    void hwpEnable_isWriteOnceToOne_andReservedBitsAreGp() {
        // ENABLE; mov ecx,0x770; xor eax,eax; xor edx,edx; wrmsr; rdmsr; mov r8,rax; hlt
        Guest g = Guest.long64(ENABLE + "B97007000031C031D20F300F324989C0F4");
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
        assertThat(g.reg(Reg.R8)).as("writing 0 after 1 is ignored").isEqualTo(1);
        // mov ecx,0x770; mov eax,2; xor edx,edx; wrmsr; hlt
        assertThat(faults("B970070000B80200000031D20F30F4")).as("bit 1 reserved").first().isEqualTo(13);
        // RESET clears it.
        g.m.reset();
        assertThat(g.m.msr(PM_ENABLE)).isZero();
    }

    @Test
    void capabilities_reportOneLevel_andAreReadOnly() {
        // ENABLE; mov ecx,0x771; rdmsr; mov r8,rax; wrmsr; hlt
        Guest g = Guest.long64(ENABLE + "B9710700000F324989C00F30F4");
        List<Integer> v = vectors(g);
        g.run();
        assertThat(g.reg(Reg.R8)).as("highest = guaranteed = most efficient = lowest = 1").isEqualTo(0x0101_0101L);
        assertThat(v).as("WRMSR of the read-only MSR").first().isEqualTo(13);
    }

    @Test
    void request_startsAtTheFieldDefaults_keepsSupportedFields_ignoresPackageControl_andReservedIsGp() {
        // ENABLE; mov ecx,0x774; rdmsr; mov r8,rax; mov r9,rdx;
        // mov ecx,0x774; mov eax,-1; mov edx,0x7ff; wrmsr; rdmsr; mov r10,rax; mov r11,rdx; hlt
        Guest g = Guest.long64(ENABLE + "B9740700000F324989C04989D1"
                + "B974070000B8FFFFFFFFBAFF0700000F300F324989C24989D3F4");
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
        assertThat(g.reg(Reg.R8) | g.reg(Reg.R9) << 32).as("min = lowest, max = highest, EPP 80H")
                .isEqualTo(0x8000_0101L);
        assertThat(g.reg(Reg.R10) | g.reg(Reg.R11) << 32)
                .as("bits 41:0 kept; Package_Control (42) unsupported without CPUID.06H:EAX[11]: reads 0")
                .isEqualTo(0x3FF_FFFF_FFFFL);
        // ENABLE; mov ecx,0x774; xor eax,eax; mov edx,0x800; wrmsr; hlt (bit 43)
        assertThat(faults(ENABLE + "B97407000031C0BA000800000F30F4")).first().isEqualTo(13);
    }

    @Test
    void status_isZero_writesOfZeroOrOneKeepItZero_andReservedBitsAreGp() {
        // ENABLE; mov ecx,0x777; mov eax,5; xor edx,edx; wrmsr; rdmsr; mov r8,rax; mov eax,2; wrmsr; hlt
        Guest g = Guest.long64(ENABLE + "B977070000B80500000031D20F300F324989C0B8020000000F30F4");
        g.m.setReg(Reg.R8, 0x55);
        List<Integer> v = vectors(g);
        g.run();
        assertThat(g.reg(Reg.R8)).as("RWC0 bits are only set by the processor").isZero();
        assertThat(v).as("bit 1 is reserved").first().isEqualTo(13);
    }

    @Test
    void cpuid_enumeratesHwp_andHwpStateAsSupervisorComponent16_ofEightBytes() {
        // mov eax,6; cpuid; mov r8,rax; mov eax,0xd; mov ecx,1; cpuid; mov r9,rbx; mov r10,rcx;
        // mov eax,0xd; mov ecx,0x10; cpuid; mov r11,rax; mov r12,rcx;
        // IA32_XSS = 10000H; mov eax,0xd; mov ecx,1; cpuid; mov r13,rbx; hlt
        Guest g = Guest.long64("B8060000000FA24989C0B80D000000B9010000000FA24989D94989CAB80D000000B9100000000FA2"
                + "4989C34989CCB9A00D0000B80000010031D20F30B80D000000B9010000000FA24989DDF4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.R8) & 0xFFFF).as("ARAT, HWP, activity window, EPP").isEqualTo(0x684);
        assertThat(g.reg(Reg.R9)).as("0DH.1:EBX with IA32_XSS = 0").isEqualTo(576);
        assertThat(g.reg(Reg.R10)).as("0DH.1:ECX: IA32_XSS bit 16").isEqualTo(0x10000);
        assertThat(g.reg(Reg.R11)).as("0DH.10H:EAX: size").isEqualTo(8);
        assertThat(g.reg(Reg.R12)).as("0DH.10H:ECX: supervisor, not 64-byte aligned").isEqualTo(1);
        assertThat(g.reg(Reg.R13)).as("0DH.1:EBX with IA32_XSS[16] = 1").isEqualTo(584);
    }

    @Test
    void ia32Xss_bit16IsWritable_andOtherBitsStayReserved() {
        // mov ecx,0xda0; mov eax,0x10000; xor edx,edx; wrmsr; rdmsr; mov r8,rax; hlt
        Guest g = Guest.long64("B9A00D0000B80000010031D20F300F324989C0F4");
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
        assertThat(g.reg(Reg.R8)).isEqualTo(0x10000);
        assertThat(faults("B9A00D0000B80000020031D20F30F4")).as("bit 17").first().isEqualTo(13);
    }

    // ---------------------------------------------------------------- XSAVES / XRSTORS

    private static Guest xsaveGuest(String body, boolean hwpEnabled) {
        Guest g = Guest.long64(XSAVE_ON + body);
        if (hwpEnabled) {
            g.m.setMsr(PM_ENABLE, 1);
            g.m.setMsr(REQUEST, HINTS);
        }
        g.m.setMsr(XSS, 1L << 16);
        g.m.memory().write64(0x3000 + 576, SENTINEL);
        return g;
    }

    @Test
    void xsavesSavesHwpStateAtByte576_andXrstorsLoadsIt() {
        // mov ebx,0x3000; mov eax,-1; mov edx,-1; xsaves [rbx]; IA32_HWP_REQUEST = 0x102 (WRMSR);
        // mov eax,-1; mov edx,-1; xrstors [rbx]; mov ecx,0x774; rdmsr; mov r8,rax; hlt
        Guest g = xsaveGuest("BB00300000B8FFFFFFFFBAFFFFFFFF0FC72BB974070000B80201000031D20F30"
                + "B8FFFFFFFFBAFFFFFFFF0FC71BB9740700000F324989C0F4", true);
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
        assertThat(g.m.memory().read64(0x3000 + 576)).as("HWP state: IA32_HWP_REQUEST").isEqualTo(HINTS);
        assertThat(g.m.memory().read64(0x3000 + 512)).as("XSTATE_BV").isEqualTo(0x10003);
        assertThat(g.m.memory().read64(0x3000 + 520)).as("XCOMP_BV").isEqualTo(0x8000_0000_0001_0003L);
        assertThat(g.reg(Reg.R8)).as("XRSTORS loaded the saved request (EAX half)").isEqualTo(HINTS & 0xFFFF_FFFFL);
        assertThat(g.m.msr(REQUEST)).isEqualTo(HINTS);
    }

    @Test
    void xsavesWithoutBit16InTheMask_leavesByte576Alone() {
        // mov ebx,0x3000; mov eax,3; xor edx,edx; xsaves [rbx]; hlt
        Guest g = xsaveGuest("BB00300000B80300000031D20FC72BF4", true);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.memory().read64(0x3000 + 576)).isEqualTo(SENTINEL);
        assertThat(g.m.memory().read64(0x3000 + 520)).isEqualTo(0x8000_0000_0000_0003L);
    }

    @Test
    void xsavesWithIa32Xss0_savesNoHwpState_evenWithEveryMaskBit() {
        Guest g = xsaveGuest("BB00300000B8FFFFFFFFBAFFFFFFFF0FC72BF4", true);
        g.m.setMsr(XSS, 0);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.memory().read64(0x3000 + 576)).isEqualTo(SENTINEL);
        assertThat(g.m.memory().read64(0x3000 + 512)).isEqualTo(3);
    }

    @Test
    void xrstorsWithBit16ClearInXstateBv_initializesTheRequestToItsResetValue() {
        // mov ebx,0x3000; mov eax,-1; mov edx,-1; xrstors [rbx]; mov ecx,0x774; rdmsr; mov r8,rax; hlt
        Guest g = xsaveGuest("BB00300000B8FFFFFFFFBAFFFFFFFF0FC71BB9740700000F324989C0F4", true);
        g.m.memory().write64(0x3000 + 512, 3);
        g.m.memory().write64(0x3000 + 520, 0x8000_0000_0001_0003L);
        g.m.memory().write16(0x3000, 0x37F);
        g.m.memory().write32(0x3000 + 24, 0x1F80);
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
        assertThat(g.reg(Reg.R8)).isEqualTo(0x8000_0101L);
    }

    @Test
    void xrstorsOfAReservedRequestBit_isGp_beforeAnyChange_andUnsupportedFieldsAreIgnored() {
        String body = "BB00300000B8FFFFFFFFBAFFFFFFFF0FC71BF4";
        Guest bad = xsaveGuest(body, true);
        bad.m.memory().write64(0x3000 + 512, 0x10003);
        bad.m.memory().write64(0x3000 + 520, 0x8000_0000_0001_0003L);
        bad.m.memory().write32(0x3000 + 24, 0x1F80);
        bad.m.memory().write64(0x3000 + 576, 1L << 50 | 0x101);
        Cpu.of(bad.m).mxcsr = 0x1F00;
        List<Integer> v = vectors(bad);
        bad.run();
        assertThat(v).first().isEqualTo(13);
        assertThat(bad.m.msr(REQUEST)).isEqualTo(HINTS);
        assertThat(Cpu.of(bad.m).mxcsr).as("SSE state not loaded either").isEqualTo(0x1F00);

        Guest ok = xsaveGuest(body, true);
        ok.m.memory().write64(0x3000 + 512, 0x10003);
        ok.m.memory().write64(0x3000 + 520, 0x8000_0000_0001_0003L);
        ok.m.memory().write32(0x3000 + 24, 0x1F80);
        ok.m.memory().write64(0x3000 + 576, 1L << 42 | 0x101);
        assertThat(ok.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(ok.m.msr(REQUEST)).as("Package_Control is not supported: ignored").isEqualTo(0x101);
    }

    @Test
    void xsavesAndXrstorsOfHwpState_beforeHwpIsEnabled_areGp_butOtherComponentsWork() {
        Guest save = xsaveGuest("BB00300000B8FFFFFFFFBAFFFFFFFF0FC72BF4", false);
        List<Integer> v = vectors(save);
        save.run();
        assertThat(v).first().isEqualTo(13);
        assertThat(save.m.memory().read64(0x3000 + 576)).isEqualTo(SENTINEL);
        assertThat(save.m.memory().read64(0x3000 + 520)).as("nothing written").isZero();

        Guest restore = xsaveGuest("BB00300000B8FFFFFFFFBAFFFFFFFF0FC71BF4", false);
        restore.m.memory().write64(0x3000 + 520, 0x8000_0000_0001_0003L);
        List<Integer> w = vectors(restore);
        restore.run();
        assertThat(w).first().isEqualTo(13);

        Guest x87Sse = xsaveGuest("BB00300000B80300000031D20FC72BF4", false);
        assertThat(vectors(x87Sse)).isEmpty();
        assertThat(x87Sse.run().reason()).isEqualTo(StopReason.HALTED);
    }

    // ---------------------------------------------------------------- XSAVE / XRSTOR / XSETBV

    @Test
    void xsaveAndXrstor_neverTouchTheSupervisorComponent_andXcr0CannotEnableIt() {
        // mov ebx,0x3000; mov eax,-1; mov edx,-1; xsave [rbx]; hlt
        Guest save = xsaveGuest("BB00300000B8FFFFFFFFBAFFFFFFFF0FAE23F4", true);
        assertThat(save.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(save.m.memory().read64(0x3000 + 576)).isEqualTo(SENTINEL);
        assertThat(save.m.memory().read64(0x3000 + 512)).as("XSTATE_BV: XCR0 components only").isEqualTo(3);

        // mov ebx,0x3000; mov eax,-1; mov edx,-1; xrstor [rbx]; hlt, with XSTATE_BV[16] = 1
        Guest restore = xsaveGuest("BB00300000B8FFFFFFFFBAFFFFFFFF0FAE2BF4", true);
        restore.m.memory().write64(0x3000 + 512, 0x10003);
        restore.m.memory().write64(0x3000 + 576, 0x102);
        List<Integer> v = vectors(restore);
        restore.run();
        assertThat(v).as("XSTATE_BV sets a bit not in XCR0").first().isEqualTo(13);
        assertThat(restore.m.msr(REQUEST)).isEqualTo(HINTS);

        // xor ecx,ecx; mov eax,0x10003; xor edx,edx; xsetbv; hlt
        assertThat(faults("0F20E00D000204000F22E031C9B80300010031D20F01D1F4")).as("XCR0[16]").first().isEqualTo(13);
    }
}
