package dev.vmx4j.core.cpu;

import java.util.Arrays;

/**
 * One tagged set of the {@link Mmu}'s software-TLB arrays: the linear (EPT off) or combined
 * (EPT on) mappings of one (VPID, PCID, EP4TA) triple, SDM "Information That May Be Cached".
 * Each set has a supervisor and a user bank of read, write and fetch entries.
 *
 * <p>The arrays are made once per context slot; switching contexts (VM entry and exit, MOV to
 * CR3 with another PCID) only swaps references, and invalidation only writes tags, so nothing
 * here allocates after the slot exists.
 *
 * <p>PERF: a data entry's tag is the linear page number (at most 52 bits) ORed with a generation
 * number in bits 62:52: {@link #key} / {@link #writeKey} for non-global read / write entries,
 * {@link #globalKey} / {@link #globalWriteKey} for global ones (SDM "Global Pages"). Dropping
 * every non-global entry (MOV to CR3) is a new {@code key} and {@code writeKey}; dropping
 * everything new global keys too; a frame that becomes a code page drops all write entries the
 * same way ({@link #dropWrites}) instead of searching them for the frame. The large arrays are
 * rewritten only when a generation counter runs out. The small fetch set keeps plain
 * page-number tags and a global flag per entry.
 */
final class TlbContext {

    static final long NO_TAG = -1L;
    private static final int GENERATION_SHIFT = 52;
    /** Generations before the arrays are rewritten: bits 62:52 (bit 63 stays clear, so no tag is NO_TAG). */
    static final int GENERATIONS = 1 << 11;
    /** The EP4TA of a context without EPT (linear mappings only). */
    static final long NO_EPT = -1L;

    /** {@link #flushPage} selectors: every entry, only global ones, only non-global ones. */
    static final int ALL = 0;
    static final int GLOBAL_ONLY = 1;
    static final int NON_GLOBAL_ONLY = 2;

    final long[] readTag = new long[2 * Mmu.TLB_ENTRIES];
    final byte[][] readPage = new byte[2 * Mmu.TLB_ENTRIES][];
    final long[] writeTag = new long[2 * Mmu.TLB_ENTRIES];
    final byte[][] writePage = new byte[2 * Mmu.TLB_ENTRIES][];
    final long[] fetchTag = new long[2 * Mmu.FETCH_ENTRIES];
    final long[] fetchFrame = new long[2 * Mmu.FETCH_ENTRIES];
    final boolean[] fetchGlobal = new boolean[2 * Mmu.FETCH_ENTRIES];

    /** The generation of non-global read entries, ORed into their tags (bits 62:52). */
    long key;
    /** The generation of global read entries (never equal to {@link #key}). */
    long globalKey;
    /** The generation of non-global write entries. */
    long writeKey;
    /** The generation of global write entries (never equal to {@link #writeKey}). */
    long globalWriteKey;
    /** The last read and write generations handed out (1 .. GENERATIONS - 1). */
    private int readGeneration;
    private int writeGeneration;

    /** What the cached translations were derived from: whether dropping them could be observed. */
    final TranslationSources sources = new TranslationSources();

    /** The tag: VPID (0 for VMX root operation and guests without "enable VPID"). */
    int vpid;
    /** The tag: PCID (CR3[11:0] with CR4.PCIDE = 1, else 000H). */
    int pcid;
    /** The tag: EPTP bits 51:12 (the EP4TA), or {@link #NO_EPT}. */
    long ep4ta = NO_EPT;

    TlbContext() {
        // The zeroed data tags hold no entry: every generation handed out sets a bit of 62:52.
        flush();
    }

    /** Drops every entry, global ones included. */
    void flush() {
        sources.reset();
        newReadKeys(true);
        newWriteKeys(true);
        Arrays.fill(fetchTag, NO_TAG);
    }

    /** Drops every entry that is not global (MOV to CR3, INVPCID types 1 and 3, INVVPID type 3). */
    void flushNonGlobal() {
        if (sources.tracked && !sources.globals) {
            // No global translation was made since the last full flush: the context is empty now.
            sources.reset();
        }
        newReadKeys(false);
        newWriteKeys(false);
        for (int i = 0; i < fetchTag.length; i++) {
            if (!fetchGlobal[i]) {
                fetchTag[i] = NO_TAG;
            }
        }
    }

    /** Drops every write entry, global ones too (a frame now holds decoded code: its writes must reach GuestMemory). */
    void dropWrites() {
        newWriteKeys(true);
    }

    private void newReadKeys(boolean globalsToo) {
        if (readGeneration + 2 >= GENERATIONS) {
            // The generations ran out: entries of every older one must go for real (globals too).
            Arrays.fill(readTag, NO_TAG);
            Arrays.fill(readPage, null);
            readGeneration = 0;
            globalsToo = true;
        }
        key = (long) ++readGeneration << GENERATION_SHIFT;
        if (globalsToo) {
            globalKey = (long) ++readGeneration << GENERATION_SHIFT;
        }
    }

    private void newWriteKeys(boolean globalsToo) {
        if (writeGeneration + 2 >= GENERATIONS) {
            Arrays.fill(writeTag, NO_TAG);
            Arrays.fill(writePage, null);
            writeGeneration = 0;
            globalsToo = true;
        }
        writeKey = (long) ++writeGeneration << GENERATION_SHIFT;
        if (globalsToo) {
            globalWriteKey = (long) ++writeGeneration << GENERATION_SHIFT;
        }
    }

    /** Drops the entries (both banks) for linear page number {@code vpn}: all, the global or the non-global ones. */
    void flushPage(long vpn, int which) {
        long read = which == GLOBAL_ONLY ? NO_TAG : vpn | key;
        long readGlobal = which == NON_GLOBAL_ONLY ? NO_TAG : vpn | globalKey;
        long write = which == GLOBAL_ONLY ? NO_TAG : vpn | writeKey;
        long writeGlobal = which == NON_GLOBAL_ONLY ? NO_TAG : vpn | globalWriteKey;
        for (int b = 0; b < 2; b++) {
            int i = b * Mmu.TLB_ENTRIES + ((int) vpn & (Mmu.TLB_ENTRIES - 1));
            if (readTag[i] == read || readTag[i] == readGlobal) {
                readTag[i] = NO_TAG;
                readPage[i] = null;
            }
            if (writeTag[i] == write || writeTag[i] == writeGlobal) {
                writeTag[i] = NO_TAG;
                writePage[i] = null;
            }
            int f = b * Mmu.FETCH_ENTRIES + ((int) vpn & (Mmu.FETCH_ENTRIES - 1));
            if (fetchTag[f] == vpn && (which == ALL || fetchGlobal[f] == (which == GLOBAL_ONLY))) {
                fetchTag[f] = NO_TAG;
            }
        }
    }

    boolean isFor(int vpid, int pcid, long ep4ta) {
        return this.vpid == vpid && this.pcid == pcid && this.ep4ta == ep4ta;
    }
}
