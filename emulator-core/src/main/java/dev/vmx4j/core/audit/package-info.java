/**
 * {@code vmx4j audit}: reads a VMCS captured elsewhere (KVM's {@code dump_vmcs} text, a JSON or
 * YAML map of SDM field names or encodings to values, or the VMCS that vmx4j prints) into a
 * {@link dev.vmx4j.core.audit.VmcsDump} that knows which fields the input gave and which it did
 * not, and the capability MSRs to judge it by. Internal to the command line; not exported.
 */
package dev.vmx4j.core.audit;
