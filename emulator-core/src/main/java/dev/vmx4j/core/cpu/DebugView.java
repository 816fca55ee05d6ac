package dev.vmx4j.core.cpu;

/**
 * Debugger access (the gdb stub) to the few CPU fields that have no public accessor: the x87
 * control/status/tag words, the x87 data registers and pointers, and MXCSR. Kept out of {@link Cpu} so the CPU class does not grow.
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

    /** ST(i)'s significand (bits 63:0 of the 80-bit register). */
    public static long stSignificand(Cpu cpu, int i) {
        return cpu.x87.sig[cpu.x87.phys(i)];
    }

    /** ST(i)'s sign and exponent (bits 79:64 of the 80-bit register). */
    public static int stSignExponent(Cpu cpu, int i) {
        return cpu.x87.se[cpu.x87.phys(i)] & 0xFFFF;
    }

    /** The x87 last-instruction and last-operand pointers and opcode: FCS, FIP, FDS, FDP, FOP. */
    public static long fpuPointer(Cpu cpu, int which) {
        switch (which) {
            case 0: return cpu.x87.fcs;
            case 1: return cpu.x87.fip;
            case 2: return cpu.x87.fds;
            case 3: return cpu.x87.fdp;
            default: return cpu.x87.fop;
        }
    }

    public static int mxcsr(Cpu cpu) {
        return cpu.mxcsr;
    }

    /** Raw MXCSR write from the debugger: the reserved bits 31:16 are kept clear. */
    public static void setMxcsr(Cpu cpu, int value) {
        cpu.mxcsr = value & 0xFFFF;
    }
}
