package dev.vmx4j.vmx.vmcs;

/**
 * The width of a VMCS field, encoded in bits 14:13 of its encoding.
 *
 * <p>SDM "VMREAD, VMWRITE, and Encodings of VMCS Fields": "Width. Bits 14:13 encode the width
 * of the field: 0: 16-bit, 1: 64-bit, 2: 32-bit, 3: natural-width".
 */
public enum VmcsFieldWidth {
    BITS_16(0, 0xFFFFL),
    BITS_64(1, -1L),
    BITS_32(2, 0xFFFF_FFFFL),
    /** Natural width: 64 bits on processors that support Intel 64 architecture. */
    NATURAL(3, -1L);

    private final int code;
    private final long mask;

    VmcsFieldWidth(int code, long mask) {
        this.code = code;
        this.mask = mask;
    }

    /** The value of encoding bits 14:13. */
    public int code() {
        return code;
    }

    /** The bits a field of this width holds (natural width: 64 bits on Intel 64 processors). */
    public long mask() {
        return mask;
    }

    /** The width whose code is {@code code} (0..3). */
    public static VmcsFieldWidth byCode(int code) {
        switch (code) {
            case 0: return BITS_16;
            case 1: return BITS_64;
            case 2: return BITS_32;
            case 3: return NATURAL;
            default: throw new IllegalArgumentException("width code must be in [0, 3], was " + code);
        }
    }
}
