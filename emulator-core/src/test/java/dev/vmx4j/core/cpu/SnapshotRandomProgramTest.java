package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.Snapshot;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Snapshots on random programs (the inputs of {@link MachineFuzzTest}: random code and registers
 * in 64-bit mode on both engines, 32-bit protected mode and real mode, faults going to handlers
 * that skip a byte): a machine snapshotted after a random number of instructions, run on,
 * restored and run again from the snapshot ends exactly as a machine that ran the same program
 * without a snapshot (registers, segments, control registers, EFER, all RAM, stop reason,
 * instruction and cycle counts: {@link MachineFuzzTest#compare}).
 */
class SnapshotRandomProgramTest {

    private static final RunLimits REST = RunLimits.unlimited().maxInstructions(MachineFuzzTest.MAX_INSTRUCTIONS);

    @SuppressWarnings("unchecked")
    private static final Supplier<Machine>[] KINDS = new Supplier[] {
        () -> Fixtures.long64(false), Fixtures::long64Translated, () -> Fixtures.prot32(false),
        () -> Fixtures.real16(false)};

    private static Machine prepare(int kind, byte[] code, long[] regs) {
        Machine m = KINDS[kind].get();
        m.memory().load(Fixtures.CODE, code);
        for (Reg r : Reg.values()) {
            if (r != Reg.RSP) {
                m.setReg(r, regs[r.number()]);
            }
        }
        return m;
    }

    @Test
    void randomPrograms_restoredAtARandomPoint_endAsIfNeverSnapshotted() {
        SplittableRandom rnd = new SplittableRandom(Long.decode(System.getProperty("vmx4j.seed", "0x5A4E")));
        int n = Integer.getInteger("vmx4j.draws", 24);
        long retired = 0;
        for (int i = 0; i < n; i++) {
            int kind = i % KINDS.length;
            byte[] code = new byte[16 + rnd.nextInt(200)];
            rnd.nextBytes(code);
            long[] regs = new long[16];
            for (int r = 0; r < 16; r++) {
                regs[r] = rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(0x10000);
            }
            long before = 1 + rnd.nextInt(60);
            String name = "program " + i + " (kind " + kind + ", snapshot after " + before + ") code "
                    + HexFormat.of().formatHex(code);

            Machine plain = prepare(kind, code, regs);
            plain.run(RunLimits.unlimited().maxInstructions(before));
            RunResult expected = plain.run(REST);

            Machine m = prepare(kind, code, regs);
            m.run(RunLimits.unlimited().maxInstructions(before));
            Snapshot s = m.snapshot();
            MachineFuzzTest.compare(name + ", after the snapshot", m, plain, m.run(REST), expected);
            // Change what the run before did not: registers, the code itself, more instructions.
            m.setReg(Reg.RAX, ~m.reg(Reg.RAX));
            m.memory().write64(Fixtures.CODE, ~m.memory().read64(Fixtures.CODE));
            m.run(RunLimits.unlimited().maxInstructions(50));
            m.restore(s);
            MachineFuzzTest.compare(name + ", replayed", m, plain, m.run(REST), expected);
            retired += expected.instructions();
        }
        assertThat(retired).as("the programs ran").isGreaterThan(n * 20L);
    }
}
