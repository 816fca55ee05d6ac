package dev.vmx4j.vmx.profile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.util.SplittableRandom;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of {@link CpuProfile#parse} (Jazzer; see docs/FUZZING.md): any text
 * (the input bytes as UTF-8) either parses into a profile with a name and a MAXPHYADDR in
 * 32..52, or fails with an {@link IllegalArgumentException} whose message starts with the source
 * name and, unless the whole file lacks a {@code name} line, the number of an existing line.
 * Nothing else may escape.
 */
class CpuProfileFuzzTest {

    private static final String SOURCE = "fuzz.profile";
    private static final Pattern LINE = Pattern.compile(Pattern.quote(SOURCE) + ":(\\d+): .+", Pattern.DOTALL);

    /** Outcome counts, so the seeded test can show its generator reaches both. */
    private int parsed;
    private int rejected;

    @FuzzTest(maxDuration = "20s")
    void anyText_parsesOrNamesTheBadLine(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        CpuProfile profile;
        try {
            profile = CpuProfile.parse(new StringReader(text), SOURCE);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            rejected++;
            if (message != null && message.equals(SOURCE + ": profile has no 'name' line")) {
                return;
            }
            Matcher m = message == null ? null : LINE.matcher(message);
            if (m == null || !m.matches()) {
                throw new AssertionError("message does not name the source line: " + message, e);
            }
            int line = Integer.parseInt(m.group(1));
            int lines = lineCount(text);
            if (line < 1 || line > lines) {
                throw new AssertionError("message names line " + line + " of " + lines + ": " + message, e);
            }
            return;
        }
        if (profile.name() == null || profile.name().isEmpty()) {
            throw new AssertionError("profile without a name from:\n" + text);
        }
        parsed++;
        int bits = profile.maxPhysicalAddressBits();
        if (bits < 32 || bits > 52) {
            throw new AssertionError("MAXPHYADDR " + bits + " from:\n" + text);
        }
    }

    private static String number(SplittableRandom random) {
        return random.nextInt(8) == 0 ? Long.toString(random.nextLong()) : NUMBERS[random.nextInt(NUMBERS.length)];
    }

    /** Lines as the parser counts them (BufferedReader line terminators). */
    private static int lineCount(String text) throws IOException {
        BufferedReader r = new BufferedReader(new StringReader(text));
        int n = 0;
        while (r.readLine() != null) {
            n++;
        }
        return n;
    }

    private static final String[] WORDS = {"name", "maxphyaddr", "cpuid", "msr", "firmware-msr", "*", "#", "0x",
        "0X1f", "0x_", "-1", "40", "52", "53", "31", "0xffffffffffffffff", "0x10000000000000000",
        "9223372036854775808", "", "\t", "x", "name name", "\u00e9", "0x48c"};
    private static final String[] NUMBERS = {"0", "1", "36", "46", "0x7", "0x80000008", "0xFFFFFFFF", "0x48c",
        "0x00d8100000000004", "-5", "0x1_0"};
    private static final String[] ENDS = {"\n", "\n", "\r\n", "\r"};

    /**
     * Seeded property test (runs in every build): 5,000 texts of profile statements (name,
     * maxphyaddr, cpuid, msr, firmware-msr, comments, blank lines) with random numbers, line
     * ends and, now and then, a token replaced by a random word.
     */
    @Test
    void seededRandomTexts_parseOrNameTheBadLine() throws IOException {
        SplittableRandom random = new SplittableRandom(0x9A0F11EL);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder text = new StringBuilder();
            int lines = random.nextInt(8);
            for (int i = 0; i < lines; i++) {
                String[] t;
                switch (random.nextInt(7)) {
                    case 0:
                        t = new String[] {"name", "cpu" + random.nextInt(100)};
                        break;
                    case 1:
                        t = new String[] {"maxphyaddr", Integer.toString(30 + random.nextInt(25))};
                        break;
                    case 2:
                        t = new String[] {"cpuid", number(random), random.nextBoolean() ? "*" : number(random),
                            number(random), number(random), number(random), number(random)};
                        break;
                    case 3:
                        t = new String[] {"msr", number(random), number(random)};
                        break;
                    case 4:
                        t = new String[] {"#", "comment", number(random)};
                        break;
                    case 5:
                        t = new String[] {"firmware-msr", number(random), number(random)};
                        break;
                    default:
                        t = new String[0];
                        break;
                }
                for (int k = 0; k < t.length; k++) {
                    text.append(k == 0 ? (random.nextInt(4) == 0 ? "  " : "") : random.nextInt(4) == 0 ? "\t" : " ")
                            .append(random.nextInt(12) == 0 ? WORDS[random.nextInt(WORDS.length)] : t[k]);
                }
                text.append(ENDS[random.nextInt(ENDS.length)]);
            }
            if (random.nextInt(5) != 0) {
                text.append("name last");
            }
            anyText_parsesOrNamesTheBadLine(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (parsed < 20 || rejected < 20) {
            throw new AssertionError("generator too weak: " + parsed + " parsed, " + rejected + " rejected");
        }
    }
}
