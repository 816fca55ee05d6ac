package dev.vmx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.vmx4j.core.memory.GuestMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the host-CPU instruction-semantics vectors ({@code src/test/resources/semantics}) through
 * the machine, once in the default configuration, once in reference mode and once on the
 * translating engine (every instruction translated on first sight).
 *
 * <p>Each vector executes one instruction (or a short sequence) at {@link SemanticsVector#INSN_ADDR}
 * in 64-bit mode (32-bit protected mode for {@code protected32} groups) with the listed
 * registers, RFLAGS and memory, and must end with exactly the listed changes: every
 * other general register unchanged, RFLAGS equal outside the SDM-undefined mask, every byte of the
 * data area equal to the expected image (so no stray writes), no page allocated outside the
 * pre-touched ones, and RIP advanced by the instruction length (or at the listed branch target).
 * All failures of a mnemonic are collected and reported with file, line, instruction and the
 * differing fields; a summary prints passed/failed/skipped per group and mode.
 */
class SemanticsVectorsTest {

    /**
     * Groups (file names) or mnemonics the CPU does not execute yet (it raises #UD for them):
     * their vectors are reported as skipped (JUnit assumptions), never as passed. Remove an
     * entry as soon as the CPU has it; the vectors themselves are never weakened.
     */
    static final Set<String> NOT_YET_IMPLEMENTED = Set.of();

    /**
     * {@code -Dvmx4j.semantics.runAll=true} runs the NOT_YET_IMPLEMENTED entries too (to see
     * which of them pass now); {@code -Dvmx4j.semantics.groups=alu,shift} limits the groups.
     */
    private static final boolean RUN_ALL = Boolean.getBoolean("vmx4j.semantics.runAll");
    private static final String ONLY_GROUPS = System.getProperty("vmx4j.semantics.groups", "");

    private static final String DIR = "/semantics/";
    private static final long MEMORY_SIZE = 0x1010_0000L;
    private static final long PAGE_TABLES = 0x1008_0000L;
    private static final int MAX_REPORTED = 25;
    private static final int MAX_REP_STEPS = 200;
    /** Instruction bytes of the longest vector (a sequence) plus a maximum-length instruction. */
    private static final int MAX_CODE_BYTES = 64 + 15;
    private static final Reg[] REGS = new Reg[16];
    private static final byte[] ZERO_PAGE = new byte[GuestMemory.PAGE_SIZE];
    private static final String[] FLAG_NAMES = new String[22];

    /** file:line -> cycles the vector took in the default configuration. */
    private static final Map<String, Long> DEFAULT_MODE_CYCLES = new ConcurrentHashMap<>();

    /** group -> "default"/"reference" -> {passed, failed, skipped}; printed once after all ran. */
    private static final Map<String, Map<String, int[]>> SUMMARY = new ConcurrentHashMap<>();

    static {
        for (Reg r : Reg.values()) {
            REGS[r.number()] = r;
        }
        FLAG_NAMES[0] = "CF";
        FLAG_NAMES[2] = "PF";
        FLAG_NAMES[4] = "AF";
        FLAG_NAMES[6] = "ZF";
        FLAG_NAMES[7] = "SF";
        FLAG_NAMES[8] = "TF";
        FLAG_NAMES[9] = "IF";
        FLAG_NAMES[10] = "DF";
        FLAG_NAMES[11] = "OF";
        FLAG_NAMES[14] = "NT";
        FLAG_NAMES[16] = "RF";
        FLAG_NAMES[18] = "AC";
        FLAG_NAMES[21] = "ID";
    }

    @TestFactory
    Stream<DynamicNode> vectorsMatchTheHostCpuOnSdmDefinedState() {
        List<DynamicNode> groups = new ArrayList<>();
        Map<String, String> modes = modes();
        for (String group : index().keySet()) {
            boolean protected32 = modes.get(group).equals("protected32");
            if (!ONLY_GROUPS.isEmpty() && !Arrays.asList(ONLY_GROUPS.split(",")).contains(group)) {
                continue;
            }
            Map<String, List<SemanticsVector>> byMnemonic = new LinkedHashMap<>();
            for (SemanticsVector v : load(group)) {
                // random flag chains are grouped by length, everything else by mnemonic
                String key = v.instructionCount() > 3 || group.equals("flagchains")
                        ? "chain of " + v.instructionCount() : v.mnemonic();
                byMnemonic.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
            }
            List<DynamicNode> mnemonics = new ArrayList<>();
            for (Map.Entry<String, List<SemanticsVector>> e : byMnemonic.entrySet()) {
                String mn = e.getKey();
                List<SemanticsVector> vs = e.getValue();
                mnemonics.add(dynamicContainer(mn, Stream.of(
                        dynamicTest(mn + " (default)", () -> runVectors(group, mn, vs, false, protected32)),
                        dynamicTest(mn + " (reference mode)", () -> runVectors(group, mn, vs, true, protected32)),
                        dynamicTest(mn + " (translator)", () -> runVectors(group, mn, vs, TRANSLATOR, protected32)))));
            }
            groups.add(dynamicContainer(group, mnemonics.stream()));
        }
        return groups.stream();
    }

    @Test
    void everyIndexedGroupHasItsDeclaredNumberOfVectors_andArithmeticGroupsCoverAllFourOperandSizes() {
        Map<String, Integer> index = index();
        int total = 0;
        for (Map.Entry<String, Integer> e : index.entrySet()) {
            List<SemanticsVector> vectors = load(e.getKey());
            assertThat(vectors).as("vectors in %s.txt", e.getKey()).hasSize(e.getValue());
            total += vectors.size();
        }
        assertThat(total).as("total semantics vectors").isGreaterThanOrEqualTo(5000);
        assertThat(index.keySet()).contains("alu", "unary", "mul", "div", "shift", "rotate", "shiftd",
                "bit", "bitscan", "bitcount", "bmi1", "bmi2", "adx", "mov", "movbe", "xchg", "bswap",
                "convert", "flags", "setcc", "cmovcc", "lea", "stack", "string", "addressing", "pagecross",
                "branch", "crc32", "prefixes", "legacy32", "sequences");
        assertThat(modes()).containsEntry("alu", "long64").containsEntry("legacy32", "protected32");
        for (String group : List.of("alu", "unary", "mul", "div", "shift", "rotate", "mov", "xchg")) {
            Map<String, Set<String>> sizes = new TreeMap<>();
            for (SemanticsVector v : load(group)) {
                if (Set.of("movzx", "movsx", "movsxd").contains(v.mnemonic())) {
                    continue; // sources of fixed sizes
                }
                for (String ptr : new String[] {" byte ptr", " word ptr", " dword ptr", " qword ptr"}) {
                    if (v.text().contains(ptr)) {
                        sizes.computeIfAbsent(v.mnemonic(), k -> new TreeSet<>()).add(ptr.trim());
                    }
                }
            }
            assertThat(sizes).as("memory operand sizes per mnemonic in %s.txt", group).isNotEmpty()
                    .allSatisfy((mn, s) -> assertThat(s).as(mn).hasSize(4));
        }
    }

    @Test
    void vectorParser_readsEveryField() {
        SemanticsVector v = SemanticsVector.parse("x.txt", 7,
                "add al, byte ptr [rbx] | 0203 | rax=00000000000000ff rbx=0000000010000100 | 202"
                        + " | 10000100:01 | rax=0000000000000000 | 257 | - | 0 | rcx");
        assertThat(v.bytes()).containsExactly(0x02, 0x03);
        assertThat(v.initialRegs()[0]).isEqualTo(0xFF);
        assertThat(v.initialRegs()[1]).isEqualTo(SemanticsVector.defaultReg(1));
        assertThat(v.initialRegs()[4]).isEqualTo(SemanticsVector.DEFAULT_RSP);
        assertThat(v.expectedRegs()[0]).isZero();
        assertThat(v.expectedRegs()[3]).isEqualTo(0x1000_0100L);
        assertThat(v.expectedRflags()).isEqualTo(0x257);
        assertThat(v.expectedRip()).as("no rip= listed: the next instruction").isEqualTo(SemanticsVector.INSN_ADDR + 2);
        assertThat(SemanticsVector.parse("x.txt", 8, "jmp .+0x20 | eb1e | - | 202 | - | rip=0000000010020820 | 202"
                + " | - | 0 | -").expectedRip()).isEqualTo(0x1002_0820L);
        assertThat(v.initialMemory()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo(0x1000_0100L);
            assertThat(r.data()).containsExactly(1);
        });
        assertThat(v.changedMemory()).isEmpty();
        assertThat(v.undefinedRegs()).isEqualTo(1 << 1);
        assertThat(v.mnemonic()).isEqualTo("add");
        assertThat(SemanticsVector.parse("x.txt", 9, "{disp32} jne .+0x40 | 0f853a000000 | - | 202 | - | - | 202"
                + " | - | 0 | -").mnemonic()).isEqualTo("jne");
        SemanticsVector seq = SemanticsVector.parse("x.txt", 10, "std; rep stosq | fdf348ab | - | 202 | - | - | 602"
                + " | - | 0 | -");
        assertThat(seq.instructionCount()).isEqualTo(2);
        assertThat(seq.mnemonic()).isEqualTo("std; stosq");
        assertThat(seq.hasRepPrefix()).isTrue();
    }

    @Test
    void runner_reportsEachWrongField_andIgnoresOnlyTheUndefinedFlags() {
        SemanticsVector v = load("alu").stream()
                .filter(x -> x.text().startsWith("lock add") && !x.changedMemory().isEmpty())
                .findFirst().orElseThrow();
        Runner runner = new Runner(false, false);
        assertThat(runner.run(v)).as("the unmodified vector").isNull();

        long[] regs = v.expectedRegs().clone();
        regs[15] ^= 1;
        assertThat(runner.run(copy(v, regs, v.expectedRflags(), v.changedMemory(), 0)))
                .contains("r15: expected 0x" + Long.toHexString(regs[15]));

        long cf = 1;
        assertThat(runner.run(copy(v, v.expectedRegs(), v.expectedRflags() ^ cf, v.changedMemory(), 0)))
                .contains("differing CF");
        assertThat(runner.run(copy(v, v.expectedRegs(), v.expectedRflags() ^ cf, v.changedMemory(), cf)))
                .as("CF declared undefined").isNull();

        SemanticsVector.Run changed = v.changedMemory().get(0);
        byte[] data = changed.data().clone();
        data[0] ^= 0x40;
        assertThat(runner.run(copy(v, v.expectedRegs(), v.expectedRflags(),
                List.of(new SemanticsVector.Run(changed.address(), data)), 0)))
                .contains(String.format("mem 0x%x: expected %02x", changed.address(), data[0] & 0xFF));
        assertThat(runner.run(copy(v, v.expectedRegs(), v.expectedRflags(), List.of(), 0)))
                .as("a write the vector does not declare").contains("mem 0x" + Long.toHexString(changed.address()));
    }

    private static SemanticsVector copy(SemanticsVector v, long[] regs, long rflags, List<SemanticsVector.Run> mem,
            long undef) {
        return new SemanticsVector(v.file(), v.line(), v.text(), v.bytes(), v.initialRegs(), v.initialRflags(),
                v.initialMemory(), regs, v.expectedRip(), rflags, mem, undef, v.undefinedRegs());
    }

    @AfterAll
    static void printSummary() {
        if (SUMMARY.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("semantics vectors passed/failed/skipped (NOT_YET_IMPLEMENTED: ")
                .append(new TreeSet<>(NOT_YET_IMPLEMENTED)).append(")\n");
        for (Map.Entry<String, Map<String, int[]>> e : new TreeMap<>(SUMMARY).entrySet()) {
            sb.append(String.format("  %-9s", e.getKey()));
            for (Map.Entry<String, int[]> m : new TreeMap<>(e.getValue()).entrySet()) {
                int[] c = m.getValue();
                sb.append(String.format("  %-9s %5d passed %5d failed %5d skipped", m.getKey(), c[0], c[1], c[2]));
            }
            sb.append('\n');
        }
        sb.append("  translator: ").append(TRANSLATED_BLOCKS.get()).append(" blocks translated for ")
                .append(TRANSLATOR_VECTORS.get()).append(" vectors\n");
        System.out.print(sb);
        if (TRANSLATOR_VECTORS.get() > 1000) {
            // the translator configuration must really run translated code, not only fall back
            assertThat(TRANSLATED_BLOCKS.get()).as("blocks translated for the vectors")
                    .isGreaterThan(TRANSLATOR_VECTORS.get() / 4);
        }
    }

    // ------------------------------------------------------------------ running a group

    /** Blocks the translator translated for the vectors it ran, and how many vectors it ran. */
    private static final java.util.concurrent.atomic.AtomicLong TRANSLATED_BLOCKS = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong TRANSLATOR_VECTORS = new java.util.concurrent.atomic.AtomicLong();

    /** The third configuration of {@link #runVectors}: the default one on the translating engine. */
    private static final int TRANSLATOR = 2;

    private void runVectors(String group, String mnemonic, List<SemanticsVector> vectors, boolean reference,
            boolean protected32) {
        runVectors(group, mnemonic, vectors, reference ? 1 : 0, protected32);
    }

    /** {@code config}: 0 default, 1 reference mode, 2 {@link #TRANSLATOR}. */
    private void runVectors(String group, String mnemonic, List<SemanticsVector> vectors, int config,
            boolean protected32) {
        boolean reference = config == 1;
        String mode = config == 1 ? "reference" : config == TRANSLATOR ? "translator" : "default";
        int[] counts = SUMMARY.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(mode, m -> new int[3]);
        boolean skipped = !RUN_ALL && (NOT_YET_IMPLEMENTED.contains(group) || NOT_YET_IMPLEMENTED.contains(mnemonic));
        if (skipped) {
            synchronized (counts) {
                counts[2] += vectors.size();
            }
        }
        assumeFalse(skipped, () -> group + "/" + mnemonic + " is listed in NOT_YET_IMPLEMENTED");
        Runner runner = new Runner(reference, config == TRANSLATOR, protected32);
        List<String> failures = new ArrayList<>();
        long translated = 0;
        for (SemanticsVector v : vectors) {
            long before = runner.machine == null ? 0 : runner.machine.blocksTranslated();
            String diff = runner.run(v);
            if (diff != null) {
                failures.add(v.location() + ": " + v.text() + " [" + mode + "]: " + diff);
            } else if (runner.machine != null) {
                translated += runner.machine.blocksTranslated() - before;
            }
        }
        if (config == TRANSLATOR) {
            TRANSLATED_BLOCKS.addAndGet(translated);
            TRANSLATOR_VECTORS.addAndGet(vectors.size());
        }
        synchronized (counts) {
            counts[0] += vectors.size() - failures.size();
            counts[1] += failures.size();
        }
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(failures.size()).append(" of ").append(vectors.size()).append(' ').append(mnemonic)
                    .append(" vectors of group ").append(group).append(" failed (").append(mode).append(")\n");
            for (int i = 0; i < Math.min(MAX_REPORTED, failures.size()); i++) {
                sb.append("  ").append(failures.get(i)).append('\n');
            }
            if (failures.size() > MAX_REPORTED) {
                sb.append("  ... and ").append(failures.size() - MAX_REPORTED).append(" more\n");
            }
            fail(sb.toString());
        }
    }

    /** One machine reused across the vectors of a group; rebuilt after any failure. */
    private static final class Runner {
        private final boolean reference;
        private final boolean translator;
        /** Runs in flat 32-bit protected mode; only the low halves of RAX..RDI are compared. */
        private final boolean protected32;
        private final byte[] expectedImage = new byte[SemanticsVector.DATA_SIZE];
        private final boolean[] touchedPages = new boolean[SemanticsVector.DATA_SIZE / GuestMemory.PAGE_SIZE];
        private Machine machine;
        private long allocatedPages;
        private int lastException = -1; // the first exception of the current vector

        Runner(boolean reference, boolean protected32) {
            this(reference, false, protected32);
        }

        Runner(boolean reference, boolean translator, boolean protected32) {
            this.reference = reference;
            this.translator = translator;
            this.protected32 = protected32;
        }

        private void build() {
            // The vectors come from the host CPU, which has SSE4.2 (CRC32): run them under the
            // Bochs-recorded icelake profile, which advertises it (the default profile does not).
            Machine.Builder b = Machine.builder().memorySize(MEMORY_SIZE).referenceMode(reference)
                    .profile(dev.vmx4j.vmx.profile.CpuProfile.builtIn("corei7_icelake_u"));
            if (translator) {
                b.engine(dev.vmx4j.core.Engine.TRANSLATOR).translationThreshold(1);
            }
            machine = b.build();
            if (protected32) {
                machine.enterProtectedMode();
            } else {
                machine.enterLongMode(PAGE_TABLES);
            }
            machine.addExceptionListener((vector, errorCode, hasErrorCode) -> {
                if (lastException < 0) {
                    lastException = vector;
                }
            });
            GuestMemory mem = machine.memory();
            // Allocate every page a correct instruction may write, so a stray write elsewhere
            // shows up as a newly allocated page.
            for (long a = SemanticsVector.DATA_BASE; a < SemanticsVector.DATA_BASE + SemanticsVector.DATA_SIZE;
                    a += GuestMemory.PAGE_SIZE) {
                mem.write(a, ZERO_PAGE, 0, GuestMemory.PAGE_SIZE);
            }
            mem.write(SemanticsVector.INSN_ADDR & ~0xFFFL, ZERO_PAGE, 0, GuestMemory.PAGE_SIZE);
            allocatedPages = mem.allocatedPages();
            Arrays.fill(expectedImage, (byte) 0);
            Arrays.fill(touchedPages, false);
        }

        /** Runs one vector; returns null if it matched, else a description of every difference. */
        String run(SemanticsVector v) {
            if (machine == null) {
                build();
            }
            String diff;
            try {
                diff = execute(v);
            } catch (RuntimeException e) {
                StackTraceElement[] st = e.getStackTrace();
                diff = "threw " + e + (st.length > 0 ? " at " + st[0] : "");
            }
            if (diff != null) {
                machine = null;
            } else {
                cleanUp();
            }
            return diff;
        }

        private String execute(SemanticsVector v) {
            GuestMemory mem = machine.memory();
            byte[] code = new byte[MAX_CODE_BYTES]; // also clears what an earlier, longer vector left
            System.arraycopy(v.bytes(), 0, code, 0, v.bytes().length);
            if (translator) {
                // HLT ends the translated block right after the vector's instructions
                code[v.bytes().length] = (byte) 0xF4;
            }
            mem.write(SemanticsVector.INSN_ADDR, code, 0, code.length);
            for (SemanticsVector.Run r : v.initialMemory()) {
                mem.write(r.address(), r.data(), 0, r.data().length);
                image(r);
            }
            for (SemanticsVector.Run r : v.changedMemory()) {
                image(r);
            }
            for (int n = 0; n < 16; n++) {
                machine.setReg(REGS[n], v.initialRegs()[n]);
            }
            machine.setRflags(v.initialRflags());
            machine.setRip(SemanticsVector.INSN_ADDR);
            lastException = -1;

            // One step per instruction of the vector (a sequence "a; b" has two); a REP string
            // instruction may retire one iteration per step with RIP unchanged.
            StringBuilder diff = new StringBuilder();
            long cycles = 0;
            int steps = 0;
            boolean stopped = false;
            // the translator runs a vector without REP as one block: one run of all its instructions
            boolean whole = translator && !v.hasRepPrefix();
            for (int k = 0; k < (whole ? 1 : v.instructionCount()) && !stopped; k++) {
                long before = machine.rip();
                do {
                    RunResult r = whole ? machine.run(RunLimits.unlimited().maxInstructions(v.instructionCount()))
                            : machine.step();
                    steps++;
                    cycles += r.cycles();
                    if (r.reason() != StopReason.INSTRUCTION_LIMIT || lastException >= 0) {
                        diff.append("stopped with ").append(r.reason());
                        if (lastException >= 0) {
                            diff.append(" after exception vector ").append(lastException)
                                    .append(lastException == 6 ? " (#UD)" : "");
                        }
                        diff.append("; ");
                        stopped = true;
                    }
                } while (!stopped && machine.rip() == before && v.hasRepPrefix() && steps < MAX_REP_STEPS);
            }

            // STYLE "State and speed": the fast engine and the reference configuration must end
            // in identical state and cycle counts. The default mode runs first in each container.
            if (!reference && !translator) {
                DEFAULT_MODE_CYCLES.put(v.location(), cycles);
            } else {
                Long fast = DEFAULT_MODE_CYCLES.get(v.location());
                if (fast != null && fast != cycles) {
                    diff.append(String.format("cycles: %d in default mode, %d in %s; ", fast, cycles,
                            translator ? "the translator" : "reference mode"));
                }
            }

            long expectedRip = v.expectedRip();
            if (machine.rip() != expectedRip) {
                diff.append(String.format("rip: expected 0x%x was 0x%x; ", expectedRip, machine.rip()));
            }
            for (int n = 0; n < 16; n++) {
                if ((v.undefinedRegs() & (1 << n)) != 0) {
                    continue;
                }
                long actual = machine.reg(REGS[n]);
                long compared = protected32 && n < 8 ? 0xFFFF_FFFFL : -1L;
                if (((actual ^ v.expectedRegs()[n]) & compared) != 0) {
                    diff.append(String.format("%s: expected 0x%x was 0x%x%s; ", SemanticsVector.REG_NAMES[n],
                            v.expectedRegs()[n], actual,
                            v.expectedRegs()[n] == v.initialRegs()[n] ? " (must not change)" : ""));
                }
            }
            long flagDiff = (machine.rflags() ^ v.expectedRflags()) & ~v.undefinedFlags();
            if (flagDiff != 0) {
                diff.append(String.format("rflags: expected 0x%x was 0x%x, differing %s (undefined 0x%x); ",
                        v.expectedRflags(), machine.rflags(), flagNames(flagDiff), v.undefinedFlags()));
            }
            compareMemory(diff);
            if (mem.allocatedPages() != allocatedPages) {
                diff.append("wrote memory outside the data area and the code page; ");
            }
            return diff.length() == 0 ? null : diff.substring(0, diff.length() - 2);
        }

        private void image(SemanticsVector.Run r) {
            int off = (int) (r.address() - SemanticsVector.DATA_BASE);
            System.arraycopy(r.data(), 0, expectedImage, off, r.data().length);
            for (int p = off / GuestMemory.PAGE_SIZE; p <= (off + r.data().length - 1) / GuestMemory.PAGE_SIZE; p++) {
                touchedPages[p] = true;
            }
        }

        private void compareMemory(StringBuilder diff) {
            GuestMemory mem = machine.memory();
            int reported = 0;
            for (int p = 0; p < touchedPages.length; p++) {
                long base = SemanticsVector.DATA_BASE + (long) p * GuestMemory.PAGE_SIZE;
                byte[] actual = mem.pageForRead(base);
                int off = p * GuestMemory.PAGE_SIZE;
                if (Arrays.mismatch(actual, 0, GuestMemory.PAGE_SIZE, expectedImage, off,
                        off + GuestMemory.PAGE_SIZE) < 0) {
                    continue;
                }
                for (int i = 0; i < GuestMemory.PAGE_SIZE; i++) {
                    if (actual[i] != expectedImage[off + i] && reported++ < 8) {
                        diff.append(String.format("mem 0x%x: expected %02x was %02x; ", base + i,
                                expectedImage[off + i] & 0xFF, actual[i] & 0xFF));
                    }
                }
            }
            if (reported > 8) {
                diff.append(reported - 8).append(" more memory bytes differ; ");
            }
        }

        private void cleanUp() {
            GuestMemory mem = machine.memory();
            for (int p = 0; p < touchedPages.length; p++) {
                if (touchedPages[p]) {
                    mem.write(SemanticsVector.DATA_BASE + (long) p * GuestMemory.PAGE_SIZE, ZERO_PAGE, 0,
                            GuestMemory.PAGE_SIZE);
                    Arrays.fill(expectedImage, p * GuestMemory.PAGE_SIZE, (p + 1) * GuestMemory.PAGE_SIZE, (byte) 0);
                    touchedPages[p] = false;
                }
            }
        }
    }

    private static String flagNames(long bits) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < 64; b++) {
            if ((bits & (1L << b)) != 0) {
                sb.append(sb.length() == 0 ? "" : ",")
                        .append(b < FLAG_NAMES.length && FLAG_NAMES[b] != null ? FLAG_NAMES[b] : "bit" + b);
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ resources

    private static final Map<String, List<SemanticsVector>> CACHE = new ConcurrentHashMap<>();

    static List<SemanticsVector> load(String group) {
        return CACHE.computeIfAbsent(group, g -> {
            String name = g + ".txt";
            try (InputStream in = open(name)) {
                return SemanticsVector.readAll(name, in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** group -> declared number of vectors, in index order. */
    static Map<String, Integer> index() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : indexRows().entrySet()) {
            out.put(e.getKey(), Integer.parseInt(e.getValue()[1]));
        }
        return out;
    }

    /** group -> "long64" (64-bit mode) or "protected32" (flat 32-bit protected mode). */
    static Map<String, String> modes() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : indexRows().entrySet()) {
            out.put(e.getKey(), e.getValue().length > 2 ? e.getValue()[2] : "long64");
        }
        return out;
    }

    private static Map<String, String[]> indexRows() {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open("index.txt"), StandardCharsets.US_ASCII))) {
            String s;
            while ((s = r.readLine()) != null) {
                if (s.isBlank() || s.startsWith("#")) {
                    continue;
                }
                String[] f = s.trim().split("\\s+");
                out.put(f[0], f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static InputStream open(String name) {
        InputStream in = SemanticsVectorsTest.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + DIR + name);
        }
        return in;
    }
}
