package dev.vmx4j.core.cpu;

import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.decoder.Form;

/**
 * The reference engine: the instructions of {@link Cpu#stepOnce()}, one at a time.
 *
 * <p>While the CPU is {@link RunConditions#quiet quiet} (nothing pending or due, no listeners,
 * TF, RF, breakpoints or alignment checks, 64-bit mode), instructions whose {@link Form} is not
 * {@link Form#NONE} run back to back in a {@link PageRun}; anything else (a {@code NONE} form,
 * a pending event, a listener) takes one {@link Cpu#runSteps step}.
 */
public final class Interpreter implements ExecutionEngine {

    private static final long[] NO_BREAKPOINTS = new long[0];

    private final Cpu cpu;
    private final PageRun pageRun;

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
        this.pageRun = new PageRun(cpu);
    }

    @Override
    public StopReason run(long maxSteps, long maxCycles, long[] breakpoints) {
        Cpu c = cpu;
        if (breakpoints.length != 0 || c.referenceMode) {
            return c.run(maxSteps, maxCycles, breakpoints);
        }
        c.stopRequest = null;
        c.stopStatus = 0;
        if (c.pending.shutdownStops()) {
            return StopReason.SHUTDOWN;
        }
        c.pending.controllerChanged();
        long stepEnd = maxSteps == Long.MAX_VALUE ? Long.MAX_VALUE : c.steps + maxSteps;
        long cycleLimit = maxCycles == Long.MAX_VALUE ? Long.MAX_VALUE : c.cycles + maxCycles;
        // as Cpu.run: a halted CPU first waits for an event (or the budget ends)
        if (c.activity != ActivityState.ACTIVE && !c.pending.wakesOrSleeps(cycleLimit)) {
            return c.cycles >= cycleLimit ? StopReason.CYCLE_LIMIT : StopReason.HALTED;
        }
        while (true) {
            if (stepEnd != Long.MAX_VALUE && c.steps - stepEnd >= 0) {
                return StopReason.INSTRUCTION_LIMIT;
            }
            if (cycleLimit != Long.MAX_VALUE && c.cycles >= cycleLimit) {
                return StopReason.CYCLE_LIMIT;
            }
            if (RunConditions.quiet(c) && pageRun.run(c, stepEnd, cycleLimit)) {
                if (c.pending.shutdownStops()) {
                    return StopReason.SHUTDOWN;
                }
                if (c.stopRequest != null) {
                    return c.stopRequest;
                }
                continue;
            }
            // one step, with the step loop's own event, halt, sleep and stop handling
            StopReason r = c.runSteps(1, cycleLimit == Long.MAX_VALUE ? Long.MAX_VALUE : cycleLimit - c.cycles,
                    NO_BREAKPOINTS);
            if (r != StopReason.INSTRUCTION_LIMIT) {
                return r;
            }
        }
    }
}
