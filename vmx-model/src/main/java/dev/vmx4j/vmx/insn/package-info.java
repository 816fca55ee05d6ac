/**
 * VMX instruction outcomes as values: {@link dev.vmx4j.vmx.insn.VmxResult} (VMsucceed,
 * VMfailInvalid, VMfailValid) with the RFLAGS rule in one place, and the SDM's VM-instruction
 * error numbers. No machine state: the emulator's VMX instructions return these and apply them.
 */
package dev.vmx4j.vmx.insn;
