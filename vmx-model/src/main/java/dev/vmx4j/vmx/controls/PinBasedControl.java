package dev.vmx4j.vmx.controls;

import java.util.List;

/**
 * The pin-based VM-execution controls (VMCS field 0x4000). SDM "Pin-Based VM-Execution
 * Controls". Bits 1, 2 and 4 are default1 (reserved, must be 1).
 */
public enum PinBasedControl implements VmxControl {
    EXTERNAL_INTERRUPT_EXITING(0),
    NMI_EXITING(3),
    VIRTUAL_NMIS(5),
    ACTIVATE_VMX_PREEMPTION_TIMER(6),
    PROCESS_POSTED_INTERRUPTS(7);

    private final int bit;

    PinBasedControl(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }

    /** The names of the bits set in {@code value} (unknown bits as {@code "bit N"}), lowest first. */
    public static List<String> names(long value) {
        return ControlNames.names(value, values(), 32);
    }
}
