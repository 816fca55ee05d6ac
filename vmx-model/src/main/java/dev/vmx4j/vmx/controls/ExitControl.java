package dev.vmx4j.vmx.controls;

import java.util.List;

/**
 * The primary VM-exit controls (VMCS field 0x400C). SDM "Primary VM-Exit Controls".
 * Bits 0, 1, 3-8, 10, 11, 13, 14, 16 and 17 are default1 (bit 2 also without TRUE controls).
 */
public enum ExitControl implements VmxControl {
    SAVE_DEBUG_CONTROLS(2),
    HOST_ADDRESS_SPACE_SIZE(9),
    LOAD_IA32_PERF_GLOBAL_CTRL(12),
    ACKNOWLEDGE_INTERRUPT_ON_EXIT(15),
    SAVE_IA32_PAT(18),
    LOAD_IA32_PAT(19),
    SAVE_IA32_EFER(20),
    LOAD_IA32_EFER(21),
    SAVE_VMX_PREEMPTION_TIMER_VALUE(22),
    CLEAR_IA32_BNDCFGS(23),
    CONCEAL_VMX_FROM_PT(24),
    CLEAR_IA32_RTIT_CTL(25),
    CLEAR_IA32_LBR_CTL(26),
    CLEAR_UINV(27),
    LOAD_CET_STATE(28),
    LOAD_PKRS(29),
    SAVE_IA32_PERF_GLOBAL_CTL(30),
    ACTIVATE_SECONDARY_CONTROLS(31);

    private final int bit;

    ExitControl(int bit) {
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
