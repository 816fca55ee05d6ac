package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.Seg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SYSCALL/SYSRET and a few miscellaneous instructions. */
class SystemInstructionsTest {

    @Test
    void syscallEntersLstarAtCpl0_sysretqReturnsToCpl3() {
        // EFER.SCE via rdmsr/wrmsr; STAR = 0x0013_0008 << 32; LSTAR = 0x10100; FMASK = 0x200; syscall; mov r8,1; hlt
        Guest g = Guest.long64("B9800000C00F3283C8010F30B9810000C031C0BA080013000F30B9820000C0B80001010031D20F30"
                + "B9840000C0B8000200000F300F0541B801000000F4");
        g.m.memory().load(0x10100, Guest.bytes("4989C94D89DA480F07")); // mov r9,rcx; mov r10,r11; o64 sysret
        g.m.setRflags(0x202);
        g.run(30);
        assertThat(g.reg(Reg.R9)).as("RCX = return RIP").isEqualTo(Guest.CODE + 0x36);
        assertThat(g.reg(Reg.R10) & 0x200).as("R11 = RFLAGS with IF").isEqualTo(0x200);
        assertThat(g.reg(Reg.R8)).as("back in user code").isEqualTo(1);
        assertThat(g.m.cpl()).isEqualTo(3);
        assertThat(g.m.segment(Seg.CS).selector()).isEqualTo(0x23);
        assertThat(g.m.segment(Seg.SS).selector()).isEqualTo(0x1B);
        assertThat(g.m.rflags() & 0x200).as("RFLAGS restored from R11").isEqualTo(0x200);
    }

    @Test
    void crc32_matchesTheHostCpu() {
        // xor eax,eax; mov ebx,0x31; crc32 eax,bl; hlt   (host: _mm_crc32_u8(0, 0x31) = 0xc288cab2)
        // CRC32 needs CPUID.01H:ECX.SSE4_2, which icelake advertises and the default profile does not.
        Guest g = Guest.long64("31C0BB31000000F20F38F0C3F4", false, Guest.icelake());
        g.run();
        assertThat(g.reg(Reg.RAX)).isEqualTo(0xC288CAB2L);
    }

    @Test
    void crc32_isUndefinedOpcodeUnderTheDefaultProfile_whichDoesNotAdvertiseSse42() {
        Guest g = Guest.long64("31C0BB31000000F20F38F0C3F4");
        java.util.List<Integer> vectors = new java.util.ArrayList<>();
        g.m.addExceptionListener((vector, code, hasCode) -> vectors.add(vector));
        g.m.step();
        g.m.step();
        g.m.step();
        assertThat(vectors).as("#UD first (then #GP/#DF: this guest has no IDT)").startsWith(6);
        assertThat(g.reg(Reg.RAX)).isZero();
    }

    private static List<Integer> invpcidType0(long pcid, long address) {
        // xor eax,eax; invpcid rax,[0x3000]; hlt
        Guest g = Guest.long64("31C0660F3882042500300000F4");
        g.m.memory().write64(0x3000, pcid);
        g.m.memory().write64(0x3008, address);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((vector, code, hasCode) -> {
            vectors.add(vector);
            g.m.requestStop(0);
        });
        g.run();
        return vectors;
    }

    @Test
    void invpcid_checksTheDescriptor() {
        assertThat(invpcidType0(0, 0x1000)).as("valid").isEmpty();
        assertThat(invpcidType0(0, 0xFFAA_AAAA_AAAA_AAAAL)).as("non-canonical address").startsWith(13);
        assertThat(invpcidType0(1, 0x1000)).as("PCID 1 with CR4.PCIDE = 0").startsWith(13);
        assertThat(invpcidType0(0x1000, 0x1000)).as("descriptor bits 63:12").startsWith(13);
    }

