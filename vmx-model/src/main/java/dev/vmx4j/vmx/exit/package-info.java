/**
 * VM exits as data: the basic exit reasons, the exit-reason field, and one record per SDM
 * exit-qualification table, interruption-information format and VM-exit instruction-information
 * format, each with {@code encode()} and {@code decode(long)}. No machine state: the emulator's
 * VM-exit recording encodes with these, diagnostics and tests decode with them. The EPT-violation
 * qualification is ept-mmu's {@code dev.vmx4j.mmu.ept.EptViolationQualification} (not repeated here).
 */
package dev.vmx4j.vmx.exit;
