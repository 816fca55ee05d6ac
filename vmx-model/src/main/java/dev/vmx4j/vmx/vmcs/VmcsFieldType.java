package dev.vmx4j.vmx.vmcs;

/**
 * The type of a VMCS field, encoded in bits 11:10 of its encoding.
 *
 * <p>SDM "VMREAD, VMWRITE, and Encodings of VMCS Fields": "Type. Bits 11:10 encode the type of
 * VMCS field: 0: control, 1: VM-exit information, 2: guest state, 3: host state".
 */
public enum VmcsFieldType {
    CONTROL(0),
    /** Read-only data fields (VMWRITE needs IA32_VMX_MISC[29]). */
    VM_EXIT_INFORMATION(1),
    GUEST_STATE(2),
    HOST_STATE(3);

    private final int code;

    VmcsFieldType(int code) {
        this.code = code;
    }

    /** The value of encoding bits 11:10. */
    public int code() {
        return code;
    }

    /** The type whose code is {@code code} (0..3). */
    public static VmcsFieldType byCode(int code) {
        switch (code) {
            case 0: return CONTROL;
            case 1: return VM_EXIT_INFORMATION;
            case 2: return GUEST_STATE;
            case 3: return HOST_STATE;
            default: throw new IllegalArgumentException("type code must be in [0, 3], was " + code);
        }
    }
}
