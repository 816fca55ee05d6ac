package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.vmx.vmcs.VmcsField;
import dev.vmx4j.vmx.vmcs.VmcsStore;

/**
 * One active VMCS: its physical address and its data, a vmx-model {@link VmcsStore} (field
 * values and launch state) held by the processor while the VMCS is active (SDM "VMCS Status":
 * "active", "current", "launch state") and written to its 4 KiB region by VMCLEAR in the layout
 * docs/VMX.md "The VMCS region" documents. A region VMPTRLD finds without the layout marker
 * (never cleared) loads as all-zero fields, launch state clear (MANUAL: the SDM leaves that
 * data undefined).
 */
final class Vmcs {

    /** The physical address of the region (4 KiB aligned). */
    final long address;
    final VmcsStore store = new VmcsStore();

    Vmcs(long address) {
        this.address = address;
    }

    long get(VmcsField f) {
        return store.read(f);
    }

    void set(VmcsField f, long value) {
        store.write(f, value);
    }

    /** SDM "VMCS Status": "launched" (true) or "clear". */
    boolean launched() {
        return store.launched();
    }

    void setLaunched(boolean launched) {
        store.setLaunched(launched);
    }

    /** SDM "VMCLEAR": "ensure that data for VMCS referenced by the operand is in memory". */
    void writeTo(GuestMemory m) {
        store.writeTo(m, address);
    }

    /** The VMCS of the region at {@code address}, as VMPTRLD makes it active. */
    static Vmcs readFrom(GuestMemory m, long address) {
        Vmcs v = new Vmcs(address);
        v.store.readFrom(m, address);
        return v;
    }

    /** SDM "VMX Aborts": the VMX-abort indicator at offset 4 of the region. */
    void writeAbortIndicator(GuestMemory m, int indicator) {
        VmcsStore.writeAbortIndicator(m, address, indicator);
    }
}
