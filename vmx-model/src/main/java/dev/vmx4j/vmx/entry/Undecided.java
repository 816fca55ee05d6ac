package dev.vmx4j.vmx.entry;

import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * A check that could not be decided: a field it may consult is absent from the
 * {@link VmcsReader} ({@link #missingField()} names one), or it needs memory the
 * {@link EntryContext} does not provide ({@link #missingField()} is null).
 *
 * @param check        the check
 * @param missingField an absent field it may consult, or null when memory was missing
 */
public record Undecided(EntryCheck check, VmcsField missingField) {

    @Override
    public String toString() {
        return check.name() + ": " + (missingField == null ? "needs guest memory" : missingField.sdmName() + " not in the dump");
    }
}
