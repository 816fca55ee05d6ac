package dev.vmx4j.mmu.memtype;

/**
 * The outcome of a WRMSR to an MTRR or IA32_PAT. Everything but {@link #OK} is a #GP(0) the
 * CPU raises; the value was not written.
 */
public enum MsrWriteStatus {
    OK,
    /** The MSR does not exist on this processor (fixed ranges without MTRRCAP.FIX, variable index >= VCNT). */
    UNSUPPORTED_MSR,
    /** IA32_MTRRCAP is read-only. */
    READ_ONLY,
    /** A reserved bit is set (including bits at or above MAXPHYADDR). */
    RESERVED_BITS_SET,
    /** A type field holds a reserved encoding (MTRR: 2, 3, 7..FFH; PAT: 2, 3, 8..FFH). */
    INVALID_MEMORY_TYPE;

    /** True when the CPU must raise #GP(0). */
    public boolean isGeneralProtection() {
        return this != OK;
    }
}
