package dev.vmx4j.vmx.entry;

import java.util.List;
import java.util.Optional;

/**
 * The result of running the VM-entry checks on one VMCS: the failures found (in hardware order;
 * only the first one in the architectural mode), and the checks that could not be decided for
 * lack of a field or of memory.
 */
public final class EntryCheckReport {

    private final List<EntryDiagnostic> failures;
    private final List<Undecided> undecided;

    EntryCheckReport(List<EntryDiagnostic> failures, List<Undecided> undecided) {
        this.failures = List.copyOf(failures);
        this.undecided = List.copyOf(undecided);
    }

    /** True if no decided check failed (see {@link #undecided()} for partial VMCSs). */
    public boolean passed() {
        return failures.isEmpty();
    }

    /** The failure hardware reports: the first in hardware order. */
    public Optional<EntryDiagnostic> firstFailure() {
        return failures.isEmpty() ? Optional.empty() : Optional.of(failures.get(0));
    }

    /** Every failure found, in hardware order (one at most in the architectural mode). */
    public List<EntryDiagnostic> failures() {
        return failures;
    }

    /** Checks that could not be decided. */
    public List<Undecided> undecided() {
        return undecided;
    }

    /** The outcome of the first failure, empty when the VM entry passes the checks. */
    public Optional<EntryOutcome> outcome() {
        return failures.isEmpty() ? Optional.empty() : Optional.of(failures.get(0).outcome());
    }

    @Override
    public String toString() {
        if (failures.isEmpty()) {
            return undecided.isEmpty() ? "VM-entry checks passed" : "VM-entry checks passed; undecided: " + undecided;
        }
        StringBuilder s = new StringBuilder();
        for (EntryDiagnostic d : failures) {
            s.append(d).append('\n');
        }
        for (Undecided u : undecided) {
            s.append("undecided ").append(u).append('\n');
        }
        return s.toString();
    }
}
