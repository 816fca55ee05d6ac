package dev.vmx4j.core.cpu.vmx;

/**
 * PAUSE-loop exiting (SDM "PAUSE-Loop Exiting" and "Instructions That Cause VM Exits
 * Conditionally", PAUSE): at CPL 0, a PAUSE more than PLE_Gap TSC ticks after the previous
 * CPL-0 PAUSE (or the first one after VM entry) starts a loop; a PAUSE more than PLE_Window
 * ticks after the start of its loop exits. Time is the TSC (the cycle counter), so the decision
 * is deterministic.
 */
final class PauseLoop {

    /** No CPL-0 PAUSE since VM entry. */
    private static final long NONE = Long.MIN_VALUE;

    boolean enabled;
    /** PLE_Gap and PLE_Window, unsigned 32-bit. */
    long gap;
    long window;
    private long previous = NONE;
    private long loopStart;

    /** At VM entry: the next CPL-0 PAUSE is the first in a loop. */
    void reset() {
        previous = NONE;
    }

    /** A PAUSE at CPL 0 at TSC {@code now}: true if it exits. */
    boolean pause(long now) {
        // SDM "PAUSE-Loop Exiting": "If this amount of time exceeds the value of the VM-execution
        // control field PLE_Gap, the processor considers this execution to be the first execution
        // of PAUSE in a loop. (It also does so for the first execution of PAUSE at CPL 0 after VM
        // entry.)"
        if (previous == NONE || now - previous > gap) {
            loopStart = now;
        }
        previous = now;
        // "Otherwise, the processor determines the amount of time since the most recent execution
        // of PAUSE that was considered to be the first in a loop. If this amount of time exceeds
        // the value of the VM-execution control field PLE_Window, a VM exit occurs."
        return now - loopStart > window;
    }
}
