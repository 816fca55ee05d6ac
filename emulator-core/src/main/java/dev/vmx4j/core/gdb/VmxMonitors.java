package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.vmx.Vmx;
import dev.vmx4j.core.vmx.VmExitInfo;
import dev.vmx4j.mmu.ept.EptAccess;
import dev.vmx4j.mmu.ept.EptWalkResult;
import dev.vmx4j.mmu.ept.EptWalker;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.controls.VmxCapabilities;
import dev.vmx4j.vmx.entry.EntryCheckReport;
import dev.vmx4j.vmx.entry.EntryChecker;
import dev.vmx4j.vmx.entry.EntryContext;
import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.entry.Undecided;
import dev.vmx4j.vmx.entry.VmcsReader;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.print.FieldDecoder;
import dev.vmx4j.vmx.print.VmcsPrinter;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The stub's VMX monitor commands: {@code vmx} (root or non-root, VMXON region, current VMCS),
 * {@code vmcs} (the current VMCS, every field by name, decoded), {@code exits [N]} (the last N VM
 * exits), {@code diag} (every VM-entry check on the current VMCS now), {@code break-exit
 * REASON...} (stop at a VM exit with one of these reasons, or any VM-entry failure), and
 * {@code ept ADDR} (a guest-physical address walked through the current EPT, level by level).
 */
final class VmxMonitors {

    private static final int KEEP = 64;

    private final Machine machine;
    private final Vmx vmx;
    private final Deque<VmExitInfo> recent = new ArrayDeque<>();
    private final Set<Integer> breakReasons = new LinkedHashSet<>();
    private boolean breakAny;
    private boolean breakEntryFailure;
    private MonitorContext session;

    private VmxMonitors(Machine machine) {
        this.machine = machine;
        this.vmx = Cpu.of(machine).vmx;
    }

    /** Adds the commands to {@code server}; the returned handle removes the VM-exit listener. */
    static dev.vmx4j.core.ListenerHandle register(GdbServer server, Machine machine) {
        VmxMonitors v = new VmxMonitors(machine);
        dev.vmx4j.core.ListenerHandle h = machine.addVmExitListener(v::exit);
        server.monitor("vmx", "VMX operation: root or non-root, VMXON region, current VMCS", (c, a) -> v.vmx());
        server.monitor("vmcs", "the current VMCS: every field by name, controls as named bits", (c, a) -> v.vmcs());
        server.monitor("exits", "[N]: the last N VM exits, decoded (default 10, at most " + KEEP + ")",
                (c, a) -> v.exits(a));
        server.monitor("diag", "run every VM-entry check on the current VMCS now", (c, a) -> v.diag());
        server.monitor("break-exit", "REASON...|any|entry-failure|off: stop at VM exits with these reasons "
                + "(names as EPT_VIOLATION, or numbers)", v::breakExit);
        server.monitor("ept", "ADDR: walk a guest-physical address through the current EPT", (c, a) -> v.ept(a));
        return h;
    }

    private void exit(VmExitInfo e) {
        recent.addLast(e);
        if (recent.size() > KEEP) {
            recent.removeFirst();
        }
        MonitorContext s = session;
        if (s == null) {
            return;
        }
        if (breakAny || breakReasons.contains(e.basicReason()) || (breakEntryFailure && e.entryFailure())) {
            s.requestStop("vmx4j: " + describe(e));
        }
    }

    private String describe(VmExitInfo e) {
        ExitReason r = e.reason();
        String name = r != null ? r.name() : "reason " + e.basicReason();
        String q = FieldDecoder.qualification(e.basicReason(), e.qualification());
        return String.format(Locale.ROOT, "%s %s guest rip=0x%x len=%d qual=0x%x%s",
                e.entryFailure() ? "VM-entry failure" : "VM exit", name, e.guestRip(), e.instructionLength(),
                e.qualification(), q.isEmpty() ? "" : " " + q);
    }

    private String vmx() {
        if (!vmx.inVmxOperation()) {
            return "not in VMX operation";
        }
        long cur = vmx.currentVmcsPointer();
        return String.format(Locale.ROOT, "VMX %s operation%nVMXON region 0x%x%ncurrent VMCS %s%n",
                vmx.nonRoot ? "non-root" : "root", vmx.vmxonPointer(),
                cur == -1L ? "none (FFFFFFFF_FFFFFFFF)" : String.format("0x%x", cur));
    }

    private boolean noCurrentVmcs() {
        return !vmx.inVmxOperation() || vmx.currentVmcsPointer() == -1L;
    }

    private String vmcs() {
        if (noCurrentVmcs()) {
            return "no current VMCS";
        }
        Map<VmcsField, Long> m = new EnumMap<>(VmcsField.class);
        VmxCapabilities caps = VmxCapabilities.of(machine.profile());
        for (VmcsField f : VmcsField.values()) {
            if (caps.hasFeature(f.feature())) {
                m.put(f, vmx.currentField(f));
            }
        }
        return VmcsPrinter.print(m);
    }

