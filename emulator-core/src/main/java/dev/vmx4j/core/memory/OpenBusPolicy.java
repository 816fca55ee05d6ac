package dev.vmx4j.core.memory;

/** What a guest access to an address that no RAM or MMIO region claims reads as. */
public enum OpenBusPolicy {
    /**
     * Reads return all ones, writes are dropped.
     *
     * <p>MANUAL: the SDM does not define unclaimed physical addresses; PC chipsets terminate
     * such reads with all ones (master abort), which is what firmware and OS probes expect.
     */
    ALL_ONES,
    /** Reads return zero, writes are dropped. */
    ZEROS
}
