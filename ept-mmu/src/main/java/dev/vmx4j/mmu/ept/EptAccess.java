package dev.vmx4j.mmu.ept;

/**
 * Flags describing one access through EPT, passed to {@link EptWalker#translate}.
 *
 * <p>The bit positions of {@link #READ}, {@link #WRITE}, {@link #FETCH}, {@link #LINEAR_ADDRESS_VALID}
 * and {@link #USER_MODE_LINEAR} to {@link #LINEAR_EXECUTE_DISABLE} are those of the exit
 * qualification for EPT violations (SDM "Exit Qualification for EPT Violations"), so the
 * walker copies them without shuffling. {@link #GUEST_PAGING_ENTRY} is ours.
 */
public final class EptAccess {

    /** A data read (bit 0). Reads of guest paging structures are data reads. */
    public static final int READ = 1 << 0;
    /**
     * A data write (bit 1), including the guest walker's accessed/dirty updates. For a
     * read-modify-write the SDM leaves bit 0 implementation-specific: pass READ | WRITE or WRITE.
     */
    public static final int WRITE = 1 << 1;
    /** An instruction fetch (bit 2). */
    public static final int FETCH = 1 << 2;
    /**
     * The access has a guest linear address (bit 7): every access except loading the PAE PDPTEs
     * by MOV to CR and trace-address pre-translation.
     */
    public static final int LINEAR_ADDRESS_VALID = 1 << 7;
    /**
     * The linear address is a user-mode address (bit 9). Selects EPT bit 10 for fetches under
     * mode-based execute control. With CR0.PG = 0 every linear address is user-mode.
     */
    public static final int USER_MODE_LINEAR = 1 << 9;
    /** Guest paging maps the linear address read/write (bit 10); true when CR0.PG = 0. */
    public static final int LINEAR_READ_WRITE = 1 << 10;
    /** Guest paging maps the linear address execute-disable (bit 11). */
    public static final int LINEAR_EXECUTE_DISABLE = 1 << 11;
    /**
     * The access is to a guest paging-structure entry (clears exit-qualification bit 8). With
     * EPT A/D flags enabled such accesses are treated as writes, except the PDPTE loads of MOV to
     * CR (passed without {@link #LINEAR_ADDRESS_VALID}), which stay reads.
     */
    public static final int GUEST_PAGING_ENTRY = 1 << 16;

    private EptAccess() {
    }
}