    private String exits(String args) {
        int n = args.isEmpty() ? 10 : (int) Math.min(KEEP, BuiltInMonitors.number(args, "N"));
        if (recent.isEmpty()) {
            return "no VM exit yet";
        }
        StringBuilder sb = new StringBuilder();
        int skip = Math.max(0, recent.size() - n);
        int i = 0;
        for (VmExitInfo e : recent) {
            if (i++ >= skip) {
                sb.append(describe(e)).append('\n');
            }
        }
        return sb.toString();
    }

    private String diag() {
        if (noCurrentVmcs()) {
            return "no current VMCS";
        }
        VmcsReader reader = vmx::currentField;
        EntryChecker checker = EntryChecker.forProfile(machine.profile());
        EntryContext ctx = EntryContext.builder().memory(machine.memory()).currentVmcsPointer(vmx.currentVmcsPointer())
                .ia32eMode((machine.efer() & (1L << 10)) != 0).build();
        EntryCheckReport r = checker.allFailures(reader, ctx);
        if (r.failures().isEmpty()) {
            return r.undecided().isEmpty() ? "every VM-entry check passes" : "no check fails; undecided: " + r.undecided();
        }
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (EntryDiagnostic d : r.failures()) {
            sb.append(first ? "* " : "  ").append(d).append('\n');
            first = false;
        }
        for (Undecided u : r.undecided()) {
            sb.append("  undecided ").append(u).append('\n');
        }
        return sb.toString();
    }

    private String breakExit(MonitorContext ctx, String args) {
        if (args.isEmpty()) {
            return "usage: monitor break-exit REASON...|any|entry-failure|off";
        }
        if (session != ctx) {
            session = ctx;
            ctx.onSessionEnd(() -> {
                session = null;
                breakReasons.clear();
                breakAny = false;
                breakEntryFailure = false;
            });
        }
        for (String a : args.split("[\\s,]+")) {
            String t = a.toUpperCase(Locale.ROOT);
            if (t.equals("OFF")) {
                breakReasons.clear();
                breakAny = false;
                breakEntryFailure = false;
            } else if (t.equals("ANY")) {
                breakAny = true;
            } else if (t.equals("ENTRY-FAILURE") || t.equals("ENTRY_FAILURE")) {
                breakEntryFailure = true;
            } else if (Character.isDigit(t.charAt(0))) {
                breakReasons.add((int) BuiltInMonitors.number(a, "REASON"));
            } else {
                try {
                    breakReasons.add(ExitReason.valueOf(t.replace('-', '_')).number());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown exit reason '" + a + "' (names as in ExitReason: CPUID, "
                            + "EPT_VIOLATION, IO_INSTRUCTION, ...; or numbers)");
                }
            }
        }
        StringBuilder sb = new StringBuilder("break on VM exits:");
        if (breakAny) {
            sb.append(" any");
        }
        if (breakEntryFailure) {
            sb.append(" entry-failure");
        }
        for (int r : breakReasons) {
            ExitReason e = ExitReason.byNumber(r);
            sb.append(' ').append(e != null ? e.name() : Integer.toString(r));
        }
        return sb.toString();
    }

    private String ept(String args) {
        if (args.isEmpty()) {
            return "usage: monitor ept ADDR";
        }
        if (noCurrentVmcs()) {
            return "no current VMCS";
        }
        long proc = vmx.currentField(VmcsField.PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS);
        long sec = (proc >>> 31 & 1) != 0 ? vmx.currentField(VmcsField.SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS) : 0;
        if ((sec & SecondaryProcBasedControl.ENABLE_EPT.mask()) == 0) {
            return "EPT is not enabled in the current VMCS";
        }
        long gpa = BuiltInMonitors.number(args, "ADDR");
        long eptp = vmx.currentField(VmcsField.EPT_POINTER);
        EptWalker w = new EptWalker(new DebugMemory.ReadOnly(machine.memory()))
                .configure(VmxCapabilities.of(machine.profile()).ept(), machine.profile().maxPhysicalAddressBits())
                .eptp(eptp);
        EptWalkResult r = new EptWalkResult();
        w.translate(gpa, 0, EptAccess.READ, r);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "EPTP 0x%x, guest-physical 0x%x%n", eptp, gpa));
        for (int level = r.topLevel(); level >= Math.max(1, r.level()); level--) {
            sb.append(String.format(Locale.ROOT, "  level %d entry at 0x%x = 0x%016x%n", level, r.entryAddress(level),
                    r.entryValue(level)));
        }
        if (r.isTranslated()) {
            sb.append(String.format(Locale.ROOT, "  -> host-physical 0x%x, %s, page size 0x%x, memory type %s%n",
                    r.hostPhysicalAddress(), (r.readable() ? "R" : "-") + (r.writable() ? "W" : "-")
                            + (r.executable() ? "X" : "-"), r.pageSize(), r.memoryType()));
        } else {
            sb.append("  -> ").append(r.outcome()).append(r.misconfiguration() != null ? " " + r.misconfiguration() : "")
                    .append('\n');
        }
        return sb.toString();
    }
}
