package dev.vmx4j.mmu.ept;

/**
 * The outcome of VMFUNC leaf 0 (EPTP switching) as far as the EPTP list decides it.
 *
 * @param status what happened
 * @param index  the requested index (ECX)
 * @param eptp   the list entry read (0 when the index was out of range)
 * @param check  the EPTP rule the entry broke, {@link EptpCheck#OK} otherwise
 */
public record EptpSwitchResult(Status status, long index, long eptp, EptpCheck check) {

    /** SDM "EPTP Switching". */
    public enum Status {
        /** The entry is a valid EPTP: the CPU loads it into the EPTP field. */
        SWITCHED,
        /** ECX is 512 or more: VM exit (VMFUNC, exit reason 59). */
        INDEX_OUT_OF_RANGE,
        /** The entry would fail the VM-entry EPTP checks: VM exit (VMFUNC, exit reason 59). */
        INVALID_EPTP
    }

    public boolean switched() {
        return status == Status.SWITCHED;
    }
}
