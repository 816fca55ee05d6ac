package dev.vmx4j.vmx.exit;

import java.util.Objects;

/**
 * VM-exit instruction information for LIDT, LGDT, SIDT and SGDT (exit reason 46). SDM "Format of
 * the VM-Exit Instruction-Information Field as Used for LIDT, LGDT, SIDT, or SGDT": the memory
 * operand at the {@link MemoryOperandInfo} positions, bit 10 cleared to 0, bit 11 operand size
 * (0 16-bit, 1 32-bit; undefined in 64-bit mode), bits 29:28 the instruction identity.
 */
public record DescriptorTableInstructionInfo(MemoryOperandInfo memory, boolean operandSize32,
        Instruction instruction) {

    /** Bits 29:28. */
    public enum Instruction {
        SGDT(0), SIDT(1), LGDT(2), LIDT(3);

        private final int code;

        Instruction(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Instruction byCode(int code) {
            return values()[code & 3];
        }
    }

    public static final long OPERAND_SIZE_32 = 1L << 11;
    public static final int IDENTITY_SHIFT = 28;
    public static final long DEFINED_BITS = MemoryOperandInfo.DEFINED_BITS | OPERAND_SIZE_32 | 3L << IDENTITY_SHIFT;

    public DescriptorTableInstructionInfo {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(instruction, "instruction");
    }

    public long encode() {
        return memory.encode() | (operandSize32 ? OPERAND_SIZE_32 : 0) | (long) instruction.code() << IDENTITY_SHIFT;
    }

    public static DescriptorTableInstructionInfo decode(long v) {
        return new DescriptorTableInstructionInfo(MemoryOperandInfo.decode(v), (v & OPERAND_SIZE_32) != 0,
                Instruction.byCode((int) (v >>> IDENTITY_SHIFT)));
    }
}
