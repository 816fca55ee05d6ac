package dev.vmx4j.mmu.memtype;

import dev.vmx4j.mmu.MemoryType;

/**
 * The memory type range registers of one logical processor: IA32_MTRRCAP, IA32_MTRR_DEF_TYPE,
 * the 11 fixed-range MSRs (88 ranges below 1 MiB) and VCNT variable PHYSBASE/PHYSMASK pairs.
 *
 * <p>SDM "Memory Type Range Registers (MTRRs)", "MTRR Precedences". WRMSR validation returns a
 * {@link MsrWriteStatus} the CPU turns into #GP(0). {@link #typeOf(long)} is allocation-free;
 * {@link #match(long)} explains the answer.
 *
 * <p>MANUAL: for variable-range overlaps the SDM leaves undefined (any mix of two or more types
 * other than "identical", "one is UC", "WT and WB") we choose the least cacheable type present
 * in the order UC, WC, WT, WP, WB, and report {@link MtrrRule#OVERLAP_UNDEFINED} so tools can
 * warn. This extends the two defined rules (UC wins; WT beats WB) and never yields a type that
 * caches more than one of the overlapping ranges asked for.
 */
public final class Mtrrs {

    /** IA32_MTRRCAP bits 7:0: number of variable ranges. */
    public static final long CAP_VCNT_MASK = 0xFFL;
    /** IA32_MTRRCAP bit 8: fixed-range MTRRs supported. */
    public static final long CAP_FIX = 1L << 8;
    /** IA32_MTRRCAP bit 10: the WC memory type supported. */
    public static final long CAP_WC = 1L << 10;
    /** IA32_MTRRCAP bit 11: SMRR interface supported. */
    public static final long CAP_SMRR = 1L << 11;

    /** IA32_MTRR_DEF_TYPE bits 7:0: default memory type. */
    public static final long DEF_TYPE_TYPE_MASK = 0xFFL;
    /** IA32_MTRR_DEF_TYPE bit 10: fixed-range MTRRs enable. */
    public static final long DEF_TYPE_FE = 1L << 10;
    /** IA32_MTRR_DEF_TYPE bit 11: MTRR enable. */
    public static final long DEF_TYPE_E = 1L << 11;
    /** IA32_MTRR_PHYSMASKn bit 11: the range is valid. */
    public static final long PHYSMASK_VALID = 1L << 11;

    private static final long DEF_TYPE_RESERVED = ~(DEF_TYPE_TYPE_MASK | DEF_TYPE_FE | DEF_TYPE_E);
    private static final int MAX_VARIABLE_RANGES = 64;

    private final long mtrrcap;
    private final int variableCount;
    private final boolean fixedSupported;
    private final boolean wcSupported;
    private final int maxPhysicalAddressWidth;
    /** Bits N-1:12, the address bits of PHYSBASE and PHYSMASK. */
    private final long addressBits;

    private long defType;
    private final long[] fixed = new long[MtrrMsr.FIXED.length];
    private final long[] physBase;
    private final long[] physMask;

    /**
     * @param mtrrcap                 the IA32_MTRRCAP value of the CPU profile (VCNT at most 64)
     * @param maxPhysicalAddressWidth MAXPHYADDR, 36..52
     */
    public Mtrrs(long mtrrcap, int maxPhysicalAddressWidth) {
        int vcnt = (int) (mtrrcap & CAP_VCNT_MASK);
        if (vcnt > MAX_VARIABLE_RANGES) {
            throw new IllegalArgumentException("IA32_MTRRCAP.VCNT must be 0..64: " + vcnt);
        }
        if (maxPhysicalAddressWidth < 36 || maxPhysicalAddressWidth > 52) {
            throw new IllegalArgumentException("maxPhysicalAddressWidth must be 36..52: " + maxPhysicalAddressWidth);
        }
        this.mtrrcap = mtrrcap;
        this.variableCount = vcnt;
        this.fixedSupported = (mtrrcap & CAP_FIX) != 0;
        this.wcSupported = (mtrrcap & CAP_WC) != 0;
        this.maxPhysicalAddressWidth = maxPhysicalAddressWidth;
        this.addressBits = ((1L << maxPhysicalAddressWidth) - 1) & ~0xFFFL;
        this.physBase = new long[vcnt];
        this.physMask = new long[vcnt];
    }

    public long mtrrcap() {
        return mtrrcap;
    }

    public int variableRangeCount() {
        return variableCount;
    }

    public int maxPhysicalAddressWidth() {
        return maxPhysicalAddressWidth;
    }

