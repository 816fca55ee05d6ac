package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Architectural performance monitoring under the default profile (version 2, 4 + 3 counters, 48 bits). */
class PmuTest {

    // FIXED_CTR_CTRL = 3 (fixed 0 in every ring); PERFEVTSEL0 = EN|OS|USR, event C0H (instructions);
    // GLOBAL_CTRL = PMC0 | FIXED0; ten dec/jnz pairs; RDPMC fixed 0 -> R8; RDPMC 0 -> R9; hlt
    private static final String COUNT_LOOP = "B98D030000B80300000031D20F30"
            + "B986010000B8C00043000F30"
            + "B98F030000B801000000BA010000000F30"
            + "B90A000000FFC975FC"
            + "B9000000400F334989C0" + "31C90F334989C1" + "F4";

    @Test
    void instructionsRetired_areCountedExactly_byTheFixedAndGeneralPurposeCounters() {
        Guest g = Guest.long64(COUNT_LOOP);
        g.run();
        // From the enabling WRMSR (counted) to the instruction before RDPMC: 1 + 1 + 20 + 1.
        assertThat(g.reg(Reg.R8)).isEqualTo(23);
        // PMC0 is enabled by IA32_PERF_GLOBAL_CTRL's reset value: it counts from its PERFEVTSEL0
        // WRMSR: 7 set-up instructions, 20 in the loop, MOV ECX, RDPMC, MOV R8, XOR ECX.
        assertThat(g.reg(Reg.R9)).isEqualTo(30);
        Guest again = Guest.long64(COUNT_LOOP);
        again.run();
        assertThat(again.reg(Reg.R8)).as("deterministic").isEqualTo(23);
    }

    @Test
    void coreCyclesEvent_countsTheCycleCounter() {
        Guest g = Guest.long64("F4");
        g.m.setMsr(0x186, 0x43003CL); // PERFEVTSEL0: unhalted core cycles
        long before = g.m.msr(0xC1);
        g.m.setRip(Fixtures.CODE);
        g.m.memory().load(Fixtures.CODE, Guest.bytes("B90A000000FFC975FCF4"));
        long c0 = g.m.cycles();
        g.run();
        assertThat(g.m.msr(0xC1) - before).isEqualTo(g.m.cycles() - c0);
    }

    @Test
    void counterOverflow_setsItsGlobalStatusBit_andOvfCtrlClearsIt() {
        Guest g = Guest.long64("90909090F4");
        g.m.setMsr(0xC1, 0xFFFFFFFEL); // through IA32_PMC0 an API write is taken whole (48 bits)
        g.m.setMsr(0x186, 0x4300C0L);
        g.run();
        assertThat(g.m.msr(0xC1)).as("wrapped at 48 bits? no: 32-bit value plus 5").isEqualTo(0x100000003L);
        g.m.setMsr(0xC1, 0xFFFF_FFFF_FFFEL);
        g.m.setRip(Fixtures.CODE);
        g.run();
        assertThat(g.m.msr(0x38E) & 1).as("PMC0 overflow").isEqualTo(1);
        g.m.setMsr(0x390, 1);
        assertThat(g.m.msr(0x38E) & 1).isZero();
    }

    @Test
    void rdpmcOfAnAbsentCounter_andReservedEventSelectBits_areGeneralProtection() {
        // mov ecx,4; rdpmc (the default profile has PMC0-3)
        Guest g = Guest.long64("B9040000000F33F4");
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((vector, code, hasCode) -> vectors.add(vector));
        g.m.step();
        g.m.step();
        assertThat(vectors).startsWith(13);
        // mov ecx,0x186; xor eax,eax; mov edx,1; wrmsr   (PERFEVTSEL0 bit 32 is reserved)
        Guest h = Guest.long64("B98601000031C0BA010000000F30F4");
        List<Integer> v2 = new ArrayList<>();
        h.m.addExceptionListener((vector, code, hasCode) -> v2.add(vector));
        for (int i = 0; i < 4; i++) {
            h.m.step();
        }
        assertThat(v2).startsWith(13);
        assertThat(h.m.msr(0x186)).isZero();
    }

    @Test
    void guestWriteThroughPmc_signExtendsBit31() {
        // mov ecx,0xc1; mov eax,0x80000000; xor edx,edx; wrmsr; hlt
        Guest g = Guest.long64("B9C1000000B80000008031D20F30F4");
        g.run();
        assertThat(g.m.msr(0xC1)).isEqualTo(0xFFFF_8000_0000L);
    }
}
