package dev.vmx4j.bench;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Millions of guest instructions per second on the fixed 64-bit integer loop of
 * {@code src/guests/bench-loop/loop.s}: xorshift64, shifts, a load and a store into a 64 KiB
 * buffer, a data-dependent branch; 22 instructions per iteration on either path.
 *
 * <p>The score is in operations per microsecond with one operation per guest instruction, so
 * it reads directly as MIPS. {@code reference=true} measures the reference configuration (no
 * decoded-instruction cache, no software TLB, eager flags) for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GuestLoopBenchmark {

    /** src/guests/bench-loop/loop.bin (rebuild with its build.sh; the test GuestLoopProgramTest pins it). */
    static final byte[] LOOP = HexFormat.of().parseHex(
            "4889c248c1e20d4831d04889c248c1ea074831d04889c248c1e2114831d04889c681e6f8ff0000488b1433"
            + "4801c248891433a80174054801d7eb064829d748d1cf49ffc04901f148ffc975b4f4");
    static final int INSTRUCTIONS_PER_ITERATION = 22;
    static final int ITERATIONS = 100_000;
    /** The loop's instructions plus the final HLT. */
    static final int INSTRUCTIONS = INSTRUCTIONS_PER_ITERATION * ITERATIONS + 1;

    static final long CODE = 0x100000;
    static final long BUFFER = 0x200000;
    static final long PAGE_TABLES = 0x10000;

    @Param({"false", "true"})
    public boolean reference;

    /** The execution engine ({@link Engine}); the builder's default is the translator. */
    @Param({"TRANSLATOR", "INTERPRETER"})
    public Engine engine;

    private Machine machine;
    private RunLimits limits;

    @Setup
    public void setUp() {
        machine = Machine.builder().memorySize(16L << 20).referenceMode(reference).engine(engine).build();
        machine.memory().load(CODE, LOOP);
        machine.enterLongMode(PAGE_TABLES);
        limits = RunLimits.unlimited().maxInstructions(INSTRUCTIONS + 1);
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public long guestLoop() {
        Machine m = machine;
        m.setRip(CODE);
        m.setReg(Reg.RAX, 0x9E3779B97F4A7C15L);
        m.setReg(Reg.RBX, BUFFER);
        m.setReg(Reg.RCX, ITERATIONS);
        RunResult r = m.run(limits);
        if (r.reason() != StopReason.HALTED || r.instructions() != INSTRUCTIONS) {
            throw new IllegalStateException("benchmark loop did not run to its HLT: " + r);
        }
        return m.reg(Reg.RDI);
    }
}
