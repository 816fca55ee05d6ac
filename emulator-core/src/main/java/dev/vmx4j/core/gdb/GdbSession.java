package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.cpu.Cpu;
import java.io.IOException;
import java.util.Map;

/**
 * One debugger connection: reads packets, answers them, and runs the machine for {@code c},
 * {@code s} and {@code vCont}. The machine has one CPU, reported as thread 1.
 */
final class GdbSession implements MonitorContext {

    // gdb's signal numbers (include/gdb/signals.def), as sent in stop replies.
    static final int SIGINT = 2;
    static final int SIGTRAP = 5;
    static final int SIGABRT = 6;
    static final int SIGSTOP = 17;
    static final int SIGXCPU = 24;

    private static final String THREAD = "thread:01;";

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
    private final java.util.List<Runnable> endActions = new java.util.ArrayList<>();

    GdbSession(Machine machine, PacketIo io, Map<String, GdbServer.Registered> monitors, long slice,
               long maxInstructions) {
        this.machine = machine;
        this.io = io;
        this.monitors = monitors;
        this.slice = slice;
        this.maxInstructions = maxInstructions;
        this.regs = new RegisterFile(machine);
        this.mem = new DebugMemory(machine);
        this.points = new StopPoints(machine);
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
                return resume(false);
            case 's':
            case 'S':
                return resume(true);
            case 'H':
                return validThread(p.substring(2)) ? "OK" : "E01";
            case 'T':
                return validThread(p.substring(1)) ? "OK" : "E01";
            case 'q':
            case 'Q':
                return query(p);
            case 'v':
                return vPacket(p);
            default:
                return ""; // unsupported (also X: gdb falls back to M)
        }
    }

    private static boolean validThread(String id) {
        return id.equals("0") || id.equals("-1") || id.equals("1") || id.equals("01") || id.equals("p1.1")
                || id.equals("p1.-1");
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
            return "QC01";
        }
        if (p.equals("qfThreadInfo")) {
            return "m01";
        }
        if (p.equals("qsThreadInfo")) {
            return "l";
        }
        if (p.equals("qAttached") || p.startsWith("qAttached:")) {
            return "1";
        }
        if (p.startsWith("qThreadExtraInfo,")) {
            return Hex.encodeText(String.format("CPU 0, %d-bit code, CPL %d", codeBits(), machine.cpl()));
        }
        if (p.startsWith("qSymbol")) {
            return "OK";
        }
        if (p.startsWith("qRcmd,")) {
            return Hex.encodeText(monitor(Hex.decodeText(p.substring(6))));
        }
        return "";
    }

    private int codeBits() {
        if ((machine.efer() & (1L << 10)) != 0 && (machine.segment(dev.vmx4j.core.Seg.CS).accessRights() & (1 << 13)) != 0) {
            return 64;
        }
        if ((machine.cr(0) & 1) != 0 && (machine.rflags() & (1L << 17)) == 0
                && (machine.segment(dev.vmx4j.core.Seg.CS).accessRights() & (1 << 14)) != 0) {
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
            for (String action : p.substring(6).split(";")) {
                int colon = action.indexOf(':');
                if (colon >= 0 && !validThread(action.substring(colon + 1))) {
                    continue;
                }
                char a = action.charAt(0);
                if (a == 'c' || a == 'C') {
                    return resume(false);
                }
                if (a == 's' || a == 'S') {
                    return resume(true);
                }
                if (a == 't') {
                    return THREADLESS_STOP;
                }
            }
            return "E01";
        }
        return ""; // vMustReplyEmpty and anything else
    }

    private static final String THREADLESS_STOP = "T00" + THREAD;

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
        Cpu.of(machine).flushTlb();
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

    private String resume(boolean step) throws IOException {
        if (exited) {
            return exitReply();
        }
        points.takeWatchHit();
        stopNote = null;
        String reply = step ? stepOne() : continueRun();
        lastStop = reply;
        return reply;
    }

    private String stepOne() throws IOException {
        RunResult r = machine.step();
        return stopReply(r.reason(), r.exitStatus(), true);
    }

    private String continueRun() throws IOException {
        boolean first = true;
        while (true) {
            long budget = Math.min(slice, maxInstructions - machine.instructionsRetired());
            if (budget <= 0) {
                return "T" + hex2(SIGXCPU) + THREAD;
            }
            // A new slice starting on a breakpoint (not the first: that one resumes from it) stops there.
            if (!first && points.breakpointAt(machine.rip()) >= 0) {
                return breakReply(points.breakpointAt(machine.rip()));
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
                    return "T" + hex2(SIGINT) + THREAD;
                }
            }
        }
    }

    private String stopReply(StopReason reason, int status, boolean step) throws IOException {
        long[] watch = points.takeWatchHit();
        if (watch != null) {
            String kind = watch[1] == StopPoints.WRITE ? "watch" : watch[1] == StopPoints.READ ? "rwatch" : "awatch";
            return "T" + hex2(SIGTRAP) + kind + ":" + Long.toHexString(watch[0]) + ";" + THREAD;
        }
        if (stopNote != null) {
            io.write("O" + Hex.encodeText(stopNote + "\n"));
            stopNote = null;
            return "T" + hex2(SIGTRAP) + THREAD;
        }
        switch (reason) {
            case BREAKPOINT:
                return breakReply(points.breakpointAt(machine.rip()));
            case DEVICE_REQUEST:
                exited = true;
                exitStatus = status;
                return exitReply();
            case SHUTDOWN:
                return "T" + hex2(SIGABRT) + THREAD;
            case HALTED:
                return "T" + hex2(SIGSTOP) + THREAD;
            default:
                // A step, a listener's stop request, or a cycle limit.
                return "T" + hex2(SIGTRAP) + THREAD;
        }
    }

    private String breakReply(int type) {
        return "T" + hex2(SIGTRAP) + (type == StopPoints.HARDWARE ? "hwbreak:;" : "swbreak:;") + THREAD;
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
            Cpu.of(machine).flushTlb();
        }
        return ok;
    }

    @Override
    public long translate(long linear) {
        return mem.translate(linear);
    }
}
