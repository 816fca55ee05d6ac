package dev.vmx4j.vmx.controls;

import java.util.List;

/**
 * The VM-entry controls (VMCS field 0x4012). SDM "VM-Entry Controls". Bits 0, 1, 3-8 and 12
 * are default1 (bit 2 also without TRUE controls).
 */
public enum EntryControl implements VmxControl {
    LOAD_DEBUG_CONTROLS(2),
    IA32E_MODE_GUEST(9),
    ENTRY_TO_SMM(10),
    DEACTIVATE_DUAL_MONITOR_TREATMENT(11),
    LOAD_IA32_PERF_GLOBAL_CTRL(13),
    LOAD_IA32_PAT(14),
    LOAD_IA32_EFER(15),
    LOAD_IA32_BNDCFGS(16),
    CONCEAL_VMX_FROM_PT(17),
    LOAD_IA32_RTIT_CTL(18),
    LOAD_UINV(19),
    LOAD_CET_STATE(20),
    LOAD_GUEST_IA32_LBR_CTL(21),
    LOAD_PKRS(22),
    LOAD_FRED(23),
    LOAD_IA32_SPEC_CTRL(24);

    private final int bit;

    EntryControl(int bit) {
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
