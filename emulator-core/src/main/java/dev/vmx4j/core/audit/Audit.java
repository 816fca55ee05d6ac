package dev.vmx4j.core.audit;

import dev.vmx4j.vmx.entry.EntryCheck;
import dev.vmx4j.vmx.entry.EntryCheckReport;
import dev.vmx4j.vmx.entry.EntryChecker;
import dev.vmx4j.vmx.entry.EntryChecks;
import dev.vmx4j.vmx.entry.EntryContext;
import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.entry.Undecided;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.List;

/**
 * Runs every VM-entry check on a {@link VmcsDump} against a processor profile, in the diagnostic
 * mode (all failures, hardware order), and says which failure hardware would report.
 *
 * <p>Before the checks, fields that only matter under a control the dump shows as 0 are filled in
 * (see {@link GatedFields}; noted in the dump). The checks run as for a VMLAUNCH (or VMRESUME) from a 64-bit host, with the launch state,
 * the current-VMCS pointer and memory unknown: checks that need them are not decided, nor are
 * checks that read a field the dump lacks ("not in the dump").
 */
public final class Audit {

    /** Exit status: every check passed. */
    public static final int WOULD_ENTER = 0;
    /** Exit status: at least one check fails. */
    public static final int FAILS = 1;
    /** Exit status: no check fails, but some could not be decided from the dump. */
    public static final int UNDECIDED = 3;

    private final VmcsDump dump;
    private final CpuProfile profile;
    private final EntryCheckReport report;

    private Audit(VmcsDump dump, CpuProfile profile, EntryCheckReport report) {
        this.dump = dump;
        this.profile = profile;
        this.report = report;
    }

    public static Audit run(VmcsDump dump, CpuProfile profile, EntryContext.Instruction instruction) {
        GatedFields.fill(dump);
        EntryChecker checker = EntryChecker.forProfile(profile);
        EntryContext ctx = EntryContext.builder().instruction(instruction).build();
        return new Audit(dump, profile, checker.allFailures(dump, ctx));
    }

    public VmcsDump dump() {
        return dump;
    }

    public CpuProfile profile() {
        return profile;
    }

    public List<EntryDiagnostic> failures() {
        return report.failures();
    }

    public List<Undecided> undecided() {
        return report.undecided();
    }

    public int exitStatus() {
        if (!report.failures().isEmpty()) {
            return FAILS;
        }
        return report.undecided().isEmpty() ? WOULD_ENTER : UNDECIDED;
    }

    /**
     * True if hardware reports {@code d}: it is the first failure in hardware order and no
     * undecided check comes before it (one of those might fail first).
     */
    public boolean hardwareReports(EntryDiagnostic d) {
        return !report.failures().isEmpty() && report.failures().get(0) == d
                && firstUndecidedIndex() > order(d.check());
    }

    /** True if the first failure might not be the one hardware reports, because an undecided check precedes it. */
    public boolean firstFailureUncertain() {
        return !report.failures().isEmpty() && firstUndecidedIndex() < order(report.failures().get(0).check());
    }

    private int firstUndecidedIndex() {
        int min = Integer.MAX_VALUE;
        for (Undecided u : report.undecided()) {
            min = Math.min(min, order(u.check()));
        }
        return min;
    }

    static int order(EntryCheck c) {
        return EntryChecks.all().indexOf(c);
    }
}
