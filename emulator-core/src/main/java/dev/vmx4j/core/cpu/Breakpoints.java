package dev.vmx4j.core.cpu;

/**
 * The debug-register breakpoint conditions (SDM "Debug Registers", "Breakpoint Field
 * Recognition"): which of DR0-DR3 an instruction fetch, a data access or an I/O access matches.
 * Called only while DR7 enables a breakpoint of that kind ({@code Cpu.codeBreakpoints},
 * {@code dataBreakpoints}, {@code ioBreakpoints}); data and I/O hits are collected in
 * {@code Cpu.pendingDataBreakpoints} and become a #DB trap after the instruction.
 */
final class Breakpoints {

    /** DR7 LENn encodings 00, 01, 10, 11: 1, 2, 8 and 4 bytes. */
    private static final int[] LENGTH = {1, 2, 8, 4};

    private Breakpoints() {
    }

    /** True if {@code rip} is one of the run's stop addresses {@code bps} (API breakpoints, not DR0-DR3). */
    static boolean contains(long[] bps, long rip) {
        for (long b : bps) {
            if (b == rip) {
                return true;
            }
        }
        return false;
    }

    /**
     * SDM "Instruction-Breakpoint Exception Condition": a fault before the instruction at RIP
     * (the caller skips this when RFLAGS.RF = 1). SDM "Masking Exceptions and Interrupts When
     * Switching Stacks": debug exceptions are inhibited up to the boundary after the instruction
     * that follows MOV SS or POP SS. MANUAL: an instruction breakpoint on that instruction is
     * lost, not held (Intel processors; its boundary is gone once the instruction retires). AMD
     * processors do not inhibit it: under an AMD profile the fault is taken (kvm-unit-tests'
     * {@code emulator} expects one #DB there on AMD, none on Intel).
     */
    static void checkCode(Cpu c) {
        long lin = c.mode64 ? c.rip : (c.seg[Cpu.SEG_CS].base + c.rip) & 0xFFFFFFFFL;
        long dr7 = c.dr[7];
        int hit = 0;
        for (int i = 0; i < 4; i++) {
            if (((dr7 >>> (2 * i)) & 3) != 0 && ((dr7 >>> (16 + 4 * i)) & 0xF) == 0 && c.dr[i] == lin) {
                hit |= 1 << i;
            }
        }
        if (hit != 0 && (c.features.amd || !c.pending.blockedByMovSs())) {
            c.dr[6] = (c.dr[6] & ~0xFL) | hit;
            throw new CpuException(CpuException.DB, 0, false);
        }
    }

    /**
     * The per-access checks of a data reference at {@code lin} that {@code Cpu.slowDataChecks}
     * guards: SDM "Alignment Checking" (#AC(0) on an unaligned reference), then the data
     * breakpoints.
     */
    static void dataChecks(Cpu c, long lin, int size, boolean write) {
        if (c.alignmentCheck && (lin & (size - 1)) != 0) {
            throw new CpuException(CpuException.AC, 0, true);
        }
        if (c.dataBreakpoints) {
            matchData(c, lin, size, write);
        }
    }

    /** Data breakpoints (R/W = 01 writes, 11 reads or writes) overlapping {@code size} bytes at {@code lin}. */
    static void matchData(Cpu c, long lin, int size, boolean write) {
        long dr7 = c.dr[7];
        for (int i = 0; i < 4; i++) {
            if (((dr7 >>> (2 * i)) & 3) == 0) {
                continue;
            }
            int rw = (int) (dr7 >>> (16 + 4 * i)) & 3;
            if (rw == 0 || rw == 2 || (rw == 1 && !write)) {
                continue;
            }
            int len = LENGTH[(int) (dr7 >>> (18 + 4 * i)) & 3];
            // SDM "Breakpoint Field Recognition": the breakpoint address is aligned down to its length.
            long start = c.dr[i] & ~(long) (len - 1);
            if (lin < start + len && start < lin + size) {
                c.pendingDataBreakpoints |= 1 << i;
            }
        }
    }

    /** I/O breakpoints (R/W = 10, with CR4.DE) whose port range overlaps the access. */
    static void matchIo(Cpu c, int port, int size) {
        long dr7 = c.dr[7];
        for (int i = 0; i < 4; i++) {
            if (((dr7 >>> (2 * i)) & 3) == 0 || ((dr7 >>> (16 + 4 * i)) & 3) != 2) {
                continue;
            }
            int len = LENGTH[(int) (dr7 >>> (18 + 4 * i)) & 3];
            long start = (c.dr[i] & 0xFFFF) & ~(long) (len - 1);
            if (port < start + len && start < port + size) {
                c.pendingDataBreakpoints |= 1 << i;
            }
        }
    }
}
