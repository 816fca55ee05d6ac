package dev.vmx4j.core.memory;

import dev.vmx4j.mmu.PhysicalMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Sparse guest-physical memory.
 *
 * <p>RAM is held in 4 KiB {@code byte[]} pages allocated on the first write; reads of a page
 * never written return zeros without allocating. Pages are grouped in 2 MiB chunks whose
 * directory covers the highest RAM address, so a 64 GiB address space costs a directory of
 * 32,768 references until something is touched. MMIO regions (page aligned) take precedence
 * over RAM; any address claimed by neither follows the {@link OpenBusPolicy}.
 *
 * <p>The CPU's fast path asks for the backing page ({@link #pageForRead}, {@link #pageForWrite})
 * and reads it with {@link #LE16}/{@link #LE32}/{@link #LE64}; everything else goes through the
 * {@link PhysicalMemory} methods, which handle page-crossing accesses.
 */
public final class GuestMemory implements PhysicalMemory {

    /** Page size: 4 KiB. */
    public static final int PAGE_SIZE = 4096;
    /** Highest physical-address width the memory accepts (SDM: MAXPHYADDR is at most 52). */
    public static final int MAX_PHYSICAL_ADDRESS_BITS = 52;

    public static final VarHandle LE16 =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle LE32 =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle LE64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int CHUNK_SHIFT = 21;
    private static final int PAGES_PER_CHUNK = 1 << (CHUNK_SHIFT - 12);
    private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];

    private static final class Chunk {
        final byte[][] pages = new byte[PAGES_PER_CHUNK][];
        final long[] ram = new long[PAGES_PER_CHUNK / 64];
        final long[] code = new long[PAGES_PER_CHUNK / 64];
        /**
         * Pages not written since the last {@link MemoryImage} was taken or restored: their
         * first write reaches {@link #pageForWrite} (nobody caches a write array across an image
         * point), which records them in the dirty list.
         */
        final long[] clean = new long[PAGES_PER_CHUNK / 64];
    }

    private static final class Mmio {
        final long base;
        final long end; // exclusive
        final MmioHandler handler;

        Mmio(long base, long end, MmioHandler handler) {
            this.base = base;
            this.end = end;
            this.handler = handler;
        }
    }

    private Chunk[] chunks = new Chunk[0];
    private Mmio[] mmio = new Mmio[0];
    private final OpenBusPolicy openBus;
    private CodeWriteListener codeWriteListener;
    private long allocatedPages;
    /** The image the RAM last equalled (taken or restored), or null; pages dirtied since are listed. */
    private MemoryImage base;
    private long[] dirty = new long[64];
    private int dirtyCount;

    public GuestMemory(OpenBusPolicy openBus) {
        if (openBus == null) {
            throw new IllegalArgumentException("openBus must not be null");
        }
        this.openBus = openBus;
    }

    /** A memory with {@code size} bytes of RAM at guest-physical address 0 and all-ones open bus. */
    public static GuestMemory withRam(long size) {
        GuestMemory m = new GuestMemory(OpenBusPolicy.ALL_ONES);
        m.addRam(0, size);
        return m;
    }

    // ---------------------------------------------------------------- configuration

    /** Declares {@code [base, base + size)} as RAM; both must be multiples of 4 KiB. */
    public void addRam(long base, long size) {
        checkRange("RAM", base, size);
        long endChunk = (base + size - 1) >>> CHUNK_SHIFT;
        if (endChunk >= chunks.length) {
            chunks = Arrays.copyOf(chunks, (int) endChunk + 1);
        }
        // PERF: a chunk at a time, a word of page bits at a time (start-up: 65,536 pages for 256 MiB).
        long end = (base + size) >>> 12;
        for (long page = base >>> 12; page < end; ) {
            int ci = (int) (page >>> (CHUNK_SHIFT - 12));
            Chunk c = chunks[ci];
            if (c == null) {
                c = new Chunk();
                chunks[ci] = c;
            }
            long chunkEnd = Math.min(end, (long) (ci + 1) << (CHUNK_SHIFT - 12));
            int from = (int) (page & (PAGES_PER_CHUNK - 1));
            setBits(c.ram, from, from + (int) (chunkEnd - page));
            page = chunkEnd;
        }
    }

    /** Sets bits {@code [from, to)} of the bit set {@code words}. */
    private static void setBits(long[] words, int from, int to) {
        for (int k = from; k < to; ) {
            int bit = k & 63;
            int n = Math.min(64 - bit, to - k);
            words[k >>> 6] |= (n == 64 ? -1L : (1L << n) - 1) << bit;
            k += n;
        }
    }

    /** Maps an MMIO region; it takes precedence over RAM in its range. Ranges must not overlap. */
    public void addMmio(long base, long size, MmioHandler handler) {
        checkRange("MMIO", base, size);
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        for (Mmio r : mmio) {
            if (base < r.end && r.base < base + size) {
                throw new IllegalArgumentException(String.format(
                        "MMIO range [0x%x, 0x%x) overlaps [0x%x, 0x%x)", base, base + size, r.base, r.end));
            }
        }
        mmio = Arrays.copyOf(mmio, mmio.length + 1);
        mmio[mmio.length - 1] = new Mmio(base, base + size, handler);
        for (long page = base >>> 12; page < (base + size) >>> 12; page++) {
            Chunk c = chunk(page << 12);
            if (c != null) {
                int i = (int) (page & (PAGES_PER_CHUNK - 1));
                c.ram[i >>> 6] &= ~(1L << i);
                c.pages[i] = null;
            }
        }
    }

    /** Gives the MMIO region that starts at {@code base} a new handler (same range). */
    public void replaceMmio(long base, MmioHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        for (int i = 0; i < mmio.length; i++) {
            if (mmio[i].base == base) {
                mmio = Arrays.copyOf(mmio, mmio.length);
                mmio[i] = new Mmio(base, mmio[i].end, handler);
                return;
            }
        }
        throw new IllegalArgumentException(String.format("no MMIO region starts at 0x%x", base));
    }

    public void setCodeWriteListener(CodeWriteListener listener) {
        this.codeWriteListener = listener;
    }

    public OpenBusPolicy openBusPolicy() {
        return openBus;
    }

    /** Number of 4 KiB pages allocated so far (pages written at least once). */
    public long allocatedPages() {
        return allocatedPages;
    }

    private static void checkRange(String what, long base, long size) {
        if (base < 0 || (base & 0xFFF) != 0) {
            throw new IllegalArgumentException(what + " base must be a non-negative multiple of 4096, was 0x"
                    + Long.toHexString(base));
        }
        if (size <= 0 || (size & 0xFFF) != 0) {
            throw new IllegalArgumentException(what + " size must be a positive multiple of 4096, was " + size);
        }
        if (base + size > (1L << MAX_PHYSICAL_ADDRESS_BITS) || base + size < 0) {
            throw new IllegalArgumentException(what + " range must end at or below 2^52, was [0x"
                    + Long.toHexString(base) + ", 0x" + Long.toHexString(base + size) + ")");
        }
    }

    // ---------------------------------------------------------------- fast path

    private Chunk chunk(long address) {
        long ci = address >>> CHUNK_SHIFT;
        Chunk[] cs = chunks;
        return ci < cs.length ? cs[(int) ci] : null;
    }

    /** True if an MMIO region covers {@code address}. */
    public boolean isMmio(long address) {
        return mmioAt(address) != null;
    }

    /** True if the 4 KiB page holding {@code address} is RAM (not MMIO, not unbacked). */
    public boolean isRam(long address) {
        Chunk c = chunk(address);
        if (c == null) {
            return false;
        }
        int i = (int) ((address >>> 12) & (PAGES_PER_CHUNK - 1));
        return (c.ram[i >>> 6] & (1L << i)) != 0;
    }

    /**
     * The backing array of the RAM page holding {@code address} for reading (a shared zero page
     * if never written), or {@code null} if the page is not RAM. Callers must not write to it.
     */
    public byte[] pageForRead(long address) {
        Chunk c = chunk(address);
        if (c == null) {
            return null;
        }
        int i = (int) ((address >>> 12) & (PAGES_PER_CHUNK - 1));
        if ((c.ram[i >>> 6] & (1L << i)) == 0) {
            return null;
        }
        byte[] p = c.pages[i];
        return p != null ? p : ZERO_PAGE;
    }

    /**
     * The backing array of the RAM page holding {@code address} for writing, allocating it, or
     * {@code null} if the page is not RAM. If the page is marked as code, the mark is cleared
     * and the {@link CodeWriteListener} hears of it first, so a caller that caches this array
     * for later writes must only do so while {@link #isCodePage(long)} is false.
     */
    public byte[] pageForWrite(long address) {
        Chunk c = chunk(address);
        if (c == null) {
            return null;
        }
        int i = (int) ((address >>> 12) & (PAGES_PER_CHUNK - 1));
        long bit = 1L << i;
        if ((c.ram[i >>> 6] & bit) == 0) {
            return null;
        }
        if (((c.code[i >>> 6] | c.clean[i >>> 6]) & bit) != 0) {
            firstWrite(c, i, address);
        }
        byte[] p = c.pages[i];
        if (p == null) {
            p = new byte[PAGE_SIZE];
            c.pages[i] = p;
            allocatedPages++;
        }
        return p;
    }

    /** The first write to a page marked as code, or to a clean page since the last image point. */
    private void firstWrite(Chunk c, int i, long address) {
        long bit = 1L << i;
        if ((c.clean[i >>> 6] & bit) != 0) {
            c.clean[i >>> 6] &= ~bit;
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = address >>> 12;
        }
        if ((c.code[i >>> 6] & bit) != 0) {
            c.code[i >>> 6] &= ~bit;
            CodeWriteListener l = codeWriteListener;
            if (l != null) {
                l.codePageWritten(address >>> 12);
            }
        }
    }

    // ---------------------------------------------------------------- images (snapshots)

    /**
     * An immutable image of the RAM as it is now. Pages that are unchanged since the previous
     * image point (an image taken or restored) are shared with that image, the others are copied,
     * so taking an image costs a copy of the pages written since. Afterwards every page is clean
     * again: callers that cache page arrays for writing (the CPUs' software TLBs) must drop those
     * entries, so the next write to each page is seen here. The memory of a {@code Machine} is
     * imaged by {@code Machine.snapshot()}, which does that; calling this directly on a machine's
     * memory would miss later writes through the CPUs' cached entries.
     */
    public MemoryImage image() {
        MemoryImage b = base;
        boolean share = b != null && b.chunkCount() == chunks.length;
        byte[][][] pages = new byte[chunks.length][][];
        for (int ci = 0; ci < chunks.length; ci++) {
            Chunk c = chunks[ci];
            if (c == null) {
                continue;
            }
            byte[][] shared = share && b.hasChunk(ci) ? b.chunk(ci) : null;
            byte[][] out = new byte[PAGES_PER_CHUNK][];
            for (int i = 0; i < PAGES_PER_CHUNK; i++) {
                byte[] live = c.pages[i];
                if (live == null) {
                    continue;
                }
                boolean unchanged = shared != null && (c.clean[i >>> 6] & (1L << i)) != 0;
                out[i] = unchanged ? shared[i] : live.clone();
            }
            pages[ci] = out;
        }
        MemoryImage image = new MemoryImage(pages, allocatedPages, mmioAccesses, mmio.length);
        markClean(image);
        return image;
    }

    /**
     * Makes the RAM equal {@code image} again. When the RAM last equalled this same image, only
     * the pages written since are copied back; otherwise each page whose content may differ
     * (written since the last image point, or different in the two images) is. Callers must drop
     * every cached page array (read and write) afterwards.
     *
     * @throws IllegalArgumentException if the image was taken of a memory laid out differently
     */
    public void restore(MemoryImage image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        if (image.chunkCount() != chunks.length || image.mmioRegions() != mmio.length) {
            throw new IllegalArgumentException("the image was taken of a memory laid out differently: "
                    + image.chunkCount() + " chunks of 2 MiB and " + image.mmioRegions() + " MMIO regions, this memory has "
                    + chunks.length + " and " + mmio.length);
        }
        if (image == base) {
            for (int k = 0; k < dirtyCount; k++) {
                long page = dirty[k];
                copyBack(image, (int) (page >>> (CHUNK_SHIFT - 12)), (int) (page & (PAGES_PER_CHUNK - 1)));
            }
        } else {
            MemoryImage b = base;
            boolean comparable = b != null && b.chunkCount() == chunks.length;
            for (int ci = 0; ci < chunks.length; ci++) {
                Chunk c = chunks[ci];
                if (c == null) {
                    continue;
                }
                byte[][] from = image.chunk(ci);
                byte[][] was = comparable ? b.chunk(ci) : null;
                for (int i = 0; i < PAGES_PER_CHUNK; i++) {
                    boolean clean = (c.clean[i >>> 6] & (1L << i)) != 0;
                    if (!(comparable && clean && was[i] == from[i])) {
                        copyBack(image, ci, i);
                    }
                }
            }
        }
        allocatedPages = image.allocatedPages();
        mmioAccesses = image.mmioAccesses();
        markClean(image);
    }

    private void copyBack(MemoryImage image, int ci, int i) {
        Chunk c = chunks[ci];
        byte[] from = image.chunk(ci)[i];
        byte[] live = c.pages[i];
        if (from == null) {
            c.pages[i] = null;
        } else if (live == null) {
            c.pages[i] = from.clone();
        } else {
            System.arraycopy(from, 0, live, 0, PAGE_SIZE);
        }
        if ((c.code[i >>> 6] & (1L << i)) != 0) {
            c.code[i >>> 6] &= ~(1L << i);
            CodeWriteListener l = codeWriteListener;
            if (l != null) {
                l.codePageWritten(((long) ci << (CHUNK_SHIFT - 12)) | i);
            }
        }
    }

    private void markClean(MemoryImage image) {
        for (Chunk c : chunks) {
            if (c != null) {
                System.arraycopy(c.ram, 0, c.clean, 0, c.ram.length);
            }
        }
        dirtyCount = 0;
        base = image;
    }

    /** Pages written since the last image was taken or restored (what the next restore of it copies). */
    public int pagesWrittenSinceImage() {
        return dirtyCount;
    }

    /** Marks the RAM page holding {@code address} as holding decoded code (see {@link CodeWriteListener}). */
    public void markCodePage(long address) {
        Chunk c = chunk(address);
        if (c != null) {
            int i = (int) ((address >>> 12) & (PAGES_PER_CHUNK - 1));
            c.code[i >>> 6] |= 1L << i;
        }
    }

    public boolean isCodePage(long address) {
        Chunk c = chunk(address);
        if (c == null) {
            return false;
        }
        int i = (int) ((address >>> 12) & (PAGES_PER_CHUNK - 1));
        return (c.code[i >>> 6] & (1L << i)) != 0;
    }

    // ---------------------------------------------------------------- PhysicalMemory

    @Override
    public int read8(long address) {
        byte[] p = pageForRead(address);
        if (p != null) {
            return p[(int) address & 0xFFF] & 0xFF;
        }
        return (int) slowRead(address, 1);
    }

    @Override
    public int read16(long address) {
        int off = (int) address & 0xFFF;
        if (off <= PAGE_SIZE - 2) {
            byte[] p = pageForRead(address);
            if (p != null) {
                return (short) LE16.get(p, off) & 0xFFFF;
            }
            return (int) slowRead(address, 2);
        }
        return (int) readBytewise(address, 2);
    }

    @Override
    public int read32(long address) {
        int off = (int) address & 0xFFF;
        if (off <= PAGE_SIZE - 4) {
            byte[] p = pageForRead(address);
            if (p != null) {
                return (int) LE32.get(p, off);
            }
            return (int) slowRead(address, 4);
        }
        return (int) readBytewise(address, 4);
    }

    @Override
    public long read64(long address) {
        int off = (int) address & 0xFFF;
        if (off <= PAGE_SIZE - 8) {
            byte[] p = pageForRead(address);
            if (p != null) {
                return (long) LE64.get(p, off);
            }
            return slowRead(address, 8);
        }
        return readBytewise(address, 8);
    }

    @Override
    public void write8(long address, int value) {
        byte[] p = pageForWrite(address);
        if (p != null) {
            p[(int) address & 0xFFF] = (byte) value;
        } else {
            slowWrite(address, 1, value);
        }
    }

    @Override
    public void write16(long address, int value) {
        int off = (int) address & 0xFFF;
        if (off <= PAGE_SIZE - 2) {
            byte[] p = pageForWrite(address);
            if (p != null) {
                LE16.set(p, off, (short) value);
            } else {
                slowWrite(address, 2, value);
            }
        } else {
            writeBytewise(address, 2, value);
        }
    }

    @Override
    public void write32(long address, int value) {
        int off = (int) address & 0xFFF;
        if (off <= PAGE_SIZE - 4) {
            byte[] p = pageForWrite(address);
            if (p != null) {
                LE32.set(p, off, value);
            } else {
                slowWrite(address, 4, value);
            }
        } else {
            writeBytewise(address, 4, value);
        }
    }

    @Override
    public void write64(long address, long value) {
        int off = (int) address & 0xFFF;
        if (off <= PAGE_SIZE - 8) {
            byte[] p = pageForWrite(address);
            if (p != null) {
                LE64.set(p, off, value);
            } else {
                slowWrite(address, 8, value);
            }
        } else {
            writeBytewise(address, 8, value);
        }
    }

    /** A 16-byte little-endian read: {@code out[0]} gets bytes 0-7, {@code out[1]} bytes 8-15. */
    public void read128(long address, long[] out) {
        out[0] = read64(address);
        out[1] = read64(address + 8);
    }

    /** A 16-byte little-endian write of {@code low} (bytes 0-7) and {@code high} (bytes 8-15). */
    public void write128(long address, long low, long high) {
        write64(address, low);
        write64(address + 8, high);
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        checkArray(dst, offset, length);
        int done = 0;
        while (done < length) {
            long a = address + done;
            int inPage = Math.min(length - done, PAGE_SIZE - ((int) a & 0xFFF));
            byte[] p = pageForRead(a);
            if (p != null) {
                System.arraycopy(p, (int) a & 0xFFF, dst, offset + done, inPage);
            } else {
                for (int k = 0; k < inPage; k++) {
                    dst[offset + done + k] = (byte) slowRead(a + k, 1);
                }
            }
            done += inPage;
        }
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        checkArray(src, offset, length);
        int done = 0;
        while (done < length) {
            long a = address + done;
            int inPage = Math.min(length - done, PAGE_SIZE - ((int) a & 0xFFF));
            byte[] p = pageForWrite(a);
            if (p != null) {
                System.arraycopy(src, offset + done, p, (int) a & 0xFFF, inPage);
            } else {
                for (int k = 0; k < inPage; k++) {
                    slowWrite(a + k, 1, src[offset + done + k]);
                }
            }
            done += inPage;
        }
    }

    private static void checkArray(byte[] array, int offset, int length) {
        if (array == null) {
            throw new IllegalArgumentException("array must not be null");
        }
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length
                    + " must lie within the array of length " + array.length);
        }
    }

    // ---------------------------------------------------------------- library-caller API

    /**
     * Copies {@code data} into RAM at {@code address} (for loaders and tests). Unlike the guest
     * accessors it throws if any byte falls outside RAM.
     */
    public void load(long address, byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        requireRam(address, data.length);
        write(address, data, 0, data.length);
    }

    /** Reads {@code length} bytes of RAM at {@code address}; throws if any byte is outside RAM. */
    public byte[] dump(long address, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        requireRam(address, length);
        byte[] out = new byte[length];
        read(address, out, 0, length);
        return out;
    }

    /** Throws {@link IllegalArgumentException} unless every byte of the range is RAM. */
    public void requireRam(long address, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        if (address < 0 || address + length > (1L << MAX_PHYSICAL_ADDRESS_BITS) || address + length < 0) {
            throw new IllegalArgumentException(String.format(
                    "address range [0x%x, +%d) must lie in [0, 2^52) and in configured RAM", address, length));
        }
        for (long page = address >>> 12; length > 0 && page <= (address + length - 1) >>> 12; page++) {
            if (!isRam(page << 12)) {
                throw new IllegalArgumentException(String.format(
                        "address range [0x%x, 0x%x) is not entirely RAM: page 0x%x is %s; configured RAM: %s",
                        address, address + length, page << 12, mmioAt(page << 12) != null ? "MMIO" : "unbacked",
                        describeRam()));
            }
        }
    }

    /** The configured RAM as a list of {@code [base, end)} ranges, for messages. */
    public String describeRam() {
        StringBuilder sb = new StringBuilder();
        long start = -1;
        long pages = (long) chunks.length * PAGES_PER_CHUNK;
        for (long page = 0; page <= pages; page++) {
            boolean ram = page < pages && isRam(page << 12);
            if (ram && start < 0) {
                start = page;
            } else if (!ram && start >= 0) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(String.format("[0x%x, 0x%x)", start << 12, page << 12));
                start = -1;
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    // ---------------------------------------------------------------- slow paths

    private long mmioAccesses;

    /**
     * MMIO reads and writes so far. A device access can change what the CPU must do before its
     * next instruction (an interrupt, a timer), so code that runs several instructions at once
     * (the translating engine) ends its run when this count moves.
     */
    public long mmioAccessCount() {
        return mmioAccesses;
    }

    private Mmio mmioAt(long address) {
        for (Mmio r : mmio) {
            if (address >= r.base && address < r.end) {
                return r;
            }
        }
        return null;
    }

    /** An access of {@code size} bytes within one page that is not RAM. */
    private long slowRead(long address, int size) {
        Mmio r = mmioAt(address);
        if (r != null) {
            mmioAccesses++;
            long v = r.handler.read(address - r.base, size);
            return size == 8 ? v : v & ((1L << (size * 8)) - 1);
        }
        if (openBus == OpenBusPolicy.ZEROS) {
            return 0;
        }
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    private void slowWrite(long address, int size, long value) {
        Mmio r = mmioAt(address);
        if (r != null) {
            mmioAccesses++;
            r.handler.write(address - r.base, size, size == 8 ? value : value & ((1L << (size * 8)) - 1));
        }
    }

    private long readBytewise(long address, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (long) read8(address + i) << (8 * i);
        }
        return v;
    }

    private void writeBytewise(long address, int size, long value) {
        for (int i = 0; i < size; i++) {
            write8(address + i, (int) (value >>> (8 * i)));
        }
    }
}
