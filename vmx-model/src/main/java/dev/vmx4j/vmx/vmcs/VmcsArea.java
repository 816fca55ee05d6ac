package dev.vmx4j.vmx.vmcs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The six groups of VMCS data (SDM "Organization of VMCS Data"), in the SDM's order, for printing
 * a VMCS grouped as the manual describes it. {@link VmcsField#area()} assigns each field.
 */
public enum VmcsArea {
    GUEST_STATE("Guest-state area"),
    HOST_STATE("Host-state area"),
    VM_EXECUTION_CONTROL("VM-execution control fields"),
    VM_EXIT_CONTROL("VM-exit control fields"),
    VM_ENTRY_CONTROL("VM-entry control fields"),
    VM_EXIT_INFORMATION("VM-exit information fields");

    private final String sdmName;

    VmcsArea(String sdmName) {
        this.sdmName = sdmName;
    }

    /** The group's name in the SDM. */
    public String sdmName() {
        return sdmName;
    }

    /** The fields of this group in ascending encoding order (unmodifiable). */
    public List<VmcsField> fields() {
        List<VmcsField> out = new ArrayList<>();
        for (VmcsField f : VmcsField.values()) {
            if (f.area() == this) {
                out.add(f);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
