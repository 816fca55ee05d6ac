package dev.vmx4j.mmu.ept;

/**
 * Field layout of the extended-page-table pointer (EPTP), a 64-bit VM-execution control field.
 *
 * <p>SDM "Extended-Page-Table Pointer (EPTP)":
 * <pre>
 *  bits 2:0    EPT paging-structure memory type (0 = UC, 6 = WB)
 *  bits 5:3    EPT page-walk length minus 1 (3 = 4 levels, 4 = 5 levels)
 *  bit 6       enable accessed and dirty flags for EPT
 *  bit 7       enable supervisor shadow-stack control (reserved without IA32_VMX_EPT_VPID_CAP[23])
 *  bits 11:8   reserved
 *  bits N-1:12 physical address of the EPT PML4 (or PML5) table
 *  bits 63:N   reserved (N = MAXPHYADDR)
 * </pre>
 */
public final class Eptp {

    public static final long MEMORY_TYPE_MASK = 0x7L;
    public static final int WALK_LENGTH_SHIFT = 3;
    public static final long WALK_LENGTH_MASK = 0x7L << WALK_LENGTH_SHIFT;
    public static final long ACCESSED_DIRTY_ENABLE = 1L << 6;
    public static final long SUPERVISOR_SHADOW_STACK_ENABLE = 1L << 7;
    public static final long RESERVED_11_8 = 0xF00L;

    private Eptp() {
    }

    /** Bits 2:0, the memory type of accesses to the EPT paging structures. */
    public static int memoryType(long eptp) {
        return (int) (eptp & MEMORY_TYPE_MASK);
    }

    /** The page-walk length: bits 5:3 plus one. */
    public static int pageWalkLength(long eptp) {
        return (int) ((eptp & WALK_LENGTH_MASK) >>> WALK_LENGTH_SHIFT) + 1;
    }

    public static boolean accessedDirtyEnabled(long eptp) {
        return (eptp & ACCESSED_DIRTY_ENABLE) != 0;
    }

    /** Bits 51:12: the address of the root table (the caller has checked bits above MAXPHYADDR). */
    public static long rootTableAddress(long eptp) {
        return eptp & EptEntry.ADDRESS_MASK;
    }

    /** Builds an EPTP value (for tests and tools): type, walk length 4 or 5, A/D flag, root address. */
    public static long of(long rootTableAddress, int memoryType, int pageWalkLength, boolean accessedDirty) {
        if ((rootTableAddress & 0xFFFL) != 0) {
            throw new IllegalArgumentException("rootTableAddress must be 4-KByte aligned: 0x"
                    + Long.toHexString(rootTableAddress));
        }
        if (memoryType < 0 || memoryType > 7) {
            throw new IllegalArgumentException("memoryType must be 0..7: " + memoryType);
        }
        if (pageWalkLength < 1 || pageWalkLength > 8) {
            throw new IllegalArgumentException("pageWalkLength must be 1..8: " + pageWalkLength);
        }
        return rootTableAddress | memoryType | ((long) (pageWalkLength - 1) << WALK_LENGTH_SHIFT)
                | (accessedDirty ? ACCESSED_DIRTY_ENABLE : 0);
    }
}
