package dev.vmx4j.vmx.exit;

/**
 * VM-exit instruction information for RDRAND, RDSEED, TPAUSE and UMWAIT. SDM "Format of the
 * VM-Exit Instruction-Information Field as Used for RDRAND, RDSEED, TPAUSE, and UMWAIT":
 * <pre>
 *  2:0   undefined
 *  6:3   operand register (destination for RDRAND and RDSEED; source for TPAUSE and UMWAIT)
 *  10:7  undefined
 *  12:11 operand size: 0 16-bit, 1 32-bit, 2 64-bit (undefined for TPAUSE and UMWAIT)
 *  31:13 undefined
 * </pre>
 */
public record RegisterInstructionInfo(int register, int operandSize) {

    public static final int OPERAND_SIZE_16 = 0;
    public static final int OPERAND_SIZE_32 = 1;
    public static final int OPERAND_SIZE_64 = 2;
    public static final int REGISTER_SHIFT = 3;
    public static final int OPERAND_SIZE_SHIFT = 11;
    public static final long DEFINED_BITS = 0xFL << REGISTER_SHIFT | 3L << OPERAND_SIZE_SHIFT;

    public RegisterInstructionInfo {
        MemoryOperandInfo.check("register", register, 15);
        MemoryOperandInfo.check("operandSize", operandSize, 3);
    }

    public long encode() {
        return (long) register << REGISTER_SHIFT | (long) operandSize << OPERAND_SIZE_SHIFT;
    }

    public static RegisterInstructionInfo decode(long v) {
        return new RegisterInstructionInfo((int) (v >>> REGISTER_SHIFT & 0xF), (int) (v >>> OPERAND_SIZE_SHIFT & 3));
    }
}
