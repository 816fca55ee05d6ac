package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.cpu.Cpu;
import java.io.IOException;
import java.util.Map;

/**
 * One debugger connection: reads packets, answers them, and runs the machine for {@code c},
 * {@code s} and {@code vCont}. Each processor is a gdb thread: processor {@code i} is thread
 * {@code i + 1}; {@code Hg} selects the one whose registers and paging gdb sees, {@code Hc} (or a
 * {@code vCont} step action) the one a step waits for, and a stop selects the processor that
 * stopped (gdb assumes so after a stop reply).
 */
final class GdbSession implements MonitorContext {

    // gdb's signal numbers (include/gdb/signals.def), as sent in stop replies.
    static final int SIGINT = 2;
    static final int SIGTRAP = 5;
    static final int SIGABRT = 6;
    static final int SIGSTOP = 17;
    static final int SIGXCPU = 24;

    private final Machine machine;
    private final PacketIo io;
    private final Map<String, GdbServer.Registered> monitors;
    private final long slice;
    private final long maxInstructions;
    private final RegisterFile regs;
    private final DebugMemory mem;
    private final StopPoints points;
    private String lastStop = "S05";
    private boolean exited;
    private int exitStatus;
    private String stopNote;
    /** Processor index gdb's {@code Hg} selected (registers, memory, monitor translations). */
    private int selected;
    /** Processor index {@code Hc} selected for {@code s}, or -1: the {@code Hg} one. */
    private int stepTarget = -1;
    private final java.util.List<Runnable> endActions = new java.util.ArrayList<>();

    GdbSession(Machine machine, PacketIo io, Map<String, GdbServer.Registered> monitors, long slice,
               long maxInstructions) {
        this.machine = machine;
        this.io = io;
        this.monitors = monitors;
        this.slice = slice;
        this.maxInstructions = maxInstructions;
        this.regs = new RegisterFile(Cpu.of(machine));
        this.mem = new DebugMemory(machine);
        this.points = new StopPoints(machine);
        if (machine.cpuCount() > 1) {
            lastStop = "T05" + threadTag(); // with several threads gdb wants to know which one stopped
        }
    }

    GdbOutcome serve() throws IOException {
        try {
            while (true) {
                String p = io.read();
                if (p == null) {
                    return new GdbOutcome(GdbOutcome.Kind.DISCONNECTED, 0);
                }
                if (p.equals(PacketIo.INTERRUPT)) {
                    continue; // already stopped
                }
                GdbOutcome end = endOf(p);
                if (end != null) {
                    return end;
                }
                String reply;
                try {
                    reply = handle(p);
                } catch (ProtocolException e) {
                    reply = "E01";
                }
                if (reply != null) {
                    io.write(reply);
                }
                if (exited && (p.startsWith("c") || p.startsWith("s") || p.startsWith("C") || p.startsWith("S")
                        || p.startsWith("vCont;"))) {
                    return new GdbOutcome(GdbOutcome.Kind.EXITED, exitStatus);
                }
            }
        } finally {
            points.clear();
            for (Runnable r : endActions) {
                r.run();
            }
            endActions.clear();
        }
    }

    /** D, k, vKill end the session. */
    private GdbOutcome endOf(String p) throws IOException {
        if (p.equals("D") || p.startsWith("D;")) {
            io.write("OK");
            return new GdbOutcome(GdbOutcome.Kind.DETACHED, 0);
        }
        if (p.equals("k")) {
            return new GdbOutcome(GdbOutcome.Kind.KILLED, 0);
        }
        if (p.startsWith("vKill")) {
            io.write("OK");
            return new GdbOutcome(GdbOutcome.Kind.KILLED, 0);
        }
        return null;
    }

    String handle(String p) throws IOException {
        char c = p.charAt(0);
        switch (c) {
            case '?':
                return lastStop;
            case 'g':
                return regs.readAll();
            case 'G':
                regs.writeAll(p.substring(1));
                return "OK";
            case 'p': {
                GdbRegister r = GdbRegister.byNumber(Hex.parse(p.substring(1)));
                if (r == null) {
                    return "E00";
                }
                StringBuilder sb = new StringBuilder();
                regs.read(r, sb);
                return sb.toString();
            }
            case 'P': {
                int eq = p.indexOf('=');
                if (eq < 0) {
                    return "E01";
                }
                GdbRegister r = GdbRegister.byNumber(Hex.parse(p.substring(1, eq)));
                if (r == null) {
                    return "E00";
                }
                regs.write(r, p, eq + 1);
                return "OK";
            }
            case 'm':
                return readMemory(p.substring(1));
            case 'M':
                return writeMemory(p.substring(1));
            case 'Z':
            case 'z':
                return stopPoint(p);
            case 'c':
            case 'C':
                return resume(false, -1);
            case 's':
            case 'S':
                return resume(true, stepTarget >= 0 ? stepTarget : selected);
            case 'H':
                return selectThread(p);
            case 'T':
                return threadIndex(p.substring(1)) >= 0 ? "OK" : "E01";
            case 'q':
            case 'Q':
                return query(p);
            case 'v':
                return vPacket(p);
            default:
                return ""; // unsupported (also X: gdb falls back to M)
        }
    }

