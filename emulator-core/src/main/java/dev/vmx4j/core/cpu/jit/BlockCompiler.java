package dev.vmx4j.core.cpu.jit;

import static dev.vmx4j.core.cpu.Cpu.SEG_FS;
import static dev.vmx4j.core.cpu.Cpu.SEG_GS;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Emits the class of one translated block: a subclass of {@code dev.vmx4j.core.cpu.TranslatedBlock}
 * in the CPU's package (it is defined there as a hidden class) with {@code void run(Cpu c)}.
 *
 * <p>What the generated code does, per instruction, so that every result equals the interpreter's:
 * <ul>
 *   <li>the hot forms of MOV, MOVZX, LEA, ADD, SUB, AND, OR, XOR, CMP, TEST, INC, DEC, SHL, SHR,
 *       SAR, ROL, ROR
 *       (register, immediate and memory operands) and PUSH/POP of a register are inlined:
 *       registers straight from {@code Cpu.gpr}, arithmetic through the same {@code Alu} methods
 *       (lazy flags), memory through {@code BlockMemory} (the accesses of {@code Cpu.readMem}/{@code writeMem}/{@code push}/{@code pop} in 64-bit mode);
 *       a run of two or more PUSH r64 (or POP r64) is one call of {@code StackRun.push}/{@code pop}
 *       (one TLB test for the whole stack range, else the instructions one by one);
 *       Jcc, JMP rel and CALL rel at the block end are inlined with their targets as constants,
 *       RET through {@code Cpu.peek}/{@code pop} and {@code Exec.branchTarget};</li>
 *   <li>every other instruction calls {@code Exec.execute} on its decoded instruction, a
 *       constant of the class;</li>
 *   <li>cycles, retired instructions and steps are added in batches, always flushed before an
 *       instruction that can fault (with {@code Cpu.rip} set to it), so a fault leaves exactly
 *       the interpreter's state;</li>
 *   <li>after each instruction that touched memory, the block ends early if its code page was
 *       written (self-modifying code) or a device register was accessed (MMIO may change the
 *       pending events).</li>
 * </ul>
 */
public final class BlockCompiler {

    private static final String CPU = "dev/vmx4j/core/cpu/Cpu";
    private static final String EXEC = "dev/vmx4j/core/cpu/Exec";
    private static final String BLOCK_MEMORY = "dev/vmx4j/core/cpu/BlockMemory";
    private static final String STACK_RUN = "dev/vmx4j/core/cpu/StackRun";
    /** The shortest run of PUSH r64 or POP r64 made one call (a single one stays inline). */
    private static final int MIN_STACK_RUN = 2;
    /** The longest run in one call: sixteen registers or lengths of four bits fill a long. */
    private static final int MAX_STACK_RUN = 16;
    private static final String SEGMENT = "dev/vmx4j/core/cpu/SegmentState";
    private static final String BASE = "dev/vmx4j/core/cpu/TranslatedBlock";
    private static final String ALU = "dev/vmx4j/core/cpu/alu/Alu";
    private static final String FLAGS = "dev/vmx4j/core/cpu/alu/LazyFlags";
    private static final String MEMORY = "dev/vmx4j/core/memory/GuestMemory";
    private static final String PAGE = "dev/vmx4j/core/cpu/DecodeCache$CodePage";
    // PERF: a literal, not Type.getInternalName(DecodedInstruction.class): OW2 ASM's Type class is
    // then never loaded (a class less to load and verify at the first translated block)
    private static final String INSN = "dev/vmx4j/core/decoder/DecodedInstruction";
    private static final String INSN_DESC = "L" + INSN + ";";

    // locals of run(Cpu, long, long)
    private static final int THIS = 0;
    private static final int C = 1;
    private static final int STEP_END = 2;  // long: 2-3
    private static final int LIMIT = 4;     // long: 4-5
    private static final int G = 6;
    private static final int ALU_L = 7;
    private static final int MEM_L = 8;
    private static final int MMIO0 = 9;     // long: 9-10
    private static final int EA = 11;       // long: 11-12
    private static final int TMP = 13;      // long: 13-14
    private static final int MAX_LOCALS = 15;
    /**
     * An upper bound of the operand stack depth of run(Cpu): the deepest sequences are a stack
     * run's call (Cpu, four longs, two ints and the page: 12 slots) and an ALU call with a memory
     * operand (Alu, size, a long, then for the read Cpu, the segment, the address (a long), while
     * an FS/GS base is added Cpu.seg, the index and then the base (a long): 11 slots);
     * 16 leaves a margin (the verifier rejects a class whose stack exceeds it, which the
     * translator tests would show).
     */
    private static final int MAX_STACK = 16;
    /** The slots of the <clinit> and <init> methods. */
    private static final int INIT_STACK = 4;

    private static final int TAKEN_BRANCH = 1;

