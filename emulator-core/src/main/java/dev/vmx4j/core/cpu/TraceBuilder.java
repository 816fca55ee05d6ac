package dev.vmx4j.core.cpu;

import dev.vmx4j.core.cpu.jit.Trace;
import dev.vmx4j.core.decoder.DecodeStatus;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Form;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;
import dev.vmx4j.core.memory.GuestMemory;

/**
 * Decides what one translated block contains: from its start, the instructions of one path
 * through one 4 KiB code page as a {@link Trace}, following the branches whose target is known
 * at translation time and lies on the same page, so that fewer blocks end at every branch:
 * <ul>
 *   <li>JMP rel and CALL rel continue at their target (CALL pushes the return address first);</li>
 *   <li>a RET whose CALL the trace followed continues at that CALL's return address, checked at
 *       run time against the address actually popped (a mismatch ends the block there);</li>
 *   <li>the trace ends after a Jcc, an indirect branch, a RET it cannot predict, a branch back
 *       to the block's start (a loop: the block runs again from the engine loop) or to another
 *       page, before an instruction whose {@link Form} is {@link Form#NONE}, or at the
 *       instruction limit.</li>
 * </ul>
 * Following both sides of a Jcc as a tree was tried: the larger blocks cost more JIT time than
 * the dispatches they saved (see docs/PERFORMANCE.md). The trace bakes in only the page's bytes,
 * so the page's self-modifying-code invalidation (which drops its blocks) keeps it exact. Runs
 * at translation time only (it allocates).
 */
final class TraceBuilder {

    /** The deepest nesting of followed CALLs (whose RETs are predicted). */
    private static final int MAX_CALL_DEPTH = 2;

    private final GuestMemory memory;
    private final InstructionDecoder decoder;
    private final byte[] codeBytes = new byte[DecodedInstruction.MAX_LENGTH];

    TraceBuilder(GuestMemory memory, InstructionDecoder decoder) {
        this.memory = memory;
        this.decoder = decoder;
    }

    /** The trace of at most {@code max} instructions starting at {@code start} in physical frame {@code frame}. */
    Trace build(long frame, long start, int max) {
        Trace t = new Trace(max);
        long frameBase = frame << 12;
        long vpn = start >>> 12;
        long[] calls = new long[MAX_CALL_DEPTH];
        int depth = 0;
        long rip = start;
        while (t.count < max) {
            int off = (int) rip & 0xFFF;
            int avail = Math.min(DecodedInstruction.MAX_LENGTH, 4096 - off);
            memory.read(frameBase + off, codeBytes, 0, avail);
            DecodedInstruction d = new DecodedInstruction();
            if (decoder.decode(codeBytes, 0, avail, 64, d) != DecodeStatus.OK || !Translator.allowed(d)) {
                break;
            }
            int k = t.add(d, rip, CycleTable.BASE[d.mnemonic.ordinal()]);
            long next = rip + d.length;
            Mnemonic m = d.mnemonic;
            boolean rel = d.operandCount == 1 && d.kind[0] == OperandKind.REL;
            if (m == Mnemonic.JMP && rel) {
                rip = target(d, next);
            } else if (m == Mnemonic.CALL && rel && d.operandSize == 8 && depth < MAX_CALL_DEPTH) {
                calls[depth++] = next;
                rip = target(d, next);
            } else if (m == Mnemonic.RET && d.operandCount == 0 && d.operandSize == 8 && depth > 0) {
                rip = calls[--depth];
                t.predictedReturn[k] = rip;
            } else if (m == Mnemonic.JMP || m == Mnemonic.JCC || m == Mnemonic.CALL || m == Mnemonic.RET) {
                break;
            } else {
                rip = next;
                // a plain instruction: the page end or the limit ends the trace after it
                if ((rip >>> 12) != vpn) {
                    break;
                }
                continue;
            }
            // a followed branch: only to an address on the page other than the start, and only
            // if an instruction may follow it (else it ends the trace as an ordinary branch)
            if ((rip >>> 12) != vpn || rip == start || t.count == max) {
                break;
            }
        }
        return t;
    }

    /** A relative branch's target, truncated to the operand size (as Exec.branchTarget); on the page, so canonical. */
    private static long target(DecodedInstruction d, long next) {
        long target = next + d.immediate;
        if (d.operandSize == 2) {
            return target & 0xFFFFL;
        }
        return d.operandSize == 4 ? target & 0xFFFFFFFFL : target;
    }
}
