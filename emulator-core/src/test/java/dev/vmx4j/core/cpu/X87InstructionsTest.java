package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * x87 and MMX behaviour the host vectors cannot record: #NM/#UD/#MF gating by CR0, unmasked
 * exception responses, the FSTENV/FSAVE/FXSAVE layouts and the MMX aliasing of the register file.
 * Programs assembled with GNU as (Intel syntax); code at 0x10000.
 */
class X87InstructionsTest {

    private static List<Integer> vectors(Guest g) {
        List<Integer> v = new ArrayList<>();
        g.m.addExceptionListener((vec, e, has) -> v.add(vec));
        return v;
    }

    @Test
    void x87WithCr0Ts_isDeviceNotAvailable() {
        Guest g = Guest.long64("0F20C083C8080F22C0D9E8F4"); // mov rax,cr0; or eax,8 (TS); mov cr0,rax; fld1; hlt
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(7);
    }

    @Test
    void x87WithCr0Em_isDeviceNotAvailable_mmxIsInvalidOpcode() {
        Guest g = Guest.long64("0F20C083C8040F22C0D9E8F4"); // CR0.EM; fld1
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(7);
        Guest mmx = Guest.long64("0F20C083C8040F22C00F77F4"); // CR0.EM; emms
        List<Integer> w = vectors(mmx);
        mmx.run();
        assertThat(w).first().isEqualTo(6);
    }

    @Test
    void fwaitWithTsButNotMp_doesNotFault() {
        // CR0.TS = 1, CR0.MP = 0; fwait; hlt
        Guest g = Guest.long64("0F20C083C80883E0FD0F22C09BF4");
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
    }

    @Test
    void unmaskedZeroDivide_leavesStack_andNextWaitingInstructionRaisesMf() {
        // fninit; FCW = 037BH (ZM clear); fld1; fldz; fdivp st(1),st; fnstsw ax; fld1; hlt
        Guest g = Guest.long64("DBE366C70425003000007B03D92C2500300000D9E8D9EEDEF9DFE0D9E8F4");
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().as("#MF at the FLD1 after FNSTSW").isEqualTo(16);
        // FNSTSW (non-waiting) stored B|ES|ZE with TOP = 6: the division did not pop.
        assertThat(g.reg(Reg.RAX) & 0xFFFF).isEqualTo(0xB084);
    }

    @Test
    void unmaskedException_withCr0NeClear_isIgnored() {
        // CR0.NE = 0, then the same sequence: MANUAL (IGNNE# asserted), the FLD1 executes
        Guest g = Guest.long64("0F20C083E0DF0F22C0DBE366C70425003000007B03D92C2500300000D9E8D9EEDEF9DFE0D9E8F4");
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
        assertThat(Cpu.of(g.m).x87.top).isEqualTo(5);
    }

