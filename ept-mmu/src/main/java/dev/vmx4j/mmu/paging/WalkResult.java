package dev.vmx4j.mmu.paging;

/**
 * The outcome of one translation, mutable and reused by its owner so that a walk allocates
 * nothing. On success {@link #faulted} is false and the translation fields are valid; on failure
 * {@link #faulted} is true and {@link #errorCode} holds the #PF error code (CR2 is the caller's
 * to set from the linear address).
 */
public final class WalkResult {

    public static final long PAGE_4K = 1L << 12;
    public static final long PAGE_2M = 1L << 21;
    public static final long PAGE_4M = 1L << 22;
    public static final long PAGE_1G = 1L << 30;

    /** True if the access faulted; then only {@link #errorCode} is meaningful. */
    public boolean faulted;
    /** The #PF error code (bits of {@link PageFaultErrorCode}) when {@link #faulted}. */
    public int errorCode;

    /** The physical address of the accessed byte. */
    public long physicalAddress;
    /** The size of the page that maps the address, one of the PAGE_ constants. */
    public long pageSize;
    /** The physical base address of that page (aligned to {@link #pageSize}). */
    public long frameBase;
    /** R/W = 1 in every paging-structure entry that controls the translation. */
    public boolean writable;
    /** U/S = 1 in every paging-structure entry that controls the translation (a user-mode address). */
    public boolean user;
    /** XD = 0 in every entry (always true when IA32_EFER.NXE = 0 or with 32-bit paging). */
    public boolean executable;
    /** G = 1 in the leaf entry and CR4.PGE = 1. */
    public boolean global;
    /** The leaf entry's dirty flag after this access (set by a write). */
    public boolean dirty;
    /** PAT index: PAT &lt;&lt; 2 | PCD &lt;&lt; 1 | PWT of the leaf entry (SDM "PAT Memory Type"). */
    public int patIndex;
    /** Protection key, leaf bits 62:59 (4-level and 5-level paging only; else 0). */
    public int protectionKey;

    /** Clears every field to a non-faulted, empty translation. */
    public void reset() {
        faulted = false;
        errorCode = 0;
        physicalAddress = 0;
        pageSize = PAGE_4K;
        frameBase = 0;
        writable = false;
        user = false;
        executable = false;
        global = false;
        dirty = false;
        patIndex = 0;
        protectionKey = 0;
    }

    /** Copies every field of {@code other} into this result. */
    public void copyFrom(WalkResult other) {
        faulted = other.faulted;
        errorCode = other.errorCode;
        physicalAddress = other.physicalAddress;
        pageSize = other.pageSize;
        frameBase = other.frameBase;
        writable = other.writable;
        user = other.user;
        executable = other.executable;
        global = other.global;
        dirty = other.dirty;
        patIndex = other.patIndex;
        protectionKey = other.protectionKey;
    }

    @Override
    public String toString() {
        if (faulted) {
            return "WalkResult[#PF errorCode=0x" + Integer.toHexString(errorCode) + "]";
        }
        return "WalkResult[pa=0x" + Long.toHexString(physicalAddress)
                + " size=0x" + Long.toHexString(pageSize)
                + (writable ? " W" : "") + (user ? " U" : "") + (executable ? " X" : "")
                + (global ? " G" : "") + (dirty ? " D" : "")
                + " pat=" + patIndex + " pk=" + protectionKey + "]";
    }
}
