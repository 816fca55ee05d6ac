package dev.vmx4j.mmu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Fuzzing memory: a small pool of bytes that every physical address aliases (address modulo the
 * pool size), so any entry a fuzzer writes points back into fuzzer-written tables. Little-endian;
 * accesses wrap around the end of the pool.
 */
public final class AliasedMemory implements PhysicalMemory {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] pool;
    private final int mask;

    /** @param size a power of two of at least 4096 bytes */
    public AliasedMemory(int size) {
        if (size < 4096 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two >= 4096, was " + size);
        }
        pool = new byte[size];
        mask = size - 1;
    }

    /** Fills the pool from {@code src[offset..]} (the rest stays zero). */
    public AliasedMemory fill(byte[] src, int offset) {
        if (offset < src.length) {
            System.arraycopy(src, offset, pool, 0, Math.min(pool.length, src.length - offset));
        }
        return this;
    }

    /** A copy of the whole pool, to compare before and after an operation. */
    public byte[] snapshot() {
        return pool.clone();
    }

    public boolean contentEquals(AliasedMemory other) {
        return Arrays.equals(pool, other.pool);
    }

    private int at(long address) {
        return (int) (address & mask);
    }

    private long readLe(long address, int bytes) {
        int a = at(address);
        if (bytes == 8 && a <= pool.length - 8) {
            return (long) LONG.get(pool, a);
        }
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (pool[(a + i) & mask] & 0xFF);
        }
        return v;
    }

    private void writeLe(long address, long value, int bytes) {
        int a = at(address);
        for (int i = 0; i < bytes; i++) {
            pool[(a + i) & mask] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public int read8(long address) {
        return (int) readLe(address, 1);
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
            dst[offset + i] = pool[at(address + i)];
        }
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            pool[at(address + i)] = src[offset + i];
        }
    }

    /** Reads {@code n} little-endian bytes of {@code b} at {@code at}, zeros past the end (input parsing). */
    public static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (at + i < b.length ? b[at + i] & 0xFF : 0);
        }
        return v;
    }

    /**
     * Checks that {@code after} differs from {@code before} only by bits of {@code allowed} set
     * (never cleared) in bytes at offset {@code byteInWord} of {@code wordSize}-aligned words;
     * returns a description of the first other difference, or null.
     */
    public static String onlyFlagsSet(byte[] before, byte[] after, int wordSize, int byteInWord, int allowed) {
        for (int i = 0; i < before.length; i++) {
            int was = before[i] & 0xFF;
            int now = after[i] & 0xFF;
            if (was == now) {
                continue;
            }
            boolean flagByte = i % wordSize == byteInWord;
            if (!flagByte || ((was ^ now) & ~allowed) != 0 || (now & was) != was) {
                return String.format("byte 0x%x changed from %02x to %02x", i, was, now);
            }
        }
        return null;
    }
}
