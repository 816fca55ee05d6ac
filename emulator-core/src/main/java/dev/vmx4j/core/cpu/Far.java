package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;

/**
 * Far JMP, CALL and RET: real and virtual-8086 mode, and protected/IA-32e mode through code
 * segment descriptors (same privilege, plus RET to an outer level). Call gates, task gates and
 * TSS targets are not implemented yet (DEVIATION: they raise #GP(selector)).
 */
final class Far {

    private Far() {
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        int size = d.operandSize;
        if (d.mnemonic == Mnemonic.RET_FAR) {
            retFar(c, d, size);
            return;
        }
        long offset;
        int selector;
        if (d.kind[0] == OperandKind.FAR_PTR) {
            offset = d.immediate;
            selector = (int) d.immediate2 & 0xFFFF;
        } else if (d.kind[0] == OperandKind.MEM) {
            long ea = x.ea(d);
            offset = c.readMem(d.memSegment, ea, size);
            long selOff = ea + size;
            if (d.addressSize == 2) {
                selOff &= 0xFFFF;
            } else if (d.addressSize == 4) {
                selOff &= 0xFFFFFFFFL;
            }
            selector = (int) c.readMem(d.memSegment, selOff, 2);
        } else {
            throw CpuException.ud();
        }
        offset &= size == 2 ? 0xFFFFL : size == 4 ? 0xFFFFFFFFL : -1L;
        boolean call = d.mnemonic == Mnemonic.CALL_FAR;
        long savedRsp = c.gpr[4];
        if (!c.protectedMode()) {
            if (offset > (c.seg[Cpu.SEG_CS].limit & 0xFFFFFFFFL)) {
                throw CpuException.gp(0);
            }
            if (call) {
                c.push(c.seg[Cpu.SEG_CS].selector, size);
                c.push(c.nextRip, size);
            }
            c.loadSegmentReal(Cpu.SEG_CS, selector);
            c.nextRip = offset;
            return;
        }
        long desc = checkCodeTarget(c, selector, false);
        if (call) {
            try {
                c.push(c.seg[Cpu.SEG_CS].selector, size);
                c.push(c.nextRip, size);
            } catch (CpuException e) {
                c.gpr[4] = savedRsp;
                throw e;
            }
        }
        commitCode(c, selector, desc, offset, c.cpl, savedRsp);
    }

    /** Checks a code-segment descriptor for a far JMP/CALL (same privilege) or RET; returns it. */
    private static long checkCodeTarget(Cpu c, int selector, boolean ret) {
        if ((selector & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        long desc = c.events.readDescriptor(selector, 0);
        int ar = EventDelivery.arFromDescriptor(desc);
        int dpl = ar >>> 5 & 3;
        int rpl = selector & 3;
        if ((ar & SegmentState.AR_S) == 0 || (ar & 8) == 0) {
            // DEVIATION: call gates, task gates and TSS descriptors are not followed yet.
            throw CpuException.gp(selector & 0xFFFC);
        }
        boolean conforming = (ar & 4) != 0;
        if (ret) {
            if (rpl < c.cpl || (conforming ? dpl > rpl : dpl != rpl)) {
                throw CpuException.gp(selector & 0xFFFC);
            }
        } else if (conforming ? dpl > c.cpl : (rpl > c.cpl || dpl != c.cpl)) {
            // SDM "JMP": nonconforming: RPL <= CPL and DPL = CPL; conforming: DPL <= CPL.
            throw CpuException.gp(selector & 0xFFFC);
        }
        if (c.longModeActive() && (ar & SegmentState.AR_L) != 0 && (ar & SegmentState.AR_DB) != 0) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if ((ar & SegmentState.AR_P) == 0) {
            throw CpuException.np(selector & 0xFFFC);
        }
        return desc;
    }

    private static void commitCode(Cpu c, int selector, long desc, long offset, int newCpl, long savedRsp) {
        int ar = EventDelivery.arFromDescriptor(desc);
        int limit = EventDelivery.limitFromDescriptor(desc);
        boolean target64 = c.longModeActive() && (ar & SegmentState.AR_L) != 0;
        if (target64 ? !Cpu.canonical(offset) : offset > (limit & 0xFFFFFFFFL)) {
            c.gpr[4] = savedRsp;
            throw CpuException.gp(0);
        }
        c.seg[Cpu.SEG_CS].set((selector & 0xFFFC) | newCpl, target64 ? 0 : EventDelivery.baseFromDescriptor(desc),
                limit, ar | SegmentState.AR_TYPE_ACCESSED);
        c.cpl = newCpl;
        c.updateMode();
        c.nextRip = offset;
    }

    private static void retFar(Cpu c, DecodedInstruction d, int size) {
        long offset = c.peek(0, size);
        int selector = (int) c.peek(size, size) & 0xFFFF;
        long imm = d.operandCount > 0 && d.kind[0] == OperandKind.IMM ? d.immediate & 0xFFFF : 0;
        long mask = c.stackMask();
        if (!c.protectedMode()) {
            offset &= size == 2 ? 0xFFFFL : 0xFFFFFFFFL;
            if (offset > (c.seg[Cpu.SEG_CS].limit & 0xFFFFFFFFL)) {
                throw CpuException.gp(0);
            }
            c.gpr[4] = (c.gpr[4] & ~mask) | ((c.gpr[4] + 2L * size + imm) & mask);
            c.loadSegmentReal(Cpu.SEG_CS, selector);
            c.nextRip = offset;
            return;
        }
        long savedRsp = c.gpr[4];
        long desc = checkCodeTarget(c, selector, true);
        int rpl = selector & 3;
        if (size != 8) {
            offset &= size == 2 ? 0xFFFFL : 0xFFFFFFFFL;
        }
        if (rpl == c.cpl) {
            c.gpr[4] = (c.gpr[4] & ~mask) | ((c.gpr[4] + 2L * size + imm) & mask);
            commitCode(c, selector, desc, offset, rpl, savedRsp);
            return;
        }
        // SDM "RET": return to an outer privilege level pops SS:RSP as well.
        long newRsp = c.peek(2L * size + imm, size);
        int ss = (int) c.peek(3L * size + imm, size) & 0xFFFF;
        int oldCpl = c.cpl;
        commitCode(c, selector, desc, offset, rpl, savedRsp);
        try {
            c.events.loadDataSegment(Cpu.SEG_SS, ss);
        } catch (CpuException e) {
            c.cpl = oldCpl;
            c.updateMode();
            throw e;
        }
        c.gpr[4] = size == 8 ? newRsp + imm : (c.gpr[4] & ~c.stackMask()) | ((newRsp + imm) & c.stackMask());
    }
}
