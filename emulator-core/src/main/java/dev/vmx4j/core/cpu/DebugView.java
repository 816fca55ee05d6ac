package dev.vmx4j.core.cpu;

/**
 * Debugger access (the gdb stub) to the few CPU fields that have no public accessor: the x87
 * control/status/tag words and MXCSR. Kept out of {@link Cpu} so the CPU class does not grow.
 */
public final class DebugView {

    private DebugView() {
    }

    public static int fpuControl(Cpu cpu) {
        return cpu.x87.control;
    }

    public static int fpuStatus(Cpu cpu) {
        return cpu.x87.statusWord();
    }

    /** The full tag word (two bits per physical register, computed from the contents). */
    public static int fpuTag(Cpu cpu) {
        return cpu.x87.tagWord();
    }

    public static int mxcsr(Cpu cpu) {
        return cpu.mxcsr;
    }

    /** Raw MXCSR write from the debugger: the reserved bits 31:16 are kept clear. */
    public static void setMxcsr(Cpu cpu, int value) {
        cpu.mxcsr = value & 0xFFFF;
    }
}
