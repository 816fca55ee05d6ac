package dev.vmx4j.core.cpu;

import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.devices.apic.ApicBus;
import dev.vmx4j.core.devices.apic.LocalApic;
import dev.vmx4j.core.devices.apic.PcInterruptController;
import dev.vmx4j.core.io.IoBus;
import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * Several processors in one machine, run in one host thread by a fixed schedule: round robin in
 * quanta of {@link #QUANTUM_CYCLES} cycles. In round {@code r} every processor, in index order
 * (the bootstrap processor, index 0, first), runs until its own cycle counter reaches
 * {@code r * QUANTUM_CYCLES}; a processor that is halted or waiting for a SIPI with nothing to
 * wake it has its counter moved to that point (time passes while it waits). The same input
 * therefore gives the same interleaving, output, cycles and memory on every run.
 *
 * <p>Each processor has its own local APIC (APIC ID = index; IA32_APIC_BASE.BSP only on
 * processor 0), its own VMX state, TLB and decoded-instruction cache; memory, the I/O bus, the
 * 8259A pair, the PIT and the I/O APIC are shared. IPIs travel on an {@link ApicBus}; the I/O
 * APIC delivers to every APIC a message addresses. Application processors start in the
 * wait-for-SIPI state (SDM "MP Initialization Protocol Algorithm"): INIT then a start-up IPI
 * starts one in real mode at {@code vector << 12}. An IPI, or any change another processor makes,
 * is seen by its target at the start of the target's next quantum (at most one quantum late).
 * An xAPIC page is decoded by the APIC of the processor running ({@code XapicWindows}).
 */
public final class Processors {

    /** Cycles per processor per round (see the class comment). */
    public static final long QUANTUM_CYCLES = 1000;

    private final Cpu[] cpus;
    private final ExecutionEngine[] engines;
    private final LocalApic[] apics;
    private int current;
    private long round;

    /**
     * Adds processors 1..{@code count - 1} beside {@code bsp} (which must already be wired to
     * {@code bspController}) and connects them. Called once by the machine builder.
     */
    public static Processors create(Cpu bsp, ExecutionEngine bspEngine, PcInterruptController bspController,
            int count, GuestMemory memory, IoBus io, CpuProfile profile, boolean referenceMode,
            InstructionDecoder decoder, long randomSeed) {
        if (count < 2) {
            throw new IllegalArgumentException("count must be at least 2, was " + count);
        }
        return new Processors(bsp, bspEngine, bspController, count, memory, io, profile, referenceMode,
                decoder, randomSeed);
    }

    private Processors(Cpu bsp, ExecutionEngine bspEngine, PcInterruptController bspController, int count,
            GuestMemory memory, IoBus io, CpuProfile profile, boolean referenceMode, InstructionDecoder decoder,
            long randomSeed) {
        cpus = new Cpu[count];
        engines = new ExecutionEngine[count];
        apics = new LocalApic[count];
        cpus[0] = bsp;
        engines[0] = bspEngine;
        apics[0] = bspController.localApic();
        int maxPhys = Math.max(32, Math.min(52, profile.maxPhysicalAddressBits()));
        for (int i = 1; i < count; i++) {
            Cpu c = new Cpu(memory, io, profile, referenceMode, decoder, null, randomSeed + i);
            cpus[i] = c;
            engines[i] = new Interpreter(c);
            LocalApic apic = new LocalApic(i, maxPhys, profile.hasFeature(1, 0, 2, 21), profile.hasFeature(1, 0, 2, 24),
                    c::cycles);
            apic.setBootstrapProcessor(false);
            apic.reset();
            apics[i] = apic;
            PcInterruptController ic = new PcInterruptController(apic, bspController.pic(), bspController.ioApic());
            c.setInterruptController(ic, apic);
            c.bootstrapProcessor = false;
            c.pending.setActivity(ActivityState.WAIT_FOR_SIPI);
        }
        new ApicBus(apics, new ApicBus.ProcessorSignals() {
            @Override
            public void init(int index) {
                cpus[index].pending.raiseInit();
            }

            @Override
            public void startup(int index, int vector) {
                cpus[index].pending.raiseSipi(vector);
            }
        });
        bspController.ioApic().setApics(apics);
        memory.setCodeWriteListener(frame -> {
            for (Cpu c : cpus) {
                if (c.decodeCache != null) {
                    c.decodeCache.invalidateFrame(frame);
                }
            }
        });
        bspController.xapicWindows().setProcessors(apics, () -> current);
    }

    public int count() {
        return cpus.length;
    }

    /** Processor {@code index}'s retired instructions. */
    public long retired(int index) {
        return cpus[index].retired();
    }

    /** Processor {@code index} (0 = the bootstrap processor). */
    public Cpu cpu(int index) {
        return cpus[index];
    }

    /** The index of the processor running now (between runs: the one that ran last). */
    public int currentIndex() {
        return current;
    }

    /** The processor running now (between runs: the one that ran last). */
    public Cpu currentCpu() {
        return cpus[current];
    }

    /** Every processor's retired instructions added up. */
    public long totalRetired() {
        long n = 0;
        for (Cpu c : cpus) {
            n += c.retired();
        }
        return n;
    }

    /** Resets every processor: the application processors wait for a SIPI again. */
    public void reset() {
        for (int i = 0; i < cpus.length; i++) {
            cpus[i].reset();
            if (i > 0) {
                apics[i].reset();
                cpus[i].pending.setActivity(ActivityState.WAIT_FOR_SIPI);
            }
        }
    }

    /**
     * Runs the schedule until a stop: a device or listener request, a breakpoint, a shutdown, the
     * instruction budget (all processors' instructions), the bootstrap processor's cycle budget,
     * or every processor idle with nothing to wake it (HALTED).
     */
    public StopReason run(long maxInstructions, long maxCycles, long[] breakpoints) {
        long startInstructions = totalRetired();
        long bspStart = cpus[0].cycles();
        long bspLimit = maxCycles == Long.MAX_VALUE ? Long.MAX_VALUE : bspStart + maxCycles;
        while (true) {
            long target = (round + 1) * QUANTUM_CYCLES;
            boolean anyProgress = false;
            for (int i = 0; i < cpus.length; i++) {
                Cpu c = cpus[i];
                long end = i == 0 ? Math.min(target, bspLimit) : target;
                if (c.cycles() >= end) {
                    continue;
                }
                long left = maxInstructions == Long.MAX_VALUE ? Long.MAX_VALUE
                        : maxInstructions - (totalRetired() - startInstructions);
                if (left <= 0) {
                    return StopReason.INSTRUCTION_LIMIT;
                }
                current = i;
                long before = c.retired();
                long cyclesBefore = c.cycles();
                StopReason r = engines[i].run(left, end - c.cycles(), breakpoints);
                if (c.retired() != before || c.cycles() != cyclesBefore) {
                    anyProgress = true;
                }
                switch (r) {
                    case CYCLE_LIMIT:
                        break;
                    case HALTED:
                        if (c.cycles() < end) {
                            c.cycles = end; // waiting: time passes
                        }
                        break;
                    case INSTRUCTION_LIMIT:
                        if (totalRetired() - startInstructions >= maxInstructions) {
                            return StopReason.INSTRUCTION_LIMIT;
                        }
                        break;
                    default:
                        return r; // device or listener request, breakpoint, shutdown
                }
            }
            if (cpus[0].cycles() >= bspLimit) {
                return StopReason.CYCLE_LIMIT;
            }
            if (!anyProgress && allIdleForever()) {
                return StopReason.HALTED;
            }
            round++;
        }
    }

    private boolean allIdleForever() {
        for (Cpu c : cpus) {
            if (c.activity == ActivityState.ACTIVE || c.pending.wakesByItself()) {
                return false;
            }
            if (c.controller != null && c.controller.nextEventCycle() != Long.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }
}
