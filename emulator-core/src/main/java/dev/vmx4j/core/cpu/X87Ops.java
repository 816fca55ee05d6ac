package dev.vmx4j.core.cpu;

import dev.vmx4j.core.cpu.x87.Float80;
import dev.vmx4j.core.cpu.x87.X87Math;
import dev.vmx4j.core.cpu.x87.X87Unit;
import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * The x87 instructions (escape opcodes D8-DF, SDM "Escape Opcode Instructions"): operand
 * fetch from the register stack or memory, the stack discipline (push, pop, stack fault), the
 * condition codes and the exception response, over the arithmetic of {@link Float80} and
 * {@link X87Math}. MANUAL: the encodings Intel processors execute as aliases though the SDM's
 * opcode tables leave them blank (D9 D8+i FSTP1, DC D0+i/D8+i FCOM2/FCOMP3, DD C8+i FXCH4,
 * DE D0+i FCOMP5, DF C8+i FXCH7, DF D0+i/D8+i FSTP8/FSTP9) execute as their originals, and
 * FENI/FDISI/FSETPM (DB E0/E1/E4) as no-ops; the remaining reserved encodings raise #UD.
 *
 * <p>SDM "Using the TS, EM and MP flags": #NM when CR0.EM or CR0.TS is set. SDM "x87 FPU Exception
 * Synchronization": a waiting instruction raises #MF first when an unmasked exception is pending
 * (status ES) and CR0.NE = 1. MANUAL: with CR0.NE = 0 (the FERR#/IGNNE# external path) the
 * pending exception is ignored, as if IGNNE# were asserted; the flags stay set.
 */
final class X87Ops {

    private static final int IE = Float80.IE;
    private static final int DE = Float80.DE;
    private static final int ZE = Float80.ZE;
    private static final int PRE = IE | DE | ZE;

    private X87Ops() {
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        if ((c.cr0 & (Cpu.CR0_EM | Cpu.CR0_TS)) != 0) {
            throw new CpuException(CpuException.NM, 0, false);
        }
        X87Unit u = c.x87;
        int op = d.opcode & 7;
        int modrm = d.modrm;
        int reg = (modrm >>> 3) & 7;
        boolean mem = (modrm & 0xC0) != 0xC0;
        if (!nonWaiting(op, reg, mem, modrm)) {
            pendingCheck(c);
        }
        u.f.control(u.control);
        if (mem) {
            memoryForm(c, x, d, u, op, reg);
            if (!controlMemory(op, reg)) {
                pointers(c, x, d, u, op, modrm, true);
            }
        } else {
            registerForm(c, u, op, reg, modrm & 7);
            if (!(op == 3 && (modrm == 0xE2 || modrm == 0xE3)) && !(op == 7 && modrm == 0xE0)) {
                pointers(c, x, d, u, op, modrm, false);
            }
        }
    }

    /** SDM "WAIT/FWAIT": #NM if CR0.MP and CR0.TS are both set; then a pending #MF. */
    static void fwait(Cpu c) {
        if ((c.cr0 & (Cpu.CR0_MP | Cpu.CR0_TS)) == (Cpu.CR0_MP | Cpu.CR0_TS)) {
            throw new CpuException(CpuException.NM, 0, false);
        }
        pendingCheck(c);
    }

    private static void pendingCheck(Cpu c) {
        if ((c.x87.status & X87Unit.SW_ES) != 0 && (c.cr0 & Cpu.CR0_NE) != 0) {
            throw new CpuException(CpuException.MF, 0, false);
        }
    }

    /** FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE do not check for pending exceptions. */
    private static boolean nonWaiting(int op, int reg, boolean mem, int modrm) {
        if (mem) {
            return (op == 1 && (reg == 6 || reg == 7)) || (op == 5 && (reg == 6 || reg == 7));
        }
        return (op == 3 && (modrm == 0xE2 || modrm == 0xE3)) || (op == 7 && modrm == 0xE0);
    }

    /** FLDENV, FLDCW, FNSTENV, FNSTCW, FRSTOR, FNSAVE, FNSTSW leave the last-instruction pointers alone. */
    private static boolean controlMemory(int op, int reg) {
        return (op == 1 && reg >= 4) || (op == 5 && reg >= 4 && reg != 5);
    }

    private static void pointers(Cpu c, Exec x, DecodedInstruction d, X87Unit u, int op, int modrm, boolean mem) {
        u.fip = c.rip;
        u.fcs = c.seg[Cpu.SEG_CS].selector;
        u.fop = (op << 8) | modrm;
        if (mem) {
            u.fdp = x.ea(d);
            u.fds = c.seg[d.memSegment].selector;
        }
    }

    // ---------------------------------------------------------------- stack helpers

    private static int getSe(X87Unit u, int i) {
        return u.se[u.phys(i)];
    }

    private static long getSig(X87Unit u, int i) {
        return u.sig[u.phys(i)];
    }

    private static void put(X87Unit u, int i, int se, long sig) {
        int p = u.phys(i);
        u.se[p] = se;
        u.sig[p] = sig;
        u.valid |= 1 << p;
    }

    private static void pop(X87Unit u) {
        u.valid &= ~(1 << u.top);
        u.top = (u.top + 1) & 7;
    }

    /** Records flags; C1 from "rounded up" (the caller clears C1 first where the SDM says so). */
    private static void flags(X87Unit u, int f, boolean up) {
        u.status = (u.status & ~X87Unit.SW_C1) | (up ? X87Unit.SW_C1 : 0) | (f & 0x3F);
        if ((f & ~u.control & 0x3F) != 0) {
            u.status |= X87Unit.SW_ES | X87Unit.SW_B;
        }
    }

    /**
     * SDM "Stack Overflow or Underflow Exception (#IS)": IE and SF, C1 = 1 for overflow, 0 for
     * underflow. Returns true when the exception is masked (the caller then writes the indefinite).
     */
    private static boolean stackFault(X87Unit u, boolean overflow) {
        flags(u, IE, overflow);
        u.status |= X87Unit.SW_SF;
        return (u.control & IE) != 0;
    }

    /** Pushes a value; on overflow (ST(7) not empty) the masked response pushes the indefinite. */
    private static void push(X87Unit u, int se, long sig) {
        int np = (u.top - 1) & 7;
        if ((u.valid & (1 << np)) != 0) {
            if (!stackFault(u, true)) {
                return;
            }
            se = Float80.INDEFINITE_SE;
            sig = Float80.INDEFINITE_SIG;
        }
        u.top = np;
        put(u, 0, se, sig);
    }

    private static boolean pushWouldOverflow(X87Unit u) {
        return (u.valid & (1 << ((u.top - 1) & 7))) != 0;
    }

    /** Stores the engine's result to ST(i) unless a pre-computation exception is unmasked; then pops. */
    private static void result(X87Unit u, int i, boolean popAfter) {
        Float80 f = u.f;
        if ((f.flags & ~u.control & PRE) != 0) {
            flags(u, f.flags, false);
            return;
        }
        put(u, i, f.se, f.sig);
        flags(u, f.flags, f.up);
        if (popAfter) {
            pop(u);
        }
    }

    /** Underflow of a two-operand register instruction writing ST(dest). */
    private static void underflowTo(X87Unit u, int dest, boolean popAfter) {
        if (stackFault(u, false)) {
            put(u, dest, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
            if (popAfter) {
                pop(u);
            }
        }
    }

    // ---------------------------------------------------------------- arithmetic

    /** kind: 0 add, 1 mul, 4 a-b, 5 b-a, 6 a/b, 7 b/a. */
    private static void arith(Float80 f, int kind, int aSe, long aSig, int bSe, long bSig) {
        switch (kind) {
            case 0: f.add(aSe, aSig, bSe, bSig, false); break;
            case 1: f.mul(aSe, aSig, bSe, bSig); break;
            case 4: f.add(aSe, aSig, bSe, bSig, true); break;
            case 5: f.add(bSe, bSig, aSe, aSig, true); break;
            case 6: f.div(aSe, aSig, bSe, bSig); break;
            default: f.div(bSe, bSig, aSe, aSig); break;
        }
    }

    private static void arithRegisters(X87Unit u, int kind, int dest, int src, boolean popAfter) {
        if (u.isEmpty(dest) || u.isEmpty(src)) {
            underflowTo(u, dest, popAfter);
            return;
        }
        arith(u.f, kind, getSe(u, dest), getSig(u, dest), getSe(u, src), getSig(u, src));
        result(u, dest, popAfter);
    }

    /**
     * The compare instructions. As the recording host shows, the condition codes (or ZF, PF, CF)
     * are written even when #IA or #D is unmasked; only the pops are suppressed then.
     */
    private static void compare(Cpu c, X87Unit u, int aSe, long aSig, int bSe, long bSig, boolean quiet, int pops,
            boolean eflags) {
        Float80 f = u.f;
        f.compare(aSe, aSig, bSe, bSig, quiet);
        flags(u, f.flags, false);
        setRelation(c, u, f.relation, eflags);
        if ((f.flags & ~u.control & (IE | DE)) != 0) {
            return;
        }
        for (int i = 0; i < pops; i++) {
            pop(u);
        }
    }

    /** C3 C2 C0 (or ZF PF CF for FCOMI): greater 000, less 001, equal 100, unordered 111. */
    private static void setRelation(Cpu c, X87Unit u, int rel, boolean eflags) {
        boolean z = rel == 0 || rel == 3;
        boolean p = rel == 3;
        boolean cy = rel == 1 || rel == 3;
        if (eflags) {
            long fl = (z ? 0x40 : 0) | (p ? 0x04 : 0) | (cy ? 0x01 : 0);
            c.flags.set(fl);
            u.status &= ~X87Unit.SW_C1;
            return;
        }
        u.status = (u.status & ~X87Unit.SW_CC) | (z ? X87Unit.SW_C3 : 0) | (p ? X87Unit.SW_C2 : 0)
                | (cy ? X87Unit.SW_C0 : 0);
    }

    private static void compareRegisters(Cpu c, X87Unit u, int i, boolean quiet, int pops, boolean eflags) {
        if (u.isEmpty(0) || u.isEmpty(i)) {
            boolean masked = stackFault(u, false);
            setRelation(c, u, 3, eflags);
            if (masked) {
                for (int k = 0; k < pops; k++) {
                    pop(u);
                }
            }
            return;
        }
        compare(c, u, getSe(u, 0), getSig(u, 0), getSe(u, i), getSig(u, i), quiet, pops, eflags);
    }

    // ---------------------------------------------------------------- memory forms

    private static long next(DecodedInstruction d, long off, int add) {
        long n = off + add;
        return d.addressSize == 8 ? n : d.addressSize == 4 ? n & 0xFFFFFFFFL : n & 0xFFFFL;
    }

    private static void memoryForm(Cpu c, Exec x, DecodedInstruction d, X87Unit u, int op, int reg) {
        long off = x.ea(d);
        int s = d.memSegment;
        Float80 f = u.f;
        switch (op) {
            case 0: // D8: arithmetic with m32fp
            case 4: // DC: m64fp
            case 2: // DA: m32int
            case 6: { // DE: m16int
                long raw = op == 0 || op == 2 ? c.readMem(s, off, 4) : op == 4 ? c.readMem(s, off, 8) : c.readMem(s, off, 2);
                int convFlags;
                if (op == 0 || op == 4) {
                    f.fromBinary(raw, op == 0 ? 32 : 64);
                    convFlags = f.flags & DE;
                    if (Float80.isNaN(f.se, f.sig) && (f.flags & IE) != 0) {
                        f.sig &= ~Float80.QUIET; // keep it signalling for the operation's NaN rules
                    }
                } else {
                    f.fromLong(op == 2 ? (long) (int) raw : (long) (short) raw);
                    convFlags = 0;
                }
                int bSe = f.se;
                long bSig = f.sig;
                if (u.isEmpty(0)) {
                    if (reg == 2 || reg == 3) {
                        boolean masked = stackFault(u, false);
                        setRelation(c, u, 3, false);
                        if (masked && reg == 3) {
                            pop(u);
                        }
                    } else {
                        underflowTo(u, 0, false);
                    }
                    return;
                }
                if (reg == 2 || reg == 3) {
                    f.compare(getSe(u, 0), getSig(u, 0), bSe, bSig, false);
                    if (!Float80.isNaN(getSe(u, 0), getSig(u, 0)) && !Float80.isUnsupported(getSe(u, 0), getSig(u, 0))) {
                        f.flags |= convFlags; // a NaN or invalid ST(0) decides first: no #D
                    }
                    flags(u, f.flags, false);
                    setRelation(c, u, f.relation, false);
                    if (reg == 3 && (f.flags & ~u.control & (IE | DE)) == 0) {
                        pop(u);
                    }
                    return;
                }
                if ((convFlags & ~u.control) != 0 && !Float80.isNaN(getSe(u, 0), getSig(u, 0))) {
                    flags(u, convFlags, false);
                    return;
                }
                arith(f, reg, getSe(u, 0), getSig(u, 0), bSe, bSig);
                if (!Float80.isNaN(getSe(u, 0), getSig(u, 0)) && !Float80.isUnsupported(getSe(u, 0), getSig(u, 0))) {
                    f.flags |= convFlags;
                }
                result(u, 0, false);
                return;
            }
            case 1: // D9
                switch (reg) {
                    case 0: // FLD m32fp
                        loadValue(u, f, c.readMem(s, off, 4), 32);
                        return;
                    case 2:
                    case 3: // FST/FSTP m32fp
                        storeBinary(c, d, u, off, 32, reg == 3);
                        return;
                    case 4:
                        loadEnvironment(c, d, u, off);
                        return;
                    case 5: // FLDCW
                        u.control = (int) c.readMem(s, off, 2) & 0x1F7F | 0x40;
                        u.updateErrorSummary();
                        return;
                    case 6:
                        storeEnvironment(c, d, u, off);
                        u.control |= 0x3F;
                        return;
                    case 7: // FNSTCW
                        c.writeMem(s, off, 2, u.control);
                        return;
                    default:
                        throw CpuException.ud();
                }
            case 3: // DB
                switch (reg) {
                    case 0:
                        f.fromLong((int) c.readMem(s, off, 4));
                        pushLoaded(u, f);
                        return;
                    case 1:
                    case 2:
                    case 3:
                        storeInteger(c, u, s, off, 32, reg != 2, reg == 1);
                        return;
                    case 5: { // FLD m80fp
                        long lo = c.readMem(s, off, 8);
                        int hi = (int) c.readMem(s, next(d, off, 8), 2);
                        if (pushWouldOverflow(u)) {
                            push(u, 0, 0);
                            return;
                        }
                        push(u, hi, lo);
                        u.status &= ~X87Unit.SW_C1;
                        return;
                    }
                    case 7: { // FSTP m80fp
                        if (u.isEmpty(0)) {
                            if (!stackFault(u, false)) {
                                return;
                            }
                            write80(c, d, off, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
                        } else {
                            write80(c, d, off, getSe(u, 0), getSig(u, 0));
                            u.status &= ~X87Unit.SW_C1;
                        }
                        pop(u);
                        return;
                    }
                    default:
                        throw CpuException.ud();
                }
            case 5: // DD
                switch (reg) {
                    case 0:
                        loadValue(u, f, c.readMem(s, off, 8), 64);
                        return;
                    case 1:
                        storeInteger(c, u, s, off, 64, true, true);
                        return;
                    case 2:
                    case 3:
                        storeBinary(c, d, u, off, 64, reg == 3);
                        return;
                    case 4:
                        restore(c, d, u, off);
                        return;
                    case 6:
                        save(c, d, u, off);
                        return;
                    case 7: // FNSTSW m16
                        c.writeMem(s, off, 2, u.statusWord());
                        return;
                    default:
                        throw CpuException.ud();
                }
            default: // DF
                switch (reg) {
                    case 0:
                        f.fromLong((short) c.readMem(s, off, 2));
                        pushLoaded(u, f);
                        return;
                    case 1:
                    case 2:
                    case 3:
                        storeInteger(c, u, s, off, 16, reg != 2, reg == 1);
                        return;
                    case 4: { // FBLD
                        long lo = c.readMem(s, off, 8);
                        int hi = (int) c.readMem(s, next(d, off, 8), 2);
                        f.fromBcd(lo, hi);
                        pushLoaded(u, f);
                        return;
                    }
                    case 5:
                        f.fromLong(c.readMem(s, off, 8));
                        pushLoaded(u, f);
                        return;
                    case 6:
                        storeBcd(c, d, u, off);
                        return;
                    default:
                        storeInteger(c, u, s, off, 64, true, false);
                        return;
                }
        }
    }

    /** Pushes the engine's value with its conversion flags (FILD, FBLD, FLD m32/m64). */
    private static void pushLoaded(X87Unit u, Float80 f) {
        if (pushWouldOverflow(u)) {
            push(u, 0, 0);
            return;
        }
        // an unmasked #D on a load still loads the (normalized) value, as the host shows
        if ((f.flags & ~u.control & (IE | ZE)) != 0) {
            flags(u, f.flags, false);
            return;
        }
        push(u, f.se, f.sig);
        flags(u, f.flags, false);
    }

    private static void loadValue(X87Unit u, Float80 f, long raw, int width) {
        f.fromBinary(raw, width);
        pushLoaded(u, f);
    }

    private static void write80(Cpu c, DecodedInstruction d, long off, int se, long sig) {
        long lin = c.linear(d.memSegment, off, 10, true);
        c.mmu.probeWrite(lin, 10, c.userAccess);
        c.writeMem(d.memSegment, off, 8, sig);
        c.writeMem(d.memSegment, next(d, off, 8), 2, se & 0xFFFF);
    }

    private static void storeBinary(Cpu c, DecodedInstruction d, X87Unit u, long off, int width, boolean popAfter) {
        Float80 f = u.f;
        long v;
        if (u.isEmpty(0)) {
            if (!stackFault(u, false)) {
                return;
            }
            v = width == 32 ? 0xFFC00000L : 0xFFF8000000000000L;
            f.flags = 0;
        } else {
            v = f.toBinary(getSe(u, 0), getSig(u, 0), width);
            // SDM "FST/FSTP": an unmasked exception leaves memory and the stack unchanged.
            if ((f.flags & ~u.control & 0x3F & ~Float80.PE) != 0) {
                // nothing is stored, so an unmasked #O/#U reports no #P (as the host shows)
                int fl = (f.flags & ~u.control & (Float80.OE | Float80.UE)) != 0 ? f.flags & ~Float80.PE : f.flags;
                flags(u, fl, false);
                return;
            }
            flags(u, f.flags, f.up);
        }
        c.writeMem(d.memSegment, off, width / 8, v);
        if (popAfter) {
            pop(u);
        }
    }

    private static void storeInteger(Cpu c, X87Unit u, int s, long off, int bits, boolean popAfter, boolean truncate) {
        Float80 f = u.f;
        long v;
        if (u.isEmpty(0)) {
            if (!stackFault(u, false)) {
                return;
            }
            v = 1L << (bits - 1);
        } else {
            v = f.toInteger(getSe(u, 0), getSig(u, 0), bits, truncate);
            if ((f.flags & ~u.control & (IE | DE)) != 0) {
                flags(u, f.flags, false);
                return;
            }
            flags(u, f.flags, f.up);
        }
        c.writeMem(s, off, bits / 8, v);
        if (popAfter) {
            pop(u);
        }
    }

    private static void storeBcd(Cpu c, DecodedInstruction d, X87Unit u, long off) {
        Float80 f = u.f;
        long lo;
        int hi;
        if (u.isEmpty(0)) {
            if (!stackFault(u, false)) {
                return;
            }
            lo = 0xC000000000000000L;
            hi = 0xFFFF;
        } else {
            lo = f.toBcd(getSe(u, 0), getSig(u, 0));
            hi = f.bcdHigh;
            if ((f.flags & ~u.control & (IE | DE)) != 0) {
                flags(u, f.flags, false);
                return;
            }
            flags(u, f.flags, f.up);
        }
        write80(c, d, off, hi, lo);
        pop(u);
    }

    // ---------------------------------------------------------------- register forms

    private static void registerForm(Cpu c, X87Unit u, int op, int reg, int i) {
        Float80 f = u.f;
        switch (op) {
            case 0: // D8
                if (reg == 2 || reg == 3) {
                    compareRegisters(c, u, i, false, reg == 3 ? 1 : 0, false);
                } else {
                    arithRegisters(u, reg, 0, i, false);
                }
                return;
            case 1:
                d9Register(c, u, f, reg, i);
                return;
            case 2: // DA
                if (reg < 4) {
                    fcmov(c, u, reg, i, false);
                } else if (reg == 5 && i == 1) {
                    compareRegisters(c, u, 1, true, 2, false); // FUCOMPP
                } else {
                    throw CpuException.ud();
                }
                return;
            case 3: // DB
                if (reg < 4) {
                    fcmov(c, u, reg, i, true);
                } else if (reg == 4 && i == 2) {
                    // SDM "FCLEX/FNCLEX": clears PE, UE, OE, ZE, DE, IE, SF, ES and B.
                    u.status &= ~(0xFF | X87Unit.SW_B);
                } else if (reg == 4 && i == 3) {
                    u.init();
                } else if (reg == 4 && (i == 0 || i == 1 || i == 4)) {
                    // FENI, FDISI, FSETPM (8087/80287): no operation on later processors
                    return;
                } else if (reg == 5 || reg == 6) {
                    compareRegisters(c, u, i, reg == 5, 0, true);
                } else {
                    throw CpuException.ud();
                }
                return;
            case 4: // DC: ST(i) = ST(i) op ST(0), with the SUB/SUBR and DIV/DIVR encodings swapped
                if (reg == 2 || reg == 3) { // DC D0+i/D8+i: FCOM2/FCOMP3, aliases of FCOM/FCOMP ST(i)
                    compareRegisters(c, u, i, false, reg - 2, false);
                    return;
                }
                arithRegisters(u, reg >= 4 ? reg ^ 1 : reg, i, 0, false);
                return;
            case 5: // DD
                switch (reg) {
                    case 0: // FFREE
                        u.valid &= ~(1 << u.phys(i));
                        return;
                    case 1: // DD C8+i: FXCH4, an alias of FXCH
                        fxch(u, i);
                        return;
                    case 2:
                    case 3: // FST/FSTP ST(i)
                        fst(u, i, reg == 3);
                        return;
                    case 4:
                    case 5:
                        compareRegisters(c, u, i, true, reg == 5 ? 1 : 0, false);
                        return;
                    default:
                        throw CpuException.ud();
                }
            case 6: // DE
                if (reg == 3 && i == 1) {
                    compareRegisters(c, u, 1, false, 2, false); // FCOMPP
                    return;
                }
                if (reg == 2) { // DE D0+i: FCOMP5, an alias of FCOMP ST(i)
                    compareRegisters(c, u, i, false, 1, false);
                    return;
                }
                if (reg == 3) {
                    throw CpuException.ud();
                }
                arithRegisters(u, reg >= 4 ? reg ^ 1 : reg, i, 0, true);
                return;
            default: // DF
                if (reg == 0) { // FFREEP
                    u.valid &= ~(1 << u.phys(i));
                    pop(u);
                } else if (reg == 1) { // DF C8+i: FXCH7
                    fxch(u, i);
                } else if (reg == 2 || reg == 3) { // DF D0+i/D8+i: FSTP8/FSTP9
                    fst(u, i, true);
                } else if (reg == 4 && i == 0) { // FNSTSW AX
                    c.setReg(0, 2, u.statusWord());
                } else if (reg == 5 || reg == 6) {
                    compareRegisters(c, u, i, reg == 5, 1, true);
                } else {
                    throw CpuException.ud();
                }
        }
    }

    private static final int[] FCMOV_CC = {0x2, 0x4, 0x6, 0xA};

    private static void fcmov(Cpu c, X87Unit u, int reg, int i, boolean negate) {
        if (u.isEmpty(0) || u.isEmpty(i)) {
            underflowTo(u, 0, false);
            return;
        }
        u.status &= ~X87Unit.SW_C1;
        if (c.flags.condition(FCMOV_CC[reg] | (negate ? 1 : 0))) {
            put(u, 0, getSe(u, i), getSig(u, i));
        }
    }

    // SDM "FLD1/FLDL2T/FLDL2E/FLDPI/FLDLG2/FLDLN2/FLDZ": 128-bit values, rounded per RC.
    private static final long[] CONST_HI = {0x8000000000000000L, 0xD49A784BCD1B8AFEL, 0xB8AA3B295C17F0BBL,
        0xC90FDAA22168C234L, 0x9A209A84FBCFF798L, 0xB17217F7D1CF79ABL, 0};
    private static final long[] CONST_LO = {0, 0x492BF6FF4DAFDB4CL, 0xBE87FED0691D3E88L,
        0xC4C6628B80DC1CD1L, 0x8F8959AC0B7C9178L, 0xC9E3B39803F2F6AFL, 0};
    private static final int[] CONST_EXP = {0, 1, 0, 1, -2, -1, 0};

    private static void d9Register(Cpu c, X87Unit u, Float80 f, int reg, int i) {
        int modrm = 0xC0 | reg << 3 | i;
        switch (reg) {
            case 0: { // FLD ST(i)
                if (u.isEmpty(i)) {
                    if (pushWouldOverflow(u)) {
                        push(u, 0, 0);
                    } else if (stackFault(u, false)) {
                        push(u, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
                    }
                    return;
                }
                boolean overflow = pushWouldOverflow(u);
                push(u, getSe(u, i), getSig(u, i));
                if (!overflow) {
                    u.status &= ~X87Unit.SW_C1;
                }
                return;
            }
            case 1: // FXCH
                fxch(u, i);
                return;
            case 3: // D9 D8+i: FSTP1, an alias of FSTP ST(i)
                if (u.isEmpty(0)) {
                    // MANUAL: from an empty ST(0) the recording host copies the empty tag
                    // without a stack fault, then pops.
                    u.valid &= ~(1 << u.phys(i));
                    pop(u);
                    return;
                }
                fst(u, i, true);
                return;
            case 2:
                if (i != 0) {
                    throw CpuException.ud();
                }
                return; // FNOP
            case 4:
                switch (i) {
                    case 0: // FCHS
                    case 1: // FABS
                        if (u.isEmpty(0)) {
                            underflowTo(u, 0, false);
                            return;
                        }
                        put(u, 0, i == 0 ? getSe(u, 0) ^ 0x8000 : getSe(u, 0) & 0x7FFF, getSig(u, 0));
                        u.status &= ~X87Unit.SW_C1;
                        return;
                    case 4: { // FTST
                        if (u.isEmpty(0)) {
                            stackFault(u, false);
                            setRelation(c, u, 3, false);
                            return;
                        }
                        compare(c, u, getSe(u, 0), getSig(u, 0), 0, 0, false, 0, false);
                        return;
                    }
                    case 5: // FXAM
                        fxam(u);
                        return;
                    default:
                        throw CpuException.ud();
                }
            case 5: { // constants
                if (i == 7) {
                    throw CpuException.ud();
                }
                if (pushWouldOverflow(u)) {
                    push(u, 0, 0);
                    return;
                }
                if (i == 6) {
                    push(u, 0, 0);
                } else {
                    f.clear();
                    f.roundTo(0, CONST_EXP[i], CONST_HI[i], CONST_LO[i], 64, Float80.EMIN, Float80.EMAX, true);
                    push(u, f.rExp + 16383, f.sig);
                }
                u.status &= ~X87Unit.SW_C1;
                return;
            }
            case 6:
            case 7:
                d9Functions(c, u, f, reg == 6 ? i : 8 + i);
                return;
            default:
                throw CpuException.ud();
        }
    }

    /** SDM "FXCH": an empty operand is a stack underflow; the masked response swaps in the indefinite. */
    private static void fxch(X87Unit u, int i) {
        boolean fault = u.isEmpty(0) || u.isEmpty(i);
        if (fault) {
            if (!stackFault(u, false)) {
                return;
            }
            if (u.isEmpty(0)) {
                put(u, 0, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
            }
            if (u.isEmpty(i)) {
                put(u, i, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
            }
        }
        int p0 = u.phys(0);
        int pi = u.phys(i);
        int se = u.se[p0];
        long sig = u.sig[p0];
        u.se[p0] = u.se[pi];
        u.sig[p0] = u.sig[pi];
        u.se[pi] = se;
        u.sig[pi] = sig;
        if (!fault) {
            u.status &= ~X87Unit.SW_C1;
        }
    }

    /** FST/FSTP ST(i) and the FSTP aliases. */
    private static void fst(X87Unit u, int i, boolean popAfter) {
        if (u.isEmpty(0)) {
            underflowTo(u, i, popAfter);
            return;
        }
        put(u, i, getSe(u, 0), getSig(u, 0));
        u.status &= ~X87Unit.SW_C1;
        if (popAfter) {
            pop(u);
        }
    }

    /** SDM "FXAM": C1 = sign; C3 C2 C0 give the class. */
    private static void fxam(X87Unit u) {
        int se = getSe(u, 0);
        long sig = getSig(u, 0);
        int cc;
        if (u.isEmpty(0)) {
            cc = X87Unit.SW_C3 | X87Unit.SW_C0;
        } else if (Float80.isUnsupported(se, sig)) {
            cc = 0;
        } else if (Float80.isNaN(se, sig)) {
            cc = X87Unit.SW_C0;
        } else if (Float80.isInf(se, sig)) {
            cc = X87Unit.SW_C2 | X87Unit.SW_C0;
        } else if (Float80.isZero(se, sig)) {
            cc = X87Unit.SW_C3;
        } else if (Float80.isDenormal(se, sig)) {
            cc = X87Unit.SW_C3 | X87Unit.SW_C2;
        } else {
            cc = X87Unit.SW_C2;
        }
        if ((se & 0x8000) != 0) {
            cc |= X87Unit.SW_C1;
        }
        u.status = (u.status & ~X87Unit.SW_CC) | cc;
    }

    /** D9 F0-FF: index 0-7 = F0-F7, 8-15 = F8-FF. */
    private static void d9Functions(Cpu c, X87Unit u, Float80 f, int n) {
        X87Math m = u.math;
        switch (n) {
            case 6: // FDECSTP
                u.top = (u.top - 1) & 7;
                u.status &= ~X87Unit.SW_C1;
                return;
            case 7: // FINCSTP
                u.top = (u.top + 1) & 7;
                u.status &= ~X87Unit.SW_C1;
                return;
            case 0: // F2XM1
            case 10: // FSQRT
            case 12: // FRNDINT
                if (u.isEmpty(0)) {
                    underflowTo(u, 0, false);
                    return;
                }
                if (n == 0) {
                    f.precision = 64;
                    m.f2xm1(getSe(u, 0), getSig(u, 0));
                } else if (n == 10) {
                    f.sqrt(getSe(u, 0), getSig(u, 0));
                } else {
                    f.roundToIntegral(getSe(u, 0), getSig(u, 0));
                }
                result(u, 0, false);
                return;
            case 1: // FYL2X
            case 9: // FYL2XP1
            case 3: // FPATAN
            case 13: // FSCALE
            case 8: // FPREM
            case 5: // FPREM1
                binaryFunction(u, f, m, n);
                return;
            case 2: // FPTAN
            case 14: // FSIN
            case 15: // FCOS
            case 11: // FSINCOS
                trig(u, f, m, n);
                return;
            default: { // 4: FXTRACT
                if (u.isEmpty(0)) {
                    if (stackFault(u, false)) {
                        put(u, 0, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
                        push(u, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
                    }
                    return;
                }
                if (pushWouldOverflow(u)) {
                    if (stackFault(u, true)) {
                        put(u, 0, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
                        push(u, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
                    }
                    return;
                }
                f.extract(getSe(u, 0), getSig(u, 0));
                if ((f.flags & ~u.control & PRE) != 0) {
                    flags(u, f.flags, false);
                    return;
                }
                put(u, 0, f.se, f.sig);
                push(u, f.se2, f.sig2);
                flags(u, f.flags, false);
            }
        }
    }

    private static void binaryFunction(X87Unit u, Float80 f, X87Math m, int n) {
        boolean popAfter = n == 1 || n == 9 || n == 3;
        int dest = popAfter ? 1 : 0;
        if (u.isEmpty(0) || u.isEmpty(1)) {
            if (n == 8 || n == 5) {
                u.status &= ~(X87Unit.SW_C2);
            }
            underflowTo(u, dest, popAfter);
            return;
        }
        int aSe = getSe(u, 0);
        long aSig = getSig(u, 0);
        int bSe = getSe(u, 1);
        long bSig = getSig(u, 1);
        f.precision = 64;
        switch (n) {
            case 1: m.ylog2x(aSe, aSig, bSe, bSig, false); break;
            case 9: m.ylog2x(aSe, aSig, bSe, bSig, true); break;
            case 3: m.atan(bSe, bSig, aSe, aSig); break;
            case 13: f.scale(aSe, aSig, bSe, bSig); break;
            default: {
                f.remainder(aSe, aSig, bSe, bSig, n == 5);
                if ((f.flags & ~u.control & PRE) != 0) {
                    flags(u, f.flags, false);
                    return;
                }
                put(u, 0, f.se, f.sig);
                flags(u, f.flags, false);
                int q = f.quotient;
                int cc = (q & 4) != 0 ? X87Unit.SW_C0 : 0;
                cc |= (q & 2) != 0 ? X87Unit.SW_C3 : 0;
                cc |= (q & 1) != 0 ? X87Unit.SW_C1 : 0;
                if (f.incomplete) {
                    // a partial remainder reports C2 = 1 and clears the quotient bits
                    cc = X87Unit.SW_C2;
                }
                if ((f.flags & IE) != 0 && Float80.isNaN(f.se, f.sig)) {
                    cc = 0;
                }
                u.status = (u.status & ~X87Unit.SW_CC) | cc;
                return;
            }
        }
        result(u, dest, popAfter);
    }

    private static final int TWO63_EXP = 63;

    private static void trig(X87Unit u, Float80 f, X87Math m, int n) {
        if (u.isEmpty(0)) {
            u.status &= ~X87Unit.SW_C2;
            underflowTo(u, 0, false);
            if ((n == 2 || n == 11) && (u.control & IE) != 0) {
                push(u, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
            }
            return;
        }
        boolean pushes = n == 2 || n == 11;
        if (pushes && pushWouldOverflow(u)) {
            if (stackFault(u, true)) {
                put(u, 0, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
                push(u, Float80.INDEFINITE_SE, Float80.INDEFINITE_SIG);
            }
            return;
        }
        int se = getSe(u, 0);
        long sig = getSig(u, 0);
        f.precision = 64;
        // SDM "FSIN": |x| >= 2^63 sets C2 and leaves ST(0) unchanged.
        int e = se & 0x7FFF;
        if (e != 0x7FFF && e - 16383 >= TWO63_EXP && !Float80.isUnsupported(se, sig)) {
            u.status |= X87Unit.SW_C2;
            return;
        }
        u.status &= ~X87Unit.SW_C2;
        int which = n == 14 ? 1 : n == 15 ? 2 : n == 2 ? 3 : 1;
        m.trig(se, sig, which);
        if ((f.flags & ~u.control & PRE) != 0) {
            flags(u, f.flags, false);
            return;
        }
        int rSe = f.se;
        long rSig = f.sig;
        int rFlags = f.flags;
        boolean rUp = f.up;
        if (n == 11) {
            m.trig(se, sig, 2);
            put(u, 0, rSe, rSig);
            push(u, f.se, f.sig);
            flags(u, rFlags | f.flags, rUp || f.up);
            return;
        }
        put(u, 0, rSe, rSig);
        if (n == 2) {
            boolean nan = Float80.isNaN(rSe, rSig);
            push(u, nan ? rSe : 0x3FFF, nan ? rSig : Float80.J);
        }
        flags(u, rFlags, rUp);
    }

    // ---------------------------------------------------------------- environment and state

    /** Layout: 16-bit (14 bytes) when the operand size is 16 bits, else 32-bit (28 bytes). */
    private static boolean env16(DecodedInstruction d) {
        return d.operandSize == 2;
    }

    private static boolean realLayout(Cpu c) {
        return !c.protectedMode() && !c.mode64;
    }

    /**
     * SDM "Protected Mode/Real Address Mode x87 FPU Environment" figures (FSTENV/FNSTENV): the
     * control, status and tag words, then FIP/FCS/FOP and FDP/FDS in the protected-mode layout, or
     * the 20-bit linear pointers with FOP in the real-address/virtual-8086 layout. MANUAL: the
     * unused upper halves of the 32-bit layout's word fields are written as 0FFFFH, as Intel
     * processors do.
     */
    private static int storeEnvironment(Cpu c, DecodedInstruction d, X87Unit u, long off) {
        int s = d.memSegment;
        boolean w16 = env16(d);
        int size = w16 ? 14 : 28;
        long lin = c.linear(s, off, size, true);
        c.mmu.probeWrite(lin, size, c.userAccess);
        int step = w16 ? 2 : 4;
        long pad = w16 ? 0 : 0xFFFF0000L;
        c.writeMem(s, next(d, off, 0), step, pad | u.control);
        c.writeMem(s, next(d, off, step), step, pad | u.statusWord());
        c.writeMem(s, next(d, off, 2 * step), step, pad | u.tagWord());
        long fip = u.fip;
        long fdp = u.fdp;
        if (realLayout(c)) {
            long ipLin = ((long) u.fcs << 4) + (fip & 0xFFFF);
            long dpLin = ((long) u.fds << 4) + (fdp & 0xFFFF);
            if (w16) {
                c.writeMem(s, next(d, off, 6), 2, ipLin & 0xFFFF);
                c.writeMem(s, next(d, off, 8), 2, ((ipLin >>> 16) & 0xF) << 12 | (u.fop & 0x7FF));
                c.writeMem(s, next(d, off, 10), 2, dpLin & 0xFFFF);
                c.writeMem(s, next(d, off, 12), 2, ((dpLin >>> 16) & 0xF) << 12);
            } else {
                c.writeMem(s, next(d, off, 12), 4, 0xFFFF0000L | (ipLin & 0xFFFF));
                c.writeMem(s, next(d, off, 16), 4, ((ipLin >>> 16) & 0xFFFF) << 12 | (u.fop & 0x7FF));
                c.writeMem(s, next(d, off, 20), 4, 0xFFFF0000L | (dpLin & 0xFFFF));
                c.writeMem(s, next(d, off, 24), 4, ((dpLin >>> 16) & 0xFFFF) << 12);
            }
        } else if (w16) {
            c.writeMem(s, next(d, off, 6), 2, fip & 0xFFFF);
            c.writeMem(s, next(d, off, 8), 2, u.fcs);
            c.writeMem(s, next(d, off, 10), 2, fdp & 0xFFFF);
            c.writeMem(s, next(d, off, 12), 2, u.fds);
        } else {
            c.writeMem(s, next(d, off, 12), 4, fip & 0xFFFFFFFFL);
            c.writeMem(s, next(d, off, 16), 4, (long) (u.fop & 0x7FF) << 16 | u.fcs);
            c.writeMem(s, next(d, off, 20), 4, fdp & 0xFFFFFFFFL);
            c.writeMem(s, next(d, off, 24), 4, 0xFFFF0000L | u.fds);
        }
        return size;
    }

    private static int loadEnvironment(Cpu c, DecodedInstruction d, X87Unit u, long off) {
        int s = d.memSegment;
        boolean w16 = env16(d);
        int step = w16 ? 2 : 4;
        int cw = (int) c.readMem(s, next(d, off, 0), 2);
        int sw = (int) c.readMem(s, next(d, off, step), 2);
        int tw = (int) c.readMem(s, next(d, off, 2 * step), 2);
        if (realLayout(c)) {
            if (w16) {
                long ipLo = c.readMem(s, next(d, off, 6), 2);
                long ipHi = c.readMem(s, next(d, off, 8), 2);
                long dpLo = c.readMem(s, next(d, off, 10), 2);
                long dpHi = c.readMem(s, next(d, off, 12), 2);
                u.fip = ipLo | (ipHi >>> 12) << 16;
                u.fop = (int) ipHi & 0x7FF;
                u.fdp = dpLo | (dpHi >>> 12) << 16;
            } else {
                long ipLo = c.readMem(s, next(d, off, 12), 2);
                long ipHi = c.readMem(s, next(d, off, 16), 4);
                long dpLo = c.readMem(s, next(d, off, 20), 2);
                long dpHi = c.readMem(s, next(d, off, 24), 4);
                u.fip = ipLo | ((ipHi >>> 12) & 0xFFFF) << 16;
                u.fop = (int) ipHi & 0x7FF;
                u.fdp = dpLo | ((dpHi >>> 12) & 0xFFFF) << 16;
            }
            u.fcs = 0;
            u.fds = 0;
        } else if (w16) {
            u.fip = c.readMem(s, next(d, off, 6), 2);
            u.fcs = (int) c.readMem(s, next(d, off, 8), 2);
            u.fdp = c.readMem(s, next(d, off, 10), 2);
            u.fds = (int) c.readMem(s, next(d, off, 12), 2);
        } else {
            u.fip = c.readMem(s, next(d, off, 12), 4);
            long w = c.readMem(s, next(d, off, 16), 4);
            u.fcs = (int) w & 0xFFFF;
            u.fop = (int) (w >>> 16) & 0x7FF;
            u.fdp = c.readMem(s, next(d, off, 20), 4);
            u.fds = (int) c.readMem(s, next(d, off, 24), 2);
        }
        u.control = cw & 0x1F7F | 0x40;
        u.setStatusWord(sw);
        u.setTagWord(tw);
        u.updateErrorSummary();
        return w16 ? 14 : 28;
    }

    /** SDM "FSAVE/FNSAVE": the environment, ST(0)-ST(7) in stack order, then FNINIT. */
    private static void save(Cpu c, DecodedInstruction d, X87Unit u, long off) {
        int envSize = env16(d) ? 14 : 28;
        long lin = c.linear(d.memSegment, off, envSize + 80, true);
        c.mmu.probeWrite(lin, envSize + 80, c.userAccess);
        storeEnvironment(c, d, u, off);
        for (int i = 0; i < 8; i++) {
            long o = next(d, off, envSize + 10 * i);
            c.writeMem(d.memSegment, o, 8, getSig(u, i));
            c.writeMem(d.memSegment, next(d, o, 8), 2, getSe(u, i) & 0xFFFF);
        }
        u.init();
    }

    private static void restore(Cpu c, DecodedInstruction d, X87Unit u, long off) {
        int envSize = env16(d) ? 14 : 28;
        c.linear(d.memSegment, off, envSize + 80, false);
        // read everything before changing state (a fault leaves the FPU unchanged)
        long[] regsSig = u.scratchSig;
        int[] regsSe = u.scratchSe;
        for (int i = 0; i < 8; i++) {
            long o = next(d, off, envSize + 10 * i);
            regsSig[i] = c.readMem(d.memSegment, o, 8);
            regsSe[i] = (int) c.readMem(d.memSegment, next(d, o, 8), 2);
        }
        loadEnvironment(c, d, u, off);
        for (int i = 0; i < 8; i++) {
            int p = u.phys(i);
            u.sig[p] = regsSig[i];
            u.se[p] = regsSe[i];
        }
    }

    // ---------------------------------------------------------------- FXSAVE image (x87 part)

    /**
     * SDM "FXSAVE" Table "Legacy Region of an XSAVE Area" bytes 0-23 and 32-159: FCW, FSW,
     * the abridged FTW, FOP, FIP/FCS and FDP/FDS (64-bit offsets with REX.W in 64-bit mode), and
     * ST0-ST7 (or MM0-MM7) in 16-byte slots.
     */
    static void fxsaveX87(Cpu c, DecodedInstruction d, long off, boolean rexW) {
        X87Unit u = c.x87;
        int s = d.memSegment;
        c.writeMem(s, off, 2, u.control);
        c.writeMem(s, off + 2, 2, u.statusWord());
        c.writeMem(s, off + 4, 2, u.abridgedTag());
        c.writeMem(s, off + 6, 2, u.fop & 0x7FF);
        if (rexW) {
            c.writeMem(s, off + 8, 8, u.fip);
            c.writeMem(s, off + 16, 8, u.fdp);
        } else {
            c.writeMem(s, off + 8, 4, u.fip & 0xFFFFFFFFL);
            c.writeMem(s, off + 12, 4, u.fcs);
            c.writeMem(s, off + 16, 4, u.fdp & 0xFFFFFFFFL);
            c.writeMem(s, off + 20, 4, u.fds);
        }
        for (int i = 0; i < 8; i++) {
            c.writeMem(s, off + 32 + 16L * i, 8, getSig(u, i));
            c.writeMem(s, off + 40 + 16L * i, 8, getSe(u, i) & 0xFFFF);
        }
    }

    static void fxrstorX87(Cpu c, DecodedInstruction d, long off, boolean rexW) {
        X87Unit u = c.x87;
        int s = d.memSegment;
        u.control = (int) c.readMem(s, off, 2) & 0x1F7F | 0x40;
        u.setStatusWord((int) c.readMem(s, off + 2, 2));
        u.valid = (int) c.readMem(s, off + 4, 1);
        u.fop = (int) c.readMem(s, off + 6, 2) & 0x7FF;
        if (rexW) {
            u.fip = c.readMem(s, off + 8, 8);
            u.fdp = c.readMem(s, off + 16, 8);
        } else {
            u.fip = c.readMem(s, off + 8, 4);
            u.fcs = (int) c.readMem(s, off + 12, 2);
            u.fdp = c.readMem(s, off + 16, 4);
            u.fds = (int) c.readMem(s, off + 20, 2);
        }
        for (int i = 0; i < 8; i++) {
            int p = u.phys(i);
            u.sig[p] = c.readMem(s, off + 32 + 16L * i, 8);
            u.se[p] = (int) c.readMem(s, off + 40 + 16L * i, 2);
        }
        u.updateErrorSummary();
    }
}
