package dev.vmx4j.mmu.ept;

/**
 * Bit layout of EPT paging-structure entries (PML5E, PML4E, PDPTE, PDE, PTE).
 *
 * <p>SDM "EPT Translation Mechanism", tables "Format of an EPT PML5 Entry" through "Format of an
 * EPT Page-Table Entry":
 * <pre>
 *  bit 0   read access            bit 6   ignore PAT (leaf)       bit 10  user-mode execute (MBEC)
 *  bit 1   write access           bit 7   page size (PDPTE, PDE)  bits 51:12 address (N-1:12)
 *  bit 2   execute access         bit 8   accessed                bit 63  suppress #VE (leaf,
 *  bits 5:3 memory type (leaf)    bit 9   dirty (leaf)                    and not-present entries)
 * </pre>
 * Levels are numbered as the SDM numbers the tables: 5 = PML5E, 4 = PML4E, 3 = PDPTE, 2 = PDE,
 * 1 = PTE.
 */
public final class EptEntry {

    public static final long READ = 1L << 0;
    public static final long WRITE = 1L << 1;
    public static final long EXECUTE = 1L << 2;
    public static final long PERMISSION_MASK = 0x7L;
    public static final int MEMORY_TYPE_SHIFT = 3;
    public static final long MEMORY_TYPE_MASK = 0x7L << MEMORY_TYPE_SHIFT;
    public static final long IGNORE_PAT = 1L << 6;
    public static final long PAGE_SIZE = 1L << 7;
    public static final long ACCESSED = 1L << 8;
    public static final long DIRTY = 1L << 9;
    public static final long USER_EXECUTE = 1L << 10;
    public static final long SUPPRESS_VE = 1L << 63;
    /** Bits 51:12, the widest address field. */
    public static final long ADDRESS_MASK = 0x000F_FFFF_FFFF_F000L;

    public static final int PTE = 1;
    public static final int PDE = 2;
    public static final int PDPTE = 3;
    public static final int PML4E = 4;
    public static final int PML5E = 5;

    private EptEntry() {
    }

    /** The SDM name of the entry at this level. */
    public static String levelName(int level) {
        switch (level) {
            case PTE: return "EPT PTE";
            case PDE: return "EPT PDE";
            case PDPTE: return "EPT PDPTE";
            case PML4E: return "EPT PML4E";
            case PML5E: return "EPT PML5E";
            default: throw new IllegalArgumentException("level must be 1..5: " + level);
        }
    }

    /** Bit position of the lowest guest-physical-address bit that indexes the table at this level. */
    public static int indexShift(int level) {
        return 12 + 9 * (level - 1);
    }

    /** Bits 51:N of an entry or EPTP, the bits reserved because they are beyond MAXPHYADDR. */
    static long bitsAtOrAbove(int maxPhysicalAddressWidth) {
        return -1L << maxPhysicalAddressWidth;
    }

    static int checkMaxPhysicalAddressWidth(int width) {
        if (width < 36 || width > 52) {
            throw new IllegalArgumentException("maxPhysicalAddressWidth must be 36..52: " + width);
        }
        return width;
    }
}
