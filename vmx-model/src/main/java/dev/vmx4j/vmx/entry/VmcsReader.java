package dev.vmx4j.vmx.entry;

import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * Read access to the fields of one VMCS, as the entry checks need it: the emulator's VMCS
 * store, a {@link VmcsValues} map, or a VMCS parsed from a hypervisor's dump.
 *
 * <p>{@link #read} returns the field's value (0 for a field the processor does not support).
 * A reader that knows only part of a VMCS answers {@code false} from {@link #isPresent}; checks
 * that may consult such a field are then reported as undecided ("not in the dump") instead of
 * assuming a value.
 */
public interface VmcsReader {

    /** The value of {@code field}, zero-extended to 64 bits. */
    long read(VmcsField field);

    /** False if the value of {@code field} is unknown; {@link #read} then returns 0. */
    default boolean isPresent(VmcsField field) {
        return true;
    }
}
