package dev.vmx4j.vmx.vmcs;

import dev.vmx4j.mmu.PhysicalMemory;

/**
 * The data of one VMCS: every field's value in a primitive array indexed by
 * {@link VmcsField#denseId()} (no maps on reads), masked to the field's width, plus the launch
 * state (SDM "VMCS Status": clear or launched). The processor keeps this for each active VMCS;
 * VMCLEAR writes it to the VMCS region with {@link #writeTo} and VMPTRLD reads it back with
 * {@link #readFrom}.
 *
 * <p>The region layout (docs/VMX.md "The VMCS region"). SDM "Format of the VMCS Region" fixes
 * only the first 8 bytes; the rest is implementation-specific and software must not rely on it:
 * <pre>
 * offset 0   bits 30:0 VMCS revision identifier, bit 31 shadow-VMCS indicator (written by software)
 * offset 4   VMX-abort indicator (written by the processor on a VMX abort)
 * offset 8   layout marker {@link #MARKER} (0x564D5834, "4XMV" little-endian) once VMCLEAR wrote the region
 * offset 12  launch state: 0 clear, 1 launched (32 bits)
 * offset 16  the field values, 8 bytes little-endian each, field i at 16 + 8 * i, i = denseId
 *            (the fields in ascending encoding order); 64-bit fields hold the full value
 * </pre>
 * {@value #FIELDS_OFFSET} + 8 × {@link VmcsField#count()} bytes are used ({@link #USED_BYTES}).
 * Not thread-safe; one store belongs to one processor.
 */
public final class VmcsStore {

    public static final int REVISION_OFFSET = 0;
    public static final int ABORT_INDICATOR_OFFSET = 4;
    public static final int MARKER_OFFSET = 8;
    public static final int LAUNCH_STATE_OFFSET = 12;
    public static final int FIELDS_OFFSET = 16;
    /** What {@link #writeTo} puts at offset 8: "4XMV" as a little-endian 32-bit word. */
    public static final int MARKER = 0x564D5834;
    /** Bit 31 of the first 32 bits of a VMCS region: the shadow-VMCS indicator. */
    public static final int SHADOW_VMCS_INDICATOR = 1 << 31;
    /** Bytes of the region the layout uses. */
    public static final int USED_BYTES = FIELDS_OFFSET + 8 * VmcsField.count();

    // PERF: masks by dense id, so a write is two array accesses and an AND. Filled in a local
    // array: while a class is initialised, each access to one of its static fields is resolved
    // again by the bytecode interpreter (this runs at the first VMCS access, inside a run).
    private static final long[] MASKS = masks();

    private static long[] masks() {
        long[] masks = new long[VmcsField.count()];
        for (VmcsField f : VmcsField.values()) {
            masks[f.denseId()] = f.mask();
        }
        return masks;
    }

    static {
        if (USED_BYTES > 4096) {
            throw new IllegalStateException("the VMCS fields do not fit a 4 KiB region: " + USED_BYTES + " bytes");
        }
    }

    private final long[] values = new long[VmcsField.count()];
    private boolean launched;
    /**
     * PERF: the values at the last {@link #takeSnapshot()} (null before the first), whether they
     * still apply (a bulk load or reset drops them), and how many fields now differ from them,
     * kept up to date by every write: {@link #equalsSnapshot()} is then one test instead of a
     * comparison of every field (VM entry asks it on every entry).
     */
    private long[] snapshot;
    private boolean snapshotValid;
    private int differing;

    /** The value of {@code f} (zero-extended to 64 bits). */
    public long read(VmcsField f) {
        return values[f.dense];
    }

    /** Sets {@code f} to {@code value} masked to the field's width (upper bits ignored). */
    public void write(VmcsField f, long value) {
        int id = f.dense;
        set(id, value & MASKS[id]);
    }

    /**
     * Stores {@code v} as field {@code id}'s value and keeps {@link #differing} up to date. PERF:
     * a write of the value the field already holds (most of what a VM exit saves when the guest
     * state did not change) is a load and a compare, small enough for every JIT tier to inline
     * (with {@link #write}); a change goes out of line.
     */
    private void set(int id, long v) {
        if (values[id] != v) {
            change(id, v);
        }
    }

    /** Stores {@code v}, which differs from field {@code id}'s value, and keeps {@link #differing} up to date. */
    private void change(int id, long v) {
        long old = values[id];
        values[id] = v;
        long[] s = snapshot;
        if (s != null) {
            long then = s[id];
            if (old == then) {
                differing++;
            } else if (v == then) {
                differing--;
            }
        }
    }

