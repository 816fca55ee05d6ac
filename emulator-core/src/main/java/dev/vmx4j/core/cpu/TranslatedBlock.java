package dev.vmx4j.core.cpu;

/**
 * A basic block of guest code translated to a JVM class ({@code core.cpu.jit.BlockCompiler}),
 * defined as a hidden class in this package. {@link #run} has the effect of interpreting the
 * block's instructions one by one from its first: registers, memory, flags, RIP, cycles,
 * retired instructions and steps; a fault leaves the state at the faulting instruction, as the
 * interpreter does, and propagates as the {@link ArchitecturalEvent}.
 */
abstract class TranslatedBlock {

    /** Instructions in the block. */
    int instructions;
    /** An upper bound of the cycles the block can charge (its budget test). */
    long maxCycles;

    /**
     * Runs the block; may end early (after a write to its code page or an MMIO access). A block
     * that ends with a branch to its own start runs again while it fits {@code stepEnd} (steps)
     * and {@code limit} (cycles), as the chain loop would run it.
     */
    abstract void run(Cpu c, long stepEnd, long limit);

    /**
     * The class data of a translated block's class (its decoded instructions and code page), for
     * the block's static initialiser, which passes its own lookup. PERF: a call here instead of
     * {@code MethodHandles.classData(lookup, "_", Object[].class)} in the generated code, whose
     * class constant needs OW2 ASM's {@code Type} (one class less to load and verify at the first
     * block).
     */
    static Object[] classData(java.lang.invoke.MethodHandles.Lookup lookup) throws IllegalAccessException {
        return java.lang.invoke.MethodHandles.classData(lookup, "_", Object[].class);
    }

    /** Marks an offset where no block can start (the instruction there is not translatable). */
    static final TranslatedBlock NONE = new TranslatedBlock() {
        @Override
        void run(Cpu c, long stepEnd, long limit) {
            throw new IllegalStateException("the NONE block is never run");
        }
    };
}