    /** Values of {@link #threadIndex} besides a processor index. */
    private static final int ANY = -1;
    private static final int ALL = -2;
    private static final int INVALID = -3;

    /**
     * The processor index of gdb thread id {@code id} (hex, or {@code pPID.TID}): {@link #ANY} for
     * 0, {@link #ALL} for -1, {@link #INVALID} for anything else.
     */
    private int threadIndex(String id) {
        String t = id;
        if (t.startsWith("p")) {
            int dot = t.indexOf('.');
            if (dot < 0) {
                return ALL; // pPID: every thread of the process
            }
            t = t.substring(dot + 1);
        }
        if (t.equals("-1")) {
            return ALL;
        }
        if (t.isEmpty() || t.length() > 8) {
            return INVALID;
        }
        for (int i = 0; i < t.length(); i++) {
            if (Character.digit(t.charAt(i), 16) < 0) {
                return INVALID;
            }
        }
        long n = Long.parseLong(t, 16);
        if (n == 0) {
            return ANY;
        }
        return n <= machine.cpuCount() ? (int) n - 1 : INVALID;
    }

    /** {@code Hg ID} and {@code Hc ID}. */
    private String selectThread(String p) {
        if (p.length() < 3) {
            return "E01";
        }
        int index = threadIndex(p.substring(2));
        if (index == INVALID) {
            return "E01";
        }
        if (p.charAt(1) == 'g') {
            if (index >= 0) {
                select(index);
            }
            return "OK";
        }
        if (p.charAt(1) == 'c') {
            stepTarget = index >= 0 ? index : -1;
            return "OK";
        }
        return "E01";
    }

    private void select(int index) {
        selected = index;
        Cpu c = machine.cpu(index);
        regs.select(c);
        mem.select(c);
    }

    private String threadId(int index) {
        return hex2(index + 1);
    }

    /** The {@code thread:ID;} part of a stop reply: the selected processor (the one that stopped). */
    private String threadTag() {
        return "thread:" + threadId(selected) + ";";
    }

    private String query(String p) throws IOException {
        if (p.startsWith("qSupported")) {
            return "PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+";
        }
        if (p.equals("QStartNoAckMode")) {
            io.write("OK");
            io.setNoAck(true);
            return null;
        }
        if (p.startsWith("qXfer:features:read:")) {
            return features(p.substring("qXfer:features:read:".length()));
        }
        if (p.equals("qC")) {
            return "QC" + threadId(selected);
        }
        if (p.equals("qfThreadInfo")) {
            StringBuilder sb = new StringBuilder("m");
            for (int i = 0; i < machine.cpuCount(); i++) {
                sb.append(i == 0 ? "" : ",").append(threadId(i));
            }
            return sb.toString();
        }
        if (p.equals("qsThreadInfo")) {
            return "l";
        }
        if (p.equals("qAttached") || p.startsWith("qAttached:")) {
            return "1";
        }
        if (p.startsWith("qThreadExtraInfo,")) {
            int index = threadIndex(p.substring("qThreadExtraInfo,".length()));
            if (index < 0) {
                return "E01";
            }
            return Hex.encodeText(extraInfo(index));
        }
        if (p.startsWith("qSymbol")) {
            return "OK";
        }
        if (p.startsWith("qRcmd,")) {
            return Hex.encodeText(monitor(Hex.decodeText(p.substring(6))));
        }
        return "";
    }

    /** What {@code info threads} shows beside a thread: "CPU 1, wait-for-SIPI", "CPU 0, 64-bit code, CPL 0". */
    private String extraInfo(int index) {
        Cpu c = machine.cpu(index);
        switch (c.activity()) {
            case WAIT_FOR_SIPI:
                return "CPU " + index + ", wait-for-SIPI";
            case SHUTDOWN:
                return "CPU " + index + ", shutdown";
            case HLT:
                return String.format("CPU %d, halted, %d-bit code, CPL %d", index, codeBits(c), c.cpl);
            default:
                return String.format("CPU %d, %d-bit code, CPL %d", index, codeBits(c), c.cpl);
        }
    }

