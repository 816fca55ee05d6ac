package dev.vmx4j.core.cpu;

import dev.vmx4j.core.StopReason;

/**
 * The parts of the engines' run loops that {@link Interpreter} and {@link Translator} share: the
 * start of a run, the budget test of each iteration, the stop test after a page run or block
 * chain, and the single step through the step loop. Static and small, so they inline into each
 * engine's loop.
 */
final class EngineLoop {

    private static final long[] NO_BREAKPOINTS = new long[0];

    private EngineLoop() {
    }

    /** {@code now + budget}, or "no limit" for an unlimited budget. */
    static long end(long now, long budget) {
        return budget == Long.MAX_VALUE ? Long.MAX_VALUE : now + budget;
    }

    /**
     * Before the loop: clears the stop request and, as {@code Cpu.run}, lets a halted CPU first
     * wait for an event. Returns why the run ends at once, or null to run.
     */
    static StopReason start(Cpu c, long cycleLimit) {
        c.stopRequest = null;
        c.stopStatus = 0;
        if (c.pending.shutdownStops()) {
            return StopReason.SHUTDOWN;
        }
        c.pending.controllerChanged();
        if (c.activity != ActivityState.ACTIVE && !c.pending.wakesOrSleeps(cycleLimit)) {
            return c.cycles >= cycleLimit ? StopReason.CYCLE_LIMIT : StopReason.HALTED;
        }
        return null;
    }

    /** At the top of each iteration: the budget that has run out, or null. */
    static StopReason budgetEnded(Cpu c, long stepEnd, long cycleLimit) {
        if (stepEnd != Long.MAX_VALUE && c.steps - stepEnd >= 0) {
            return StopReason.INSTRUCTION_LIMIT;
        }
        if (cycleLimit != Long.MAX_VALUE && c.cycles >= cycleLimit) {
            return StopReason.CYCLE_LIMIT;
        }
        return null;
    }

    /** After a page run or block chain that ended on an event or an MMIO access: shutdown, a stop request, or null. */
    static StopReason stopped(Cpu c) {
        return c.pending.shutdownStops() ? StopReason.SHUTDOWN : c.stopRequest;
    }

    /**
     * One step through the step loop, with its own event, halt, sleep and stop handling.
     * Returns why the run ends, or null to go on.
     */
    static StopReason step(Cpu c, long cycleLimit) {
        StopReason r = c.runSteps(1, cycleLimit == Long.MAX_VALUE ? Long.MAX_VALUE : cycleLimit - c.cycles,
                NO_BREAKPOINTS);
        return r == StopReason.INSTRUCTION_LIMIT ? null : r;
    }
}
