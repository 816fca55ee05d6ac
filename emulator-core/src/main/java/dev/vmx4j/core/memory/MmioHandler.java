package dev.vmx4j.core.memory;

/**
 * A device that claims a page-aligned range of guest-physical addresses.
 *
 * <p>{@code offset} is relative to the region's base; {@code size} is 1, 2, 4 or 8 bytes and
 * the access never crosses the region's end (the memory splits wider accesses into bytes).
 */
public interface MmioHandler {

    long read(long offset, int size);

    void write(long offset, int size, long value);
}
