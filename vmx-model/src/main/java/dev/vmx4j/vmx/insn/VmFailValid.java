package dev.vmx4j.vmx.insn;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * VMfailValid(ErrorNumber): failure with a current VMCS; ZF is set, CF, PF, AF, SF and OF
 * cleared, and the error number goes to the VM-instruction error field.
 */
public record VmFailValid(VmInstructionError error) implements VmxResult {

    private static final Map<VmInstructionError, VmFailValid> SHARED = new EnumMap<>(VmInstructionError.class);

    static {
        for (VmInstructionError e : VmInstructionError.values()) {
            SHARED.put(e, new VmFailValid(e));
        }
    }

    public VmFailValid {
        Objects.requireNonNull(error, "error");
    }

    /** The shared instance for {@code error}. */
    public static VmFailValid of(VmInstructionError error) {
        return SHARED.get(Objects.requireNonNull(error, "error"));
    }

    @Override
    public long applyTo(long rflags) {
        return rflags & ~ARITHMETIC_FLAGS | ZF;
    }

    @Override
    public String toString() {
        return "VMfailValid(" + error.number() + " " + error + ")";
    }
}
