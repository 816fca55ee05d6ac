package dev.vmx4j.vmx.vmcs;

import dev.vmx4j.mmu.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A small little-endian test memory over one byte array (addresses below its size). */
final class ArrayMemory implements PhysicalMemory {

    private final ByteBuffer b;

    ArrayMemory(int size) {
        b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public int read8(long a) {
        return b.get((int) a) & 0xFF;
    }

    @Override
    public int read16(long a) {
        return b.getShort((int) a) & 0xFFFF;
    }

    @Override
    public int read32(long a) {
        return b.getInt((int) a);
    }

    @Override
    public long read64(long a) {
        return b.getLong((int) a);
    }

    @Override
    public void write8(long a, int v) {
        b.put((int) a, (byte) v);
    }

    @Override
    public void write16(long a, int v) {
        b.putShort((int) a, (short) v);
    }

    @Override
    public void write32(long a, int v) {
        b.putInt((int) a, v);
    }

    @Override
    public void write64(long a, long v) {
        b.putLong((int) a, v);
    }

    @Override
    public void read(long a, byte[] dst, int off, int len) {
        for (int i = 0; i < len; i++) {
            dst[off + i] = b.get((int) a + i);
        }
    }

    @Override
    public void write(long a, byte[] src, int off, int len) {
        for (int i = 0; i < len; i++) {
            b.put((int) a + i, src[off + i]);
        }
    }
}
