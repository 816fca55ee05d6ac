package dev.vmx4j.core;

/** Why {@link Machine#run(RunLimits)} or {@link Machine#step()} returned. */
public enum StopReason {
    /** {@link RunLimits#maxInstructions(long)} instructions retired (also: {@code step()} did its one). */
    INSTRUCTION_LIMIT,
    /** The cycle counter reached the run's cycle budget. */
    CYCLE_LIMIT,
    /** RIP reached a breakpoint address before executing the instruction there. */
    BREAKPOINT,
    /** The processor executed HLT and waits for an interrupt. */
    HALTED,
    /** Triple fault (SDM "Double Fault Exception (#DF)": a fault while delivering #DF). */
    SHUTDOWN,
    /** A listener called {@link Machine#requestStop(int)}. */
    LISTENER_REQUEST,
    /** A device called {@link Machine#requestStop(int)}. */
    DEVICE_REQUEST,
    /** A VM exit happened and the run asked to stop at the next one ({@link RunLimits#stopAtVmExit()}). */
    VM_EXIT
}
