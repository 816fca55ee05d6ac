package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Form;
import dev.vmx4j.core.memory.GuestMemory;

/**
 * A page run: instructions back to back from the current code page's decoded-instruction slots
 * (one load from its {@code live} array; {@link Cpu#fetch} when RIP leaves the page),
 * dispatched once on their {@link Form} ({@link FormExec}) and retired, with a test of the
 * budgets and the events model's {@code eventCheck} as a bound per instruction, and after the
 * forms that may touch memory or run through {@code Exec} ({@link FormExec#CHECK}) of
 * {@code eventCheck} as a change detector, an MMIO access and a stop request; it stops before a
 * {@link Form#NONE}. A decoded instruction linked to the next one as a fused pair
 * ({@link FusedExec}) runs with it in one dispatch when the instruction budget leaves two steps,
 * the cycle bound leaves room for the first's cost and the second is still the valid slot after
 * it: the first is register-only, so the run would not have stopped between them.
 * Run only while {@link RunConditions#quiet} holds: then every other part of
 * {@link Cpu#stepOnce} (the event poll, TF and RF, code breakpoints, listeners) does nothing, so
 * the result is the step loop's.
 */
final class PageRun {

    private final FormExec forms;
    private final FusedExec fused;

    PageRun(Cpu c) {
        this.forms = new FormExec(c);
        this.fused = new FusedExec(c, forms);
    }

    /**
     * Runs instructions from RIP while their form is not {@link Form#NONE} and nothing asks for
     * the step loop; returns true if it ran (or faulted on) at least one.
     *
     * <p>PERF: retired instructions and steps are counted in a local and added on the way out
     * (nothing a non-{@code NONE} form runs reads them: the events model reads them only when
     * polling, the PMU only in its MSR instructions).
     */
    boolean run(Cpu c, long stepEnd, long cycleLimit) {
        // the events model's next deadline: the step loop polls once cycles reach it
        long ec = c.eventCheck;
        long limit = Math.min(cycleLimit, ec);
        long left = stepEnd - c.steps;
        GuestMemory mem = c.memory;
        long mmio = mem.mmioAccessCount();
        FormExec fx = forms;
        FusedExec fu = fused;
        DecodeCache.CodePage p = c.currentCodePage();
        DecodedInstruction[] live = p == null ? null : p.live;
        long rip = c.rip;
        long vpn = p == null ? -1 : rip >>> 12;
        long cycles = c.cycles;
        long n = 0;
        try {
            while (cycles < limit && n < left) {
                DecodedInstruction d;
                // PERF: no frame test: an entry taken over by another frame or written to has
                // its live slots cleared, and only a fetch (below) takes an entry over
                if ((rip >>> 12) == vpn && (d = live[(int) rip & 0xFFF]) != null) {
                    c.nextRip = rip + d.length;
                } else {
                    // another page, or not decoded yet: the step loop's fetch (which may fault)
                    d = c.fetch();
                    p = c.currentCodePage();
                    live = p == null ? null : p.live;
                    vpn = p == null ? -1 : rip >>> 12;
                }
                if (d.form == Form.NONE) {
                    break;
                }
                DecodedInstruction e = d.fused;
                int r;
                // a fused pair (FusedExec) when the budgets leave room for both instructions and
                // the second is still the valid slot right after the first
                if (e != null && n + 1 < left && cycles + FusedExec.MAX_FIRST < limit
                        && live != null && live[(int) c.nextRip & 0xFFF] == e) {
                    r = fu.execute(d, e);
                    if ((r & FusedExec.PAIR) != 0) {
                        n++;
                    }
                } else {
                    r = fx.execute(d);
                }
                // retire, as Cpu.stepOnce (PERF: RIP and cycles live in locals, written through)
                rip = c.nextRip;
                c.rip = rip;
                cycles += r & FormExec.COST;
                c.cycles = cycles;
                n++;
                if (r >= FormExec.CHECK
                        && (c.eventCheck != ec || mem.mmioAccessCount() != mmio || c.stopRequest != null)) {
                    break;
                }
            }
        } catch (ArchitecturalEvent e) {
            // as Cpu.stepOnce: the faulting instruction counts as a step, then the event is taken
            c.retired += n;
            c.steps += n + 1;
            c.takeEvent(e);
            return true;
        }
        c.retired += n;
        c.steps += n;
        return n != 0;
    }
}
