package dev.vmx4j.core.boot;

import dev.vmx4j.core.Machine;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state PC firmware leaves behind before a boot loader runs, as MSR values: typically
 * IA32_FEATURE_CONTROL locked with "VMX outside SMX" enabled (0x5), IA32_PAT, and the MTRRs
 * (IA32_MTRR_DEF_TYPE, fixed and variable ranges).
 *
 * <p>Power-on state follows the SDM's reset values; this is what a BIOS adds. The defaults come
 * from the CPU profile's {@code firmware-msr} lines (for {@code corei7_icelake_u}: exactly what
 * Bochs 2.7's BIOS leaves, recorded by {@code src/guests/cpuid-dump}). Immutable; {@link #with}
 * returns a changed copy.
 */
public final class FirmwareState {

    private final Map<Integer, Long> msrs;

    private FirmwareState(Map<Integer, Long> msrs) {
        this.msrs = Collections.unmodifiableMap(msrs);
    }

    /** The firmware state the profile records. */
    public static FirmwareState fromProfile(CpuProfile profile) {
        if (profile == null) {
            throw new IllegalArgumentException("profile must not be null");
        }
        return new FirmwareState(new LinkedHashMap<>(profile.firmwareMsrs()));
    }

    /** No firmware: the machine keeps its power-on MSR values. */
    public static FirmwareState none() {
        return new FirmwareState(new LinkedHashMap<>());
    }

    /** A copy with MSR {@code index} set to {@code value} (added or replaced). */
    public FirmwareState with(int index, long value) {
        Map<Integer, Long> m = new LinkedHashMap<>(msrs);
        m.put(index, value);
        return new FirmwareState(m);
    }

    /** A copy without MSR {@code index}. */
    public FirmwareState without(int index) {
        Map<Integer, Long> m = new LinkedHashMap<>(msrs);
        m.remove(index);
        return new FirmwareState(m);
    }

    public Map<Integer, Long> msrs() {
        return msrs;
    }

    /** Writes every MSR into the machine (API writes: lock bits do not stop them). */
    public void applyTo(Machine machine) {
        for (Map.Entry<Integer, Long> e : msrs.entrySet()) {
            machine.setMsr(e.getKey(), e.getValue());
        }
    }
}
