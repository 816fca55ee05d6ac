package dev.vmx4j.vmx.insn;

/**
 * The outcome of a VMX instruction that completes without a fault or a VM exit: VMsucceed,
 * VMfailInvalid or VMfailValid with its error number. {@link #applyTo(long)} is the one place
 * that turns an outcome into RFLAGS.
 *
 * <p>SDM "Conventions" (VMX instruction reference): VMsucceed clears CF, PF, AF, ZF, SF and OF;
 * VMfailInvalid sets CF and clears PF, AF, ZF, SF and OF; VMfailValid(ErrorNumber) sets ZF,
 * clears CF, PF, AF, SF and OF, and stores ErrorNumber in the VM-instruction error field (the
 * caller writes the field; VMfailValid is only used when a current VMCS exists).
 */
public sealed interface VmxResult permits VmSucceed, VmFailInvalid, VmFailValid {

    /** CF, PF, AF, ZF, SF, OF: the flags every outcome writes. */
    long ARITHMETIC_FLAGS = 1L | 1L << 2 | 1L << 4 | 1L << 6 | 1L << 7 | 1L << 11;
    /** RFLAGS.CF. */
    long CF = 1L;
    /** RFLAGS.ZF. */
    long ZF = 1L << 6;

    // No non-constant fields here: the implementations' singletons would see this interface
    // half-initialized (JLS "Initialization of Classes and Interfaces").

    /** The VMsucceed singleton. */
    static VmSucceed succeed() {
        return VmSucceed.INSTANCE;
    }

    /** The VMfailInvalid singleton. */
    static VmFailInvalid failInvalid() {
        return VmFailInvalid.INSTANCE;
    }

    /** VMfailValid with {@code error} (one shared instance per error number). */
    static VmFailValid failValid(VmInstructionError error) {
        return VmFailValid.of(error);
    }

    /** {@code rflags} with CF, PF, AF, ZF, SF and OF as this outcome defines them. */
    long applyTo(long rflags);

    /** True for VMsucceed. */
    default boolean succeeded() {
        return false;
    }
}
