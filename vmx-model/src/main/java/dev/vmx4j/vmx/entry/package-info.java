/**
 * The VM-entry checks of the SDM chapter "VM Entries", each one a named, stable id
 * ({@link dev.vmx4j.vmx.entry.EntryCheck}, one enum per SDM subsection, in SDM order), and
 * {@link dev.vmx4j.vmx.entry.EntryChecker}, which runs them on any VMCS (read through a
 * {@link dev.vmx4j.vmx.entry.VmcsReader}) without entering. A run returns a value: the first
 * failure in hardware order (what VMLAUNCH/VMRESUME reports) or every failure, each an
 * {@link dev.vmx4j.vmx.entry.EntryDiagnostic} with its field, value, offending bits and outcome.
 */
package dev.vmx4j.vmx.entry;
