/**
 * The TLB: {@link dev.vmx4j.mmu.tlb.Tlb} caches successful translations tagged by PCID, VPID
 * and EP4TA in parallel primitive arrays and implements the SDM's invalidation operations (INVLPG,
 * INVPCID, MOV to CR0/CR3/CR4, page faults, INVVPID and INVEPT helpers);
 * {@link dev.vmx4j.mmu.tlb.CachedTranslator} puts it in front of the page walker. A stale
 * entry is used until an operation the SDM says invalidates it; {@code Tlb.disabled()} caches
 * nothing and is the reference mode.
 */
package dev.vmx4j.mmu.tlb;
