package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.ArchitecturalEvent;
import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuException;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.core.vmx.VmExitInfo;
import dev.vmx4j.core.vmx.VmExitListener;
import dev.vmx4j.vmx.insn.VmxResult;

/**
 * The module-internal side of {@link dev.vmx4j.core.vmx.VmxHost}: each call runs the VMX
 * instruction's own code ({@link VmxInstructions}) with the operand given as a value, and
 * reports what happened. Not on any hot path.
 */
public final class HostApi {

    private final Vmx vmx;
    private final Cpu c;

    /** The outcome of the last call: a result, a fault vector, whether an exit happened. */
    private VmxResult result;
    private int faultVector;
    private long value;

    HostApi(Vmx vmx, Cpu c) {
        this.vmx = vmx;
        this.c = c;
    }

    public VmxResult result() {
        return result;
    }

    public int faultVector() {
        return faultVector;
    }

    public long value() {
        return value;
    }

    /** Called by {@link VmxInstructions#complete}: the outcome of the instruction just executed. */
    void completed(VmxResult r) {
        result = r;
    }

    /** Operations of {@link #call}. */
    public static final int VMXON = 0;
    public static final int VMXOFF = 1;
    public static final int VMCLEAR = 2;
    public static final int VMPTRLD = 3;
    public static final int VMPTRST = 4;
    public static final int VMREAD = 5;
    public static final int VMWRITE = 6;
    public static final int VMLAUNCH = 7;
    public static final int VMRESUME = 8;
    /** INVEPT: {@code a} the type, {@code b} the descriptor's EPTP. */
    public static final int INVEPT = 9;

    /**
     * INVVPID with type {@code type}, descriptor VPID field {@code low} (bits 63:0 of the
     * descriptor) and linear address {@code linear}. Returns like {@link #call}.
     */
    public long invvpid(long type, long low, long linear) {
        if (c.vmx.nonRoot) {
            throw new IllegalStateException("the VMX host API needs VMX root operation; the guest is running");
        }
        result = null;
        faultVector = -1;
        value = 0;
        try {
            InvalidationInstructions.invvpid(vmx, c, null, type, low, linear);
        } catch (CpuException e) {
            faultVector = e.vector;
        }
        return 0;
    }

    /**
     * Executes operation {@code op} with operands {@code a} (pointer or field encoding) and
     * {@code b} (VMWRITE's value). Returns the number of VM exits performed during the call
     * (an entry failure, or an MTF exit pending right after entry).
     */
    public long call(int op, long a, long b) {
        if (c.vmx.nonRoot) {
            throw new IllegalStateException("the VMX host API needs VMX root operation or no VMX operation; "
                    + "the guest is running (VMX non-root operation)");
        }
        result = null;
        faultVector = -1;
        value = 0;
        long exits = vmx.exitCount;
        try {
            switch (op) {
                case VMXON: vmx.instructions.vmxon(null, a); break;
                case VMXOFF: vmx.instructions.vmxoff(null); break;
                case VMCLEAR: vmx.instructions.vmclear(null, a); break;
                case VMPTRLD: vmx.instructions.vmptrld(null, a); break;
                case VMPTRST: value = vmx.instructions.vmptrst(null); break;
                case VMREAD: value = vmx.instructions.vmread(null, a); break;
                case VMWRITE: vmx.instructions.vmwrite(null, a, b); break;
                case VMLAUNCH: vmx.instructions.vmlaunchOrResume(null, true); break;
                case VMRESUME: vmx.instructions.vmlaunchOrResume(null, false); break;
                case INVEPT: InvalidationInstructions.invept(vmx, c, null, a, b); break;
                default: throw new IllegalArgumentException("op must be in [0, 9], was " + op);
            }
        } catch (CpuException e) {
            if (vmx.nonRoot) {
                // A fault while delivering an injected event: the guest's own exception.
                VmxCpuAccess.takeEvent(c, e);
            } else {
                faultVector = e.vector;
            }
        } catch (ArchitecturalEvent e) {
            VmxCpuAccess.takeEvent(c, e);
        }
        return vmx.exitCount - exits;
    }

    /** True in VMX non-root operation (the guest is running). */
    public boolean nonRoot() {
        return vmx.nonRoot;
    }

    /** Asks the run loop to stop after the next VM exit (a run limit). */
    public void stopAtExit(boolean stop) {
        vmx.stopAtExit = stop;
    }

    /** The number of VM exits (and VM-entry failures) this processor has performed. */
    public long exitCount() {
        return vmx.exitCount;
    }

    /** The last exit as the current VMCS records it. */
    public VmExitInfo lastExit() {
        return vmx.exits.info(vmx.current);
    }

    public dev.vmx4j.vmx.entry.EntryDiagnostic lastEntryFailure() {
        return vmx.lastEntryFailure();
    }

    public void setListeners(VmExitListener[] listeners) {
        vmx.exits.listeners = listeners;
    }

    public VmExitListener[] listeners() {
        return vmx.exits.listeners;
    }
}
