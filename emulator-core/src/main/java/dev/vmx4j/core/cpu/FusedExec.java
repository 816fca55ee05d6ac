package dev.vmx4j.core.cpu;

import dev.vmx4j.core.cpu.alu.Alu;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Form;

/**
 * Fused pairs for the page run ({@link PageRun}): two adjacent instructions on one code page
 * whose first is a register-only form (nothing in it can fault or stop the run) executed with one
 * dispatch. The pairs are chosen when the decode cache validates the second
 * ({@link #pair}); the effect is exactly {@link FormExec#execute} of the first, then of the
 * second: the same {@link Alu} methods, the same cycle costs, two retired instructions.
 *
 * <p>A second instruction that would fault (a Jcc to a non-canonical target, or with a 16-bit or
 * 32-bit operand size) is not run here: {@link #execute} then returns the first's cost alone,
 * without {@link #PAIR}, and the page run runs the second the ordinary way.
 */
final class FusedExec {

    /** No pair. */
    static final int NONE = 0;
    static final int DEC_JCC = 1;
    static final int TEST_RI_JCC = 2;
    static final int TEST_RR_JCC = 3;
    static final int CMP_RI_JCC = 4;
    static final int CMP_RR_JCC = 5;
    static final int SUB_RI_JCC = 6;
    static final int MOV_RR_SHL_RI = 7;
    static final int MOV_RR_SHR_RI = 8;
    static final int MOV_RR_AND_RI = 9;
    /** Any register-only form that does not branch ({@link #registerOnly}), then JMP rel. */
    static final int REG_JMP = 10;

    /** Set in {@link #execute}'s result when both instructions ran (then the cost is both). */
    static final int PAIR = 1 << 29;

    /**
     * The largest cost of a pair's first instruction: the page run fuses only while the cycle
     * bound leaves room for it, so the second runs exactly when the step loop would run it.
     */
    static final int MAX_FIRST = maxFirst();

    private static int maxFirst() {
        int[] costs = {FormExec.C_MOV, FormExec.C_MOVZX, FormExec.C_LEA, FormExec.C_ADD, FormExec.C_SUB,
            FormExec.C_AND, FormExec.C_OR, FormExec.C_XOR, FormExec.C_CMP, FormExec.C_TEST, FormExec.C_INC,
            FormExec.C_DEC, FormExec.C_SHL, FormExec.C_SHR, FormExec.C_SAR, FormExec.C_ROL, FormExec.C_ROR};
        int max = 0;
        for (int cost : costs) {
            max = Math.max(max, cost);
        }
        return max;
    }

    private final Cpu c;
    private final FormExec forms;
    private final Alu alu;
    private final long[] g;

    FusedExec(Cpu c, FormExec forms) {
        this.c = c;
        this.forms = forms;
        this.alu = c.alu;
        this.g = c.gpr;
    }

    /** The kind of pair {@code first} then {@code second} make, or {@link #NONE}. */
    static int kind(DecodedInstruction first, DecodedInstruction second) {
        int f = first.form;
        switch (second.form) {
            case Form.JCC:
                return f == Form.DEC_R ? DEC_JCC
                        : f == Form.TEST_RI ? TEST_RI_JCC
                        : f == Form.TEST_RR ? TEST_RR_JCC
                        : f == Form.CMP_RI ? CMP_RI_JCC
                        : f == Form.CMP_RR ? CMP_RR_JCC
                        : f == Form.SUB_RI ? SUB_RI_JCC
                        : NONE;
            case Form.SHL_RI:
                return f == Form.MOV_RR ? MOV_RR_SHL_RI : NONE;
            case Form.SHR_RI:
                return f == Form.MOV_RR ? MOV_RR_SHR_RI : NONE;
            case Form.AND_RI:
                return f == Form.MOV_RR ? MOV_RR_AND_RI : NONE;
            case Form.JMP_REL:
                return registerOnly(f) ? REG_JMP : NONE;
            default:
                return NONE;
        }
    }

    /**
     * The forms whose {@link FormExec#execute} changes only registers, flags and RIP (no
     * {@link FormExec#CHECK}), cannot fault and does not branch: the next instruction follows.
     */
    static boolean registerOnly(int form) {
        switch (form) {
            case Form.MOV_RR: case Form.MOV_RI: case Form.MOVZX_RR: case Form.LEA:
            case Form.ADD_RR: case Form.ADD_RI: case Form.SUB_RR: case Form.SUB_RI:
            case Form.AND_RR: case Form.AND_RI: case Form.OR_RR: case Form.OR_RI:
            case Form.XOR_RR: case Form.XOR_RI: case Form.CMP_RR: case Form.CMP_RI:
            case Form.TEST_RR: case Form.TEST_RI: case Form.INC_R: case Form.DEC_R:
            case Form.SHL_RI: case Form.SHR_RI: case Form.SAR_RI: case Form.ROL_RI: case Form.ROR_RI:
                return true;
            default:
                return false;
        }
    }

