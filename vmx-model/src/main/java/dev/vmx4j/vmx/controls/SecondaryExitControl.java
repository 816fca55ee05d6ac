package dev.vmx4j.vmx.controls;

import java.util.List;

/**
 * The secondary VM-exit controls (64-bit VMCS field 0x2044, used when the primary VM-exit control
 * "activate secondary controls" is 1). SDM "Secondary VM-Exit Controls". IA32_VMX_EXIT_CTLS2
 * reports only allowed-1 settings: every bit may be 0.
 */
public enum SecondaryExitControl implements VmxControl {
    SAVE_FRED(0),
    LOAD_FRED(1),
    LOAD_IA32_SPEC_CTRL(2),
    PREMATURELY_BUSY_SHADOW_STACK(3);

    private final int bit;

    SecondaryExitControl(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }

    /** The names of the bits set in {@code value} (unknown bits as {@code "bit N"}), lowest first. */
    public static List<String> names(long value) {
        return ControlNames.names(value, values(), 64);
    }
}
