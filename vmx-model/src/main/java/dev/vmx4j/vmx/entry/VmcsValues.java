package dev.vmx4j.vmx.entry;

import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * A mutable map of VMCS field values: a {@link VmcsReader} for tests, tools and partially known
 * VMCSs. A field never {@linkplain #set set} (or {@linkplain #remove removed}) is absent when
 * the map was created {@linkplain #empty() empty}, and 0 when it was created
 * {@linkplain #zeroed() zeroed}. Values are truncated to the field's width.
 */
public final class VmcsValues implements VmcsReader {

    private final long[] values = new long[VmcsField.count()];
    private final boolean[] present = new boolean[VmcsField.count()];

    private VmcsValues(boolean allPresent) {
        if (allPresent) {
            java.util.Arrays.fill(present, true);
        }
    }

    /** Every field present with value 0. */
    public static VmcsValues zeroed() {
        return new VmcsValues(true);
    }

    /** Every field absent (unknown) until set. */
    public static VmcsValues empty() {
        return new VmcsValues(false);
    }

    /** A copy of {@code other}'s values and presence. */
    public VmcsValues copy() {
        VmcsValues c = new VmcsValues(false);
        System.arraycopy(values, 0, c.values, 0, values.length);
        System.arraycopy(present, 0, c.present, 0, present.length);
        return c;
    }

    /** Sets {@code field} (present from now on); returns this. */
    public VmcsValues set(VmcsField field, long value) {
        values[field.denseId()] = value & field.mask();
        present[field.denseId()] = true;
        return this;
    }

    /** Makes {@code field} absent (unknown); returns this. */
    public VmcsValues remove(VmcsField field) {
        values[field.denseId()] = 0;
        present[field.denseId()] = false;
        return this;
    }

    @Override
    public long read(VmcsField field) {
        return values[field.denseId()];
    }

    @Override
    public boolean isPresent(VmcsField field) {
        return present[field.denseId()];
    }
}
