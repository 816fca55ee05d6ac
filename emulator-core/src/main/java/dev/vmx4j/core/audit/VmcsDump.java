package dev.vmx4j.core.audit;

import dev.vmx4j.vmx.entry.VmcsReader;
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
public final class VmcsDump implements VmcsReader {

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

    /** Sets (or adds) a field, as {@code vmx4j audit --field} does. */
    public void put(VmcsField field, long value) {
        values.put(field, value);
    }

    void note(String note) {
        notes.add(note);
    }

    @Override
    public boolean isPresent(VmcsField field) {
        return values.containsKey(field);
    }

    /** The field's value, or 0 when the dump does not give it (see {@link #isPresent}). */
    @Override
    public long read(VmcsField field) {
        Long v = values.get(field);
        return v == null ? 0 : v;
    }

    /**
     * Sets a field named by {@code key} (an SDM name in UPPER_SNAKE or an encoding) to the
     * decimal or 0x-hex {@code value}, as {@code vmx4j audit --field} does.
     */
    public void set(String key, String value) {
        VmcsField f = FieldNames.field(key);
        long v = FieldNames.value(value, key);
        if ((v & ~f.mask()) != 0) {
            throw new IllegalArgumentException(String.format("value 0x%x of %s is wider than the field", v, f.name()));
        }
        put(f, v);
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
