package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * Decoded instructions per physical page, keyed by page frame and fetch mode (16, 32, 64).
 *
 * <p>A direct-mapped table of {@link CodePage}s; each holds one reusable
 * {@link DecodedInstruction} slot per byte offset plus a validity bitmap. The CPU marks a page
 * with {@code GuestMemory.markCodePage} when it first caches an instruction from it; the
 * memory's code-write listener calls {@link #invalidateFrame(long)} on the first write to it,
 * which clears the bitmaps (self-modifying code). Instructions that cross a page end are never
 * cached, so a write to either page is always seen.
 */
final class DecodeCache {

    // PERF: slots are allocated on first use and then reused forever: no allocation in steady state.
    static final int PAGES = 1024;
    private static final int PAGE_MASK = PAGES - 1;

    static final class CodePage {
        long frame = -1;
        int modeIndex;
        /** True once GuestMemory marks the frame as code for this entry. */
        boolean marked;
        final long[] valid = new long[64];
        DecodedInstruction[] slots;
        /**
         * The valid slots by offset, null where {@link #valid} has no bit (PERF: the page run's
         * fetch is one array load, no bit test); kept in step with {@link #valid}.
         */
        DecodedInstruction[] live;
        /** The offset last validated, or -1: the usual predecessor of the next one (fused pairs). */
        int lastOff = -1;
        /** Translated blocks by start offset (the translating engine), or null; dropped with the entry. */
        TranslatedBlock[] blocks;
        /** How often each offset was reached as a block start (the translating engine), or null. */
        byte[] heat;

        /** Forgets the translated blocks (the page's bytes or its frame changed). */
        void dropBlocks() {
            blocks = null;
            heat = null;
        }
    }

    private final CodePage[] pages = new CodePage[PAGES];

    DecodeCache() {
        // Entries are created on first use: an idle machine costs one array.
    }

    static int modeIndex(int mode) {
        return mode == 64 ? 2 : mode == 32 ? 1 : 0;
    }

    private static int index(long frame, int modeIndex) {
        return (int) (frame * 3 + modeIndex) & PAGE_MASK;
    }

    /** The page entry currently holding {@code physical}'s frame for {@code mode}, or null. */
    CodePage pageIfPresent(long physical, int mode) {
        long frame = physical >>> 12;
        int mi = modeIndex(mode);
        CodePage p = pages[index(frame, mi)];
        if (p == null || p.frame != frame || p.modeIndex != mi || p.slots == null) {
            return null;
        }
        return p;
    }

    /** The cached instruction at {@code physical} for {@code mode}, or null. */
    DecodedInstruction lookup(long physical, int mode) {
        long frame = physical >>> 12;
        int mi = modeIndex(mode);
        CodePage p = pages[index(frame, mi)];
        if (p == null || p.frame != frame || p.modeIndex != mi) {
            return null;
        }
        return p.live[(int) physical & 0xFFF];
    }

    /**
     * The page entry for {@code physical}/{@code mode}, taking over the direct-mapped entry if
     * another page held it. If {@link CodePage#marked} is false the caller must mark the frame
     * as code before caching.
     */
    CodePage pageFor(long physical, int mode) {
        long frame = physical >>> 12;
        int mi = modeIndex(mode);
        int idx = index(frame, mi);
        CodePage p = pages[idx];
        if (p == null) {
            p = new CodePage();
            pages[idx] = p;
        }
        if (p.frame != frame || p.modeIndex != mi) {
            clearValid(p);
            p.frame = frame;
            p.modeIndex = mi;
            p.marked = false;
            p.dropBlocks();
        }
        if (p.slots == null) {
            p.slots = new DecodedInstruction[4096];
            p.live = new DecodedInstruction[4096];
        }
        return p;
    }

    static DecodedInstruction slot(CodePage p, int off) {
        DecodedInstruction d = p.slots[off];
        if (d == null) {
            d = new DecodedInstruction();
            p.slots[off] = d;
        }
        return d;
    }

    /**
     * Marks the slot at {@code off} valid and links it into fused pairs ({@link FusedExec#pair})
     * with the valid instruction that ends where it starts (the one validated just before it,
     * in straight-line code) and with the valid instruction that starts where it ends. A pair
     * links only valid slots of one page, and every invalidation clears the whole page, so the
     * first of a pair is re-decoded (which unlinks it) before its second can change.
     */
    static void validate(CodePage p, int off) {
        p.valid[off >>> 6] |= 1L << off;
        DecodedInstruction[] live = p.live;
        DecodedInstruction d = p.slots[off];
        live[off] = d;
        int prev = p.lastOff;
        DecodedInstruction before = prev >= 0 ? live[prev] : null;
        if (before != null && prev + before.length == off) {
            FusedExec.pair(before, d);
        }
        int next = off + d.length;
        if (next < live.length && live[next] != null) {
            FusedExec.pair(d, live[next]);
        }
        p.lastOff = off;
    }

    private static void clearValid(CodePage p) {
        long[] valid = p.valid;
        DecodedInstruction[] live = p.live;
        for (int w = 0; w < valid.length; w++) {
            if (valid[w] != 0 && live != null) {
                // only the 64 offsets of a word that has valid bits can hold a live slot
                java.util.Arrays.fill(live, w << 6, (w + 1) << 6, null);
            }
            valid[w] = 0;
        }
        p.lastOff = -1;
    }

    /** Forgets every instruction decoded from page {@code frame}, in every mode. */
    void invalidateFrame(long frame) {
        for (int mi = 0; mi < 3; mi++) {
            CodePage p = pages[index(frame, mi)];
            if (p != null && p.frame == frame) {
                clearValid(p);
                p.frame = -1;
                p.dropBlocks();
            }
        }
    }

    void clear() {
        for (CodePage p : pages) {
            if (p == null) {
                continue;
            }
            clearValid(p);
            p.frame = -1;
            p.dropBlocks();
        }
    }
}