    @Test
    void fnstenvFnsaveFrstor_protectedModeLayout() {
        // fninit; fld1; fldpi; fadd st,st(1); fnstenv [0x3000]; fnsave [0x3100]; fnstsw ax; mov bx,ax;
        // frstor [0x3100]; fnstsw ax; hlt
        Guest g = Guest.long64("DBE3D9E8D9EBD8C1D9342500300000DD342500310000DFE06689C3DD242500310000DFE0F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        var mem = g.m.memory();
        assertThat(mem.read32(0x3000)).as("FCW, upper word FFFFH").isEqualTo(0xFFFF037F);
        assertThat(mem.read32(0x3004) & 0xFFFF3800).as("FSW TOP = 6").isEqualTo(0xFFFF3000);
        assertThat(mem.read32(0x3008)).as("tag word: R6, R7 valid").isEqualTo(0xFFFF0FFF);
        assertThat(mem.read32(0x300C)).as("FIP: the FADD").isEqualTo(0x10006);
        assertThat(mem.read32(0x3010) >>> 16).as("FOP: D8 C1").isEqualTo(0x0C1);
        assertThat(mem.read32(0x3010) & 0xFFFF).as("FCS").isEqualTo(8);
        assertThat(mem.read16(0x3100 + 28 + 8) & 0xFFFF).as("ST(0) = pi + 1, exponent").isEqualTo(0x4001);
        assertThat(mem.read64(0x3100 + 38)).as("ST(1) = 1.0").isEqualTo(0x8000000000000000L);
        assertThat(mem.read16(0x3100 + 46) & 0xFFFF).isEqualTo(0x3FFF);
        assertThat(g.reg(Reg.RBX) & 0xFFFF).as("FNSAVE initialized the FPU").isEqualTo(0);
        assertThat(g.reg(Reg.RAX) & 0xFFFF).as("FRSTOR restored the status word")
                .isEqualTo(mem.read16(0x3104) & 0xFFFF);
        assertThat(Cpu.of(g.m).x87.valid).isEqualTo(0xC0);
    }

    @Test
    void fxsave_x87Image() {
        // CR4.OSFXSR; fninit; fld1; fldpi; fxsave [0x3000]; hlt
        Guest g = Guest.long64("0F20E00D000200000F22E0DBE3D9E8D9EB0FAE042500300000F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        var mem = g.m.memory();
        assertThat(mem.read16(0x3000) & 0xFFFF).isEqualTo(0x037F);
        assertThat(mem.read16(0x3002) & 0xFFFF).as("FSW TOP = 6").isEqualTo(0x3000);
        assertThat(mem.read8(0x3004) & 0xFF).as("abridged tag").isEqualTo(0xC0);
        assertThat(mem.read16(0x3006) & 0xFFFF).as("FOP: D9 EB").isEqualTo(0x1EB);
        assertThat(mem.read32(0x3008)).as("FIP: the FLDPI").isEqualTo(0x1000F);
        assertThat(mem.read64(0x3020)).as("ST0 = pi rounded to nearest").isEqualTo(0xC90FDAA22168C235L);
        assertThat(mem.read16(0x3028) & 0xFFFF).isEqualTo(0x4000);
        assertThat(mem.read64(0x3030)).isEqualTo(0x8000000000000000L);
    }

    @Test
    void mmxWrite_setsTopZeroTagsValidExponentOnes_emmsEmpties() {
        // fninit; fld1; mov rax,0x1122334455667788; movq mm2,rax; fnsave [0x3000]; fninit; fld1; emms;
        // fnstenv [0x3100]; hlt
        Guest g = Guest.long64("DBE3D9E848B88877665544332211480F6ED0DD342500300000DBE3D9E80F77D9342500310000F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        var mem = g.m.memory();
        assertThat(mem.read32(0x3004) & 0x3800).as("TOP = 0").isZero();
        assertThat(mem.read32(0x3008) & 0xFFFF).as("no register empty").isNotEqualTo(0xFFFF);
        assertThat((mem.read32(0x3008) >>> 4) & 3).as("MM2 with exponent all ones is special").isEqualTo(2);
        assertThat((mem.read32(0x3008) >>> 14) & 3).as("R7 = 1.0 valid").isEqualTo(0);
        assertThat(mem.read64(0x3000 + 28 + 20)).as("ST(2) = MM2").isEqualTo(0x1122334455667788L);
        assertThat(mem.read16(0x3000 + 28 + 28) & 0xFFFF).isEqualTo(0xFFFF);
        assertThat(mem.read32(0x3108) & 0xFFFF).as("EMMS emptied every tag").isEqualTo(0xFFFF);
    }

    @Test
    void unmaskedOverflow_deliversWrappedExponent() {
        // fninit; FCW = 0377H (OM clear); fld tbyte [0x3010] (max finite); fld st(0); fmulp st(1),st;
        // fnstsw ax; fnsave [0x3100]; hlt
        Guest g = Guest.long64("DBE366C70425003000007703D92C2500300000DB2C2510300000D9C0DEC9DFE0DD342500310000F4");
        g.m.memory().write64(0x3010, -1L);
        g.m.memory().write16(0x3018, 0x7FFE);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        long sw = g.reg(Reg.RAX) & 0xFFFF;
        assertThat(sw & 0x80A8).as("B, ES, PE, OE").isEqualTo(0x80A8);
        assertThat(sw & 0x3800).as("the product popped: TOP = 7").isEqualTo(0x3800);
        assertThat(g.m.memory().read64(0x3100 + 28)).isEqualTo(0xFFFFFFFFFFFFFFFEL);
        assertThat(g.m.memory().read16(0x3100 + 36) & 0xFFFF).as("exponent 32767 - 24576, biased").isEqualTo(0x5FFE);
    }

    @Test
    void ninthPush_isStackOverflow_maskedResponsePushesIndefinite() {
        // fninit; fld1 x8; fldz; fnstsw ax; fnsave [0x3100]; hlt
        Guest g = Guest.long64("DBE3D9E8D9E8D9E8D9E8D9E8D9E8D9E8D9E8D9EEDFE0DD342500310000F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX) & 0xFFFF).as("TOP 7, C1, SF, IE").isEqualTo(0x3A41);
        assertThat(g.m.memory().read64(0x3100 + 28)).isEqualTo(0xC000000000000000L);
        assertThat(g.m.memory().read16(0x3100 + 36) & 0xFFFF).isEqualTo(0xFFFF);
    }

    @Test
    void fnsave16BitRealMode_linearPointerAndOpcodeLayout() {
        Guest g = Guest.real("DBE3D9E8DD360030F4"); // fninit; fld1; fnsave [0x3000]; hlt (CS = 1000H)
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        var mem = g.m.memory();
        assertThat(mem.read16(0x3000) & 0xFFFF).isEqualTo(0x037F);
        assertThat(mem.read16(0x3004) & 0xFFFF).as("tag word: R7 valid").isEqualTo(0x3FFF);
        assertThat(mem.read16(0x3006) & 0xFFFF).as("FIP bits 15:0 of the linear 10002H").isEqualTo(0x0002);
        assertThat(mem.read16(0x3008) & 0xFFFF).as("FIP 19:16 in bits 15:12, FOP D9 E8").isEqualTo(0x11E8);
        assertThat(mem.read64(0x3000 + 14)).as("ST(0) = 1.0 after the 14-byte environment")
                .isEqualTo(0x8000000000000000L);
        assertThat(Cpu.of(g.m).x87.valid).as("FNSAVE ends with FNINIT").isZero();
    }

    @Test
    void unmaskedInvalidSquareRoot_leavesOperand() {
        // fninit; FCW = 037EH (IM clear); fld1; fchs; fsqrt; fnstsw ax; fnsave [0x3100]; hlt
        Guest g = Guest.long64("DBE366C70425003000007E03D92C2500300000D9E8D9E0D9FADFE0DD342500310000F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX) & 0xFFFF).as("B, TOP 7, ES, IE").isEqualTo(0xB881);
        assertThat(g.m.memory().read64(0x3100 + 28)).isEqualTo(0x8000000000000000L);
        assertThat(g.m.memory().read16(0x3100 + 36) & 0xFFFF).as("ST(0) still -1").isEqualTo(0xBFFF);
    }

    @Test
    void unmaskedOverflowOnStoreToMemory_leavesMemoryAndStack() {
        // fninit; FCW = 0377H; fld tbyte [0x3010] (max finite); mov dword [0x3020],0x12345678;
        // fstp dword [0x3020]; fnstsw ax; fnsave [0x3100]; hlt
        Guest g = Guest.long64("DBE366C70425003000007703D92C2500300000DB2C2510300000C704252030000078563412D91C2520"
                + "300000DFE0DD342500310000F4");
        g.m.memory().write64(0x3010, -1L);
        g.m.memory().write16(0x3018, 0x7FFE);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX) & 0xB808).as("B, TOP 7 (no pop), ES, OE").isEqualTo(0xB808);
        assertThat(g.m.memory().read32(0x3020)).isEqualTo(0x12345678);
    }

    @Test
    void unmaskedUnderflow_deliversWrappedExponent() {
        // fninit; FCW = 036FH (UM clear); fld tbyte [0x3010] (2^-16382); fld st(0); fmulp; fnstsw ax; fnsave; hlt
        Guest g = Guest.long64("DBE366C70425003000006F03D92C2500300000DB2C2510300000D9C0DEC9DFE0DD342500310000F4");
        g.m.memory().write64(0x3010, 0x8000000000000000L);
        g.m.memory().write16(0x3018, 0x0001);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX) & 0xFFFF).as("B, TOP 7, ES, UE (exact: no PE)").isEqualTo(0xB890);
        assertThat(g.m.memory().read64(0x3100 + 28)).isEqualTo(0x8000000000000000L);
        assertThat(g.m.memory().read16(0x3100 + 36) & 0xFFFF).as("2^-32764 scaled by 2^24576").isEqualTo(0x2003);
    }

    @Test
    void fldcwUnmaskingAPendingFlag_makesFwaitRaiseMf() {
        // fninit; fld1; fldz; fdivp (masked #Z: ST = +inf); FCW = 037BH; fnstsw ax; fwait; hlt
        Guest g = Guest.long64("DBE3D9E8D9EEDEF966C70425003000007B03D92C2500300000DFE09BF4");
        List<Integer> v = vectors(g);
        g.run();
        assertThat(g.reg(Reg.RAX) & 0xFFFF).isEqualTo(0xB884);
        assertThat(v).first().isEqualTo(16);
    }

    @Test
    void fnstenv32BitRealMode_linearPointerLayout() {
        Guest g = Guest.real("DBE3D9E866D9360030F4"); // fninit; fld1; o32 fnstenv [0x3000]; hlt
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        var mem = g.m.memory();
        assertThat(mem.read32(0x3000)).isEqualTo(0xFFFF037F);
        assertThat(mem.read32(0x300C)).as("FIP 15:0 of the linear 10002H").isEqualTo(0xFFFF0002);
        assertThat(mem.read32(0x3010)).as("FIP 31:16 in bits 27:12, FOP D9 E8 in 10:0").isEqualTo(0x000011E8);
        assertThat(Cpu.of(g.m).x87.control & 0x3F).as("FNSTENV masks every exception").isEqualTo(0x3F);
    }

    @Test
    void fnstenv16BitProtectedMode_offsetsAndSelectors() {
        Guest g = Guest.prot32("DBE3D9E866D93500300000F4"); // fninit; fld1; o16 fnstenv [0x3000]; hlt
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        var mem = g.m.memory();
        assertThat(mem.read16(0x3000) & 0xFFFF).isEqualTo(0x037F);
        assertThat(mem.read16(0x3004) & 0xFFFF).as("tag word").isEqualTo(0x3FFF);
        assertThat(mem.read16(0x3006) & 0xFFFF).as("FIP offset 15:0").isEqualTo(0x0002);
        assertThat(mem.read16(0x3008) & 0xFFFF).as("FCS").isEqualTo(0x08);
        assertThat(mem.read16(0x300E) & 0xFFFF).as("nothing past the 14 bytes").isZero();
    }

    @Test
    void fxsaveWithoutCr4Osfxsr_stillSavesTheX87State() {
        Guest g = Guest.long64("DBE3D9E80FAE042500300000F4"); // fninit; fld1; fxsave [0x3000]; hlt
        List<Integer> v = vectors(g);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(v).isEmpty();
        assertThat(g.m.memory().read8(0x3004) & 0xFF).as("abridged tag: R7").isEqualTo(0x80);
        assertThat(g.m.memory().read16(0x3000 + 32 + 8) & 0xFFFF).as("ST0 = 1.0").isEqualTo(0x3FFF);
    }
}
