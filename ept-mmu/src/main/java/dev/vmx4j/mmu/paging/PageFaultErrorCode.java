package dev.vmx4j.mmu.paging;

/**
 * The bits of the #PF error code, SDM "Page-Fault Exceptions" (figure "Page-Fault Error Code").
 */
public final class PageFaultErrorCode {

    /** 0: the fault was caused by a non-present page; 1: by a page-level protection violation. */
    public static final int P = 1;
    /** 1: the access causing the fault was a write. */
    public static final int WR = 1 << 1;
    /** 1: a user-mode access caused the fault. */
    public static final int US = 1 << 2;
    /** 1: a reserved bit was set in some paging-structure entry. */
    public static final int RSVD = 1 << 3;
    /** 1: an instruction fetch caused the fault (only when SMEP or PAE+NXE; see the SDM). */
    public static final int ID = 1 << 4;
    /** 1: the fault was a protection-key violation. */
    public static final int PK = 1 << 5;
    /** 1: a shadow-stack access caused the fault. */
    public static final int SS = 1 << 6;

    private PageFaultErrorCode() {
    }
}
