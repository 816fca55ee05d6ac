package dev.vmx4j.core;

import java.util.Arrays;

/**
 * Budgets and breakpoints for one {@link Machine#run(RunLimits)}. Immutable: each method returns
 * a new value, so a limits object can be reused across runs.
 *
 * <pre>RunLimits.unlimited().maxInstructions(1_000).breakpoint(0x7C00)</pre>
 */
public final class RunLimits {

    private static final long[] NONE = new long[0];
    private static final RunLimits UNLIMITED = new RunLimits(Long.MAX_VALUE, Long.MAX_VALUE, NONE, false);

    private final long maxInstructions;
    private final long maxCycles;
    private final long[] breakpoints;
    private final boolean stopAtVmExit;

    private RunLimits(long maxInstructions, long maxCycles, long[] breakpoints, boolean stopAtVmExit) {
        this.maxInstructions = maxInstructions;
        this.maxCycles = maxCycles;
        this.breakpoints = breakpoints;
        this.stopAtVmExit = stopAtVmExit;
    }

    /** No budget and no breakpoint: the run ends on HLT, shutdown or a stop request. */
    public static RunLimits unlimited() {
        return UNLIMITED;
    }

    /**
     * Stop after {@code n} steps (n &gt;= 1): a step retires one instruction, performs one
     * iteration of a REP string instruction, or delivers one event, so a guest that faults
     * forever still stops.
     */
    public RunLimits maxInstructions(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxInstructions must be in [1, 2^63-1], was " + n);
        }
        return new RunLimits(n, maxCycles, breakpoints, stopAtVmExit);
    }

    /** Stop once {@code c} cycles were spent in this run (c &gt;= 1). */
    public RunLimits maxCycles(long c) {
        if (c < 1) {
            throw new IllegalArgumentException("maxCycles must be in [1, 2^63-1], was " + c);
        }
        return new RunLimits(maxInstructions, c, breakpoints, stopAtVmExit);
    }

    /**
     * Stop when RIP equals {@code rip} before executing the instruction there. The instruction
     * at the run's starting RIP never triggers, so a run can resume from a breakpoint.
     */
    public RunLimits breakpoint(long rip) {
        long[] b = Arrays.copyOf(breakpoints, breakpoints.length + 1);
        b[b.length - 1] = rip;
        return new RunLimits(maxInstructions, maxCycles, b, stopAtVmExit);
    }

    /**
     * Stop right after the next VM exit (or VM-entry failure), with {@link StopReason#VM_EXIT}:
     * the processor is then in VMX root operation at the host RIP.
     */
    public RunLimits stopAtVmExit() {
        return new RunLimits(maxInstructions, maxCycles, breakpoints, true);
    }

    public boolean stopsAtVmExit() {
        return stopAtVmExit;
    }

    public long maxInstructions() {
        return maxInstructions;
    }

    public long maxCycles() {
        return maxCycles;
    }

    /** A copy of the breakpoint addresses. */
    public long[] breakpoints() {
        return breakpoints.clone();
    }

    /** For the run loop: the shared array, never modified. */
    long[] breakpointArray() {
        return breakpoints;
    }
}
