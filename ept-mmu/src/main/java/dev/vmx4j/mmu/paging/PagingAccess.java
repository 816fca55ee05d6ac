package dev.vmx4j.mmu.paging;

/**
 * Bit flags describing one access for {@link PageWalker#walk}. A plain read by CPL &lt; 3 is
 * {@link #READ} (0). WRITE, USER and EXECUTE sit at the bit positions of the matching #PF
 * error-code flags (W/R, U/S, I/D) so the error code can be built without branches.
 *
 * <p>SDM "Access Rights": an access is a user-mode access when CPL = 3 and it is not an
 * implicit supervisor-mode access; every other access is a supervisor-mode access.
 */
public final class PagingAccess {

    /** A data read (no flags). */
    public static final int READ = 0;
    /** A data write (error-code bit 1, W/R). */
    public static final int WRITE = 1 << 1;
    /** The access is made at CPL = 3 (error-code bit 2, U/S, unless IMPLICIT_SUPERVISOR). */
    public static final int USER = 1 << 2;
    /** An instruction fetch (error-code bit 4, I/D). */
    public static final int EXECUTE = 1 << 4;
    /**
     * SDM "Access Rights": an implicit supervisor-mode access (GDT/LDT/IDT/TSS, shadow-stack
     * token reads by the CPU...), supervisor-mode regardless of CPL.
     */
    public static final int IMPLICIT_SUPERVISOR = 1 << 8;
    /** The value of RFLAGS.AC at the time of the access (SMAP override for explicit accesses). */
    public static final int AC = 1 << 9;

    /** All defined flags. */
    public static final int ALL = WRITE | USER | EXECUTE | IMPLICIT_SUPERVISOR | AC;

    private PagingAccess() {
    }

    /** True if the access is a user-mode access in the SDM's sense. */
    public static boolean isUserMode(int access) {
        return (access & (USER | IMPLICIT_SUPERVISOR)) == USER;
    }
}
