package dev.vmx4j.vmx.entry;

import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.exit.ExitReasonField;
import dev.vmx4j.vmx.insn.VmFailValid;
import dev.vmx4j.vmx.insn.VmInstructionError;

/**
 * What a failed VM-entry check makes VMLAUNCH/VMRESUME do: VMfailValid with a VM-instruction
 * error number, or a VM-entry failure exit (bit 31 of the exit reason set) with its basic exit
 * reason and exit qualification. SDM "VM Entries" and "VM-Entry Failures During or After
 * Loading Guest State".
 */
public enum EntryOutcome {
    /** VMfailValid(26): "VM entry with events blocked by MOV SS". */
    VM_FAIL_EVENTS_BLOCKED_BY_MOV_SS(26, 0, 0),
    /** VMfailValid(4): "VMLAUNCH with non-clear VMCS". */
    VM_FAIL_VMLAUNCH_NON_CLEAR_VMCS(4, 0, 0),
    /** VMfailValid(5): "VMRESUME with non-launched VMCS". */
    VM_FAIL_VMRESUME_NON_LAUNCHED_VMCS(5, 0, 0),
    /** VMfailValid(7): "VM entry with invalid control field(s)". */
    VM_FAIL_INVALID_CONTROL_FIELDS(7, 0, 0),
    /** VMfailValid(8): "VM entry with invalid host-state field(s)". */
    VM_FAIL_INVALID_HOST_STATE_FIELDS(8, 0, 0),
    /** Exit reason 33 ("VM-entry failure due to invalid guest state"), qualification 0. */
    EXIT_INVALID_GUEST_STATE(0, 33, 0),
    /** Exit reason 33, qualification 2: a problem loading the PDPTEs. */
    EXIT_INVALID_GUEST_STATE_PDPTE(0, 33, 2),
    /** Exit reason 33, qualification 3: NMI injection into a guest blocking events by STI. */
    EXIT_INVALID_GUEST_STATE_NMI_INJECTION(0, 33, 3),
    /** Exit reason 33, qualification 4: an invalid VMCS link pointer. */
    EXIT_INVALID_GUEST_STATE_VMCS_LINK_POINTER(0, 33, 4),
    /** Exit reason 34 ("VM-entry failure due to MSR loading"), qualification = the entry number (from 1). */
    EXIT_MSR_LOADING(0, 34, -1);

    private final int vmInstructionError;
    private final int exitReason;
    private final int exitQualification;

    EntryOutcome(int vmInstructionError, int exitReason, int exitQualification) {
        this.vmInstructionError = vmInstructionError;
        this.exitReason = exitReason;
        this.exitQualification = exitQualification;
    }

    /** True for VMfailValid outcomes (the VM entry did not start loading guest state). */
    public boolean isVmFail() {
        return vmInstructionError != 0;
    }

    /** The VM-instruction error number for a VMfailValid outcome, 0 otherwise. */
    public int vmInstructionError() {
        return vmInstructionError;
    }

    /** The basic exit reason (33 or 34) of a VM-entry failure exit, 0 for VMfailValid. */
    public int exitReason() {
        return exitReason;
    }

    /**
     * The exit reason as the VM-exit information field holds it: bit 31 ("VM-entry failure")
     * set, 0 for VMfailValid.
     */
    public int exitReasonField() {
        return exitReason == 0 ? 0 : exitReason | 0x8000_0000;
    }

    /**
     * The fixed exit qualification (0, 2, 3 or 4), -1 when it is the failing MSR-load entry
     * number (see {@link EntryDiagnostic#exitQualification()}), 0 for VMfailValid.
     */
    public int exitQualification() {
        return exitQualification;
    }

    /** The VMfailValid result (error number named), or null for a VM-entry failure exit. */
    public VmFailValid vmFailValid() {
        return isVmFail() ? VmFailValid.of(VmInstructionError.byNumber(vmInstructionError)) : null;
    }

    /** The basic exit reason of a VM-entry failure exit, or null for VMfailValid. */
    public ExitReason reason() {
        return isVmFail() ? null : ExitReason.byNumber(exitReason);
    }

    /** The exit-reason field a VM-entry failure records (bit 31 set), or null for VMfailValid. */
    public ExitReasonField reasonField() {
        return isVmFail() ? null : ExitReasonField.entryFailure(reason());
    }

    /** "VMfailValid(7)", "exit 33 (qualification 4)", "exit 34 (qualification = entry number)". */
    public String describe() {
        if (isVmFail()) {
            return "VMfailValid(" + vmInstructionError + ")";
        }
        if (exitQualification < 0) {
            return "exit " + exitReason + " (qualification = entry number)";
        }
        return "exit " + exitReason + " (qualification " + exitQualification + ")";
    }
}
