package dev.vmx4j.mmu.memtype;

/** Which part of SDM "MTRR Precedences" chose an MTRR memory type. */
public enum MtrrRule {
    /** "If the MTRRs are not enabled (by setting the E flag ...), then the UC memory type is applied to all of physical memory." */
    MTRRS_DISABLED,
    /** "If the FE flag ... is set, the fixed-range MTRRs ... for the first 1 MByte." */
    FIXED_RANGE,
    /** "If one variable memory range matches, the processor uses the memory type stored in the IA32_MTRR_PHYSBASEn register for that range." */
    SINGLE_VARIABLE_RANGE,
    /** "If two or more variable memory ranges match and the memory types are identical, then that memory type is used." */
    OVERLAP_IDENTICAL,
    /** "If two or more variable memory ranges match and one of the memory types is UC, the UC memory type used." */
    OVERLAP_UC_WINS,
    /** "If two or more variable memory ranges match and the memory types are WT and WB, the WT memory type is used." */
    OVERLAP_WT_OVER_WB,
    /** "For overlaps not defined by the above rules, processor behavior is undefined." (our choice: see {@link Mtrrs}) */
    OVERLAP_UNDEFINED,
    /** "If no fixed or variable memory range matches, the processor uses the default memory type." */
    DEFAULT_TYPE
}
