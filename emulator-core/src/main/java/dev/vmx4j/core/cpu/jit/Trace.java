package dev.vmx4j.core.cpu.jit;

import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * What one translated block contains: the instructions one path of execution runs from the
 * block's start on one 4 KiB code page, in order. A near JMP rel, CALL rel or RET before the last
 * instruction is one the trace follows (the next entry is at its target; for a RET, at the
 * return address in {@link #predictedReturn}, which the block checks against the address
 * actually popped); the last instruction ends the block. Filled by the CPU package, read by
 * {@link BlockCompiler}.
 */
public final class Trace {

    public final DecodedInstruction[] insns;
    /** The RIP of each instruction. */
    public final long[] rips;
    /** The base cycle cost of each instruction ({@code CycleTable.BASE}). */
    public final int[] costs;
    /** For a followed RET: the return address the trace predicts (the RET checks it). */
    public final long[] predictedReturn;
    /** Instructions in the trace. */
    public int count;

    public Trace(int capacity) {
        insns = new DecodedInstruction[capacity];
        rips = new long[capacity];
        costs = new int[capacity];
        predictedReturn = new long[capacity];
    }

    /** Appends an instruction; returns its index. */
    public int add(DecodedInstruction d, long rip, int cost) {
        int k = count++;
        insns[k] = d;
        rips[k] = rip;
        costs[k] = cost;
        return k;
    }

    /** True if the last instruction is a near JMP, Jcc, CALL or RET (the block ends with it). */
    public boolean endsWithBranch() {
        return count > 0 && BlockCompiler.isBranch(insns[count - 1]);
    }
}
