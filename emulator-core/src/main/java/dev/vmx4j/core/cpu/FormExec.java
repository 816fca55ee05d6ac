package dev.vmx4j.core.cpu;

import dev.vmx4j.core.cpu.alu.Alu;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Form;
import dev.vmx4j.core.decoder.Mnemonic;

/**
 * Executes an instruction by its encoding {@link Form}: one switch on {@code d.form}, operands
 * from the flattened fields, no operand-kind tests; {@link Form#GENERIC} forms go through
 * {@link Exec#execute}. The effect on registers, flags, memory, {@code Cpu.nextRip} and faults
 * is exactly {@link Exec#execute}'s (same {@link Alu} methods, same width rules, same access
 * order: a destination in memory is read, then written).
 *
 * <p>PERF: what the interpreter's page run ({@link Interpreter}) calls per instruction; the
 * cycle cost is returned (a constant per form) instead of going through the mnemonic's ordinal.
 */
final class FormExec {

    static final int C_MOV = CycleTable.BASE[Mnemonic.MOV.ordinal()];
    static final int C_MOVZX = CycleTable.BASE[Mnemonic.MOVZX.ordinal()];
    static final int C_LEA = CycleTable.BASE[Mnemonic.LEA.ordinal()];
    static final int C_ADD = CycleTable.BASE[Mnemonic.ADD.ordinal()];
    static final int C_SUB = CycleTable.BASE[Mnemonic.SUB.ordinal()];
    static final int C_AND = CycleTable.BASE[Mnemonic.AND.ordinal()];
    static final int C_OR = CycleTable.BASE[Mnemonic.OR.ordinal()];
    static final int C_XOR = CycleTable.BASE[Mnemonic.XOR.ordinal()];
    static final int C_CMP = CycleTable.BASE[Mnemonic.CMP.ordinal()];
    static final int C_TEST = CycleTable.BASE[Mnemonic.TEST.ordinal()];
    static final int C_INC = CycleTable.BASE[Mnemonic.INC.ordinal()];
    static final int C_DEC = CycleTable.BASE[Mnemonic.DEC.ordinal()];
    static final int C_SHL = CycleTable.BASE[Mnemonic.SHL.ordinal()];
    static final int C_SHR = CycleTable.BASE[Mnemonic.SHR.ordinal()];
    static final int C_SAR = CycleTable.BASE[Mnemonic.SAR.ordinal()];
    static final int C_ROL = CycleTable.BASE[Mnemonic.ROL.ordinal()];
    static final int C_ROR = CycleTable.BASE[Mnemonic.ROR.ordinal()];
    static final int C_JCC = CycleTable.BASE[Mnemonic.JCC.ordinal()];
    static final int C_JMP = CycleTable.BASE[Mnemonic.JMP.ordinal()];
    static final int C_CALL = CycleTable.BASE[Mnemonic.CALL.ordinal()];
    static final int C_RET = CycleTable.BASE[Mnemonic.RET.ordinal()];
    static final int C_PUSH = CycleTable.BASE[Mnemonic.PUSH.ordinal()];
    static final int C_POP = CycleTable.BASE[Mnemonic.POP.ordinal()];

    /**
     * Set in {@link #execute}'s result (above the cycle cost) for the forms that may have done
     * more than change registers, flags and RIP (a memory access, which may reach MMIO, and the
     * {@link Form#GENERIC} forms): only after those can the events model's deadline, the MMIO
     * counter or a stop request have changed.
     */
    static final int CHECK = 1 << 30;
    /** The cycle cost in {@link #execute}'s result. */
    static final int COST = FusedExec.PAIR - 1;

    private static final int RSP = 4;

    private final Cpu c;
    private final Exec x;
    private final Alu alu;
    private final long[] g;

    FormExec(Cpu c) {
        this.c = c;
        this.x = c.exec;
        this.alu = c.alu;
        this.g = c.gpr;
    }

    /** All ones in the low {@code size} bytes (size 1, 2, 4 or 8), as {@code Cpu.reg}. */
    private static long mask(int size) {
        return -1L >>> (64 - (size << 3));
    }

    /** SDM "General-Purpose Registers in 64-Bit Mode": the width rules of {@code Cpu.setReg}. */
    private void set(int r, int size, long v) {
        long m = mask(size);
        long keep = size >= 4 ? 0 : ~m;
        g[r] = (g[r] & keep) | (v & m);
    }

    private long get(int r, int size) {
        return g[r] & mask(size);
    }

    /**
     * The effective address, as {@code Exec.ea} computes it (PERF: the address-size truncation
     * is a mask, not a switch).
     */
    private long ea(DecodedInstruction d) {
        long a = d.memDisplacement;
        int base = d.memBase;
        if (base >= 0) {
            a += base == DecodedInstruction.BASE_RIP ? c.nextRip : g[base];
        }
        int index = d.memIndex;
        if (index >= 0) {
            a += g[index] * d.memScale;
        }
        int as = d.addressSize;
        return as == 8 ? a : a & mask(as);
    }

