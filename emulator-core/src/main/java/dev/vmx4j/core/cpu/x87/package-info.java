/**
 * The x87 FPU model (internal, not exported): the register stack, control/status/tag state and
 * pointers ({@link dev.vmx4j.core.cpu.x87.X87Unit}), exact double-extended-precision arithmetic on
 * values held as a sign/exponent int and a significand long ({@link dev.vmx4j.core.cpu.x87.Float80}),
 * and the transcendental functions ({@link dev.vmx4j.core.cpu.x87.X87Math}). It knows nothing of
 * memory or instructions: {@code core.cpu.X87Ops} and {@code MmxOps} drive it, and nothing here
 * allocates per operation.
 */
package dev.vmx4j.core.cpu.x87;
