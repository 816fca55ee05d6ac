package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.OperandKind;

/**
 * Operand access for the VMX instructions: the effective address of the memory operand and the
 * register or memory operands of VMREAD and VMWRITE. Memory goes through the CPU's segmented,
 * paged path, so a faulting operand raises its #GP/#SS/#PF before the instruction changes
 * anything.
 */
final class VmxOperands {

    private VmxOperands() {
    }

    /** The offset of the memory operand (SDM "Specifying an Offset"), truncated to the address size. */
    static long ea(Cpu c, DecodedInstruction d) {
        long a = d.memDisplacement;
        int base = d.memBase;
        if (base >= 0) {
            a += base == DecodedInstruction.BASE_RIP ? c.nextRip() : c.gpr[base];
        }
        if (d.memIndex >= 0) {
            a += c.gpr[d.memIndex] * d.memScale;
        }
        switch (d.addressSize) {
            case 2:
                return a & 0xFFFFL;
            case 4:
                return a & 0xFFFFFFFFL;
            default:
                return a;
        }
    }

    static boolean isMemory(DecodedInstruction d, int i) {
        return d.kind[i] == OperandKind.MEM;
    }

    /**
     * SDM "VMREAD"/"VMWRITE": "Outside IA-32e mode, the source operand has 32 bits ... In 64-bit
     * mode, the source operand has 64 bits": the operand size of these instructions.
     */
    static int operandSize(Cpu c) {
        return c.is64BitMode() ? 8 : 4;
    }

    /** The 64-bit in-memory operand of VMXON, VMCLEAR, VMPTRLD. */
    static long readPointer(Cpu c, DecodedInstruction d) {
        return c.readMem(d.memSegment, ea(c, d), 8);
    }

    static void writePointer(Cpu c, DecodedInstruction d, long value) {
        c.writeMem(d.memSegment, ea(c, d), 8, value);
    }

    /** A register operand at the instruction's operand size, zero-extended. */
    static long register(Cpu c, DecodedInstruction d, int i) {
        return c.reg(d.reg[i], operandSize(c));
    }

    /** Operand {@code i} (register or memory) at the instruction's operand size. */
    static long read(Cpu c, DecodedInstruction d, int i) {
        int size = operandSize(c);
        return isMemory(d, i) ? c.readMem(d.memSegment, ea(c, d), size) : c.reg(d.reg[i], size);
    }

    static void write(Cpu c, DecodedInstruction d, int i, long value) {
        int size = operandSize(c);
        if (isMemory(d, i)) {
            c.writeMem(d.memSegment, ea(c, d), size, value);
        } else {
            c.setReg(d.reg[i], size, value);
        }
    }
}
