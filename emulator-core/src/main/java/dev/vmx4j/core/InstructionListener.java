package dev.vmx4j.core;

import dev.vmx4j.core.decoder.DecodedInstruction;

/** Hears each instruction before it executes. The instruction object is reused: copy what you keep. */
@FunctionalInterface
public interface InstructionListener {

    void beforeInstruction(Machine machine, long rip, DecodedInstruction insn);
}