    /** Whether {@code msr} is an MTRR MSR that exists on this processor. */
    public boolean handles(int msr) {
        if (msr == MtrrMsr.IA32_MTRRCAP || msr == MtrrMsr.IA32_MTRR_DEF_TYPE) {
            return true;
        }
        if (MtrrMsr.fixedRegisterNumber(msr) >= 0) {
            return fixedSupported;
        }
        return msr >= MtrrMsr.IA32_MTRR_PHYSBASE0 && msr < MtrrMsr.physBase(variableCount);
    }

    /** RDMSR. @throws IllegalArgumentException if {@link #handles(int)} is false (the CPU raises #GP first) */
    public long read(int msr) {
        if (!handles(msr)) {
            throw new IllegalArgumentException("not an MTRR MSR of this processor: 0x" + Integer.toHexString(msr));
        }
        if (msr == MtrrMsr.IA32_MTRRCAP) {
            return mtrrcap;
        }
        if (msr == MtrrMsr.IA32_MTRR_DEF_TYPE) {
            return defType;
        }
        int k = MtrrMsr.fixedRegisterNumber(msr);
        if (k >= 0) {
            return fixed[k];
        }
        int n = (msr - MtrrMsr.IA32_MTRR_PHYSBASE0) >>> 1;
        return (msr & 1) == 0 ? physBase[n] : physMask[n];
    }

    /** Validates a WRMSR without writing. */
    public MsrWriteStatus check(int msr, long value) {
        if (!handles(msr)) {
            return MsrWriteStatus.UNSUPPORTED_MSR;
        }
        if (msr == MtrrMsr.IA32_MTRRCAP) {
            return MsrWriteStatus.READ_ONLY;
        }
        if (msr == MtrrMsr.IA32_MTRR_DEF_TYPE) {
            // SDM "IA32_MTRR_DEF_TYPE MSR": bits 9:8 and 63:12 are reserved.
            // MANUAL: FE = 1 without fixed-range support is treated as a reserved bit.
            long reserved = DEF_TYPE_RESERVED | (fixedSupported ? 0 : DEF_TYPE_FE);
            if ((value & reserved) != 0) {
                return MsrWriteStatus.RESERVED_BITS_SET;
            }
            return typeStatus((int) (value & DEF_TYPE_TYPE_MASK));
        }
        if (MtrrMsr.fixedRegisterNumber(msr) >= 0) {
            // SDM "Fixed Range MTRRs": eight 8-bit type fields per register.
            for (int i = 0; i < 8; i++) {
                MsrWriteStatus s = typeStatus((int) ((value >>> (8 * i)) & 0xFF));
                if (s != MsrWriteStatus.OK) {
                    return s;
                }
            }
            return MsrWriteStatus.OK;
        }
        if ((msr & 1) == 0) {
            // SDM "Variable Range MTRRs": PHYSBASE bits 11:8 and 63:MAXPHYADDR are reserved.
            if ((value & ~(addressBits | 0xFFL)) != 0) {
                return MsrWriteStatus.RESERVED_BITS_SET;
            }
            return typeStatus((int) (value & 0xFF));
        }
        // SDM "Variable Range MTRRs": PHYSMASK bits 10:0 and 63:MAXPHYADDR are reserved.
        if ((value & ~(addressBits | PHYSMASK_VALID)) != 0) {
            return MsrWriteStatus.RESERVED_BITS_SET;
        }
        return MsrWriteStatus.OK;
    }

    /** WRMSR: validates, then writes when {@link MsrWriteStatus#OK}. */
    public MsrWriteStatus write(int msr, long value) {
        MsrWriteStatus status = check(msr, value);
        if (status != MsrWriteStatus.OK) {
            return status;
        }
        if (msr == MtrrMsr.IA32_MTRR_DEF_TYPE) {
            defType = value;
            return status;
        }
        int k = MtrrMsr.fixedRegisterNumber(msr);
        if (k >= 0) {
            fixed[k] = value;
            return status;
        }
        int n = (msr - MtrrMsr.IA32_MTRR_PHYSBASE0) >>> 1;
        if ((msr & 1) == 0) {
            physBase[n] = value;
        } else {
            physMask[n] = value;
        }
        return status;
    }

    /**
     * SDM "MTRR Types and Properties": "Use of these encodings [2, 3, 7..FFH] results in a
     * general-protection exception". MANUAL: WC is also rejected when IA32_MTRRCAP.WC is 0.
     */
    private MsrWriteStatus typeStatus(int type) {
        switch (type) {
            case 0: case 4: case 5: case 6:
                return MsrWriteStatus.OK;
            case 1:
                return wcSupported ? MsrWriteStatus.OK : MsrWriteStatus.INVALID_MEMORY_TYPE;
            default:
                return MsrWriteStatus.INVALID_MEMORY_TYPE;
        }
    }