    private long load(DecodedInstruction d, int size) {
        return c.readMem(d.memSegment, ea(d), size);
    }

    private void store(DecodedInstruction d, int size, long v) {
        c.writeMem(d.memSegment, ea(d), size, v);
    }

    /**
     * {@code Exec.branchTarget} for 64-bit mode, where the page run runs
     * ({@link RunConditions#quiet}): SDM "Canonical Addressing": a non-canonical target is
     * #GP(0); a 16-bit or 32-bit operand size goes the general way.
     */
    private long target(DecodedInstruction d, long target) {
        if (d.operandSize != 8 || !Cpu.canonical(target)) {
            return x.branchTarget(d, target);
        }
        return target;
    }

    /**
     * SDM "Stack Behavior in 64-Bit Mode": in 64-bit mode (the page run's condition, see
     * {@link RunConditions#quiet}) the stack pointer is RSP, all 64 bits, whatever SS says;
     * RSP changes only once the access has succeeded, as {@code Cpu.push}.
     */
    private void push(long v, int size) {
        long sp = g[RSP] - size;
        c.writeMem(Cpu.SEG_SS, sp, size, v);
        g[RSP] = sp;
    }

    /** As {@link #push}: reads at RSP, then moves RSP, as {@code Cpu.pop}. */
    private long pop(int size) {
        long sp = g[RSP];
        long v = c.readMem(Cpu.SEG_SS, sp, size);
        g[RSP] = sp + size;
        return v;
    }

