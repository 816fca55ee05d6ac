package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.BasicCheck.*;

import dev.vmx4j.vmx.controls.VmxCapabilities;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.List;

/**
 * Runs the VM-entry checks of the SDM chapter "VM Entries" on a VMCS without entering it.
 *
 * <p>Hardware order: the basic checks ("Basic VM-Entry Checks"), the VMX controls (VMfailValid
 * 7), the host-state area (VMfailValid 8), the guest-state area (exit 33), then MSR loading
 * (exit 34). {@link #firstFailure} stops at the first failure, which is what VMLAUNCH/VMRESUME
 * report; {@link #allFailures} runs every group and lists every failure (within a group a check
 * whose condition depends on an earlier failing one may be skipped). Both return values, never
 * throw on any VMCS content.
 *
 * <p>With a {@link VmcsReader} that reports absent fields, every check that may consult an
 * absent field is listed as {@link Undecided} and its failures are left out; every group is then
 * run so that failures decided from the known fields are all found.
 *
 * <p>Immutable and thread-safe. No reflection, streams or boxing on the check path; a run
 * allocates only its result lists and one diagnostic per failure.
 */
public final class EntryChecker {

    private final Caps caps;

    private EntryChecker(Caps caps) {
        this.caps = caps;
    }

    /**
     * A checker for the processor {@code profile} describes: {@link VmxCapabilities#of} for the
     * capability MSRs, its CPUID for the features some checks depend on, its MAXPHYADDR.
     */
    public static EntryChecker forProfile(CpuProfile profile) {
        if (profile == null) {
            throw new IllegalArgumentException("profile must not be null");
        }
        VmxCapabilities vmx = VmxCapabilities.of(profile);
        if (!vmx.supported()) {
            throw new IllegalArgumentException("profile " + profile.name() + " does not support VMX (CPUID.1:ECX.VMX and IA32_VMX_BASIC)");
        }
        return new EntryChecker(new Caps(vmx, profile));
    }

    /** The VMCS revision identifier the profile reports (IA32_VMX_BASIC[30:0]). */
    public int vmcsRevision() {
        return caps.revision;
    }

    /** MAXPHYADDR of the profile. */
    public int maxPhysicalAddressBits() {
        return caps.maxPhys;
    }

    /** The architectural mode: the first failure in hardware order, what VM entry reports. */
    public EntryCheckReport firstFailure(VmcsReader vmcs, EntryContext context) {
        return run(vmcs, context, false);
    }

    /** The diagnostic mode: every failure, in hardware order. */
    public EntryCheckReport allFailures(VmcsReader vmcs, EntryContext context) {
        return run(vmcs, context, true);
    }

    private EntryCheckReport run(VmcsReader vmcs, EntryContext context, boolean all) {
        if (vmcs == null) {
            throw new IllegalArgumentException("vmcs must not be null");
        }
        if (context == null) {
            throw new IllegalArgumentException("context must not be null");
        }
        Run r = new Run(vmcs, context, caps, all);
        // A group ends the VM entry when it fails: later groups are not run (hardware order).
        // MANUAL: in the diagnostic mode every group runs even after an earlier group failed.
        boolean stop = basic(r) || ControlChecks.run(r) || HostChecks.run(r);
        // SDM "Checks on the Guest State Area": the guest checks may be done in any order.
        if (!stop) {
            stop = GuestRegisterChecks.run(r) || SegmentChecks.run(r) || NonRegisterChecks.run(r) || PdpteChecks.run(r);
        }
        // SDM "Loading MSRs": only after guest state was checked and loaded.
        if (!stop && (all || r.failures.isEmpty())) {
            MsrLoadChecks.run(r);
        }
        r.addUndecidedChecks();
        List<EntryDiagnostic> failures = r.failures;
        if (!all && failures.size() > 1) {
            failures = failures.subList(0, 1);
        }
        return new EntryCheckReport(failures, r.undecided);
    }

    // SDM "Basic VM-Entry Checks": after the current-VMCS check (VMfailInvalid, the caller's).
    private static boolean basic(Run r) {
        EntryContext c = r.ctx;
        if (c.eventsBlockedByMovSs && r.fail(EVENTS_BLOCKED_BY_MOV_SS, null, 0, 0)) {
            return true;
        }
        if (c.instruction == EntryContext.Instruction.VMLAUNCH && c.launchState == EntryContext.LaunchState.LAUNCHED
                && r.fail(VMLAUNCH_WITH_NON_CLEAR_VMCS, null, 0, 0)) {
            return true;
        }
        return c.instruction == EntryContext.Instruction.VMRESUME && c.launchState == EntryContext.LaunchState.CLEAR
                && r.fail(VMRESUME_WITH_NON_LAUNCHED_VMCS, null, 0, 0);
    }
}
