package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.memory.MmioHandler;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Runs of PUSH r64 and POP r64 (the translator's {@code StackRun}) against the reference
 * configuration and the interpreter: seeded programs that load a new RSP each round from a table
 * and push and pop runs of 1-20 registers there, with the stack on 4 KiB pages that are normal,
 * not present, read-only or a device's (MMIO), across page boundaries, misaligned, at the edges of
 * the canonical range and of the address space, on the program's own code page (self-modifying
 * code) and, at CPL 3 with CR0.AM and RFLAGS.AC toggled each round, misaligned (#AC); every
 * fault's handler runs on an IST stack and skips one byte, so the program goes on. Instruction
 * and cycle budgets end inside runs. Registers, RIP, RFLAGS, memory, the stop reason, retired
 * instructions and cycles must be identical on the three engines.
 */
class TranslatorStackRunTest {

    /** Linear 0x600000-0x7FFFFF is mapped with 4 KiB pages through this page table. */
    private static final long WINDOW = 0x600000;
    private static final long PT = 0x3F0000;
    private static final long PD = 0x202000; // Fixtures.long64: enterLongMode(0x200000): PML4, PDPT, then the PDs
    private static final long MMIO = 0x500000; // beyond the 4 MiB of RAM
    private static final long TSS = 0x4000;
    private static final long IST = 0x9F000;
    private static final long GOOD_STACK = 0x9D000;
    private static final long PTR = 0x3E000;
    private static final long COUNT = 0x3E008;
    private static final long TABLE = 0x3E100;
    /** The window's pages: 0 normal, 1 not present, 2 read-only, 3 normal, 4 MMIO, 5 normal, 6 read-only, 7 not present. */
    private static final int[] PAGE_KIND = {0, 1, 2, 0, 3, 0, 2, 1};

    @Test
    void seededPushPopRuns_onEveryKindOfStack_threeEnginesEndIdentical() {
        SplittableRandom rnd = new SplittableRandom(0x5AC4_2026L);
        long retired = 0;
        long blocks = 0;
        for (int i = 0; i < 60; i++) {
            long[] t = compareSeeded("runs #" + i, rnd, false, limits(rnd, i, 20_000));
            retired += t[0];
            blocks += t[1];
        }
        // the programs must reach the translator: many blocks, most rounds run to the end
        assertThat(blocks).as("blocks translated").isGreaterThan(2_000);
        assertThat(retired).as("instructions retired").isGreaterThan(60_000);
    }

    @Test
    void seededPushPopRuns_atCpl3WithAlignmentChecksToggled_threeEnginesEndIdentical() {
        SplittableRandom rnd = new SplittableRandom(0xAC_3L);
        long retired = 0;
        long blocks = 0;
        for (int i = 0; i < 25; i++) {
            long[] t = compareSeeded("CPL 3 runs #" + i, rnd, true, limits(rnd, i, 8_000));
            retired += t[0];
            blocks += t[1];
        }
        assertThat(blocks).as("blocks translated").isGreaterThan(400);
        assertThat(retired).as("instructions retired").isGreaterThan(60_000);
    }

    /**
     * A run that overwrites its own later instructions: RSP just above the run's last bytes, RAX
     * all NOPs. The first PUSH writes NOPs over the last eight PUSHes, the second over the six
     * after it, so only two PUSHes run and then fourteen NOPs; the translated block must leave
     * after the first write to its page and not run the PUSHes it was translated with.
     */
    @Test
    void runThatOverwritesItsOwnLaterPushes_executesTheNewBytes() {
        // mov rsp, CODE+0x30; 16 x push rax at CODE+0x20; hlt at CODE+0x30
        byte[] code = new byte[0x31];
        byte[] mov = {0x48, (byte) 0xBC};
        System.arraycopy(mov, 0, code, 0, 2);
        writeLe(code, 2, Fixtures.CODE + 0x30, 8);
        for (int i = 10; i < 0x20; i++) {
            code[i] = (byte) 0x90;
        }
        for (int i = 0x20; i < 0x30; i++) {
            code[i] = 0x50;
        }
        code[0x30] = (byte) 0xF4;
        Machine[] ms = machines(false);
        RunResult[] rs = new RunResult[3];
        for (int e = 0; e < 3; e++) {
            ms[e].memory().load(Fixtures.CODE, code);
            ms[e].setReg(Reg.RAX, 0x9090909090909090L);
            rs[e] = ms[e].run(RunLimits.unlimited().maxInstructions(1000));
        }
        MachineFuzzTest.compare("self-overwriting run (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
        MachineFuzzTest.compare("self-overwriting run (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
        assertThat(rs[2].reason()).isEqualTo(StopReason.HALTED);
        assertThat(ms[2].reg(Reg.RSP)).as("two pushes ran").isEqualTo(Fixtures.CODE + 0x20);
        assertThat(rs[2].instructions()).as("mov, 22 nops before, 2 pushes, 14 nops, hlt").isEqualTo(1 + 22 + 2 + 14 + 1);
        assertThat(ms[2].blocksTranslated()).as("blocks translated").isPositive();
    }

    /**
     * A run whose first PUSH writes the local APIC's ICR (a self-IPI, vector 0x40, IF = 1): the
     * interrupt must arrive right after that PUSH, as interpreted, not after the run; the
     * handler counts it in R10 and records the interrupted RIP in R11.
     */
    @Test
    void runWhoseFirstPushIsADeviceWrite_endsThereAndTheInterruptArrivesAfterIt() {
        // mov rax, 0xFEE000F0; mov dword [rax], 0x1FF (APIC software-enabled); mov rsp, 0xFEE00308 (ICR + 8);
        // mov rax, 0x40040 (fixed, self, vector 0x40); jmp $+2 (a block starts at the run);
        // push rax; 4 x push rbx; mov rsp, 0x90000; hlt
        String hex = "48B8F000E0FE00000000" + "C700FF010000" + "48BC0803E0FE00000000" + "48B84000040000000000"
                + "EB00" + "50" + "53535353" + "48BC0000090000000000" + "F4";
        long handler = Fixtures.CODE + 0x100;
        Machine[] ms = {
            machine(Machine.builder().memorySize(4L << 20).referenceMode(true).pcInterruptControllers(), false),
            machine(Machine.builder().memorySize(4L << 20).pcInterruptControllers(), false),
            machine(Machine.builder().memorySize(4L << 20).pcInterruptControllers().engine(Engine.TRANSLATOR)
                    .translationThreshold(1), false)};
        RunResult[] rs = new RunResult[3];
        for (int e = 0; e < 3; e++) {
            Machine m = ms[e];
            m.memory().load(Fixtures.CODE, Guest.bytes(hex));
            m.memory().load(handler, Guest.bytes("49FFC24C8B1C2448CF")); // inc r10; mov r11, [rsp]; iretq
            m.memory().write64(Fixtures.IDT + 0x40 * 16, (handler & 0xFFFF) | (0x08L << 16) | (1L << 32) | (0xEL << 40)
                    | (1L << 47) | ((handler >>> 16 & 0xFFFF) << 48));
            m.setReg(Reg.RBX, 0x10000);
            m.setRflags(0x202);
            rs[e] = m.run(RunLimits.unlimited().maxInstructions(1000));
        }
        MachineFuzzTest.compare("device write in a run (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
        MachineFuzzTest.compare("device write in a run (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
        assertThat(rs[2].reason()).isEqualTo(StopReason.HALTED);
        assertThat(ms[2].reg(Reg.R10)).as("the self-IPI, taken once").isEqualTo(1);
        assertThat(ms[2].reg(Reg.R11)).as("taken after the first PUSH").isEqualTo(Fixtures.CODE + 0x27);
        assertThat(ms[2].blocksTranslated()).as("blocks translated").isPositive();
    }

    /**
     * The shape of an exit handler (bench-vmexit's PUSH_GPRS and POP_GPRS: 15 registers each) in a
     * loop, with the stack in the middle of a page and then straddling a page boundary; every
     * register must come back and the two runs must have been translated.
     */
    @Test
    void saveAndRestoreAllRegisters_inAPageAndAcrossAPageBoundary() {
        for (long rsp : new long[] {0x80800, 0x80040, 0x80000 + 8 * 7 + 3}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            emit(out, 0x48, 0xBC);
            emitLe(out, rsp, 8);
            emit(out, 0x41, 0xBF, 100, 0, 0, 0); // mov r15d, 100
            int loop = out.size();
            int[] order = {0, 3, 1, 2, 6, 7, 5, 8, 9, 10, 11, 12, 13, 14, 15};
            for (int r : order) {
                push(out, r);
            }
            emit(out, 0x48, 0xF7, 0xD0, 0x48, 0xF7, 0xD3); // not rax; not rbx
            for (int j = order.length - 1; j >= 0; j--) {
                pop(out, order[j]);
            }
            emit(out, 0x49, 0xFF, 0xCF); // dec r15
            int rel = loop - (out.size() + 6);
            emit(out, 0x0F, 0x85);
            emitLe(out, rel, 4);
            emit(out, 0xF4);
            Machine[] ms = machines(false);
            RunResult[] rs = new RunResult[3];
            for (int e = 0; e < 3; e++) {
                ms[e].memory().load(Fixtures.CODE, out.toByteArray());
                for (Reg r : Reg.values()) {
                    if (r != Reg.RSP) {
                        ms[e].setReg(r, 0x1111111111111111L * (r.number() + 1));
                    }
                }
                rs[e] = ms[e].run(RunLimits.unlimited().maxInstructions(100_000));
            }
            String name = "save/restore at RSP 0x" + Long.toHexString(rsp);
            MachineFuzzTest.compare(name + " (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
            MachineFuzzTest.compare(name + " (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
            assertThat(rs[2].reason()).isEqualTo(StopReason.HALTED);
            assertThat(ms[2].reg(Reg.RAX)).as("RAX restored").isEqualTo(0x1111111111111111L);
            assertThat(ms[2].reg(Reg.R14)).as("R14 restored").isEqualTo(0x1111111111111111L * 15);
            assertThat(ms[2].reg(Reg.RSP)).isEqualTo(rsp);
            assertThat(ms[2].memory().read64(rsp - 8)).as("RAX pushed first").isEqualTo(0x1111111111111111L);
            assertThat(ms[2].blocksTranslated()).as("blocks translated").isPositive();
        }
    }

    private static RunLimits limits(SplittableRandom rnd, int i, int most) {
        return i % 5 == 4 ? RunLimits.unlimited().maxCycles(50 + rnd.nextInt(6000))
                : RunLimits.unlimited().maxInstructions(i % 5 == 3 ? 10 + rnd.nextInt(3000) : most);
    }

    private static long[] compareSeeded(String name, SplittableRandom rnd, boolean user, RunLimits limits) {
        int rounds = 10 + rnd.nextInt(30);
        byte[] code = program(rnd, user);
        long[] table = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            table[r] = stackPointer(rnd);
        }
        long[] regs = new long[16];
        for (int r = 0; r < 16; r++) {
            regs[r] = rnd.nextLong();
        }
        String what = name + " " + HexFormat.of().formatHex(code);
        Machine[] ms = machines(user);
        RunResult[] rs = new RunResult[3];
        for (int e = 0; e < 3; e++) {
            Machine m = ms[e];
            m.memory().load(Fixtures.CODE, code);
            m.memory().write64(PTR, TABLE);
            m.memory().write64(COUNT, rounds);
            for (int r = 0; r < rounds; r++) {
                m.memory().write64(TABLE + 8L * r, table[r]);
            }
            for (Reg r : Reg.values()) {
                if (r != Reg.RSP) {
                    m.setReg(r, regs[r.number()]);
                }
            }
            try {
                rs[e] = m.run(limits);
            } catch (RuntimeException x) {
                throw new AssertionError(what + ": engine " + e + " threw at rip 0x" + Long.toHexString(m.rip()), x);
            }
        }
        MachineFuzzTest.compare(what + " (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
        MachineFuzzTest.compare(what + " (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
        return new long[] {rs[2].instructions(), ms[2].blocksTranslated()};
    }

    // ---------------------------------------------------------------- machines

    /** Reference, interpreter, translator (threshold 1), each with the window, the device page, IST and (user) CPL 3. */
    private static Machine[] machines(boolean user) {
        return new Machine[] {
            machine(Machine.builder().memorySize(4L << 20).referenceMode(true), user),
            machine(Machine.builder().memorySize(4L << 20), user),
            machine(Machine.builder().memorySize(4L << 20).engine(Engine.TRANSLATOR).translationThreshold(1), user)};
    }

    private static Machine machine(Machine.Builder b, boolean user) {
        Machine m = Fixtures.long64(b);
        // the window's page table: page i of the window to RAM at 0x100000 + i * 4 KiB (U/S = 1)
        for (int i = 0; i < 512; i++) {
            int kind = i < PAGE_KIND.length ? PAGE_KIND[i] : 1;
            long pte = switch (kind) {
                case 0 -> (0x100000L + i * 0x1000L) | 0x7;
                case 2 -> (0x100000L + i * 0x1000L) | 0x5;
                case 3 -> MMIO | 0x7;
                default -> 0;
            };
            m.memory().write64(PT + 8L * i, pte);
        }
        m.memory().write64(PD + 8 * (WINDOW >>> 21), PT | 0x7);
        m.memory().addMmio(MMIO, 0x1000, new Scratch());
        // user code and data (DPL 3) after the fixture's two descriptors; a 64-bit TSS with IST1
        m.memory().write64(Fixtures.GDT + 0x18, 0x0020FA0000000000L);
        m.memory().write64(Fixtures.GDT + 0x20, 0x00CFF2000000FFFFL);
        m.setGdtr(Fixtures.GDT, 0x27);
        m.memory().write64(TSS + 4, GOOD_STACK - 0x800); // RSP0
        m.memory().write64(TSS + 0x24, IST);             // IST1
        m.setSegment(Seg.TR, 0x28, TSS, 0x67, 0x8B);
        for (int v = 0; v < 256; v++) {
            long gate = Fixtures.IDT + 16L * v;
            m.memory().write64(gate, m.memory().read64(gate) | (1L << 32)); // IST1
        }
        if (user) {
            m.setSegment(Seg.CS, 0x1B, 0, 0xFFFFFFFF, 0xB | SegmentState.AR_S | (3 << 5) | SegmentState.AR_P
                    | SegmentState.AR_L | SegmentState.AR_G);
            m.setSegment(Seg.SS, 0x23, 0, 0xFFFFFFFF, 0x3 | SegmentState.AR_S | (3 << 5) | SegmentState.AR_P
                    | SegmentState.AR_DB | SegmentState.AR_G);
            m.setCr(0, m.cr(0) | (1L << 18)); // CR0.AM
            m.setRflags(m.rflags() | (1L << 18)); // RFLAGS.AC
            assertThat(m.cpl()).isEqualTo(3);
        }
        return m;
    }

    /** A device page that keeps what is written (little-endian), so pops from it see pushes to it. */
    private static final class Scratch implements MmioHandler {
        private final byte[] bytes = new byte[4096];

        @Override
        public long read(long offset, int size) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                v |= (bytes[(int) (offset + i) & 0xFFF] & 0xFFL) << (8 * i);
            }
            return v;
        }

        @Override
        public void write(long offset, int size, long value) {
            for (int i = 0; i < size; i++) {
                bytes[(int) (offset + i) & 0xFFF] = (byte) (value >>> (8 * i));
            }
        }
    }

    // ---------------------------------------------------------------- programs

    /** An RSP for one round: near page boundaries of every kind of page, the canonical edges, the code page. */
    private static long stackPointer(SplittableRandom rnd) {
        long delta = rnd.nextInt(4) == 0 ? rnd.nextInt(-0x90, 0x91) : 8L * rnd.nextInt(-18, 19);
        switch (rnd.nextInt(7)) {
            case 0:
                return 0x81000 + delta; // RAM (2 MiB page), a 4 KiB boundary in it
            case 1:
            case 2:
                return WINDOW + 0x1000L * rnd.nextInt(1, PAGE_KIND.length) + delta; // window page boundaries
            case 3:
                return WINDOW + 0x1000L * (rnd.nextBoolean() ? 0 : 5) + 0x800 + delta; // inside a normal page
            case 4:
                return rnd.nextBoolean() ? 0x0000800000000000L + delta : 0xFFFF800000000000L + delta; // canonical edges
            case 5:
                return Fixtures.CODE + 0x1000 - 0x40 + (delta & 0x38); // the code page's end: code writes
            default:
                return (delta & 0x7F); // pushes wrap below zero
        }
    }

    /**
     * Each round: RSP = a good stack ([user] toggle RFLAGS.AC through PUSHFQ/POPFQ), RSP = the
     * round's table entry, then 2-7 items (a PUSH run, a POP run, LEA RSP, a store at RSP, an
     * ADD); after the rounds HLT (at CPL 3: a jump to itself, until the budget ends).
     */
    static byte[] program(SplittableRandom rnd, boolean user) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int start = out.size();
        emit(out, 0x48, 0xBC);
        emitLe(out, GOOD_STACK, 8);                               // mov rsp, GOOD_STACK
        if (user) {
            emit(out, 0x9C, 0x48, 0x81, 0x34, 0x24, 0, 0, 4, 0, 0x9D); // pushfq; xor qword [rsp], 0x40000; popfq
        }
        emit(out, 0x48, 0x8B, 0x24, 0x25);
        emitLe(out, PTR, 4);                                      // mov rsp, [PTR]
        emit(out, 0x48, 0x83, 0x04, 0x25);
        emitLe(out, PTR, 4);
        emit(out, 8);                                             // add qword [PTR], 8
        emit(out, 0x48, 0x8B, 0x24, 0x24);                        // mov rsp, [rsp]
        int items = 2 + rnd.nextInt(6);
        for (int i = 0; i < items; i++) {
            int kind = rnd.nextInt(10);
            if (kind < 4) {
                int n = 1 + rnd.nextInt(20);
                for (int j = 0; j < n; j++) {
                    push(out, register(rnd));
                }
            } else if (kind < 8) {
                int n = 1 + rnd.nextInt(20);
                for (int j = 0; j < n; j++) {
                    pop(out, register(rnd));
                }
            } else if (kind == 8) {
                emit(out, 0x48, 0x8D, 0x64, 0x24, rnd.nextInt(-64, 65)); // lea rsp, [rsp + disp8]
            } else {
                emit(out, 0x48, 0x89, 0x4C, 0x24, 0x08, 0x48, 0x01, 0xD8); // mov [rsp+8], rcx; add rax, rbx
            }
        }
        emit(out, 0x48, 0x83, 0x2C, 0x25);
        emitLe(out, COUNT, 4);
        emit(out, 1);                                             // sub qword [COUNT], 1
        int rel = start - (out.size() + 6);
        emit(out, 0x0F, 0x85);
        emitLe(out, rel, 4);                                      // jnz start
        if (user) {
            emit(out, 0xEB, 0xFE);                                // jmp $
        } else {
            emit(out, 0xF4);                                      // hlt
        }
        return out.toByteArray();
    }

    /** Any register but RSP, mostly the low eight (one-byte encodings). */
    private static int register(SplittableRandom rnd) {
        int r = rnd.nextInt(16);
        return r == 4 ? 0 : r;
    }

    private static void push(ByteArrayOutputStream out, int r) {
        if (r >= 8) {
            out.write(0x41);
        }
        out.write(0x50 + (r & 7));
    }

    private static void pop(ByteArrayOutputStream out, int r) {
        if (r >= 8) {
            out.write(0x41);
        }
        out.write(0x58 + (r & 7));
    }

    private static void emit(ByteArrayOutputStream out, int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
    }

    private static void emitLe(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void writeLe(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
