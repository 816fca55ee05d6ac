package dev.vmx4j.core.decoder;

/**
 * Encoding forms: one id per mnemonic and operand shape ({@code ADD r, r/m} with a register
 * source, {@code MOV r, m}, ...), chosen once at decode time so that an executor dispatches on
 * one int with no operand-kind tests (the way Bochs binds a handler per form).
 *
 * <p>Shapes: {@code R} a general register ({@link OperandKind#REG}, any size; never AH-BH),
 * {@code I} an immediate, {@code M} memory. Operand sizes are not part of the id: the flattened
 * {@link DecodedInstruction#size0}/{@link DecodedInstruction#size1} give them and executors
 * apply the width rules with masks. {@link #GENERIC} marks the other instructions whose only
 * effects are general registers, arithmetic flags, memory and RIP (executed through the
 * general path, string instructions without a REP prefix and VMREAD/VMWRITE among them); {@link #NONE} everything
 * else (system state, I/O, segment registers, IF/TF/RF, interrupt shadows, REP string
 * instructions, x87/SSE): an executor that runs
 * instructions back to back without the per-step checks must stop before a {@code NONE}.
 */
public final class Form {

    private Form() {
    }

    /** Touches more than registers, flags, memory and RIP (or is not classified). */
    public static final int NONE = 0;
    /** Registers, flags, memory and RIP only, with no dedicated form. */
    public static final int GENERIC = 1;

    // shape offsets within an ALU block
    public static final int RR = 0;
    public static final int RI = 1;
    public static final int RM = 2;
    public static final int MR = 3;
    public static final int MI = 4;
    private static final int BLOCK = 8;

    // ALU blocks: base + shape (TEST has no RM shape: its r/m operand comes first)
    public static final int MOV = 2 * BLOCK;
    public static final int ADD = 3 * BLOCK;
    public static final int SUB = 4 * BLOCK;
    public static final int AND = 5 * BLOCK;
    public static final int OR = 6 * BLOCK;
    public static final int XOR = 7 * BLOCK;
    public static final int CMP = 8 * BLOCK;
    public static final int TEST = 9 * BLOCK;

    public static final int MOV_RR = MOV + RR;
    public static final int MOV_RI = MOV + RI;
    public static final int MOV_RM = MOV + RM;
    public static final int MOV_MR = MOV + MR;
    public static final int MOV_MI = MOV + MI;
    public static final int ADD_RR = ADD + RR;
    public static final int ADD_RI = ADD + RI;
    public static final int ADD_RM = ADD + RM;
    public static final int ADD_MR = ADD + MR;
    public static final int ADD_MI = ADD + MI;
    public static final int SUB_RR = SUB + RR;
    public static final int SUB_RI = SUB + RI;
    public static final int SUB_RM = SUB + RM;
    public static final int SUB_MR = SUB + MR;
    public static final int SUB_MI = SUB + MI;
    public static final int AND_RR = AND + RR;
    public static final int AND_RI = AND + RI;
    public static final int AND_RM = AND + RM;
    public static final int AND_MR = AND + MR;
    public static final int AND_MI = AND + MI;
    public static final int OR_RR = OR + RR;
    public static final int OR_RI = OR + RI;
    public static final int OR_RM = OR + RM;
    public static final int OR_MR = OR + MR;
    public static final int OR_MI = OR + MI;
    public static final int XOR_RR = XOR + RR;
    public static final int XOR_RI = XOR + RI;
    public static final int XOR_RM = XOR + RM;
    public static final int XOR_MR = XOR + MR;
    public static final int XOR_MI = XOR + MI;
    public static final int CMP_RR = CMP + RR;
    public static final int CMP_RI = CMP + RI;
    public static final int CMP_RM = CMP + RM;
    public static final int CMP_MR = CMP + MR;
    public static final int CMP_MI = CMP + MI;
    public static final int TEST_RR = TEST + RR;
    public static final int TEST_RI = TEST + RI;
    public static final int TEST_MR = TEST + MR;
    public static final int TEST_MI = TEST + MI;

