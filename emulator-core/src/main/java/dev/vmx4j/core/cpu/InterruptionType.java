package dev.vmx4j.core.cpu;

/**
 * The SDM's interruption types (SDM "Format of the VM-Entry Interruption-Information Field",
 * bits 10:8; the same encoding in the IDT-vectoring and VM-exit interruption information): how
 * an event reached the processor, which decides the EXT bit, the gate-DPL check, the return
 * address and which VM-execution control may intercept it.
 */
public final class InterruptionType {

    public static final int EXTERNAL_INTERRUPT = 0;
    public static final int NMI = 2;
    public static final int HARDWARE_EXCEPTION = 3;
    /** INT n. */
    public static final int SOFTWARE_INTERRUPT = 4;
    /** INT1 (ICEBP, opcode F1). */
    public static final int PRIVILEGED_SOFTWARE_EXCEPTION = 5;
    /** INT3 and INTO. */
    public static final int SOFTWARE_EXCEPTION = 6;
    /** Other event (pending MTF VM exit, injected only). */
    public static final int OTHER_EVENT = 7;

    private InterruptionType() {
    }

    /** True for the types whose delivery pushes the address of the next instruction (an instruction length exists). */
    public static boolean isSoftware(int type) {
        return type >= SOFTWARE_INTERRUPT && type <= SOFTWARE_EXCEPTION;
    }
}
