package dev.vmx4j.core.snapshot;

/** Why a field is not saved in a snapshot (see {@link StateRules}). */
public enum Exclusion {
    /** A cache of other state (software TLB, decoded instructions, translated blocks): flushed on restore. */
    CACHE,
    /** A reference fixed when the machine is built: not saved, but the object it leads to is walked. */
    WIRING,
    /** An object of the user's or of the host (listeners, output streams, callbacks): neither saved nor walked. */
    EXTERNAL,
    /** Configuration data fixed when the machine is built, which the guest cannot change: neither saved nor walked. */
    CONFIG,
    /** A temporary that holds nothing between instructions: neither saved nor walked. */
    SCRATCH,
    /** RAM and its bookkeeping: saved by {@code GuestMemory.image()}, not field by field. */
    MEMORY
}