    /** MOVZX r, r and MOVZX r, m (source size in size1). */
    public static final int MOVZX_RR = 10 * BLOCK;
    public static final int MOVZX_RM = 10 * BLOCK + 1;
    /** LEA r, m. */
    public static final int LEA = 10 * BLOCK + 2;
    /** INC r, DEC r. */
    public static final int INC_R = 10 * BLOCK + 3;
    public static final int DEC_R = 10 * BLOCK + 4;
    /** Shifts and rotates of a register by an immediate count. */
    public static final int SHL_RI = 11 * BLOCK;
    public static final int SHR_RI = 11 * BLOCK + 1;
    public static final int SAR_RI = 11 * BLOCK + 2;
    public static final int ROL_RI = 11 * BLOCK + 3;
    public static final int ROR_RI = 11 * BLOCK + 4;
    /** Jcc rel, JMP rel (near, relative). */
    public static final int JCC = 12 * BLOCK;
    public static final int JMP_REL = 12 * BLOCK + 1;
    /** CALL rel (near), RET (near, no immediate). */
    public static final int CALL_REL = 12 * BLOCK + 2;
    public static final int RET = 12 * BLOCK + 3;
    /** PUSH r, POP r (general register, the operand size in {@link DecodedInstruction#operandSize}). */
    public static final int PUSH_R = 12 * BLOCK + 4;
    public static final int POP_R = 12 * BLOCK + 5;

    /** Sets {@link DecodedInstruction#form} and the flattened operand fields of {@code d}. */
    public static void classify(DecodedInstruction d) {
        d.reg0 = d.reg[0];
        d.reg1 = d.reg[1];
        d.size0 = d.size[0];
        d.size1 = d.size[1];
        d.form = of(d);
    }

    private static int of(DecodedInstruction d) {
        if (!registersFlagsMemoryOnly(d)) {
            return NONE;
        }
        int n = d.operandCount;
        int k0 = d.kind[0];
        int k1 = d.kind[1];
        switch (d.mnemonic) {
            case MOV:
                return n == 2 ? alu(MOV, k0, k1) : GENERIC;
            case ADD:
                return n == 2 ? alu(ADD, k0, k1) : GENERIC;
            case SUB:
                return n == 2 ? alu(SUB, k0, k1) : GENERIC;
            case AND:
                return n == 2 ? alu(AND, k0, k1) : GENERIC;
            case OR:
                return n == 2 ? alu(OR, k0, k1) : GENERIC;
            case XOR:
                return n == 2 ? alu(XOR, k0, k1) : GENERIC;
            case CMP:
                return n == 2 ? alu(CMP, k0, k1) : GENERIC;
            case TEST: {
                int f = n == 2 ? alu(TEST, k0, k1) : GENERIC;
                return f == TEST + RM ? GENERIC : f;
            }
            case MOVZX:
                if (n == 2 && k0 == OperandKind.REG) {
                    return k1 == OperandKind.REG ? MOVZX_RR : k1 == OperandKind.MEM ? MOVZX_RM : GENERIC;
                }
                return GENERIC;
            case LEA:
                return n == 2 && k0 == OperandKind.REG && k1 == OperandKind.MEM ? LEA : GENERIC;
            case INC:
                return n == 1 && k0 == OperandKind.REG ? INC_R : GENERIC;
            case DEC:
                return n == 1 && k0 == OperandKind.REG ? DEC_R : GENERIC;
            case SHL:
                return registerByImmediate(n, k0, k1) ? SHL_RI : GENERIC;
            case SHR:
                return registerByImmediate(n, k0, k1) ? SHR_RI : GENERIC;
            case SAR:
                return registerByImmediate(n, k0, k1) ? SAR_RI : GENERIC;
            case ROL:
                return registerByImmediate(n, k0, k1) ? ROL_RI : GENERIC;
            case ROR:
                return registerByImmediate(n, k0, k1) ? ROR_RI : GENERIC;
            case JCC:
                return n == 1 && k0 == OperandKind.REL ? JCC : GENERIC;
            case JMP:
                return n == 1 && k0 == OperandKind.REL ? JMP_REL : GENERIC;
            case CALL:
                return n == 1 && k0 == OperandKind.REL ? CALL_REL : GENERIC;
            case RET:
                return n == 0 ? RET : GENERIC;
            case PUSH:
                return n == 1 && k0 == OperandKind.REG ? PUSH_R : GENERIC;
            case POP:
                return n == 1 && k0 == OperandKind.REG ? POP_R : GENERIC;
            default:
                return GENERIC;
        }
    }

