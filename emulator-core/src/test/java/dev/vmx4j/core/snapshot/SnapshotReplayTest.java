package dev.vmx4j.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.Snapshot;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Deterministic replay: snapshot a machine mid-run, run on, restore, run again: the same cycles,
 * instructions, registers, VM exits, console bytes and memory every time, and the same as a
 * machine that never took a snapshot.
 */
class SnapshotReplayTest {

    private static final RunLimits TO_THE_END = RunLimits.unlimited().maxInstructions(50_000_000L);

    private static List<String> exitLog(Machine m) {
        List<String> log = new ArrayList<>();
        m.addVmExitListener(e -> log.add(e.describe()));
        return log;
    }

    @ParameterizedTest(name = "{0} on the {1}, snapshot after {2} instructions")
    @CsvSource({
        "hello32/hello32.elf, INTERPRETER, 3000",
        "msrs64/msrs64.bin, TRANSLATOR, 3000",
        "paging64/paging64.bin, INTERPRETER, 5000",
        "smc64/smc64.bin, TRANSLATOR, 2000",
        "vmx-exits/vmx-exits.bin, INTERPRETER, 4000",
        "vmx-ept/vmx-ept.bin, INTERPRETER, 30000",
        "vmx-events/vmx-events.bin, INTERPRETER, 20000",
        "vmx-demo/vmx-demo.bin, TRANSLATOR, 3000",
    })
    void aGuestRestoredMidRun_replaysExactly_andAsIfNoSnapshotWasTaken(String image, Engine engine, long before) {
        ReplayMachines.Booted plain = ReplayMachines.boot(image, engine);
        List<String> plainExits = exitLog(plain.machine);
        Outcome.run(plain.machine, RunLimits.unlimited().maxInstructions(before), plain.console, plainExits);
        Outcome reference = Outcome.run(plain.machine, TO_THE_END, plain.console, plainExits);
        assertThat(reference.result).as("the guest ends on its own").contains("DEVICE_REQUEST");

        ReplayMachines.Booted b = ReplayMachines.boot(image, engine);
        List<String> exits = exitLog(b.machine);
        Outcome.run(b.machine, RunLimits.unlimited().maxInstructions(before), b.console, exits);
        Snapshot s = b.machine.snapshot();
        assertThat(s.cycles()).isEqualTo(b.machine.cycles());
        Outcome first = Outcome.run(b.machine, TO_THE_END, b.console, exits);
        first.assertSameAs(reference, image + " after a snapshot");
        for (int replay = 1; replay <= 2; replay++) {
            b.machine.restore(s);
            assertThat(b.machine.cycles()).isEqualTo(s.cycles());
            Outcome again = Outcome.run(b.machine, TO_THE_END, b.console, exits);
            again.assertSameAs(first, image + " replay " + replay);
        }
    }

    // BSP, real mode at 0:7C00: x2APIC on, INIT then SIPI to APIC 1, then counts in a loop at
    // [5004H] while the AP (started at 0800:0000) counts at [5008H]; both interleave by the
    // schedule (TwoProcessorsTest has the same start-up sequence).
    private static final String BSP = "66B91B0000000F32660D000C00000F30"
            + "66B90F08000066B8FF0100006631D20F30"
            + "66B93008000066BA0100000066B8004500000F30" + "66B8084600000F30"
            + "B90030" + "FF060450" + "E2FA" + "F4";
    private static final String AP = "66B91B0000000F32660D000C00000F30"
            + "B90030" + "FF060850" + "A10450" + "01060C50" + "E2F3" + "F4";

    private static Machine twoCpus() {
        Machine m = Machine.builder().memorySize(2L << 20).pcInterruptControllers().cpus(2).build();
        HexFormat h = HexFormat.of();
        m.memory().load(0x7C00, h.parseHex(BSP));
        m.memory().load(0x8000, h.parseHex(AP));
        m.setSegment(Seg.CS, 0, 0, 0xFFFF, 0x9B);
        m.setRip(0x7C00);
        m.setReg(Reg.RSP, 0x7000);
        return m;
    }

