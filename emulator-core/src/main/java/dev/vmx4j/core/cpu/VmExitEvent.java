package dev.vmx4j.core.cpu;

/**
 * A VM exit raised in VMX non-root operation from inside an instruction's semantics (at the
 * point SDM "Relative Priority of Faults and VM Exits" gives it) or from event delivery (the
 * exception bitmap, a triple fault). Caught once in the step loop, which calls
 * {@code Vmx.exit} to record the exit information, save guest state and load host state. It is
 * never delivered through the IDT and never turns into #DF (see {@link ArchitecturalEvent}).
 *
 * <p>It carries, as primitive fields, what the exit recorder needs that only the raiser knows
 * (SDM "Basic VM-Exit Information", "Information for VM Exits Due to Instruction Execution").
 * The optional fields are valid only when their bit is set in {@link #valid}. Everything the
 * recorder can read from the CPU itself (guest state, the event being delivered for IDT-vectoring
 * information) is not repeated here.
 */
public final class VmExitEvent extends ArchitecturalEvent {

    private static final long serialVersionUID = 1L;

    /** {@link #guestLinearAddress} is valid. */
    public static final int GUEST_LINEAR = 1;
    /** {@link #guestPhysicalAddress} is valid. */
    public static final int GUEST_PHYSICAL = 1 << 1;
    /** {@link #instructionLength} is valid (instruction-caused exits, software-event delivery). */
    public static final int INSTRUCTION_LENGTH = 1 << 2;
    /** {@link #instructionInfo} is valid. */
    public static final int INSTRUCTION_INFO = 1 << 3;

    /** The basic exit reason, bits 15:0 of the exit-reason field (SDM appendix "VMX Basic Exit Reasons"). */
    public final int reason;
    /** The exit qualification (0 for the reasons that define none). */
    public final long qualification;
    public final long guestLinearAddress;
    public final long guestPhysicalAddress;
    /** The VM-exit instruction length, 1-15. */
    public final int instructionLength;
    /** The VM-exit instruction-information field. */
    public final int instructionInfo;
    /** Which optional fields are valid: a set of {@link #GUEST_LINEAR}, {@link #GUEST_PHYSICAL}, ... */
    public final int valid;

    public VmExitEvent(int reason, long qualification, long guestLinearAddress, long guestPhysicalAddress,
                       int instructionLength, int instructionInfo, int valid) {
        if (reason < 0 || reason > 0xFFFF) {
            throw new IllegalArgumentException("basic exit reason " + reason + " is outside 0..65535");
        }
        this.reason = reason;
        this.qualification = qualification;
        this.guestLinearAddress = guestLinearAddress;
        this.guestPhysicalAddress = guestPhysicalAddress;
        this.instructionLength = instructionLength;
        this.instructionInfo = instructionInfo;
        this.valid = valid;
    }

    /** An exit that is not caused by an instruction (e.g. triple fault, the exception bitmap on a hardware exception). */
    public static VmExitEvent of(int reason, long qualification) {
        return new VmExitEvent(reason, qualification, 0, 0, 0, 0, 0);
    }

    /** An exit caused by executing an instruction of {@code length} bytes. */
    public static VmExitEvent instruction(int reason, long qualification, int length) {
        return new VmExitEvent(reason, qualification, 0, 0, length, 0, INSTRUCTION_LENGTH);
    }

    /** An instruction-caused exit that also reports instruction information. */
    public static VmExitEvent instruction(int reason, long qualification, int length, int info) {
        return new VmExitEvent(reason, qualification, 0, 0, length, info, INSTRUCTION_LENGTH | INSTRUCTION_INFO);
    }

    public boolean has(int field) {
        return (valid & field) != 0;
    }

    @Override
    public String getMessage() {
        return "VM exit reason " + reason + " qualification 0x" + Long.toHexString(qualification);
    }
}
