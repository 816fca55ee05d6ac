package dev.vmx4j.core.cpu;

/**
 * An architectural exception raised while executing an instruction: a vector and, for the
 * vectors that have one, an error code. Thrown from deep inside execution and caught once in the
 * run loop, which delivers it (see {@link ArchitecturalEvent}). Built without a stack trace: it
 * is an event, not a bug.
 */
public final class CpuException extends ArchitecturalEvent {

    private static final long serialVersionUID = 1L;

    public static final int DE = 0;
    public static final int DB = 1;
    public static final int NMI = 2;
    public static final int BP = 3;
    public static final int OF = 4;
    public static final int BR = 5;
    public static final int UD = 6;
    public static final int NM = 7;
    public static final int DF = 8;
    public static final int TS = 10;
    public static final int NP = 11;
    public static final int SS = 12;
    public static final int GP = 13;
    public static final int PF = 14;
    public static final int MF = 16;
    public static final int AC = 17;
    public static final int MC = 18;
    public static final int XM = 19;
    /** Virtualization exception (SDM "Interrupt 20—Virtualization Exception (#VE)"). */
    public static final int VE = 20;

    public final int vector;
    public final int errorCode;
    public final boolean hasErrorCode;

    public CpuException(int vector, int errorCode, boolean hasErrorCode) {
        this.vector = vector;
        this.errorCode = errorCode;
        this.hasErrorCode = hasErrorCode;
    }

    public static CpuException ud() {
        return new CpuException(UD, 0, false);
    }

    public static CpuException de() {
        return new CpuException(DE, 0, false);
    }

    public static CpuException gp(int errorCode) {
        return new CpuException(GP, errorCode, true);
    }

    public static CpuException ss(int errorCode) {
        return new CpuException(SS, errorCode, true);
    }

    public static CpuException ts(int errorCode) {
        return new CpuException(TS, errorCode, true);
    }

    public static CpuException np(int errorCode) {
        return new CpuException(NP, errorCode, true);
    }

    public static CpuException pf(int errorCode) {
        return new CpuException(PF, errorCode, true);
    }

    /** SDM "Exception and Interrupt Reference": the vectors that push an error code. */
    public static boolean pushesErrorCode(int vector) {
        switch (vector) {
            case DF: case TS: case NP: case SS: case GP: case PF: case AC:
            case 21: // #CP
                return true;
            default:
                return false;
        }
    }

    @Override
    public String getMessage() {
        return "vector " + vector + (hasErrorCode ? " error code 0x" + Integer.toHexString(errorCode) : "");
    }
}
