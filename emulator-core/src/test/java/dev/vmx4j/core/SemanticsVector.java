package dev.vmx4j.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One line of a {@code semantics/*.txt} vector file: an instruction, the initial state, the
 * expected changes (with the final RIP: the branch target if the instruction transferred
 * control, else the address after it) and what the SDM leaves undefined. The format is documented in each file's
 * header and in {@code docs/CONFORMANCE.md}; {@link #parse} reads it.
 */
record SemanticsVector(
        String file,
        int line,
        String text,
        byte[] bytes,
        long[] initialRegs,
        long initialRflags,
        List<Run> initialMemory,
        long[] expectedRegs,
        long expectedRip,
        long expectedRflags,
        List<Run> changedMemory,
        long undefinedFlags,
        int undefinedRegs) {

    /** Guest-physical (and linear) address of the 64 KiB data area all operands live in. */
    static final long DATA_BASE = 0x1000_0000L;
    static final int DATA_SIZE = 0x1_0000;
    /** Where the instruction under test is placed. */
    static final long INSN_ADDR = 0x1002_0800L;
    /** RSP of a vector that does not list it (inside the data area). */
    static final long DEFAULT_RSP = 0x1000_F000L;

    static final String[] REG_NAMES = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};

    /** A run of bytes at an address. */
    record Run(long address, byte[] data) {
    }

    /** The value of a register the vector does not list: distinct per register number. */
    static long defaultReg(int n) {
        return n == 4 ? DEFAULT_RSP : 0x5EED_0000_0000_0000L | (n * 0x0101_0101_0101L);
    }

    /** The mnemonic (first word after any prefixes; "cmp; seta" for a sequence) for grouping. */
    String mnemonic() {
        StringBuilder sb = new StringBuilder();
        for (String part : text.split("; ")) {
            sb.append(sb.length() == 0 ? "" : "; ").append(firstMnemonic(part));
        }
        return sb.toString();
    }

    private static String firstMnemonic(String instruction) {
        for (String w : instruction.split(" ")) {
            if (!w.equals("lock") && !w.startsWith("rep") && !w.equals("addr32") && !w.startsWith("{")) {
                return w;
            }
        }
        return instruction;
    }

    /** 1, or the number of instructions of a sequence ("std; rep stosq"). */
    int instructionCount() {
        return text.split("; ").length;
    }

    boolean hasRepPrefix() {
        return text.startsWith("rep") || text.contains(" rep");
    }

    String location() {
        return file + ":" + line;
    }

    static List<SemanticsVector> readAll(String file, InputStream in) {
        List<SemanticsVector> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String s;
            int line = 0;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank() || s.startsWith("#")) {
                    continue;
                }
                out.add(parse(file, line, s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static SemanticsVector parse(String file, int line, String s) {
        String[] f = s.split(" \\| ", -1);
        if (f.length != 10) {
            throw new IllegalArgumentException(file + ":" + line + ": expected 10 fields, found " + f.length);
        }
        try {
            long[] initial = new long[16];
            for (int n = 0; n < 16; n++) {
                initial[n] = defaultReg(n);
            }
            readRegs(f[2], initial);
            long[] expected = new long[17];
            System.arraycopy(initial, 0, expected, 0, 16);
            expected[16] = INSN_ADDR + f[1].length() / 2;
            readRegs(f[5], expected);
            int undefRegs = 0;
            if (!f[9].equals("-")) {
                for (String name : f[9].split(" ")) {
                    undefRegs |= 1 << regNumber(name);
                }
            }
            return new SemanticsVector(file, line, f[0], HexFormat.of().parseHex(f[1]), initial,
                    Long.parseUnsignedLong(f[3], 16), readMem(f[4]), Arrays.copyOf(expected, 16), expected[16],
                    Long.parseUnsignedLong(f[6], 16), readMem(f[7]), Long.parseUnsignedLong(f[8], 16), undefRegs);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ":" + line + ": " + e.getMessage(), e);
        }
    }

    /** Reads name=hex pairs into regs by register number; "rip" goes to regs[16] if present. */
    private static void readRegs(String field, long[] regs) {
        if (field.equals("-")) {
            return;
        }
        for (String kv : field.split(" ")) {
            int eq = kv.indexOf('=');
            String name = kv.substring(0, eq);
            int n = name.equals("rip") && regs.length > 16 ? 16 : regNumber(name);
            regs[n] = Long.parseUnsignedLong(kv.substring(eq + 1), 16);
        }
    }

    private static List<Run> readMem(String field) {
        List<Run> runs = new ArrayList<>();
        if (field.equals("-")) {
            return runs;
        }
        for (String run : field.split(" ")) {
            int colon = run.indexOf(':');
            long address = Long.parseUnsignedLong(run.substring(0, colon), 16);
            byte[] data = HexFormat.of().parseHex(run.substring(colon + 1));
            if (address < DATA_BASE || address + data.length > DATA_BASE + DATA_SIZE) {
                throw new IllegalArgumentException("memory run at 0x" + Long.toHexString(address)
                        + " lies outside the data area");
            }
            runs.add(new Run(address, data));
        }
        return runs;
    }

    static int regNumber(String name) {
        for (int n = 0; n < 16; n++) {
            if (REG_NAMES[n].equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown register " + name);
    }
}
