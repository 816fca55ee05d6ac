package dev.vmx4j.core.audit;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A VMCS read from a dump: the fields the dump gives, with their values, and notes about what it
 * showed but is not a VMCS field (KVM's "effective" EFER, for example). A field the dump does not
 * give is absent, never zero: checks that need it are reported as "not in the dump".
 */
public final class VmcsDump {

    private final String format;
    private final Map<VmcsField, Long> values = new EnumMap<>(VmcsField.class);
    private final List<String> notes = new ArrayList<>();

    VmcsDump(String format) {
        this.format = format;
    }

    /** Which input format the dump was read as (for messages). */
    public String format() {
        return format;
    }

    void put(VmcsField field, long value) {
        values.put(field, value);
    }

    void note(String note) {
        notes.add(note);
    }

    public boolean isPresent(VmcsField field) {
        return values.containsKey(field);
    }

    /** The field's value, or 0 when the dump does not give it (see {@link #isPresent}). */
    public long read(VmcsField field) {
        Long v = values.get(field);
        return v == null ? 0 : v;
    }

    /** Every field the dump gives, in VMCS-field order. */
    public Map<VmcsField, Long> values() {
        return Collections.unmodifiableMap(values);
    }

    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    public int size() {
        return values.size();
    }
}
