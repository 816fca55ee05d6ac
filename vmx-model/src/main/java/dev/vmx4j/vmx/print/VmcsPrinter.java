package dev.vmx4j.vmx.print;

import dev.vmx4j.vmx.vmcs.VmcsArea;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a VMCS given as a map of the fields it has to their values (a field that is not in the
 * map is not printed: "not known", not zero), and the difference of two VMCSs by field.
 *
 * <p>One line per field, grouped by VMCS area in the SDM's order:
 * <pre>
 * GUEST_CR0                                       0x6800 = 0x0000000080000031
 * PIN_BASED_VM_EXECUTION_CONTROLS                 0x4000 = 0x0000000000000016  [bit 1, bit 2, bit 4]
 * </pre>
 * The name and encoding come first, the value in hex after {@code =}, the decoded meaning (see
 * {@link FieldDecoder}) in brackets. {@code vmx4j audit} reads this text back.
 */
public final class VmcsPrinter {

    private VmcsPrinter() {
    }

    /** The line of one field. {@code exitReason}: see {@link FieldDecoder#decode}. */
    public static String line(VmcsField f, long value, int exitReason) {
        String decoded = FieldDecoder.decode(f, value, exitReason);
        String s = String.format(Locale.ROOT, "%-47s 0x%04x = 0x%016x", f.name(), f.encoding(), value);
        return decoded.isEmpty() ? s : s + "  [" + decoded + "]";
    }

    /** Every field of {@code vmcs}, grouped by area, in encoding order within an area. */
    public static String print(Map<VmcsField, Long> vmcs) {
        StringBuilder sb = new StringBuilder();
        int reason = exitReason(vmcs);
        for (VmcsArea a : VmcsArea.values()) {
            boolean header = false;
            for (VmcsField f : sortedFields()) {
                Long v = vmcs.get(f);
                if (v == null || f.area() != a) {
                    continue;
                }
                if (!header) {
                    sb.append("# ").append(a.sdmName()).append('\n');
                    header = true;
                }
                sb.append(line(f, v, reason)).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The fields whose value differs between {@code before} and {@code after}, or that only one of
     * them has: {@code - } the old line, {@code + } the new line. Empty when they are equal.
     */
    public static String diff(Map<VmcsField, Long> before, Map<VmcsField, Long> after) {
        StringBuilder sb = new StringBuilder();
        int r0 = exitReason(before);
        int r1 = exitReason(after);
        for (VmcsField f : sortedFields()) {
            Long a = before.get(f);
            Long b = after.get(f);
            if (a == null ? b == null : a.equals(b)) {
                continue;
            }
            sb.append(a == null ? "- " + f.name() + " (absent)" : "- " + line(f, a, r0)).append('\n');
            sb.append(b == null ? "+ " + f.name() + " (absent)" : "+ " + line(f, b, r1)).append('\n');
        }
        return sb.toString();
    }

    private static int exitReason(Map<VmcsField, Long> vmcs) {
        Long r = vmcs.get(VmcsField.EXIT_REASON);
        return r == null ? -1 : (int) (r & 0xFFFF);
    }

    private static final VmcsField[] SORTED = sort();

    private static VmcsField[] sort() {
        VmcsField[] f = VmcsField.values();
        java.util.Arrays.sort(f, java.util.Comparator.comparingInt(VmcsField::encoding));
        return f;
    }

    private static VmcsField[] sortedFields() {
        return SORTED;
    }
}
