/**
 * The x86 instruction decoder: opcode maps as data in the SDM's operand notation (one class per
 * SDM map, parsed into int arrays, which are also committed encoded as a resource that the first
 * decode reads), filling a reusable flat
 * {@link dev.vmx4j.core.decoder.DecodedInstruction}. Decoding returns a
 * {@link dev.vmx4j.core.decoder.DecodeStatus} and never throws on guest bytes; the CPU turns a
 * status into #UD or #GP. {@link dev.vmx4j.core.decoder.InstructionFormatter} prints objdump-style
 * Intel syntax for traces.
 */
package dev.vmx4j.core.decoder;
