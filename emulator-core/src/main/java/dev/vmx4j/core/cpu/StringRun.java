package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.Prefix;

/**
 * REP MOVS and REP STOS in bulk: the iterations the step loop would run one step each, as one
 * array copy or fill per page, while nothing can happen between them.
 *
 * <p>SDM "REP/REPE/REPZ/REPNE/REPNZ": each iteration moves one element, steps RSI/RDI and
 * decrements RCX, and an interrupt or exception may be taken between iterations (RIP stays on
 * the instruction). The engines call {@link #run} only while {@link RunConditions#quiet} holds
 * (64-bit mode, no listeners, watchpoints, TF, RF or alignment checks, nothing due before the
 * events model's next deadline); within that, a chunk is limited to the iterations whose
 * elements all lie on the source and destination pages the software TLB already maps to RAM
 * (so no walk, fault, MMIO access or write to a code page can occur: a code page never has a
 * write entry), to the step and cycle budgets, and to the iterations that start before the
 * events model's next deadline. Registers, memory, cycles (one {@link CycleTable#STRING_ITERATION}
 * per iteration), steps and retired instructions end exactly as after that many single steps;
 * with RFLAGS.DF = 1 the elements go down to the start of the pages. Anything else (a TLB miss,
 * a page-crossing element, an iteration due at a deadline) is left to the step loop.
 */
final class StringRun {

    private static final int RSI = 6;
    private static final int RDI = 7;
    private static final int RCX = 1;
    private static final int RAX = 0;

    private StringRun() {
    }

    /**
     * If RIP holds a REP MOVS or REP STOS that may run in bulk, runs as many of its iterations as
     * the limits above allow (at least one) and returns true; otherwise changes nothing and
     * returns false.
     */
    static boolean run(Cpu c, long stepEnd, long cycleLimit) {
        DecodeCache.CodePage p = c.currentCodePage();
        if (p == null) {
            return false;
        }
        DecodedInstruction d = p.live[(int) c.rip & 0xFFF];
        if (d == null) {
            return false;
        }
        Mnemonic m = d.mnemonic;
        if ((m != Mnemonic.MOVS && m != Mnemonic.STOS) || (d.prefixes & (Prefix.REP | Prefix.REPNE)) == 0
                || (d.prefixes & Prefix.LOCK) != 0) {
            return false;
        }
        int as = d.addressSize;
        if (as != 8 && as != 4) {
            return false;
        }
        long amask = as == 8 ? -1L : 0xFFFFFFFFL;
        long count = c.gpr[RCX] & amask;
        if (count == 0) {
            return false;
        }
        int es = d.size[0];
        boolean down = c.df();
        long n = Math.min(count, iterationsBefore(c, stepEnd, cycleLimit));
        // SDM "Segments in 64-Bit Mode": ES's base is ignored, so the destination is RDI itself.
        long rdi = c.gpr[RDI] & amask;
        n = Math.min(n, elementsOnPage(rdi, as, es, down));
        if (n <= 0 || !Cpu.canonical(rdi)) {
            return false;
        }
        byte[] dst = c.mmu.cachedWritePage(rdi);
        if (dst == null) {
            return false;
        }
        int dOff = (int) rdi & 0xFFF;
        long rsi = 0;
        if (m == Mnemonic.MOVS) {
            rsi = c.gpr[RSI] & amask;
            int s = d.memSegment;
            long src = s == Cpu.SEG_FS || s == Cpu.SEG_GS ? rsi + c.seg[s].base : rsi;
            n = Math.min(n, elementsOnPage(src, 8, es, down));
            if (as == 4) {
                // the 32-bit offset wraps at 4 GiB (or below 0): the elements up to there only
                n = Math.min(n, down ? rsi / es + 1 : (0x1_0000_0000L - rsi) / es);
            }
            if (n <= 0 || !Cpu.canonical(src)) {
                return false;
            }
            byte[] srcPage = c.mmu.cachedReadPage(src);
            if (srcPage == null) {
                return false;
            }
            if (down) {
                copyDown(srcPage, (int) src & 0xFFF, dst, dOff, (int) n, es);
            } else {
                copy(srcPage, (int) src & 0xFFF, dst, dOff, (int) n, es);
            }
        } else {
            // the elements filled, lowest first: the same bytes whichever the direction
            fill(dst, down ? dOff - (int) (n - 1) * es : dOff, (int) n, es, c.gpr[RAX]);
        }
        long delta = down ? -n * es : n * es;
        // as n single steps: RSI/RDI/RCX with the address-size width rules, one cycle cost and
        // one step per iteration, RIP past the instruction and one retired instruction at the end
        if (m == Mnemonic.MOVS) {
            c.setReg(RSI, as, rsi + delta);
        }
        c.setReg(RDI, as, rdi + delta);
        c.setReg(RCX, as, count - n);
        c.cycles += n * CycleTable.STRING_ITERATION;
        c.steps += n;
        if (count == n) {
            c.rip += d.length;
            c.nextRip = c.rip;
            c.retired++;
        }
        return true;
    }

