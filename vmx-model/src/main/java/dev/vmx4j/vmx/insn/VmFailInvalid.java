package dev.vmx4j.vmx.insn;

/** VMfailInvalid: failure without a current VMCS; CF is set, PF, AF, ZF, SF and OF cleared. */
public final class VmFailInvalid implements VmxResult {

    /** The only instance. */
    public static final VmFailInvalid INSTANCE = new VmFailInvalid();

    private VmFailInvalid() {
    }

    @Override
    public long applyTo(long rflags) {
        return rflags & ~ARITHMETIC_FLAGS | CF;
    }

    @Override
    public String toString() {
        return "VMfailInvalid";
    }
}
