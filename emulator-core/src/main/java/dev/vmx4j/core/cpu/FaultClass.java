package dev.vmx4j.core.cpu;

/** The exception vectors the SDM classes as faults ("Exception and Interrupt Reference"). */
final class FaultClass {

    /** #DE #BR #UD #NM #TS #NP #SS #GP #PF #MF #AC #XM #VE #CP. */
    private static final int FAULTS = 1 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 10 | 1 << 11 | 1 << 12 | 1 << 13
            | 1 << 14 | 1 << 16 | 1 << 17 | 1 << 19 | 1 << 20 | 1 << 21;

    private FaultClass() {
    }

    /** True for a fault-class vector other than #DB: its pushed RFLAGS image has RF = 1. */
    static boolean pushesResumeFlag(int vector) {
        return vector >= 0 && vector < 32 && (FAULTS & (1 << vector)) != 0;
    }
}
