/**
 * Extended page tables: EPTP validation ({@link dev.vmx4j.mmu.ept.EptpValidator}), the 4- and
 * 5-level guest-physical walk ({@link dev.vmx4j.mmu.ept.EptWalker}) with permissions,
 * mode-based execute control, accessed/dirty flags and page-modification logging, and the EPT
 * exit information (violation qualification, misconfiguration reasons, #VE convertibility).
 * Results are values: the walker never throws on guest-controlled entries, it fills a reused
 * {@link dev.vmx4j.mmu.ept.EptWalkResult} that the CPU turns into an exit, a #VE or an access.
 */
package dev.vmx4j.mmu.ept;
