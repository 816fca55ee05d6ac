package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.Mnemonic;

/**
 * The cycle model: a fixed cost per mnemonic plus a few documented adjustments (taken branch,
 * divide by operand size, string iterations, event delivery). Deterministic and independent of
 * the engine mode (cached or reference). {@code docs/CYCLE-MODEL.md} lists the same numbers.
 */
final class CycleTable {

    private CycleTable() {
    }

    /** Extra cycles when a branch is taken. */
    static final int TAKEN_BRANCH = 1;
    /** Cycles per iteration of a REP-prefixed string instruction (replaces the base cost). */
    static final int STRING_ITERATION = 1;
    /** Default cost of an instruction not listed. */
    static final int DEFAULT = 1;

    /** Base cost by {@code Mnemonic.ordinal()} (an index, not an architectural number). */
    static final int[] BASE = new int[Mnemonic.values().length];

    static {
        java.util.Arrays.fill(BASE, DEFAULT);
        set(3, Mnemonic.MUL, Mnemonic.IMUL, Mnemonic.MULX, Mnemonic.PDEP, Mnemonic.PEXT);
        set(2, Mnemonic.CMPXCHG, Mnemonic.XADD, Mnemonic.XCHG, Mnemonic.ENTER, Mnemonic.LEAVE,
                Mnemonic.RCL, Mnemonic.RCR, Mnemonic.SHLD, Mnemonic.SHRD, Mnemonic.BSF, Mnemonic.BSR,
                Mnemonic.POPF, Mnemonic.PUSHF);
        set(5, Mnemonic.CMPXCHG8B, Mnemonic.PUSHA, Mnemonic.POPA, Mnemonic.RET_FAR, Mnemonic.JMP_FAR,
                Mnemonic.CALL_FAR, Mnemonic.DAA, Mnemonic.DAS, Mnemonic.AAA, Mnemonic.AAS, Mnemonic.AAD);
        set(10, Mnemonic.CMPXCHG16B, Mnemonic.AAM);
        set(20, Mnemonic.IRET, Mnemonic.INT, Mnemonic.INT3, Mnemonic.INTO, Mnemonic.INT1, Mnemonic.RDTSC,
                Mnemonic.RDTSCP, Mnemonic.MOV_CR, Mnemonic.MOV_DR, Mnemonic.LGDT, Mnemonic.LIDT, Mnemonic.LLDT,
                Mnemonic.LTR, Mnemonic.INVLPG, Mnemonic.RDMSR, Mnemonic.WRMSR, Mnemonic.IN, Mnemonic.OUT,
                Mnemonic.INS, Mnemonic.OUTS, Mnemonic.MOV_SREG, Mnemonic.LDS, Mnemonic.LES, Mnemonic.LFS,
                Mnemonic.LGS, Mnemonic.LSS, Mnemonic.SWAPGS, Mnemonic.XSETBV);
        set(30, Mnemonic.CPUID, Mnemonic.RDRAND, Mnemonic.RDSEED, Mnemonic.WBINVD, Mnemonic.INVD);
        set(5, Mnemonic.PAUSE);
    }

    private static void set(int cost, Mnemonic... ms) {
        for (Mnemonic m : ms) {
            BASE[m.ordinal()] = cost;
        }
    }

    /** Extra cycles for DIV/IDIV by operand size: 1 byte 20, 2 bytes 22, 4 bytes 26, 8 bytes 40. */
    static int divExtra(int size) {
        switch (size) {
            case 1:
                return 19;
            case 2:
                return 21;
            case 4:
                return 25;
            default:
                return 39;
        }
    }
}
