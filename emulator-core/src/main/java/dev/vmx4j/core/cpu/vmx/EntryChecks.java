package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.vmx.entry.EntryCheckReport;
import dev.vmx4j.vmx.entry.EntryChecker;
import dev.vmx4j.vmx.entry.EntryContext;
import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.entry.EntryOutcome;
import dev.vmx4j.vmx.insn.VmInstructionError;
import dev.vmx4j.vmx.insn.VmFailValid;
import dev.vmx4j.vmx.insn.VmxResult;

/**
 * Where VM entry runs the named checks of vmx-model's {@code dev.vmx4j.vmx.entry} (SDM "Checks
 * on VMX Controls and Host-State Area", "Checks on Guest State Area", "Loading MSRs") on the
 * current VMCS, and turns the first failure into the architectural outcome: VMfailValid(7) or
 * (8), a VM-entry failure with exit reason 33 and its qualification, or (after guest state is
 * loaded) exit reason 34 with the failing MSR-load entry's number. The diagnostic of the last
 * failed entry is kept for the host API and the tools.
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

    private final EntryChecker checker;
    /** The diagnostic of the last VM entry that failed a check, or null. */
    EntryDiagnostic lastFailure;

    EntryChecks(Cpu c) {
        this.checker = EntryChecker.forProfile(c.profile());
    }

    Outcome run(Vmx vmx, Cpu c, Vmcs v, boolean launch) {
        EntryContext ctx = EntryContext.builder()
                .instruction(launch ? EntryContext.Instruction.VMLAUNCH : EntryContext.Instruction.VMRESUME)
                .launchState(v.launched() ? EntryContext.LaunchState.LAUNCHED : EntryContext.LaunchState.CLEAR)
                .eventsBlockedByMovSs(vmx.blockedByMovSs())
                .ia32eMode((c.efer & Cpu.EFER_LMA) != 0)
                .x2apicMode(VmxCpuAccess.x2apicMode(c))
                .inSmm(false)
                .currentVmcsPointer(v.address)
                .memory(c.memory())
                .build();
        EntryCheckReport report = checker.firstFailure(v::get, ctx);
        if (report.passed()) {
            lastFailure = null;
            return Outcome.PASS;
        }
        EntryDiagnostic d = report.failures().get(0);
        lastFailure = d;
        EntryOutcome o = d.outcome();
        if (o.isVmFail()) {
            return new Outcome(VmFailValid.of(VmInstructionError.byNumber(o.vmInstructionError())), 0, 0);
        }
        return new Outcome(null, o.exitReason(), d.exitQualification());
    }
}
