/**
 * The VMCS as data: every field of the SDM's appendix "Field Encoding in VMCS" with its encoding,
 * width, type, index and the processor feature it depends on. Pure values with no machine behind
 * them; the emulator's VMREAD/VMWRITE, VM entry and VM exit look fields up here.
 */
package dev.vmx4j.vmx.vmcs;
