package dev.vmx4j.core.cpu;

import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.cpu.jit.BlockCompiler;
import dev.vmx4j.core.cpu.jit.Trace;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Form;
import java.lang.invoke.MethodHandles;

/**
 * The translating engine: runs hot basic blocks of 64-bit code as JVM classes and everything else
 * through the interpreter, with results identical to the interpreter's.
 *
 * <p>The loop: while the CPU is {@link RunConditions#quietForBlock quiet} (no event pending or due within
 * the block, no listeners, TF, RF, breakpoints or interrupt shadow, 64-bit mode) and RIP lies on
 * the current code page, the block starting at RIP runs if the whole block fits the instruction
 * and cycle budgets and ends before the interrupt controller's next timer event; otherwise one
 * interpreter step. A block start is translated once it has been reached {@link #hotThreshold}
 * times; blocks are cached on the decode cache's page entry (key: physical frame, offset, decode
 * mode), which drops them when the frame is written (self-modifying code) or reused.
 */
public final class Translator implements ExecutionEngine {

    /** Most instructions in a block (nodes of its trace). */
    static final int MAX_INSTRUCTIONS = 64;
    /** An upper bound of the cycles an instruction run through Exec can charge beyond its base cost. */
    private static final int MAX_EXTRA_CYCLES = 40;
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private final Cpu cpu;
    private final int hotThreshold;
    private final PageRun pageRun;
    private final TraceBuilder traces;
    private long translated;
    /**
     * True while RIP is where a block may start ({@link #blockStartAfter}): only there heat
     * counts. Kept across runs, so that a run ending inside a block does not make the next
     * run's first instruction a block start; a RIP changed between runs only misses one count.
     */
    private boolean atBlockStart = true;

    /** @param hotThreshold times a block start is reached before it is translated, 1-255 */
    public Translator(Cpu cpu, int hotThreshold) {
        if (hotThreshold < 1 || hotThreshold > 255) {
            throw new IllegalArgumentException("hotThreshold must be 1-255, was " + hotThreshold);
        }
        this.cpu = cpu;
        this.hotThreshold = hotThreshold;
        this.pageRun = new PageRun(cpu);
        this.traces = new TraceBuilder(cpu.memory, cpu.decoder);
    }

    @Override
    public long blocksTranslated() {
        return translated;
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
        boolean start = atBlockStart;
        while (r == null) {
            r = EngineLoop.budgetEnded(c, stepEnd, cycleLimit);
            if (r != null) {
                break;
            }
            boolean blocks = RunConditions.quietForBlock(c);
            TranslatedBlock b = blocks ? blockAt(c, start) : null;
            start = true;
            if (b != null && fits(c, b, stepEnd, cycleLimit)) {
                if (runChain(c, b, stepEnd, cycleLimit)) {
                    r = EngineLoop.stopped(c);
                }
                continue;
            }
            // where blocks may not run but the interpreter's page run may (VMX non-root
            // operation with a virtualized APIC-access page), that; never where blocks may run, so that block starts keep counting
            if (!blocks && RunConditions.quiet(c) && pageRun.run(c, stepEnd, cycleLimit)) {
                r = EngineLoop.stopped(c);
                continue;
            }
            if (RunConditions.quiet(c) && StringRun.run(c, stepEnd, cycleLimit)) {
                continue;
            }
            DecodeCache.CodePage p = blocks ? c.currentCodePage() : null;
            long rip = c.rip;
            r = EngineLoop.step(c, cycleLimit);
            start = p == null || blockStartAfter(c, p, rip);
        }
        atBlockStart = start;
        return r;
    }

    /**
     * True if, after an interpreted step of the instruction at {@code rip} on code page {@code p},
     * a block may start at the new RIP: a trace ends at every branch and before every
     * instruction it cannot contain, so only a branch target, the instruction after a branch or
     * after an untranslatable instruction, or wherever an event or a page change led, is a
     * block start. Elsewhere (the middle of a block the budgets kept from running) the heat
     * does not count, so that no block starts in the middle of another.
     */
    private static boolean blockStartAfter(Cpu c, DecodeCache.CodePage p, long rip) {
        // the page's live slot: the decoded instruction, or null where none is valid
        DecodedInstruction d = p.live[(int) rip & 0xFFF];
        if (c.currentCodePage() != p || d == null) {
            return true;
        }
        return c.rip != rip + d.length || !allowed(d) || BlockCompiler.isBranch(d);
    }

    /** True if the block cannot cross the step budget, the cycle budget or the controller's next event. */
    private static boolean fits(Cpu c, TranslatedBlock b, long stepEnd, long cycleLimit) {
        if (stepEnd != Long.MAX_VALUE && stepEnd - c.steps < b.instructions) {
            return false;
        }
        long end = c.cycles + b.maxCycles;
        if (cycleLimit != Long.MAX_VALUE && end >= cycleLimit) {
            return false;
        }
        // the controller's next timer event or the preemption timer, whichever is first (eventCheck
        // when nothing is pending; quietForBlock allowed only masked interrupts otherwise)
        return end < c.pending.deadline();
    }

