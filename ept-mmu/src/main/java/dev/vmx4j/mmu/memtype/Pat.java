package dev.vmx4j.mmu.memtype;

import dev.vmx4j.mmu.MemoryType;

/**
 * The IA32_PAT MSR (277H): eight 8-bit entries PA0..PA7, each a memory type in bits 2:0 with
 * bits 7:3 reserved.
 *
 * <p>SDM "IA32_PAT MSR", "Selecting a Memory Type from the PAT", "Programming the PAT".
 */
public final class Pat {

    /** SDM "PAT Initialization": the power-up/reset value (WB, WT, UC-, UC, WB, WT, UC-, UC). */
    public static final long RESET_VALUE = 0x0007_0406_0007_0406L;

    private long value = RESET_VALUE;
    // PERF: decoded entries, so lookups on the access path are one array load.
    private final MemoryType[] entries = new MemoryType[8];

    public Pat() {
        decode();
    }

    /** The raw MSR value (RDMSR). */
    public long value() {
        return value;
    }

    /** Validates a WRMSR value without writing. */
    public static MsrWriteStatus check(long value) {
        for (int i = 0; i < 8; i++) {
            int field = (int) ((value >>> (8 * i)) & 0xFF);
            // SDM "IA32_PAT MSR": "The five high-order bits of each field are reserved, and must
            // be set to all 0s." Attempting to write an undefined type (2, 3) causes #GP.
            if ((field & 0xF8) != 0) {
                return MsrWriteStatus.RESERVED_BITS_SET;
            }
            if (field == 2 || field == 3) {
                return MsrWriteStatus.INVALID_MEMORY_TYPE;
            }
        }
        return MsrWriteStatus.OK;
    }

    /** WRMSR: validates, then writes when {@link MsrWriteStatus#OK}. */
    public MsrWriteStatus write(long newValue) {
        MsrWriteStatus status = check(newValue);
        if (status == MsrWriteStatus.OK) {
            value = newValue;
            decode();
        }
        return status;
    }

    private void decode() {
        for (int i = 0; i < 8; i++) {
            entries[i] = entryOf(value, i);
        }
    }

    /**
     * The memory type of entry PA{@code index} (0..7) of an IA32_PAT value that passed
     * {@link #check}; for callers that keep the MSR value themselves.
     */
    public static MemoryType entryOf(long patValue, int index) {
        if (index < 0 || index > 7) {
            throw new IllegalArgumentException("PAT index must be 0..7: " + index);
        }
        return MemoryType.fromEncoding((int) ((patValue >>> (8 * index)) & 0x7));
    }

    /** The memory type of entry PA{@code index} (0..7). */
    public MemoryType entry(int index) {
        if (index < 0 || index > 7) {
            throw new IllegalArgumentException("PAT index must be 0..7: " + index);
        }
        return entries[index];
    }

    /**
     * SDM "Selecting a Memory Type from the PAT": the entry index is PAT * 4 + PCD * 2 + PWT,
     * the bits of the paging-structure entry that maps the page (or of CR3 for the top table).
     */
    public static int index(boolean pat, boolean pcd, boolean pwt) {
        return (pat ? 4 : 0) | (pcd ? 2 : 0) | (pwt ? 1 : 0);
    }
}
