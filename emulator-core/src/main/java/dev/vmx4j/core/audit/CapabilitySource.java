package dev.vmx4j.core.audit;

import dev.vmx4j.vmx.controls.VmxCapabilities;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The capability MSRs a dump is judged by, since a dump does not carry them: a CPU profile, with
 * IA32_VMX_* values replaced by {@code --msr 0x480=VALUE} options or by a file of {@code rdmsr}
 * output. The result is a profile (so {@link VmxCapabilities#of} decodes it the usual way) with
 * the base profile's CPUID leaves and MAXPHYADDR.
 */
public final class CapabilitySource {

    /** CPUID leaves copied from the base profile (the VMX feature bit, leaf 7 features, MAXPHYADDR). */
    private static final int[][] LEAVES = {{0, 0}, {1, 0}, {7, 0}, {7, 1}, {0x80000000, 0}, {0x80000001, 0},
        {0x80000008, 0}};

    private CapabilitySource() {
    }

    /**
     * {@code base} with the MSRs of {@code overrides} replaced or added.
     */
    public static CpuProfile withMsrs(CpuProfile base, Map<Integer, Long> overrides) {
        if (overrides.isEmpty()) {
            return base;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("name ").append(base.name()).append("+msrs\n");
        sb.append("maxphyaddr ").append(base.maxPhysicalAddressBits()).append('\n');
        int[] r = new int[4];
        for (int[] leaf : LEAVES) {
            base.cpuid(leaf[0], leaf[1], r);
            sb.append(String.format(Locale.ROOT, "cpuid 0x%x 0x%x 0x%x 0x%x 0x%x 0x%x%n", leaf[0], leaf[1], r[0], r[1],
                    r[2], r[3]));
        }
        Map<Integer, Long> msrs = new LinkedHashMap<>();
        for (int i : base.msrIndexes()) {
            msrs.put(i, base.msr(i));
        }
        msrs.putAll(overrides);
        for (Map.Entry<Integer, Long> e : msrs.entrySet()) {
            sb.append(String.format(Locale.ROOT, "msr 0x%x 0x%x%n", e.getKey(), e.getValue()));
        }
        try {
            return CpuProfile.parse(new StringReader(sb.toString()), base.name() + " with --msr values");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses one {@code --msr} option: {@code INDEX=VALUE}, both hex, with or without 0x. */
    public static Map.Entry<Integer, Long> parseOption(String option) {
        int eq = option.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("--msr must be INDEX=VALUE (hex), e.g. 0x480=0xda040000000012, was '"
                    + option + "'");
        }
        return Map.entry((int) hex(option.substring(0, eq), "--msr index"), hex(option.substring(eq + 1), "--msr value"));
    }

    /**
     * Parses a file of {@code rdmsr} output: one MSR a line as {@code INDEX VALUE}, {@code INDEX=VALUE}
     * or {@code INDEX: VALUE}, both in hex with or without 0x (what
     * {@code for m in 0x480 0x481 ...; do echo $m $(rdmsr $m); done} writes). {@code #} starts a comment.
     */
    public static Map<Integer, Long> parseRdmsr(String text) {
        Map<Integer, Long> m = new LinkedHashMap<>();
        int n = 0;
        for (String raw : text.split("\\R")) {
            n++;
            String line = raw.replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = line.split("\\s*[=:]\\s*|\\s+");
            if (t.length != 2) {
                throw new IllegalArgumentException("rdmsr file line " + n + ": expected INDEX VALUE, was '" + raw + "'");
            }
            try {
                m.put((int) hex(t[0], "index"), hex(t[1], "value"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rdmsr file line " + n + ": " + e.getMessage());
            }
        }
        return m;
    }

    private static long hex(String s, String what) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a hex number, was '" + s + "'");
        }
    }
}
