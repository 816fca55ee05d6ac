package dev.vmx4j.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opcode tables' resource ({@link OpcodeTables#RESOURCE}), which the build writes with
 * {@link OpcodeTablesResource} after compiling, is what parsing the rows builds, encoded.
 */
class OpcodeTablesResourceTest {

    @Test
    void theBuiltResourceIsWhatTheRowsBuild() throws IOException {
        OpcodeTables.Tables parsed = OpcodeTables.parse();
        assertThat(parsed.problems).as("a resource is written only from sound rows").isEmpty();
        byte[] built;
        try (InputStream in = OpcodeTables.class.getResourceAsStream(OpcodeTables.RESOURCE)) {
            assertThat(in).as("the build wrote %s (emulator-core/pom.xml, process-classes)", OpcodeTables.RESOURCE)
                    .isNotNull();
            built = in.readAllBytes();
        }
        assertThat(built).isEqualTo(parsed.encode());
    }

    @Test
    void theWriterWritesTheEncodedTables(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sub").resolve(OpcodeTables.RESOURCE);
        OpcodeTablesResource.main(new String[] {out.toString()});
        assertThat(Files.readAllBytes(out)).isEqualTo(OpcodeTables.parse().encode());
    }

    @Test
    void theInitialiserReadsTheResource_andItsTablesEqualTheParsedOnes() {
        assertThat(OpcodeTables.FROM_RESOURCE).as("the tables were read from the resource, not parsed").isTrue();
        assertThat(OpcodeTables.Tables.read().hash).isEqualTo(OpcodeTables.Tables.hash(OpcodeTables.Tables.sources()));
        OpcodeTables.Tables parsed = OpcodeTables.parse();
        assertThat(OpcodeTables.MNEMONIC).isEqualTo(parsed.mnemonic);
        assertThat(OpcodeTables.OPERANDS).isEqualTo(parsed.operands);
        assertThat(OpcodeTables.OPERAND_COUNT).isEqualTo(parsed.operandCount);
        assertThat(OpcodeTables.FLAGS).isEqualTo(parsed.flags);
        assertThat(OpcodeTables.ALT64).isEqualTo(parsed.alt64);
        assertThat(OpcodeTables.SLOTS).isEqualTo(parsed.slots);
        assertThat(OpcodeTables.BASE).isDeepEqualTo(parsed.base);
        assertThat(OpcodeTables.STRIDES).isDeepEqualTo(parsed.strides);
        String[][] sources = OpcodeTables.Tables.sources();
        for (int d = 0; d < OpcodeTables.descriptorCount(); d++) {
            int ref = parsed.rowRef[d];
            String row = ref < 0 ? "(invalid)" : sources[ref >>> 16][ref & 0xFFFF];
            assertThat(OpcodeTables.rowText(d)).as("descriptor %d", d).isEqualTo(row);
        }
    }

    @Test
    void decodingWhatWasEncoded_givesTheSameTables() {
        OpcodeTables.Tables parsed = OpcodeTables.parse();
        OpcodeTables.Tables read = OpcodeTables.Tables.decode(parsed.encode());
        assertThat(read).isNotNull();
        // every field, the hash included; the parser's problem list is not part of the resource
        // (it is written only from rows without problems, as committedResourceIsWhatTheRowsBuild checks)
        assertThat(read).usingRecursiveComparison().ignoringFields("problems").isEqualTo(parsed);
    }

    @Test
    void aMalformedResource_isNotRead() {
        byte[] bytes = OpcodeTables.parse().encode();
        assertThat(OpcodeTables.Tables.decode(Arrays.copyOf(bytes, bytes.length - 4))).as("truncated").isNull();
        assertThat(OpcodeTables.Tables.decode(Arrays.copyOf(bytes, bytes.length - 1))).as("not whole ints").isNull();
        byte[] badMagic = bytes.clone();
        badMagic[0] ^= 1;
        assertThat(OpcodeTables.Tables.decode(badMagic)).as("magic").isNull();
        byte[] badVersion = bytes.clone();
        badVersion[4] ^= 1;
        assertThat(OpcodeTables.Tables.decode(badVersion)).as("version").isNull();
        assertThat(OpcodeTables.Tables.decode(new byte[0])).as("empty").isNull();
    }

    @Test
    void withAssertionsOn_aResourceOfOtherRowsIsStale() {
        boolean assertions = false;
        assert assertions = true;
        assertThat(assertions).as("the tests run with assertions enabled").isTrue();
        OpcodeTables.Tables other = OpcodeTables.parse();
        assertThat(OpcodeTables.Tables.staleWhenChecked(other)).isFalse();
        other.hash++;
        assertThat(OpcodeTables.Tables.staleWhenChecked(other)).isTrue();
    }

    @Test
    void theHashCoversEveryRow() {
        String[][] sources = OpcodeTables.Tables.sources();
        int h = OpcodeTables.Tables.hash(sources);
        String[][] changed = sources.clone();
        changed[3] = sources[3].clone();
        changed[3][7] = changed[3][7] + " ";
        assertThat(OpcodeTables.Tables.hash(changed)).isNotEqualTo(h);
    }
}
