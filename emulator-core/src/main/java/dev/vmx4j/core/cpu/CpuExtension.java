package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * The seam for execution features that live outside this package (VMX root and non-root
 * operation, future system features). Installed with {@link Cpu#setExtension}; when none is
 * installed the loop pays one null check.
 *
 * <p>Both methods run inside the step: they may change any state, set the next RIP with
 * {@link Cpu#setNextRip(long)}, or throw {@link CpuException} to raise a fault at the instruction.
 */
public interface CpuExtension {

    /**
     * Called after decode, before the instruction executes (e.g. to cause a VM exit instead).
     * Returns true if the extension handled the instruction completely (the CPU then retires it
     * with the next RIP the extension set, default: the following instruction).
     */
    boolean beforeExecute(Cpu cpu, DecodedInstruction insn);

    /**
     * Called for an instruction the CPU does not implement, before it would raise #UD (e.g.
     * VMXON, VMREAD). Returns true if the extension executed it.
     */
    boolean executeUnimplemented(Cpu cpu, DecodedInstruction insn);

    /**
     * Called before an exception, software interrupt or external interrupt is delivered through
     * the IVT/IDT (e.g. the exception bitmap in VMX non-root operation). Returns true if the
     * extension dealt with the event instead (it must then have set RIP and any other state).
     * {@code software} is true for INT n, INT3 and INTO.
     */
    default boolean beforeEvent(Cpu cpu, int vector, int errorCode, boolean hasErrorCode, boolean software) {
        return false;
    }

    /**
     * Called when the processor would shut down (triple fault). Returns true if the extension
     * handled it (a VM exit), in which case the processor keeps running.
     */
    default boolean onShutdown(Cpu cpu) {
        return false;
    }
}
