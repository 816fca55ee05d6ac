package dev.vmx4j.core.cpu;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.Seg;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code integer-vectors.txt}: one instruction (or {@code steps=N}) from a declared initial
 * state, in both engine configurations. Fails, naming the file line, on any register, RIP, flag
 * (outside the undefined mask) or watched memory that differs from what the vector declares:
 * state a vector does not mention must not change. Initial-state keys besides registers, flags and
 * memory: ds/es/ss/fs/gs (real-mode selectors) and fsbase/gsbase (64-bit bases).
 */
class InstructionVectorTest {

    private static final String FILE = "integer-vectors.txt";
    /** Memory watched for undeclared changes: the data page and the top stack page. */
    private static final long[][] WATCHED = {{0x3000, 0x1000}, {Fixtures.STACK - 0x1000, 0x1000}};

    @TestFactory
    List<DynamicTest> vectors() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                InstructionVectorTest.class.getResourceAsStream(FILE), StandardCharsets.UTF_8))) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", -1);
                if (f.length != 6) {
                    throw new IllegalStateException(FILE + ":" + no + ": expected 6 fields, found " + f.length);
                }
                int lineNo = no;
                String name = f[0].trim();
                for (boolean reference : new boolean[] {false, true}) {
                    tests.add(DynamicTest.dynamicTest(FILE + ":" + lineNo + " " + name + (reference ? " (reference)" : ""),
                            () -> run(lineNo, f, reference)));
                }
            }
        }
        return tests;
    }

    private static Map<String, Long> parse(String s) {
        Map<String, Long> m = new HashMap<>();
        for (String t : s.trim().split("\\s+")) {
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            String v = t.substring(eq + 1);
            long value = v.startsWith("-") ? Long.parseLong(v)
                    : v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
            m.put(t.substring(0, eq).toLowerCase(Locale.ROOT), value);
        }
        return m;
    }

    private static Machine machine(int mode, boolean reference) {
        if (mode == 64) {
            return Fixtures.long64(reference);
        }
        if (mode == 32) {
            return Fixtures.prot32(reference);
        }
        Machine m = Machine.builder().memorySize(4L << 20).referenceMode(reference).build();
        m.setSegment(Seg.CS, 0x1000, 0x10000, 0xFFFF, 0x9B);
        m.setRip(0);
        return m;
    }

    private static void run(int lineNo, String[] f, boolean reference) {
        String where = FILE + ":" + lineNo + " " + f[0].trim() + (reference ? " (reference)" : "") + ": ";
        int mode = Integer.parseInt(f[1].trim());
        byte[] code = Guest.bytes(f[2].trim());
        Map<String, Long> init = parse(f[3]);
        Map<String, Long> exp = parse(f[4]);
        long undefined = f[5].isBlank() ? 0 : Long.decode(f[5].trim());
        Machine m = machine(mode, reference);
        long codeBase = mode == 16 ? 0x10000 : Fixtures.CODE;
        m.memory().load(codeBase, code);
        for (Reg reg : Reg.values()) {
            m.setReg(reg, reg == Reg.RSP ? Fixtures.STACK : 0);
        }
        List<String> memKeys = new ArrayList<>();
        for (Map.Entry<String, Long> e : init.entrySet()) {
            apply(m, e.getKey(), e.getValue(), where);
        }
        for (String k : exp.keySet()) {
            if (k.startsWith("m")) {
                memKeys.add(k);
            }
        }
        byte[][] before = snapshot(m);
        long rip0 = m.rip();
        long[] gpr0 = new long[16];
        for (Reg reg : Reg.values()) {
            gpr0[reg.number()] = m.reg(reg);
        }
        long flags0 = m.rflags();
        List<Integer> vectors = new ArrayList<>();
        m.addExceptionListener((v, e, has) -> vectors.add(v));
        long steps = exp.getOrDefault("steps", 1L);
        // Run until the requested instructions retired or the first exception was raised.
        for (int i = 0; i < steps && vectors.isEmpty(); i++) {
            m.run(RunLimits.unlimited().maxInstructions(1));
        }
        if (exp.containsKey("exc")) {
            check(where + "exception", exp.get("exc"), vectors.isEmpty() ? -1L : (long) vectors.get(0));
            // A fault changes no general register (delivery moved RSP and RIP to the handler).
            for (Reg reg : Reg.values()) {
                if (reg != Reg.RSP) {
                    check(where + reg.name().toLowerCase(Locale.ROOT) + " after the fault", gpr0[reg.number()], m.reg(reg));
                }
            }
            return;
        }
        check(where + "exceptions raised", 0L, (long) vectors.size());
        for (Reg reg : Reg.values()) {
            String k = reg.name().toLowerCase(Locale.ROOT);
            check(where + k, exp.getOrDefault(k, gpr0[reg.number()]), m.reg(reg));
        }
        long len = code.length;
        check(where + "rip", exp.getOrDefault("rip", steps == 1 ? rip0 + len : m.rip()), m.rip());
        long wantFlags = exp.getOrDefault("flags", flags0) | 2;
        if (((m.rflags() ^ wantFlags) & ~undefined) != 0) {
            throw new AssertionError(where + String.format("rflags expected %#x but was %#x (undefined mask %#x)",
                    wantFlags, m.rflags(), undefined));
        }
        for (String k : memKeys) {
            int size = Integer.parseInt(k.substring(1, k.indexOf('['))) / 8;
            long addr = Long.decode(k.substring(k.indexOf('[') + 1, k.indexOf(']')));
            long got = size == 8 ? m.memory().read64(addr) : size == 4 ? m.memory().read32(addr) & 0xFFFFFFFFL
                    : size == 2 ? m.memory().read16(addr) : m.memory().read8(addr);
            check(where + k, exp.get(k), got);
        }
        byte[][] after = snapshot(m);
        for (int w = 0; w < WATCHED.length; w++) {
            for (int i = 0; i < before[w].length; i++) {
                long a = WATCHED[w][0] + i;
                if (before[w][i] != after[w][i] && !declared(memKeys, a)) {
                    throw new AssertionError(where + String.format("undeclared memory change at %#x", a));
                }
            }
        }
    }

    private static boolean declared(List<String> keys, long a) {
        for (String k : keys) {
            int size = Integer.parseInt(k.substring(1, k.indexOf('['))) / 8;
            long addr = Long.decode(k.substring(k.indexOf('[') + 1, k.indexOf(']')));
            if (a >= addr && a < addr + size) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] snapshot(Machine m) {
        byte[][] s = new byte[WATCHED.length][];
        for (int w = 0; w < WATCHED.length; w++) {
            s[w] = new byte[(int) WATCHED[w][1]];
            m.memory().read(WATCHED[w][0], s[w], 0, s[w].length);
        }
        return s;
    }

    private static void apply(Machine m, String k, long v, String where) {
        if (k.equals("flags")) {
            m.setRflags(v);
        } else if (k.equals("ds") || k.equals("es") || k.equals("ss") || k.equals("fs") || k.equals("gs")) {
            // Real mode: a selector with base = selector * 16.
            m.setSegment(Seg.valueOf(k.toUpperCase(Locale.ROOT)), (int) v, v << 4, 0xFFFF, 0x93);
        } else if (k.equals("fsbase") || k.equals("gsbase")) {
            Seg s = k.equals("fsbase") ? Seg.FS : Seg.GS;
            dev.vmx4j.core.Segment cur = m.segment(s);
            m.setSegment(s, cur.selector(), v, cur.limit(), cur.accessRights());
        } else if (k.startsWith("m")) {
            int size = Integer.parseInt(k.substring(1, k.indexOf('['))) / 8;
            long addr = Long.decode(k.substring(k.indexOf('[') + 1, k.indexOf(']')));
            for (int i = 0; i < size; i++) {
                m.memory().write8(addr + i, (int) (v >>> (8 * i)));
            }
        } else {
            m.setReg(Reg.valueOf(k.toUpperCase(Locale.ROOT)), v);
        }
    }

    private static void check(String what, long expected, long actual) {
        if (expected != actual) {
            throw new AssertionError(what + String.format(" expected %#x but was %#x", expected, actual));
        }
    }
}
