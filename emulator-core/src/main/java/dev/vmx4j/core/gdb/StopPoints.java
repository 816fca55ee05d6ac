package dev.vmx4j.core.gdb;

import dev.vmx4j.core.ListenerHandle;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.MemoryListener;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.mmu.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Breakpoints and watchpoints set by {@code Z0}-{@code Z4}. Breakpoints (software and hardware
 * alike) are RIP values handed to the run loop as {@link RunLimits} breakpoints: the guest's
 * memory and debug registers are never modified. Watchpoints are linear address ranges checked
 * by a {@link MemoryListener} that exists only while at least one watchpoint is set, so an
 * unwatched machine runs at full speed; a hit stops the machine after the accessing
 * instruction, as a hardware data breakpoint traps.
 */
final class StopPoints {

    /** gdb's Z types. */
    static final int SOFTWARE = 0;
    static final int HARDWARE = 1;
    static final int WRITE = 2;
    static final int READ = 3;
    static final int ACCESS = 4;

    /** As many hardware breakpoints as there are debug address registers (DR0-DR3). */
    static final int MAX_HARDWARE = 4;
    /** As many watchpoints as there are debug address registers (DR0-DR3). */
    static final int MAX_WATCH = 4;

    private final Machine machine;
    private final List<long[]> breakpoints = new ArrayList<>(); // {rip, type}
    private final List<long[]> watchpoints = new ArrayList<>(); // {address, length, type}
    private ListenerHandle listener;
    private RunLimits limits = RunLimits.unlimited();

    /** The watchpoint hit by the last run: {address, type}, or null. */
    private long[] watchHit;

    StopPoints(Machine machine) {
        this.machine = machine;
    }

    /** Inserts; false if the type is unsupported or the hardware resources are exhausted. */
    boolean insert(int type, long address, long length) {
        switch (type) {
            case SOFTWARE:
            case HARDWARE:
                if (find(breakpoints, type, address, -1) >= 0) {
                    return true;
                }
                if (type == HARDWARE && count(breakpoints, HARDWARE) >= MAX_HARDWARE) {
                    return false;
                }
                breakpoints.add(new long[] {address, type});
                rebuildLimits();
                return true;
            case WRITE:
            case READ:
            case ACCESS:
                if (length < 1 || length > 8) {
                    return false;
                }
                if (find(watchpoints, type, address, length) >= 0) {
                    return true;
                }
                if (watchpoints.size() >= MAX_WATCH) {
                    return false;
                }
                watchpoints.add(new long[] {address, length, type});
                if (listener == null) {
                    listener = machine.addMemoryListener(this::access);
                }
                return true;
            default:
                return false;
        }
    }

    /** Removes; false if no such stop point was set. */
    boolean remove(int type, long address, long length) {
        if (type == SOFTWARE || type == HARDWARE) {
            int i = find(breakpoints, type, address, -1);
            if (i < 0) {
                return false;
            }
            breakpoints.remove(i);
            rebuildLimits();
            return true;
        }
        int i = find(watchpoints, type, address, length);
        if (i < 0) {
            return false;
        }
        watchpoints.remove(i);
        if (watchpoints.isEmpty() && listener != null) {
            listener.remove();
            listener = null;
        }
        return true;
    }

    void clear() {
        breakpoints.clear();
        watchpoints.clear();
        rebuildLimits();
        if (listener != null) {
            listener.remove();
            listener = null;
        }
    }

    /** Run limits carrying every breakpoint (no budget). */
    RunLimits limits() {
        return limits;
    }

    /** The Z type of the breakpoint at {@code rip}, or -1. */
    int breakpointAt(long rip) {
        for (long[] b : breakpoints) {
            if (b[0] == rip) {
                return (int) b[1];
            }
        }
        return -1;
    }

    /** Takes the watchpoint hit recorded since the last call: {address, type}, or null. */
    long[] takeWatchHit() {
        long[] h = watchHit;
        watchHit = null;
        return h;
    }

    private void access(long linear, long physical, int size, boolean write, long value, MemoryType type) {
        for (long[] w : watchpoints) {
            int t = (int) w[2];
            if ((t == WRITE && !write) || (t == READ && write)) {
                continue;
            }
            if (linear < w[0] + w[1] && w[0] < linear + size) {
                if (watchHit == null) {
                    watchHit = new long[] {w[0], t};
                    machine.requestStop(0);
                }
                return;
            }
        }
    }

    private void rebuildLimits() {
        RunLimits l = RunLimits.unlimited();
        for (long[] b : breakpoints) {
            l = l.breakpoint(b[0]);
        }
        limits = l;
    }

    private static int find(List<long[]> list, int type, long address, long length) {
        for (int i = 0; i < list.size(); i++) {
            long[] e = list.get(i);
            boolean typeMatches = list.size() > 0 && e[e.length - 1] == type;
            if (typeMatches && e[0] == address && (length < 0 || e[1] == length)) {
                return i;
            }
        }
        return -1;
    }

    private static int count(List<long[]> list, int type) {
        int n = 0;
        for (long[] e : list) {
            if (e[e.length - 1] == type) {
                n++;
            }
        }
        return n;
    }
}
