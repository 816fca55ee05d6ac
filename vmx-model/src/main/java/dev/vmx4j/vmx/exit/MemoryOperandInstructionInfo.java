package dev.vmx4j.vmx.exit;

import java.util.Objects;

/**
 * VM-exit instruction information for VMCLEAR, VMPTRLD, VMPTRST, VMXON, XRSTORS and XSAVES. SDM
 * "Format of the VM-Exit Instruction-Information Field as Used for VMCLEAR, VMPTRLD, VMPTRST,
 * VMXON, XRSTORS, and XSAVES": the memory operand at the {@link MemoryOperandInfo} positions,
 * bit 10 cleared to 0, every other bit undefined.
 */
public record MemoryOperandInstructionInfo(MemoryOperandInfo memory) {

    public static final long DEFINED_BITS = MemoryOperandInfo.DEFINED_BITS;

    public MemoryOperandInstructionInfo {
        Objects.requireNonNull(memory, "memory");
    }

    public long encode() {
        return memory.encode();
    }

    public static MemoryOperandInstructionInfo decode(long v) {
        return new MemoryOperandInstructionInfo(MemoryOperandInfo.decode(v));
    }
}
