package dev.vmx4j.vmx.exit;

import java.util.Objects;

/**
 * VM-exit instruction information for INVEPT, INVPCID and INVVPID. SDM "Format of the VM-Exit
 * Instruction-Information Field as Used for INVEPT, INVPCID, and INVVPID": the memory operand
 * (the descriptor) at the {@link MemoryOperandInfo} positions, bit 10 cleared to 0, and bits
 * 31:28 reg2, the register operand holding the invalidation type.
 */
public record InvalidationInstructionInfo(MemoryOperandInfo memory, int register2) {

    public static final int REG2_SHIFT = 28;
    public static final long DEFINED_BITS = MemoryOperandInfo.DEFINED_BITS | 0xFL << REG2_SHIFT;

    public InvalidationInstructionInfo {
        Objects.requireNonNull(memory, "memory");
        MemoryOperandInfo.check("register2", register2, 15);
    }

    public long encode() {
        return memory.encode() | (long) register2 << REG2_SHIFT;
    }

    public static InvalidationInstructionInfo decode(long v) {
        return new InvalidationInstructionInfo(MemoryOperandInfo.decode(v), (int) (v >>> REG2_SHIFT & 0xF));
    }
}
