package dev.vmx4j.core.vmx;

import dev.vmx4j.mmu.ept.EptMisconfiguration;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * One VM exit as the VMCS's exit-information fields record it (SDM "Basic VM-Exit
 * Information"): the full exit-reason field, the exit qualification, the guest RIP saved in the
 * VMCS, and the instruction length, instruction information and interruption information where
 * the exit defines them (0 otherwise); for an EPT misconfiguration (reason 49) the named reason
 * the processor found (not a VMCS field: the SDM leaves the qualification undefined). An
 * immutable value.
 */
public final class VmExitInfo {

    private final int exitReasonField;
    private final long qualification;
    private final long guestRip;
    private final long guestLinearAddress;
    private final long guestPhysicalAddress;
    private final int instructionLength;
    private final int instructionInformation;
    private final int interruptionInformation;
    private final EptMisconfiguration eptMisconfiguration;

    public VmExitInfo(int exitReasonField, long qualification, long guestRip, long guestLinearAddress,
                      long guestPhysicalAddress, int instructionLength, int instructionInformation,
                      int interruptionInformation) {
        this(exitReasonField, qualification, guestRip, guestLinearAddress, guestPhysicalAddress, instructionLength,
                instructionInformation, interruptionInformation, EptMisconfiguration.NONE);
    }

    /** With the named EPT misconfiguration of an exit 49 ({@code NONE} for other exits). */
    public VmExitInfo(int exitReasonField, long qualification, long guestRip, long guestLinearAddress,
                      long guestPhysicalAddress, int instructionLength, int instructionInformation,
                      int interruptionInformation, EptMisconfiguration eptMisconfiguration) {
        if (eptMisconfiguration == null) {
            throw new IllegalArgumentException("eptMisconfiguration must not be null (NONE for other exits)");
        }
        this.eptMisconfiguration = eptMisconfiguration;
        this.exitReasonField = exitReasonField;
        this.qualification = qualification;
        this.guestRip = guestRip;
        this.guestLinearAddress = guestLinearAddress;
        this.guestPhysicalAddress = guestPhysicalAddress;
        this.instructionLength = instructionLength;
        this.instructionInformation = instructionInformation;
        this.interruptionInformation = interruptionInformation;
    }

    /** The 32-bit exit-reason field (basic reason in bits 15:0, bit 31 for a VM-entry failure). */
    public int exitReasonField() {
        return exitReasonField;
    }

    /** The basic exit reason, bits 15:0. */
    public int basicReason() {
        return exitReasonField & 0xFFFF;
    }

    /** The basic exit reason as the SDM names it, or null for a number the SDM does not define. */
    public ExitReason reason() {
        return ExitReason.byNumber(basicReason());
    }

    /** True for a VM-entry failure (exit-reason bit 31: reasons 33, 34, 41). */
    public boolean entryFailure() {
        return exitReasonField < 0;
    }

    public long qualification() {
        return qualification;
    }

    /** The guest RIP in the VMCS after the exit (for an entry failure: the RIP that would have been loaded). */
    public long guestRip() {
        return guestRip;
    }

    public long guestLinearAddress() {
        return guestLinearAddress;
    }

    public long guestPhysicalAddress() {
        return guestPhysicalAddress;
    }

    /** The VM-exit instruction length (instruction-caused exits), else 0. */
    public int instructionLength() {
        return instructionLength;
    }

    public int instructionInformation() {
        return instructionInformation;
    }

    /** The VM-exit interruption information (exit reasons 0 and 1), else 0. */
    public int interruptionInformation() {
        return interruptionInformation;
    }

    /**
     * For an EPT misconfiguration (basic reason 49): which SDM "EPT Misconfigurations" rule the
     * entry broke (its SDM title and quote are on the constant); {@code NONE} for other exits.
     */
    public EptMisconfiguration eptMisconfiguration() {
        return eptMisconfiguration;
    }

    /**
     * One line for people: the reason's SDM name, the qualification decoded field by field where
     * the SDM gives it a format (control-register accesses, I/O, MOV DR, task switch, EPT
     * violation...), the guest RIP, the instruction length, the interruption information.
     */
    public String describe() {
        ExitReason r = reason();
        StringBuilder b = new StringBuilder();
        b.append(entryFailure() ? "VM-entry failure " : "VM exit ")
                .append(r == null ? "reason " + basicReason() : r.name())
                .append(String.format(" (%d)", basicReason()));
        Record q = r == null ? null : dev.vmx4j.vmx.exit.ExitDecoders.qualification(r, qualification);
        if (q != null) {
            b.append(' ').append(q);
        } else if (qualification != 0) {
            b.append(String.format(" qualification 0x%x", qualification));
        }
        if (eptMisconfiguration != EptMisconfiguration.NONE) {
            b.append(" misconfiguration ").append(eptMisconfiguration.name());
        }
        b.append(String.format(" guest RIP 0x%x", guestRip));
        if (instructionLength != 0) {
            b.append(" length ").append(instructionLength);
        }
        if (interruptionInformation < 0) {
            b.append(' ').append(dev.vmx4j.vmx.exit.InterruptionInfo.decode(interruptionInformation & 0xFFFFFFFFL));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        ExitReason r = reason();
        return String.format("VM exit %s%s (0x%08x) qualification 0x%x guest RIP 0x%x%s",
                entryFailure() ? "entry failure " : "", r == null ? "reason " + basicReason() : r.name(),
                exitReasonField, qualification, guestRip,
                instructionLength != 0 ? String.format(" instruction length %d", instructionLength) : "");
    }
}
