/**
 * VMX operation of one logical processor (module-internal; owned by the VMX work of issue 7):
 * the VMX unit {@link dev.vmx4j.core.cpu.vmx.Vmx} that the CPU core calls at the SDM-correct
 * point inside each instruction that can exit, and that performs the VM exits the step loop
 * catches. Outside VMX non-root operation nothing here runs: every call site first tests the
 * one field {@code Vmx.nonRoot}.
 */
package dev.vmx4j.core.cpu.vmx;
