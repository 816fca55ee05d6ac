package dev.vmx4j.mmu.ept;

/** How an EPT translation ended. */
public enum EptWalkOutcome {
    /** The access is allowed; the host-physical address and memory type are valid. */
    TRANSLATED,
    /** EPT violation (exit reason 48), or #VE when the result says it is convertible. */
    VIOLATION,
    /** EPT misconfiguration (exit reason 49). */
    MISCONFIGURATION,
    /** Page-modification log-full event (exit reason 62); no flag was set, the access did not occur. */
    PML_LOG_FULL
}
