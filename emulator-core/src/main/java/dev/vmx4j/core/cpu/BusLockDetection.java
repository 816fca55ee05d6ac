package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;
import dev.vmx4j.core.decoder.Prefix;

/**
 * SDM "VMM bus-lock detection" (secondary processor-based control, bit 30): finds the bus lock
 * an instruction asserts, so that a trap-like VM exit with basic reason 74 ("Bus lock") follows
 * the instruction once it completed ({@link PendingEvents#busLock}).
 *
 * <p>SDM "Bus Locking" / "Split Lock Detection": a locked access (an instruction with the LOCK
 * prefix, or XCHG with a memory operand, which is always locked) asserts a bus lock when its
 * operand is split across two cache lines (64 bytes) or lies in memory of type UC. Called by
 * {@link Cpu#stepOnce()} (through {@link VmxCpuAccess#exitedBeforeExecution}) before the instruction executes, only while the control is 1 in VMX
 * non-root operation ({@code vmx.busLockDetection}); the fast engines then step
 * ({@link RunConditions}), so every instruction passes here. If the instruction faults or exits
 * instead of completing, no bus-lock VM exit follows it.
 *
 * <p>DEVIATION: only split locked accesses are detected. A locked access to UC memory (CR0.CD,
 * MTRR/PAT/EPT type UC) and the implicitly locked accesses (descriptor accessed-bit and TSS
 * busy-bit updates, paging A/D-bit updates) assert no bus lock in vmx4j.
 */
final class BusLockDetection {

    /** SDM "Split Lock Detection": the cache-line size a split access crosses. */
    static final int CACHE_LINE = 64;

    private BusLockDetection() {
    }

    /** Before {@code d} executes in VMX non-root operation with the control 1: makes a bus-lock exit pending if it splits a locked access. */
    static void check(Cpu c, DecodedInstruction d) {
        int mem = memoryOperand(d);
        if (mem < 0 || !c.vmx.nonRoot) {
            return;
        }
        if (!d.hasPrefix(Prefix.LOCK) && d.mnemonic != Mnemonic.XCHG) {
            return;
        }
        int size = lockedSize(d, mem);
        long offset = c.exec.ea(d);
        if (d.kind[1] != OperandKind.IMM && mem == 0 && isBitTest(d.mnemonic)) {
            // SDM "BT—Bit Test": a register bit offset is signed and moves the accessed operand
            // by (offset SAR log2(width)) * size.
            int shift = size == 2 ? 4 : size == 4 ? 5 : 6;
            int bits = 64 - size * 8;
            long bitOffset = c.gpr[d.reg[1]] << bits >> bits;
            offset += (bitOffset >> shift) * size;
            if (d.addressSize != 8) {
                offset &= d.addressSize == 2 ? 0xFFFFL : 0xFFFFFFFFL;
            }
        }
        long linear = linear(c, d.memSegment, offset);
        if (splits(linear, size)) {
            c.pending.busLock();
        }
    }

    /** True if {@code size} bytes at {@code linear} lie in two cache lines. */
    static boolean splits(long linear, int size) {
        return (linear & (CACHE_LINE - 1)) + size > CACHE_LINE;
    }

    /** The index of the memory operand, or -1. */
    private static int memoryOperand(DecodedInstruction d) {
        for (int i = 0; i < d.operandCount; i++) {
            if (d.kind[i] == OperandKind.MEM) {
                return i;
            }
        }
        return -1;
    }

    private static int lockedSize(DecodedInstruction d, int mem) {
        if (d.mnemonic == Mnemonic.CMPXCHG8B) {
            return 8;
        }
        if (d.mnemonic == Mnemonic.CMPXCHG16B) {
            return 16;
        }
        return d.size[mem];
    }

    private static boolean isBitTest(Mnemonic m) {
        return m == Mnemonic.BTS || m == Mnemonic.BTR || m == Mnemonic.BTC;
    }

    /**
     * The linear address of {@code offset} in segment {@code s}, without the limit and canonical
     * checks the access itself makes (an access that fails them faults: no bus lock).
     */
    private static long linear(Cpu c, int s, long offset) {
        if (c.mode64) {
            return s >= Cpu.SEG_FS && s <= Cpu.SEG_GS ? offset + c.seg[s].base : offset;
        }
        return (c.seg[s].base + offset) & 0xFFFFFFFFL;
    }
}
