package dev.vmx4j.core.cpu;

/**
 * One tagged set of the {@link Mmu}'s software-TLB arrays: the linear (EPT off) or combined
 * (EPT on) mappings of one (VPID, EP4TA) pair, SDM "Information That May Be Cached". Each set
 * has a supervisor and a user bank of read, write and fetch entries (tag = linear page number).
 *
 * <p>The arrays are made once per context slot; switching contexts (VM entry and exit) only
 * swaps references, and invalidation only writes tags, so nothing here allocates after the
 * slot exists.
 */
final class TlbContext {

    static final long NO_TAG = -1L;
    /** The EP4TA of a context without EPT (linear mappings only). */
    static final long NO_EPT = -1L;

    final long[] readTag = new long[2 * Mmu.TLB_ENTRIES];
    final byte[][] readPage = new byte[2 * Mmu.TLB_ENTRIES][];
    final long[] writeTag = new long[2 * Mmu.TLB_ENTRIES];
    final byte[][] writePage = new byte[2 * Mmu.TLB_ENTRIES][];
    final long[] writeFrame = new long[2 * Mmu.TLB_ENTRIES];
    final long[] fetchTag = new long[2 * Mmu.FETCH_ENTRIES];
    final long[] fetchFrame = new long[2 * Mmu.FETCH_ENTRIES];

    /** The tag: VPID (0 for VMX root operation and guests without "enable VPID"). */
    int vpid;
    /** The tag: EPTP bits 51:12 (the EP4TA), or {@link #NO_EPT}. */
    long ep4ta = NO_EPT;

    TlbContext() {
        flush();
    }

    void flush() {
        java.util.Arrays.fill(readTag, NO_TAG);
        java.util.Arrays.fill(writeTag, NO_TAG);
        java.util.Arrays.fill(readPage, null);
        java.util.Arrays.fill(writePage, null);
        java.util.Arrays.fill(fetchTag, NO_TAG);
    }

    /** Drops the entries (both banks) for linear page number {@code vpn}. */
    void flushPage(long vpn) {
        for (int b = 0; b < 2; b++) {
            int i = b * Mmu.TLB_ENTRIES + ((int) vpn & (Mmu.TLB_ENTRIES - 1));
            if (readTag[i] == vpn) {
                readTag[i] = NO_TAG;
                readPage[i] = null;
            }
            if (writeTag[i] == vpn) {
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
