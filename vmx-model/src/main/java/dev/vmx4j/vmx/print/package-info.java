/**
 * Text forms of VMX data for people: {@link dev.vmx4j.vmx.print.VmcsPrinter} prints a VMCS
 * (every field by SDM name and encoding, grouped by VMCS area, controls as named bits, exit
 * reasons, interruption information and exit qualifications decoded) and a diff of two VMCSs by
 * field; {@link dev.vmx4j.vmx.print.FieldDecoder} gives the decoded text of one field's value.
 * Pure formatting over values: nothing here reads a processor.
 */
package dev.vmx4j.vmx.print;
