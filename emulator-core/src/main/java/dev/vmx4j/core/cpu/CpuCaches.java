package dev.vmx4j.core.cpu;

/**
 * What snapshots do to a processor's caches. The software TLB (and the current code page) are
 * dropped: after a restore the registers and page tables they were filled from may differ, and
 * after an image of RAM is taken no cached write entry may bypass the memory's record of written
 * pages. The decoded-instruction cache and the translated blocks depend only on the bytes of
 * their physical page, and a restore that changes a page marked as code tells the code-write
 * listener, exactly as a guest write does, so they stay valid and are kept (replays start warm).
 */
public final class CpuCaches {

    private CpuCaches() {
    }

    /** Drops every cached translation (read, write and fetch entries, the current code page). */
    public static void flushTranslations(Cpu cpu) {
        cpu.mmu.flush();
    }

    /** Drops everything the processor caches, decoded instructions and translated blocks included. */
    public static void flushAll(Cpu cpu) {
        cpu.mmu.flush();
        if (cpu.decodeCache != null) {
            cpu.decodeCache.clear();
        }
    }
}
