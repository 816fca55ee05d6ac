package dev.vmx4j.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the decoder and formatter against GNU objdump's answers committed under
 * {@code src/test/resources/decoder/} (see {@code src/test/scripts/gen-decoder-vectors.py}).
 * Every disagreement must be a documented entry of {@code objdump-differences.txt}.
 */
class DecoderObjdumpCrossCheckTest {

    private static final String DIR = "/decoder/";
    private static final int RANDOM_PER_MODE = 34000;
    private static final long RANDOM_SEED = 0x5EEDDEC0L;
    private static final int[] RANDOM_PREFIXES = {0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x48, 0x2E, 0x64};
    private static final int[] RANDOM_0F = {0x01, 0x00, 0xC7, 0xAE, 0xBA, 0x38, 0x3A, 0x1E};
    private static final int[] RANDOM_VEX_OP = {0xF0, 0xF1, 0xF2, 0xF3, 0xF5, 0xF6, 0xF7};
    private static final int[] RANDOM_0F38_OP = {0x80, 0x81, 0x82, 0xF0, 0xF1, 0xF6};
    private static final Set<String> PREFIX_WORDS = Set.of("lock", "rep", "repz", "repnz", "repe", "repne",
            "data16", "data32", "addr16", "addr32", "cs", "ds", "es", "ss", "fs", "gs", "bnd", "notrack",
            "xacquire", "xrelease");
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a",
        "s", "ns", "p", "np", "l", "ge", "le", "g"};

    private static final List<KnownDifference> DIFFERENCES = loadDifferences();
    /** {@code -Ddecoder.showExcused=true} lists every case a known difference excuses. */
    private static final boolean SHOW_EXCUSED = Boolean.getBoolean("decoder.showExcused");
    private static boolean curatedRan;
    private static boolean randomRan;

    private final Decoder decoder = new Decoder();
    private final DecodedInstruction insn = new DecodedInstruction();
    private final DecodedInstruction scratch = new DecodedInstruction();

    /** One line of objdump-differences.txt and how many cases it excused. */
    private static final class KnownDifference {
        final String name;
        final Pattern pattern;
        final int line;
        int used;

        KnownDifference(String name, Pattern pattern, int line) {
            this.name = name;
            this.pattern = pattern;
            this.line = line;
        }
    }

    /** Counters and failures of one run over a vector set. */
    private static final class Tally {
        final List<String> failures = new ArrayList<>();
        int agreed;
        int unsupported;
        int split;
        int lockChecked;
        int excused;

        void fail(String where, String message) {
            if (failures.size() < 40) {
                failures.add(where + ": " + message);
            } else if (failures.size() == 40) {
                failures.add("... more failures omitted");
            }
        }
    }

    @Test
    void curatedVectors_lengthsMnemonicsAndOperandTextAgreeWithObjdump() throws IOException {
        Tally t = new Tally();
        int lineNo = 0;
        try (BufferedReader r = open("curated.txt", false)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(", ", 5);
                byte[] bytes = hex(f[0]);
                int mode = Integer.parseInt(f[1]);
                long address = Long.parseLong(f[2], 16);
                int objLen = f[3].equals("-") ? -1 : Integer.parseInt(f[3]);
                check(t, "curated.txt:" + lineNo, mode, bytes, bytes.length, address, objLen, f[4]);
            }
        }
        curatedRan = true;
        assertThat(t.failures).as("curated vectors disagreeing with objdump (agreed on %d)", t.agreed).isEmpty();
        // the set must really exercise the decoder: most cases are full agreements
        assertThat(t.agreed).isGreaterThan(20000);
    }

    @Test
    void randomBytes_neverThrow_andLengthsAndTextAgreeWithObjdump() throws IOException {
        Tally t = new Tally();
        for (int mode : new int[] {16, 32, 64}) {
            long[] state = {RANDOM_SEED + mode};
            try (BufferedReader r = open("random-" + mode + ".txt.gz", true)) {
                for (int i = 0; i < RANDOM_PER_MODE; i++) {
                    byte[] bytes = sequence(state, i);
                    String line = r.readLine();
                    String where = "random-" + mode + ".txt.gz:" + (i + 1);
                    int objLen = -1;
                    String text = "(bad)";
                    if (!line.equals("bad")) {
                        int sp = line.indexOf(' ');
                        objLen = Integer.parseInt(line.substring(0, sp));
                        text = line.substring(sp + 1);
                    }
                    // each sequence sat at the start of its own 32-byte block of objdump's input
                    check(t, where, mode, bytes, 15, 32L * i, objLen, text);
                }
            }
        }
        randomRan = true;
        assertThat(t.failures).as("random sequences disagreeing with objdump (agreed on %d)", t.agreed).isEmpty();
        assertThat(t.agreed).isGreaterThan(60000);
    }

    @AfterAll
    static void everyKnownDifference_isStillNeeded() {
        if (!curatedRan || !randomRan) {
            return; // only meaningful when both vector sets ran
        }
        List<String> unused = new ArrayList<>();
        for (KnownDifference d : DIFFERENCES) {
            if (d.used == 0) {
                unused.add("objdump-differences.txt:" + d.line + " " + d.name);
            }
        }
        assertThat(unused).as("known differences no case needs any more (remove them)").isEmpty();
    }

    private void check(Tally t, String where, int mode, byte[] bytes, int available, long address, int objLen,
            String objText) {
        int st;
        try {
            st = decoder.decode(bytes, 0, available, mode, insn);
        } catch (RuntimeException e) {
            t.fail(where, "decoder threw " + e + " on " + hexOf(bytes));
            return;
        }
        String ours = st == DecodeStatus.OK ? InstructionFormatter.format(insn, address) : "";
        String desc = "mode=" + mode + " bytes=" + hexOf(bytes) + " objdump=" + (objLen < 0 ? "-" : objLen) + ":"
                + stripPrefixes(objText) + " ours=" + statusName(st) + ":" + (st == DecodeStatus.OK ? insn.length : 0)
                + ":" + stripPrefixes(ours);
        if (st == DecodeStatus.OK) {
            assertNeedsMoreWhenShort(t, where, bytes, mode, insn.length);
        }
        if (objLen < 0) {
            if (st == DecodeStatus.OK) {
                excuseOrFail(t, where, desc, "decoder accepts bytes objdump rejects");
            }
            return;
        }
        String objStripped = stripPrefixes(objText);
        if (objStripped.isEmpty()) {
            t.split++; // objdump printed prefixes alone
            return;
        }
        if (st == DecodeStatus.INVALID_LOCK && prefixWords(objText).contains("lock")) {
            checkLockAlone(t, where, bytes, objLen, mode);
            return;
        }
        if (st != DecodeStatus.OK) {
            if (!supported(firstWord(objStripped))) {
                t.unsupported++;
                return;
            }
            excuseOrFail(t, where, desc, "decoder rejects an instruction it supports");
            return;
        }
        if (insn.length != objLen) {
            excuseOrFail(t, where, desc, "length " + insn.length + " but objdump " + objLen);
            return;
        }
        String oursStripped = stripPrefixes(ours);
        if (!oursStripped.equals(objStripped)) {
            excuseOrFail(t, where, desc, "text \"" + oursStripped + "\" but objdump \"" + objStripped + "\"");
            return;
        }
        t.agreed++;
    }

    /** SDM "Instruction Format": fewer bytes than the instruction needs ask for more, never INVALID. */
    private void assertNeedsMoreWhenShort(Tally t, String where, byte[] bytes, int mode, int length) {
        int st = decoder.decode(bytes, 0, length - 1, mode, scratch);
        if (st != DecodeStatus.NEED_MORE_BYTES) {
            t.fail(where, "with " + (length - 1) + " of " + length + " bytes the status is " + statusName(st));
        }
    }

    /** objdump prints LOCK on anything; the SDM makes it #UD. The rest must still decode. */
    private void checkLockAlone(Tally t, String where, byte[] bytes, int objLen, int mode) {
        byte[] without = new byte[bytes.length];
        int n = 0;
        int removed = 0;
        boolean inPrefixes = true;
        for (byte b : bytes) {
            if (inPrefixes && (b & 0xFF) == 0xF0) {
                removed++;
                continue;
            }
            if (!isLegacyPrefix(b & 0xFF)) {
                inPrefixes = false;
            }
            without[n++] = b;
        }
        int st = decoder.decode(without, 0, n, mode, scratch);
        if (st != DecodeStatus.OK || scratch.length != objLen - removed) {
            t.fail(where, "INVALID_LOCK, but without LOCK the bytes give status " + statusName(st));
            return;
        }
        t.lockChecked++;
    }

    private static boolean isLegacyPrefix(int b) {
        switch (b) {
            case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65: case 0x66: case 0x67:
            case 0xF0: case 0xF2: case 0xF3:
                return true;
            default:
                return false;
        }
    }

    private static void excuseOrFail(Tally t, String where, String desc, String message) {
        for (KnownDifference d : DIFFERENCES) {
            if (d.pattern.matcher(desc).find()) {
                d.used++;
                t.excused++;
                if (SHOW_EXCUSED) {
                    System.out.println("excused by " + d.name + ": " + where + " " + desc);
                }
                return;
            }
        }
        t.fail(where, message + "   [" + desc + "]");
    }

    /** Words the formatter can produce as a mnemonic (with objdump's w/d/q size suffixes). */
    private static final Set<String> SUPPORTED = supportedWords();

    private static Set<String> supportedWords() {
        Set<String> s = new HashSet<>();
        for (Mnemonic m : Mnemonic.values()) {
            s.add(m.text());
        }
        for (String cc : CC) {
            s.add("j" + cc);
            s.add("set" + cc);
            s.add("cmov" + cc);
        }
        s.addAll(List.of("movabs", "jcxz", "jecxz", "jrcxz", "retf", "shl", "prefetchnta", "prefetcht0",
                "prefetcht1", "prefetcht2", "prefetchw", "prefetchwt1", "xchg"));
        return s;
    }

    /** Mnemonics objdump writes with a w/d/q operand-size suffix. */
    private static final Set<String> SUFFIXED = Set.of("push", "pop", "ret", "retf", "enter", "leave", "call", "jmp",
            "iret", "pushf", "popf", "pusha", "popa", "lgdt", "lidt", "sgdt", "sidt", "sysret", "sysexit");

    private static boolean supported(String word) {
        if (SUPPORTED.contains(word)) {
            return true;
        }
        char last = word.isEmpty() ? ' ' : word.charAt(word.length() - 1);
        return (last == 'w' || last == 'd' || last == 'q') && SUFFIXED.contains(word.substring(0, word.length() - 1));
    }

    static String stripPrefixes(String text) {
        String[] w = text.split(" ");
        int i = 0;
        while (i < w.length && (PREFIX_WORDS.contains(w[i]) || w[i].startsWith("rex"))) {
            i++;
        }
        return String.join(" ", java.util.Arrays.asList(w).subList(i, w.length));
    }

    private static List<String> prefixWords(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.split(" ")) {
            if (!PREFIX_WORDS.contains(w) && !w.startsWith("rex")) {
                break;
            }
            out.add(w);
        }
        return out;
    }

    private static String firstWord(String s) {
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    /** The seeded sequence i (SplitMix64); must match random_sequences() in the generator script. */
    static byte[] sequence(long[] state, int i) {
        long a = splitMix(state);
        long b = splitMix(state);
        byte[] s = new byte[15];
        for (int k = 0; k < 8; k++) {
            s[k] = (byte) (a >>> (8 * k));
        }
        for (int k = 0; k < 7; k++) {
            s[8 + k] = (byte) (b >>> (8 * k));
        }
        switch (i % 6) {
            case 1:
                s[0] = 0x0F;
                break;
            case 2:
                s[0] = (byte) RANDOM_PREFIXES[s[14] & 7];
                break;
            case 3:
                s[0] = 0x0F;
                s[1] = (byte) RANDOM_0F[s[14] & 7];
                break;
            case 4: // VEX (BMI maps 0F38/0F3A, VEX.L = 0)
                s[0] = (byte) 0xC4;
                s[1] = (byte) ((s[1] & 0xE0) | (2 + (s[14] & 1)));
                s[2] = (byte) (s[2] & 0xFB);
                s[3] = (byte) RANDOM_VEX_OP[(s[13] & 0xFF) % 7];
                break;
            case 5:
                s[0] = 0x0F;
                s[1] = 0x38;
                s[2] = (byte) RANDOM_0F38_OP[(s[13] & 0xFF) % 6];
                break;
            default:
                break;
        }
        return s;
    }

    private static long splitMix(long[] state) {
        state[0] += 0x9E3779B97F4A7C15L;
        long z = state[0];
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static String statusName(int st) {
        switch (st) {
            case DecodeStatus.OK: return "OK";
            case DecodeStatus.NEED_MORE_BYTES: return "NEED_MORE_BYTES";
            case DecodeStatus.INVALID: return "INVALID";
            case DecodeStatus.INVALID_LOCK: return "INVALID_LOCK";
            case DecodeStatus.TOO_LONG: return "TOO_LONG";
            default: return "?" + st;
        }
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String hexOf(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(String.format(Locale.ROOT, "%02x", x & 0xFF));
        }
        return sb.toString();
    }

    private static BufferedReader open(String name, boolean gz) throws IOException {
        InputStream in = DecoderObjdumpCrossCheckTest.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + DIR + name);
        }
        if (gz) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static List<KnownDifference> loadDifferences() {
        List<KnownDifference> list = new ArrayList<>();
        try (BufferedReader r = open("objdump-differences.txt", false)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" \\| ", 3);
                if (f.length != 3) {
                    throw new IllegalStateException("objdump-differences.txt:" + n + " needs name | regex | reason");
                }
                list.add(new KnownDifference(f[0].trim(), Pattern.compile(f[1].trim()), n));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return list;
    }
}
