package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.Segment;
import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.DebugView;

/**
 * Reads and writes the machine's registers in the {@link GdbRegister} layout. Segment registers
 * read as their selectors; a write of a selector keeps the hidden part (base, limit, rights),
 * as a debugger expects from a register edit rather than a segment load. The x87 registers are
 * read-only here (writes to st0-st7, the x87 words and pointers, and {@code cpl} are ignored).
 */
final class RegisterFile {

    private static final Reg[] GPRS = Reg.values();
    private static final int MSR_KERNEL_GS_BASE = 0xC0000102;

    private final Machine machine;
    private final Cpu cpu;

    RegisterFile(Machine machine) {
        this.machine = machine;
        this.cpu = Cpu.of(machine);
    }

    /** Appends register {@code r} as target-order hex. */
    void read(GdbRegister r, StringBuilder sb) {
        switch (r.feature) {
            case SSE:
                if (r == GdbRegister.MXCSR) {
                    Hex.appendLe(sb, DebugView.mxcsr(cpu), 4);
                } else {
                    Hex.appendLe(sb, cpu.xmm[2 * r.index], 8);
                    Hex.appendLe(sb, cpu.xmm[2 * r.index + 1], 8);
                }
                return;
            default:
                if (r.bits == 80) {
                    Hex.appendLe(sb, DebugView.stSignificand(cpu, r.index), 8);
                    Hex.appendLe(sb, DebugView.stSignExponent(cpu, r.index), 2);
                } else {
                    Hex.appendLe(sb, value(r), r.bytes());
                }
        }
    }

    /** The value of a register of at most 64 bits. */
    long value(GdbRegister r) {
        switch (r) {
            case RIP:
                return machine.rip();
            case EFLAGS:
                return machine.rflags();
            case CS: case SS: case DS: case ES: case FS: case GS: case LDTR: case TR:
                return seg(r).selector();
            case FCTRL:
                return DebugView.fpuControl(cpu);
            case FSTAT:
                return DebugView.fpuStatus(cpu);
            case FTAG:
                return DebugView.fpuTag(cpu);
            case FISEG:
                return DebugView.fpuPointer(cpu, 0);
            case FIOFF:
                return DebugView.fpuPointer(cpu, 1);
            case FOSEG:
                return DebugView.fpuPointer(cpu, 2);
            case FOOFF:
                return DebugView.fpuPointer(cpu, 3);
            case FOP:
                return DebugView.fpuPointer(cpu, 4);
            case MXCSR:
                return DebugView.mxcsr(cpu);
            case FS_BASE: case GS_BASE:
                return seg(r).base();
            case CR0: case CR2: case CR3: case CR4: case CR8:
                return machine.cr(r.index);
            case EFER:
                return machine.efer();
            case K_GS_BASE:
                return machine.msr(MSR_KERNEL_GS_BASE);
            case GDTR_BASE:
                return machine.gdtrBase();
            case GDTR_LIMIT:
                return machine.gdtrLimit();
            case IDTR_BASE:
                return machine.idtrBase();
            case IDTR_LIMIT:
                return machine.idtrLimit();
            case DR0: case DR1: case DR2: case DR3: case DR6: case DR7:
                return machine.dr(r.index);
            case CPL:
                return machine.cpl();
            default:
                if (r.ordinal() <= GdbRegister.R15.ordinal()) {
                    return machine.reg(GPRS[r.index]);
                }
                return 0;
        }
    }

    /** Writes register {@code r} from target-order hex at {@code pos}. */
    void write(GdbRegister r, String hex, int pos) {
        if (r.bits == 128) {
            cpu.xmm[2 * r.index] = Hex.parseLe(hex, pos, 8);
            cpu.xmm[2 * r.index + 1] = Hex.parseLe(hex, pos + 16, 8);
            return;
        }
        long v = Hex.parseLe(hex, pos, r.bytes());
        switch (r) {
            case RIP:
                machine.setRip(v);
                return;
            case EFLAGS:
                machine.setRflags(v);
                return;
            case CS: case SS: case DS: case ES: case FS: case GS: case LDTR: case TR: {
                Segment s = seg(r);
                machine.setSegment(Seg.values()[r.index], (int) v & 0xFFFF, s.base(), s.limit(), s.accessRights());
                return;
            }
            case FS_BASE: case GS_BASE: {
                Segment s = seg(r);
                machine.setSegment(Seg.values()[r.index], s.selector(), v, s.limit(), s.accessRights());
                return;
            }
            case MXCSR:
                DebugView.setMxcsr(cpu, (int) v);
                return;
            case CR0: case CR2: case CR3: case CR4: case CR8:
                machine.setCr(r.index, v);
                return;
            case EFER:
                machine.setEfer(v);
                return;
            case K_GS_BASE:
                machine.setMsr(MSR_KERNEL_GS_BASE, v);
                return;
            case GDTR_BASE:
                machine.setGdtr(v, machine.gdtrLimit());
                return;
            case GDTR_LIMIT:
                machine.setGdtr(machine.gdtrBase(), (int) v & 0xFFFF);
                return;
            case IDTR_BASE:
                machine.setIdtr(v, machine.idtrLimit());
                return;
            case IDTR_LIMIT:
                machine.setIdtr(machine.idtrBase(), (int) v & 0xFFFF);
                return;
            case DR0: case DR1: case DR2: case DR3: case DR6: case DR7:
                machine.setDr(r.index, v);
                return;
            default:
                if (r.ordinal() <= GdbRegister.R15.ordinal()) {
                    machine.setReg(GPRS[r.index], v);
                }
                // x87 registers, x87 pointers, CPL: not writable (see the class comment).
        }
    }

    private Segment seg(GdbRegister r) {
        return machine.segment(Seg.values()[r.index]);
    }

    /** The {@code g} packet reply: every register in number order. */
    String readAll() {
        StringBuilder sb = new StringBuilder(1200);
        for (GdbRegister r : GdbRegister.all()) {
            read(r, sb);
        }
        return sb.toString();
    }

    /** The {@code G} packet: every register in number order (a shorter packet writes a prefix). */
    void writeAll(String hex) {
        int pos = 0;
        for (GdbRegister r : GdbRegister.all()) {
            if (pos + 2 * r.bytes() > hex.length()) {
                break;
            }
            write(r, hex, pos);
            pos += 2 * r.bytes();
        }
    }
}
