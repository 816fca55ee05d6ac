package dev.vmx4j.mmu.ept;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a test-vector text file next to a test class: one record a line, '#' comments, blank lines skipped. */
public final class VectorLines {

    /** One data line: its 1-based line number, its text and its whitespace-separated fields. */
    public record Line(int number, String text, String[] fields) {
        /** "line N: text", for assertion descriptions. */
        public String where() {
            return "line " + number + ": " + text;
        }
    }

    private VectorLines() {
    }

    public static List<Line> read(Class<?> owner, String resource) {
        List<Line> lines = new ArrayList<>();
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " next to " + owner.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (!text.isBlank() && !text.startsWith("#")) {
                    lines.add(new Line(number, text, text.trim().split("\\s+")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
