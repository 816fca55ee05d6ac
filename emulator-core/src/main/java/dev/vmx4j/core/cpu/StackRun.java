package dev.vmx4j.core.cpu;

import dev.vmx4j.core.memory.GuestMemory;

/**
 * A run of consecutive PUSH r64 (or POP r64) instructions of a translated block as one operation:
 * the save and restore sequences of exit handlers and function prologues. Called by the
 * generated code ({@code core.cpu.jit.BlockCompiler}) once per run instead of once per
 * instruction; the result is that of the instructions one by one, as the block would run them.
 *
 * <p>A run's description is the block's constants: the registers in order ({@code regs}, four
 * bits each from bit 0, never RSP), their count (2-16), the first instruction's RIP and the
 * instructions' lengths (four bits each), the cycle cost of one instruction, and the block's code
 * page and its frame (the block's self-modifying-code test). When the whole stack range of the
 * run lies in one page that the software TLB maps for the access ({@code Mmu.writeHit} /
 * {@code readHit}: no memory listener, so also no MMIO, and a write entry is never a page holding
 * decoded code, so no code write), no instruction of the run can fault, reach a device or write
 * code: the values are stored or loaded straight in the page's array and RSP, the cycles, the
 * retired instructions and the steps are updated once. Otherwise (a miss, a page crossing) each
 * instruction runs as the block's per-instruction code would: RIP set to it, {@link BlockMemory}'s
 * push or pop (faults propagate with RIP and the counters of the instructions before), its
 * counters, then the block's exit test (the code page written or a device accessed).
 *
 * <p>Only under the conditions blocks run in ({@link RunConditions#quietForBlock}: 64-bit mode, so
 * a 64-bit stack whose SS has no base or limit, and no alignment checks or data breakpoints).
 */
final class StackRun {

    private static final int RSP = 4;

    private StackRun() {
    }

    /**
     * SDM "PUSH" for each register of {@code regs} in order. Returns false if the block must end
     * after the instruction that wrote its code page or accessed a device (RIP and the counters
     * are then those after that instruction), true otherwise.
     */
    static boolean push(Cpu c, long regs, int n, long rip, long lengths, int cost, DecodeCache.CodePage page,
            long frame) {
        long[] g = c.gpr;
        long low = g[RSP] - 8L * n;
        byte[] p = c.mmu.writeHit(low, 8 * n);
        if (p == null) {
            return each(c, true, regs, n, rip, lengths, cost, page, frame);
        }
        // the first register goes to the highest slot, the last to the lowest (the new RSP)
        int off = (int) low & 0xFFF;
        for (int i = 0; i < n; i++) {
            GuestMemory.LE64.set(p, off + 8 * (n - 1 - i), g[(int) (regs >>> (4 * i)) & 0xF]);
        }
        g[RSP] = low;
        retire(c, n, cost);
        return true;
    }

    /** SDM "POP" into each register of {@code regs} in order; the result as {@link #push}'s. */
    static boolean pop(Cpu c, long regs, int n, long rip, long lengths, int cost, DecodeCache.CodePage page,
            long frame) {
        long[] g = c.gpr;
        long sp = g[RSP];
        byte[] p = c.mmu.readHit(sp, 8 * n);
        if (p == null) {
            return each(c, false, regs, n, rip, lengths, cost, page, frame);
        }
        int off = (int) sp & 0xFFF;
        for (int i = 0; i < n; i++) {
            g[(int) (regs >>> (4 * i)) & 0xF] = (long) GuestMemory.LE64.get(p, off + 8 * i);
        }
        g[RSP] = sp + 8L * n;
        retire(c, n, cost);
        return true;
    }

    private static void retire(Cpu c, int n, int cost) {
        c.cycles += (long) cost * n;
        c.retired += n;
        c.steps += n;
    }

    /**
     * One instruction at a time, as the block's per-instruction code: {@link BlockMemory}'s push
     * ({@code push} true) or pop for each register of {@code regs} in order.
     */
    private static boolean each(Cpu c, boolean push, long regs, int n, long rip, long lengths, int cost,
            DecodeCache.CodePage page, long frame) {
        long mmio = c.memory.mmioAccessCount();
        for (int i = 0; i < n; i++) {
            c.rip = rip;
            int r = (int) (regs >>> (4 * i)) & 0xF;
            if (push) {
                BlockMemory.push(c, c.gpr[r], 8);
            } else {
                c.gpr[r] = BlockMemory.pop(c, 8);
            }
            retire(c, 1, cost);
            rip += (lengths >>> (4 * i)) & 0xF;
            if (page.frame != frame || c.memory.mmioAccessCount() != mmio) {
                c.rip = rip;
                return false;
            }
        }
        return true;
    }
}
