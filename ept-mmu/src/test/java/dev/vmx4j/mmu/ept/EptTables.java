package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.TestMemory;
/**
 * Builds EPT paging structures in a {@link TestMemory} for tests: tables are taken from a
 * bump allocator, intermediate entries get {@link #nonLeafFlags}.
 */
final class EptTables {

    static final long RWX = EptEntry.READ | EptEntry.WRITE | EptEntry.EXECUTE;
    static final long WB = 6L << EptEntry.MEMORY_TYPE_SHIFT;

    final TestMemory memory;
    final int levels;
    final long root;
    long nonLeafFlags = RWX | EptEntry.USER_EXECUTE;
    private long next;

    EptTables(TestMemory memory, int levels, long tableArea) {
        this.memory = memory;
        this.levels = levels;
        this.root = tableArea;
        this.next = tableArea + 0x1000;
    }

    long eptp(boolean accessedDirty) {
        return Eptp.of(root, 6, levels, accessedDirty);
    }

    /** Address of the entry at {@code level} for {@code gpa}, creating tables above it. */
    long entryAddress(long gpa, int level) {
        long table = root;
        for (int l = levels; ; l--) {
            long address = table + (((gpa >>> EptEntry.indexShift(l)) & 0x1FF) << 3);
            if (l == level) {
                return address;
            }
            long entry = memory.read64(address);
            if (entry == 0) {
                entry = next | nonLeafFlags;
                next += 0x1000;
                memory.write64(address, entry);
            }
            table = entry & EptEntry.ADDRESS_MASK;
        }
    }

    /** Maps {@code gpa} to {@code hpa} with a leaf at {@code level} (1 = 4K, 2 = 2M, 3 = 1G). */
    long map(long gpa, long hpa, int level, long flags) {
        long address = entryAddress(gpa, level);
        memory.write64(address, hpa | flags | (level > 1 ? EptEntry.PAGE_SIZE : 0));
        return address;
    }

    void set(long gpa, int level, long value) {
        memory.write64(entryAddress(gpa, level), value);
    }

    long get(long gpa, int level) {
        return memory.read64(entryAddress(gpa, level));
    }
}
