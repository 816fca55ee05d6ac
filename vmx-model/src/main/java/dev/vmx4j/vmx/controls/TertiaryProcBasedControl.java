package dev.vmx4j.vmx.controls;

import java.util.List;

/**
 * The tertiary processor-based VM-execution controls (64-bit VMCS field 0x2034). SDM
 * "Tertiary Processor-Based VM-Execution Controls". IA32_VMX_PROCBASED_CTLS3 reports only
 * allowed-1 settings: every bit may be 0.
 */
public enum TertiaryProcBasedControl implements VmxControl {
    LOADIWKEY_EXITING(0),
    ENABLE_HLAT(1),
    EPT_PAGING_WRITE_CONTROL(2),
    GUEST_PAGING_VERIFICATION(3),
    IPI_VIRTUALIZATION(4),
    ENABLE_MSR_LIST_INSTRUCTIONS(6),
    VIRTUALIZE_IA32_SPEC_CTRL(7),
    APIC_TIMER_VIRTUALIZATION(8);

    private final int bit;

    TertiaryProcBasedControl(int bit) {
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
