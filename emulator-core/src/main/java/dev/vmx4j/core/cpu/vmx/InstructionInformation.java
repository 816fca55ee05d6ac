package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * The exit qualification and VM-exit instruction-information field of an exit caused by a VMX
 * instruction (and by the other instructions with a memory operand that share the formats),
 * built from the decoded instruction.
 */
final class InstructionInformation {

    private InstructionInformation() {
    }

    /**
     * SDM "Exit Qualification for VM Exits Due to Instructions with a Memory Operand"
     * (VMCLEAR, VMPTRLD, VMPTRST, VMXON, VMREAD, VMWRITE, INVEPT, INVVPID, ...): "the value of
     * the instruction's displacement field, which is sign-extended to 64 bits if necessary ...
     * If the instruction has no displacement (for example, has a register operand), zero";
     * except for RIP-relative addressing, where it is "the sum of the displacement field and
     * the appropriate RIP value" (the next instruction's RIP; with a 32-bit address size, the
     * sum truncated to 32 bits as the address is). Bochs 2.7 does the same.
     */
    static long qualification(DecodedInstruction d, Cpu c) {
        for (int i = 0; i < d.operandCount; i++) {
            if (VmxOperands.isMemory(d, i)) {
                if (d.memBase == DecodedInstruction.BASE_RIP) {
                    long sum = d.memDisplacement + c.nextRip();
                    return d.addressSize == 4 ? sum & 0xFFFFFFFFL : sum;
                }
                return d.memDisplacement;
            }
        }
        return 0;
    }

    /** The instruction-information field for {@code reason}'s format, or 0 for the exits that define none. */
    static int encode(ExitReason reason, DecodedInstruction d, Cpu c) {
        switch (reason) {
            case VMCLEAR:
            case VMPTRLD:
            case VMPTRST:
            case VMXON:
                // SDM table "Format of the VM-Exit Instruction-Information Field as Used for
                // VMCLEAR, VMPTRLD, VMPTRST, VMXON, XRSTORS, and XSAVES".
                return memoryOperand(d);
            case VMREAD:
            case VMWRITE:
                return vmreadVmwrite(d, reason == ExitReason.VMREAD);
            case INVEPT:
            case INVVPID:
                // SDM table "... as Used for INVEPT, INVPCID, and INVVPID": Reg2 (bits 31:28) is
                // the register operand.
                return memoryOperand(d) | (d.reg[0] << 28);
            default:
                return 0;
        }
    }

    /**
     * SDM table "Format of the VM-Exit Instruction-Information Field as Used for VMREAD and
     * VMWRITE": bit 10 is 1 for a register operand (Reg1 in bits 6:3), Reg2 in bits 31:28 is
     * the register operand in ModRM.reg (VMREAD's source, VMWRITE's secondary source).
     */
    private static int vmreadVmwrite(DecodedInstruction d, boolean vmread) {
        int rm = vmread ? 0 : 1;
        int regOperand = vmread ? 1 : 0;
        int info = d.reg[regOperand] << 28;
        if (VmxOperands.isMemory(d, rm)) {
            info |= memoryOperand(d);
        } else {
            // MANUAL: with a register operand bits 1:0, 9:7 and 17:15 are undefined; vmx4j
            // leaves them 0, as Bochs 2.7 does.
            info |= 1 << 10 | d.reg[rm] << 3;
        }
        return info;
    }

    /**
     * SDM tables "Format of the VM-Exit Instruction-Information Field as Used for LIDT, LGDT,
     * SIDT, or SGDT" and "... for LLDT, LTR, SLDT, and STR": the memory operand (or, for the
     * second group, a register in 6:3 with bit 10 set), operand size in bit 11 for the first
     * group, and the instruction identity in bits 29:28.
     */
    static int descriptorTable(DecodedInstruction d, boolean mode64) {
        int identity;
        boolean gdtIdt = true;
        switch (d.mnemonic) {
            case SGDT: identity = 0; break;
            case SIDT: identity = 1; break;
            case LGDT: identity = 2; break;
            case LIDT: identity = 3; break;
            case SLDT: identity = 0; gdtIdt = false; break;
            case STR: identity = 1; gdtIdt = false; break;
            case LLDT: identity = 2; gdtIdt = false; break;
            default: identity = 3; gdtIdt = false; break;
        }
        int info = identity << 28;
        if (d.operandCount > 0 && VmxOperands.isMemory(d, 0)) {
            info |= memoryOperand(d);
        } else {
            // MANUAL: the address size (9:7) is undefined for a register operand; 0 (as Bochs).
            info |= 1 << 10 | d.reg[0] << 3;
        }
        // Bit 11, operand size (0: 16-bit, 1: 32-bit), "undefined for VM exits from 64-bit
        // mode": MANUAL 0 there (as Bochs).
        if (gdtIdt && d.operandSize != 2 && !mode64) {
            info |= 1 << 11;
        }
        return info;
    }

    /** Bits 1:0 scaling, 9:7 address size, 17:15 segment, 21:18/22 index, 26:23/27 base. */
    private static int memoryOperand(DecodedInstruction d) {
        int info = Integer.numberOfTrailingZeros(d.memScale) | addressSizeCode(d) << 7 | d.memSegment << 15;
        if (d.memIndex >= 0) {
            info |= d.memIndex << 18;
        } else {
            info |= 1 << 22;
        }
        if (d.memBase >= 0 && d.memBase != DecodedInstruction.BASE_RIP) {
            info |= d.memBase << 23;
        } else {
            info |= 1 << 27;
        }
        return info;
    }

    /** 0: 16-bit, 1: 32-bit, 2: 64-bit. */
    static int addressSizeCode(DecodedInstruction d) {
        return d.addressSize == 2 ? 0 : d.addressSize == 4 ? 1 : 2;
    }
}
