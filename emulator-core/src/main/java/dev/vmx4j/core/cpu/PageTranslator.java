package dev.vmx4j.core.cpu;

/**
 * The seam between linear and physical addresses while paging is on (CR0.PG=1). An
 * implementation walks the paging structures for the current CR3/CR4/EFER and returns the
 * physical address, or throws a #PF {@link CpuException} after setting CR2.
 */
@FunctionalInterface
public interface PageTranslator {

    /** Access bits, in the positions of the #PF error code (SDM "Page-Fault Error Code"). */
    int WRITE = 1 << 1;
    int USER = 1 << 2;
    int FETCH = 1 << 4;
    /** RFLAGS.AC for an explicit supervisor-mode data access under CR4.SMAP (PagingAccess.AC). */
    int AC = 1 << 9;

    long translate(long linear, int access);

    /**
     * The PAT index (0-7, from the leaf entry's PAT/PCD/PWT bits: SDM "PAT Index") of the last
     * successful {@link #translate}; the memory-type model needs it. Translators without PAT
     * information answer 0 (the reset PAT's entry 0 is WB).
     */
    default int lastPatIndex() {
        return 0;
    }

    /**
     * True if the last successful {@link #translate} was of a user-mode address (SDM "Access
     * Rights": U/S = 1 in every paging-structure entry used). Translators without the
     * information answer false (supervisor-mode).
     */
    default boolean lastUserAddress() {
        return false;
    }

    /**
     * True if the last successful {@link #translate} was global (SDM "Global Pages": G = 1 in
     * the leaf with CR4.PGE = 1), so the software TLB may keep it across MOV to CR3. Translators
     * without the information answer false.
     */
    default boolean lastGlobal() {
        return false;
    }
}
