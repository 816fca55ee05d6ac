package dev.vmx4j.core.decoder;

/** Segment-register indexes in the SDM's Sreg encoding (ModRM.reg of MOV Sreg). */
public final class SegmentRegister {
    private SegmentRegister() {
    }

    public static final int ES = 0;
    public static final int CS = 1;
    public static final int SS = 2;
    public static final int DS = 3;
    public static final int FS = 4;
    public static final int GS = 5;
    /** No segment override prefix present. */
    public static final int NONE = -1;
}