    /**
     * Runs {@code b}, then the translated blocks that follow it on the same code page while they
     * fit, without going back to the loop: nothing a block can do changes what
     * {@link RunConditions#quietForBlock} tested, except an MMIO access (the chain ends), a write to the
     * code page (its blocks are dropped: the chain ends) or a fault (the chain ends after the
     * event is taken). Returns true if it ended on a fault or an MMIO access (the caller then
     * tests for shutdown and stop requests).
     *
     * <p>PERF: per block one virtual call, a page-number compare, an array load and the budget
     * test against {@code Cpu.eventCheck}. A block whose final branch goes back to its own start
     * makes this same fit test itself ({@code stepEnd} and {@code limit} are its arguments) and
     * runs again without returning here.
     */
    private static boolean runChain(Cpu c, TranslatedBlock b, long stepEnd, long cycleLimit) {
        DecodeCache.CodePage p = c.currentCodePage();
        long vpn = c.rip >>> 12;
        long mmio = c.memory.mmioAccessCount();
        // PERF: the bound of fits() once per chain: the deadline changes only through the
        // controller or the VMX unit, after an MMIO access (the chain ends) or outside blocks
        long limit = Math.min(cycleLimit, c.pending.deadline());
        while (true) {
            try {
                b.run(c, stepEnd, limit);
            } catch (ArchitecturalEvent e) {
                // as Cpu.stepOnce: the faulting instruction counts as a step, then the event is taken
                c.steps++;
                c.takeEvent(e);
                return true;
            }
            if (c.memory.mmioAccessCount() != mmio) {
                return true;
            }
            TranslatedBlock[] blocks = p.blocks;
            if ((c.rip >>> 12) != vpn || blocks == null) {
                return false;
            }
            b = blocks[(int) c.rip & 0xFFF];
            if (b == null || b == TranslatedBlock.NONE || stepEnd - c.steps < b.instructions
                    || c.cycles + b.maxCycles >= limit) {
                return false;
            }
        }
    }

    /**
     * The block at RIP on the current code page, translating it when it becomes hot; null if
     * none. Heat counts only where a block may start ({@code start}).
     */
    private TranslatedBlock blockAt(Cpu c, boolean start) {
        DecodeCache.CodePage p = c.currentCodePage();
        if (p == null) {
            // RIP left the current code page (or it was written): the fetch the interpreter's
            // step would do anyway makes RIP's page current; a fetch fault (or, in VMX non-root
            // operation, an EPT violation or misconfiguration or an APIC-access exit) is left to
            // that step: a failed fetch changes no state the step's own fetch would not change
            // the same way (accessed flags, PML entries: set once, found set the second time).
            try {
                c.fetch();
            } catch (ArchitecturalEvent e) {
                return null;
            }
            p = c.currentCodePage();
            if (p == null) {
                return null;
            }
        }
        int off = (int) c.rip & 0xFFF;
        TranslatedBlock[] blocks = p.blocks;
        if (blocks != null) {
            TranslatedBlock b = blocks[off];
            if (b != null) {
                return b == TranslatedBlock.NONE ? null : b;
            }
        }
        if (!start) {
            return null;
        }
        byte[] heat = p.heat;
        if (heat == null) {
            heat = new byte[4096];
            p.heat = heat;
        }
        int h = (heat[off] & 0xFF) + 1;
        heat[off] = (byte) h;
        if (h < hotThreshold) {
            return null;
        }
        if (blocks == null) {
            blocks = new TranslatedBlock[4096];
            p.blocks = blocks;
        }
        TranslatedBlock b = translate(p, c.rip);
        blocks[off] = b;
        return b == TranslatedBlock.NONE ? null : b;
    }

    // ---------------------------------------------------------------- translation

    private TranslatedBlock translate(DecodeCache.CodePage p, long rip) {
        Trace t = traces.build(p.frame, rip, MAX_INSTRUCTIONS);
        if (t.count == 0) {
            return TranslatedBlock.NONE;
        }
        byte[] bytes = new BlockCompiler(t, p.frame).compile("dev/vmx4j/core/cpu/Block");
        Object[] data = new Object[t.count + 1];
        System.arraycopy(t.insns, 0, data, 0, t.count);
        data[t.count] = p;
        try {
            Class<?> k = LOOKUP.defineHiddenClassWithClassData(bytes, data, true).lookupClass();
            TranslatedBlock b = (TranslatedBlock) k.getDeclaredConstructor().newInstance();
            long maxCycles = 0;
            for (int i = 0; i < t.count; i++) {
                maxCycles += t.costs[i] + MAX_EXTRA_CYCLES;
            }
            b.instructions = t.count;
            b.maxCycles = maxCycles;
            translated++;
            return b;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("translated block at RIP 0x" + Long.toHexString(rip)
                    + " could not be defined", e);
        }
    }

    /**
     * Instructions a block may contain: those whose {@link Form} is not {@link Form#NONE}
     * (general-purpose integer instructions and near branches whose only effects are registers,
     * RFLAGS' arithmetic flags, memory and RIP). Everything that touches system state, I/O,
     * segment registers, IF/TF/RF, interrupt shadows or repeats (REP string instructions) ends
     * the block and runs in the interpreter.
     */
    static boolean allowed(DecodedInstruction d) {
        return d.form != Form.NONE;
    }
}
