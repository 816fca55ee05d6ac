package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No allocation per guest instruction in steady state, on every engine: the benchmark loop (loads,
 * stores, lazy flags, branches) runs 220,000 instructions after a warm-up (caches filled, blocks
 * translated, JIT done) and HotSpot's per-thread allocation counter may move only by the few
 * objects of one {@code Machine.run} call.
 */
class EngineAllocationTest {

    private static final RunLimits LIMITS = RunLimits.unlimited().maxInstructions(10_000_000);

    @Test
    void interpreter_allocatesNothingPerInstruction() throws Exception {
        steadyStateAllocation(Engine.INTERPRETER);
    }

    @Test
    void translator_allocatesNothingPerInstruction() throws Exception {
        steadyStateAllocation(Engine.TRANSLATOR);
    }

    private static void steadyStateAllocation(Engine engine) throws Exception {
        Object bean;
        Method counter;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            counter = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            Assumptions.abort("no HotSpot allocation counter: " + e);
            return;
        }
        Machine m = Machine.builder().memorySize(4L << 20).engine(engine).build();
        m.enterLongMode(0x200000);
        m.memory().load(Fixtures.CODE, Files.readAllBytes(Path.of("../src/guests/bench-loop/loop.bin")));
        for (int warm = 0; warm < 5; warm++) {
            run(m);
        }
        long before = (Long) counter.invoke(bean);
        RunResult r = run(m);
        long allocated = (Long) counter.invoke(bean) - before;
        assertThat(r.reason()).isEqualTo(StopReason.HALTED);
        assertThat(r.instructions()).isEqualTo(220_001);
        if (engine == Engine.TRANSLATOR) {
            assertThat(m.blocksTranslated()).as("blocks translated").isPositive();
        }
        // one RunResult and the measurement itself; a single allocation per instruction would be megabytes
        assertThat(allocated).as("bytes allocated by 220,001 instructions on " + engine).isLessThan(1024);
    }

    private static RunResult run(Machine m) {
        m.setRip(Fixtures.CODE);
        m.setReg(Reg.RAX, 0x123456789ABCDEF1L);
        m.setReg(Reg.RBX, 0x100000);
        m.setReg(Reg.RCX, 10_000);
        return m.run(LIMITS);
    }
}
