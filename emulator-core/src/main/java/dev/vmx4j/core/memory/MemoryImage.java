package dev.vmx4j.core.memory;

/**
 * An immutable image of a {@link GuestMemory}'s RAM, taken by {@link GuestMemory#image()} and
 * put back by {@link GuestMemory#restore(MemoryImage)}. Pages are held as 4 KiB arrays that are
 * never written after the image is taken; images taken one after the other share the pages
 * that did not change between them, so an image costs the pages written since the previous one.
 */
public final class MemoryImage {

    private static final byte[][] NO_PAGES = new byte[512][];

    private final byte[][][] chunks;
    private final long allocatedPages;
    private final long mmioAccesses;
    private final int mmioRegions;

    MemoryImage(byte[][][] chunks, long allocatedPages, long mmioAccesses, int mmioRegions) {
        this.chunks = chunks;
        this.allocatedPages = allocatedPages;
        this.mmioAccesses = mmioAccesses;
        this.mmioRegions = mmioRegions;
    }

    int chunkCount() {
        return chunks.length;
    }

    /** The pages of 2 MiB chunk {@code index} (null entries: never written); never written to. */
    byte[][] chunk(int index) {
        byte[][] c = chunks[index];
        return c != null ? c : NO_PAGES;
    }

    boolean hasChunk(int index) {
        return chunks[index] != null;
    }

    long allocatedPages() {
        return allocatedPages;
    }

    long mmioAccesses() {
        return mmioAccesses;
    }

    int mmioRegions() {
        return mmioRegions;
    }

    /** Number of RAM pages the image holds (pages written at least once before it was taken). */
    public long pages() {
        long n = 0;
        for (byte[][] c : chunks) {
            if (c != null) {
                for (byte[] p : c) {
                    if (p != null) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
