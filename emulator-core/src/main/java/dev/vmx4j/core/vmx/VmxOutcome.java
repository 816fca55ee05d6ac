package dev.vmx4j.core.vmx;

import dev.vmx4j.core.StopReason;
import dev.vmx4j.vmx.insn.VmxResult;

/**
 * What one {@link VmxHost} call did, as executing the instruction would have: it completed with
 * a {@link VmxResult} (VMsucceed, VMfailInvalid, VMfailValid with its error) and possibly a
 * value (VMREAD, VMPTRST); or it raised an exception (#UD, #GP...) instead; or, for VMLAUNCH
 * and VMRESUME, the guest ran and a VM exit (or a VM-entry failure) ended its run; or the run
 * stopped for another reason before any exit. An immutable value.
 */
public final class VmxOutcome {

    private final VmxResult result;
    private final long value;
    private final int faultVector;
    private final VmExitInfo exit;
    private final StopReason stop;

    VmxOutcome(VmxResult result, long value, int faultVector, VmExitInfo exit, StopReason stop) {
        this.result = result;
        this.value = value;
        this.faultVector = faultVector;
        this.exit = exit;
        this.stop = stop;
    }

    /** The instruction's result, or null if it faulted or (VMLAUNCH/VMRESUME) entered the guest. */
    public VmxResult result() {
        return result;
    }

    /** True if the instruction completed with VMsucceed. */
    public boolean succeeded() {
        return result != null && result.succeeded();
    }

    /** The value VMREAD read or VMPTRST stored (0 otherwise). */
    public long value() {
        return value;
    }

    /** The exception the instruction raised instead of completing (an SDM vector), or -1. */
    public int faultVector() {
        return faultVector;
    }

    /** The VM exit that ended the guest's run (VMLAUNCH/VMRESUME), or null. */
    public VmExitInfo exit() {
        return exit;
    }

    /** Why the guest's run ended without a VM exit (a run limit, shutdown...), or null. */
    public StopReason stop() {
        return stop;
    }

    @Override
    public String toString() {
        if (faultVector >= 0) {
            return "fault vector " + faultVector;
        }
        if (exit != null) {
            return exit.toString();
        }
        if (stop != null) {
            return "guest run stopped: " + stop;
        }
        return result + (value != 0 ? " value 0x" + Long.toHexString(value) : "");
    }
}