    private static int codeBits(Cpu c) {
        int csRights = c.seg[dev.vmx4j.core.Seg.CS.number()].accessRights();
        if ((c.efer & (1L << 10)) != 0 && (csRights & (1 << 13)) != 0) {
            return 64;
        }
        if ((c.cr0 & 1) != 0 && (c.rflags() & (1L << 17)) == 0 && (csRights & (1 << 14)) != 0) {
            return 32;
        }
        return 16;
    }

    private static String features(String args) {
        // target.xml:OFFSET,LENGTH
        int colon = args.indexOf(':');
        if (colon < 0 || !args.substring(0, colon).equals("target.xml")) {
            return "E00";
        }
        String[] ol = args.substring(colon + 1).split(",");
        if (ol.length != 2) {
            return "E01";
        }
        String xml = TargetDescription.xml();
        long off = Hex.parse(ol[0]);
        long len = Hex.parse(ol[1]);
        if (off >= xml.length()) {
            return "l";
        }
        int end = (int) Math.min(xml.length(), off + len);
        return (end == xml.length() ? "l" : "m") + xml.substring((int) off, end);
    }

    private String vPacket(String p) throws IOException {
        if (p.equals("vCont?")) {
            return "vCont;c;C;s;S";
        }
        if (p.startsWith("vCont;")) {
            // The first action in order that applies wins (gdb lists thread-specific actions first);
            // every processor runs under any action, a step waits for its thread's instruction.
            for (String action : p.substring(6).split(";")) {
                if (action.isEmpty()) {
                    continue;
                }
                int colon = action.indexOf(':');
                int index = colon < 0 ? ANY : threadIndex(action.substring(colon + 1));
                if (index == INVALID) {
                    continue;
                }
                char a = action.charAt(0);
                if (a == 'c' || a == 'C') {
                    return resume(false, -1);
                }
                if (a == 's' || a == 'S') {
                    return resume(true, index >= 0 ? index : selected);
                }
                if (a == 't') {
                    return "T00" + threadTag();
                }
            }
            return "E01";
        }
        return ""; // vMustReplyEmpty and anything else
    }

    // ---------------------------------------------------------------- memory

    private String readMemory(String args) {
        int comma = args.indexOf(',');
        if (comma < 0) {
            return "E01";
        }
        long addr = Hex.parse(args.substring(0, comma));
        long len = Hex.parse(args.substring(comma + 1));
        if (len > 0x1000) {
            len = 0x1000;
        }
        byte[] b = new byte[(int) len];
        int n = mem.readLinear(addr, b, b.length);
        if (n == 0 && len > 0) {
            return "E14";
        }
        return Hex.encode(b, 0, n);
    }

    private String writeMemory(String args) {
        int comma = args.indexOf(',');
        int colon = args.indexOf(':');
        if (comma < 0 || colon < comma) {
            return "E01";
        }
        long addr = Hex.parse(args.substring(0, comma));
        long len = Hex.parse(args.substring(comma + 1, colon));
        byte[] b = Hex.decodeBytes(args.substring(colon + 1));
        if (b.length != len) {
            return "E01";
        }
        if (!mem.writeLinear(addr, b)) {
            return "E14";
        }
        flushTlbs();
        return "OK";
    }

    // ---------------------------------------------------------------- stop points

    private String stopPoint(String p) {
        String[] f = p.substring(1).split("[,;]");
        if (f.length < 3) {
            return "E01";
        }
        int type = (int) Hex.parse(f[0]);
        long addr = Hex.parse(f[1]);
        long kind = Hex.parse(f[2]);
        if (type > StopPoints.ACCESS) {
            return "";
        }
        boolean ok = p.charAt(0) == 'Z' ? points.insert(type, addr, kind) : points.remove(type, addr, kind);
        return ok ? "OK" : "E0e";
    }

    // ---------------------------------------------------------------- running

    /** Every processor's TLB: a debugger write may change paging structures any of them cached. */
    private void flushTlbs() {
        for (int i = 0; i < machine.cpuCount(); i++) {
            machine.cpu(i).flushTlb();
        }
    }

    /** {@code c} (every processor runs) or {@code s} of processor {@code stepIndex}. */
    private String resume(boolean step, int stepIndex) throws IOException {
        if (exited) {
            return exitReply();
        }
        points.takeWatchHit();
        stopNote = null;
        String reply = step ? stepOne(stepIndex) : continueRun();
        lastStop = reply;
        return reply;
    }