    @Test
    void twoProcessorsRestoredMidRun_replayTheSameInterleaving() {
        Machine plain = twoCpus();
        List<String> none = new ArrayList<>();
        Outcome.run(plain, RunLimits.unlimited().maxInstructions(5_000), null, none);
        Outcome reference = Outcome.run(plain, RunLimits.unlimited().maxInstructions(200_000), null, none);
        assertThat(reference.result).contains("HALTED");
        assertThat(plain.instructionsRetired(1)).as("the AP ran its loop").isGreaterThan(30_000);
        assertThat(plain.memory().read32(0x500C)).as("the AP summed the BSP's counter as it moved").isNotZero();

        Machine m = twoCpus();
        Outcome.run(m, RunLimits.unlimited().maxInstructions(5_000), null, none);
        Snapshot s = m.snapshot();
        Outcome first = Outcome.run(m, RunLimits.unlimited().maxInstructions(200_000), null, none);
        first.assertSameAs(reference, "two CPUs after a snapshot");
        for (int replay = 1; replay <= 2; replay++) {
            m.restore(s);
            Outcome.run(m, RunLimits.unlimited().maxInstructions(200_000), null, none)
                    .assertSameAs(first, "two CPUs, replay " + replay);
        }
    }

    @Test
    void thousandsOfRestores_eachRunGivesTheOutcomeOfItsInput() {
        // -Dvmx4j.restores=N for a longer loop (default 1,500 restores, about a second on a quiet machine).
        // vmx-exits makes its first VM exit after 8,857 instructions and ends after 21,194.
        ReplayMachines.Booted b = ReplayMachines.boot("vmx-exits/vmx-exits.bin", Engine.INTERPRETER, 16L << 20);
        List<String> exits = exitLog(b.machine);
        Outcome.run(b.machine, RunLimits.unlimited().maxInstructions(8_800), b.console, exits);
        Snapshot s = b.machine.snapshot();
        Map<Long, Outcome> seen = new HashMap<>();
        SplittableRandom r = new SplittableRandom(0x5A4A5A4AL);
        int compared = 0;
        int restores = Integer.getInteger("vmx4j.restores", 1_500);
        for (int i = 0; i < restores; i++) {
            b.machine.restore(s);
            b.console.reset();
            long input = r.nextLong(64);
            // The input: a number of instructions to run, and a scratch value the guest never reads.
            b.machine.memory().write64(0x3F0000 + 8 * input, input * 0x9E3779B97F4A7C15L);
            Outcome o = Outcome.run(b.machine, RunLimits.unlimited().maxInstructions((input + 1) * 20), b.console, exits);
            Outcome before = seen.putIfAbsent(input, o);
            if (before != null) {
                o.assertSameAs(before, "restore " + i + ", input " + input);
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(restores - 64);
        assertThat(seen.get(63L).exits).as("the longest input reaches VM exits").isNotEmpty();
        assertThat(seen.get(0L).exits).as("the shortest does not").isEmpty();
    }

    @Test
    void aSnapshotOfAnotherMachine_isRefused() {
        Machine a = Machine.builder().build();
        Machine b = Machine.builder().build();
        Snapshot s = a.snapshot();
        assertThatThrownBy(() -> b.restore(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("machine that took it");
        assertThatThrownBy(() -> b.restore(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshot");
    }

    @Test
    void restoringAfterAHalt_resumesTheStoppedState() {
        ReplayMachines.Booted b = ReplayMachines.boot("hello32/hello32.elf", Engine.INTERPRETER);
        Snapshot atBoot = b.machine.snapshot();
        Outcome end = Outcome.run(b.machine, TO_THE_END, b.console, new ArrayList<>());
        assertThat(end.result).contains(StopReason.DEVICE_REQUEST.name());
        b.machine.restore(atBoot);
        assertThat(b.machine.instructionsRetired()).isZero();
        Outcome.run(b.machine, TO_THE_END, b.console, new ArrayList<>()).assertSameAs(end, "hello32 from boot");
    }
}
