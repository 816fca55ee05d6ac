package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE/SSE2 integer and move subset, its CR0/CR4 gating and alignment rule. */
class SseInstructionsTest {

    private static List<Integer> vectors(Guest g) {
        List<Integer> v = new ArrayList<>();
        g.m.addExceptionListener((vec, e, has) -> v.add(vec));
        return v;
    }

    @Test
    void movesLogicLanesShuffleMask_withOsfxsr() {
        // mov rax,cr4; or eax,0x200; mov cr4,rax; mov rax,0x1122334455667788; movq xmm0,rax; pxor xmm1,xmm1;
        // movdqa [0x3000],xmm0; movdqu xmm2,[0x3000]; paddd xmm2,xmm0; pshufd xmm3,xmm0,0x1b; pcmpeqb xmm4,xmm4;
        // pmovmskb eax,xmm4; movd ebx,xmm0; stmxcsr [0x3020]; hlt
        Guest g = Guest.long64("0F20E00D000200000F22E048B8887766554433221166480F6EC0660FEFC9660F7F042500300000F30F6F1425"
                + "00300000660FFED0660F70D81B660F74E4660FD7C4660F7EC30FAE1C2520300000F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        long[] xmm = Cpu.of(g.m).xmm;
        assertThat(g.m.memory().read64(0x3000)).isEqualTo(0x1122334455667788L);
        assertThat(g.m.memory().read64(0x3008)).as("MOVQ zero-extended the register").isZero();
        assertThat(xmm[4]).as("PADDD lanes wrap independently").isEqualTo(0x22446688AACCEF10L);
        assertThat(xmm[5]).isZero();
        assertThat(xmm[6]).as("PSHUFD 0x1b reverses dwords").isZero();
        assertThat(xmm[7]).isEqualTo(0x5566778811223344L);
        assertThat(g.reg(Reg.RAX)).as("PMOVMSKB of all ones").isEqualTo(0xFFFF);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x55667788L);
        assertThat(g.m.memory().read32(0x3020)).as("MXCSR reset value").isEqualTo(0x1F80);
    }

    @Test
    void sseWithoutCr4Osfxsr_isInvalidOpcode() {
        Guest g = Guest.long64("660FEFC0F4"); // pxor xmm0,xmm0; hlt
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(6);
    }

    @Test
    void movdqaFromMisalignedMemory_isGeneralProtection() {
        // mov rax,cr4; or eax,0x200; mov cr4,rax; movdqa xmm5,[0x3008]; hlt
        Guest g = Guest.long64("0F20E00D000200000F22E0660F6F2C2508300000F4");
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(13);
    }

    @Test
    void fxsaveFxrstor_roundTripXmmAndMxcsr() {
        // enable OSFXSR; mov rax,0x1234; movq xmm7,rax; fxsave [0x3000]; pxor xmm7,xmm7; fxrstor [0x3000]; movq rbx,xmm7; hlt
        Guest g = Guest.long64("0F20E00D000200000F22E0B83412000066480F6EF80FAE042500300000660FEFFF0FAE0C250030000066480F7EFBF4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x1234);
        assertThat(g.m.memory().read64(0x3000 + 160 + 7 * 16)).as("XMM7 image at offset 272").isEqualTo(0x1234);
        assertThat(g.m.memory().read32(0x3000 + 24)).as("MXCSR image").isEqualTo(0x1F80);
    }

    @Test
    void xsetbvXsaveXrstor_standardFormatRoundTrip() {
        // CR4.OSFXSR|OSXSAVE; xsetbv XCR0=3; mov ebx,0x99; movq xmm3,rbx; xsave [0x3000] (RFBM 3); pxor xmm3,xmm3;
        // xrstor [0x3000]; movq rcx,xmm3; hlt
        Guest g = Guest.long64("0F20E00D000204000F22E031C931D2B8030000000F01D1BB9900000066480F6EDBB8030000000FAE2425"
                + "00300000660FEFDBB8030000000FAE2C250030000066480F7ED9F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x99);
        assertThat(g.m.memory().read64(0x3000 + 512)).as("XSTATE_BV").isEqualTo(3);
        assertThat(g.m.memory().read64(0x3000 + 160 + 3 * 16)).isEqualTo(0x99);
    }

    @Test
    void xsetbvWithAvxBit_isGeneralProtection_profileHasNoAvx() {
        // mov rax,cr4; or eax,0x40200; mov cr4,rax; xor ecx,ecx; xor edx,edx; mov eax,7; xsetbv; hlt
        Guest g = Guest.long64("0F20E00D000204000F22E031C931D2B8070000000F01D1F4");
        List<Integer> v = vectors(g);
        g.run();
        assertThat(v).first().isEqualTo(13);
    }
}
