package dev.vmx4j.mmu;

/**
 * Little-endian access to a physical (or guest-physical) address space.
 *
 * <p>Addresses are unsigned 64-bit values; an implementation decides what an address outside
 * its backed ranges reads as (see the machine's open-bus policy). Accesses may cross page
 * boundaries. Paging-structure walkers use this interface for every entry they read and for
 * accessed/dirty updates they write.
 */
public interface PhysicalMemory {

    int read8(long address);

    int read16(long address);

    int read32(long address);

    long read64(long address);

    void write8(long address, int value);

    void write16(long address, int value);

    void write32(long address, int value);

    void write64(long address, long value);

    /** Copies {@code length} bytes starting at {@code address} into {@code dst[offset..]}. */
    void read(long address, byte[] dst, int offset, int length);

    /** Copies {@code src[offset..offset+length)} to memory starting at {@code address}. */
    void write(long address, byte[] src, int offset, int length);
}
