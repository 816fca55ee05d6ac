package dev.vmx4j.vmx.exit;

import java.util.Objects;

/**
 * VM-exit instruction information for VMREAD and VMWRITE. SDM "Format of the VM-Exit
 * Instruction-Information Field as Used for VMREAD and VMWRITE": bits 6:3 reg1 (the register
 * operand when bit 10 is 1: VMREAD's destination, VMWRITE's source), bit 10 mem/reg (0 memory,
 * 1 register), the memory operand at the {@link MemoryOperandInfo} positions (undefined for a
 * register operand), bits 31:28 reg2 (the register holding the field encoding).
 */
public record VmreadVmwriteInstructionInfo(MemoryOperandInfo memory, int register1, boolean registerOperand,
        int register2) {

    public static final int REG1_SHIFT = 3;
    public static final long REGISTER_OPERAND = 1L << 10;
    public static final int REG2_SHIFT = 28;
    public static final long DEFINED_BITS = MemoryOperandInfo.DEFINED_BITS | 0xFL << REG1_SHIFT | REGISTER_OPERAND
            | 0xFL << REG2_SHIFT;

    public VmreadVmwriteInstructionInfo {
        Objects.requireNonNull(memory, "memory");
        MemoryOperandInfo.check("register1", register1, 15);
        MemoryOperandInfo.check("register2", register2, 15);
    }

    /** The register form: {@code reg1} is the value operand, {@code reg2} the field encoding. */
    public static VmreadVmwriteInstructionInfo registerForm(int addressSize, int register1, int register2) {
        return new VmreadVmwriteInstructionInfo(new MemoryOperandInfo(0, addressSize, 0, 0, false, 0, false),
                register1, true, register2);
    }

    public long encode() {
        return memory.encode() | (long) register1 << REG1_SHIFT | (registerOperand ? REGISTER_OPERAND : 0)
                | (long) register2 << REG2_SHIFT;
    }

    public static VmreadVmwriteInstructionInfo decode(long v) {
        return new VmreadVmwriteInstructionInfo(MemoryOperandInfo.decode(v), (int) (v >>> REG1_SHIFT & 0xF),
                (v & REGISTER_OPERAND) != 0, (int) (v >>> REG2_SHIFT & 0xF));
    }
}
