package dev.vmx4j.core.smp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Two processors: INIT/SIPI start-up through the ICR, IPIs both ways, a deterministic schedule. */
class TwoProcessorsTest {

    // BSP, real mode at 0:7C00: x2APIC on, SVR = 1FFH, INIT then SIPI (vector 8) to APIC 1,
    // sti; hlt until the AP's IPI handler has set [5002H]; hlt.
    private static final String BSP = "66B91B0000000F32660D000C00000F30"
            + "66B90F08000066B8FF0100006631D20F30"
            + "66B93008000066BA0100000066B8004500000F30" + "66B8084600000F30"
            + "FB" + "F4" + "833E025000" + "74F8" + "F4";
    // Vector 40H handler at 0:6000: [5002H] = 1; x2APIC EOI; iret.
    private static final String HANDLER = "C706025001006" + "6B90B0800006631C06631D20F30CF";
    // AP, started by the SIPI at 0800:0000: x2APIC on, SVR, [5000H] = BEEFH, fixed IPI vector 40H
    // to APIC 0; hlt.
    private static final String AP = "66B91B0000000F32660D000C00000F30"
            + "66B90F08000066B8FF0100006631D20F30"
            + "C7060050EFBE"
            + "66B9300800006631D266B8400000000F30" + "F4";

    private static Machine twoCpus() {
        Machine m = Machine.builder().memorySize(2L << 20).pcInterruptControllers().cpus(2).build();
        HexFormat h = HexFormat.of();
        m.memory().load(0x7C00, h.parseHex(BSP));
        m.memory().load(0x6000, h.parseHex(HANDLER));
        m.memory().load(0x8000, h.parseHex(AP));
        m.memory().write32(0x40 * 4, 0x0000_6000);
        m.setSegment(Seg.CS, 0, 0, 0xFFFF, 0x9B);
        m.setRip(0x7C00);
        m.setReg(Reg.RSP, 0x7000);
        return m;
    }

    @Test
    void bspStartsTheApWithInitSipi_andTheApInterruptsTheBspWithAnIpi() {
        Machine m = twoCpus();
        RunResult r = m.run(RunLimits.unlimited().maxInstructions(10_000));
        assertThat(m.memory().read16(0x5000)).as("written by the AP").isEqualTo(0xBEEF);
        assertThat(m.memory().read16(0x5002)).as("written by the BSP's IPI handler").isEqualTo(1);
        assertThat(r.reason()).as("both idle, nothing can wake them").isEqualTo(StopReason.HALTED);
        assertThat(m.cpuCount()).isEqualTo(2);
        assertThat(m.instructionsRetired(1)).as("the AP ran its 14 instructions").isEqualTo(14);
        assertThat(m.msr(0x1B) & (1 << 8)).as("IA32_APIC_BASE.BSP on processor 0").isNotZero();
    }

    @Test
    void theSameInput_givesTheSameInterleavingCyclesAndMemory() {
        Machine a = twoCpus();
        Machine b = twoCpus();
        RunResult ra = a.run(RunLimits.unlimited().maxInstructions(10_000));
        RunResult rb = b.run(RunLimits.unlimited().maxInstructions(10_000));
        assertThat(rb.reason()).isEqualTo(ra.reason());
        assertThat(rb.instructions()).isEqualTo(ra.instructions());
        assertThat(rb.cycles()).isEqualTo(ra.cycles());
        assertThat(b.cycles()).isEqualTo(a.cycles());
        assertThat(b.instructionsRetired(0)).isEqualTo(a.instructionsRetired(0));
        assertThat(b.instructionsRetired(1)).isEqualTo(a.instructionsRetired(1));
        for (long p = 0; p < 0x10000; p += 8) {
            assertThat(b.memory().read64(p)).as("memory at 0x%x", p).isEqualTo(a.memory().read64(p));
        }
    }

    @Test
    void withoutInitAndSipi_theApNeverRuns() {
        Machine m = Machine.builder().memorySize(2L << 20).pcInterruptControllers().cpus(2).build();
        m.memory().load(0x7C00, HexFormat.of().parseHex("F4"));
        m.setSegment(Seg.CS, 0, 0, 0xFFFF, 0x9B);
        m.setRip(0x7C00);
        assertThat(m.run(RunLimits.unlimited().maxInstructions(1000)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.instructionsRetired(1)).isZero();
    }

    @Test
    void severalCpus_needTheInterruptControllers() {
        assertThatThrownBy(() -> Machine.builder().cpus(2).build()).hasMessageContaining("pcInterruptControllers");
        assertThatThrownBy(() -> Machine.builder().cpus(0)).hasMessageContaining("[1, 255]");
    }
}
