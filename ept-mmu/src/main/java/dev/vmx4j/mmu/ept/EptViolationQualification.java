package dev.vmx4j.mmu.ept;

/**
 * The exit qualification of a VM exit due to an EPT violation (exit reason 48).
 *
 * <p>SDM "Exit Qualification for EPT Violations":
 * <pre>
 *  bit 0  data read (also set, with bit 1, for guest paging-structure accesses under EPT A/D)
 *  bit 1  data write
 *  bit 2  instruction fetch
 *  bit 3  AND of bit 0 (read) over the EPT entries used
 *  bit 4  AND of bit 1 (write) over the EPT entries used
 *  bit 5  AND of bit 2 (execute; supervisor-mode execute under mode-based execute control)
 *  bit 6  AND of bit 10 (user-mode execute) when mode-based execute control is 1, else 0
 *  bit 7  the guest linear-address field is valid
 *  bit 8  (bit 7 = 1) the access is to the translation of a linear address, not to a guest
 *         paging-structure entry
 *  bit 9  (bits 7, 8 = 1, advanced information) user-mode linear address
 *  bit 10 (bits 7, 8 = 1, advanced information) read/write page
 *  bit 11 (bits 7, 8 = 1, advanced information) execute-disable page
 *  bit 12 NMI unblocking due to IRET
 * </pre>
 * Bits 13 and above (shadow-stack, sub-page permission, asynchronous, ...) are not modelled:
 * {@link #decode(long)} drops them. Bits the SDM calls undefined are encoded as 0 (MANUAL).
 */
public record EptViolationQualification(
        boolean read,
        boolean write,
        boolean fetch,
        boolean readable,
        boolean writable,
        boolean executable,
        boolean userExecutable,
        boolean linearAddressValid,
        boolean linearTranslation,
        boolean userModeLinear,
        boolean linearReadWrite,
        boolean linearExecuteDisable,
        boolean nmiUnblockingDueToIret) {

    public static final long READ = 1L << 0;
    public static final long WRITE = 1L << 1;
    public static final long FETCH = 1L << 2;
    public static final long READABLE = 1L << 3;
    public static final long WRITABLE = 1L << 4;
    public static final long EXECUTABLE = 1L << 5;
    public static final long USER_EXECUTABLE = 1L << 6;
    public static final long LINEAR_ADDRESS_VALID = 1L << 7;
    public static final long LINEAR_TRANSLATION = 1L << 8;
    public static final long USER_MODE_LINEAR = 1L << 9;
    public static final long LINEAR_READ_WRITE = 1L << 10;
    public static final long LINEAR_EXECUTE_DISABLE = 1L << 11;
    public static final long NMI_UNBLOCKING_DUE_TO_IRET = 1L << 12;
    /** Bits 12:0, the bits this record models. */
    public static final long DEFINED_BITS = 0x1FFFL;

    /** The 64-bit exit-qualification value. */
    public long encode() {
        return (read ? READ : 0)
                | (write ? WRITE : 0)
                | (fetch ? FETCH : 0)
                | (readable ? READABLE : 0)
                | (writable ? WRITABLE : 0)
                | (executable ? EXECUTABLE : 0)
                | (userExecutable ? USER_EXECUTABLE : 0)
                | (linearAddressValid ? LINEAR_ADDRESS_VALID : 0)
                | (linearTranslation ? LINEAR_TRANSLATION : 0)
                | (userModeLinear ? USER_MODE_LINEAR : 0)
                | (linearReadWrite ? LINEAR_READ_WRITE : 0)
                | (linearExecuteDisable ? LINEAR_EXECUTE_DISABLE : 0)
                | (nmiUnblockingDueToIret ? NMI_UNBLOCKING_DUE_TO_IRET : 0);
    }

    /** Decodes bits 12:0 of an exit qualification; higher bits are ignored. */
    public static EptViolationQualification decode(long q) {
        return new EptViolationQualification(
                (q & READ) != 0,
                (q & WRITE) != 0,
                (q & FETCH) != 0,
                (q & READABLE) != 0,
                (q & WRITABLE) != 0,
                (q & EXECUTABLE) != 0,
                (q & USER_EXECUTABLE) != 0,
                (q & LINEAR_ADDRESS_VALID) != 0,
                (q & LINEAR_TRANSLATION) != 0,
                (q & USER_MODE_LINEAR) != 0,
                (q & LINEAR_READ_WRITE) != 0,
                (q & LINEAR_EXECUTE_DISABLE) != 0,
                (q & NMI_UNBLOCKING_DUE_TO_IRET) != 0);
    }

    /** The same qualification with bit 12 set as the CPU decides (the walker never sets it). */
    public EptViolationQualification withNmiUnblockingDueToIret(boolean value) {
        return new EptViolationQualification(read, write, fetch, readable, writable, executable,
                userExecutable, linearAddressValid, linearTranslation, userModeLinear,
                linearReadWrite, linearExecuteDisable, value);
    }
}
