package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;

/** The CPU's view of the decoder: fills {@code out} and returns a {@code DecodeStatus}. */
@FunctionalInterface
public interface InstructionDecoder {

    int decode(byte[] buf, int off, int available, int mode, DecodedInstruction out);
}
