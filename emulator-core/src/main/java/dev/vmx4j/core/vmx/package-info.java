/**
 * Driving VMX from Java: {@link dev.vmx4j.core.vmx.VmxHost} lets test code act as the CPL 0
 * host of a machine's processor (VMXON, VMCLEAR, VMPTRLD, VMREAD, VMWRITE, VMLAUNCH,
 * VMRESUME...) with exactly the semantics of executing those instructions, since it runs the
 * same code; outcomes are values ({@link dev.vmx4j.core.vmx.VmxOutcome}), VM exits are
 * {@link dev.vmx4j.core.vmx.VmExitInfo} values delivered to listeners and returned by
 * VMLAUNCH/VMRESUME.
 */
package dev.vmx4j.core.vmx;
