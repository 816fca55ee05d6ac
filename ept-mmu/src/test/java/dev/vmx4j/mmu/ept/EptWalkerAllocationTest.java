package dev.vmx4j.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The walk path must not allocate (STYLE: no allocation per instruction on hot paths). */
class EptWalkerAllocationTest {

    /**
     * Bytes allocated so far by this thread, through reflection: the test sources are compiled
     * into module dev.vmx4j.mmu, which does not read java.management.
     */
    private static long allocatedBytes() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
        Method m = type.getMethod("getThreadAllocatedBytes", long.class);
        return (Long) m.invoke(bean, Thread.currentThread().getId());
    }

    @Test
    void translateViolationAndMisconfiguration_allocateNothingPerWalk() throws ReflectiveOperationException {
        long probe;
        try {
            probe = allocatedBytes();
        } catch (ClassNotFoundException e) {
            probe = -1;
        }
        assumeThat(probe).as("thread allocation counter available").isGreaterThanOrEqualTo(0);

        FlatMemory memory = new FlatMemory();
        // Build the tables in flat memory by hand: PML4 @0x1000, PDPT @0x2000, PD @0x3000, PT @0x4000.
        memory.write64(0x1000, 0x2000 | 7);
        memory.write64(0x2000, 0x3000 | 7);
        memory.write64(0x3000, 0x4000 | 7);
        memory.write64(0x4000 + 8 * 5, 0x9000 | 7 | EptTables.WB);   // GPA 0x5000: RWX
        memory.write64(0x4000 + 8 * 6, 0xA000 | 1 | EptTables.WB);   // GPA 0x6000: R only
        memory.write64(0x4000 + 8 * 7, 0xB000 | 2);                  // GPA 0x7000: write-only
        EptWalker walker = new EptWalker(memory).eptp(Eptp.of(0x1000, 6, 4, true));
        EptWalkResult result = new EptWalkResult();
        int write = EptAccess.WRITE | EptAccess.LINEAR_ADDRESS_VALID;

        for (int i = 0; i < 20_000; i++) { // warm up
            walker.translate(0x5000, 0, write, result);
            walker.translate(0x6000, 0, write, result);
            walker.translate(0x7000, 0, write, result);
        }
        long before = allocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            walker.translate(0x5000, 0, write, result);
            walker.translate(0x6000, 0, write, result);
            walker.translate(0x7000, 0, write, result);
        }
        long allocated = allocatedBytes() - before;
        assertThat(result.misconfiguration()).isEqualTo(EptMisconfiguration.WRITE_WITHOUT_READ);
        // 30,000 walks: any per-walk allocation would be hundreds of kilobytes.
        assertThat(allocated).isLessThan(16 * 1024);
    }

    /** 64 KiB of flat memory that allocates nothing on access. */
    private static final class FlatMemory implements dev.vmx4j.mmu.PhysicalMemory {
        private final long[] words = new long[8192];

        @Override public int read8(long a) { return (int) (read64(a & ~7) >>> (8 * (a & 7))) & 0xFF; }
        @Override public int read16(long a) { throw new UnsupportedOperationException(); }
        @Override public int read32(long a) { throw new UnsupportedOperationException(); }
        @Override public long read64(long a) { return words[(int) (a >>> 3)]; }
        @Override public void write8(long a, int v) { throw new UnsupportedOperationException(); }
        @Override public void write16(long a, int v) { throw new UnsupportedOperationException(); }
        @Override public void write32(long a, int v) { throw new UnsupportedOperationException(); }
        @Override public void write64(long a, long v) { words[(int) (a >>> 3)] = v; }
        @Override public void read(long a, byte[] d, int o, int l) { throw new UnsupportedOperationException(); }
        @Override public void write(long a, byte[] s, int o, int l) { throw new UnsupportedOperationException(); }
    }
}
