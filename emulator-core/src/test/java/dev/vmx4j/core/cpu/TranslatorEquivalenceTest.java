package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Three-way equivalence: the reference configuration, the interpreter and the translating engine
 * (translating every block on first sight) must end in identical registers, RIP, RFLAGS,
 * segments, control registers, memory, stop reason, retired instructions and cycles; on the
 * fixed programs of {@link ReferenceEquivalenceTest}, the benchmark loop, seeded random bytes and
 * seeded random sequences of the instruction forms the translator inlines, run in loops, with
 * faults in the middle of blocks and instruction and cycle budgets that end inside blocks.
 */
class TranslatorEquivalenceTest {

    private static Machine[] machines() {
        return new Machine[] {Fixtures.long64(true), Fixtures.long64(false), Fixtures.long64Translated()};
    }

    /** Runs the three engines (reference, interpreter, translator at threshold 1) and compares them ({@code regs} null: the fixture's registers); returns the translator's retired instructions and blocks translated. */
    static long[] compare(String name, byte[] code, RunLimits limits, long[] regs) {
        Machine[] ms = machines();
        RunResult[] rs = new RunResult[3];
        for (int i = 0; i < 3; i++) {
            ms[i].memory().load(Fixtures.CODE, code);
            if (regs != null) {
                for (Reg r : Reg.values()) {
                    if (r != Reg.RSP) {
                        ms[i].setReg(r, regs[r.number()]);
                    }
                }
            }
            try {
                rs[i] = ms[i].run(limits);
            } catch (RuntimeException e) {
                throw new AssertionError(name + ": engine " + i + " threw at rip 0x" + Long.toHexString(ms[i].rip()), e);
            }
        }
        MachineFuzzTest.compare(name + " (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
        MachineFuzzTest.compare(name + " (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
        return new long[] {rs[2].instructions(), ms[2].blocksTranslated()};
    }

    @Test
    void fixedPrograms_threeEnginesEndIdentical() {
        for (String hex : ReferenceEquivalenceTest.PROGRAMS) {
            compare(hex, Guest.bytes(hex), RunLimits.unlimited().maxInstructions(100_000), null);
        }
    }

    @Test
    void benchmarkLoop_threeEnginesEndIdentical_alsoWhenBudgetsEndInsideABlock() throws Exception {
        byte[] loop = Files.readAllBytes(Path.of("../src/guests/bench-loop/loop.bin"));
        long[] regs = new long[16];
        regs[Reg.RAX.number()] = 0x123456789ABCDEF1L;
        regs[Reg.RBX.number()] = 0x100000;
        regs[Reg.RCX.number()] = 300;
        compare("bench-loop", loop, RunLimits.unlimited().maxInstructions(1_000_000), regs);
        for (long n : new long[] {1, 7, 23, 100, 1001, 4567}) {
            compare("bench-loop, " + n + " instructions", loop, RunLimits.unlimited().maxInstructions(n), regs);
            compare("bench-loop, " + n + " cycles", loop, RunLimits.unlimited().maxCycles(n), regs);
        }
    }

    @Test
    void translator_reallyTranslatesTheLoop() throws Exception {
        Machine m = Fixtures.long64Translated();
        m.memory().load(Fixtures.CODE, Files.readAllBytes(Path.of("../src/guests/bench-loop/loop.bin")));
        m.setReg(Reg.RAX, 1);
        m.setReg(Reg.RBX, 0x100000);
        m.setReg(Reg.RCX, 1000);
        RunResult r = m.run(RunLimits.unlimited().maxInstructions(1_000_000));
        assertThat(r.instructions()).isEqualTo(22_001);
        assertThat(r.reason()).isEqualTo(dev.vmx4j.core.StopReason.HALTED);
        // a block's trace ends after each Jcc (TraceBuilder), so the loop body is a few blocks,
        // translated once each however many times the loop runs
        assertThat(m.blocksTranslated()).as("blocks translated").isBetween(1L, 10L);
    }

    /**
     * x2APIC periodic timer (vector 0x40, every 997 cycles) interrupting a loop of loads, stores
     * and branches 50,000 times round; the handler fingerprints where each interrupt hit (RCX and
     * the interrupted RIP into R11) and counts them in R10. The interrupts must arrive at the same
     * instruction on every engine: blocks stop before the timer's next event.
     */
    private static final String TIMER_LOOP = "b91b0000000f320d000c00000f30b90f080000b8ff01000031d20f30b93e080000b80b00000031d20f30b932080000b8" +
            "400002000f30b938080000b8e50300000f304531d24531dbb950c30000fb48ffc0488904cd000030004801c348ffc975" +
            "edfaf4909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090" +
            "909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090" +
            "909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090" +
            "9090909090909090909090909090909050515249ffc24901cb49c1c3074c035c2418b90b08000031c031d20f305a5958" +
            "48cf";

    @Test
    void timerInterruptsInsideTranslatedLoops_arriveAtTheSameInstructionOnEveryEngine() {
        Machine[] ms = {
            Fixtures.long64(Machine.builder().memorySize(4L << 20).referenceMode(true).pcInterruptControllers()),
            Fixtures.long64(Machine.builder().memorySize(4L << 20).pcInterruptControllers()),
            Fixtures.long64(Machine.builder().memorySize(4L << 20).pcInterruptControllers().engine(Engine.TRANSLATOR)
                    .translationThreshold(1))};
        RunResult[] rs = new RunResult[3];
        for (int i = 0; i < 3; i++) {
            ms[i].memory().load(Fixtures.CODE, Guest.bytes(TIMER_LOOP));
            long h = Fixtures.CODE + 0x100;
            ms[i].memory().write64(Fixtures.IDT + 0x40 * 16,
                    (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47) | ((h >>> 16 & 0xFFFF) << 48));
            rs[i] = ms[i].run(RunLimits.unlimited().maxInstructions(2_000_000));
        }
        MachineFuzzTest.compare("timer loop (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
        MachineFuzzTest.compare("timer loop (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
        assertThat(rs[2].reason()).isEqualTo(dev.vmx4j.core.StopReason.HALTED);
        assertThat(ms[2].reg(Reg.R10)).as("timer interrupts taken").isGreaterThan(100);
        assertThat(ms[2].blocksTranslated()).as("blocks translated").isPositive();
    }

    /** A loop with IF = 0 and interrupt 0x40 pending, then STI; NOP; NOP; HLT (handler: R10++, R11 = RIP). */
    private static final String MASKED_LOOP = "b9e803000048ffc0488904cd0000300048ffc975f0fb9090f49090909090909090909090909090909090909090909090" +
            "909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090" +
            "909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090" +
            "909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090" +
            "909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090909090" +
            "9090909090909090909090909090909049ffc24c8b1c2448cf";

    @Test
    void blocksRunWhileOnlyAMaskedInterruptIsPending_andItArrivesAfterStiAsInterpreted() {
        Machine[] ms = {
            Fixtures.long64(Machine.builder().memorySize(4L << 20).referenceMode(true).pcInterruptControllers()),
            Fixtures.long64(Machine.builder().memorySize(4L << 20).pcInterruptControllers()),
            Fixtures.long64(Machine.builder().memorySize(4L << 20).pcInterruptControllers().engine(Engine.TRANSLATOR)
                    .translationThreshold(1))};
        RunResult[] rs = new RunResult[3];
        for (int i = 0; i < 3; i++) {
            ms[i].memory().load(Fixtures.CODE, Guest.bytes(MASKED_LOOP));
            long h = Fixtures.CODE + 0x100;
            ms[i].memory().write64(Fixtures.IDT + 0x40 * 16,
                    (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47) | ((h >>> 16 & 0xFFFF) << 48));
            assertThat(ms[i].rflags() & 0x200).as("IF").isZero();
            ms[i].raiseInterrupt(0x40);
            rs[i] = ms[i].run(RunLimits.unlimited().maxInstructions(100_000));
        }
        MachineFuzzTest.compare("masked loop (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
        MachineFuzzTest.compare("masked loop (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
        assertThat(ms[2].reg(Reg.R10)).as("the interrupt, taken once").isEqualTo(1);
        assertThat(ms[2].reg(Reg.R11)).as("taken after the instruction after STI").isEqualTo(Fixtures.CODE + 0x17);
        assertThat(ms[2].blocksTranslated()).as("blocks translated").isPositive();
    }

    @Test
    void seededRandomBytes_threeEnginesEndIdentical() {
        SplittableRandom rnd = new SplittableRandom(0x7_2A_45L);
        byte[] code = new byte[64];
        for (int i = 0; i < 150; i++) {
            rnd.nextBytes(code);
            compare("random #" + i + " " + HexFormat.of().formatHex(code), code,
                    RunLimits.unlimited().maxInstructions(300), null);
        }
    }

    @Test
    void seededRandomInlinedForms_inLoops_threeEnginesEndIdentical() {
        SplittableRandom rnd = new SplittableRandom(0xB10C_5L);
        long retired = 0;
        long blocks = 0;
        for (int i = 0; i < 150; i++) {
            byte[] code = RandomForms.program(rnd, 4 + rnd.nextInt(24));
            long[] regs = new long[16];
            for (int r = 0; r < 16; r++) {
                regs[r] = rnd.nextInt(4) == 0 ? rnd.nextLong() : 0x30000 + rnd.nextInt(0x1000) * 8L;
            }
            RunLimits limits = i % 5 == 4 ? RunLimits.unlimited().maxCycles(50 + rnd.nextInt(400))
                    : RunLimits.unlimited().maxInstructions(i % 5 == 3 ? 10 + rnd.nextInt(300) : 3000);
            long[] t = compare("forms #" + i + " " + HexFormat.of().formatHex(code), code, limits, regs);
            retired += t[0];
            blocks += t[1];
        }
        // the generator must reach the translator: many blocks, most instructions retired in loops
        assertThat(blocks).as("blocks translated").isGreaterThan(300);
        assertThat(retired).as("instructions retired").isGreaterThan(50_000);
    }

    /** Random instruction sequences from the forms the block compiler inlines, in a counted loop. */
    static final class RandomForms {
        private static final int[] ALU_OPS = {0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0A, 0x0B, 0x10, 0x11, 0x18, 0x19,
            0x20, 0x21, 0x22, 0x23, 0x28, 0x29, 0x2A, 0x2B, 0x30, 0x31, 0x32, 0x33, 0x38, 0x39, 0x3A, 0x3B, 0x84, 0x85,
            0x88, 0x89, 0x8A, 0x8B};

        /** mov r15d, 20; N forms; dec r15; jnz start; hlt. */
        static byte[] program(SplittableRandom rnd, int n) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {0x41, (byte) 0xBF, 20, 0, 0, 0});
            int start = out.size();
            for (int i = 0; i < n; i++) {
                form(rnd, out);
            }
            out.writeBytes(new byte[] {0x49, (byte) 0xFF, (byte) 0xCF});
            int rel = start - (out.size() + 6);
            out.writeBytes(new byte[] {0x0F, (byte) 0x85, (byte) rel, (byte) (rel >> 8), (byte) (rel >> 16),
                (byte) (rel >> 24), (byte) 0xF4});
            return out.toByteArray();
        }

        private static void form(SplittableRandom rnd, ByteArrayOutputStream out) {
            if (rnd.nextInt(6) == 0) {
                out.write(0x66);
            }
            int w = rnd.nextInt(2);
            int reg = rnd.nextInt(8);
            int rm = rnd.nextInt(8);
            int mod = rnd.nextInt(4);
            // REX: never R/B on a field of 7 (R15 is the loop counter; RSP stays the stack)
            int rexR = reg != 7 && reg != 4 && rnd.nextBoolean() ? 4 : 0;
            int rexB = rm != 7 && rm != 4 && rnd.nextBoolean() ? 1 : 0;
            int kind = rnd.nextInt(9);
            int op;
            int imm = 0;
            boolean twoByte = false;
            switch (kind) {
                case 0:
                case 1:
                case 2:
                    op = ALU_OPS[rnd.nextInt(ALU_OPS.length)];
                    break;
                case 3:
                    op = 0x8D; // LEA
                    if (mod == 3) {
                        mod = 2;
                    }
                    break;
                case 4:
                    op = new int[] {0x80, 0x81, 0x83}[rnd.nextInt(3)];
                    imm = op == 0x81 ? 4 : 1;
                    break;
                case 5:
                    op = new int[] {0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3}[rnd.nextInt(6)];
                    reg = new int[] {0, 1, 4, 5, 7}[rnd.nextInt(5)]; // ROL, ROR, SHL, SHR, SAR
                    imm = op <= 0xC1 ? 1 : 0;
                    rexR = 0;
                    break;
                case 6:
                    op = rnd.nextBoolean() ? 0xFE : 0xFF;
                    reg = rnd.nextInt(2);
                    rexR = 0;
                    break;
                case 7:
                    op = new int[] {0xB6, 0xB7, 0xBE, 0xBF}[rnd.nextInt(4)];
                    twoByte = true;
                    break;
                default:
                    op = rnd.nextBoolean() ? 0xC6 : 0xC7;
                    reg = 0;
                    rexR = 0;
                    imm = op == 0xC6 ? 1 : 4;
                    break;
            }
            if (mod == 3 && rm == 4) {
                rm = 3; // never write RSP
            }
            int rex = (w << 3) | rexR | rexB;
            if (rex != 0 || rnd.nextInt(4) == 0) {
                out.write(0x40 | rex);
            }
            if (twoByte) {
                out.write(0x0F);
            }
            out.write(op);
            out.write((mod << 6) | (reg << 3) | rm);
            if (mod != 3 && rm == 4) {
                // SIB: a base other than RSP/RBP, an index other than RSP
                int base = new int[] {0, 1, 2, 3, 6}[rnd.nextInt(5)];
                int index = new int[] {0, 1, 2, 3, 5, 6, 4}[rnd.nextInt(7)];
                out.write((rnd.nextInt(4) << 6) | (index << 3) | base);
            }
            if (mod == 0 && rm == 5) {
                writeLe(out, rnd.nextInt(0x100) * 8 - 0x400, 4); // RIP-relative, near the code
            } else if (mod == 1) {
                out.write(rnd.nextInt(256));
            } else if (mod == 2) {
                writeLe(out, rnd.nextInt(0x2000) - 0x1000, 4);
            }
            writeLe(out, rnd.nextInt(), imm);
        }

        private static void writeLe(ByteArrayOutputStream out, int v, int n) {
            for (int i = 0; i < n; i++) {
                out.write(v >>> (8 * i));
            }
        }
    }
}
