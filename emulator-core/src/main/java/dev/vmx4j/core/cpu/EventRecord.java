package dev.vmx4j.core.cpu;

/**
 * The event whose delivery through the IVT/IDT is in progress, or none: what a VM exit raised
 * during delivery reports as IDT-vectoring information (SDM "Information for VM Exits That Occur
 * During Event Delivery"). One preallocated, mutable instance per CPU ({@code Cpu.delivering()}),
 * written by event delivery: set when a delivery starts, kept while a fault during that delivery
 * is being raised (the fault's own delivery then reads it for the exception bitmap), cleared when
 * a delivery completes or a VM exit has consumed it.
 */
public final class EventRecord {

    /** True while an event is being delivered. */
    public boolean valid;
    /** An {@link InterruptionType} constant. */
    public int type;
    public int vector;
    public int errorCode;
    public boolean hasErrorCode;
    /** The instruction length of a software event (INT n, INT3, INTO, INT1), else 0. */
    public int instructionLength;

    void set(int type, int vector, int errorCode, boolean hasErrorCode, int instructionLength) {
        this.type = type;
        this.vector = vector;
        this.errorCode = errorCode;
        this.hasErrorCode = hasErrorCode;
        this.instructionLength = instructionLength;
        this.valid = true;
    }

    public void clear() {
        valid = false;
    }
}
