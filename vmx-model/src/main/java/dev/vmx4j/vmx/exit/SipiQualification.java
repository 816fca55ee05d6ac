package dev.vmx4j.vmx.exit;

/**
 * The exit qualification of a VM exit due to a SIPI (exit reason 4): bits 7:0 hold the SIPI
 * vector, bits 63:8 are 0. SDM "Basic VM-Exit Information", exit qualification for SIPIs. (INIT
 * signals, exit reason 3, have qualification 0.)
 */
public record SipiQualification(int vector) {

    public static final long DEFINED_BITS = 0xFFL;

    public SipiQualification {
        if ((vector & ~0xFF) != 0) {
            throw new IllegalArgumentException("vector must be in [0, 255], was " + vector);
        }
    }

    public long encode() {
        return vector;
    }

    public static SipiQualification decode(long q) {
        return new SipiQualification((int) (q & 0xFF));
    }
}
