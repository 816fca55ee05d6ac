package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SYSCALL/SYSRET and SYSENTER/SYSEXIT where the vendors differ: the AMD profile ({@code
 * opteron_g1}) runs SYSCALL in compatibility mode (CSTAR) and legacy mode (STAR's EIP) and
 * rejects SYSENTER in long mode; the Intel profiles give #UD for SYSCALL/SYSRET outside 64-bit
 * mode. Both vendors take the single-step trap of SYSCALL/SYSRET on RFLAGS.TF at the end.
 */
class VendorSystemCallsTest {

    static final String AMD = "opteron_g1";

    private static final long GDT = 0x5000;
    private static final long IDT = 0x6000;
    private static final long KERNEL = 0x10000;
    private static final long USER = 0x11000;
    private static final long ENTRY = 0x12000;
    private static final long DB_HANDLER = 0x13000;
    private static final long HALT_HANDLER = 0x13100;
    private static final long TSS = 0x14000;
    private static final int USER_CS32 = 0x1B;
    /** Flat 32-bit code, DPL 3 (VMCS access-rights format): type B, S, DPL 3, P, D/B, G. */
    private static final int AR_CODE32_DPL3 = 0xC0FB;
    private static final int AR_DATA_DPL3 = 0xC0F3;
    private static final long TF = 1L << 8;
    private static final long IF = 1L << 9;
    /** IA32_FMASK as kvm-unit-tests' syscall test sets it: TF, DF, IF, NT. */
    private static final long FMASK = 0x4700;

    private final List<Integer> vectors = new ArrayList<>();
    private final List<Integer> cplAtException = new ArrayList<>();

    /**
     * IA-32e mode at CPL 0: GDT 0x08 kernel code64, 0x10 kernel data, 0x18 user code32, 0x20 user
     * data, 0x28 user code64; STAR gives SYSCALL 0x08 and SYSRET 0x18; LSTAR = CSTAR = ENTRY; a 64-bit
     * TSS with RSP0; every IDT gate to a HLT, #DB to DB_HANDLER (counts in R15, the interrupted CS
     * in R14, clears TF in the frame, IRETQ).
     */
    private Machine longMode(String profile) {
        Machine m = Machine.builder().memorySize(8L << 20).profile(CpuProfile.builtIn(profile)).build();
        m.enterLongMode(Guest.PAGE_TABLES);
        m.memory().write64(GDT + 0x08, 0x00209A0000000000L);
        m.memory().write64(GDT + 0x10, 0x00CF92000000FFFFL);
        m.memory().write64(GDT + 0x18, 0x00CFFA000000FFFFL);
        m.memory().write64(GDT + 0x20, 0x00CFF2000000FFFFL);
        m.memory().write64(GDT + 0x28, 0x0020FA0000000000L);
        m.setGdtr(GDT, 0x2F);
        for (int v = 0; v < 256; v++) {
            long h = v == 1 ? DB_HANDLER : HALT_HANDLER;
            m.memory().write64(IDT + v * 16L, (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47) | ((h >>> 16 & 0xFFFF) << 48));
            m.memory().write64(IDT + v * 16L + 8, h >>> 32);
        }
        m.setIdtr(IDT, 0xFFF);
        m.memory().write64(TSS + 4, 0x70000); // RSP0
        m.setSegment(Seg.TR, 0x30, TSS, 0x67, 0x8B);
        // inc r15; mov r14,[rsp+8]; and qword [rsp+16],~0x100; iretq
        m.memory().load(DB_HANDLER, Guest.bytes("49ffc74c8b7424084881642410fffeffff48cf"));
        m.memory().load(HALT_HANDLER, Guest.bytes("f4"));
        m.setMsr(0xC0000081, (0x18L << 48) | (0x08L << 32));
        m.setMsr(0xC0000082, ENTRY);
        m.setMsr(0xC0000083, ENTRY);
        m.setMsr(0xC0000084, FMASK);
        m.setReg(Reg.RSP, 0x80000);
        listen(m);
        return m;
    }

    private void listen(Machine m) {
        m.addExceptionListener((vector, code, hasCode) -> {
            vectors.add(vector);
            cplAtException.add(m.cpl());
        });
    }

    /** Continues at {@code rip} in compatibility mode at CPL 3 (CS = USER_CS32, SS = 0x23). */
    private static void toCompatibilityMode(Machine m, long rip) {
        m.setSegment(Seg.CS, USER_CS32, 0, 0xFFFFFFFF, AR_CODE32_DPL3);
        m.setSegment(Seg.SS, 0x23, 0, 0xFFFFFFFF, AR_DATA_DPL3);
        m.setRip(rip);
    }

    @Test
    void amd_syscallTfHandling_singleStepTrapAfterSysretInUserCode_noneAfterSyscall() {
        // The scenario kvm-unit-tests' "syscall TF handling" checks, in our own code: the kernel
        // SYSRETs (32-bit) to compatibility-mode user code, which sets TF with POPFD and executes
        // SYSCALL twice. The first SYSCALL masks TF (IA32_FMASK) and takes no single-step trap; the
        // handler SYSRETs with R11.TF = 1, which traps at once, in user code (CS = USER_CS32); the
        // #DB handler clears TF and the second SYSCALL halts in the handler.
        Machine m = longMode(AMD);
        m.memory().load(KERNEL, Guest.bytes("0f07")); // sysretl
        // pushfd; pop eax; or eax,0x100; push eax; popfd; syscall; syscall; hlt
        m.memory().load(USER, Guest.bytes("9c580d00010000509d0f050f05f4"));
        // test r15,r15; jnz done; mov r11,rax; sysretl; done: hlt
        m.memory().load(ENTRY, Guest.bytes("4d85ff75054989c30f07f4"));
        m.setRip(KERNEL);
        m.setReg(Reg.RCX, USER);
        m.setReg(Reg.R11, 0x2);
        assertThat(m.run(RunLimits.unlimited().maxInstructions(100)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(vectors).as("exactly one #DB").containsExactly(1);
        assertThat(m.reg(Reg.R15)).as("#DB handler runs").isEqualTo(1);
        assertThat(m.reg(Reg.R14)).as("the CS the #DB interrupted: user code after SYSRET").isEqualTo(USER_CS32);
        assertThat(m.rip()).as("halted in the CSTAR handler after the second SYSCALL").isEqualTo(ENTRY + 11);
        assertThat(m.cpl()).isZero();
        assertThat(m.rflags() & TF).as("TF masked by IA32_FMASK").isZero();
    }

    @Test
    void amd_compatibilityModeSyscall_entersCstarIn64BitMode_sysretlReturns() {
        Machine m = longMode(AMD);
        toCompatibilityMode(m, USER);
        m.memory().load(USER, Guest.bytes("0f05"));     // syscall
        m.memory().load(ENTRY, Guest.bytes("0f07"));    // sysretl
        m.setRflags(0x2 | IF | (1L << 10) | (1L << 0)); // IF, DF, CF
        m.step();
        assertThat(vectors).isEmpty();
        assertThat(m.rip()).as("RIP = IA32_CSTAR").isEqualTo(ENTRY);
        assertThat(m.reg(Reg.RCX)).as("RCX = next EIP").isEqualTo(USER + 2);
        assertThat(m.reg(Reg.R11)).as("R11 = RFLAGS").isEqualTo(0x2 | IF | (1L << 10) | 1);
        assertThat(m.rflags()).as("RFLAGS AND NOT IA32_FMASK").isEqualTo(0x2 | 1);
        assertThat(m.segment(Seg.CS).selector()).isEqualTo(0x08);
        assertThat(m.segment(Seg.CS).accessRights() & SegmentState.AR_L).as("64-bit code").isNotZero();
        assertThat(m.segment(Seg.SS).selector()).isEqualTo(0x10);
        assertThat(m.cpl()).isZero();
        m.step();
        assertThat(vectors).isEmpty();
        assertThat(m.rip()).isEqualTo(USER + 2);
        assertThat(m.cpl()).isEqualTo(3);
        assertThat(m.segment(Seg.CS).selector()).isEqualTo(USER_CS32);
        assertThat(m.segment(Seg.CS).accessRights() & (SegmentState.AR_L | SegmentState.AR_DB)).as("32-bit code")
                .isEqualTo(SegmentState.AR_DB);
        assertThat(m.segment(Seg.SS).selector()).isEqualTo(0x23);
        assertThat(m.segment(Seg.SS).accessRights() >>> 5 & 3).as("SS.DPL").isEqualTo(3);
        assertThat(m.rflags()).as("RFLAGS = R11").isEqualTo(0x2 | IF | (1L << 10) | 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vmx4j", "corei7_icelake_u"})
    void intel_compatibilityModeSyscallAndSysret_areUndefinedOpcode(String profile) {
        Machine m = longMode(profile);
        toCompatibilityMode(m, USER);
        m.memory().load(USER, Guest.bytes("0f05"));
        m.step();
        assertThat(vectors).as("SDM \"SYSCALL\": #UD in compatibility mode").containsExactly(6);
        assertThat(cplAtException).containsExactly(3);
        vectors.clear();
        Machine k = longMode(profile);
        // A CPL 0 compatibility-mode code segment: SYSRET's #UD comes before its CPL check.
        k.setSegment(Seg.CS, 0x08, 0, 0xFFFFFFFF, AR_CODE32_DPL3 & ~0x60);
        k.setRip(USER);
        k.memory().load(USER, Guest.bytes("0f07"));
        k.step();
        assertThat(vectors).as("SDM \"SYSRET\": #UD outside 64-bit mode").containsExactly(6);
    }

    @Test
    void amd_syscallTfHandling_failsOnIntel_withUdInUserCode() {
        Machine m = longMode("vmx4j");
        m.memory().load(KERNEL, Guest.bytes("0f07"));
        m.memory().load(USER, Guest.bytes("9c580d00010000509d0f050f05f4"));
        m.setRip(KERNEL);
        m.setReg(Reg.RCX, USER);
        m.setReg(Reg.R11, 0x2);
        assertThat(m.run(RunLimits.unlimited().maxInstructions(100)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(vectors).as("the first compatibility-mode SYSCALL is #UD (a fault: no single-step trap)")
                .containsExactly(6);
        assertThat(m.rip()).isEqualTo(HALT_HANDLER + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vmx4j", AMD})
    void bothVendors_64BitSyscallMaskingTf_takesNoTrap_sysretqLoadingTf_trapsAtTheReturnAddress(String profile) {
        Machine m = longMode(profile);
        m.setSegment(Seg.CS, 0x2B, 0, 0xFFFFFFFF, 0xA0FB); // 64-bit user code, DPL 3
        m.setSegment(Seg.SS, 0x23, 0, 0xFFFFFFFF, AR_DATA_DPL3);
        m.setRip(USER);
        m.memory().load(USER, Guest.bytes("0f05ebfe"));           // syscall; jmp $
        m.memory().load(ENTRY, Guest.bytes("4d85ff75054989c3480f07f4")); // test r15,r15; jnz; mov r11,rax; sysretq
        m.setRflags(0x2 | TF);
        m.setReg(Reg.RAX, 0x2 | TF);
        m.step();
        assertThat(vectors).as("TF masked by IA32_FMASK: no trap after SYSCALL").isEmpty();
        assertThat(m.rip()).isEqualTo(ENTRY);
        m.run(RunLimits.unlimited().maxInstructions(20));
        assertThat(vectors).as("SYSRETQ loaded TF = 1: a trap at once, then TF is clear").containsExactly(1);
        assertThat(m.reg(Reg.R14)).as("the #DB interrupted user code").isEqualTo(0x2B);
        assertThat(m.reg(Reg.R15)).isEqualTo(1);
        assertThat(m.rip()).as("the handler returned to the loop after SYSCALL").isEqualTo(USER + 2);
        assertThat(m.cpl()).isEqualTo(3);
        assertThat(m.dr(6) & (1L << 14)).as("DR6.BS").isNotZero();
    }

    @Test
    void amd_legacyModeSyscall_usesStarEip_sysretSetsIf() {
        Machine m = Machine.builder().memorySize(8L << 20).profile(CpuProfile.builtIn(AMD)).build();
        listen(m);
        m.enterProtectedMode();
        m.setMsr(0xC0000080, 1); // EFER.SCE
        m.setMsr(0xC0000081, (0x18L << 48) | (0x08L << 32) | ENTRY);
        m.setMsr(0xC0000084, 0xFFFFFFFFL); // IA32_FMASK: ignored in legacy mode
        m.setSegment(Seg.CS, USER_CS32, 0, 0xFFFFFFFF, AR_CODE32_DPL3);
        m.setSegment(Seg.SS, 0x23, 0, 0xFFFFFFFF, AR_DATA_DPL3);
        m.setRip(USER);
        m.memory().load(USER, Guest.bytes("0f05f4"));
        m.memory().load(ENTRY, Guest.bytes("fa0f07")); // cli; sysret
        m.setRflags(0x2 | IF | (1L << 10) | 1);
        m.step();
        assertThat(vectors).isEmpty();
        assertThat(m.rip()).as("EIP = STAR[31:0]").isEqualTo(ENTRY);
        assertThat(m.reg(Reg.RCX)).as("ECX = next EIP").isEqualTo(USER + 2);
        assertThat(m.rflags()).as("IF (and VM, RF) cleared, nothing else").isEqualTo(0x2 | (1L << 10) | 1);
        assertThat(m.segment(Seg.CS).selector()).isEqualTo(0x08);
        assertThat(m.segment(Seg.CS).accessRights() & SegmentState.AR_DB).as("32-bit code").isNotZero();
        assertThat(m.segment(Seg.SS).selector()).isEqualTo(0x10);
        assertThat(m.cpl()).isZero();
        m.step();
        m.step();
        assertThat(vectors).isEmpty();
        assertThat(m.rip()).isEqualTo(USER + 2);
        assertThat(m.cpl()).isEqualTo(3);
        assertThat(m.segment(Seg.CS).selector()).isEqualTo(USER_CS32);
        assertThat(m.segment(Seg.SS).selector()).isEqualTo(0x23);
        assertThat(m.rflags()).as("AMD APM \"SYSRET\" legacy mode: IF set").isEqualTo(0x2 | IF | (1L << 10) | 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vmx4j", "corei7_icelake_u"})
    void intel_legacyModeSyscall_isUndefinedOpcode(String profile) {
        Machine m = Machine.builder().memorySize(8L << 20).profile(CpuProfile.builtIn(profile)).build();
        listen(m);
        m.enterProtectedMode();
        m.setMsr(0xC0000080, 1);
        m.setRip(KERNEL);
        m.memory().load(KERNEL, Guest.bytes("0f05"));
        m.step();
        assertThat(vectors).startsWith(6);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void amd_sysenterAndSysexitInLongMode_areUndefinedOpcode(boolean compatibilityMode) {
        for (String insn : new String[] {"0f34", "0f35"}) {
            vectors.clear();
            Machine m = longMode(AMD);
            m.setMsr(0x174, 0x08);
            m.setMsr(0x176, ENTRY);
            if (compatibilityMode) {
                m.setSegment(Seg.CS, 0x08, 0, 0xFFFFFFFF, AR_CODE32_DPL3 & ~0x60);
            }
            m.setRip(KERNEL);
            m.memory().load(KERNEL, Guest.bytes(insn));
            m.step();
            assertThat(vectors).as("AMD APM \"%s\": #UD in long mode", insn.equals("0f34") ? "SYSENTER" : "SYSEXIT")
                    .containsExactly(6);
        }
    }

    @Test
    void intel_sysenterInLongMode_entersSysenterEip() {
        Machine m = longMode("vmx4j");
        m.setMsr(0x174, 0x08);
        m.setMsr(0x175, 0x70000);
        m.setMsr(0x176, ENTRY);
        toCompatibilityMode(m, USER);
        m.memory().load(USER, Guest.bytes("0f34"));
        m.step();
        assertThat(vectors).isEmpty();
        assertThat(m.rip()).isEqualTo(ENTRY);
        assertThat(m.cpl()).isZero();
        assertThat(m.segment(Seg.CS).accessRights() & SegmentState.AR_L).as("64-bit code").isNotZero();
    }

    @Test
    void amd_legacySysenter_stillWorks() {
        Machine m = Machine.builder().memorySize(8L << 20).profile(CpuProfile.builtIn(AMD)).build();
        listen(m);
        m.enterProtectedMode();
        m.setMsr(0x174, 0x08);
        m.setMsr(0x175, 0x70000);
        m.setMsr(0x176, ENTRY);
        m.setRip(KERNEL);
        m.memory().load(KERNEL, Guest.bytes("0f34"));
        m.step();
        assertThat(vectors).isEmpty();
        assertThat(m.rip()).isEqualTo(ENTRY);
        assertThat(m.reg(Reg.RSP)).isEqualTo(0x70000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vmx4j", AMD})
    void sysretqToNonCanonicalRcx_intelFaultsAtCpl0_amdAtCpl3(String profile) {
        Machine m = longMode(profile);
        m.setRip(KERNEL);
        m.memory().load(KERNEL, Guest.bytes("480f07"));
        m.setReg(Reg.RCX, 0x0000800000000000L);
        m.setReg(Reg.R11, 0x2);
        m.run(RunLimits.unlimited().maxInstructions(3));
        assertThat(vectors).containsExactly(13);
        assertThat(cplAtException).containsExactly(profile.equals(AMD) ? 3 : 0);
    }

    @Test
    void amd_syscallWithSceClear_isUndefinedOpcode_inEveryMode() {
        Machine m = longMode(AMD);
        m.setMsr(0xC0000080, m.msr(0xC0000080) & ~1L);
        toCompatibilityMode(m, USER);
        m.memory().load(USER, Guest.bytes("0f05"));
        m.step();
        assertThat(vectors).containsExactly(6);
    }
}
