package dev.vmx4j.mmu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Sparse little-endian test memory: 4-KByte pages in a HashMap, zero where never written.
 * Counts writes so tests can assert that a walk wrote nothing.
 */
public final class TestMemory implements PhysicalMemory {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final Map<Long, byte[]> pages = new HashMap<>();
    private int writes;

    /** Number of write calls made since creation or the last {@link #resetWriteCount()}. */
    public int writeCount() {
        return writes;
    }

    public void resetWriteCount() {
        writes = 0;
    }

    private byte[] page(long address, boolean create) {
        long key = address >>> 12;
        byte[] p = pages.get(key);
        if (p == null && create) {
            p = new byte[4096];
            pages.put(key, p);
        }
        return p;
    }

    @Override
    public int read8(long address) {
        byte[] p = page(address, false);
        return p == null ? 0 : p[(int) (address & 0xFFF)] & 0xFF;
    }

    @Override
    public int read16(long address) {
        return read8(address) | read8(address + 1) << 8;
    }

    @Override
    public int read32(long address) {
        if ((address & 0xFFF) <= 0xFFC) {
            byte[] p = page(address, false);
            return p == null ? 0 : (int) INT.get(p, (int) (address & 0xFFF));
        }
        return read16(address) | read16(address + 2) << 16;
    }

    @Override
    public long read64(long address) {
        if ((address & 0xFFF) <= 0xFF8) {
            byte[] p = page(address, false);
            return p == null ? 0 : (long) LONG.get(p, (int) (address & 0xFFF));
        }
        return (read32(address) & 0xFFFF_FFFFL) | ((long) read32(address + 4)) << 32;
    }

    @Override
    public void write8(long address, int value) {
        writes++;
        page(address, true)[(int) (address & 0xFFF)] = (byte) value;
    }

    @Override
    public void write16(long address, int value) {
        write8(address, value);
        write8(address + 1, value >>> 8);
        writes--;
    }

    @Override
    public void write32(long address, int value) {
        if ((address & 0xFFF) <= 0xFFC) {
            writes++;
            INT.set(page(address, true), (int) (address & 0xFFF), value);
            return;
        }
        write16(address, value);
        write16(address + 2, value >>> 16);
        writes--;
    }

    @Override
    public void write64(long address, long value) {
        if ((address & 0xFFF) <= 0xFF8) {
            writes++;
            LONG.set(page(address, true), (int) (address & 0xFFF), value);
            return;
        }
        write32(address, (int) value);
        write32(address + 4, (int) (value >>> 32));
        writes--;
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        for (int i = 0; i < length; i++) {
            dst[offset + i] = (byte) read8(address + i);
        }
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            write8(address + i, src[offset + i]);
        }
        writes -= Math.max(0, length - 1);
    }
}
