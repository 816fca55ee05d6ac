package dev.vmx4j.core.cpu;

/**
 * An architectural event raised from inside an instruction's semantics or from event delivery:
 * a fault or trap ({@link CpuException}) or a VM exit ({@link VmExitEvent}). Thrown deep inside
 * execution and caught once, in the step loop ({@code Cpu.takeEvent}), which delivers a fault
 * through the IDT (with the double-fault rules) or hands a VM exit to the VMX unit. Built without
 * a stack trace: it is an event, not a bug; emulator defects are ordinary unchecked exceptions
 * the loop never catches.
 *
 * <p>The family is sealed so that the loop's dispatch is exhaustive and a VM exit can never be
 * mistaken for a fault by the #DF/triple-fault logic. Both subclasses live in this package
 * because tests run on the class path, where a sealed class's permitted subclasses must share
 * its package.
 */
public abstract sealed class ArchitecturalEvent extends RuntimeException permits CpuException, VmExitEvent {

    private static final long serialVersionUID = 1L;

    ArchitecturalEvent() {
        super(null, null, false, false);
    }
}
