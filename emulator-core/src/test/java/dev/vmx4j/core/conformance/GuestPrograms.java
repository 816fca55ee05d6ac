package dev.vmx4j.core.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The guest programs listed in {@code src/guests/MANIFEST.txt} at the repository root. */
final class GuestPrograms {

    /** One manifest line. */
    static final class Entry {
        final String name;
        final Path image;
        final String format;
        final int exitStatus;
        final List<Path> outputs;

        Entry(String name, Path image, String format, int exitStatus, List<Path> outputs) {
            this.name = name;
            this.image = image;
            this.format = format;
            this.exitStatus = exitStatus;
            this.outputs = outputs;
        }

        Path output(String oracle) {
            for (Path p : outputs) {
                if (p.getFileName().toString().equals(oracle + ".txt")) {
                    return p;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private GuestPrograms() {
    }

    /** The repository root: the first ancestor of the working directory that has src/guests/MANIFEST.txt. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("src/guests/MANIFEST.txt"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("src/guests/MANIFEST.txt not found above " + Path.of("").toAbsolutePath());
    }

    static List<Entry> manifest() throws IOException {
        Path src = root().resolve("src");
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(src.resolve("guests/MANIFEST.txt"))) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length != 5) {
                throw new IllegalStateException("MANIFEST line must have 5 fields: " + line);
            }
            List<Path> outs = new ArrayList<>();
            for (String o : f[4].split(",")) {
                outs.add(src.resolve("guests").resolve(f[0]).resolve(o));
            }
            entries.add(new Entry(f[0], src.resolve(f[1]), f[2], Integer.decode(f[3]), outs));
        }
        return entries;
    }
}
