package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.Segment;
import java.util.Map;

/**
 * The stub's own {@code monitor} commands: {@code help}, {@code phys}/{@code physw} (physical memory),
 * {@code translate} (linear to physical through the current paging) and {@code segments} (the
 * hidden parts of the segment registers, which gdb's register set does not show).
 */
final class BuiltInMonitors {

    private BuiltInMonitors() {
    }

    static void register(GdbServer server) {
        server.monitor("help", "list the monitor commands", (ctx, args) -> help(server.monitors()));
        server.monitor("phys", "ADDR [LEN]: hex dump of physical memory (LEN default 64, at most 4096)",
                BuiltInMonitors::phys);
        server.monitor("physw", "ADDR HEXBYTES: write bytes to physical memory (RAM only)", BuiltInMonitors::physw);
        server.monitor("translate", "ADDR: the physical address of a linear address under the current paging",
                BuiltInMonitors::translate);
        server.monitor("segments", "selector, base, limit and access rights of every segment register",
                (ctx, args) -> segments(ctx.machine()));
    }

    private static String help(Map<String, GdbServer.Registered> monitors) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, GdbServer.Registered> e : monitors.entrySet()) {
            sb.append(String.format("%-12s %s%n", e.getKey(), e.getValue().help()));
        }
        return sb.toString();
    }

    static long number(String s, String what) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("0x")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number (decimal or 0x hex), was '" + s + "'");
        }
    }

    private static String phys(MonitorContext ctx, String args) {
        String[] a = args.isEmpty() ? new String[0] : args.split("\\s+");
        if (a.length < 1 || a.length > 2) {
            return "usage: monitor phys ADDR [LEN]";
        }
        long addr = number(a[0], "ADDR");
        long len = a.length > 1 ? number(a[1], "LEN") : 64;
        if (len < 1 || len > 4096) {
            return "LEN must be in [1, 4096], was " + len;
        }
        byte[] b = new byte[(int) len];
        int n = ctx.readPhysical(addr, b, b.length);
        if (n == 0) {
            return String.format("physical 0x%x is not RAM", addr);
        }
        return hexDump(addr, b, n);
    }

    private static String physw(MonitorContext ctx, String args) {
        String[] a = args.isEmpty() ? new String[0] : args.split("\\s+");
        if (a.length != 2) {
            return "usage: monitor physw ADDR HEXBYTES";
        }
        long addr = number(a[0], "ADDR");
        byte[] data;
        try {
            data = Hex.decodeBytes(a[1]);
        } catch (ProtocolException e) {
            return "HEXBYTES must be pairs of hex digits, was '" + a[1] + "'";
        }
        if (!ctx.writePhysical(addr, data)) {
            return String.format("physical 0x%x..0x%x is not RAM: nothing written", addr, addr + data.length - 1);
        }
        return String.format("wrote %d bytes at physical 0x%x", data.length, addr);
    }

    static String hexDump(long addr, byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i += 16) {
            sb.append(String.format("%016x:", addr + i));
            for (int k = i; k < Math.min(n, i + 16); k++) {
                sb.append(String.format(" %02x", b[k] & 0xFF));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String translate(MonitorContext ctx, String args) {
        if (args.isEmpty()) {
            return "usage: monitor translate ADDR";
        }
        long lin = number(args, "ADDR");
        long p = ctx.translate(lin);
        return p < 0 ? String.format("linear 0x%x is not mapped", lin)
                : String.format("linear 0x%x -> physical 0x%x", lin, p);
    }

    private static String segments(Machine m) {
        StringBuilder sb = new StringBuilder();
        for (Seg s : Seg.values()) {
            Segment g = m.segment(s);
            sb.append(String.format("%-4s selector 0x%04x base 0x%016x limit 0x%08x rights 0x%05x%n",
                    s.name().toLowerCase(java.util.Locale.ROOT), g.selector(), g.base(), g.limit() & 0xFFFFFFFFL,
                    g.accessRights()));
        }
        sb.append(String.format("gdtr base 0x%016x limit 0x%04x%nidtr base 0x%016x limit 0x%04x%n",
                m.gdtrBase(), m.gdtrLimit(), m.idtrBase(), m.idtrLimit()));
        return sb.toString();
    }
}
