package dev.vmx4j.core.cpu;

/**
 * The memory accesses of translated blocks: {@link Cpu#readMem}, {@link Cpu#writeMem},
 * {@link Cpu#push}, {@link Cpu#pop} and {@link Cpu#peek} as they are under the conditions a block
 * runs in ({@link RunConditions#quietForBlock}: 64-bit mode, so a 64-bit stack and no segment
 * limits; no alignment checks or data breakpoints), which no instruction of a block can change:
 * straight to {@code Mmu.read64}/{@code write64} (the canonical check on software-TLB misses).
 * The generator adds the FS/GS base itself (the only segment bases used in 64-bit mode).
 *
 * <p>PERF: the general methods carry the mode test and the legacy-mode segmentation, and the
 * stack methods the stack-size switch; inlined into every memory access of every block they made
 * each block's C2 compile larger.
 */
final class BlockMemory {

    private BlockMemory() {
    }

    /** A read through segment {@code s} at linear address {@code lin} (an FS/GS base added). */
    static long read(Cpu c, int s, long lin, int size) {
        return c.mmu.read64(s, lin, size, c.userAccess);
    }

    /** A write through segment {@code s} at linear address {@code lin} (an FS/GS base added). */
    static void write(Cpu c, int s, long lin, int size, long value) {
        c.mmu.write64(s, lin, size, value, c.userAccess);
    }

    /** SDM "PUSH" with a 64-bit stack: RSP changes only if the write succeeded. */
    static void push(Cpu c, long value, int size) {
        long sp = c.gpr[4] - size;
        c.mmu.write64(Cpu.SEG_SS, sp, size, value, c.userAccess);
        c.gpr[4] = sp;
    }

    /** SDM "POP" with a 64-bit stack. */
    static long pop(Cpu c, int size) {
        long sp = c.gpr[4];
        long v = c.mmu.read64(Cpu.SEG_SS, sp, size, c.userAccess);
        c.gpr[4] = sp + size;
        return v;
    }

    /** The value at RSP + {@code delta} (64-bit stack), RSP unchanged. */
    static long peek(Cpu c, long delta, int size) {
        return c.mmu.read64(Cpu.SEG_SS, c.gpr[4] + delta, size, c.userAccess);
    }
}
