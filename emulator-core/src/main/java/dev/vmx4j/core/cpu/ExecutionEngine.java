package dev.vmx4j.core.cpu;

import dev.vmx4j.core.StopReason;

/**
 * Runs guest instructions on a {@link Cpu} until a budget, a breakpoint, HLT, shutdown or a stop
 * request: the seam between the machine and the way instructions are executed. Every engine
 * must leave the CPU in exactly the state the {@link Interpreter} (the reference engine) leaves
 * it in: registers, memory, cycles, retired instructions, events and the stop reason.
 */
public interface ExecutionEngine {

    /**
     * Runs until one of the limits or another stop; never lets a guest-caused exception escape.
     *
     * @param maxSteps instructions plus delivered events to run at most ({@code Long.MAX_VALUE}: no limit)
     * @param maxCycles cycles to run at most ({@code Long.MAX_VALUE}: no limit)
     * @param breakpoints linear RIP values before which to stop (not before the first instruction)
     */
    StopReason run(long maxSteps, long maxCycles, long[] breakpoints);

    /** Basic blocks translated so far (0 for an engine that does not translate). */
    default long blocksTranslated() {
        return 0;
    }
}