    /**
     * Executes {@code d} (form other than {@link Form#NONE}; {@code Cpu.nextRip} already set to
     * the next instruction) and returns its cycle cost ({@link #COST} bits), with {@link #CHECK}
     * set unless only registers, flags and RIP can have changed.
     */
    int execute(DecodedInstruction d) {
        int s = d.size0;
        switch (d.form) {
            case Form.MOV_RR:
                set(d.reg0, s, g[d.reg1]);
                return C_MOV;
            case Form.MOV_RI:
                set(d.reg0, s, d.immediate);
                return C_MOV;
            case Form.MOV_RM:
                set(d.reg0, s, load(d, d.size1));
                return C_MOV | CHECK;
            case Form.MOV_MR:
                store(d, s, get(d.reg1, d.size1));
                return C_MOV | CHECK;
            case Form.MOV_MI:
                store(d, s, d.immediate);
                return C_MOV | CHECK;
            case Form.MOVZX_RR:
                set(d.reg0, s, get(d.reg1, d.size1));
                return C_MOVZX;
            case Form.MOVZX_RM:
                set(d.reg0, s, load(d, d.size1));
                return C_MOVZX | CHECK;
            case Form.LEA:
                set(d.reg0, s, ea(d));
                return C_LEA;

            case Form.ADD_RR:
                set(d.reg0, s, alu.add(s, get(d.reg0, s), get(d.reg1, d.size1)));
                return C_ADD;
            case Form.ADD_RI:
                set(d.reg0, s, alu.add(s, get(d.reg0, s), d.immediate));
                return C_ADD;
            case Form.ADD_RM:
                set(d.reg0, s, alu.add(s, get(d.reg0, s), load(d, d.size1)));
                return C_ADD | CHECK;
            case Form.ADD_MR:
                store(d, s, alu.add(s, load(d, s), get(d.reg1, d.size1)));
                return C_ADD | CHECK;
            case Form.ADD_MI:
                store(d, s, alu.add(s, load(d, s), d.immediate));
                return C_ADD | CHECK;

            case Form.SUB_RR:
                set(d.reg0, s, alu.sub(s, get(d.reg0, s), get(d.reg1, d.size1)));
                return C_SUB;
            case Form.SUB_RI:
                set(d.reg0, s, alu.sub(s, get(d.reg0, s), d.immediate));
                return C_SUB;
            case Form.SUB_RM:
                set(d.reg0, s, alu.sub(s, get(d.reg0, s), load(d, d.size1)));
                return C_SUB | CHECK;
            case Form.SUB_MR:
                store(d, s, alu.sub(s, load(d, s), get(d.reg1, d.size1)));
                return C_SUB | CHECK;
            case Form.SUB_MI:
                store(d, s, alu.sub(s, load(d, s), d.immediate));
                return C_SUB | CHECK;

            case Form.AND_RR:
                set(d.reg0, s, alu.and(s, get(d.reg0, s), get(d.reg1, d.size1)));
                return C_AND;
            case Form.AND_RI:
                set(d.reg0, s, alu.and(s, get(d.reg0, s), d.immediate));
                return C_AND;
            case Form.AND_RM:
                set(d.reg0, s, alu.and(s, get(d.reg0, s), load(d, d.size1)));
                return C_AND | CHECK;
            case Form.AND_MR:
                store(d, s, alu.and(s, load(d, s), get(d.reg1, d.size1)));
                return C_AND | CHECK;
            case Form.AND_MI:
                store(d, s, alu.and(s, load(d, s), d.immediate));
                return C_AND | CHECK;

            case Form.OR_RR:
                set(d.reg0, s, alu.or(s, get(d.reg0, s), get(d.reg1, d.size1)));
                return C_OR;
            case Form.OR_RI:
                set(d.reg0, s, alu.or(s, get(d.reg0, s), d.immediate));
                return C_OR;
            case Form.OR_RM:
                set(d.reg0, s, alu.or(s, get(d.reg0, s), load(d, d.size1)));
                return C_OR | CHECK;
            case Form.OR_MR:
                store(d, s, alu.or(s, load(d, s), get(d.reg1, d.size1)));
                return C_OR | CHECK;
            case Form.OR_MI:
                store(d, s, alu.or(s, load(d, s), d.immediate));
                return C_OR | CHECK;

            case Form.XOR_RR:
                set(d.reg0, s, alu.xor(s, get(d.reg0, s), get(d.reg1, d.size1)));
                return C_XOR;
            case Form.XOR_RI:
                set(d.reg0, s, alu.xor(s, get(d.reg0, s), d.immediate));
                return C_XOR;
            case Form.XOR_RM:
                set(d.reg0, s, alu.xor(s, get(d.reg0, s), load(d, d.size1)));
                return C_XOR | CHECK;
            case Form.XOR_MR:
                store(d, s, alu.xor(s, load(d, s), get(d.reg1, d.size1)));
                return C_XOR | CHECK;
            case Form.XOR_MI:
                store(d, s, alu.xor(s, load(d, s), d.immediate));
                return C_XOR | CHECK;

            case Form.CMP_RR:
                alu.cmp(s, get(d.reg0, s), get(d.reg1, d.size1));
                return C_CMP;
            case Form.CMP_RI:
                alu.cmp(s, get(d.reg0, s), d.immediate);
                return C_CMP;
            case Form.CMP_RM:
                alu.cmp(s, get(d.reg0, s), load(d, d.size1));
                return C_CMP | CHECK;
            case Form.CMP_MR:
                alu.cmp(s, load(d, s), get(d.reg1, d.size1));
                return C_CMP | CHECK;
            case Form.CMP_MI:
                alu.cmp(s, load(d, s), d.immediate);
                return C_CMP | CHECK;

            case Form.TEST_RR:
                alu.test(s, get(d.reg0, s), get(d.reg1, d.size1));
                return C_TEST;
            case Form.TEST_RI:
                alu.test(s, get(d.reg0, s), d.immediate);
                return C_TEST;
            case Form.TEST_MR:
                alu.test(s, load(d, s), get(d.reg1, d.size1));
                return C_TEST | CHECK;
            case Form.TEST_MI:
                alu.test(s, load(d, s), d.immediate);
                return C_TEST | CHECK;

            case Form.INC_R:
                set(d.reg0, s, alu.inc(s, get(d.reg0, s)));
                return C_INC;
            case Form.DEC_R:
                set(d.reg0, s, alu.dec(s, get(d.reg0, s)));
                return C_DEC;
            case Form.SHL_RI:
                set(d.reg0, s, alu.shl(s, get(d.reg0, s), d.immediate));
                return C_SHL;
            case Form.SHR_RI:
                set(d.reg0, s, alu.shr(s, get(d.reg0, s), d.immediate));
                return C_SHR;
            case Form.SAR_RI:
                set(d.reg0, s, alu.sar(s, get(d.reg0, s), d.immediate));
                return C_SAR;
            case Form.ROL_RI:
                set(d.reg0, s, alu.rol(s, get(d.reg0, s), d.immediate));
                return C_ROL;
            case Form.ROR_RI:
                set(d.reg0, s, alu.ror(s, get(d.reg0, s), d.immediate));
                return C_ROR;

            case Form.JCC:
                if (c.flags.condition(d.condition)) {
                    c.nextRip = target(d, c.nextRip + d.immediate);
                    return C_JCC + CycleTable.TAKEN_BRANCH;
                }
                return C_JCC;
            case Form.JMP_REL:
                c.nextRip = target(d, c.nextRip + d.immediate);
                return C_JMP + CycleTable.TAKEN_BRANCH;
            case Form.CALL_REL: {
                // SDM "CALL": the target is checked before the return address is pushed
                long target = target(d, c.nextRip + d.immediate);
                push(c.nextRip, d.operandSize);
                c.nextRip = target;
                return C_CALL + CycleTable.TAKEN_BRANCH | CHECK;
            }
            case Form.RET: {
                int size = d.operandSize;
                // SDM "RET": the target is checked before RSP moves
                long sp = g[RSP];
                long target = target(d, c.readMem(Cpu.SEG_SS, sp, size));
                g[RSP] = sp + size;
                c.nextRip = target;
                return C_RET + CycleTable.TAKEN_BRANCH | CHECK;
            }
            case Form.PUSH_R:
                push(get(d.reg0, s), d.operandSize);
                return C_PUSH | CHECK;
            case Form.POP_R:
                set(d.reg0, d.operandSize, pop(d.operandSize));
                return C_POP | CHECK;
            default:
                x.execute(d);
                return x.cost | CHECK;
        }
    }
}
