package dev.vmx4j.vmx.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringTokenizer;

/**
 * An immutable processor description: CPUID leaves and MSR reset values.
 *
 * <p>File format, one statement per line, {@code #} starts a comment:
 * <pre>
 * name corei7_icelake_u
 * maxphyaddr 40
 * cpuid 0x00000001 0x00 eax ebx ecx edx    # leaf, subleaf (use * for "any subleaf"), four 32-bit values
 * msr 0x480 0x00d8100000000004            # index, 64-bit value (what the processor reports)
 * firmware-msr 0x3a 0x5                     # a value platform firmware leaves in a writable MSR
 * </pre>
 * {@code msr} lines are processor values: capability MSRs (read-only) and anything the profile
 * fixes. {@code firmware-msr} lines are not part of the power-on state (that follows the SDM's
 * reset values); boot loaders apply them to reproduce what PC firmware leaves behind.
 * A leaf listed with subleaf {@code *} answers for every subleaf. CPUID for a leaf above the
 * maximum basic (or extended) leaf returns the data of the highest basic leaf, as Intel
 * processors do (SDM "CPUID—CPU Identification": "If a value entered for CPUID.EAX is higher
 * than the maximum input value for basic or extended function ... the data for the highest
 * basic information leaf is returned"). A profile whose vendor string is AMD's ({@link #vendor()})
 * answers such leaves with zeros, as AMD processors do.
 */
public final class CpuProfile {

    /**
     * The shipped profiles, by name: {@code vmx4j} (the default: only what vmx4j implements),
     * {@code corei7_icelake_u} (Bochs 2.7's model recorded bit for bit, for side-by-side runs
     * with Bochs; it advertises more than vmx4j implements, see docs/CPU.md "CPU profiles") and
     * {@code opteron_g1} (an AMD processor without VMX modelled on QEMU's {@code Opteron_G1},
     * advertising only what vmx4j implements).
     */
    public static final List<String> BUILT_IN = List.of("vmx4j", "corei7_icelake_u", "opteron_g1");

    /** The name of the default profile. */
    public static final String DEFAULT_NAME = "vmx4j";

    private final String name;
    private final int maxPhysicalAddressBits;
    private final Map<Long, int[]> cpuid; // key: leaf << 32 | subleaf, subleaf 0xFFFFFFFF = any
    private final Map<Integer, Long> msrs;
    private final Map<Integer, Long> firmwareMsrs;
    private final CpuVendor vendor;

    private CpuProfile(String name, int maxPhysicalAddressBits, Map<Long, int[]> cpuid, Map<Integer, Long> msrs,
            Map<Integer, Long> firmwareMsrs) {
        this.name = name;
        this.maxPhysicalAddressBits = maxPhysicalAddressBits;
        this.cpuid = cpuid;
        this.msrs = msrs;
        this.firmwareMsrs = firmwareMsrs;
        int[] leaf0 = cpuid.get(0L);
        if (leaf0 == null) {
            leaf0 = cpuid.get(0xFFFFFFFFL);
        }
        this.vendor = leaf0 == null ? CpuVendor.INTEL : CpuVendor.of(leaf0[1], leaf0[3], leaf0[2]);
    }

