package dev.vmx4j.vmx.entry;

import dev.vmx4j.mmu.PhysicalMemory;
import java.util.HashMap;
import java.util.Map;

/** A sparse little-endian physical memory for tests: unwritten bytes read as 0. */
final class SparseMemory implements PhysicalMemory {

    private final Map<Long, byte[]> pages = new HashMap<>();

    private byte[] page(long address, boolean create) {
        long key = address >>> 12;
        byte[] p = pages.get(key);
        if (p == null && create) {
            p = new byte[4096];
            pages.put(key, p);
        }
        return p;
    }

    private int byteAt(long a) {
        byte[] p = page(a, false);
        return p == null ? 0 : p[(int) (a & 0xFFF)] & 0xFF;
    }

    private void setByte(long a, int v) {
        page(a, true)[(int) (a & 0xFFF)] = (byte) v;
    }

    private long readN(long a, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | byteAt(a + i);
        }
        return v;
    }

    private void writeN(long a, long v, int n) {
        for (int i = 0; i < n; i++) {
            setByte(a + i, (int) (v >>> (8 * i)));
        }
    }

    @Override
    public int read8(long address) {
        return (int) readN(address, 1);
    }

    @Override
    public int read16(long address) {
        return (int) readN(address, 2);
    }

    @Override
    public int read32(long address) {
        return (int) readN(address, 4);
    }

    @Override
    public long read64(long address) {
        return readN(address, 8);
    }

    @Override
    public void write8(long address, int value) {
        writeN(address, value, 1);
    }

    @Override
    public void write16(long address, int value) {
        writeN(address, value, 2);
    }

    @Override
    public void write32(long address, int value) {
        writeN(address, value, 4);
    }

    @Override
    public void write64(long address, long value) {
        writeN(address, value, 8);
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        for (int i = 0; i < length; i++) {
            dst[offset + i] = (byte) byteAt(address + i);
        }
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            setByte(address + i, src[offset + i]);
        }
    }
}