    /**
     * Iterations that may start: within the step budget, and each starting below the cycle
     * budget and the events model's next deadline (where the step loop would poll).
     */
    private static long iterationsBefore(Cpu c, long stepEnd, long cycleLimit) {
        long steps = stepEnd == Long.MAX_VALUE ? Long.MAX_VALUE : stepEnd - c.steps;
        long room = Math.min(cycleLimit, c.eventCheck) - c.cycles;
        if (room <= 0) {
            return 0;
        }
        return Math.min(steps, (room - 1) / CycleTable.STRING_ITERATION + 1);
    }

    /**
     * Whole elements of {@code es} bytes from {@code address} to the end of its page (and, for a
     * 32-bit offset, before 4 GiB) or, {@code down}, from {@code address} to the start of its page
     * (0 if the first element crosses the page end).
     */
    private static long elementsOnPage(long address, int as, int es, boolean down) {
        long off = address & 0xFFF;
        if (down) {
            return off + es > 4096 ? 0 : off / es + 1;
        }
        long n = (4096 - off) / es;
        if (as == 4) {
            n = Math.min(n, (0x1_0000_0000L - address) / es);
        }
        return n;
    }

    /** {@code n} elements from {@code src} to {@code dst}, in ascending order as the iterations do. */
    private static void copy(byte[] src, int sOff, byte[] dst, int dOff, int n, int es) {
        int len = n * es;
        if (src == dst && dOff > sOff && dOff < sOff + len) {
            // the destination overlaps the source from above: later elements read what earlier
            // ones wrote, which a block copy would not reproduce
            for (int i = 0; i < len; i += es) {
                Mmu.store(dst, dOff + i, es, Mmu.load(src, sOff + i, es));
            }
        } else {
            System.arraycopy(src, sOff, dst, dOff, len);
        }
    }

    /**
     * {@code n} elements from {@code src} to {@code dst} in descending order (RFLAGS.DF = 1): the
     * first at {@code sOff}/{@code dOff}, each next one {@code es} bytes lower.
     */
    private static void copyDown(byte[] src, int sOff, byte[] dst, int dOff, int n, int es) {
        int span = (n - 1) * es;
        int sLow = sOff - span;
        int dLow = dOff - span;
        if (src == dst && dLow < sLow && dLow + span + es > sLow) {
            // the destination overlaps the source from below: later (lower) elements read what
            // earlier ones wrote, which a block copy would not reproduce
            for (int i = 0; i < n; i++) {
                Mmu.store(dst, dOff - i * es, es, Mmu.load(src, sOff - i * es, es));
            }
        } else {
            System.arraycopy(src, sLow, dst, dLow, span + es);
        }
    }

    /** {@code n} elements of {@code es} bytes of {@code value} at {@code off}. */
    private static void fill(byte[] dst, int off, int n, int es, long value) {
        if (es == 1) {
            java.util.Arrays.fill(dst, off, off + n, (byte) value);
            return;
        }
        for (int i = 0; i < n; i++) {
            Mmu.store(dst, off + i * es, es, value);
        }
    }
}
