/**
 * The I/O-port bus: 65,536 ports, each claimed by at most one {@link dev.vmx4j.core.io.IoDevice}.
 * Unclaimed reads return all ones; unclaimed writes are dropped. Privilege checks (IOPL, the TSS
 * I/O permission bitmap, VMX I/O exiting) are the CPU's, made before the bus is reached.
 */
package dev.vmx4j.core.io;
