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

    /** Lines as the parser counts them (BufferedReader line terminators). */
    private static int lineCount(String text) throws IOException {
        BufferedReader r = new BufferedReader(new StringReader(text));
        int n = 0;
        while (r.readLine() != null) {
            n++;
        }
        return n;
    }

    private static final String[] WORDS = {"name", "maxphyaddr", "cpuid", "msr", "*", "#", "0x", "0X1f", "0x_",
        "-1", "40", "52", "53", "31", "0xffffffffffffffff", "0x10000000000000000", "9223372036854775808",
        "", " ", "\t", "\r", "\n", "\r\n", "x", "name name", "\u00e9", "0x48c"};

    /** Seeded property test (runs in every build): 5,000 texts built from profile tokens. */
    @Test
    void seededRandomTexts_parseOrNameTheBadLine() throws IOException {
        SplittableRandom random = new SplittableRandom(0x9A0F11EL);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder text = new StringBuilder();
            int tokens = random.nextInt(40);
            for (int i = 0; i < tokens; i++) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(3) == 0 ? "\n" : " ");
            }
            anyText_parsesOrNamesTheBadLine(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (parsed < 20 || rejected < 20) {
            throw new AssertionError("generator too weak: " + parsed + " parsed, " + rejected + " rejected");
        }
    }
}
