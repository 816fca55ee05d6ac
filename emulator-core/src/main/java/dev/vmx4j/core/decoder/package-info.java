/**
 * The x86 instruction decoder: opcode maps as data in the SDM's operand notation, filling a
 * reusable flat {@link dev.vmx4j.core.decoder.DecodedInstruction}. Decoding returns a
 * {@link dev.vmx4j.core.decoder.DecodeStatus} and never throws on guest bytes; the CPU turns a
 * status into #UD or #GP.
 */
package dev.vmx4j.core.decoder;
