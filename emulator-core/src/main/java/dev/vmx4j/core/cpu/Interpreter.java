package dev.vmx4j.core.cpu;

import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.decoder.Form;

/**
 * The reference engine: the instructions of {@link Cpu#stepOnce()}, one at a time.
 *
 * <p>While the CPU is {@link RunConditions#quiet quiet} (nothing pending or due, no listeners,
 * TF, RF, breakpoints or alignment checks, 64-bit mode), instructions whose {@link Form} is not
 * {@link Form#NONE} run back to back in a {@link PageRun}; anything else (a {@code NONE} form,
 * a pending event, a listener) takes one {@link Cpu#runSteps step}, or, for the iterations of a
 * REP MOVS/STOS on pages the software TLB maps, a {@link StringRun}.
 */
public final class Interpreter implements ExecutionEngine {


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
        long stepEnd = EngineLoop.end(c.steps, maxSteps);
        long cycleLimit = EngineLoop.end(c.cycles, maxCycles);
        StopReason r = EngineLoop.start(c, cycleLimit);
        while (r == null) {
            r = EngineLoop.budgetEnded(c, stepEnd, cycleLimit);
            if (r != null) {
                break;
            }
            if (RunConditions.quiet(c) && pageRun.run(c, stepEnd, cycleLimit)) {
                r = EngineLoop.stopped(c);
                continue;
            }
            if (RunConditions.quiet(c) && StringRun.run(c, stepEnd, cycleLimit)) {
                continue;
            }
            r = EngineLoop.step(c, cycleLimit);
        }
        return r;
    }
}
