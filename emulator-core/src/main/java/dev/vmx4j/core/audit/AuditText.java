package dev.vmx4j.core.audit;

import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.entry.Undecided;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable form of an {@link Audit}. */
public final class AuditText {

    private AuditText() {
    }

    public static String format(Audit a) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "vmx4j audit: %s, %d fields; capabilities of %s%n", a.dump().format(),
                a.dump().size(), a.profile().name()));
        for (String n : a.dump().notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        List<EntryDiagnostic> failures = a.failures();
        if (failures.isEmpty()) {
            sb.append(a.undecided().isEmpty() ? "VM entry would succeed: every check passes.\n"
                    : "No check fails, but " + a.undecided().size() + " could not be decided (below).\n");
        } else {
            sb.append(String.format(Locale.ROOT, "%d failed VM-entry check(s), in hardware order "
                    + "(* = the one hardware reports):%n", failures.size()));
            int i = 1;
            for (EntryDiagnostic d : failures) {
                failure(sb, i++, d, a.hardwareReports(d));
            }
            if (a.firstFailureUncertain()) {
                sb.append("The first failure above is what hardware reports unless an undecided check before it "
                        + "fails first.\n");
            }
        }
        undecided(sb, a.undecided());
        return sb.toString();
    }

    private static void failure(StringBuilder sb, int n, EntryDiagnostic d, boolean reported) {
        sb.append(String.format(Locale.ROOT, "%n%s%d. %s -> %s%n", reported ? "* " : "  ", n, d.check().name(),
                d.outcome().describe()));
        sb.append("     SDM \"").append(d.check().sdmSection()).append("\": ").append(d.check().rule()).append('\n');
        VmcsField f = d.field();
        if (f != null) {
            sb.append(String.format(Locale.ROOT, "     field %s (0x%04x) = 0x%x%n", f.name(), f.encoding(), d.value()));
        } else {
            sb.append(String.format(Locale.ROOT, "     value 0x%x%n", d.value()));
        }
        if (d.offendingBits() != 0) {
            sb.append(String.format(Locale.ROOT, "     offending bits 0x%x%n", d.offendingBits()));
        }
        if (d.hasAllowedMasks()) {
            sb.append(String.format(Locale.ROOT, "     allowed-0 (must be 1) 0x%x, allowed-1 (may be 1) 0x%x%n",
                    d.allowed0(), d.allowed1()));
        }
        if (d.msrEntryNumber() != 0) {
            sb.append("     MSR-load entry ").append(d.msrEntryNumber()).append('\n');
        }
    }

    private static void undecided(StringBuilder sb, List<Undecided> undecided) {
        if (undecided.isEmpty()) {
            return;
        }
        Map<String, List<String>> byCause = new LinkedHashMap<>();
        for (Undecided u : undecided) {
            String cause = u.missingField() == null ? "needs memory (not in a dump)"
                    : u.missingField().name() + " not in the dump";
            byCause.computeIfAbsent(cause, k -> new ArrayList<>()).add(u.check().name());
        }
        sb.append(String.format(Locale.ROOT, "%nNot decided: %d check(s)%n", undecided.size()));
        for (Map.Entry<String, List<String>> e : byCause.entrySet()) {
            sb.append("  ").append(e.getKey()).append(": ").append(String.join(", ", e.getValue())).append('\n');
        }
        sb.append("  (give missing fields with --field NAME=VALUE)\n");
    }
}
