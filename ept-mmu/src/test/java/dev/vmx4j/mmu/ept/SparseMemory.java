package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.PhysicalMemory;
import java.util.HashMap;
import java.util.Map;

/** Test memory: 4-KByte pages in a HashMap, created on first write; unbacked bytes read as 0. */
public final class SparseMemory implements PhysicalMemory {

    private final Map<Long, byte[]> pages = new HashMap<>();
    private int writes;

    /** Number of write calls so far (to assert that a walk did not write). */
    public int writes() {
        return writes;
    }

    private int byteAt(long address) {
        byte[] page = pages.get(address >>> 12);
        return page == null ? 0 : page[(int) (address & 0xFFF)] & 0xFF;
    }

    private void putByte(long address, int value) {
        pages.computeIfAbsent(address >>> 12, k -> new byte[4096])[(int) (address & 0xFFF)] = (byte) value;
    }

    private long readLe(long address, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | byteAt(address + i);
        }
        return v;
    }

    private void writeLe(long address, long value, int bytes) {
        writes++;
        for (int i = 0; i < bytes; i++) {
            putByte(address + i, (int) (value >>> (8 * i)));
        }
    }

    @Override
    public int read8(long address) {
        return byteAt(address);
    }

    @Override
    public int read16(long address) {
        return (int) readLe(address, 2);
    }

    @Override
    public int read32(long address) {
        return (int) readLe(address, 4);
    }

    @Override
    public long read64(long address) {
        return readLe(address, 8);
    }

    @Override
    public void write8(long address, int value) {
        writeLe(address, value, 1);
    }

    @Override
    public void write16(long address, int value) {
        writeLe(address, value, 2);
    }

    @Override
    public void write32(long address, int value) {
        writeLe(address, value, 4);
    }

    @Override
    public void write64(long address, long value) {
        writeLe(address, value, 8);
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        for (int i = 0; i < length; i++) {
            dst[offset + i] = (byte) byteAt(address + i);
        }
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        writes++;
        for (int i = 0; i < length; i++) {
            putByte(address + i, src[offset + i]);
        }
    }
}
