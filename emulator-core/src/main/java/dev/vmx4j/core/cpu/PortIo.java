package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;

/**
 * The I/O instructions IN, OUT, INS and OUTS (one iteration; the REP logic stays with the other
 * string instructions): the permission check, the VM exit, the I/O breakpoints, the bus access.
 */
final class PortIo {

    private PortIo() {
    }

    /** IN and OUT. */
    static void inOut(Cpu c, DecodedInstruction d) {
        boolean out = d.mnemonic == Mnemonic.OUT;
        int portOp = out ? 0 : 1;
        int accOp = out ? 1 : 0;
        int port = d.kind[portOp] == OperandKind.IMM ? (int) d.immediate & 0xFF : (int) c.gpr[2] & 0xFFFF;
        int size = d.size[accOp];
        check(c, d, port, size, !out, -1, 0);
        if (out) {
            int v = (int) c.reg(0, size);
            c.io.out(port, size, v);
            c.notifyIo(port, size, true, v);
        } else {
            int v = c.io.in(port, size);
            c.setReg(0, size, v & 0xFFFFFFFFL);
            c.notifyIo(port, size, false, v);
        }
        // A device (the PIC, the PIT) may have changed what the interrupt controller reports.
        c.pending.controllerChanged();
    }

    /** One INS iteration: port DX to ES:rDI. */
    static void ins(Cpu c, DecodedInstruction d, int size, long rdi) {
        int port = (int) c.gpr[2] & 0xFFFF;
        check(c, d, port, size, true, Cpu.SEG_ES, rdi);
        long lin = c.linear(Cpu.SEG_ES, rdi, size, true);
        c.mmu.probeWrite(lin, size, c.userAccess);
        int v = c.io.in(port, size);
        c.notifyIo(port, size, false, v);
        c.writeMem(Cpu.SEG_ES, rdi, size, v);
        c.pending.controllerChanged();
    }

    /** One OUTS iteration: seg:rSI to port DX. */
    static void outs(Cpu c, DecodedInstruction d, int size, long rsi) {
        int port = (int) c.gpr[2] & 0xFFFF;
        check(c, d, port, size, false, d.memSegment, rsi);
        int v = (int) c.readMem(d.memSegment, rsi, size);
        c.io.out(port, size, v);
        c.notifyIo(port, size, true, v);
        c.pending.controllerChanged();
    }

    /**
     * SDM "Relative Priority of Faults and VM Exits": the IOPL and TSS I/O-bitmap checks come
     * first, then the I/O VM exit, before any memory access; an I/O breakpoint is a trap after
     * the instruction, so only an instruction that does not exit records it. {@code segment} is the
     * string operand's segment register and {@code offset} its offset for INS/OUTS, -1 for IN/OUT.
     */
    private static void check(Cpu c, DecodedInstruction d, int port, int size, boolean in, int segment, long offset) {
        checkPermission(c, port, size);
        if (c.vmx.nonRoot) {
            // INS/OUTS: the string operand's linear address (segment base + offset) for the exit.
            long linear = segment < 0 ? 0 : c.seg[segment].base + offset;
            c.vmx.io(d, port, size, in, segment, c.mode64 ? linear : linear & 0xFFFFFFFFL);
        }
        if (c.ioBreakpoints) {
            Breakpoints.matchIo(c, port, size);
        }
    }

    /** SDM "I/O Permission Bit Map": with CPL &gt; IOPL (or in virtual-8086 mode) the TSS bitmap decides. */
    private static void checkPermission(Cpu c, int port, int size) {
        if (!((c.cr0 & Cpu.CR0_PE) != 0 && (c.cpl > c.iopl() || (c.rflagsRest & Cpu.RF_VM) != 0))) {
            return;
        }
        SegmentState tr = c.seg[Cpu.SEG_TR];
        int type = tr.ar & 0xF;
        long limit = tr.limit & 0xFFFFFFFFL;
        if ((type != 9 && type != 11) || limit < 0x67) {
            throw CpuException.gp(0);
        }
        long mapBase = c.readSystem(tr.base + 0x66, 2);
        long byteOff = mapBase + (port >>> 3);
        if (byteOff + 1 > limit) {
            throw CpuException.gp(0);
        }
        long bits = c.readSystem(tr.base + byteOff, 2);
        long want = ((1L << size) - 1) << (port & 7);
        if ((bits & want) != 0) {
            throw CpuException.gp(0);
        }
    }
}
