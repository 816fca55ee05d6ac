package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.DebugView;
import dev.vmx4j.core.cpu.SegmentState;

/**
 * Reads and writes one processor's registers (the one gdb selected with {@code Hg}) in the
 * {@link GdbRegister} layout. Segment registers read as their selectors; a write of a selector keeps the hidden part (base, limit, rights),
 * as a debugger expects from a register edit rather than a segment load. The x87 registers are
 * read-only here (writes to st0-st7, the x87 words and pointers, and {@code cpl} are ignored).
 */
final class RegisterFile {

    private static final Reg[] GPRS = Reg.values();
    private static final int MSR_KERNEL_GS_BASE = 0xC0000102;

    private Cpu cpu;

    RegisterFile(Cpu cpu) {
        this.cpu = cpu;
    }

    /** Reads and writes {@code cpu} from now on (gdb's {@code Hg}). */
    void select(Cpu cpu) {
        this.cpu = cpu;
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
                return cpu.rip;
            case EFLAGS:
                return cpu.rflags();
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
            case CR0:
                return cpu.cr0;
            case CR2:
                return cpu.cr2;
            case CR3:
                return cpu.cr3;
            case CR4:
                return cpu.cr4;
            case CR8:
                return cpu.cr8;
            case EFER:
                return cpu.efer;
            case K_GS_BASE:
                return cpu.msr(MSR_KERNEL_GS_BASE);
            case GDTR_BASE:
                return cpu.gdtrBase;
            case GDTR_LIMIT:
                return cpu.gdtrLimit;
            case IDTR_BASE:
                return cpu.idtrBase;
            case IDTR_LIMIT:
                return cpu.idtrLimit;
            case DR0: case DR1: case DR2: case DR3: case DR6: case DR7:
                return cpu.dr[r.index];
            case CPL:
                return cpu.cpl;
            default:
                if (r.ordinal() <= GdbRegister.R15.ordinal()) {
                    return cpu.gpr[GPRS[r.index].number()];
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
                cpu.setRip(v);
                return;
            case EFLAGS:
                cpu.setRflags(v);
                cpu.updateMode();
                return;
            case CS: case SS: case DS: case ES: case FS: case GS: case LDTR: case TR: {
                SegmentState s = seg(r);
                setSegment(s, (int) v & 0xFFFF, s.base(), s.limit(), s.accessRights());
                return;
            }
            case FS_BASE: case GS_BASE: {
                SegmentState s = seg(r);
                setSegment(s, s.selector(), v, s.limit(), s.accessRights());
                return;
            }
            case MXCSR:
                DebugView.setMxcsr(cpu, (int) v);
                return;
            case CR0: case CR2: case CR3: case CR4: case CR8:
                setCr(r.index, v);
                return;
            case EFER:
                cpu.setEfer(v);
                cpu.pagingStateChanged();
                return;
            case K_GS_BASE:
                cpu.setMsr(MSR_KERNEL_GS_BASE, v);
                return;
            case GDTR_BASE:
                cpu.gdtrBase = v;
                return;
            case GDTR_LIMIT:
                cpu.gdtrLimit = (int) v & 0xFFFF;
                return;
            case IDTR_BASE:
                cpu.idtrBase = v;
                return;
            case IDTR_LIMIT:
                cpu.idtrLimit = (int) v & 0xFFFF;
                return;
            case DR0: case DR1: case DR2: case DR3: case DR6: case DR7:
                cpu.dr[r.index] = v;
                cpu.updateDebugState();
                return;
            default:
                if (r.ordinal() <= GdbRegister.R15.ordinal()) {
                    cpu.gpr[GPRS[r.index].number()] = v;
                }
                // x87 registers, x87 pointers, CPL: not writable (see the class comment).
        }
    }

    private SegmentState seg(GdbRegister r) {
        return cpu.seg[Seg.values()[r.index].number()];
    }

    /** As {@code Machine.setSegment}, on the selected processor. */
    private void setSegment(SegmentState s, int selector, long base, int limit, int accessRights) {
        s.set(selector, base, limit, accessRights);
        if (s == cpu.seg[Seg.CS.number()] && (cpu.cr0 & Cpu.CR0_PE) != 0) {
            cpu.cpl = (accessRights >>> 5) & 3;
        }
        cpu.updateMode();
    }

    /** As {@code Machine.setCr}, on the selected processor. */
    private void setCr(int n, long v) {
        switch (n) {
            case 0: cpu.cr0 = v; break;
            case 2: cpu.cr2 = v; break;
            case 3: cpu.cr3 = v; break;
            case 4: cpu.cr4 = v; break;
            default: cpu.cr8 = v; break;
        }
        cpu.updateMode();
        cpu.updateDebugState();
        cpu.pagingStateChanged();
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
