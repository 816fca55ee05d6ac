package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IA32_PERF_GLOBAL_CTRL (38FH) for icelake's CPUID.0AH: 8 general-purpose and 4 fixed counters. */
class PerfGlobalCtrlTest {

    @Test
    void resetValueEnablesTheGeneralPurposeCounters_andValidBitsAreWritable() {
        // mov ecx,0x38f; rdmsr; mov r8,rax; mov eax,0xff; mov edx,0xf; wrmsr; rdmsr; hlt
        Guest g = Guest.long64("B98F0300000F324989C0B8FF000000BA0F0000000F300F32F4", false, Guest.icelake());
        g.run();
        assertThat(g.reg(Reg.R8)).as("reset value: bits 7:0").isEqualTo(0xFF);
        assertThat(g.reg(Reg.RDX)).as("fixed-counter enables 35:32 written").isEqualTo(0xF);
        assertThat(g.m.msr(0x38F)).isEqualTo(0x0000000F000000FFL);
    }

    @Test
    void writeToABitOfAnAbsentCounter_isGeneralProtection() {
        // mov ecx,0x38f; xor eax,eax; mov edx,0x10; wrmsr   (bit 36: a fifth fixed counter)
        Guest g = Guest.long64("B98F03000031C0BA100000000F30F4", false, Guest.icelake());
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((vector, code, hasCode) -> vectors.add(vector));
        g.m.step();
        g.m.step();
        g.m.step();
        g.m.step();
        assertThat(vectors).startsWith(13);
        assertThat(g.m.msr(0x38F)).as("unchanged").isEqualTo(0xFF);
    }
}
