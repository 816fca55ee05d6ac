package dev.vmx4j.core.decoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The opcode maps, parsed once at class initialisation from their rows (see
 * {@link OneByteOpcodeMap} for the syntax) into flat {@code int} arrays.
 *
 * <p>Each opcode of each map owns a block of slots in {@link #SLOTS}; the block has one slot per
 * combination of the selectors its rows use (mandatory prefix x ModRM.reg x mod x r/m), so a
 * look-up is {@code SLOTS[BASE[map][op] + pfx*sP + reg*sR + modIsReg*sM + rm*sX]}. A slot holds a
 * descriptor index; descriptor 0 means "invalid". For each slot the most specific matching row
 * wins; two equally specific rows for one slot are a table bug reported by {@link #problems()}.
 *
 * <p>The rows are the source. What parsing them builds is also kept, encoded, in the resource
 * {@value #RESOURCE} beside this class, with a hash of every row, and the initialiser reads it:
 * a run does not parse 720 rows in the bytecode interpreter (about 10 ms of CPU at the first
 * decode) nor load the row classes. The build writes the resource from the rows it just compiled
 * ({@link OpcodeTablesResource}, phase {@code process-classes} of emulator-core/pom.xml), so it
 * is never committed and never stale in a jar; {@code OpcodeTablesResourceTest} checks it. With
 * assertions enabled (as the tests run) the initialiser also hashes the rows and parses them
 * instead of reading a resource of other rows (classes compiled without the build step).
 * Without the resource the rows are parsed.
 */
final class OpcodeTables {
    private OpcodeTables() {
    }

    static final int MAP_ONE_BYTE = 0;
    static final int MAP_0F = 1;
    static final int MAP_0F38 = 2;
    static final int MAP_0F3A = 3;
    static final int MAP_VEX_0F = 4;
    static final int MAP_VEX_0F38 = 5;
    static final int MAP_VEX_0F3A = 6;
    static final int MAP_COUNT = 7;

    /** Mandatory-prefix selector values (slot index along the prefix axis). */
    static final int PFX_NONE = 0;
    static final int PFX_66 = 1;
    static final int PFX_F3 = 2;
    static final int PFX_F2 = 3;

    // Descriptor flags.
    static final int F_LOCK = 1;
    static final int F_D64 = 1 << 1;
    static final int F_F64 = 1 << 2;
    static final int F_I64 = 1 << 3;
    static final int F_O64 = 1 << 4;
    static final int F_CC = 1 << 5;
    static final int F_MODRM = 1 << 6;
    static final int F_MEMW = 1 << 7;
    static final int F_UIMM = 1 << 8;
    static final int F_STR = 1 << 9;
    static final int F_PUSHIMM = 1 << 10;
    /** The row is keyed on a mandatory 66, F3 or F2: that prefix is part of the opcode. */
    static final int F_MANDATORY = 1 << 11;
    /** PREFIX/ESCAPE marker rows: handled before look-up, complete by definition. */
    static final int F_MARKER = 1 << 12;
    // PERF: operand facts the decoder would otherwise find by looping over the specs.
    /** An operand is {@code R}: ModRM.mod is ignored, r/m is always a register (MOV CR/DR). */
    static final int F_RM_ALWAYS_REG = 1 << 13;
    /** An operand is {@code N} or {@code U}: a memory form is #UD. */
    static final int F_REG_ONLY = 1 << 14;
    /** An operand is {@code M}: a register form is #UD. */
    static final int F_MEM_ONLY = 1 << 15;
    /** An operand is {@code B} (VEX.vvvv names a register). */
    static final int F_VEX_REG = 1 << 16;

    /** Per descriptor: Mnemonic ordinal for operand size 16, 32, 64 (3 ints each). */
    static final int[] MNEMONIC;
    /** Per descriptor: 4 operand specs ({@link OperandSpec}). */
    static final int[] OPERANDS;
    static final int[] OPERAND_COUNT;
    static final int[] FLAGS;

    /** [map][opcode]: first slot of the opcode's block. */
    static final int[][] BASE;
    /** [map][opcode]: packed strides (prefix, reg, mod, rm: 8 bits each, 0 = axis unused). */
    static final int[][] STRIDES;
    static final int[] SLOTS;
    /**
     * Per descriptor: for an {@code i64} row, the {@code o64} row with the same key that replaces
     * it in 64-bit mode (63: ARPL / MOVSXD), else 0.
     */
    static final int[] ALT64;

    /** Per descriptor: its row (see {@link Tables}). */
    private static final int[] ROW_REF;

    /** The encoded tables, a resource in this package (see the class comment). */
    static final String RESOURCE = "opcode-tables.bin";
    /** True when the tables came from {@link #RESOURCE}, false when the rows were parsed. */
    static final boolean FROM_RESOURCE;

    private static final Mnemonic[] MNEMONICS = Mnemonic.values();

    // PERF: the initialiser assigns each static field once, from a Tables value built elsewhere.
    // While a class is being initialised, the bytecode interpreter cannot cache the resolution of
    // its static fields and methods: every GETSTATIC/PUTSTATIC/INVOKESTATIC of them (here or in a
    // class it calls) goes through the VM's resolution again, which made thousands of slow calls.
    static {
        Tables t = Tables.read();
        if (t != null && Tables.staleWhenChecked(t)) {
            t = null;
        }
        FROM_RESOURCE = t != null;
        if (t == null) {
            t = Builder.build(Tables.sources());
        }
        SLOTS = t.slots;
        BASE = t.base;
        STRIDES = t.strides;
        MNEMONIC = t.mnemonic;
        OPERANDS = t.operands;
        OPERAND_COUNT = t.operandCount;
        FLAGS = t.flags;
        ALT64 = t.alt64;
        ROW_REF = t.rowRef;
    }

    /** The row text descriptor {@code desc} came from (for diagnostics and the self-check). */
    static String rowText(int desc) {
        int ref = ROW_REF[desc];
        return ref < 0 ? Tables.INVALID_TEXT : Tables.sources()[ref >>> 16][ref & 0xFFFF];
    }

    static Mnemonic mnemonic(int desc, int opSize) {
        int idx = opSize == 8 ? 2 : opSize == 4 ? 1 : 0;
        return MNEMONICS[MNEMONIC[desc * 3 + idx]];
    }

    /**
     * Table problems found while parsing (malformed rows, conflicting rows); empty when the tables
     * are sound. Parses the rows again (for tests and tools).
     */
    static List<String> problems() {
        return Collections.unmodifiableList(parse().problems);
    }

    /** The tables the rows build, parsed now (for tests and tools). */
    static Tables parse() {
        return Builder.build(Tables.sources());
    }

    /** Number of descriptors (index 0 is the shared "invalid" descriptor). */
    static int descriptorCount() {
        return FLAGS.length;
    }

    /**
     * {@code text} cut at each {@code sep} (a run of spaces is one separator for {@code ' '}),
     * as the rows' syntax separates its fields, mnemonics and operands.
     */
    static String[] words(String text, char sep) {
        return text.split(sep == ' ' ? " +" : "\\" + sep);
    }

    /**
     * The tables as the initialiser assigns them, parsed from the rows ({@link Builder#build}) or
     * read from {@link #RESOURCE}; {@code rowRef} names each descriptor's row (its source table
     * in bits 16 and up, its index in the low 16 bits; -1 for descriptor 0).
     */
    static final class Tables {
        static final String INVALID_TEXT = "(invalid)";
        private static final int MAGIC = 0x544F5856; // "VXOT"
        /** Changes with the encoding; part of the hash, so an older resource is not read. */
        private static final int VERSION = 1;
        private static final int HEADER = 5;

        int[] mnemonic;
        int[] operands;
        int[] operandCount;
        int[] flags;
        int[] alt64;
        int[] rowRef;
        int[][] base;
        int[][] strides;
        int[] slots;
        /** Only when parsed. */
        final List<String> problems = new ArrayList<>();

        /** The row tables, in the order their rows are parsed (see {@link #MAPS}). */
        static String[][] sources() {
            return new String[][] {
                OneByteOpcodeMap.ROWS, GroupOpcodeMaps.ONE_BYTE, X87OpcodeMap.ROWS,
                TwoByteOpcodeMap.ROWS, GroupOpcodeMaps.TWO_BYTE, Opcode0F38Map.ROWS, Opcode0F3AMap.ROWS,
                VexOpcodeMap.MAP_0F38, VexOpcodeMap.MAP_0F3A,
            };
        }

        /** The map of each source table. */
        static final int[] MAPS = {
            MAP_ONE_BYTE, MAP_ONE_BYTE, MAP_ONE_BYTE, MAP_0F, MAP_0F, MAP_0F38, MAP_0F3A, MAP_VEX_0F38,
            MAP_VEX_0F3A,
        };

        /** A hash of the encoding version, every table's map and every row's text. */
        static int hash(String[][] sources) {
            int h = VERSION;
            for (int t = 0; t < sources.length; t++) {
                h = 31 * h + MAPS[t];
                String[] rows = sources[t];
                for (int i = 0; i < rows.length; i++) {
                    h = 31 * h + rows[i].hashCode();
                }
            }
            return h;
        }

        /** The rows' hash the tables were built from (of the resource, or of the parsed rows). */
        int hash;

        /**
         * With assertions enabled: true if {@code t} was built from other rows than these.
         * Without, false: the rows are not even loaded (see the class comment).
         */
        static boolean staleWhenChecked(Tables t) {
            boolean checked = false;
            assert checked = true;
            return checked && t.hash != hash(sources());
        }

        /** The tables of {@link #RESOURCE}, or null if it is missing or malformed. */
        static Tables read() {
            byte[] bytes;
            try (InputStream in = OpcodeTables.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return null;
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                return null;
            }
            return decode(bytes);
        }

        /** The tables encoded in {@code bytes}, or null if they are malformed. */
        static Tables decode(byte[] bytes) {
            if ((bytes.length & 3) != 0 || bytes.length < HEADER * 4) {
                return null;
            }
            // PERF: one bulk copy, then arrays sliced from it
            IntBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            int[] all = new int[in.remaining()];
            in.get(all);
            int n = all[3];
            int slotCount = all[4];
            if (all[0] != MAGIC || all[1] != VERSION || n <= 0 || slotCount <= 0
                    || all.length != HEADER + 13 * n + 2 * MAP_COUNT * 256 + slotCount) {
                return null;
            }
            Tables t = new Tables();
            t.hash = all[2];
            int at = HEADER;
            t.mnemonic = Arrays.copyOfRange(all, at, at += 3 * n);
            t.operands = Arrays.copyOfRange(all, at, at += 4 * n);
            t.operandCount = Arrays.copyOfRange(all, at, at += n);
            t.flags = Arrays.copyOfRange(all, at, at += n);
            t.alt64 = Arrays.copyOfRange(all, at, at += n);
            t.rowRef = Arrays.copyOfRange(all, at, at += n);
            t.base = new int[MAP_COUNT][];
            for (int m = 0; m < MAP_COUNT; m++) {
                t.base[m] = Arrays.copyOfRange(all, at, at += 256);
            }
            t.strides = new int[MAP_COUNT][];
            for (int m = 0; m < MAP_COUNT; m++) {
                t.strides[m] = Arrays.copyOfRange(all, at, at += 256);
            }
            t.slots = Arrays.copyOfRange(all, at, at + slotCount);
            return t;
        }

        /** These tables encoded for {@link #RESOURCE}. */
        byte[] encode() {
            int n = flags.length;
            int[] all = new int[HEADER + 13 * n + 2 * MAP_COUNT * 256 + slots.length];
            all[0] = MAGIC;
            all[1] = VERSION;
            all[2] = hash;
            all[3] = n;
            all[4] = slots.length;
            int at = HEADER;
            for (int[] a : new int[][] {mnemonic, operands, operandCount, flags, alt64, rowRef}) {
                System.arraycopy(a, 0, all, at, a.length);
                at += a.length;
            }
            for (int[][] a : new int[][][] {base, strides}) {
                for (int m = 0; m < MAP_COUNT; m++) {
                    System.arraycopy(a[m], 0, all, at, 256);
                    at += 256;
                }
            }
            System.arraycopy(slots, 0, all, at, slots.length);
            ByteBuffer out = ByteBuffer.allocate(all.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            out.asIntBuffer().put(all);
            return out.array();
        }
    }

    private static final class Desc {
        final int[] mnemonics = new int[3];
        final int[] operands = new int[4];
        int count;
        int flags;
        int alt64;
        int rowRef = -1;
    }

    private static final class Row {
        int pfx = -1;
        int reg = -1;
        int mod = -1;
        int rm = -1;
        int desc;

        int specificity() {
            return (pfx >= 0 ? 1 : 0) + (reg >= 0 ? 1 : 0) + (mod >= 0 ? 1 : 0) + (rm >= 0 ? 1 : 0);
        }

        boolean matches(int p, int r, int m, int x) {
            return (pfx < 0 || pfx == p) && (reg < 0 || reg == r) && (mod < 0 || mod == m) && (rm < 0 || rm == x);
        }
    }

    private static final class Builder {
        final List<Desc> descriptors = new ArrayList<>();
        @SuppressWarnings({"unchecked", "rawtypes"})
        final List<Row>[][] rows = new List[MAP_COUNT][256];
        final int[][] base = new int[MAP_COUNT][256];
        final int[][] strides = new int[MAP_COUNT][256];
        final List<String> problems = new ArrayList<>();

        Builder() {
            descriptors.add(new Desc()); // descriptor 0: "invalid"
        }

        /** The tables the rows of {@code sources} ({@link Tables#sources()}) build, with any problems. */
        static Tables build(String[][] sources) {
            Builder b = new Builder();
            for (int t = 0; t < sources.length; t++) {
                String[] rows = sources[t];
                for (int i = 0; i < rows.length; i++) {
                    b.parseRow(Tables.MAPS[t], rows[i], t << 16 | i);
                }
            }
            int n = b.descriptors.size();
            Tables t = new Tables();
            t.mnemonic = new int[n * 3];
            t.operands = new int[n * 4];
            t.operandCount = new int[n];
            t.flags = new int[n];
            t.alt64 = new int[n];
            t.rowRef = new int[n];
            for (int i = 0; i < n; i++) {
                Desc d = b.descriptors.get(i);
                System.arraycopy(d.mnemonics, 0, t.mnemonic, i * 3, 3);
                System.arraycopy(d.operands, 0, t.operands, i * 4, 4);
                t.operandCount[i] = d.count;
                t.flags[i] = d.flags;
                t.alt64[i] = d.alt64;
                t.rowRef[i] = d.rowRef;
            }
            t.slots = b.buildSlots();
            t.base = b.base;
            t.strides = b.strides;
            t.problems.addAll(b.problems);
            t.hash = Tables.hash(sources);
            return t;
        }

        private void problem(String text, String why) {
            problems.add("row \"" + text + "\": " + why);
        }

        private void parseRow(int map, String text, int rowRef) {
            String[] tok = words(text.trim(), ' ');
            if (tok.length < 3) {
                problem(text, "needs KEY MNEMONIC OPERANDS");
                return;
            }
            Row row = new Row();
            String key = tok[0];
            int colon = key.indexOf(':');
            if (colon >= 0) {
                switch (key.substring(0, colon)) {
                    case "pNP": row.pfx = PFX_NONE; break;
                    case "p66": row.pfx = PFX_66; break;
                    case "pF3": row.pfx = PFX_F3; break;
                    case "pF2": row.pfx = PFX_F2; break;
                    default: problem(text, "unknown prefix selector"); return;
                }
                key = key.substring(colon + 1);
            }
            if (key.length() < 2) {
                problem(text, "bad key");
                return;
            }
            int op = hex(key);
            if (op < 0) {
                problem(text, "bad opcode");
                return;
            }
            int i = 2;
            if (i < key.length() && key.charAt(i) == '/') {
                row.reg = digit(key, i + 1);
                i += 2;
            }
            if (i < key.length() && (key.charAt(i) == 'm' || key.charAt(i) == 'r')) {
                row.mod = key.charAt(i) == 'r' ? 1 : 0;
                i++;
            }
            if (i < key.length() && key.charAt(i) == '.') {
                row.rm = digit(key, i + 1);
                i += 2;
                if (row.mod != 1) {
                    problem(text, "an r/m selector needs the register form 'r'");
                    return;
                }
            }
            if (i != key.length() || (row.reg == -2) || (row.rm == -2)) {
                problem(text, "bad key syntax");
                return;
            }
            Desc d = new Desc();
            d.rowRef = rowRef;
            String mn = tok[1];
            boolean invalid = false;
            if (mn.equals("PREFIX") || mn.equals("ESCAPE")) {
                d.flags |= F_MARKER;
                invalid = true;
            } else if (mn.equals("INVALID")) {
                invalid = true;
            } else {
                String[] names = words(mn, '|');
                if (names.length != 1 && names.length != 3) {
                    problem(text, "mnemonic must be NAME or NAME16|NAME32|NAME64");
                    return;
                }
                for (int k = 0; k < 3; k++) {
                    String name = names[names.length == 1 ? 0 : k];
                    int ord = mnemonicOrdinal(name);
                    if (ord <= 0) {
                        problem(text, "unknown mnemonic " + name);
                        return;
                    }
                    d.mnemonics[k] = ord;
                }
            }
            if (!tok[2].equals("-")) {
                String[] ops = words(tok[2], ',');
                if (ops.length > 4) {
                    problem(text, "more than 4 operands");
                    return;
                }
                for (String o : ops) {
                    int spec = OperandSpec.parse(o);
                    if (spec < 0) {
                        problem(text, "malformed operand " + o);
                        return;
                    }
                    d.operands[d.count++] = spec;
                    if (OperandSpec.usesModrm(spec)) {
                        d.flags |= F_MODRM;
                    }
                    switch (OperandSpec.method(spec)) {
                        case OperandSpec.R: d.flags |= F_RM_ALWAYS_REG; break;
                        case OperandSpec.N: case OperandSpec.U: d.flags |= F_REG_ONLY; break;
                        case OperandSpec.M: d.flags |= F_MEM_ONLY; break;
                        case OperandSpec.B: d.flags |= F_VEX_REG; break;
                        default: break;
                    }
                }
            }
            for (int k = 3; k < tok.length; k++) {
                switch (tok[k]) {
                    case "lock": d.flags |= F_LOCK; break;
                    case "d64": d.flags |= F_D64; break;
                    case "f64": d.flags |= F_F64; break;
                    case "i64": d.flags |= F_I64; break;
                    case "o64": d.flags |= F_O64; break;
                    case "cc": d.flags |= F_CC; break;
                    case "modrm": d.flags |= F_MODRM; break;
                    case "memw": d.flags |= F_MEMW; break;
                    case "uimm": d.flags |= F_UIMM; break;
                    case "str": d.flags |= F_STR; break;
                    case "pushimm": d.flags |= F_PUSHIMM; break;
                    default: problem(text, "unknown flag " + tok[k]); return;
                }
            }
            if (row.reg >= 0 || row.mod >= 0) {
                d.flags |= F_MODRM;
            }
            if (row.pfx > PFX_NONE) {
                d.flags |= F_MANDATORY;
            }
            if ((d.flags & F_LOCK) != 0 && (d.count == 0 || !OperandSpec.isRm(d.operands[0]))) {
                problem(text, "lock needs an r/m destination");
            }
            if (invalid) {
                row.desc = 0;
                if ((d.flags & F_MARKER) != 0) {
                    row.desc = descriptors.size();
                    descriptors.add(d);
                }
            } else {
                row.desc = descriptors.size();
                descriptors.add(d);
            }
            if (rows[map][op] == null) {
                rows[map][op] = new ArrayList<>();
            }
            for (Row other : rows[map][op]) {
                if (other.pfx == row.pfx && other.reg == row.reg && other.mod == row.mod && other.rm == row.rm) {
                    Desc first = descriptors.get(other.desc);
                    if ((first.flags & F_I64) != 0 && (d.flags & F_O64) != 0 && first.alt64 == 0) {
                        first.alt64 = row.desc; // the 64-bit-mode meaning of the same encoding
                        return;
                    }
                    problem(text, "duplicates an earlier row for the same key");
                }
            }
            rows[map][op].add(row);
        }

        int[] buildSlots() {
            List<Integer> slots = new ArrayList<>();
            for (int map = 0; map < MAP_COUNT; map++) {
                for (int op = 0; op < 256; op++) {
                    List<Row> list = rows[map][op];
                    base[map][op] = slots.size();
                    if (list == null) {
                        strides[map][op] = 0;
                        slots.add(0);
                        continue;
                    }
                    boolean usePfx = false;
                    boolean useReg = false;
                    boolean useMod = false;
                    boolean useRm = false;
                    for (Row r : list) {
                        usePfx |= r.pfx >= 0;
                        useReg |= r.reg >= 0;
                        useMod |= r.mod >= 0;
                        useRm |= r.rm >= 0;
                    }
                    int sX = useRm ? 1 : 0;
                    int sM = useMod ? (useRm ? 8 : 1) : 0;
                    int inner = (useRm ? 8 : 1) * (useMod ? 2 : 1);
                    int sR = useReg ? inner : 0;
                    inner *= useReg ? 8 : 1;
                    int sP = usePfx ? inner : 0;
                    int total = inner * (usePfx ? 4 : 1);
                    strides[map][op] = sP | (sR << 8) | (sM << 16) | (sX << 24);
                    int[] block = new int[total];
                    for (int p = 0; p < (usePfx ? 4 : 1); p++) {
                        for (int r = 0; r < (useReg ? 8 : 1); r++) {
                            for (int m = 0; m < (useMod ? 2 : 1); m++) {
                                for (int x = 0; x < (useRm ? 8 : 1); x++) {
                                    block[p * sP + r * sR + m * sM + x * sX] =
                                            resolve(list, usePfx ? p : -1, useReg ? r : -1, useMod ? m : -1,
                                                    useRm ? x : -1, map, op);
                                }
                            }
                        }
                    }
                    for (int v : block) {
                        slots.add(v);
                    }
                }
            }
            int[] out = new int[slots.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = slots.get(i);
            }
            return out;
        }

        /** The most specific row of {@code list} matching the slot (p, r, m, x). */
        private int resolve(List<Row> list, int p, int r, int m, int x, int map, int op) {
            Row best = null;
            boolean tie = false;
            for (Row row : list) {
                if (!row.matches(p, r, m, x)) {
                    continue;
                }
                if (best == null || row.specificity() > best.specificity()) {
                    best = row;
                    tie = false;
                } else if (row.specificity() == best.specificity()) {
                    tie = true;
                }
            }
            if (best == null) {
                return 0;
            }
            if (tie) {
                problems.add("map " + map + " opcode " + Integer.toHexString(op) + " pfx " + p + " reg " + r
                        + " mod " + m + " rm " + x + ": two rows equally specific");
            }
            // An r/m-selected row applies to the register form only.
            if (best.rm >= 0 && m == 0) {
                return 0;
            }
            return best.desc;
        }

        /** The opcode byte: the key's first two characters as hex digits, or -1. */
        private static int hex(String key) {
            int high = Character.digit(key.charAt(0), 16);
            int low = Character.digit(key.charAt(1), 16);
            return high < 0 || low < 0 ? -1 : high << 4 | low;
        }

        private static int digit(String s, int i) {
            if (i >= s.length()) {
                return -2;
            }
            int v = s.charAt(i) - '0';
            return v >= 0 && v <= 7 ? v : -2;
        }

        private static int mnemonicOrdinal(String name) {
            try {
                return Mnemonic.valueOf(name).ordinal();
            } catch (IllegalArgumentException e) {
                return -1;
            }
        }
    }
}
