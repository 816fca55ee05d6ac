package dev.vmx4j.core;

import dev.vmx4j.mmu.MemoryType;

/**
 * Hears each guest data access (not instruction fetches, not paging-structure reads) after it
 * completed, with its effective memory type.
 *
 * <p>The type is what the SDM's rules give for the access (SDM "Selecting Memory Types for
 * Pentium III and More Recent Processor Families"): UC when CR0.CD = 1; with paging off, the
 * MTRR type; with paging on, the MTRR type combined with the PAT entry selected by the leaf
 * entry's PAT/PCD/PWT bits. For an access that crosses a page boundary it is the type of the
 * first byte (MANUAL: the SDM splits such accesses; one callback reports the whole access).
 */
@FunctionalInterface
public interface MemoryListener {

    void access(long linear, long physical, int size, boolean write, long value, MemoryType type);
}
