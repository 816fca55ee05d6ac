package dev.vmx4j.vmx.controls;

import java.util.List;

/**
 * The primary processor-based VM-execution controls (VMCS field 0x4002). SDM
 * "Primary Processor-Based VM-Execution Controls". Bits 1, 4-6, 8, 13, 14 and 26 are default1.
 */
public enum PrimaryProcBasedControl implements VmxControl {
    INTERRUPT_WINDOW_EXITING(2),
    USE_TSC_OFFSETTING(3),
    HLT_EXITING(7),
    INVLPG_EXITING(9),
    MWAIT_EXITING(10),
    RDPMC_EXITING(11),
    RDTSC_EXITING(12),
    CR3_LOAD_EXITING(15),
    CR3_STORE_EXITING(16),
    ACTIVATE_TERTIARY_CONTROLS(17),
    CR8_LOAD_EXITING(19),
    CR8_STORE_EXITING(20),
    USE_TPR_SHADOW(21),
    NMI_WINDOW_EXITING(22),
    MOV_DR_EXITING(23),
    UNCONDITIONAL_IO_EXITING(24),
    USE_IO_BITMAPS(25),
    MONITOR_TRAP_FLAG(27),
    USE_MSR_BITMAPS(28),
    MONITOR_EXITING(29),
    PAUSE_EXITING(30),
    ACTIVATE_SECONDARY_CONTROLS(31);

    private final int bit;

    PrimaryProcBasedControl(int bit) {
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