    /**
     * VMREAD's view of a field: the full value, or for the "high" access of a 64-bit field bits
     * 63:32 of it (SDM "VMREAD": the high-access encoding reads the upper 32 bits).
     */
    public long vmread(VmcsField f, boolean high) {
        long v = values[f.dense];
        return high ? v >>> 32 : v;
    }

    /**
     * VMWRITE's effect: the value masked to the field's width, or for the "high" access of a
     * 64-bit field bits 31:0 of {@code value} into bits 63:32 of the field (bits 31:0 kept).
     */
    public void vmwrite(VmcsField f, boolean high, long value) {
        int id = f.dense;
        if (high) {
            set(id, values[id] & 0xFFFF_FFFFL | value << 32);
        } else {
            set(id, value & MASKS[id]);
        }
    }

    /** Remembers every field's current value for {@link #equalsSnapshot()}. */
    public void takeSnapshot() {
        if (snapshot == null) {
            snapshot = new long[values.length];
        }
        System.arraycopy(values, 0, snapshot, 0, values.length);
        differing = 0;
        snapshotValid = true;
    }

    /**
     * True if every field's value equals its value at the last {@link #takeSnapshot()}, and no
     * {@link #reset}, {@link #copyFrom} or {@link #readFrom} happened since; false before the
     * first snapshot.
     */
    public boolean equalsSnapshot() {
        return snapshotValid && differing == 0;
    }

    /** SDM "VMCS Status": true if the launch state is "launched", false for "clear". */
    public boolean launched() {
        return launched;
    }

    public void setLaunched(boolean launched) {
        this.launched = launched;
    }

    /** Every field 0, launch state clear. */
    public void reset() {
        java.util.Arrays.fill(values, 0);
        launched = false;
        snapshotValid = false;
    }

    /** Makes this store a copy of {@code other}. */
    public void copyFrom(VmcsStore other) {
        System.arraycopy(other.values, 0, values, 0, values.length);
        launched = other.launched;
        snapshotValid = false;
    }

    /** The region offset of field {@code f}'s 8-byte slot. */
    public static int fieldOffset(VmcsField f) {
        return FIELDS_OFFSET + 8 * f.denseId();
    }

    /**
     * Writes the launch state and every field to the region at {@code region} (SDM "VMCLEAR":
     * "ensure that data for the VMCS ... is in the VMCS region in memory"), with the layout
     * marker; the revision identifier and abort indicator are left as they are.
     */
    public void writeTo(PhysicalMemory m, long region) {
        m.write32(region + MARKER_OFFSET, MARKER);
        m.write32(region + LAUNCH_STATE_OFFSET, launched ? 1 : 0);
        for (int i = 0; i < values.length; i++) {
            m.write64(region + FIELDS_OFFSET + 8L * i, values[i]);
        }
    }

    /**
     * Loads the launch state and every field from the region at {@code region}, as VMPTRLD makes
     * a VMCS active. A region without the layout marker (never written by VMCLEAR) loads as all
     * fields 0 and launch state clear, and the method returns false. MANUAL: the SDM leaves the
     * data of a VMCS that software did not clear undefined.
     */
    public boolean readFrom(PhysicalMemory m, long region) {
        if (m.read32(region + MARKER_OFFSET) != MARKER) {
            reset();
            return false;
        }
        launched = (m.read32(region + LAUNCH_STATE_OFFSET) & 1) != 0;
        snapshotValid = false;
        for (int i = 0; i < values.length; i++) {
            values[i] = m.read64(region + FIELDS_OFFSET + 8L * i) & MASKS[i];
        }
        return true;
    }

    /** Bits 30:0 of the region's first 32 bits: the VMCS revision identifier. */
    public static int revisionId(PhysicalMemory m, long region) {
        return m.read32(region + REVISION_OFFSET) & 0x7FFF_FFFF;
    }

    /** Bit 31 of the region's first 32 bits: the shadow-VMCS indicator. */
    public static boolean shadowVmcsIndicator(PhysicalMemory m, long region) {
        return (m.read32(region + REVISION_OFFSET) & SHADOW_VMCS_INDICATOR) != 0;
    }

    /** Writes the VMX-abort indicator (SDM "VMX Aborts") at offset 4 of the region. */
    public static void writeAbortIndicator(PhysicalMemory m, long region, int indicator) {
        m.write32(region + ABORT_INDICATOR_OFFSET, indicator);
    }

    /** The VMX-abort indicator at offset 4 of the region. */
    public static int abortIndicator(PhysicalMemory m, long region) {
        return m.read32(region + ABORT_INDICATOR_OFFSET);
    }
}