    private static boolean registerByImmediate(int n, int k0, int k1) {
        return n == 2 && k0 == OperandKind.REG && k1 == OperandKind.IMM;
    }

    /** base + shape for two operands of kinds k0, k1; GENERIC for any other shape (AH-BH, ...). */
    private static int alu(int base, int k0, int k1) {
        if (k0 == OperandKind.REG) {
            switch (k1) {
                case OperandKind.REG:
                    return base + RR;
                case OperandKind.IMM:
                    return base + RI;
                case OperandKind.MEM:
                    return base + RM;
                default:
                    return GENERIC;
            }
        }
        if (k0 == OperandKind.MEM) {
            switch (k1) {
                case OperandKind.REG:
                    return base + MR;
                case OperandKind.IMM:
                    return base + MI;
                default:
                    return GENERIC;
            }
        }
        return GENERIC;
    }

    /**
     * General-purpose integer instructions and near branches whose only effects are general
     * registers, RFLAGS' arithmetic flags, memory and RIP, with operands of those kinds only.
     */
    private static boolean registersFlagsMemoryOnly(DecodedInstruction d) {
        for (int i = 0; i < d.operandCount; i++) {
            int k = d.kind[i];
            if (k != OperandKind.REG && k != OperandKind.REG8_HIGH && k != OperandKind.MEM && k != OperandKind.IMM
                    && k != OperandKind.REL) {
                return false;
            }
        }
        switch (d.mnemonic) {
            case MOV:
            case MOVZX:
            case MOVSX:
            case MOVSXD:
            case LEA:
            case ADD:
            case ADC:
            case SUB:
            case SBB:
            case AND:
            case OR:
            case XOR:
            case CMP:
            case TEST:
            case INC:
            case DEC:
            case NEG:
            case NOT:
            case SHL:
            case SHR:
            case SAL:
            case SAR:
            case ROL:
            case ROR:
            case RCL:
            case RCR:
            case SHLD:
            case SHRD:
            case IMUL:
            case MUL:
            case DIV:
            case IDIV:
            case XCHG:
            case XADD:
            case CMPXCHG:
            case BSWAP:
            case BT:
            case BTS:
            case BTR:
            case BTC:
            case BSF:
            case BSR:
            case POPCNT:
            case LZCNT:
            case TZCNT:
            case CMOVCC:
            case SETCC:
            case CBW:
            case CWDE:
            case CDQE:
            case CWD:
            case CDQ:
            case CQO:
            case NOP:
            case PUSH:
            case POP:
            case LEAVE:
            case JMP:
            case JCC:
            case CALL:
            case RET:
                return true;
            case VMREAD:
            case VMWRITE:
                // VMX root operation: a general register or memory, the arithmetic flags
                // (VMsucceed/VMfail) and the current VMCS, which nothing in the loop caches;
                // #UD, #GP and (VMX non-root operation) the VM exit or the shadow VMCS are raised
                // or served at the instruction, as a fault is
                return true;
            case MOVS:
            case STOS:
            case LODS:
            case CMPS:
            case SCAS:
                // one iteration, RSI/RDI stepped by RFLAGS.DF; with a REP prefix RIP stays on the
                // instruction between iterations (an interrupt window): NONE
                return (d.prefixes & (Prefix.REP | Prefix.REPNE)) == 0;
            default:
                return false;
        }
    }
}
