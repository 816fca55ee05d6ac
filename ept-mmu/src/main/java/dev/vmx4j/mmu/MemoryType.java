package dev.vmx4j.mmu;

/**
 * Memory types with their architectural encodings.
 *
 * <p>SDM "Memory Types and Their Properties" / "Memory Type Range Registers (MTRRs)": the
 * encodings 0, 1, 4, 5, 6 are used by MTRRs, PAT and EPT; 7 (UC-) exists only in the PAT.
 */
public enum MemoryType {
    UC(0),
    WC(1),
    WT(4),
    WP(5),
    WB(6),
    /** UC- ("UC minus"): PAT only; MTRR WC overrides it. */
    UC_MINUS(7);

    private final int encoding;

    MemoryType(int encoding) {
        this.encoding = encoding;
    }

    /** The SDM encoding of this type. */
    public int encoding() {
        return encoding;
    }

    /**
     * The type with this encoding, or {@code null} for a reserved encoding (2, 3, or anything
     * above 7). Callers decide which reserved encodings fault.
     */
    public static MemoryType fromEncoding(int encoding) {
        switch (encoding) {
            case 0: return UC;
            case 1: return WC;
            case 4: return WT;
            case 5: return WP;
            case 6: return WB;
            case 7: return UC_MINUS;
            default: return null;
        }
    }
}
