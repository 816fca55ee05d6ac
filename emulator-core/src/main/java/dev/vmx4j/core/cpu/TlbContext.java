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
 * <p>PERF: a data entry's tag is the linear page number (at most 52 bits) ORed with the
 * context's {@link #key}, a generation number in bits 62:52. Flushing the data entries is one
 * increment of the generation (the large arrays are rewritten only when it wraps, every
 * {@link #GENERATIONS} flushes), so MOV to CR3 and the like cost the same at any TLB size.
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
    final long[] writeFrame = new long[2 * Mmu.TLB_ENTRIES];
    final long[] fetchTag = new long[2 * Mmu.FETCH_ENTRIES];
    final long[] fetchFrame = new long[2 * Mmu.FETCH_ENTRIES];

    /** The generation of the data entries, ORed into their tags (bits 62:52). */
    long key;

    /** The tag: VPID (0 for VMX root operation and guests without "enable VPID"). */
    int vpid;
    /** The tag: EPTP bits 51:12 (the EP4TA), or {@link #NO_EPT}. */
    long ep4ta = NO_EPT;

    TlbContext() {
        // The zeroed data tags hold no entry: generation 1 onwards sets bit 52 in every tag.
        flush();
    }

    /** Drops every entry: a new generation for the data entries, the small fetch set rewritten. */
    void flush() {
        long next = key + (1L << GENERATION_SHIFT);
        if (next < 0) {
            // The generation wrapped: entries of every older generation must go for real.
            java.util.Arrays.fill(readTag, NO_TAG);
            java.util.Arrays.fill(writeTag, NO_TAG);
            java.util.Arrays.fill(readPage, null);
            java.util.Arrays.fill(writePage, null);
            next = 0;
        }
        key = next;
        java.util.Arrays.fill(fetchTag, NO_TAG);
    }

    /** Drops the entries (both banks) for linear page number {@code vpn}. */
    void flushPage(long vpn) {
        long tag = vpn | key;
        for (int b = 0; b < 2; b++) {
            int i = b * Mmu.TLB_ENTRIES + ((int) vpn & (Mmu.TLB_ENTRIES - 1));
            if (readTag[i] == tag) {
                readTag[i] = NO_TAG;
                readPage[i] = null;
            }
            if (writeTag[i] == tag) {
                writeTag[i] = NO_TAG;
                writePage[i] = null;
            }
            int f = b * Mmu.FETCH_ENTRIES + ((int) vpn & (Mmu.FETCH_ENTRIES - 1));
            if (fetchTag[f] == vpn) {
                fetchTag[f] = NO_TAG;
            }
        }
    }

    /** Drops write entries for a physical frame that now holds decoded code. */
    void dropWritesToFrame(long frame) {
        for (int i = 0; i < writeTag.length; i++) {
            if (writeTag[i] != NO_TAG && writeFrame[i] == frame) {
                writeTag[i] = NO_TAG;
                writePage[i] = null;
            }
        }
    }

    boolean isFor(int vpid, long ep4ta) {
        return this.vpid == vpid && this.ep4ta == ep4ta;
    }
}
