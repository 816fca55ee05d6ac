package dev.vmx4j.core.cli;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.vmx.Vmx;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.vmx.VmExitInfo;
import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.io.PrintStream;

/**
 * Wires {@code --trace exits[,json]}: a VM-exit listener prints each exit (with the named check
 * for a VM-entry failure exit), and an instruction listener looks at each VMX instruction's
 * result when the next instruction starts: if it completed (RIP moved to the next instruction)
 * with CF or ZF set, it failed with VMfailInvalid or VMfailValid, and for VMLAUNCH/VMRESUME with
 * error 7 or 8 the named check is printed.
 */
final class VmxTrace {

    private final Machine machine;
    private final Vmx vmx;
    private final ExitTrace format;
    private final PrintStream out;
    private Mnemonic pending;
    private long pendingRip;
    private long pendingNext;

    private VmxTrace(Machine machine, ExitTrace format, PrintStream out) {
        this.machine = machine;
        this.vmx = Cpu.of(machine).vmx;
        this.format = format;
        this.out = out;
    }

    static void attach(Machine m, PrintStream out, boolean json) {
        VmxTrace t = new VmxTrace(m, new ExitTrace(json), out);
        m.addVmExitListener(t::exit);
        m.addInstructionListener((mm, rip, insn) -> t.instruction(rip, insn));
    }

    private void exit(VmExitInfo e) {
        pending = null; // the VMX instruction entered the guest (or failed into an exit)
        EntryDiagnostic d = e.entryFailure() ? vmx.lastEntryFailure() : null;
        int cpl = (int) (vmx.currentField(VmcsField.GUEST_SS_ACCESS_RIGHTS) >>> 5) & 3;
        out.println(format.exit(e.exitReasonField(), e.qualification(), e.guestRip(), cpl, e.instructionLength(),
                e.interruptionInformation(), d, e.eptMisconfiguration()));
    }

    private void instruction(long rip, DecodedInstruction insn) {
        if (pending != null) {
            if (rip == pendingNext) {
                report();
            }
            pending = null;
        }
        Mnemonic m = insn.mnemonic;
        if (isVmx(m)) {
            pending = m;
            pendingRip = rip;
            pendingNext = rip + insn.length;
        }
    }

    private void report() {
        long flags = machine.rflags();
        String name = pending.name();
        if ((flags & 1) != 0) {
            out.println(format.vmxFail(name, pendingRip, 0, false));
        } else if ((flags & 0x40) != 0) {
            int error = (int) vmx.currentField(VmcsField.VM_INSTRUCTION_ERROR);
            EntryDiagnostic d = vmx.lastEntryFailure();
            if ((pending == Mnemonic.VMLAUNCH || pending == Mnemonic.VMRESUME) && (error == 7 || error == 8) && d != null) {
                out.println(format.entryVmFail(name, pendingRip, d));
            } else {
                out.println(format.vmxFail(name, pendingRip, error, true));
            }
        }
    }

    private static boolean isVmx(Mnemonic m) {
        switch (m) {
            case VMXON: case VMXOFF: case VMCLEAR: case VMPTRLD: case VMPTRST: case VMREAD: case VMWRITE:
            case VMLAUNCH: case VMRESUME: case VMCALL: case INVEPT: case INVVPID: case VMFUNC:
                return true;
            default:
                return false;
        }
    }
}
