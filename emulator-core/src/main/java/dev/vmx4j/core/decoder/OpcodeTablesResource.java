package dev.vmx4j.core.decoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@link OpcodeTables#RESOURCE}: what parsing the rows builds, encoded. The build runs it
 * after compiling (emulator-core/pom.xml, phase {@code process-classes}) with the resource's path
 * under {@code target/classes} as its one argument, so every build ships tables made from the
 * rows it compiled and nothing derived from the rows is committed. Refuses rows with problems
 * ({@link OpcodeTables#problems()}, which the decoder's self-check reports): the build fails.
 */
final class OpcodeTablesResource {

    private OpcodeTablesResource() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: OpcodeTablesResource OUTPUT-FILE (got " + args.length + " arguments)");
        }
        OpcodeTables.Tables t = OpcodeTables.parse();
        List<String> problems = t.problems;
        if (!problems.isEmpty()) {
            throw new IllegalStateException("opcode tables: " + problems.size() + " problems in the rows, first: "
                    + problems.get(0));
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        Files.write(out, t.encode());
    }
}
