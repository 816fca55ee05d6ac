/**
 * The VMX control vectors as enums (one per VMCS control field, bits named and numbered as in the
 * SDM) and {@link dev.vmx4j.vmx.controls.VmxCapabilities}, the capability MSRs of a CPU profile
 * decoded: which control settings, VMCS fields, activity states and limits the processor supports.
 * Immutable values, no machine state.
 */
package dev.vmx4j.vmx.controls;