    @Test
    void smswToA32BitRegister_storesAllOfCr0() {
        // mov rax,-1; smsw eax; smsw bx (16-bit: upper bits of RBX kept); hlt
        Guest g = Guest.long64("48C7C0FFFFFFFF0F01E0BB00003412660F01E3F4");
        g.run();
        assertThat(g.reg(Reg.RAX)).isEqualTo(g.m.cr(0) & 0xFFFFFFFFL);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x12340000L | (g.m.cr(0) & 0xFFFF));
    }

    @Test
    void x87ControlSubset_fninitFnstswFnstcwFldcw() {
        // fninit; fnstsw ax; mov bx,ax; fnstcw [0x3000]; mov word [0x3002],0x27f; fldcw [0x3002]; fnstcw [0x3004]; hlt
        Guest g = Guest.long64("DBE3DFE06689C3D93C250030000066C70425023000007F02D92C2502300000D93C2504300000F4");
        g.m.memory().write64(0x3000, -1L);
        assertThat(g.run().reason()).isEqualTo(dev.vmx4j.core.StopReason.HALTED);
        assertThat(g.reg(Reg.RBX) & 0xFFFF).as("status word after FNINIT").isZero();
        assertThat(g.m.memory().read16(0x3000)).as("control word after FNINIT").isEqualTo(0x037F);
        assertThat(g.m.memory().read16(0x3004)).isEqualTo(0x027F);
    }

    @Test
    void x87WithCr0Em_isDeviceNotAvailable() {
        Guest g = Guest.long64("DBE3F4");
        g.m.setCr(0, g.m.cr(0) | 4);
        java.util.List<Integer> vectors = new java.util.ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run();
        assertThat(vectors).first().isEqualTo(7);
    }

    @Test
    void sysenterAndSysexit_switchBetweenFlatRing0AndRing3() {
        dev.vmx4j.core.Machine m = Fixtures.prot32(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("0F34")); // sysenter
        m.memory().load(0x10200, Guest.bytes("BA00030100B9000007000F35")); // mov edx,0x10300; mov ecx,0x70000; sysexit
        m.setMsr(0x174, 0x08);
        m.setMsr(0x175, 0x90000);
        m.setMsr(0x176, 0x10200);
        m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(1));
        assertThat(m.rip()).isEqualTo(0x10200);
        assertThat(m.reg(Reg.RSP)).isEqualTo(0x90000);
        assertThat(m.segment(Seg.SS).selector()).isEqualTo(0x10);
        m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(3));
        assertThat(m.rip()).isEqualTo(0x10300);
        assertThat(m.cpl()).isEqualTo(3);
        assertThat(m.segment(Seg.CS).selector()).isEqualTo(0x1B);
        assertThat(m.segment(Seg.SS).selector()).isEqualTo(0x23);
        assertThat(m.reg(Reg.RSP)).isEqualTo(0x70000);
    }

    @Test
    void larLslVerrVerw_answerInZfWithoutFaulting() {
        // mov ax,0x10; lar ebx,ax; lsl ecx,ax; verr ax; setz dl; verw ax; setz dh; mov ax,0x08; verw ax; setz ah;
        // mov si,0x40; lar edi,si; setz al; hlt
        dev.vmx4j.core.Machine m = Fixtures.prot32(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("66B810000F02D80F03C80F00E00F94C20F00E80F94C666B808000F00E80F94C466BE40000F02FE0F94C0F4"));
        assertThat(m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(20)).reason())
                .isEqualTo(dev.vmx4j.core.StopReason.HALTED);
        assertThat(m.reg(Reg.RBX)).as("LAR: access rights of the flat data segment").isEqualTo(0x00C09200L);
        assertThat(m.reg(Reg.RCX)).as("LSL: byte-granular limit").isEqualTo(0xFFFFFFFFL);
        assertThat(m.reg(Reg.RDX) & 0xFFFF).as("VERR and VERW on data: ZF=1").isEqualTo(0x0101);
        assertThat(m.reg(Reg.RAX) & 0xFFFF).as("VERW on code and LAR beyond the GDT limit: ZF=0").isZero();
        assertThat(m.reg(Reg.RDI)).isZero();
    }

    @Test
    void monitorMwaitRdpmc_atCpl0() {
        // xor ecx,ecx; mov rax,0x3000; xor edx,edx; monitor; mwait; rdpmc; hlt
        Guest g = Guest.long64("31C9B80030000031D20F01C80F01C90F33F4");
        g.m.setReg(Reg.RAX, 7);
        assertThat(g.run().reason()).isEqualTo(dev.vmx4j.core.StopReason.HALTED);
        assertThat(g.reg(Reg.RAX)).as("RDPMC counter 0 reads 0").isZero();
        assertThat(g.m.instructionsRetired()).isEqualTo(7);
    }

    @Test
    void invpcidWithTypeAbove3_isGeneralProtection() {
        Guest g = Guest.long64("B80400000066480F3882042500300000F4"); // mov eax,4; invpcid rax,[0x3000]; hlt
        java.util.List<Integer> vectors = new java.util.ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run();
        assertThat(vectors).first().isEqualTo(13);
        assertThat(g.m.instructionsRetired()).isEqualTo(1);
    }
}
