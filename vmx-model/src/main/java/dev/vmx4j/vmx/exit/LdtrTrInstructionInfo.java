package dev.vmx4j.vmx.exit;

import java.util.Objects;

/**
 * VM-exit instruction information for LLDT, LTR, SLDT and STR (exit reason 47). SDM "Format of
 * the VM-Exit Instruction-Information Field as Used for LLDT, LTR, SLDT, and STR": bits 6:3 reg1
 * (the register operand when bit 10 is 1), bit 10 mem/reg (0 memory, 1 register), the memory
 * operand at the {@link MemoryOperandInfo} positions (undefined for a register operand), bits
 * 29:28 the instruction identity.
 */
public record LdtrTrInstructionInfo(MemoryOperandInfo memory, int register1, boolean registerOperand,
        Instruction instruction) {

    /** Bits 29:28. */
    public enum Instruction {
        SLDT(0), STR(1), LLDT(2), LTR(3);

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

    public static final int REG1_SHIFT = 3;
    public static final long REGISTER_OPERAND = 1L << 10;
    public static final int IDENTITY_SHIFT = 28;
    public static final long DEFINED_BITS = MemoryOperandInfo.DEFINED_BITS | 0xFL << REG1_SHIFT | REGISTER_OPERAND
            | 3L << IDENTITY_SHIFT;

    public LdtrTrInstructionInfo {
        Objects.requireNonNull(memory, "memory");
        MemoryOperandInfo.check("register1", register1, 15);
        Objects.requireNonNull(instruction, "instruction");
    }

    public long encode() {
        return memory.encode() | (long) register1 << REG1_SHIFT | (registerOperand ? REGISTER_OPERAND : 0)
                | (long) instruction.code() << IDENTITY_SHIFT;
    }

    public static LdtrTrInstructionInfo decode(long v) {
        return new LdtrTrInstructionInfo(MemoryOperandInfo.decode(v), (int) (v >>> REG1_SHIFT & 0xF),
                (v & REGISTER_OPERAND) != 0, Instruction.byCode((int) (v >>> IDENTITY_SHIFT)));
    }
}