    /**
     * One instruction of processor {@code index}. With several processors the schedule runs one
     * instruction at a time (the same interleaving as a run) until that processor has retired
     * one, another stop happens, or {@code slice} instructions pass (a processor waiting for a
     * SIPI or an interrupt may never retire one): the others may retire some meanwhile.
     */
    private String stepOne(int index) throws IOException {
        if (machine.cpuCount() == 1) {
            RunResult r = machine.step();
            return stopReply(r.reason(), r.exitStatus(), true);
        }
        Cpu c = machine.cpu(index);
        long before = c.retired();
        RunResult r = machine.step();
        for (long n = 1; n < slice && r.reason() == StopReason.INSTRUCTION_LIMIT && c.retired() == before; n++) {
            r = machine.step();
        }
        return stopReply(r.reason(), r.exitStatus(), true);
    }

    private String continueRun() throws IOException {
        boolean first = true;
        while (true) {
            long budget = Math.min(slice, maxInstructions - machine.instructionsRetired());
            if (budget <= 0) {
                select(machine.lastProcessor());
                return "T" + hex2(SIGXCPU) + threadTag();
            }
            // A new slice starting on a breakpoint (not the first: that one resumes from it) stops there.
            if (!first && points.breakpointAt(machine.cpu(machine.lastProcessor()).rip) >= 0) {
                select(machine.lastProcessor());
                return breakReply(points.breakpointAt(machine.cpu(selected).rip));
            }
            first = false;
            RunResult r = machine.run(points.limits().maxInstructions(budget));
            if (r.reason() != StopReason.INSTRUCTION_LIMIT) {
                return stopReply(r.reason(), r.exitStatus(), false);
            }
            while (io.inputPending()) {
                String p = io.read();
                if (p == null) {
                    throw new java.io.EOFException("gdb closed the connection while the machine ran");
                }
                if (p.equals(PacketIo.INTERRUPT)) {
                    select(machine.lastProcessor());
                    return "T" + hex2(SIGINT) + threadTag();
                }
            }
        }
    }

    private String stopReply(StopReason reason, int status, boolean step) throws IOException {
        select(machine.lastProcessor());
        long[] watch = points.takeWatchHit();
        if (watch != null) {
            String kind = watch[1] == StopPoints.WRITE ? "watch" : watch[1] == StopPoints.READ ? "rwatch" : "awatch";
            return "T" + hex2(SIGTRAP) + kind + ":" + Long.toHexString(watch[0]) + ";" + threadTag();
        }
        if (stopNote != null) {
            io.write("O" + Hex.encodeText(stopNote + "\n"));
            stopNote = null;
            return "T" + hex2(SIGTRAP) + threadTag();
        }
        switch (reason) {
            case BREAKPOINT:
                return breakReply(points.breakpointAt(machine.cpu(selected).rip));
            case DEVICE_REQUEST:
                exited = true;
                exitStatus = status;
                return exitReply();
            case SHUTDOWN:
                return "T" + hex2(SIGABRT) + threadTag();
            case HALTED:
                return "T" + hex2(SIGSTOP) + threadTag();
            default:
                // A step, a listener's stop request, or a cycle limit.
                return "T" + hex2(SIGTRAP) + threadTag();
        }
    }

    private String breakReply(int type) {
        return "T" + hex2(SIGTRAP) + (type == StopPoints.HARDWARE ? "hwbreak:;" : "swbreak:;") + threadTag();
    }

    private String exitReply() {
        return "W" + hex2(exitStatus & 0xFF);
    }

    private static String hex2(int v) {
        StringBuilder sb = new StringBuilder(2);
        Hex.appendByte(sb, v);
        return sb.toString();
    }

    // ---------------------------------------------------------------- monitor

    private String monitor(String line) {
        String t = line.trim();
        int sp = t.indexOf(' ');
        String name = sp < 0 ? t : t.substring(0, sp);
        String args = sp < 0 ? "" : t.substring(sp + 1).trim();
        GdbServer.Registered r = monitors.get(name);
        if (r == null) {
            return "unknown monitor command '" + name + "'; try 'monitor help'\n";
        }
        try {
            String out = r.command().execute(this, args);
            return out.endsWith("\n") || out.isEmpty() ? out : out + "\n";
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n";
        }
    }

    // ---------------------------------------------------------------- MonitorContext

    @Override
    public Machine machine() {
        return machine;
    }

    @Override
    public void requestStop(String why) {
        if (stopNote == null) {
            stopNote = why;
        }
        machine.requestStop(0);
    }

    @Override
    public void onSessionEnd(Runnable action) {
        endActions.add(action);
    }

    @Override
    public int readPhysical(long address, byte[] dst, int length) {
        return mem.readPhysical(address, dst, length);
    }

    @Override
    public boolean writePhysical(long address, byte[] data) {
        boolean ok = mem.writePhysical(address, data);
        if (ok) {
            flushTlbs();
        }
        return ok;
    }

    @Override
    public long translate(long linear) {
        return mem.translate(linear);
    }
}
