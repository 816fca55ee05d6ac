package dev.vmx4j.core.cpu;

import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Form;
import dev.vmx4j.core.memory.GuestMemory;

/**
 * The reference engine: the instructions of {@link Cpu#stepOnce()}, one at a time.
 *
 * <p>While the CPU is {@link RunConditions#quiet quiet} (nothing pending or due, no listeners,
 * TF, RF, breakpoints or alignment checks, 64-bit mode), instructions whose {@link Form} is not
 * {@link Form#NONE} run back to back in a <em>page run</em>: fetched straight from the current
 * code page's decoded-instruction slots, dispatched once on their form ({@link FormExec}),
 * retired, with one test of the stop conditions per instruction (budgets, the events model's
 * {@code eventCheck}, a write to the code page, an MMIO access, a stop request). Under those
 * conditions every other part of a step (the event poll, the TF and RF handling, code
 * breakpoints, listeners) does nothing, so the result is the step loop's. Anything else (a
 * {@code NONE} form, a pending event, a listener) takes one {@link Cpu#runSteps step}.
 */
public final class Interpreter implements ExecutionEngine {

    private static final long[] NO_BREAKPOINTS = new long[0];

    private final Cpu cpu;
    private final FormExec forms;

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
        this.forms = new FormExec(cpu);
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
            if (RunConditions.quiet(c) && runPage(c, stepEnd, cycleLimit)) {
                if (c.activity == ActivityState.SHUTDOWN) {
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

    /**
     * Runs instructions from RIP while their form is not {@link Form#NONE} and nothing asks for
     * the step loop; returns true if it ran (or faulted on) at least one.
     */
    private boolean runPage(Cpu c, long stepEnd, long cycleLimit) {
        // the events model's next deadline: the step loop polls once cycles reach it
        long ec = c.eventCheck;
        long limit = Math.min(cycleLimit, ec);
        GuestMemory mem = c.memory;
        long mmio = mem.mmioAccessCount();
        FormExec fx = forms;
        DecodeCache.CodePage p = c.currentCodePage();
        long vpn = p == null ? -1 : c.rip >>> 12;
        boolean ran = false;
        try {
            while (true) {
                if (c.cycles >= limit || c.steps - stepEnd >= 0) {
                    return ran;
                }
                long rip = c.rip;
                int off = (int) rip & 0xFFF;
                DecodedInstruction d;
                // PERF: no frame test: an entry taken over by another frame or written to has
                // its validity bits cleared, and only a fetch (below) takes an entry over
                if ((rip >>> 12) == vpn && (p.valid[off >>> 6] & (1L << off)) != 0) {
                    d = p.slots[off];
                    c.nextRip = rip + d.length;
                } else {
                    // another page, or not decoded yet: the step loop's fetch (which may fault)
                    d = c.fetch();
                    p = c.currentCodePage();
                    vpn = p == null ? -1 : rip >>> 12;
                }
                if (d.form == Form.NONE) {
                    return ran;
                }
                int cost = fx.execute(d);
                // retire, as Cpu.stepOnce
                c.rip = c.nextRip;
                c.cycles += cost;
                c.retired++;
                c.steps++;
                ran = true;
                if (c.eventCheck != ec || mem.mmioAccessCount() != mmio || c.stopRequest != null) {
                    return true;
                }
            }
        } catch (ArchitecturalEvent e) {
            // as Cpu.stepOnce: the faulting instruction counts as a step, then the event is taken
            c.steps++;
            c.takeEvent(e);
            return true;
        }
    }
}
