package dev.vmx4j.core;

import dev.vmx4j.core.cpu.CpuCaches;
import dev.vmx4j.core.snapshot.MachineState;
import dev.vmx4j.core.snapshot.StateWalker;

/**
 * The whole state of a {@link Machine} at one point between instructions: every processor's
 * architectural and hidden state (registers, segment caches, x87/SSE, MSRs, pending events and
 * activity state, VMX operation with the VMXON pointer, the current VMCS and the contents of
 * every active VMCS), RAM, the devices, the cycle counters and the multiprocessor schedule.
 * Taken by {@link Machine#snapshot()}, put back by {@link Machine#restore(Snapshot)} any number
 * of times; immutable.
 *
 * <p>RAM pages are copy-on-write between snapshots: a snapshot copies only the pages written
 * since the previous snapshot or restore and shares the others; a restore of the snapshot taken
 * or restored last copies back only the pages written since. Caches are not recorded: the
 * software TLB is flushed on restore; decoded instructions and translated blocks stay valid
 * because a restore that changes a page holding code invalidates them as a guest write would. What is not
 * recorded, deliberately: listeners and output streams (the user's objects), and anything a
 * device has already written to one (console bytes stay written).
 *
 * <p>Take and restore snapshots between runs ({@link Machine#run} has returned), not from a
 * listener inside one. A machine and its snapshots belong to one thread at a time; build one
 * machine per thread to fuzz in parallel. How it works: docs/ARCHITECTURE.md "Snapshots".
 */
public final class Snapshot {

    private final Machine machine;
    private final MachineState state;
    private final long cycles;

    private Snapshot(Machine machine, MachineState state, long cycles) {
        this.machine = machine;
        this.state = state;
        this.cycles = cycles;
    }

    static Snapshot take(Machine m) {
        MachineState s = StateWalker.record(m);
        flushCaches(m);
        return new Snapshot(m, s, m.cycles());
    }

    void restoreInto(Machine m) {
        if (m != machine) {
            throw new IllegalArgumentException("snapshot must be restored into the machine that took it, "
                    + "not into another one (take a snapshot of each machine)");
        }
        state.restore();
        flushCaches(m);
    }

    private static void flushCaches(Machine m) {
        for (int i = 0; i < m.cpuCount(); i++) {
            CpuCaches.flushTranslations(m.cpu(i));
        }
    }

    /** The bootstrap processor's cycle counter when the snapshot was taken. */
    public long cycles() {
        return cycles;
    }

    /** RAM pages the snapshot holds (pages written at least once before it was taken). */
    public long ramPages() {
        return state.ram() == null ? 0 : state.ram().pages();
    }

    /** The recorded state (module-internal use: tests). */
    public MachineState state() {
        return state;
    }

    @Override
    public String toString() {
        return "Snapshot[cycles=" + cycles + ", objects=" + state.objectCount() + ", fields=" + state.fieldCount()
                + ", ramPages=" + ramPages() + "]";
    }
}
