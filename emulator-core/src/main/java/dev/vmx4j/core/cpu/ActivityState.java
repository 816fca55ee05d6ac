package dev.vmx4j.core.cpu;

/**
 * The logical processor's activity state, with the SDM's encodings (SDM "Guest Non-Register
 * State", field "Activity state"): what the CPU does between instructions.
 */
public enum ActivityState {
    /** Executing instructions. */
    ACTIVE(0),
    /** After HLT: left by an unblocked interrupt, NMI, INIT, a debug exception or a VMX event. */
    HLT(1),
    /** After a triple fault (outside VMX non-root operation): only INIT or reset leaves it. */
    SHUTDOWN(2),
    /** An application processor after INIT: only a SIPI starts it. */
    WAIT_FOR_SIPI(3);

    /** The SDM encoding (the VMCS guest activity-state value). */
    public final int encoding;

    ActivityState(int encoding) {
        this.encoding = encoding;
    }

    /** The state with SDM encoding {@code encoding} (0-3). */
    public static ActivityState of(int encoding) {
        switch (encoding) {
            case 0: return ACTIVE;
            case 1: return HLT;
            case 2: return SHUTDOWN;
            case 3: return WAIT_FOR_SIPI;
            default: throw new IllegalArgumentException("activity state " + encoding + " is outside 0..3");
        }
    }
}
