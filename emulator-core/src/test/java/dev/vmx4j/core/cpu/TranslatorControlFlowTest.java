package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The translator's control flow against the reference configuration and the interpreter:
 * traces that follow CALL rel, JMP rel and predicted RETs, indirect CALL and JMP through memory
 * and registers, return addresses a callee changes (the predicted RET must notice), a callee
 * that writes the caller's code after the call site (the trace must leave after the write),
 * non-canonical indirect targets (#GP), and budgets that end inside traces. Seeded random
 * programs; every run must end identical on the three engines.
 */
class TranslatorControlFlowTest {

    @Test
    void seededCallGraphs_threeEnginesEndIdentical() {
        SplittableRandom rnd = new SplittableRandom(0xCA11_5L);
        long retired = 0;
        long blocks = 0;
        for (int i = 0; i < 120; i++) {
            byte[] code = CallPrograms.program(rnd, i % 7 == 6);
            long[] regs = randomRegisters(rnd);
            RunLimits limits = i % 4 == 3 ? RunLimits.unlimited().maxCycles(100 + rnd.nextInt(3000))
                    : RunLimits.unlimited().maxInstructions(i % 4 == 2 ? 20 + rnd.nextInt(2000) : 20_000);
            long[] t = run("calls #" + i + " " + HexFormat.of().formatHex(code), code, limits, regs);
            retired += t[0];
            blocks += t[1];
        }
        // the programs must reach the translator: loops of calls, most instructions in blocks
        assertThat(retired).as("instructions retired").isGreaterThan(60_000);
        assertThat(blocks).as("blocks translated").isGreaterThan(500);
    }

    @Test
    void calleeChangesItsReturnAddress_predictedRetFollowsTheRealOne() {
        // main: mov r15d, 50; loop: call f; nop; inc r9; dec r15; jnz loop; hlt
        // f: add qword [rsp], 1; inc r10; ret   (returns past the NOP)
        CallPrograms.Asm a = new CallPrograms.Asm();
        a.bytes("41BF32000000");
        int loop = a.size();
        int call = a.size();
        a.bytes("E800000000");
        a.bytes("90");
        a.bytes("49FFC1");
        a.bytes("49FFCF");
        a.jnz(loop);
        a.bytes("F4");
        int f = a.size();
        a.bytes("4883042401");
        a.bytes("49FFC2");
        a.bytes("C3");
        a.patchRel32(call + 1, f);
        Machine m = machineRun("return address changed", a.toBytes(), RunLimits.unlimited().maxInstructions(10_000));
        assertThat(m.reg(Reg.R9)).as("iterations after the call").isEqualTo(50);
        assertThat(m.reg(Reg.R10)).as("calls").isEqualTo(50);
        assertThat(m.blocksTranslated()).isPositive();
    }

    @Test
    void calleeWritesTheCallersCodeAfterTheCallSite_traceSeesTheNewBytes() {
        // main: mov r15d, 20; loop: call f; mov eax, imm32; add r9, rax; dec r15; jnz loop; hlt
        // f: inc dword [rip + (imm32 of the mov)]; ret
        CallPrograms.Asm a = new CallPrograms.Asm();
        a.bytes("41BF14000000");
        int loop = a.size();
        int call = a.size();
        a.bytes("E800000000");
        int imm = a.size() + 1;
        a.bytes("B864000000");
        a.bytes("4901C1");
        a.bytes("49FFCF");
        a.jnz(loop);
        a.bytes("F4");
        int f = a.size();
        a.bytes("FF05");
        a.rel32(imm);
        a.bytes("C3");
        a.patchRel32(call + 1, f);
        Machine m = machineRun("self-modifying callee", a.toBytes(), RunLimits.unlimited().maxInstructions(10_000));
        // the MOV's immediate is 100 + k in iteration k (1-based): sum of 101..120
        assertThat(m.reg(Reg.R9)).isEqualTo(2210);
    }

    @Test
    void budgetsEndingInsideABlock_heatCountsOnlyAtBlockStarts() {
        // mov r15d, 200; loop: 12 x add rax, r15; dec r15; jnz loop; hlt. Runs of 5 instructions
        // keep the loop's 14-instruction block from running, so the interpreter steps through
        // the loop body 200 times: only the loop head (a branch target) may become a block
        CallPrograms.Asm a = new CallPrograms.Asm();
        a.bytes("41BFC8000000");
        int loop = a.size();
        for (int i = 0; i < 12; i++) {
            a.bytes("4C01F8");
        }
        a.bytes("49FFCF");
        a.jnz(loop);
        a.bytes("F4");
        Machine ref = Fixtures.long64(true);
        Machine t = Fixtures.long64(Machine.builder().memorySize(4L << 20).engine(dev.vmx4j.core.Engine.TRANSLATOR)
                .translationThreshold(2));
        ref.memory().load(Fixtures.CODE, a.toBytes());
        t.memory().load(Fixtures.CODE, a.toBytes());
        RunLimits five = RunLimits.unlimited().maxInstructions(5);
        for (int run = 0; run < 700; run++) {
            RunResult rr = ref.run(five);
            RunResult rt = t.run(five);
            MachineFuzzTest.compare("heat, run " + run, t, ref, rt, rr);
        }
        assertThat(ref.reg(Reg.R15)).as("loop finished").isZero();
        assertThat(t.blocksTranslated()).as("blocks translated (the loop head only)").isEqualTo(1);
    }

    @Test
    void fsGsAndStackAccessesInBlocks_sameValuesAndFaultsAsTheReference() {
        // loop (40 times): mov rax, fs:[rbx]; add rax, gs:[rbx + 8]; mov fs:[rbx + 16], rax;
        // push rax; pop rcx; add r9, rcx; dec r15; jnz loop; then, in blocks of their own,
        // mov rax, [rdx] with RDX non-canonical (#GP) and mov rax, [rbp] with RBP non-canonical
        // (an SS reference: #SS), each resumed one byte further by the fixture's handler
        CallPrograms.Asm a = new CallPrograms.Asm();
        a.bytes("41BF28000000");
        int loop = a.size();
        a.bytes("64488B03");
        a.bytes("6548034308");
        a.bytes("6448894310");
        a.bytes("5059");
        a.bytes("4901C9");
        a.bytes("49FFCF");
        a.jnz(loop);
        a.bytes("488B02");
        a.bytes("9090909090909090");
        a.bytes("488B4500");
        a.bytes("9090909090909090F4");
        Machine[] ms = {Fixtures.long64(true), Fixtures.long64Translated()};
        RunResult[] rs = new RunResult[2];
        StringBuilder[] faults = {new StringBuilder(), new StringBuilder()};
        for (int i = 0; i < 2; i++) {
            Machine m = ms[i];
            StringBuilder f = faults[i];
            m.memory().load(Fixtures.CODE, a.toBytes());
            m.addExceptionListener((vector, error, has) -> f.append(vector).append(' '));
            m.setMsr(0xC0000100, 0x300000);   // IA32_FS_BASE
            m.setMsr(0xC0000101, 0x310000);   // IA32_GS_BASE
            m.memory().write64(0x300000 + 0x1000, 0x1111);
            m.memory().write64(0x310000 + 0x1008, 0x2222);
            m.setReg(Reg.RBX, 0x1000);
            m.setReg(Reg.RDX, 0x8000_0000_0000_0000L);
            m.setReg(Reg.RBP, 0x0000_8000_0000_0000L);
            rs[i] = m.run(RunLimits.unlimited().maxInstructions(5_000));
        }
        MachineFuzzTest.compare("fs/gs/stack (translator vs reference)", ms[1], ms[0], rs[1], rs[0]);
        assertThat(ms[1].reg(Reg.R9)).as("sum of fs:[rbx] + gs:[rbx + 8]").isEqualTo(40 * 0x3333L);
        assertThat(ms[1].memory().read64(0x300000 + 0x1010)).as("written through FS").isEqualTo(0x3333);
        assertThat(faults[1].toString()).as("faults").startsWith("13 ").contains(" 12 ")
                .isEqualTo(faults[0].toString());
        assertThat(ms[1].blocksTranslated()).isPositive();
    }

    @Test
    void selfLoopingBlocks_budgetsEndingInsideTheLoop_threeEnginesEndIdentical() {
        // mov r15d, n; loop: k ALU/memory instructions; dec r15; jnz loop; hlt: the loop is one
        // block whose branch goes back to its own start (it loops inside the block)
        SplittableRandom rnd = new SplittableRandom(0x5E1F_1009L);
        String[] body = {"4C01F8", "4831C8", "48C1E005", "4D01C8", "48FFC1", "4C29F8", "48D1E8",
            "48894308", "480343F8", "4801C3"};   // ..., mov [rbx+8], rax; add rax, [rbx-8]; add rbx, rax
        long retired = 0;
        for (int i = 0; i < 60; i++) {
            CallPrograms.Asm a = new CallPrograms.Asm();
            a.bytes("41BF" + CallPrograms.le32(50 + rnd.nextInt(400)));
            a.bytes("BB00003000");               // mov ebx, 0x300000
            int loop = a.size();
            for (int n = 1 + rnd.nextInt(10); n > 0; n--) {
                String insn = body[rnd.nextInt(body.length)];
                a.bytes(insn.equals("4801C3") ? "4881E3F80F0000" + "4881CB00003000" : insn); // keep RBX in its page
            }
            a.bytes("49FFCF");
            a.jnz(loop);
            a.bytes("F4");
            long[] regs = randomRegisters(rnd);
            RunLimits limits = budget(i, rnd, 200, 5000, 3000);
            long[] t = run("self loop #" + i + " " + HexFormat.of().formatHex(a.toBytes()), a.toBytes(), limits, regs);
            retired += t[0];
        }
        assertThat(retired).as("instructions retired").isGreaterThan(50_000);
    }

    @Test
    void forwardJccsInsideLoops_budgets_threeEnginesEndIdentical() {
        // mov r15d, n; loop: pieces of ALU work, each maybe followed by "test al, m; jcc skip;
        // 1-3 instructions; skip:" or an if-then-else diamond (jcc else; then...; jmp join;
        // else: ...; join:); dec r15; jnz loop; hlt: blocks end at every Jcc and start at both
        // of its sides, with step and cycle budgets ending anywhere
        SplittableRandom rnd = new SplittableRandom(0xF0_4A4DL);
        String[] alu = {"4C01F8", "4831C8", "48C1C005", "4D01C8", "48FFC1", "4C29F8", "48D1E8", "4831D0"};
        long retired = 0;
        for (int i = 0; i < 80; i++) {
            CallPrograms.Asm a = new CallPrograms.Asm();
            a.bytes("41BF" + CallPrograms.le32(30 + rnd.nextInt(200)));
            int loop = a.size();
            for (int p = 1 + rnd.nextInt(4); p > 0; p--) {
                a.bytes(alu[rnd.nextInt(alu.length)]);
                int kind = rnd.nextInt(3);
                if (kind == 0) {
                    continue;
                }
                a.bytes("A8" + String.format("%02x", 1 << rnd.nextInt(8)));  // test al, bit
                int cc = rnd.nextInt(16);
                int thenLen = 1 + rnd.nextInt(3);
                String[] then = new String[thenLen];
                int bytes = 0;
                for (int t = 0; t < thenLen; t++) {
                    then[t] = alu[rnd.nextInt(alu.length)];
                    bytes += then[t].length() / 2;
                }
                if (kind == 1) {
                    a.bytes(String.format("%02x%02x", 0x70 + cc, bytes));             // jcc skip
                    for (String t : then) {
                        a.bytes(t);
                    }
                } else {
                    String other = alu[rnd.nextInt(alu.length)];
                    a.bytes(String.format("%02x%02x", 0x70 + cc, bytes + 2));         // jcc else
                    for (String t : then) {
                        a.bytes(t);
                    }
                    a.bytes(String.format("EB%02x", other.length() / 2));               // jmp join
                    a.bytes(other);
                }
            }
            a.bytes("49FFCF");
            a.jnz(loop);
            a.bytes("F4");
            long[] regs = randomRegisters(rnd);
            RunLimits limits = budget(i, rnd, 100, 4000, 2000);
            long[] t = run("forward jcc #" + i + " " + HexFormat.of().formatHex(a.toBytes()), a.toBytes(), limits, regs);
            retired += t[0];
        }
        assertThat(retired).as("instructions retired").isGreaterThan(50_000);
    }

    private static Machine machineRun(String name, byte[] code, RunLimits limits) {
        Machine[] ms = {Fixtures.long64(true), Fixtures.long64(false), Fixtures.long64Translated()};
        RunResult[] rs = new RunResult[3];
        for (int i = 0; i < 3; i++) {
            ms[i].memory().load(Fixtures.CODE, code);
            rs[i] = ms[i].run(limits);
        }
        MachineFuzzTest.compare(name + " (interpreter vs reference)", ms[1], ms[0], rs[1], rs[0]);
        MachineFuzzTest.compare(name + " (translator vs reference)", ms[2], ms[0], rs[2], rs[0]);
        return ms[2];
    }

    /** 16 random register values (RAX..R15), drawn in order from {@code rnd}. */
    private static long[] randomRegisters(SplittableRandom rnd) {
        long[] regs = new long[16];
        for (int r = 0; r < 16; r++) {
            regs[r] = rnd.nextLong();
        }
        return regs;
    }

    /**
     * Program {@code i}'s budget: every third a cycle budget of {@code cycleBase} plus up to
     * {@code cycleSpan}, every third an instruction budget of 10 plus up to {@code insnSpan}, the
     * rest 100,000 instructions (the program halts first).
     */
    private static RunLimits budget(int i, SplittableRandom rnd, int cycleBase, int cycleSpan, int insnSpan) {
        return i % 3 == 0 ? RunLimits.unlimited().maxCycles(cycleBase + rnd.nextInt(cycleSpan))
                : RunLimits.unlimited().maxInstructions(i % 3 == 1 ? 10 + rnd.nextInt(insnSpan) : 100_000);
    }

    private static long[] run(String name, byte[] code, RunLimits limits, long[] regs) {
        return TranslatorEquivalenceTest.compare(name, code, limits, regs);
    }

    /**
     * Random programs: a counted loop (R15) of pieces (direct calls, indirect calls and jumps
     * through a table, ALU work, PUSH/POP), calling functions that do ALU work, call a leaf,
     * return past the NOP every call site has, or return through POP + JMP reg.
     */
    static final class CallPrograms {
        private static final int FUNCTIONS = 6;
        private static final int CASES = 4;
        private static final String[] ALU = {
            "4C01F8",   // add rax, r15
            "4831C8",   // xor rax, rcx
            "48C1C005", // rol rax, 5
            "49F7D1",   // not r9
            "4D01C8",   // add r8, r9
            "48FFC1",   // inc rcx
            "4C29F8",   // sub rax, r15
            "48D1E8",   // shr rax, 1
        };

        static byte[] program(SplittableRandom rnd, boolean nonCanonical) {
            Asm a = new Asm();
            a.bytes("41BF" + le32(20 + rnd.nextInt(40)));  // mov r15d, n
            int leaRbx = a.size();
            a.bytes("488D1D00000000");                     // lea rbx, [rip + table]
            int loop = a.size();
            int pieces = 2 + rnd.nextInt(7);
            int[] callSites = new int[64];
            int[] callees = new int[64];
            int calls = 0;
            int[] caseBacks = new int[64];
            int[] caseJoins = new int[64];
            int joins = 0;
            for (int p = 0; p < pieces; p++) {
                int kind = rnd.nextInt(5);
                if (kind == 2 && joins > 0) {
                    kind = 3; // one jump table per loop: its cases all come back to its join
                }
                switch (kind) {
                    case 0:
                        callSites[calls] = a.size() + 1;
                        callees[calls++] = rnd.nextInt(FUNCTIONS);
                        a.bytes("E800000000");
                        a.bytes("90");
                        break;
                    case 1:
                        a.bytes("4489FA");   // mov edx, r15d
                        a.bytes("83E203");   // and edx, 3
                        a.bytes("FF14D3");   // call [rbx + rdx*8]
                        a.bytes("90");
                        break;
                    case 2:
                        a.bytes("4489FA");   // mov edx, r15d
                        a.bytes("83E203");   // and edx, 3
                        a.bytes("FF64D320"); // jmp [rbx + rdx*8 + 32]
                        caseJoins[joins++] = a.size();
                        break;
                    case 3:
                        a.bytes(ALU[rnd.nextInt(ALU.length)]);
                        break;
                    default:
                        a.bytes("4157");     // push r15
                        a.bytes("59");       // pop rcx
                        break;
                }
            }
            a.bytes("49FFCF");               // dec r15
            a.jnz(loop);
            a.bytes("F4");                   // hlt
            int leaf = a.size();
            a.bytes("49FFC2C3");             // inc r10; ret
            int[] fn = new int[FUNCTIONS];
            for (int f = 0; f < FUNCTIONS; f++) {
                fn[f] = a.size();
                for (int n = rnd.nextInt(3); n > 0; n--) {
                    a.bytes(ALU[rnd.nextInt(ALU.length)]);
                }
                if (rnd.nextInt(3) == 0) {
                    int site = a.size() + 1;
                    a.bytes("E800000000");   // call leaf
                    a.patchRel32(site, leaf);
                }
                switch (rnd.nextInt(4)) {
                    case 0:
                        a.bytes("4883042401C3"); // add qword [rsp], 1; ret (past the NOP)
                        break;
                    case 1:
                        a.bytes("59FFE1");       // pop rcx; jmp rcx
                        break;
                    default:
                        a.bytes("C3");
                        break;
                }
            }
            int[] cases = new int[CASES];
            for (int c = 0; c < CASES; c++) {
                cases[c] = a.size();
                a.bytes(ALU[rnd.nextInt(ALU.length)]);
                caseBacks[c] = a.size() + 1;
                a.bytes("E900000000");          // jmp join (patched below: the first join)
            }
            for (int c = 0; c < CASES; c++) {
                a.patchRel32(caseBacks[c], joins > 0 ? caseJoins[0] : loop);
            }
            for (int k = 0; k < calls; k++) {
                a.patchRel32(callSites[k], fn[callees[k]]);
            }
            while (a.size() % 8 != 0) {
                a.bytes("CC");
            }
            int table = a.size();
            a.patchRel32(leaRbx + 3, table);
            for (int f = 0; f < 4; f++) {
                long target = Fixtures.CODE + fn[rnd.nextInt(FUNCTIONS)];
                a.le64(nonCanonical && f == 3 ? target ^ 0x4000_0000_0000_0000L : target);
            }
            for (int c = 0; c < CASES; c++) {
                a.le64(Fixtures.CODE + cases[c]);
            }
            return a.toBytes();
        }

        private static String le32(int v) {
            return String.format("%02X%02X%02X%02X", v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, v >>> 24);
        }

        /** A byte buffer with rel32 fix-ups (offsets relative to the code start). */
        static final class Asm {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            int size() {
                return out.size();
            }

            void bytes(String hex) {
                out.writeBytes(HexFormat.of().parseHex(hex));
            }

            void le64(long v) {
                for (int i = 0; i < 8; i++) {
                    out.write((int) (v >>> (8 * i)));
                }
            }

            /** A rel32 at the current position pointing at {@code target}, relative to the end of the instruction (the rel32's end). */
            void rel32(int target) {
                int rel = target - (out.size() + 4);
                le32raw(rel);
            }

            void jnz(int target) {
                bytes("0F85");
                rel32(target);
            }

            private void le32raw(int v) {
                for (int i = 0; i < 4; i++) {
                    out.write(v >>> (8 * i));
                }
            }

            /** Patches the rel32 at {@code at} (ending at at + 4) to point at {@code target}. */
            void patchRel32(int at, int target) {
                pending[pendingCount][0] = at;
                pending[pendingCount++][1] = target;
            }

            private final int[][] pending = new int[256][2];
            private int pendingCount;

            byte[] toBytes() {
                byte[] b = out.toByteArray();
                for (int i = 0; i < pendingCount; i++) {
                    int at = pending[i][0];
                    int rel = pending[i][1] - (at + 4);
                    for (int k = 0; k < 4; k++) {
                        b[at + k] = (byte) (rel >>> (8 * k));
                    }
                }
                return b;
            }
        }
    }
}
