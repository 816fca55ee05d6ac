package dev.vmx4j.core.cpu;

/**
 * The module-internal route from an object that owns processors (the machine) to its CPU, for
 * code inside this module (the debugger, the VMX host API, tests) that works on the machine's
 * internals. The package is not exported, so code outside the module cannot use it.
 */
public interface CpuOwner {

    /** The bootstrap processor. */
    Cpu cpu();

    /** Processor {@code index} (0 = the bootstrap processor, the same as {@link #cpu()}). */
    Cpu cpu(int index);
}
