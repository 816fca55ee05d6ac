package dev.vmx4j.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The table rows' tokenizer: {@code String.split} at the rows' separators (a run of spaces is one). */
class OpcodeTablesWordsTest {

    private static String randomText(SplittableRandom rnd) {
        String alphabet = "  ||,,aB0";
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Test
    void words_cutLikeSplit_onSeededRandomText() {
        SplittableRandom rnd = new SplittableRandom(0x5EED);
        for (int i = 0; i < 5_000; i++) {
            String text = randomText(rnd);
            assertThat(OpcodeTables.words(text, ' ')).as("'%s' at spaces", text).containsExactly(text.split(" +"));
            assertThat(OpcodeTables.words(text, '|')).as("'%s' at |", text).containsExactly(text.split("\\|"));
            assertThat(OpcodeTables.words(text, ',')).as("'%s' at ,", text).containsExactly(text.split(","));
        }
    }

    @Test
    void words_ofATableRow_areItsFields() {
        assertThat(OpcodeTables.words("p66:0F/6r.1  MOV|MOVD|MOVQ Ev,Gv  lock i64", ' '))
                .containsExactly("p66:0F/6r.1", "MOV|MOVD|MOVQ", "Ev,Gv", "lock", "i64");
        assertThat(OpcodeTables.words("CBW|CWDE|CDQE", '|')).containsExactly("CBW", "CWDE", "CDQE");
    }
}
