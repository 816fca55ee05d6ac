package dev.vmx4j.mmu.memtype;

import dev.vmx4j.mmu.MemoryType;

/**
 * Why the MTRRs give an address its memory type.
 *
 * @param address          the physical address looked up
 * @param type             the MTRR memory type
 * @param rule             the precedence rule applied
 * @param fixedRangeIndex  0..87 for {@link MtrrRule#FIXED_RANGE} (0..7 64K, 8..23 16K, 24..87 4K), else -1
 * @param variableIndex    the variable range whose type was chosen (lowest such index), else -1
 * @param matchingVariable bit n set when variable range n matched (ranges 0..63)
 */
public record MtrrMatch(long address, MemoryType type, MtrrRule rule, int fixedRangeIndex,
                        int variableIndex, long matchingVariable) {

    /** The MSR holding the range that decided, or IA32_MTRR_DEF_TYPE; -1 when MTRRs are disabled. */
    public int msr() {
        switch (rule) {
            case MTRRS_DISABLED:
                return -1;
            case FIXED_RANGE:
                return MtrrMsr.fixedRangeMsr(fixedRangeIndex);
            case DEFAULT_TYPE:
                return MtrrMsr.IA32_MTRR_DEF_TYPE;
            default:
                return MtrrMsr.physBase(variableIndex);
        }
    }
}
