package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;

/**
 * Far JMP, CALL and RET: real and virtual-8086 mode, and protected/IA-32e mode through code
 * segment descriptors and call gates (RET also to an outer level). JMP/CALL to a TSS descriptor
 * or a task gate switch tasks through {@link TaskSwitch} (32-bit TSSs outside IA-32e mode).
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
        if ((selector & 0xFFFC) != 0) {
            long probe = c.events.readDescriptor(selector, 0);
            if ((EventDelivery.arFromDescriptor(probe) & SegmentState.AR_S) == 0) {
                throughGate(c, selector, probe, call);
                return;
            }
        }
        long desc = checkCodeTarget(c, selector, false);
        if (call) {
            try {
                c.push(c.seg[Cpu.SEG_CS].selector, size);
                c.push(c.nextRip, size);
            } catch (ArchitecturalEvent e) {
                c.gpr[4] = savedRsp;
                throw e;
            }
        }
        commitCode(c, selector, desc, offset, c.cpl, savedRsp);
    }

    /**
     * Far CALL/JMP through a call gate: SDM "CALL—Call Procedure" (call-gate cases) with 32-bit
     * (type 0CH) and 16-bit (type 04H) gates outside IA-32e mode and 16-byte 64-bit gates inside
     * it. A CALL to a more privileged nonconforming segment switches to the TSS stack of the new
     * level (32-bit gates copy their parameter count of doublewords, 16-bit gates of words). TSS
     * descriptors and task gates switch tasks ({@link TaskSwitch}).
     */
    private static void throughGate(Cpu c, int gateSel, long gate, boolean call) {
        int gar = EventDelivery.arFromDescriptor(gate);
        int type = gar & 0xF;
        int gdpl = gar >>> 5 & 3;
        boolean ia32e = c.longModeActive();
        if (!ia32e && (type == 9 || type == 11 || type == 5)) {
            // SDM "JMP"/"CALL": a TSS descriptor or task gate whose DPL >= CPL and >= RPL switches tasks.
            if (gdpl < c.cpl || gdpl < (gateSel & 3)) {
                throw CpuException.gp(gateSel & 0xFFFC);
            }
            int tss = gateSel;
            long desc = gate;
            if (type == 5) {
                if ((gar & SegmentState.AR_P) == 0) {
                    throw CpuException.np(gateSel & 0xFFFC);
                }
                tss = (int) (gate >>> 16) & 0xFFFF;
                desc = c.events.readDescriptor(tss, 0);
            }
            c.nextRip = TaskSwitch.switchTo(c, tss, desc, call ? TaskSwitch.CALL : TaskSwitch.JMP, c.nextRip, 0);
            return;
        }
        boolean gate16 = type == 0x4 && !ia32e;
        if ((type != 0xC && !gate16) || gdpl < c.cpl || gdpl < (gateSel & 3)) {
            throw CpuException.gp(gateSel & 0xFFFC);
        }
        if ((gar & SegmentState.AR_P) == 0) {
            throw CpuException.np(gateSel & 0xFFFC);
        }
        long offset = gate16 ? gate & 0xFFFFL : (gate & 0xFFFFL) | ((gate >>> 32) & 0xFFFF0000L);
        if (ia32e) {
            // SDM "Call Gates" (IA-32e mode): the upper 8 bytes hold offset[63:32]; their type field must be 0.
            if ((gateSel & 0xFFF8) + 15L > (((gateSel & 4) != 0 ? c.seg[Cpu.SEG_LDTR].limit : c.gdtrLimit) & 0xFFFFFFFFL)) {
                throw CpuException.gp(gateSel & 0xFFFC);
            }
            long base = (gateSel & 4) != 0 ? c.seg[Cpu.SEG_LDTR].base : c.gdtrBase;
            long high = c.readSystem(base + (gateSel & 0xFFF8) + 8, 8);
            if (((high >>> 40) & 0x1F) != 0) {
                throw CpuException.gp(gateSel & 0xFFFC);
            }
            offset |= (high & 0xFFFFFFFFL) << 32;
        }
        int cs = (int) (gate >>> 16) & 0xFFFF;
        if ((cs & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        long desc = c.events.readDescriptor(cs, 0);
        int ar = EventDelivery.arFromDescriptor(desc);
        int dpl = ar >>> 5 & 3;
        boolean conforming = (ar & 4) != 0;
        if ((ar & SegmentState.AR_S) == 0 || (ar & 8) == 0 || dpl > c.cpl || (!call && !conforming && dpl != c.cpl)
                || (ia32e && ((ar & SegmentState.AR_L) == 0 || (ar & SegmentState.AR_DB) != 0))) {
            throw CpuException.gp(cs & 0xFFFC);
        }
        if ((ar & SegmentState.AR_P) == 0) {
            throw CpuException.np(cs & 0xFFFC);
        }
        int size = ia32e ? 8 : gate16 ? 2 : 4;
        long savedRsp = c.gpr[4];
        int oldCs = c.seg[Cpu.SEG_CS].selector;
        long ret = c.nextRip;
        if (!call) {
            commitCode(c, cs, desc, offset, c.cpl, savedRsp);
            return;
        }
        if (conforming || dpl == c.cpl) {
            try {
                c.push(oldCs, size);
                c.push(ret, size);
            } catch (ArchitecturalEvent e) {
                c.gpr[4] = savedRsp;
                throw e;
            }
            commitCode(c, cs, desc, offset, c.cpl, savedRsp);
            return;
        }
        innerCall(c, cs, desc, offset, dpl, (int) (gate >>> 32) & 0x1F, size, oldCs, ret);
    }

    /** The inner-privilege part of a far CALL through a call gate. */
    private static void innerCall(Cpu c, int cs, long desc, long offset, int newCpl, int paramCount, int size,
                                  int oldCs, long ret) {
        SegmentState tr = c.seg[Cpu.SEG_TR];
        int oldSs = c.seg[Cpu.SEG_SS].selector;
        long oldRsp = c.gpr[4];
        int oldCpl = c.cpl;
        SegmentState oldSsState = new SegmentState();
        oldSsState.copyFrom(c.seg[Cpu.SEG_SS]);
        long[] params = new long[size == 8 ? 0 : paramCount];
        for (int i = 0; i < params.length; i++) {
            params[i] = c.peek((long) size * i, size);
        }
        try {
            if (size == 8) {
                // SDM: in IA-32e mode the new RSP is TSS.RSPn and SS is a null selector with RPL = n.
                if (4 + 8L * newCpl + 7 > (tr.limit & 0xFFFFFFFFL)) {
                    throw CpuException.ts(tr.selector & 0xFFFC);
                }
                long rsp = c.readSystem(tr.base + 4 + 8L * newCpl, 8);
                c.seg[Cpu.SEG_SS].set(newCpl, 0, 0, SegmentState.AR_UNUSABLE | (newCpl << 5));
                c.cpl = newCpl;
                c.updateMode();
                c.gpr[4] = rsp;
            } else {
                if (8 + 8L * newCpl + 1 > (tr.limit & 0xFFFFFFFFL)) {
                    throw CpuException.ts(tr.selector & 0xFFFC);
                }
                long esp = c.readSystem((tr.base + 4 + 8L * newCpl) & 0xFFFFFFFFL, 4);
                int ss = (int) c.readSystem((tr.base + 8 + 8L * newCpl) & 0xFFFFFFFFL, 2);
                c.cpl = newCpl;
                c.events.loadDataSegment(Cpu.SEG_SS, ss);
                c.gpr[4] = esp;
            }
            c.push(oldSs, size);
            c.push(oldRsp, size);
            for (int i = params.length - 1; i >= 0; i--) {
                c.push(params[i], size);
            }
            c.push(oldCs, size);
            c.push(ret, size);
        } catch (ArchitecturalEvent e) {
            c.cpl = oldCpl;
            c.seg[Cpu.SEG_SS].copyFrom(oldSsState);
            c.gpr[4] = oldRsp;
            c.updateMode();
            throw e;
        }
        commitCode(c, cs, desc, offset, newCpl, c.gpr[4]);
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
            // The target must be a code segment (JMP/CALL sent every system descriptor to
            // throughGate already): a data segment is #GP(selector).
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
        } catch (ArchitecturalEvent e) {
            c.cpl = oldCpl;
            c.updateMode();
            throw e;
        }
        c.gpr[4] = size == 8 ? newRsp + imm : (c.gpr[4] & ~c.stackMask()) | ((newRsp + imm) & c.stackMask());
        c.events.nullDataSegmentsBelow(rpl);
    }
}
