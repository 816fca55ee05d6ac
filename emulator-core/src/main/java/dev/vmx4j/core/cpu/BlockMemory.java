package dev.vmx4j.core.cpu;

/**
 * The memory accesses of translated blocks: {@link Cpu#readMem}, {@link Cpu#writeMem},
 * {@link Cpu#push}, {@link Cpu#pop} and {@link Cpu#peek} as they are under the conditions a block
 * runs in ({@link RunConditions#quietForBlock}: 64-bit mode, so 64-bit stack and no segment
 * limits; no alignment checks or data breakpoints, so no {@code slowDataChecks}), which no
 * instruction of a block can change. The generator adds the FS/GS base itself (the only
 * segment bases used in 64-bit mode) and picks the stack variant for SS references.
 *
 * <p>PERF: the general methods carry the legacy-mode segmentation and the stack-size switch;
 * inlined into every memory access of a block they made each block's C2 compile larger.
 */
final class BlockMemory {

    private BlockMemory() {
    }

    // SDM "Canonical Addressing": a non-canonical reference raises #SS(0) for SS, else #GP(0).

    /** A read through DS, ES, FS or GS at linear address {@code lin} (segment base added). */
    static long read(Cpu c, long lin, int size) {
        if (!Cpu.canonical(lin) || !Cpu.canonical(lin + size - 1)) {
            throw CpuException.gp(0);
        }
        return c.mmu.read(lin, size, c.userAccess);
    }

    /** A read through SS at linear address {@code lin}. */
    static long readStack(Cpu c, long lin, int size) {
        if (!Cpu.canonical(lin) || !Cpu.canonical(lin + size - 1)) {
            throw CpuException.ss(0);
        }
        return c.mmu.read(lin, size, c.userAccess);
    }

    /** A write through DS, ES, FS or GS at linear address {@code lin} (segment base added). */
    static void write(Cpu c, long lin, int size, long value) {
        if (!Cpu.canonical(lin) || !Cpu.canonical(lin + size - 1)) {
            throw CpuException.gp(0);
        }
        c.mmu.write(lin, size, value, c.userAccess);
    }

    /** A write through SS at linear address {@code lin}. */
    static void writeStack(Cpu c, long lin, int size, long value) {
        if (!Cpu.canonical(lin) || !Cpu.canonical(lin + size - 1)) {
            throw CpuException.ss(0);
        }
        c.mmu.write(lin, size, value, c.userAccess);
    }

    /** SDM "PUSH" with a 64-bit stack: RSP changes only if the write succeeded. */
    static void push(Cpu c, long value, int size) {
        long sp = c.gpr[4] - size;
        writeStack(c, sp, size, value);
        c.gpr[4] = sp;
    }

    /** SDM "POP" with a 64-bit stack. */
    static long pop(Cpu c, int size) {
        long sp = c.gpr[4];
        long v = readStack(c, sp, size);
        c.gpr[4] = sp + size;
        return v;
    }

    /** The value at RSP + {@code delta} (64-bit stack), RSP unchanged. */
    static long peek(Cpu c, long delta, int size) {
        return readStack(c, c.gpr[4] + delta, size);
    }
}
