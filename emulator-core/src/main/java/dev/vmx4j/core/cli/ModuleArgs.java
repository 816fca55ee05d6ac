package dev.vmx4j.core.cli;

import dev.vmx4j.core.boot.MultibootInfoWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line's Multiboot modules: {@code --module FILE[,STRING]} (repeatable) and QEMU's
 * {@code --initrd "FILE ARGS,FILE"}.
 */
final class ModuleArgs {

    private ModuleArgs() {
    }

    /** Reads the modules: every {@code --module} in order, then the {@code --initrd} list. */
    static List<MultibootInfoWriter.Module> load(List<String> modules, String initrd) throws IOException {
        List<MultibootInfoWriter.Module> out = new ArrayList<>();
        for (String spec : modules) {
            int comma = spec.indexOf(',');
            String file = comma < 0 ? spec : spec.substring(0, comma);
            String string = comma < 0 ? spec : spec.substring(comma + 1);
            out.add(new MultibootInfoWriter.Module(read(file, "--module"), string));
        }
        if (initrd != null) {
            for (String entry : splitInitrd(initrd)) {
                String trimmed = entry.strip();
                int space = trimmed.indexOf(' ');
                String file = space < 0 ? trimmed : trimmed.substring(0, space);
                out.add(new MultibootInfoWriter.Module(read(file, "--initrd"), trimmed));
            }
        }
        return out;
    }

    /** QEMU's -initrd syntax: entries separated by ',', where ',,' stands for a literal comma. */
    static List<String> splitInitrd(String initrd) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < initrd.length(); i++) {
            char c = initrd.charAt(i);
            if (c == ',') {
                if (i + 1 < initrd.length() && initrd.charAt(i + 1) == ',') {
                    cur.append(',');
                    i++;
                    continue;
                }
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        for (String p : parts) {
            if (p.isBlank()) {
                throw new IllegalArgumentException("--initrd has an empty entry: '" + initrd + "'");
            }
        }
        return parts;
    }

    private static byte[] read(String file, String option) throws IOException {
        if (file.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a file name");
        }
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(option + ": no such file '" + file + "'");
        }
        return Files.readAllBytes(p);
    }
}
