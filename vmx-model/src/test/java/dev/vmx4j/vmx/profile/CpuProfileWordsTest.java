package dev.vmx4j.vmx.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The profile lines' tokenizer cuts a trimmed line exactly as {@code split("\\s+")} does. */
class CpuProfileWordsTest {

    @Test
    void words_cutLikeSplitAtWhiteSpace_onSeededRandomLines() {
        SplittableRandom rnd = new SplittableRandom(0xC0FFEE);
        String alphabet = " \t\u000B\f\r\n\u0001x0*_";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(14);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String line = sb.toString().trim();
            if (line.isEmpty()) {
                continue; // the parser skips empty lines before cutting
            }
            assertThat(CpuProfile.words(line)).as("'%s'", line).containsExactly(line.split("\\s+"));
        }
    }

    @Test
    void words_ofAProfileLine_areItsFields() {
        assertThat(CpuProfile.words("cpuid 0x00000001 *\t0x1  0x2 0x3 0x4"))
                .containsExactly("cpuid", "0x00000001", "*", "0x1", "0x2", "0x3", "0x4");
    }
}
