package dev.vmx4j.core.cpu;

import dev.vmx4j.core.StopReason;

/**
 * The reference engine: {@link Cpu#run}, one {@link Cpu#stepOnce() step} at a time (fetch
 * through the decoded-instruction cache, execute, retire, events between instructions).
 */
public final class Interpreter implements ExecutionEngine {

    private final Cpu cpu;

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
    }

    @Override
    public StopReason run(long maxSteps, long maxCycles, long[] breakpoints) {
        return cpu.run(maxSteps, maxCycles, breakpoints);
    }
}
