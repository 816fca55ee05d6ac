package dev.vmx4j.core;

/** The outcome of one {@code run} or {@code step}: why it stopped and what it retired. */
public final class RunResult {

    private final StopReason reason;
    private final long instructions;
    private final long cycles;
    private final int exitStatus;

    public RunResult(StopReason reason, long instructions, long cycles, int exitStatus) {
        if (reason == null) {
            throw new IllegalArgumentException("reason must not be null");
        }
        this.reason = reason;
        this.instructions = instructions;
        this.cycles = cycles;
        this.exitStatus = exitStatus;
    }

    public StopReason reason() {
        return reason;
    }

    /** Instructions retired during this call. */
    public long instructions() {
        return instructions;
    }

    /** Cycles spent during this call. */
    public long cycles() {
        return cycles;
    }

    /** The status passed to {@link Machine#requestStop(int)}, or 0. */
    public int exitStatus() {
        return exitStatus;
    }

    @Override
    public String toString() {
        return "RunResult[" + reason + ", instructions=" + instructions + ", cycles=" + cycles
                + ", exitStatus=" + exitStatus + "]";
    }
}
