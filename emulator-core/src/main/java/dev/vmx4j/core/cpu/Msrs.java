package dev.vmx4j.core.cpu;

import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * Storage for the model-specific registers that have no dedicated CPU field and no model of
 * their own (the MTRRs, the local APIC's and the PMU's live in {@code Mtrrs}, {@code LocalApic}
 * and {@link Pmu}): the profile's MSRs
 * (read-only to the guest: the VMX capability reports) and the writable architectural ones this
 * machine implements. A small open-addressing table: no boxing on RDMSR/WRMSR.
 */
final class Msrs {

    static final int IA32_TSC = 0x10;
    static final int IA32_APIC_BASE = 0x1B;
    static final int IA32_FEATURE_CONTROL = 0x3A;
    static final int IA32_TSC_ADJUST = 0x3B;
    static final int IA32_SYSENTER_CS = 0x174;
    static final int IA32_SYSENTER_ESP = 0x175;
    static final int IA32_SYSENTER_EIP = 0x176;
    static final int IA32_MISC_ENABLE = 0x1A0;
    static final int IA32_DEBUGCTL = 0x1D9;
    static final int IA32_PAT = 0x277;
    static final int IA32_EFER = 0xC0000080;
    static final int IA32_STAR = 0xC0000081;
    static final int IA32_LSTAR = 0xC0000082;
    static final int IA32_CSTAR = 0xC0000083;
    static final int IA32_FMASK = 0xC0000084;
    static final int IA32_FS_BASE = 0xC0000100;
    static final int IA32_GS_BASE = 0xC0000101;
    static final int IA32_KERNEL_GS_BASE = 0xC0000102;
    static final int IA32_TSC_AUX = 0xC0000103;

    private static final int CAPACITY = 256;
    private final int[] keys = new int[CAPACITY];
    private final long[] values = new long[CAPACITY];
    private final boolean[] used = new boolean[CAPACITY];
    private final boolean[] readOnly = new boolean[CAPACITY];
    private final boolean[] writeOnly = new boolean[CAPACITY];

    private final CpuProfile profile;

    /**
     * PERF: the slots of the MSRs every VM entry and VM exit loads or saves ({@link TransitionMsrs}),
     * resolved once: they are always defined and a slot never moves.
     */
    final int debugctlSlot;
    final int sysenterCsSlot;
    final int sysenterEspSlot;
    final int sysenterEipSlot;
    final int patSlot;

    Msrs(CpuProfile profile) {
        this.profile = profile;
        reset();
        debugctlSlot = slot(IA32_DEBUGCTL);
        sysenterCsSlot = slot(IA32_SYSENTER_CS);
        sysenterEspSlot = slot(IA32_SYSENTER_ESP);
        sysenterEipSlot = slot(IA32_SYSENTER_EIP);
        patSlot = slot(IA32_PAT);
    }

    /** Power-on values: the profile's MSRs and the architectural reset values below. */
    void reset() {
        for (int index : profile.msrIndexes()) {
            define(index, profile.msr(index), true);
        }
        // SDM "Processor State After Reset" / "Model-Specific Registers (MSRs)" reset values.
        define(IA32_APIC_BASE, 0xFEE00900L, false); // BSP flag (bit 8), APIC global enable (bit 11)
        define(IA32_FEATURE_CONTROL, 0, false);
        define(IA32_TSC_ADJUST, 0, false);
        define(IA32_SYSENTER_CS, 0, false);
        define(IA32_SYSENTER_ESP, 0, false);
        define(IA32_SYSENTER_EIP, 0, false);
        define(IA32_MISC_ENABLE, 1, false); // fast-strings enable
        define(IA32_DEBUGCTL, 0, false);
        define(IA32_PAT, 0x0007040600070406L, false);
        define(IA32_STAR, 0, false);
        define(IA32_LSTAR, 0, false);
        define(IA32_CSTAR, 0, false);
        define(IA32_FMASK, 0, false);
        define(IA32_KERNEL_GS_BASE, 0, false);
        define(IA32_TSC_AUX, 0, false);
        if (profile.hasFeature(0xD, 1, 0, 3)) {
            define(SupervisorXsave.IA32_XSS, 0, false); // SDM "IA32_XSS": reset value 0
        }
        if (Hwp.advertised(profile)) {
            // SDM "Enabling HWP" and "Managing HWP": HWP is disabled at power-on; the request's
            // fields start at their defaults; no status bit is set.
            define(Hwp.IA32_PM_ENABLE, 0, false);
            define(Hwp.IA32_HWP_CAPABILITIES, Hwp.CAPABILITIES, true);
            define(Hwp.IA32_HWP_REQUEST, Hwp.resetRequest(profile), false);
            define(Hwp.IA32_HWP_STATUS, 0, false);
        }
        if (profile.hasFeature(7, 0, 2, 5)) {
            // SDM "IA32_UMWAIT_CONTROL": MANUAL: the SDM gives no reset value; 0 (no OS time
            // limit, C0.2 allowed).
            define(UserWait.IA32_UMWAIT_CONTROL, 0, false);
        }
        UnmodelledMsrs.forEachAdvertised(profile, (index, kind, value) -> {
            define(index, value, kind == UnmodelledMsrs.RO);
            writeOnly[slot(index)] = kind == UnmodelledMsrs.WO;
        });
    }

    private int slot(int index) {
        int h = (index * 0x9E3779B1) >>> 24;
        for (int n = 0; n < CAPACITY; n++) {
            int i = (h + n) & (CAPACITY - 1);
            if (!used[i] || keys[i] == index) {
                return i;
            }
        }
        throw new IllegalStateException("MSR table full");
    }

    private void define(int index, long value, boolean ro) {
        int i = slot(index);
        used[i] = true;
        keys[i] = index;
        values[i] = value;
        readOnly[i] = ro;
        writeOnly[i] = false;
    }

    boolean has(int index) {
        return used[slot(index)];
    }

    /** A command MSR: RDMSR is #GP(0), WRMSR is accepted. */
    boolean isWriteOnly(int index) {
        int i = slot(index);
        return used[i] && writeOnly[i];
    }

    boolean isReadOnly(int index) {
        int i = slot(index);
        return used[i] && readOnly[i];
    }

    long get(int index) {
        return values[slot(index)];
    }

    /** The value in slot {@code slot} (one of the resolved slots above). */
    long at(int slot) {
        return values[slot];
    }

    /** Stores {@code value} in slot {@code slot} (one of the resolved slots above). */
    void setAt(int slot, long value) {
        values[slot] = value;
    }

    /** Stores a value for an MSR that {@link #has(int)}; the caller checked. */
    void put(int index, long value) {
        int i = slot(index);
        if (!used[i]) {
            throw new IllegalStateException("MSR 0x" + Integer.toHexString(index) + " is not defined");
        }
        values[i] = value;
    }
}
