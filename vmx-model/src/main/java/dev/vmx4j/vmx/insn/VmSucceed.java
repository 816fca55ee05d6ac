package dev.vmx4j.vmx.insn;

/** VMsucceed: the instruction completed; CF, PF, AF, ZF, SF and OF are cleared. */
public final class VmSucceed implements VmxResult {

    /** The only instance. */
    public static final VmSucceed INSTANCE = new VmSucceed();

    private VmSucceed() {
    }

    @Override
    public long applyTo(long rflags) {
        return rflags & ~ARITHMETIC_FLAGS;
    }

    @Override
    public boolean succeeded() {
        return true;
    }

    @Override
    public String toString() {
        return "VMsucceed";
    }
}