    private final DecodedInstruction[] insns;
    private final long[] predictedReturn;
    private final long[] rips;
    private final int[] costs;
    private final int count;
    private final long frame;
    private MethodVisitor mv;
    /** Cycles and instructions retired since the last flush (compile-time constants). */
    private long pendingCycles;
    private int pendingCount;

    /**
     * @param trace the block's instructions (the class keeps the decoded instructions as
     *              constants; the caller must not change them afterwards)
     * @param frame the physical frame of the code page, checked after memory accesses
     */
    public BlockCompiler(Trace trace, long frame) {
        this.insns = trace.insns;
        this.predictedReturn = trace.predictedReturn;
        this.rips = trace.rips;
        this.costs = trace.costs;
        this.count = trace.count;
        this.frame = frame;
    }

    /** The class bytes; {@code internalName} must lie in the package {@code dev/vmx4j/core/cpu}. */
    public byte[] compile(String internalName) {
        // PERF: no COMPUTE_FRAMES/COMPUTE_MAXS: ASM's data-flow analysis ran in cold code for every
        // block; the generator knows its frames (one shape everywhere, see #mark) and its maxima
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null, BASE, null);
        for (int i = 0; i < count; i++) {
            cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_PRIVATE, "D" + i, INSN_DESC, null, null)
                    .visitEnd();
        }
        cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_PRIVATE, "P", "L" + PAGE + ";", null, null)
                .visitEnd();
        emitClassInit(cw, internalName);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, BASE, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();
        emitRun(cw, internalName);
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Class data: Object[] { D0 .. Dn-1, page }. */
    private void emitClassInit(ClassWriter cw, String name) {
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        m.visitCode();
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, BASE, "classData",
                "(Ljava/lang/invoke/MethodHandles$Lookup;)[Ljava/lang/Object;", false);
        m.visitVarInsn(Opcodes.ASTORE, 0);
        for (int i = 0; i <= count; i++) {
            m.visitVarInsn(Opcodes.ALOAD, 0);
            pushInt(m, i);
            m.visitInsn(Opcodes.AALOAD);
            String type = i < count ? INSN : PAGE;
            m.visitTypeInsn(Opcodes.CHECKCAST, type);
            m.visitFieldInsn(Opcodes.PUTSTATIC, name, i < count ? "D" + i : "P", "L" + type + ";");
        }
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(INIT_STACK, 1);
        m.visitEnd();
    }

    private String className;
    /** The locals of run(Cpu, long, long) once initialized (the frame at every label). */
    private Object[] frameLocals;
    /** The block's first instruction (a branch back to it loops inside the block). */
    private Label loopStart;

    /** Whether run(Cpu)'s first frame is written (the others are "same as the previous"). */
    private boolean firstFrameWritten;

    /**
     * Places a jump target with its stack map frame: every label of run(Cpu) has the same
     * frame (all locals set, the operand stack empty). The NOP keeps two labels from sharing an
     * offset (two frames at one offset are invalid). PERF: the first frame (at the block's start,
     * the lowest offset of them all) is written in full and every later one as F_SAME, which ASM
     * writes as one byte; an expanded (F_NEW) frame per label made ASM convert and compare the
     * ten locals each time.
     */
    private void mark(Label l) {
        mv.visitLabel(l);
        if (firstFrameWritten) {
            mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        } else {
            mv.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 0, null);
            firstFrameWritten = true;
        }
        mv.visitInsn(Opcodes.NOP);
    }

    private void emitRun(ClassWriter cw, String name) {
        className = name;
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "run", "(L" + CPU + ";JJ)V", null, null);
        mv.visitCode();
        // long[] g = c.gpr; Alu alu = c.alu; GuestMemory mem = c.memory; long mmio0 = mem.mmioAccessCount();
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "gpr", "[J");
        mv.visitVarInsn(Opcodes.ASTORE, G);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "alu", "L" + ALU + ";");
        mv.visitVarInsn(Opcodes.ASTORE, ALU_L);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "memory", "L" + MEMORY + ";");
        mv.visitInsn(Opcodes.DUP);
        mv.visitVarInsn(Opcodes.ASTORE, MEM_L);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, MEMORY, "mmioAccessCount", "()J", false);
        mv.visitVarInsn(Opcodes.LSTORE, MMIO0);
        // ea = tmp = 0: every local has its type from here on, so one frame fits every label
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitVarInsn(Opcodes.LSTORE, EA);
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitVarInsn(Opcodes.LSTORE, TMP);
        frameLocals = new Object[] {name, CPU, Opcodes.LONG, Opcodes.LONG, "[J", ALU, MEMORY, Opcodes.LONG,
            Opcodes.LONG, Opcodes.LONG};
        pendingCycles = 0;
        pendingCount = 0;
        loopStart = new Label();
        firstFrameWritten = false;
        mark(loopStart);
        emitTrace();
        mv.visitMaxs(MAX_STACK, MAX_LOCALS);
        mv.visitEnd();
    }

    // ---------------------------------------------------------------- the trace

    /** True for a near JMP, Jcc, CALL or RET: the last instruction of a trace, or one it follows. */
    public static boolean isBranch(DecodedInstruction d) {
        Mnemonic m = d.mnemonic;
        return m == Mnemonic.JMP || m == Mnemonic.JCC || m == Mnemonic.CALL || m == Mnemonic.RET;
    }

    /** Emits the trace's instructions in order; every path ends with RIP set and a RETURN. */
    private void emitTrace() {
        for (int k = 0; k < count; k++) {
            DecodedInstruction d = insns[k];
            int run = stackRunLength(k);
            if (run >= MIN_STACK_RUN) {
                emitStackRun(k, run);
                k += run - 1;
                if (k == count - 1) {
                    setRip(rips[k] + insns[k].length);
                    mv.visitInsn(Opcodes.RETURN);
                }
                continue;
            }
            if (k == count - 1) {
                if (isBranch(d)) {
                    emitBranch(k);
                } else {
                    emitInstruction(k);
                    flush();
                    setRip(rips[k] + d.length);
                }
                mv.visitInsn(Opcodes.RETURN);
            } else if (d.mnemonic == Mnemonic.JMP) {
                // SDM "JMP": a relative jump the trace follows: only the counters
                pendingCycles += costs[k] + TAKEN_BRANCH;
                pendingCount++;
            } else if (d.mnemonic == Mnemonic.CALL) {
                emitTracedCall(k, rips[k] + d.length, rips[k + 1]);
            } else if (d.mnemonic == Mnemonic.RET) {
                emitPredictedRet(k);
            } else {
                emitInstruction(k);
            }
        }
    }

    /** SDM "CALL": a relative call the trace follows: the return address pushed (may fault), then the callee inline. */
    private void emitTracedCall(int k, long next, long target) {
        flush();
        setRip(rips[k]);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        pushLong(next);
        pushInt(mv, 8);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "push", "(L" + CPU + ";JI)V", false);
        pendingCycles += costs[k] + TAKEN_BRANCH;
        pendingCount++;
        // the push may have written the code page or a device
        exitCheck(target);
    }

    /**
     * SDM "RET": the return address is read at RSP; if it is the one the trace predicts (the
     * traced CALL's) and no device was read, RSP moves past it and the trace goes on there;
     * otherwise the interpreter's RET (checked target, pop) and the block ends.
     */
    private void emitPredictedRet(int k) {
        flush();
        setRip(rips[k]);
        Label general = new Label();
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitInsn(Opcodes.LCONST_0);
        pushInt(mv, 8);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "peek", "(L" + CPU + ";JI)J", false);
        mv.visitInsn(Opcodes.DUP2);
        mv.visitVarInsn(Opcodes.LSTORE, TMP);
        pushLong(predictedReturn[k]);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFNE, general);
        mv.visitVarInsn(Opcodes.ALOAD, MEM_L);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, MEMORY, "mmioAccessCount", "()J", false);
        mv.visitVarInsn(Opcodes.LLOAD, MMIO0);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFNE, general);
        // predicted: RSP += 8 (64-bit stack), as Cpu.pop after the same successful read
        Label on = new Label();
        mv.visitVarInsn(Opcodes.ALOAD, G);
        pushInt(mv, 4);
        mv.visitInsn(Opcodes.DUP2);
        mv.visitInsn(Opcodes.LALOAD);
        pushLong(8);
        mv.visitInsn(Opcodes.LADD);
        mv.visitInsn(Opcodes.LASTORE);
        mv.visitJumpInsn(Opcodes.GOTO, on);
        mark(general);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "exec", "L" + EXEC + ";");
        mv.visitFieldInsn(Opcodes.GETSTATIC, className, "D" + k, INSN_DESC);
        mv.visitVarInsn(Opcodes.LLOAD, TMP);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, EXEC, "branchTarget", "(" + INSN_DESC + "J)J", false);
        mv.visitVarInsn(Opcodes.LSTORE, TMP);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        pushInt(mv, 8);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "pop", "(L" + CPU + ";I)J", false);
        mv.visitInsn(Opcodes.POP2);
        emitCounters(costs[k] + TAKEN_BRANCH, 1);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitVarInsn(Opcodes.LLOAD, TMP);
        mv.visitFieldInsn(Opcodes.PUTFIELD, CPU, "rip", "J");
        mv.visitInsn(Opcodes.RETURN);
        mark(on);
        pendingCycles += costs[k] + TAKEN_BRANCH;
        pendingCount++;
    }

    // ---------------------------------------------------------------- PUSH/POP runs

    /**
     * The number of instructions from {@code k} on that form one stack run: consecutive PUSH r64
     * (or POP r64) of registers other than RSP with one cycle cost, at most
     * {@link #MAX_STACK_RUN}.
     */
    private int stackRunLength(int k) {
        Mnemonic m = insns[k].mnemonic;
        if (m != Mnemonic.PUSH && m != Mnemonic.POP) {
            return 0;
        }
        int n = 0;
        long next = rips[k];
        while (k + n < count && n < MAX_STACK_RUN && insns[k + n].mnemonic == m && stackRunMember(insns[k + n])
                && costs[k + n] == costs[k] && rips[k + n] == next) {
            next += insns[k + n].length;
            n++;
        }
        return n;
    }

    /** PUSH r64 or POP r64 of a register other than RSP (POP RSP and PUSH RSP see RSP change). */
    private static boolean stackRunMember(DecodedInstruction d) {
        return d.operandCount == 1 && d.kind[0] == OperandKind.REG && d.operandSize == 8 && d.size[0] == 8
                && d.reg[0] != 4 && d.length <= 0xF;
    }

    private void emitStackRun(int k, int n) {
        flush();
        long regs = 0;
        long lengths = 0;
        for (int i = 0; i < n; i++) {
            regs |= (long) insns[k + i].reg[0] << (4 * i);
            lengths |= (long) insns[k + i].length << (4 * i);
        }
        mv.visitVarInsn(Opcodes.ALOAD, C);
        pushLong(regs);
        pushInt(mv, n);
        pushLong(rips[k]);
        pushLong(lengths);
        pushInt(mv, costs[k]);
        mv.visitFieldInsn(Opcodes.GETSTATIC, className, "P", "L" + PAGE + ";");
        pushLong(frame);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, STACK_RUN, insns[k].mnemonic == Mnemonic.PUSH ? "push" : "pop",
                "(L" + CPU + ";JIJJIL" + PAGE + ";J)Z", false);
        Label stay = new Label();
        mv.visitJumpInsn(Opcodes.IFNE, stay);
        mv.visitInsn(Opcodes.RETURN);
        mark(stay);
    }

    // ---------------------------------------------------------------- instructions

    private void emitInstruction(int i) {
        DecodedInstruction d = insns[i];
        long next = rips[i] + d.length;
        boolean mem = touchesMemory(d);
        if (inlinable(d)) {
            if (mem) {
                flush();
                setRip(rips[i]);
            }
            emitInline(d, next);
            pendingCycles += costs[i];
            pendingCount++;
            if (mem) {
                exitCheck(next);
            }
            return;
        }
        emitGeneric(i, next);
        exitCheck(next);
    }

    /** Exec.execute(D_i) with RIP and next RIP set; then the cycles it charged and one retired instruction. */
    private void emitGeneric(int i, long next) {
        flush();
        setRip(rips[i]);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        pushLong(next);
        mv.visitFieldInsn(Opcodes.PUTFIELD, CPU, "nextRip", "J");
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "exec", "L" + EXEC + ";");
        mv.visitInsn(Opcodes.DUP);
        mv.visitFieldInsn(Opcodes.GETSTATIC, className, "D" + i, INSN_DESC);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, EXEC, "execute", "(" + INSN_DESC + ")V", false);
        // c.cycles += exec.cost
        mv.visitFieldInsn(Opcodes.GETFIELD, EXEC, "cost", "I");
        mv.visitInsn(Opcodes.I2L);
        mv.visitVarInsn(Opcodes.LSTORE, TMP);
        addField("cycles", TMP);
        pendingCount++;
        flush();
    }

    /** The last instruction: a near JMP, Jcc, CALL or RET. */
    private void emitBranch(int i) {
        DecodedInstruction d = insns[i];
        long next = rips[i] + d.length;
        if ((d.mnemonic == Mnemonic.JCC || d.mnemonic == Mnemonic.JMP) && d.kind[0] == OperandKind.REL) {
            long target = next + d.immediate;
            if (d.operandSize == 2) {
                target &= 0xFFFFL;
            } else if (d.operandSize == 4) {
                target &= 0xFFFFFFFFL;
            }
            if (canonical(target)) {
                long notTaken = pendingCycles + costs[i];
                int n = pendingCount + 1;
                pendingCycles = 0;
                pendingCount = 0;
                if (d.mnemonic == Mnemonic.JMP) {
                    emitCounters(notTaken + 1, n);
                    setRip(target);
                    loopIfBackToStart(target);
                    return;
                }
                Label taken = new Label();
                Label done = new Label();
                mv.visitVarInsn(Opcodes.ALOAD, C);
                mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "flags", "L" + FLAGS + ";");
                pushInt(mv, d.condition);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, FLAGS, "condition", "(I)Z", false);
                mv.visitJumpInsn(Opcodes.IFNE, taken);
                emitCounters(notTaken, n);
                setRip(next);
                mv.visitJumpInsn(Opcodes.GOTO, done);
                mark(taken);
                emitCounters(notTaken + 1, n);
                setRip(target);
                loopIfBackToStart(target);
                mark(done);
                return;
            }
        }
        if (d.mnemonic == Mnemonic.CALL && d.operandCount == 1 && d.kind[0] == OperandKind.REL) {
            long target = truncate(next + d.immediate, d.operandSize);
            if (canonical(target)) {
                // SDM "CALL": push the return address (may fault: RIP and counters first), jump
                flush();
                setRip(rips[i]);
                mv.visitVarInsn(Opcodes.ALOAD, C);
                pushLong(next);
                pushInt(mv, d.operandSize);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "push", "(L" + CPU + ";JI)V", false);
                emitCounters(costs[i] + 1, 1);
                setRip(target);
                return;
            }
        }
        if (d.mnemonic == Mnemonic.RET && d.operandCount == 0) {
            // SDM "RET": the target is read and checked (Exec.branchTarget), then popped
            flush();
            setRip(rips[i]);
            mv.visitVarInsn(Opcodes.ALOAD, C);
            mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "exec", "L" + EXEC + ";");
            mv.visitFieldInsn(Opcodes.GETSTATIC, className, "D" + i, INSN_DESC);
            mv.visitVarInsn(Opcodes.ALOAD, C);
            mv.visitInsn(Opcodes.LCONST_0);
            pushInt(mv, d.operandSize);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "peek", "(L" + CPU + ";JI)J", false);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, EXEC, "branchTarget", "(" + INSN_DESC + "J)J", false);
            mv.visitVarInsn(Opcodes.LSTORE, TMP);
            mv.visitVarInsn(Opcodes.ALOAD, C);
            pushInt(mv, d.operandSize);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "pop", "(L" + CPU + ";I)J", false);
            mv.visitInsn(Opcodes.POP2);
            emitCounters(costs[i] + 1, 1);
            mv.visitVarInsn(Opcodes.ALOAD, C);
            mv.visitVarInsn(Opcodes.LLOAD, TMP);
            mv.visitFieldInsn(Opcodes.PUTFIELD, CPU, "rip", "J");
            return;
        }
        if ((d.mnemonic == Mnemonic.JMP || d.mnemonic == Mnemonic.CALL) && d.operandCount == 1 && d.operandSize == 8
                && d.size[0] == 8 && (d.kind[0] == OperandKind.REG || d.kind[0] == OperandKind.MEM)) {
            // SDM "JMP"/"CALL": an indirect near branch: the target read from the operand and
            // checked (Exec.branchTarget: #GP(0) if not canonical), then CALL pushes the return
            // address; each may fault, so RIP and the counters first
            flush();
            setRip(rips[i]);
            if (d.kind[0] == OperandKind.MEM) {
                emitEa(d, next);
                mv.visitVarInsn(Opcodes.LSTORE, EA);
            }
            mv.visitVarInsn(Opcodes.ALOAD, C);
            mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "exec", "L" + EXEC + ";");
            mv.visitFieldInsn(Opcodes.GETSTATIC, className, "D" + i, INSN_DESC);
            readOperand(d, 0);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, EXEC, "branchTarget", "(" + INSN_DESC + "J)J", false);
            mv.visitVarInsn(Opcodes.LSTORE, TMP);
            if (d.mnemonic == Mnemonic.CALL) {
                mv.visitVarInsn(Opcodes.ALOAD, C);
                pushLong(next);
                pushInt(mv, 8);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "push", "(L" + CPU + ";JI)V", false);
            }
            emitCounters(costs[i] + TAKEN_BRANCH, 1);
            mv.visitVarInsn(Opcodes.ALOAD, C);
            mv.visitVarInsn(Opcodes.LLOAD, TMP);
            mv.visitFieldInsn(Opcodes.PUTFIELD, CPU, "rip", "J");
            return;
        }
        emitGeneric(i, next);
        // c.rip = c.nextRip
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "nextRip", "J");
        mv.visitFieldInsn(Opcodes.PUTFIELD, CPU, "rip", "J");
    }

    /**
     * At a taken branch to the block's own start (RIP and the counters already set): runs the
     * block again without returning if it fits as the chain loop's test would let it
     * ({@code Translator.runChain}: the step budget, and the cycle bound of the chain, which is
     * the cycle budget or the next timer event, whichever is first). Nothing else the chain
     * tests can have changed: a write to the code page or an MMIO access would have left the
     * block after the instruction that did it.
     */
    private void loopIfBackToStart(long target) {
        if (target != rips[0]) {
            return;
        }
        Label leave = new Label();
        // stepEnd - c.steps >= this.instructions
        mv.visitVarInsn(Opcodes.LLOAD, STEP_END);
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "steps", "J");
        mv.visitInsn(Opcodes.LSUB);
        mv.visitVarInsn(Opcodes.ALOAD, THIS);
        mv.visitFieldInsn(Opcodes.GETFIELD, BASE, "instructions", "I");
        mv.visitInsn(Opcodes.I2L);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFLT, leave);
        // c.cycles + this.maxCycles < limit
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "cycles", "J");
        mv.visitVarInsn(Opcodes.ALOAD, THIS);
        mv.visitFieldInsn(Opcodes.GETFIELD, BASE, "maxCycles", "J");
        mv.visitInsn(Opcodes.LADD);
        mv.visitVarInsn(Opcodes.LLOAD, LIMIT);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFLT, loopStart);
        mark(leave);
    }

    /** True if this compiler inlines {@code d} (else it calls Exec.execute). */
    static boolean inlinable(DecodedInstruction d) {
        switch (d.mnemonic) {
            case MOV:
            case MOVZX:
                return d.operandCount == 2 && writable(d.kind[0]) && readable(d.kind[1])
                        && !(d.kind[0] == OperandKind.MEM && d.kind[1] == OperandKind.MEM);
            case LEA:
                return d.operandCount == 2 && d.kind[0] == OperandKind.REG && d.kind[1] == OperandKind.MEM;
            case ADD:
            case SUB:
            case AND:
            case OR:
            case XOR:
            case CMP:
            case TEST:
            case SHL:
            case SHR:
            case SAR:
            case ROL:
            case ROR:
                return d.operandCount == 2 && writable(d.kind[0]) && readable(d.kind[1])
                        && !(d.kind[0] == OperandKind.MEM && d.kind[1] == OperandKind.MEM);
            case INC:
            case DEC:
                return d.operandCount == 1 && writable(d.kind[0]);
            case PUSH:
            case POP:
                return d.operandCount == 1 && d.kind[0] == OperandKind.REG;
            default:
                return false;
        }
    }

    private static boolean writable(int kind) {
        return kind == OperandKind.REG || kind == OperandKind.REG8_HIGH || kind == OperandKind.MEM;
    }

    private static boolean readable(int kind) {
        return writable(kind) || kind == OperandKind.IMM;
    }

    private static boolean touchesMemory(DecodedInstruction d) {
        if (d.mnemonic == Mnemonic.LEA) {
            return false;
        }
        if (d.mnemonic == Mnemonic.PUSH || d.mnemonic == Mnemonic.POP) {
            return true;
        }
        for (int i = 0; i < d.operandCount; i++) {
            if (d.kind[i] == OperandKind.MEM) {
                return true;
            }
        }
        return false;
    }

    private void emitInline(DecodedInstruction d, long next) {
        if (d.mnemonic == Mnemonic.PUSH) {
            // SDM "PUSH": c.push(register, operand size) (RSP changes only if the write succeeds)
            mv.visitVarInsn(Opcodes.ALOAD, C);
            readOperand(d, 0);
            pushInt(mv, d.operandSize);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "push", "(L" + CPU + ";JI)V", false);
            return;
        }
        if (d.mnemonic == Mnemonic.POP) {
            // SDM "POP": the value popped, written with the operand size's width rules
            mv.visitVarInsn(Opcodes.ALOAD, C);
            pushInt(mv, d.operandSize);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "pop", "(L" + CPU + ";I)J", false);
            writeReg(d.reg[0], d.operandSize);
            return;
        }
        if (d.mnemonic == Mnemonic.LEA) {
            emitEa(d, next);
            writeReg(d.reg[0], d.size[0]);
            return;
        }
        if (touchesMemory(d)) {
            emitEa(d, next);
            mv.visitVarInsn(Opcodes.LSTORE, EA);
        }
        switch (d.mnemonic) {
            case MOV:
            case MOVZX:
                // SDM "MOV"/"MOVZX": the source zero-extended from its size, written with the width rules.
                readOperand(d, 1);
                writeOperand(d, 0);
                return;
            case CMP:
            case TEST:
                mv.visitVarInsn(Opcodes.ALOAD, ALU_L);
                pushInt(mv, d.size[0]);
                readOperand(d, 0);
                readOperand(d, 1);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ALU, d.mnemonic == Mnemonic.CMP ? "cmp" : "test", "(IJJ)V", false);
                return;
            case INC:
            case DEC:
                mv.visitVarInsn(Opcodes.ALOAD, ALU_L);
                pushInt(mv, d.size[0]);
                readOperand(d, 0);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ALU, d.mnemonic == Mnemonic.INC ? "inc" : "dec", "(IJ)J", false);
                writeOperand(d, 0);
                return;
            default:
                mv.visitVarInsn(Opcodes.ALOAD, ALU_L);
                pushInt(mv, d.size[0]);
                readOperand(d, 0);
                readOperand(d, 1);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, ALU, aluMethod(d.mnemonic), "(IJJ)J", false);
                writeOperand(d, 0);
        }
    }

    private static String aluMethod(Mnemonic m) {
        switch (m) {
            case ADD:
                return "add";
            case SUB:
                return "sub";
            case AND:
                return "and";
            case OR:
                return "or";
            case XOR:
                return "xor";
            case SHL:
                return "shl";
            case SHR:
                return "shr";
            case SAR:
                return "sar";
            case ROL:
                return "rol";
            case ROR:
                return "ror";
            default:
                throw new IllegalStateException("no inlined ALU form for " + m);
        }
    }

    // ---------------------------------------------------------------- operands

    /** Pushes operand i as a long, as Exec.read does (immediates as decoded). */
    private void readOperand(DecodedInstruction d, int i) {
        switch (d.kind[i]) {
            case OperandKind.REG:
                mv.visitVarInsn(Opcodes.ALOAD, G);
                pushInt(mv, d.reg[i]);
                mv.visitInsn(Opcodes.LALOAD);
                if (d.size[i] != 8) {
                    pushLong(-1L >>> (64 - (d.size[i] << 3)));
                    mv.visitInsn(Opcodes.LAND);
                }
                return;
            case OperandKind.REG8_HIGH:
                mv.visitVarInsn(Opcodes.ALOAD, G);
                pushInt(mv, d.reg[i]);
                mv.visitInsn(Opcodes.LALOAD);
                pushInt(mv, 8);
                mv.visitInsn(Opcodes.LUSHR);
                pushLong(0xFFL);
                mv.visitInsn(Opcodes.LAND);
                return;
            case OperandKind.IMM:
                pushLong(d.immediate);
                return;
            case OperandKind.MEM:
                mv.visitVarInsn(Opcodes.ALOAD, C);
                pushInt(mv, d.memSegment);
                pushLinear(d.memSegment);
                pushInt(mv, d.size[i]);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "read", "(L" + CPU + ";IJI)J", false);
                return;
            default:
                throw new IllegalStateException("operand kind " + d.kind[i] + " is not inlined");
        }
    }

    /** Pops a long into operand i with the width rules of Cpu.setReg / setRegHigh8 / writeMem. */
    private void writeOperand(DecodedInstruction d, int i) {
        switch (d.kind[i]) {
            case OperandKind.REG:
                writeReg(d.reg[i], d.size[i]);
                return;
            case OperandKind.REG8_HIGH:
                // g[r] = (g[r] & ~0xFF00) | ((v & 0xFF) << 8)
                pushLong(0xFFL);
                mv.visitInsn(Opcodes.LAND);
                pushInt(mv, 8);
                mv.visitInsn(Opcodes.LSHL);
                mv.visitVarInsn(Opcodes.LSTORE, TMP);
                mv.visitVarInsn(Opcodes.ALOAD, G);
                pushInt(mv, d.reg[i]);
                mv.visitVarInsn(Opcodes.ALOAD, G);
                pushInt(mv, d.reg[i]);
                mv.visitInsn(Opcodes.LALOAD);
                pushLong(~0xFF00L);
                mv.visitInsn(Opcodes.LAND);
                mv.visitVarInsn(Opcodes.LLOAD, TMP);
                mv.visitInsn(Opcodes.LOR);
                mv.visitInsn(Opcodes.LASTORE);
                return;
            case OperandKind.MEM:
                mv.visitVarInsn(Opcodes.LSTORE, TMP);
                mv.visitVarInsn(Opcodes.ALOAD, C);
                pushInt(mv, d.memSegment);
                pushLinear(d.memSegment);
                pushInt(mv, d.size[i]);
                mv.visitVarInsn(Opcodes.LLOAD, TMP);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, BLOCK_MEMORY, "write", "(L" + CPU + ";IJIJ)V", false);
                return;
            default:
                throw new IllegalStateException("operand kind " + d.kind[i] + " is not inlined");
        }
    }

    /**
     * Pushes the linear address of the operand at EA: SDM "Segmentation in IA-32e Mode": in
     * 64-bit mode only FS and GS have a base (as Cpu.linear).
     */
    private void pushLinear(int segment) {
        mv.visitVarInsn(Opcodes.LLOAD, EA);
        if (segment == SEG_FS || segment == SEG_GS) {
            mv.visitVarInsn(Opcodes.ALOAD, C);
            mv.visitFieldInsn(Opcodes.GETFIELD, CPU, "seg", "[L" + SEGMENT + ";");
            pushInt(mv, segment);
            mv.visitInsn(Opcodes.AALOAD);
            mv.visitFieldInsn(Opcodes.GETFIELD, SEGMENT, "base", "J");
            mv.visitInsn(Opcodes.LADD);
        }
    }

    /**
     * SDM "General-Purpose Registers in 64-Bit Mode": 32-bit results are zero-extended, 8- and
     * 16-bit results keep the upper bits (as Cpu.setReg). Pops the value.
     */
    private void writeReg(int r, int size) {
        long m = -1L >>> (64 - (size << 3));
        if (size < 4) {
            pushLong(m);
            mv.visitInsn(Opcodes.LAND);
            mv.visitVarInsn(Opcodes.LSTORE, TMP);
            mv.visitVarInsn(Opcodes.ALOAD, G);
            pushInt(mv, r);
            mv.visitVarInsn(Opcodes.ALOAD, G);
            pushInt(mv, r);
            mv.visitInsn(Opcodes.LALOAD);
            pushLong(~m);
            mv.visitInsn(Opcodes.LAND);
            mv.visitVarInsn(Opcodes.LLOAD, TMP);
            mv.visitInsn(Opcodes.LOR);
            mv.visitInsn(Opcodes.LASTORE);
            return;
        }
        if (size == 4) {
            pushLong(m);
            mv.visitInsn(Opcodes.LAND);
        }
        mv.visitVarInsn(Opcodes.LSTORE, TMP);
        mv.visitVarInsn(Opcodes.ALOAD, G);
        pushInt(mv, r);
        mv.visitVarInsn(Opcodes.LLOAD, TMP);
        mv.visitInsn(Opcodes.LASTORE);
    }

    /** Pushes the effective address as Exec.ea computes it (RIP-relative: a constant). */
    private void emitEa(DecodedInstruction d, long next) {
        long disp = d.memDisplacement;
        if (d.memBase == DecodedInstruction.BASE_RIP) {
            disp += next;
        }
        pushLong(disp);
        if (d.memBase >= 0 && d.memBase != DecodedInstruction.BASE_RIP) {
            mv.visitVarInsn(Opcodes.ALOAD, G);
            pushInt(mv, d.memBase);
            mv.visitInsn(Opcodes.LALOAD);
            mv.visitInsn(Opcodes.LADD);
        }
        if (d.memIndex >= 0) {
            mv.visitVarInsn(Opcodes.ALOAD, G);
            pushInt(mv, d.memIndex);
            mv.visitInsn(Opcodes.LALOAD);
            if (d.memScale != 1) {
                pushLong(d.memScale);
                mv.visitInsn(Opcodes.LMUL);
            }
            mv.visitInsn(Opcodes.LADD);
        }
        if (d.addressSize == 2) {
            pushLong(0xFFFFL);
            mv.visitInsn(Opcodes.LAND);
        } else if (d.addressSize == 4) {
            pushLong(0xFFFFFFFFL);
            mv.visitInsn(Opcodes.LAND);
        }
    }

    // ---------------------------------------------------------------- bookkeeping

    /** After a memory access: leave the block if the code page was written or a device was touched. */
    private void exitCheck(long next) {
        Label stay = new Label();
        Label leave = new Label();
        mv.visitFieldInsn(Opcodes.GETSTATIC, className, "P", "L" + PAGE + ";");
        mv.visitFieldInsn(Opcodes.GETFIELD, PAGE, "frame", "J");
        pushLong(frame);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFNE, leave);
        mv.visitVarInsn(Opcodes.ALOAD, MEM_L);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, MEMORY, "mmioAccessCount", "()J", false);
        mv.visitVarInsn(Opcodes.LLOAD, MMIO0);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFEQ, stay);
        mark(leave);
        // the counters of this path, then RIP after the instruction
        emitCounters(pendingCycles, pendingCount);
        setRip(next);
        mv.visitInsn(Opcodes.RETURN);
        mark(stay);
    }

    /** Adds the pending cycles and instructions to the CPU's counters. */
    private void flush() {
        emitCounters(pendingCycles, pendingCount);
        pendingCycles = 0;
        pendingCount = 0;
    }

    private void emitCounters(long cycles, int n) {
        if (n == 0 && cycles == 0) {
            return;
        }
        addConst("cycles", cycles);
        addConst("retired", n);
        addConst("steps", n);
    }

    private void addConst(String field, long v) {
        if (v == 0) {
            return;
        }
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitInsn(Opcodes.DUP);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, field, "J");
        pushLong(v);
        mv.visitInsn(Opcodes.LADD);
        mv.visitFieldInsn(Opcodes.PUTFIELD, CPU, field, "J");
    }

    private void addField(String field, int local) {
        mv.visitVarInsn(Opcodes.ALOAD, C);
        mv.visitInsn(Opcodes.DUP);
        mv.visitFieldInsn(Opcodes.GETFIELD, CPU, field, "J");
        mv.visitVarInsn(Opcodes.LLOAD, local);
        mv.visitInsn(Opcodes.LADD);
        mv.visitFieldInsn(Opcodes.PUTFIELD, CPU, field, "J");
    }

    private void setRip(long rip) {
        mv.visitVarInsn(Opcodes.ALOAD, C);
        pushLong(rip);
        mv.visitFieldInsn(Opcodes.PUTFIELD, CPU, "rip", "J");
    }

    private void pushLong(long v) {
        if (v == 0) {
            mv.visitInsn(Opcodes.LCONST_0);
        } else if (v == 1) {
            mv.visitInsn(Opcodes.LCONST_1);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    private static void pushInt(MethodVisitor m, int v) {
        if (v >= -1 && v <= 5) {
            m.visitInsn(Opcodes.ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            m.visitIntInsn(Opcodes.BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            m.visitIntInsn(Opcodes.SIPUSH, v);
        } else {
            m.visitLdcInsn(v);
        }
    }

    /** A near-branch target truncated to the operand size (as Exec.branchTarget). */
    private static long truncate(long target, int operandSize) {
        if (operandSize == 2) {
            return target & 0xFFFFL;
        }
        return operandSize == 4 ? target & 0xFFFFFFFFL : target;
    }

    private static boolean canonical(long a) {
        return (a >> 47) == 0 || (a >> 47) == -1;
    }
}
