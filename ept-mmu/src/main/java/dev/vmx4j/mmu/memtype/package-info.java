/**
 * Memory typing: the MTRRs ({@link dev.vmx4j.mmu.memtype.Mtrrs}, with WRMSR validation as
 * values), the PAT ({@link dev.vmx4j.mmu.memtype.Pat}) and the effective type of an access with
 * or without EPT ({@link dev.vmx4j.mmu.memtype.MemoryTypeCalculator}), following the SDM's
 * precedence rules and its "Effective Page-Level Memory Types" table. Lookups are
 * allocation-free; the {@code explain} methods return records naming the range, PAT entry,
 * EPT type and rule that decided.
 */
package dev.vmx4j.mmu.memtype;
