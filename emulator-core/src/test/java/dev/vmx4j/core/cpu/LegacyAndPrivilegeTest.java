package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 16-bit code, address-size-aware strings, far calls, privilege rules of POPF/IN, TSC and RDTSCP, ENTER nesting. */
class LegacyAndPrivilegeTest {

    @Test
    void realMode_stringsSegmentsAndFarCall() {
        // mov ax,0x2000; mov es,ax; xor di,di; mov cx,3; mov al,0x5a; cld; rep stosb; push es; pop ds; xor si,si; lodsb;
        // mov bx,0xffff; inc bx; call far [cs:fp]; hlt; f: mov dx,0x1234; retf; fp: dw f, 0x1000
        Guest g = Guest.real("B800208EC031FFB90300B05AFCF3AA061F31F6ACBBFFFF432EFF1E2200F4BA3412CB1E000010");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.memory().read32(0x20000)).isEqualTo(0x005A5A5A);
        assertThat(g.m.segment(Seg.DS).base()).isEqualTo(0x20000);
        assertThat(g.reg(Reg.RAX) & 0xFF).isEqualTo(0x5A);
        assertThat(g.reg(Reg.RSI) & 0xFFFF).isEqualTo(1);
        assertThat(g.reg(Reg.RBX) & 0xFFFF).isZero();
        assertThat(g.reg(Reg.RDX) & 0xFFFF).isEqualTo(0x1234);
        assertThat(g.reg(Reg.RSP)).isEqualTo(0x8000);
    }

    @Test
    void sixteenBitAddressSize_countsInCxAndWrapsDi() {
        // mov ecx,0x10002; mov di,0xfffe; mov ax,0x1000; mov es,ax; mov al,1; rep stosb; hlt
        Guest g = Guest.real("66B902000100BFFEFFB800108EC0B001F3AAF4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RCX)).as("CX counted down, ECX[31:16] kept").isEqualTo(0x10000);
        assertThat(g.reg(Reg.RDI) & 0xFFFF).as("DI wrapped").isZero();
        assertThat(g.m.memory().read16(0x1FFFE)).isEqualTo(0x0101);
    }

    @Test
    void pushSegmentRegister32_popIntoAnother() {
        Machine m = Fixtures.prot32(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("1E070FA0F4")); // push ds; pop es; push fs; hlt
        m.setSegment(Seg.ES, 0, 0, 0, 0x10000);
        assertThat(m.run(RunLimits.unlimited().maxInstructions(10)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.segment(Seg.ES).selector()).isEqualTo(0x10);
        assertThat(m.reg(Reg.RSP)).isEqualTo(Fixtures.STACK - 4);
        assertThat(m.memory().read16(Fixtures.STACK - 4)).isEqualTo(0x10);
    }

    private static Guest user64(String hex) {
        Guest g = Guest.long64(hex);
        g.m.setSegment(Seg.CS, 0x1B, 0, 0xFFFFFFFF, 0xA0FB);
        g.m.setSegment(Seg.SS, 0x23, 0, 0xFFFFFFFF, 0xC0F3);
        return g;
    }

    @Test
    void popfAtCpl3_cannotChangeIfOrIopl_butCpl0Can() {
        // pushfq; pop rax; or eax,0x3200; push rax; popfq; pushfq; pop rbx; hlt
        String hex = "9C580D00320000509D9C5BF4";
        Guest kernel = Guest.long64(hex);
        assertThat(kernel.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(kernel.reg(Reg.RBX)).isEqualTo(0x3202);
        Guest user = user64(hex);
        user.m.setReg(Reg.RSP, Guest.STACK);
        assertThat(user.m.cpl()).isEqualTo(3);
        user.run(7);
        assertThat(user.reg(Reg.RBX)).isEqualTo(0x0002);
    }

    @Test
    void inAtCpl3WithIoplZero_andNoIoBitmap_isGeneralProtection() {
        Guest g = user64("E460F4"); // in al,0x60; hlt
        g.m.setSegment(Seg.TR, 0x28, 0x7000, 0x67, 0x8B);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run();
        assertThat(vectors).first().isEqualTo(13);
    }

    @Test
    void inAtCpl3_allowedByTheTssIoBitmap() {
        Guest g = user64("E460F4");
        long tss = 0x7000;
        g.m.memory().write16(tss + 0x66, 0x68);      // bitmap right after the 104-byte TSS
        g.m.memory().write8(tss + 0x68 + 0x60 / 8, 0xFE); // port 0x60 is bit 0 of byte 12: clear = allowed
        g.m.setSegment(Seg.TR, 0x28, tss, 0x68 + 0x2000, 0x8B);
        assertThat(g.run().reason()).as("HLT at CPL 3 faults, but IN succeeded first").isEqualTo(StopReason.SHUTDOWN);
        assertThat(g.reg(Reg.RAX) & 0xFF).isEqualTo(0xFF);
        assertThat(g.m.instructionsRetired()).isEqualTo(1);
    }

    @Test
    void unalignedAccessAtCpl3WithAmAndAc_isAlignmentCheck() {
        Guest g = user64("8B0425003000008B1C2501300000F4"); // mov eax,[0x3000]; mov ebx,[0x3001]; hlt
        g.m.setCr(0, g.m.cr(0) | (1L << 18));
        g.m.setRflags(0x40002);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run();
        assertThat(vectors).first().as("#AC").isEqualTo(17);
        assertThat(g.m.instructionsRetired()).as("the aligned load retired").isEqualTo(1);
    }

    @Test
    void unalignedAccessAtCpl0_isNotChecked() {
        Guest g = Guest.long64("8B0425003000008B1C2501300000F4");
        g.m.setCr(0, g.m.cr(0) | (1L << 18));
        g.m.setRflags(0x40002);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
    }

    @Test
    void sgdtAtCpl3WithUmip_isGeneralProtection_withoutUmipAllowed() {
        Guest with = user64("0F01042500300000F4"); // sgdt [0x3000]; hlt
        with.m.setCr(4, with.m.cr(4) | (1L << 11));
        List<Integer> v1 = new ArrayList<>();
        with.m.addExceptionListener((v, e, has) -> v1.add(v));
        with.run();
        assertThat(v1).first().isEqualTo(13);
        assertThat(with.m.instructionsRetired()).isZero();

        Guest without = user64("0F01042500300000F4");
        without.run();
        assertThat(without.m.instructionsRetired()).as("SGDT retired, then HLT faulted").isEqualTo(1);
        assertThat(without.m.memory().read16(0x3000)).isEqualTo(0xFFFF);
    }

    @Test
    void movDrWithDr7Gd_isDebugFault_clearingGdAndSettingDr6Bd() {
        Guest g = Guest.long64("0F21F8F4"); // mov rax,dr7; hlt
        g.m.setDr(7, 0x2400);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run();
        assertThat(vectors).first().isEqualTo(1);
        assertThat(g.m.dr(7) & 0x2000).isZero();
        assertThat(g.m.dr(6) & 0x2000).isNotZero();
    }

    @Test
    void wrpkruRdpkru_andCpuidOspke() {
        // CR4.PKE via bts; wrpkru 0xc; rdpkru -> esi; cpuid(7,0) -> ecx
        Guest g = Guest.long64("0F20E0480FBAE8160F22E031C931D2B80C0000000F01EF31C00F01EE89C6B80700000031C90FA2F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RSI)).isEqualTo(0xC);
        assertThat(g.reg(Reg.RCX) & 0x10).as("CPUID.7.ECX.OSPKE").isEqualTo(0x10);
    }

    @Test
    void protectionKeyAccessDisable_makesUserReadAPageFaultWithPk() {
        // user: xor ecx,ecx; xor edx,edx; mov eax,1 (AD for key 0); wrpkru; mov ebx,[0x3000]; hlt
        Guest g = user64("31C931D2B8010000000F01EF8B1C2500300000F4");
        g.m.setCr(4, g.m.cr(4) | (1L << 22));
        List<Long> codes = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> codes.add((long) v << 40 | (long) e << 32 | g.m.cr(2)));
        g.run();
        assertThat(codes).first().as("#PF: present, user, PK; CR2").isEqualTo(14L << 40 | 0x25L << 32 | 0x3000);
    }

    @Test
    void rdtscp_returnsTscAuxInEcx() {
        // mov ecx,0xC0000103; mov eax,0x77; xor edx,edx; wrmsr; rdtscp; hlt
        Guest g = Guest.long64("B9030100C0B87700000031D20F300F01F9F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x77);
        assertThat(g.reg(Reg.RAX)).isEqualTo(1 + 1 + 1 + 20);
    }

    @Test
    void wrmsrToIa32Tsc_setsTheCounterAtThatMoment() {
        // mov ecx,0x10; mov eax,1000; xor edx,edx; wrmsr; rdtsc; hlt
        Guest g = Guest.long64("B910000000B8E803000031D20F300F31F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX)).as("1000 + the WRMSR's 20 cycles").isEqualTo(1020);
    }

    @Test
    void wrmsrToTscAdjust_addsItsDeltaToTheTsc() {
        // mov ecx,0x3b; mov eax,100; xor edx,edx; wrmsr; rdtsc; hlt
        Guest g = Guest.long64("B93B000000B86400000031D20F300F31F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX)).as("23 cycles + 100").isEqualTo(123);
        assertThat(g.m.msr(0x3B)).isEqualTo(100);
    }

    @Test
    void enterWithNestingLevel_copiesFramePointers() {
        // mov rbp,0x7ff00; mov qword [0x7fef8],0xaaaa; enter 16,2; hlt
        Guest g = Guest.long64("BD00FF070048C70425F8FE0700AAAA0000C8100002F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.memory().read64(0x7FFF8)).isEqualTo(0x7FF00);
        assertThat(g.m.memory().read64(0x7FFF0)).isEqualTo(0xAAAA);
        assertThat(g.m.memory().read64(0x7FFE8)).isEqualTo(0x7FFF8);
        assertThat(g.reg(Reg.RBP)).isEqualTo(0x7FFF8);
        assertThat(g.reg(Reg.RSP)).isEqualTo(0x7FFD8);
    }
}
