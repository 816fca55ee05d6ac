package dev.vmx4j.core.cpu;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;

/**
 * Test machines with a GDT and an IDT whose every gate points at a handler that skips one byte
 * of the faulting instruction and returns, so random code keeps running after faults.
 */
final class Fixtures {

    static final long GDT = 0x5000;
    static final long IDT = 0x6000;
    static final long SKIP = 0x7000;
    static final long SKIP_ERR = 0x7100;
    static final long CODE = 0x10000;
    static final long STACK = 0x80000;

    private Fixtures() {
    }

    /** Vectors that push an error code (SDM "Exception and Interrupt Reference"). */
    static boolean hasError(int v) {
        return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
    }

    /** Interrupt gates (type 0xE, selector 0x08, present) to the skip handlers; 16-byte or 8-byte entries. */
    private static void writeGates(Machine m, int entrySize) {
        for (int v = 0; v < 256; v++) {
            long h = hasError(v) ? SKIP_ERR : SKIP;
            long lo = (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47) | ((h >>> 16 & 0xFFFF) << 48);
            m.memory().write64(IDT + (long) v * entrySize, lo);
            if (entrySize == 16) {
                m.memory().write64(IDT + v * 16L + 8, 0);
            }
        }
        m.setIdtr(IDT, 256 * entrySize - 1);
    }

    static Machine long64(boolean reference) {
        return long64(Machine.builder().memorySize(4L << 20).referenceMode(reference));
    }

    /** The 64-bit fixture on the translating engine, translating every block on first sight. */
    static Machine long64Translated() {
        return long64(Machine.builder().memorySize(4L << 20).engine(dev.vmx4j.core.Engine.TRANSLATOR)
                .translationThreshold(1));
    }

    static Machine long64(Machine.Builder b) {
        Machine m = b.build();
        m.enterLongMode(0x200000);
        m.setCr(4, m.cr(4) | 0x200); // CR4.OSFXSR: random code reaches the SSE subset too
        m.memory().write64(GDT + 8, 0x00209A0000000000L);
        m.memory().write64(GDT + 0x10, 0x00CF92000000FFFFL);
        m.setGdtr(GDT, 0x17);
        m.memory().load(SKIP, Guest.bytes("488304240148CF"));            // add qword [rsp],1; iretq
        m.memory().load(SKIP_ERR, Guest.bytes("4883C408488304240148CF")); // add rsp,8; add qword [rsp],1; iretq
        writeGates(m, 16);
        m.setRip(CODE);
        m.setReg(Reg.RSP, STACK);
        return m;
    }

    static Machine prot32(boolean reference) {
        Machine m = Machine.builder().memorySize(4L << 20).referenceMode(reference).build();
        m.enterProtectedMode();
        m.memory().write64(GDT + 8, 0x00CF9A000000FFFFL);
        m.memory().write64(GDT + 0x10, 0x00CF92000000FFFFL);
        m.setGdtr(GDT, 0x17);
        m.memory().load(SKIP, Guest.bytes("83042401CF"));          // add dword [esp],1; iret
        m.memory().load(SKIP_ERR, Guest.bytes("83C40483042401CF")); // add esp,4; add dword [esp],1; iret
        writeGates(m, 8);
        m.setRip(CODE);
        m.setReg(Reg.RSP, STACK);
        return m;
    }

    /**
     * Real mode: CS = 0x1000 (code at {@link #CODE}), SS:SP = 0:0x8000, every IVT entry points at a
     * handler that skips one byte of the interrupted instruction and returns.
     */
    static Machine real16(boolean reference) {
        Machine m = Machine.builder().memorySize(4L << 20).referenceMode(reference).build();
        m.setSegment(dev.vmx4j.core.Seg.CS, 0x1000, 0x10000, 0xFFFF, 0x9B);
        m.memory().load(SKIP, Guest.bytes("5589E5FF46025DCF"));
        for (int v = 0; v < 256; v++) {
            m.memory().write32(v * 4L, (int) (SKIP >>> 4) << 16);
        }
        m.setRip(0);
        m.setReg(Reg.RSP, 0x8000);
        return m;
    }
}
