package dev.vmx4j.vmx.exit;

/**
 * VM-exit instruction information for INS and OUTS (reported when IA32_VMX_BASIC[54] is 1). SDM
 * "Format of the VM-Exit Instruction-Information Field as Used for INS and OUTS":
 * <pre>
 *  6:0   undefined
 *  9:7   address size: 0 16-bit, 1 32-bit, 2 64-bit
 *  14:10 undefined
 *  17:15 segment register (0 ES .. 5 GS); undefined for INS
 *  31:18 undefined
 * </pre>
 */
public record InsOutsInstructionInfo(int addressSize, int segment) {

    public static final long DEFINED_BITS = 7L << MemoryOperandInfo.ADDRESS_SIZE_SHIFT
            | 7L << MemoryOperandInfo.SEGMENT_SHIFT;

    public InsOutsInstructionInfo {
        MemoryOperandInfo.check("addressSize", addressSize, 7);
        MemoryOperandInfo.check("segment", segment, 7);
    }

    public long encode() {
        return (long) addressSize << MemoryOperandInfo.ADDRESS_SIZE_SHIFT
                | (long) segment << MemoryOperandInfo.SEGMENT_SHIFT;
    }

    public static InsOutsInstructionInfo decode(long v) {
        return new InsOutsInstructionInfo((int) (v >>> MemoryOperandInfo.ADDRESS_SIZE_SHIFT & 7),
                (int) (v >>> MemoryOperandInfo.SEGMENT_SHIFT & 7));
    }
}