    /** Loads a shipped profile by name (see {@link #BUILT_IN}). */
    public static CpuProfile builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("unknown CPU profile '" + name + "'; built-in profiles: " + BUILT_IN);
        }
        try (InputStream in = CpuProfile.class.getResourceAsStream(name + ".profile")) {
            if (in == null) {
                throw new IllegalStateException("built-in profile resource missing: " + name + ".profile");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), name + ".profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The default profile, {@code vmx4j}: derived from {@code corei7_icelake_u} with every CPUID
     * feature vmx4j does not implement cleared.
     */
    public static CpuProfile defaultProfile() {
        return builtIn(DEFAULT_NAME);
    }

    /** Loads a profile from a file in the format described in the class comment. */
    public static CpuProfile load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        }
    }

    /** Parses profile text; {@code source} names it in error messages. */
    public static CpuProfile parse(Reader text, String source) throws IOException {
        BufferedReader r = new BufferedReader(text);
        String name = null;
        int maxPhys = 36;
        Map<Long, int[]> cpuid = new LinkedHashMap<>();
        Map<Integer, Long> msrs = new LinkedHashMap<>();
        Map<Integer, Long> firmware = new LinkedHashMap<>();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = words(line);
            try {
                switch (t[0]) {
                    case "name":
                        expect(t, 2);
                        name = t[1];
                        break;
                    case "maxphyaddr":
                        expect(t, 2);
                        maxPhys = (int) number(t[1]);
                        if (maxPhys < 32 || maxPhys > 52) {
                            throw new IllegalArgumentException("maxphyaddr must be in [32, 52], was " + maxPhys);
                        }
                        break;
                    case "cpuid": {
                        expect(t, 7);
                        long leaf = number(t[1]) & 0xFFFFFFFFL;
                        long sub = t[2].equals("*") ? 0xFFFFFFFFL : number(t[2]) & 0xFFFFFFFFL;
                        int[] regs = {(int) number(t[3]), (int) number(t[4]), (int) number(t[5]), (int) number(t[6])};
                        cpuid.put(leaf << 32 | sub, regs);
                        break;
                    }
                    case "msr":
                        expect(t, 3);
                        msrs.put((int) number(t[1]), number(t[2]));
                        break;
                    case "firmware-msr":
                        expect(t, 3);
                        firmware.put((int) number(t[1]), number(t[2]));
                        break;
                    default:
                        throw new IllegalArgumentException(
                                "unknown statement '" + t[0] + "' (allowed: name, maxphyaddr, cpuid, msr, firmware-msr)");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (name == null) {
            throw new IllegalArgumentException(source + ": profile has no 'name' line");
        }
        return new CpuProfile(name, maxPhys, Collections.unmodifiableMap(cpuid), Collections.unmodifiableMap(msrs),
                Collections.unmodifiableMap(firmware));
    }

    /**
     * A trimmed, non-empty line cut at runs of white space, as {@code split("\\s+")} cuts it.
     * PERF: no regular expression (the JDK's {@code StringTokenizer}); start-up should not make library
     * code hot for the JIT.
     */
    static String[] words(String line) {
        // the white space of the regular expression \s; a trimmed line has none at either end
        StringTokenizer t = new StringTokenizer(line, " \t\n\u000B\f\r");
        String[] out = new String[t.countTokens()];
        for (int k = 0; k < out.length; k++) {
            out[k] = t.nextToken();
        }
        return out;
    }

    private static void expect(String[] t, int n) {
        if (t.length != n) {
            throw new IllegalArgumentException("'" + t[0] + "' takes " + (n - 1) + " values, found " + (t.length - 1));
        }
    }

    private static long number(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                String digits = s.substring(2);
                return Long.parseUnsignedLong(digits.indexOf('_') < 0 ? digits : digits.replace("_", ""), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + s + "'");
        }
    }

    public String name() {
        return name;
    }

    /** The vendor whose rules apply where Intel and AMD processors differ (CPUID leaf 0's vendor string). */
    public CpuVendor vendor() {
        return vendor;
    }

    /** MAXPHYADDR: the physical-address width the processor reports in CPUID.80000008H:EAX[7:0]. */
    public int maxPhysicalAddressBits() {
        return maxPhysicalAddressBits;
    }

    /**
     * Fills {@code out[0..3]} with EAX, EBX, ECX, EDX for CPUID leaf {@code eax}, subleaf
     * {@code ecx}. Leaves above the maximum basic or extended leaf answer with the highest basic
     * leaf (Intel), or with zeros (AMD).
     */
    public void cpuid(int eax, int ecx, int[] out) {
        long leaf = eax & 0xFFFFFFFFL;
        long maxBasic = maxLeaf(0L);
        long maxExt = maxLeaf(0x80000000L);
        boolean extended = leaf >= 0x80000000L;
        if ((!extended && leaf > maxBasic) || (extended && leaf > maxExt)) {
            if (vendor == CpuVendor.AMD) {
                // MANUAL: AMD processors return zeros in all four registers for a function above the
                // largest standard or extended function (the APM's "CPUID" defines no other answer).
                out[0] = out[1] = out[2] = out[3] = 0;
                return;
            }
            leaf = maxBasic;
        }
        int[] v = cpuid.get(leaf << 32 | (ecx & 0xFFFFFFFFL));
        if (v == null) {
            v = cpuid.get(leaf << 32 | 0xFFFFFFFFL);
        }
        if (v == null) {
            out[0] = out[1] = out[2] = out[3] = 0;
        } else {
            System.arraycopy(v, 0, out, 0, 4);
        }
    }

    private long maxLeaf(long base) {
        int[] v = cpuid.get(base << 32);
        if (v == null) {
            v = cpuid.get(base << 32 | 0xFFFFFFFFL);
        }
        return v == null ? base : v[0] & 0xFFFFFFFFL;
    }

    /** True if CPUID.(leaf, subleaf) has {@code bit} set in register {@code reg} (0=EAX .. 3=EDX). */
    public boolean hasFeature(int leaf, int subleaf, int reg, int bit) {
        int[] out = new int[4];
        cpuid(leaf, subleaf, out);
        return (out[reg] >>> bit & 1) != 0;
    }

    /** The profile's value of MSR {@code index}, if it defines one. */
    public boolean hasMsr(int index) {
        return msrs.containsKey(index);
    }

    /** The profile's value of MSR {@code index}; throws if the profile does not define it. */
    public long msr(int index) {
        Long v = msrs.get(index);
        if (v == null) {
            throw new IllegalArgumentException(String.format("profile %s defines no MSR 0x%x", name, index));
        }
        return v;
    }

    /** All MSR indexes the profile defines, in file order. */
    public List<Integer> msrIndexes() {
        return new ArrayList<>(msrs.keySet());
    }

    /**
     * The MSR values platform firmware leaves behind (IA32_FEATURE_CONTROL, PAT, MTRRs ...), in
     * file order; boot loaders apply them. Not part of the power-on state.
     */
    public Map<Integer, Long> firmwareMsrs() {
        return firmwareMsrs;
    }

    @Override
    public String toString() {
        return "CpuProfile[" + name + "]";
    }
}