    /** The MTRR memory type of a physical address (SDM "MTRR Precedences"). Allocation-free. */
    public MemoryType typeOf(long address) {
        if ((defType & DEF_TYPE_E) == 0) {
            return MemoryType.UC;
        }
        int fixedIndex = fixedIndexIfEnabled(address);
        if (fixedIndex >= 0) {
            return fixedType(fixedIndex);
        }
        long matching = matchingVariableRanges(address);
        if (matching == 0) {
            return defaultType();
        }
        return MemoryType.fromEncoding(resolveOverlap(matching));
    }

    /** The MTRR memory type with the range and rule that chose it. */
    public MtrrMatch match(long address) {
        // SDM "MTRR Precedences": "If the MTRRs are not enabled ..., then the UC memory type is
        // applied to all of physical memory."
        if ((defType & DEF_TYPE_E) == 0) {
            return new MtrrMatch(address, MemoryType.UC, MtrrRule.MTRRS_DISABLED, -1, -1, 0);
        }
        // "If the FE flag ... is set, the fixed-range MTRRs are used for the first 1 MByte."
        int fixedIndex = fixedIndexIfEnabled(address);
        if (fixedIndex >= 0) {
            return new MtrrMatch(address, fixedType(fixedIndex), MtrrRule.FIXED_RANGE, fixedIndex, -1, 0);
        }
        long matching = matchingVariableRanges(address);
        if (matching == 0) {
            return new MtrrMatch(address, defaultType(), MtrrRule.DEFAULT_TYPE, -1, -1, 0);
        }
        int type = resolveOverlap(matching);
        int index = -1;
        for (int n = 0; n < variableCount && index < 0; n++) {
            if ((matching & (1L << n)) != 0 && variableType(n) == type) {
                index = n;
            }
        }
        return new MtrrMatch(address, MemoryType.fromEncoding(type), overlapRule(matching, type),
                -1, index, matching);
    }

    private int fixedIndexIfEnabled(long address) {
        if ((defType & DEF_TYPE_FE) == 0 || !fixedSupported) {
            return -1;
        }
        return MtrrMsr.fixedRangeIndex(address);
    }

    private MemoryType fixedType(int index) {
        return MemoryType.fromEncoding((int) ((fixed[index >>> 3] >>> (8 * (index & 7))) & 0xFF));
    }

    private MemoryType defaultType() {
        return MemoryType.fromEncoding((int) (defType & DEF_TYPE_TYPE_MASK));
    }

    private int variableType(int n) {
        return (int) (physBase[n] & 0xFF);
    }

    /** Bit n set when variable range n is valid and matches (SDM "Variable Range MTRRs"). */
    private long matchingVariableRanges(long address) {
        long matching = 0;
        for (int n = 0; n < variableCount; n++) {
            long mask = physMask[n];
            if ((mask & PHYSMASK_VALID) != 0) {
                long m = mask & addressBits;
                if ((address & m) == (physBase[n] & m)) {
                    matching |= 1L << n;
                }
            }
        }
        return matching;
    }

    /** Bit e set for every type encoding e among the matching ranges. */
    private int typesOf(long matching) {
        int types = 0;
        for (int n = 0; n < variableCount; n++) {
            if ((matching & (1L << n)) != 0) {
                types |= 1 << variableType(n);
            }
        }
        return types;
    }

    private static final int UC = 1 << 0;
    private static final int WC = 1 << 1;
    private static final int WT = 1 << 4;
    private static final int WP = 1 << 5;
    private static final int WB = 1 << 6;

    /** SDM "MTRR Precedences" for one or more matching variable ranges; returns an encoding. */
    private int resolveOverlap(long matching) {
        int types = typesOf(matching);
        if (Integer.bitCount(types) == 1) {
            return Integer.numberOfTrailingZeros(types);
        }
        // "If two or more variable memory ranges match and one of the memory types is UC, the UC
        // memory type used."
        if ((types & UC) != 0) {
            return 0;
        }
        // "... the memory types are WT and WB, the WT memory type is used."
        if (types == (WT | WB)) {
            return 4;
        }
        // MANUAL: undefined overlap; least cacheable in the order WC, WT, WP, WB (see class doc).
        if ((types & WC) != 0) {
            return 1;
        }
        if ((types & WT) != 0) {
            return 4;
        }
        return 5;
    }

    private MtrrRule overlapRule(long matching, int resolved) {
        if (Long.bitCount(matching) == 1) {
            return MtrrRule.SINGLE_VARIABLE_RANGE;
        }
        int types = typesOf(matching);
        if (Integer.bitCount(types) == 1) {
            return MtrrRule.OVERLAP_IDENTICAL;
        }
        if (resolved == 0) {
            return MtrrRule.OVERLAP_UC_WINS;
        }
        if (types == (WT | WB)) {
            return MtrrRule.OVERLAP_WT_OVER_WB;
        }
        return MtrrRule.OVERLAP_UNDEFINED;
    }
}
