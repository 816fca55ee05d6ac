package dev.vmx4j.vmx.exit;

/**
 * The exit qualification of a VM exit due to an APIC access (exit reason 44). SDM "Exit
 * Qualification for APIC-Access VM Exits from Linear Accesses and Guest-Physical Accesses":
 * <pre>
 *  11:0  offset of the access within the APIC page (linear accesses; undefined otherwise)
 *  15:12 access type: 0 linear data read, 1 linear data write, 2 linear instruction fetch,
 *        3 linear access during event delivery, 10 guest-physical access during event delivery,
 *        15 guest-physical access for an instruction fetch or during instruction execution
 *  16    NMI unblocking due to IRET
 *  63:17 reserved (0)
 * </pre>
 * The access type is kept as its 4-bit code so that any value decodes; {@link #accessType()}
 * names it.
 */
public record ApicAccessQualification(int offset, int accessTypeCode, boolean nmiUnblockingDueToIret) {

    /** The defined access types, bits 15:12. */
    public enum AccessType {
        LINEAR_DATA_READ(0),
        LINEAR_DATA_WRITE(1),
        LINEAR_INSTRUCTION_FETCH(2),
        LINEAR_ACCESS_DURING_EVENT_DELIVERY(3),
        GUEST_PHYSICAL_ACCESS_DURING_EVENT_DELIVERY(10),
        GUEST_PHYSICAL_ACCESS_FOR_INSTRUCTION_FETCH_OR_EXECUTION(15);

        private final int code;

        AccessType(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The type with {@code code}, or null if the SDM defines none. */
        public static AccessType byCode(int code) {
            for (AccessType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    public static final long OFFSET_MASK = 0xFFFL;
    public static final int ACCESS_TYPE_SHIFT = 12;
    public static final long NMI_UNBLOCKING_DUE_TO_IRET = 1L << 16;
    public static final long DEFINED_BITS = 0x1FFFFL;

    public ApicAccessQualification {
        if ((offset & ~0xFFF) != 0) {
            throw new IllegalArgumentException("offset must be in [0, 0xFFF], was " + offset);
        }
        if ((accessTypeCode & ~0xF) != 0) {
            throw new IllegalArgumentException("accessTypeCode must be in [0, 15], was " + accessTypeCode);
        }
    }

    public static ApicAccessQualification of(int offset, AccessType type, boolean nmiUnblockingDueToIret) {
        return new ApicAccessQualification(offset, type.code(), nmiUnblockingDueToIret);
    }

    /** The access type, or null for a code the SDM does not define. */
    public AccessType accessType() {
        return AccessType.byCode(accessTypeCode);
    }

    public long encode() {
        return offset | (long) accessTypeCode << ACCESS_TYPE_SHIFT
                | (nmiUnblockingDueToIret ? NMI_UNBLOCKING_DUE_TO_IRET : 0);
    }

    public static ApicAccessQualification decode(long q) {
        return new ApicAccessQualification((int) (q & OFFSET_MASK), (int) (q >>> ACCESS_TYPE_SHIFT & 0xF),
                (q & NMI_UNBLOCKING_DUE_TO_IRET) != 0);
    }
}
