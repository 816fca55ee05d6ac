package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * One active VMCS: its physical address, its launch state and its field values, held by the
 * processor while the VMCS is active (SDM "VMCS Status": "active", "current", "launch state")
 * and written to its 4 KiB region by VMCLEAR.
 *
 * <p>The region layout (docs/VMX.md "The VMCS region"); the SDM makes everything after the
 * first 8 bytes implementation-specific:
 * <pre>
 * offset 0   bits 30:0 VMCS revision identifier, bit 31 shadow-VMCS indicator (software's)
 * offset 4   VMX-abort indicator (written by the processor on a VMX abort)
 * offset 8   layout marker 0x564D5834 ("4XMV" little-endian) once VMCLEAR has written the region
 * offset 12  launch state: 0 clear, 1 launched
 * offset 16  the field values, 8 bytes each, by {@link VmcsField#denseId()}
 * </pre>
 * A region VMPTRLD finds without the marker (never cleared) loads as all-zero fields, launch
 * state clear. MANUAL: the SDM leaves the data of a VMCS that was not cleared undefined.
 */
final class Vmcs {

    static final int ABORT_INDICATOR_OFFSET = 4;
    static final int MARKER_OFFSET = 8;
    static final int LAUNCH_STATE_OFFSET = 12;
    static final int FIELDS_OFFSET = 16;
    static final int MARKER = 0x564D5834;

    
    static {
        if (FIELDS_OFFSET + 8 * VmcsField.count() > 4096) {
            throw new AssertionError("the VMCS fields do not fit a 4 KiB region: " + VmcsField.count());
        }
    }

    /** The physical address of the region (4 KiB aligned). */
    final long address;
    /** SDM "VMCS Status": "clear" (false) or "launched" (true). */
    boolean launched;
    /** Field values by {@link VmcsField#denseId()}, masked to the field's width. */
    final long[] values = new long[VmcsField.count()];

    Vmcs(long address) {
        this.address = address;
    }

    long get(VmcsField f) {
        return values[f.denseId()];
    }

    void set(VmcsField f, long value) {
        values[f.denseId()] = value & f.mask();
    }

    /** SDM "VMCLEAR": "ensure that data for VMCS referenced by the operand is in memory". */
    void writeTo(GuestMemory m) {
        m.write32(address + MARKER_OFFSET, MARKER);
        m.write32(address + LAUNCH_STATE_OFFSET, launched ? 1 : 0);
        for (int i = 0; i < values.length; i++) {
            m.write64(address + FIELDS_OFFSET + 8L * i, values[i]);
        }
    }

    /** The VMCS of the region at {@code address}, as VMPTRLD makes it active. */
    static Vmcs readFrom(GuestMemory m, long address) {
        Vmcs v = new Vmcs(address);
        if (m.read32(address + MARKER_OFFSET) == MARKER) {
            v.launched = (m.read32(address + LAUNCH_STATE_OFFSET) & 1) != 0;
            for (int i = 0; i < VmcsField.count(); i++) {
                v.values[i] = m.read64(address + FIELDS_OFFSET + 8L * i) & VmcsField.byDenseId(i).mask();
            }
        }
        return v;
    }
}
