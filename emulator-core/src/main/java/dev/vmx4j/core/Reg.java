package dev.vmx4j.core;

/** The sixteen general-purpose registers with their SDM encodings (ModRM.reg with REX.R). */
public enum Reg {
    RAX(0), RCX(1), RDX(2), RBX(3), RSP(4), RBP(5), RSI(6), RDI(7),
    R8(8), R9(9), R10(10), R11(11), R12(12), R13(13), R14(14), R15(15);

    private final int number;

    Reg(int number) {
        this.number = number;
    }

    /** The register's encoding, 0-15. */
    public int number() {
        return number;
    }
}
