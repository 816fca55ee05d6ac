package dev.vmx4j.vmx.exit;

/**
 * The memory-operand part shared by the VM-exit instruction-information formats (SDM "Format of
 * the VM-Exit Instruction-Information Field as Used for ..."), at the same bit positions in each:
 * <pre>
 *  1:0   scaling: 0 no scaling, 1 scale by 2, 2 scale by 4, 3 scale by 8
 *  9:7   address size: 0 16-bit, 1 32-bit, 2 64-bit
 *  17:15 segment register: 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS
 *  21:18 index register (0 RAX ... 15 R15); undefined when bit 22 is set
 *  22    index register invalid
 *  26:23 base register; undefined when bit 27 is set
 *  27    base register invalid
 * </pre>
 * For register operands the SDM leaves these bits undefined (address size included for
 * VMREAD/VMWRITE); the codec keeps whatever is there.
 */
public record MemoryOperandInfo(int scaling, int addressSize, int segment, int indexRegister, boolean indexInvalid,
        int baseRegister, boolean baseInvalid) {

    public static final int ADDRESS_SIZE_16 = 0;
    public static final int ADDRESS_SIZE_32 = 1;
    public static final int ADDRESS_SIZE_64 = 2;
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    public static final long SCALING_MASK = 0x3L;
    public static final int ADDRESS_SIZE_SHIFT = 7;
    public static final int SEGMENT_SHIFT = 15;
    public static final int INDEX_SHIFT = 18;
    public static final long INDEX_INVALID = 1L << 22;
    public static final int BASE_SHIFT = 23;
    public static final long BASE_INVALID = 1L << 27;
    /** Bits 1:0, 9:7, 17:15, 21:18, 22, 26:23, 27. */
    public static final long DEFINED_BITS = 0x0FFF_8383L;

    public MemoryOperandInfo {
        check("scaling", scaling, 3);
        check("addressSize", addressSize, 7);
        check("segment", segment, 7);
        check("indexRegister", indexRegister, 15);
        check("baseRegister", baseRegister, 15);
    }

    static void check(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be in [0, " + max + "], was " + value);
        }
    }

    /** An operand {@code [base + index * 2^scaling + disp]} with both registers valid. */
    public static MemoryOperandInfo of(int addressSize, int segment, int base, int index, int scaling) {
        return new MemoryOperandInfo(scaling, addressSize, segment, index, false, base, false);
    }

    /** An operand {@code [base + disp]} without an index register. */
    public static MemoryOperandInfo baseOnly(int addressSize, int segment, int base) {
        return new MemoryOperandInfo(0, addressSize, segment, 0, true, base, false);
    }

    /** The address size in bits (16, 32, 64), or 0 for an undefined code. */
    public int addressSizeBits() {
        switch (addressSize) {
            case ADDRESS_SIZE_16: return 16;
            case ADDRESS_SIZE_32: return 32;
            case ADDRESS_SIZE_64: return 64;
            default: return 0;
        }
    }

    public long encode() {
        return scaling
                | (long) addressSize << ADDRESS_SIZE_SHIFT
                | (long) segment << SEGMENT_SHIFT
                | (long) indexRegister << INDEX_SHIFT
                | (indexInvalid ? INDEX_INVALID : 0)
                | (long) baseRegister << BASE_SHIFT
                | (baseInvalid ? BASE_INVALID : 0);
    }

    public static MemoryOperandInfo decode(long v) {
        return new MemoryOperandInfo((int) (v & SCALING_MASK), (int) (v >>> ADDRESS_SIZE_SHIFT & 7),
                (int) (v >>> SEGMENT_SHIFT & 7), (int) (v >>> INDEX_SHIFT & 0xF), (v & INDEX_INVALID) != 0,
                (int) (v >>> BASE_SHIFT & 0xF), (v & BASE_INVALID) != 0);
    }
}
