/**
 * Guest paging: {@link dev.vmx4j.mmu.paging.PageWalker} translates linear addresses for every
 * SDM paging mode (none, 32-bit, PAE, 4-level, 5-level), checks access rights (R/W, U/S, XD,
 * CR0.WP, SMEP, SMAP, protection keys) and sets accessed/dirty flags, filling a reused
 * {@link dev.vmx4j.mmu.paging.WalkResult} without allocating. Faults are returned as values
 * (the #PF error code, or {@code false} from PDPTE loading for #GP); raising them is the CPU's job.
 */
package dev.vmx4j.mmu.paging;