    /**
     * Links {@code first} to {@code second} (decoded at the offset right after it, on the same
     * code page) if they make a pair, else unlinks it.
     */
    static void pair(DecodedInstruction first, DecodedInstruction second) {
        int k = kind(first, second);
        first.fusion = k;
        first.fused = k == NONE ? null : second;
    }

    // PERF: mask/set/get repeat FormExec's three lines on purpose: calling FormExec's (package-
    // private) copies instead measured 5 % slower on bench-int (interpreter, three back-to-back
    // pairs at load 1: 3.27-3.39 s against 3.13-3.17 s): one more call level for C2 to inline.
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
     * Executes {@code d} and then {@code e = d.fused} ({@code Cpu.nextRip} already set past
     * {@code d}); returns both costs with {@link #PAIR} and {@code Cpu.nextRip} past {@code e}
     * (or its branch target), or, when {@code e} would fault, {@code d}'s cost alone with
     * {@code Cpu.nextRip} still at {@code e}.
     */
    int execute(DecodedInstruction d, DecodedInstruction e) {
        int s = d.size0;
        switch (d.fusion) {
            case DEC_JCC:
                set(d.reg0, s, alu.dec(s, get(d.reg0, s)));
                return jcc(e, FormExec.C_DEC);
            case TEST_RI_JCC:
                alu.test(s, get(d.reg0, s), d.immediate);
                return jcc(e, FormExec.C_TEST);
            case TEST_RR_JCC:
                alu.test(s, get(d.reg0, s), get(d.reg1, d.size1));
                return jcc(e, FormExec.C_TEST);
            case CMP_RI_JCC:
                alu.cmp(s, get(d.reg0, s), d.immediate);
                return jcc(e, FormExec.C_CMP);
            case CMP_RR_JCC:
                alu.cmp(s, get(d.reg0, s), get(d.reg1, d.size1));
                return jcc(e, FormExec.C_CMP);
            case SUB_RI_JCC:
                set(d.reg0, s, alu.sub(s, get(d.reg0, s), d.immediate));
                return jcc(e, FormExec.C_SUB);
            case MOV_RR_SHL_RI: {
                set(d.reg0, s, g[d.reg1]);
                int t = e.size0;
                set(e.reg0, t, alu.shl(t, get(e.reg0, t), e.immediate));
                c.nextRip += e.length;
                return FormExec.C_MOV + FormExec.C_SHL | PAIR;
            }
            case MOV_RR_SHR_RI: {
                set(d.reg0, s, g[d.reg1]);
                int t = e.size0;
                set(e.reg0, t, alu.shr(t, get(e.reg0, t), e.immediate));
                c.nextRip += e.length;
                return FormExec.C_MOV + FormExec.C_SHR | PAIR;
            }
            case MOV_RR_AND_RI: {
                set(d.reg0, s, g[d.reg1]);
                int t = e.size0;
                set(e.reg0, t, alu.and(t, get(e.reg0, t), e.immediate));
                c.nextRip += e.length;
                return FormExec.C_MOV + FormExec.C_AND | PAIR;
            }
            case REG_JMP: {
                int first = forms.execute(d);
                // SDM "JMP": a non-canonical target is #GP(0), which only the ordinary path raises
                long target = c.nextRip + e.length + e.immediate;
                if (e.operandSize != 8 || !Cpu.canonical(target)) {
                    return first;
                }
                c.nextRip = target;
                return first + FormExec.C_JMP + CycleTable.TAKEN_BRANCH | PAIR;
            }
            default:
                throw new IllegalStateException("fused pair kind " + d.fusion);
        }
    }

    /**
     * The Jcc {@code e} after a first instruction of cost {@code first}: SDM "Jcc": a taken
     * branch to a non-canonical target is #GP(0), which only the ordinary path raises.
     */
    private int jcc(DecodedInstruction e, int first) {
        if (!c.flags.condition(e.condition)) {
            c.nextRip += e.length;
            return first + FormExec.C_JCC | PAIR;
        }
        long target = c.nextRip + e.length + e.immediate;
        if (e.operandSize != 8 || !Cpu.canonical(target)) {
            return first;
        }
        c.nextRip = target;
        return first + FormExec.C_JCC + CycleTable.TAKEN_BRANCH | PAIR;
    }
}
