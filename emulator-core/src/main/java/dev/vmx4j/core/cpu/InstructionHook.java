package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * What the CPU calls before each instruction while the machine has instruction listeners: the
 * small callback object through which the machine, which owns the listeners and the public API,
 * sees instructions without the CPU knowing the machine. Null (one field test) when there are none.
 */
@FunctionalInterface
public interface InstructionHook {

    /** The instruction {@code insn} at {@code rip} is about to execute. */
    void beforeInstruction(long rip, DecodedInstruction insn);
}
