package dev.vmx4j.core.cpu;

/**
 * The MSRs every VM entry and VM exit loads or saves whatever the controls say: IA32_DEBUGCTL,
 * IA32_SYSENTER_CS, IA32_SYSENTER_ESP, IA32_SYSENTER_EIP, and IA32_PAT under its controls (SDM
 * "Loading Guest Control Registers, Debug Registers, and MSRs", "Loading Host Control Registers,
 * Debug Registers, MSRs", "Saving Control Registers, Debug Registers, and MSRs"). They are plain
 * storage in {@link Msrs} (no MTRR, PMU or local-APIC model owns them and a raw write has no
 * side effect), so these are the raw accesses of {@link Cpu#msr} and {@link Cpu#setMsr} without
 * the dispatch. Static methods over a {@link Cpu}, for the VMX package only (module-internal).
 *
 * <p>PERF: {@code MsrAccess.write} and {@code read} test the MTRRs, the PMU and the local APIC
 * before their switch; the JIT inlined that whole dispatch at each of the transition's MSR
 * accesses, which made the entry and exit paths slow to compile (issue 12, bench-vmexit).
 */
public final class TransitionMsrs {

    private TransitionMsrs() {
    }

    public static long debugctl(Cpu c) {
        return c.msrs.at(c.msrs.debugctlSlot);
    }

    public static void setDebugctl(Cpu c, long value) {
        c.msrs.setAt(c.msrs.debugctlSlot, value);
    }

    public static long sysenterCs(Cpu c) {
        return c.msrs.at(c.msrs.sysenterCsSlot);
    }

    public static long sysenterEsp(Cpu c) {
        return c.msrs.at(c.msrs.sysenterEspSlot);
    }

    public static long sysenterEip(Cpu c) {
        return c.msrs.at(c.msrs.sysenterEipSlot);
    }

    /** Loads IA32_SYSENTER_CS, IA32_SYSENTER_ESP and IA32_SYSENTER_EIP. */
    public static void setSysenter(Cpu c, long cs, long esp, long eip) {
        Msrs m = c.msrs;
        m.setAt(m.sysenterCsSlot, cs);
        m.setAt(m.sysenterEspSlot, esp);
        m.setAt(m.sysenterEipSlot, eip);
    }

    public static long pat(Cpu c) {
        return c.msrs.at(c.msrs.patSlot);
    }

    public static void setPat(Cpu c, long value) {
        c.msrs.setAt(c.msrs.patSlot, value);
    }
}
