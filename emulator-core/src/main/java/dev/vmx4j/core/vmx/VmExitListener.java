package dev.vmx4j.core.vmx;

/**
 * Told about every VM exit (and every VM-entry failure with exit reason 33 or 34) after the
 * processor has loaded host state. Registered with {@code Machine.addVmExitListener}; it may
 * call {@code Machine.requestStop} to end the run.
 */
@FunctionalInterface
public interface VmExitListener {

    void vmExit(VmExitInfo exit);
}
