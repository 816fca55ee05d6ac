/**
 * The integer ALU and the lazily evaluated arithmetic flags (internal, not exported).
 * {@link dev.vmx4j.core.cpu.alu.Alu} computes the value and flag effects of the general-purpose
 * arithmetic, logic, shift, bit and BCD instructions exactly as the SDM defines them, choosing
 * documented values for undefined flags ({@link dev.vmx4j.core.cpu.alu.UndefinedFlags});
 * {@link dev.vmx4j.core.cpu.alu.LazyFlags} holds CF PF AF ZF SF OF and derives them on demand.
 */
package dev.vmx4j.core.cpu.alu;
