package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * REP MOVS and REP STOS run in bulk ({@link StringRun}) end exactly as the step loop's iterations:
 * seeded random programs of REP MOVS/STOS (every element size, 32-bit address size, REPNE,
 * overlapping copies in both directions, DF = 1, pages crossed, misaligned elements across a
 * page end) on the reference configuration, the interpreter and the translator, run to the end
 * and with instruction and cycle budgets that end in the middle of a repeat.
 */
class StringRunTest {

    private static final long DATA = 0x100000;
    private static final int DATA_SIZE = 0xF0000;

    private static Machine[] machines() {
        return new Machine[] {Fixtures.long64(true), Fixtures.long64(false), Fixtures.long64Translated()};
    }

    private static RunResult[] runAll(Machine[] ms, byte[] code, byte[] data, RunLimits limits, String name) {
        RunResult[] rs = new RunResult[ms.length];
        for (int i = 0; i < ms.length; i++) {
            ms[i].memory().load(Fixtures.CODE, code);
            ms[i].memory().load(DATA, data);
            rs[i] = ms[i].run(limits);
        }
        MachineFuzzTest.compare(name + " (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
        MachineFuzzTest.compare(name + " (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
        return rs;
    }

    private static void movImm64(ByteArrayOutputStream out, int reg, long v) {
        out.write(0x48);
        out.write(0xB8 + reg);
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    /** A random program of {@code ops} REP MOVS/STOS with their registers set, then HLT. */
    private static byte[] program(SplittableRandom r, int ops) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < ops; k++) {
            int es = 1 << r.nextInt(4);
            boolean movs = r.nextInt(3) != 0;
            long count = r.nextInt(8) == 0 ? r.nextInt(3) : r.nextInt(2500);
            long span = count * es + 16;
            long src = DATA + 32 + r.nextLong(DATA_SIZE - 2 * span - 64);
            long dst;
            switch (r.nextInt(4)) {
                case 0: // overlapping, destination above the source
                    dst = src + 1 + r.nextInt(16);
                    break;
                case 1: // overlapping, destination below the source
                    dst = src - 1 - r.nextInt(16);
                    break;
                default:
                    dst = DATA + 32 + r.nextLong(DATA_SIZE - span - 64);
                    break;
            }
            boolean down = r.nextInt(3) == 0;
            if (down) {
                src += span;
                dst += span;
            }
            movImm64(out, 6, src);
            movImm64(out, 7, dst);
            movImm64(out, 1, count);
            movImm64(out, 0, r.nextLong());
            out.write(down ? 0xFD : 0xFC); // STD or CLD
            if (r.nextInt(4) == 0) {
                out.write(0x67); // 32-bit address size: ESI, EDI, ECX
            }
            out.write(r.nextInt(5) == 0 ? 0xF2 : 0xF3);
            if (es == 2) {
                out.write(0x66);
            } else if (es == 8) {
                out.write(0x48);
            }
            out.write(movs ? (es == 1 ? 0xA4 : 0xA5) : (es == 1 ? 0xAA : 0xAB));
        }
        out.write(0xFC); // CLD
        out.write(0xF4); // HLT
        return out.toByteArray();
    }

    @Test
    void randomRepMovsAndStos_threeEnginesEndIdentical_alsoWhenBudgetsEndInsideARepeat() {
        for (int seed = 0; seed < 24; seed++) {
            SplittableRandom r = new SplittableRandom(0x57121L + seed);
            byte[] code = program(r, 6);
            byte[] data = new byte[DATA_SIZE];
            r.nextBytes(data);
            String name = "seed " + seed;
            RunResult[] full = runAll(machines(), code, data, RunLimits.unlimited().maxInstructions(1_000_000), name);
            assertThat(full[0].reason()).as(name).isEqualTo(StopReason.HALTED);
            long cycles = full[0].cycles();
            for (int b = 0; b < 3; b++) {
                long n = 1 + r.nextLong(Math.max(1, cycles - 1));
                runAll(machines(), code, data, RunLimits.unlimited().maxInstructions(n), name + ", " + n + " steps");
                runAll(machines(), code, data, RunLimits.unlimited().maxCycles(n), name + ", " + n + " cycles");
            }
        }
    }

    @Test
    void repMovsq_afterOneStep_runsTheRestOfThePageInOneBulkChunk() {
        Machine m = Fixtures.long64(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("F348A5F4")); // rep movsq; hlt
        byte[] data = new byte[0x10000];
        new SplittableRandom(7).nextBytes(data);
        m.memory().load(DATA, data);
        m.memory().load(DATA + 0x80000, new byte[0x10000]);
        m.setReg(Reg.RSI, DATA);
        m.setReg(Reg.RDI, DATA + 0x80000);
        m.setReg(Reg.RCX, 1000);
        // the first iteration is a step: it fills the read and write TLB entries of both pages
        assertThat(m.run(RunLimits.unlimited().maxInstructions(1)).reason()).isEqualTo(StopReason.INSTRUCTION_LIMIT);
        Cpu c = m.cpu();
        long steps = c.steps;
        long cycles = c.cycles;
        assertThat(StringRun.run(c, Long.MAX_VALUE, Long.MAX_VALUE)).isTrue();
        // the rest of the destination page: (4096 - 8) / 8 elements
        assertThat(m.reg(Reg.RCX)).isEqualTo(1000 - 1 - 511);
        assertThat(m.reg(Reg.RSI)).isEqualTo(DATA + 4096);
        assertThat(m.reg(Reg.RDI)).isEqualTo(DATA + 0x80000 + 4096);
        assertThat(c.steps - steps).isEqualTo(511);
        assertThat(c.cycles - cycles).isEqualTo(511L * CycleTable.STRING_ITERATION);
        assertThat(m.rip()).as("RIP stays on the repeating instruction").isEqualTo(Fixtures.CODE);
        assertThat(m.memory().read64(DATA + 0x80000 + 4088)).isEqualTo(m.memory().read64(DATA + 4088));
        // the next page has no TLB entry yet: left to the step loop
        assertThat(StringRun.run(c, Long.MAX_VALUE, Long.MAX_VALUE)).isFalse();
        // a budget of 3 steps allows 3 iterations
        assertThat(m.run(RunLimits.unlimited().maxInstructions(1)).reason()).isEqualTo(StopReason.INSTRUCTION_LIMIT);
        assertThat(StringRun.run(c, c.steps + 3, Long.MAX_VALUE)).isTrue();
        assertThat(m.reg(Reg.RCX)).isEqualTo(1000 - 1 - 511 - 1 - 3);
    }
}
