package dev.vmx4j.core.cpu;

/**
 * One tagged set of the {@link Mmu}'s software-TLB arrays: the linear (EPT off) or combined
 * (EPT on) mappings of one (VPID, EP4TA) pair, SDM "Information That May Be Cached". Each set
 * has a supervisor and a user bank of read, write and fetch entries (tag = linear page number).
 *
 * <p>The arrays are made once per context slot; switching contexts (VM entry and exit) only
 * swaps references, and invalidation only writes tags, so nothing here allocates after the
 * slot exists.
 *
 * <p>PERF: a data entry's tag is the linear page number (at most 52 bits) ORed with a generation
 * number in bits 62:52 ({@link #key} for read entries, {@link #writeKey} for write entries).
 * Flushing is one increment of the generation (the large arrays are rewritten only when it
 * wraps, every {@link #GENERATIONS} flushes), so MOV to CR3 and the like cost the same at any
 * TLB size; a frame that becomes a code page drops all write entries the same way
 * ({@link #dropWrites}) instead of searching them for the frame.
 */
final class TlbContext {

    static final long NO_TAG = -1L;
    private static final int GENERATION_SHIFT = 52;
    /** Generations before the arrays are rewritten: bits 62:52 (bit 63 stays clear, so no tag is NO_TAG). */
    static final int GENERATIONS = 1 << 11;
    /** The EP4TA of a context without EPT (linear mappings only). */
    static final long NO_EPT = -1L;

    final long[] readTag = new long[2 * Mmu.TLB_ENTRIES];
    final byte[][] readPage = new byte[2 * Mmu.TLB_ENTRIES][];
    final long[] writeTag = new long[2 * Mmu.TLB_ENTRIES];
    final byte[][] writePage = new byte[2 * Mmu.TLB_ENTRIES][];
    final long[] fetchTag = new long[2 * Mmu.FETCH_ENTRIES];
    final long[] fetchFrame = new long[2 * Mmu.FETCH_ENTRIES];

    /** The generation of the read entries, ORed into their tags (bits 62:52). */
    long key;
    /** The generation of the write entries. */
    long writeKey;

    /** The tag: VPID (0 for VMX root operation and guests without "enable VPID"). */
    int vpid;
    /** The tag: EPTP bits 51:12 (the EP4TA), or {@link #NO_EPT}. */
    long ep4ta = NO_EPT;

    TlbContext() {
        // The zeroed data tags hold no entry: generation 1 onwards sets bit 52 in every tag.
        flush();
    }

    /** Drops every entry: new generations for the data entries, the small fetch set rewritten. */
    void flush() {
        key = nextGeneration(key, readTag, readPage);
        writeKey = nextGeneration(writeKey, writeTag, writePage);
        java.util.Arrays.fill(fetchTag, NO_TAG);
    }

    /** Drops every write entry (a frame now holds decoded code: its writes must reach GuestMemory). */
    void dropWrites() {
        writeKey = nextGeneration(writeKey, writeTag, writePage);
    }

    private static long nextGeneration(long key, long[] tags, byte[][] pages) {
        long next = key + (1L << GENERATION_SHIFT);
        if (next < 0) {
            // The generation wrapped: entries of every older generation must go for real.
            java.util.Arrays.fill(tags, NO_TAG);
            java.util.Arrays.fill(pages, null);
            next = 0;
        }
        return next;
    }

    /** Drops the entries (both banks) for linear page number {@code vpn}. */
    void flushPage(long vpn) {
        long tag = vpn | key;
        long writeTagOfPage = vpn | writeKey;
        for (int b = 0; b < 2; b++) {
            int i = b * Mmu.TLB_ENTRIES + ((int) vpn & (Mmu.TLB_ENTRIES - 1));
            if (readTag[i] == tag) {
                readTag[i] = NO_TAG;
                readPage[i] = null;
            }
            if (writeTag[i] == writeTagOfPage) {
                writeTag[i] = NO_TAG;
                writePage[i] = null;
            }
            int f = b * Mmu.FETCH_ENTRIES + ((int) vpn & (Mmu.FETCH_ENTRIES - 1));
            if (fetchTag[f] == vpn) {
                fetchTag[f] = NO_TAG;
            }
        }
    }

    boolean isFor(int vpid, long ep4ta) {
        return this.vpid == vpid && this.ep4ta == ep4ta;
    }
}
