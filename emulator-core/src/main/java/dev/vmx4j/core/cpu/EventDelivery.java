package dev.vmx4j.core.cpu;

/**
 * Exception and interrupt delivery, IRET, and descriptor-table segment loads.
 *
 * <p>Delivery paths: real mode (IVT), protected mode with 32-bit and 16-bit interrupt/trap
 * gates (same level, or an inner level through the 32-bit TSS) and task gates ({@link
 * TaskSwitch}), and IA-32e mode (16-byte gates, IST, inner-privilege stack switch).
 * Virtual-8086 mode is not delivered yet: it raises #GP on the gate.
 * A fault during delivery follows SDM "Interrupt 8—Double Fault Exception (#DF)" (table
 * "Conditions for Generating a Double Fault"); a fault while delivering #DF is a triple fault.
 */
final class EventDelivery {

    /** Cycles charged for delivering one event (see docs/CYCLE-MODEL.md). */
    static final int DELIVERY_COST = 20;

    /** Event sources, derived from the interruption type: they decide the EXT bit and the gate-DPL check. */
    static final int SRC_EXCEPTION = 0;
    static final int SRC_SOFTWARE = 1;

    private final Cpu c;
    /** The event being delivered (IDT-vectoring information for a VM exit during delivery). */
    final EventRecord delivering = new EventRecord();

    EventDelivery(Cpu c) {
        this.c = c;
    }

    // ---------------------------------------------------------------- double-fault rules

    private static int faultClass(int vector) {
        switch (vector) {
            case CpuException.DE:
            case CpuException.TS:
            case CpuException.NP:
            case CpuException.SS:
            case CpuException.GP:
                return 1; // contributory
            case CpuException.PF:
            case CpuException.VE:
                // SDM table "Interrupt and Exception Classes": #PF and #VE are the page-fault class.
                return 2; // page fault
            default:
                return 0; // benign
        }
    }

    /** SDM "Conditions for Generating a Double Fault". */
    static boolean isDoubleFault(int first, int second) {
        int a = faultClass(first);
        int b = faultClass(second);
        return (a == 1 && b == 1) || (a == 2 && b != 0);
    }

    /**
     * Delivers an exception raised by the instruction at RIP (faults keep RIP there). Never
     * throws: a fault during delivery becomes #DF or the next event; a fault during #DF is a
     * triple fault and the processor shuts down.
     */
    void raise(int vector, int errorCode, boolean hasErrorCode) {
        // SDM "Instruction-Breakpoint Exception Condition": for any fault-class exception except
        // a debug exception on an instruction breakpoint, the RF value pushed is 1 (the handler's
        // own RFLAGS.RF is cleared by the delivery). MANUAL: #DB keeps RF as it is (instruction
        // breakpoints and traps), general detect included.
        if (FaultClass.pushesResumeFlag(vector)) {
            c.rflagsRest |= Cpu.RF_RF;
        }
        int v = vector;
        int ec = errorCode;
        boolean has = hasErrorCode;
        boolean faultDeliveringDf = false;
        for (int attempt = 0; attempt < 8; attempt++) {
            c.notifyException(v, ec, has);
            try {
                deliver(InterruptionType.HARDWARE_EXCEPTION, v, ec, has, c.rip, 0);
                c.cycles += DELIVERY_COST;
                return;
            } catch (CpuException e) {
                if (v == CpuException.DF) {
                    faultDeliveringDf = true;
                    break;
                }
                if (isDoubleFault(v, e.vector)) {
                    v = CpuException.DF;
                    ec = 0;
                    has = true;
                } else {
                    // SDM: otherwise the exceptions are handled serially; the second one is delivered.
                    v = e.vector;
                    ec = e.errorCode;
                    has = e.hasErrorCode;
                }
            }
        }
        // SDM "Interrupt 8—Double Fault Exception (#DF)": "If another exception occurs while
        // attempting to call the double-fault handler, the processor enters shutdown mode."
        // SDM "Exceptions" (VMX non-root operation): a triple fault causes a VM exit instead.
        if (!faultDeliveringDf) {
            // Eight deliveries in a row each raised an exception handled serially (an #AC raised
            // by the pushes of its own delivery to a CPL-3 conforming handler, SDM "Interrupt
            // 17—Alignment Check Exception"): nothing changed between them, so the delivery never
            // completes. Hardware stays in that loop without reaching an instruction boundary;
            // with "instruction timeout" that ends in a VM exit once the window has passed.
            // DEVIATION: otherwise vmx4j ends the loop as a triple fault (shutdown, or the VM
            // exit for one) instead of hanging.
            long window = c.vmx.nonRoot ? c.vmx.instructionTimeoutWindow() : -1;
            if (window >= 0) {
                c.cycles += window;
                c.vmx.instructionTimeout();
            }
        }
        if (c.vmx.nonRoot) {
            c.vmx.tripleFault();
        }
        delivering.clear();
        c.pending.setActivity(ActivityState.SHUTDOWN);
    }

    /**
     * Delivers vector {@code v} of interruption type {@code type} ({@link InterruptionType})
     * through the IVT or IDT: pushes the return frame, loads CS:RIP. State changes only if
     * delivery succeeds (RSP is restored on a fault). {@code instructionLength} is the length
     * of a software event's instruction (0 for other types).
     */
    void deliver(int type, int v, int errorCode, boolean hasErrorCode, long returnRip, int instructionLength) {
        // SDM "Exception Bitmap" / "NMI exiting": in VMX non-root operation the VMX unit decides
        // first whether the event exits (the record still names the event, if any, whose
        // delivery raised this one: the IDT-vectoring information).
        if (c.vmx.nonRoot) {
            c.vmx.event(type, v, errorCode, hasErrorCode, instructionLength);
        }
        deliverInjected(type, v, errorCode, hasErrorCode, returnRip, instructionLength);
        if (v == CpuException.DB && type != InterruptionType.SOFTWARE_INTERRUPT) {
            c.pending.debugExceptionDelivered(type == InterruptionType.PRIVILEGED_SOFTWARE_EXCEPTION);
        }
    }

    /** {@link #deliver} without the VM-exit decision: SDM "Event Injection" (injected events never exit by the bitmap). */
    void deliverInjected(int type, int v, int errorCode, boolean hasErrorCode, long returnRip, int instructionLength) {
        delivering.set(type, v, errorCode, hasErrorCode, instructionLength);
        int source = type == InterruptionType.SOFTWARE_INTERRUPT || type == InterruptionType.SOFTWARE_EXCEPTION
                ? SRC_SOFTWARE : SRC_EXCEPTION;
        long savedRsp = c.gpr[4];
        try {
            if ((c.cr0 & Cpu.CR0_PE) == 0) {
                deliverReal(v, returnRip);
            } else if (c.longModeActive()) {
                deliverLong(v, errorCode, hasErrorCode, returnRip, source);
            } else {
                deliverProtected(v, errorCode, hasErrorCode, returnRip, source);
            }
        } catch (ArchitecturalEvent e) {
            c.gpr[4] = savedRsp;
            throw e;
        }
        delivering.clear();
    }

    /** SDM "Real-Address Mode Interrupt and Exception Handling". */
    private void deliverReal(int v, long returnRip) {
        if (v * 4L + 3 > (c.idtrLimit & 0xFFFFL)) {
            throw CpuException.gp(0);
        }
        long entry = c.readSystem((c.idtrBase + v * 4L) & 0xFFFFFFFFL, 4);
        c.push(c.rflags() & 0xFFFF, 2);
        c.push(c.seg[Cpu.SEG_CS].selector, 2);
        c.push(returnRip & 0xFFFF, 2);
        c.rflagsRest &= ~(Cpu.RF_IF | Cpu.RF_TF | Cpu.RF_AC);
        c.loadSegmentReal(Cpu.SEG_CS, (int) (entry >>> 16) & 0xFFFF);
        c.rip = entry & 0xFFFF;
    }

    private static int idtError(int v, int source) {
        return v * 8 + 2 + (source == SRC_SOFTWARE ? 0 : 1);
    }

    /** SDM "64-Bit Mode Exception and Interrupt Handling" / "Interrupt and Exception Handling in 64-Bit Mode". */
    private void deliverLong(int v, int errorCode, boolean hasErrorCode, long returnRip, int source) {
        int ext = source == SRC_SOFTWARE ? 0 : 1;
        if (v * 16L + 15 > (c.idtrLimit & 0xFFFFL)) {
            throw CpuException.gp(idtError(v, source));
        }
        long lo = c.readSystem(c.idtrBase + v * 16L, 8);
        long hi = c.readSystem(c.idtrBase + v * 16L + 8, 8);
        int type = (int) (lo >>> 40) & 0xF;
        int gateDpl = (int) (lo >>> 45) & 3;
        // SDM: in IA-32e mode the IDT holds only 64-bit interrupt (0xE) and trap (0xF) gates.
        if (type != 0xE && type != 0xF) {
            throw CpuException.gp(idtError(v, source));
        }
        if (source == SRC_SOFTWARE && gateDpl < c.cpl) {
            throw CpuException.gp(idtError(v, source));
        }
        if ((lo & (1L << 47)) == 0) {
            throw CpuException.np(idtError(v, source));
        }
        int selector = (int) (lo >>> 16) & 0xFFFF;
        long target = (lo & 0xFFFFL) | ((lo >>> 32) & 0xFFFF0000L) | (hi << 32);
        int ist = (int) (lo >>> 32) & 7;
        if ((selector & 0xFFFC) == 0) {
            throw CpuException.gp(ext);
        }
        long desc = readDescriptor(selector, ext);
        int ar = arFromDescriptor(desc);
        int dpl = ar >>> 5 & 3;
        // Target must be a present 64-bit code segment with DPL <= CPL.
        if ((ar & SegmentState.AR_S) == 0 || (ar & 8) == 0 || (ar & SegmentState.AR_L) == 0
                || (ar & SegmentState.AR_DB) != 0 || dpl > c.cpl) {
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        if ((ar & SegmentState.AR_P) == 0) {
            throw CpuException.np((selector & 0xFFFC) + ext);
        }
        boolean conforming = (ar & 4) != 0;
        int newCpl = conforming ? c.cpl : dpl;
        long oldRsp = c.gpr[4];
        int oldSs = c.seg[Cpu.SEG_SS].selector;
        long rsp;
        if (ist != 0) {
            rsp = tssRead64(0x24 + 8 * (ist - 1));
        } else if (newCpl < c.cpl) {
            rsp = tssRead64(4 + 8 * newCpl);
        } else {
            rsp = oldRsp;
        }
        if (!Cpu.canonical(target)) {
            throw CpuException.gp(ext);
        }
        // SDM: "the processor aligns the new RSP on a 16-byte boundary".
        rsp &= ~0xFL;
        int acc = newCpl == 3 ? PageTranslator.USER : 0;
        rsp = push64(rsp, oldSs, acc, ext);
        rsp = push64(rsp, oldRsp, acc, ext);
        rsp = push64(rsp, c.rflags(), acc, ext);
        rsp = push64(rsp, c.seg[Cpu.SEG_CS].selector, acc, ext);
        rsp = push64(rsp, returnRip, acc, ext);
        if (hasErrorCode) {
            rsp = push64(rsp, errorCode & 0xFFFFFFFFL, acc, ext);
        }
        // Commit.
        if (newCpl < c.cpl) {
            // SDM: on a privilege change in IA-32e mode SS is loaded with a null selector whose RPL is the new CPL.
            c.seg[Cpu.SEG_SS].set(newCpl, 0, 0, SegmentState.AR_UNUSABLE | (newCpl << 5));
        }
        c.gpr[4] = rsp;
        c.seg[Cpu.SEG_CS].set((selector & 0xFFFC) | newCpl, 0, limitFromDescriptor(desc), ar | SegmentState.AR_TYPE_ACCESSED);
        c.cpl = newCpl;
        clearFlagsOnDelivery(type == 0xE);
        c.updateMode();
        c.rip = target;
    }

    private long push64(long rsp, long value, int acc, int ext) {
        long sp = rsp - 8;
        if (!Cpu.canonical(sp)) {
            throw CpuException.ss(ext);
        }
        c.mmu.write(sp, 8, value, acc);
        return sp;
    }

    private long tssRead64(int offset) {
        SegmentState tr = c.seg[Cpu.SEG_TR];
        if (offset + 7 > (tr.limit & 0xFFFFFFFFL)) {
            throw CpuException.ts(tr.selector & 0xFFFC);
        }
        return c.readSystem(tr.base + offset, 8);
    }

    private void clearFlagsOnDelivery(boolean interruptGate) {
        // SDM "Exception- or Interrupt-Handler Procedures": TF, VM, RF, NT cleared; IF cleared for interrupt gates.
        c.rflagsRest &= ~(Cpu.RF_TF | Cpu.RF_VM | Cpu.RF_RF | Cpu.RF_NT);
        if (interruptGate) {
            c.rflagsRest &= ~Cpu.RF_IF;
        }
    }

    /** SDM "Exception- or Interrupt-Handler Procedures" with 32-bit interrupt and trap gates. */
    private void deliverProtected(int v, int errorCode, boolean hasErrorCode, long returnRip, int source) {
        int ext = source == SRC_SOFTWARE ? 0 : 1;
        if (v * 8L + 7 > (c.idtrLimit & 0xFFFFL)) {
            throw CpuException.gp(idtError(v, source));
        }
        long gate = c.readSystem((c.idtrBase + v * 8L) & 0xFFFFFFFFL, 8);
        int type = (int) (gate >>> 40) & 0xF;
        int gateDpl = (int) (gate >>> 45) & 3;
        if (type == 5) {
            taskGate(v, gate, gateDpl, errorCode, hasErrorCode, returnRip, source);
            return;
        }
        if (type != 0xE && type != 0xF && type != 0x6 && type != 0x7) {
            throw CpuException.gp(idtError(v, source));
        }
        // Types 6/7 are 16-bit interrupt/trap gates: 16-bit offset and 2-byte pushes.
        int width = (type & 8) != 0 ? 4 : 2;
        if (source == SRC_SOFTWARE && gateDpl < c.cpl) {
            throw CpuException.gp(idtError(v, source));
        }
        if ((gate & (1L << 47)) == 0) {
            throw CpuException.np(idtError(v, source));
        }
        int selector = (int) (gate >>> 16) & 0xFFFF;
        long target = width == 4 ? (gate & 0xFFFFL) | ((gate >>> 32) & 0xFFFF0000L) : gate & 0xFFFFL;
        if ((selector & 0xFFFC) == 0) {
            throw CpuException.gp(ext);
        }
        long desc = readDescriptor(selector, ext);
        int ar = arFromDescriptor(desc);
        int dpl = ar >>> 5 & 3;
        if ((ar & SegmentState.AR_S) == 0 || (ar & 8) == 0 || dpl > c.cpl) {
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        if ((ar & SegmentState.AR_P) == 0) {
            throw CpuException.np((selector & 0xFFFC) + ext);
        }
        int limit = limitFromDescriptor(desc);
        if (target > (limit & 0xFFFFFFFFL)) {
            throw CpuException.gp(ext);
        }
        int newCpl = (ar & 4) != 0 ? c.cpl : dpl;
        if ((c.rflagsRest & Cpu.RF_VM) != 0 && (newCpl != 0 || width != 4)) {
            // SDM "Interrupt and Exception Handling in Virtual-8086 Mode": the handler must be a
            // nonconforming privilege-level-0 code segment (DEVIATION: 16-bit gates from V86 too).
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        if (newCpl < c.cpl) {
            deliverProtectedInner(newCpl, selector, desc, target, (type & 7) == 6, errorCode, hasErrorCode, returnRip,
                    ext, width);
            return;
        }
        long wmask = width == 4 ? 0xFFFFFFFFL : 0xFFFFL;
        c.push(c.rflags() & wmask, width);
        c.push(c.seg[Cpu.SEG_CS].selector, width);
        c.push(returnRip & wmask, width);
        if (hasErrorCode) {
            c.push(errorCode & wmask, width);
        }
        c.seg[Cpu.SEG_CS].set((selector & 0xFFFC) | newCpl, baseFromDescriptor(desc), limit,
                ar | SegmentState.AR_TYPE_ACCESSED);
        clearFlagsOnDelivery((type & 7) == 6);
        c.updateMode();
        c.rip = target;
    }

    /** SDM "Interrupt Tasks": an IDT task gate switches to the task; an error code goes on its stack. */
    private void taskGate(int v, long gate, int gateDpl, int errorCode, boolean hasErrorCode, long returnRip,
                          int source) {
        if (source == SRC_SOFTWARE && gateDpl < c.cpl) {
            throw CpuException.gp(idtError(v, source));
        }
        if ((gate & (1L << 47)) == 0) {
            throw CpuException.np(idtError(v, source));
        }
        int tss = (int) (gate >>> 16) & 0xFFFF;
        long desc = readDescriptor(tss, source == SRC_SOFTWARE ? 0 : 1);
        long eip = TaskSwitch.switchTo(c, tss, desc, TaskSwitch.EVENT, returnRip, delivering.instructionLength);
        if (hasErrorCode) {
            c.push(errorCode & 0xFFFFFFFFL, (c.seg[Cpu.SEG_CS].ar & SegmentState.AR_DB) != 0 ? 4 : 2);
        }
        c.rip = eip;
    }

    /**
     * SDM "Exception- or Interrupt-Handler Procedures", inner privilege: the new SS:ESP come from
     * the 32-bit TSS (SSn at 8 + 8n, ESPn at 4 + 8n); the old SS:ESP, EFLAGS, CS:EIP and the
     * error code are pushed on the new stack. An invalid new SS is #TS(selector).
     */
    private void deliverProtectedInner(int newCpl, int selector, long desc, long target, boolean interruptGate,
                                       int errorCode, boolean hasErrorCode, long returnRip, int ext, int width) {
        SegmentState tr = c.seg[Cpu.SEG_TR];
        int trType = tr.ar & 0xF;
        if ((trType != 9 && trType != 11) || 8L * newCpl + 11 > (tr.limit & 0xFFFFFFFFL)) {
            // DEVIATION: 16-bit TSSs are not supported.
            throw CpuException.ts((tr.selector & 0xFFFC) + ext);
        }
        long esp = c.readSystem((tr.base + 4 + 8L * newCpl) & 0xFFFFFFFFL, 4);
        int ss = (int) c.readSystem((tr.base + 8 + 8L * newCpl) & 0xFFFFFFFFL, 2);
        if ((ss & 0xFFFC) == 0) {
            throw CpuException.ts(ext);
        }
        long ssDesc = readDescriptor(ss, ext);
        int ssAr = arFromDescriptor(ssDesc);
        int ssType = ssAr & 0xF;
        if ((ss & 3) != newCpl || (ssAr >>> 5 & 3) != newCpl || (ssAr & SegmentState.AR_S) == 0
                || (ssType & 8) != 0 || (ssType & 2) == 0) {
            throw CpuException.ts((ss & 0xFFFC) + ext);
        }
        if ((ssAr & SegmentState.AR_P) == 0) {
            throw CpuException.ss((ss & 0xFFFC) + ext);
        }
        long ssBase = baseFromDescriptor(ssDesc);
        long ssLimit = limitFromDescriptor(ssDesc) & 0xFFFFFFFFL;
        long mask = (ssAr & SegmentState.AR_DB) != 0 ? 0xFFFFFFFFL : 0xFFFFL;
        int acc = newCpl == 3 ? PageTranslator.USER : 0;
        long sp = esp & mask;
        boolean fromV86 = (c.rflagsRest & Cpu.RF_VM) != 0;
        if (fromV86) {
            // SDM: from virtual-8086 mode GS, FS, DS, ES are pushed first, then loaded with null.
            for (int r : new int[] {Cpu.SEG_GS, Cpu.SEG_FS, Cpu.SEG_DS, Cpu.SEG_ES}) {
                sp = pushOuter(ssBase, ssLimit, mask, sp, c.seg[r].selector, acc, ss, ext, width);
            }
        }
        sp = pushOuter(ssBase, ssLimit, mask, sp, c.seg[Cpu.SEG_SS].selector, acc, ss, ext, width);
        sp = pushOuter(ssBase, ssLimit, mask, sp, c.gpr[4] & 0xFFFFFFFFL, acc, ss, ext, width);
        sp = pushOuter(ssBase, ssLimit, mask, sp, c.rflags() & 0xFFFFFFFFL, acc, ss, ext, width);
        sp = pushOuter(ssBase, ssLimit, mask, sp, c.seg[Cpu.SEG_CS].selector, acc, ss, ext, width);
        sp = pushOuter(ssBase, ssLimit, mask, sp, returnRip & 0xFFFFFFFFL, acc, ss, ext, width);
        if (hasErrorCode) {
            sp = pushOuter(ssBase, ssLimit, mask, sp, errorCode & 0xFFFFFFFFL, acc, ss, ext, width);
        }
        c.seg[Cpu.SEG_SS].set(ss, ssBase, (int) ssLimit, ssAr | SegmentState.AR_TYPE_ACCESSED);
        c.gpr[4] = (c.gpr[4] & ~mask) | sp;
        if (fromV86) {
            for (int r : new int[] {Cpu.SEG_GS, Cpu.SEG_FS, Cpu.SEG_DS, Cpu.SEG_ES}) {
                c.seg[r].set(0, 0, 0, SegmentState.AR_UNUSABLE);
            }
        }
        int ar = arFromDescriptor(desc);
        c.seg[Cpu.SEG_CS].set((selector & 0xFFFC) | newCpl, baseFromDescriptor(desc), limitFromDescriptor(desc),
                ar | SegmentState.AR_TYPE_ACCESSED);
        c.cpl = newCpl;
        clearFlagsOnDelivery(interruptGate);
        c.updateMode();
        c.rip = target;
    }

    private long pushOuter(long base, long limit, long mask, long sp, long value, int acc, int ss, int ext, int width) {
        long next = (sp - width) & mask;
        if (next + width - 1 > limit) {
            throw CpuException.ss((ss & 0xFFFC) + ext);
        }
        c.mmu.write((base + next) & 0xFFFFFFFFL, width, value, acc);
        return next;
    }

    // ---------------------------------------------------------------- descriptors

    /** Reads the 8-byte descriptor for {@code selector} from the GDT or LDT; #GP(selector) past the limit. */
    long readDescriptor(int selector, int ext) {
        int index = selector & 0xFFF8;
        long base;
        long limit;
        if ((selector & 4) != 0) {
            SegmentState ldt = c.seg[Cpu.SEG_LDTR];
            if ((ldt.ar & SegmentState.AR_UNUSABLE) != 0) {
                throw CpuException.gp((selector & 0xFFFC) + ext);
            }
            base = ldt.base;
            limit = ldt.limit & 0xFFFFFFFFL;
        } else {
            base = c.gdtrBase;
            limit = c.gdtrLimit & 0xFFFFL;
        }
        if (index + 7L > limit) {
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        long lin = base + index;
        if (!c.mode64) {
            lin &= 0xFFFFFFFFL;
        }
        return c.readSystem(lin, 8);
    }

    /** SDM "Format of Access Rights": descriptor bits 47:40 and 55:52 to VMCS access rights. */
    static int arFromDescriptor(long d) {
        return (int) ((d >>> 40) & 0xFF) | (int) (((d >>> 52) & 0xF) << 12);
    }

    static int limitFromDescriptor(long d) {
        int raw = (int) ((d & 0xFFFF) | ((d >>> 32) & 0xF0000));
        return (d & (1L << 55)) != 0 ? (raw << 12) | 0xFFF : raw;
    }

    static long baseFromDescriptor(long d) {
        return ((d >>> 16) & 0xFFFFFFL) | ((d >>> 32) & 0xFF000000L);
    }

    /**
     * MOV/POP to DS, ES, FS, GS, SS in protected mode: SDM "MOV—Move" (protected-mode operation).
     * CS is never loaded here.
     */
    void loadDataSegment(int s, int selector) {
        int rpl = selector & 3;
        if ((selector & 0xFFFC) == 0) {
            if (s == Cpu.SEG_SS && !(c.mode64 && c.cpl != 3 && rpl == c.cpl)) {
                throw CpuException.gp(0);
            }
            // SDM: loading a null selector marks the register unusable (no fault until it is used).
            c.seg[s].set(selector, s == Cpu.SEG_FS || s == Cpu.SEG_GS ? c.seg[s].base : 0, 0,
                    SegmentState.AR_UNUSABLE | (s == Cpu.SEG_SS ? c.cpl << 5 : 0));
            if (s == Cpu.SEG_SS) {
                c.updateMode();
            }
            return;
        }
        long desc = readDescriptor(selector, 0);
        int ar = arFromDescriptor(desc);
        int dpl = ar >>> 5 & 3;
        int type = ar & 0xF;
        boolean code = (type & 8) != 0;
        if ((ar & SegmentState.AR_S) == 0) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if (s == Cpu.SEG_SS) {
            // SS: a writable data segment with RPL = CPL and DPL = CPL.
            if (code || (type & 2) == 0 || rpl != c.cpl || dpl != c.cpl) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            if ((ar & SegmentState.AR_P) == 0) {
                throw CpuException.ss(selector & 0xFFFC);
            }
        } else {
            // Data or readable code; unless conforming code, DPL >= max(CPL, RPL).
            if (code && (type & 2) == 0) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            if ((!code || (type & 4) == 0) && dpl < Math.max(c.cpl, rpl)) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            if ((ar & SegmentState.AR_P) == 0) {
                throw CpuException.np(selector & 0xFFFC);
            }
        }
        setAccessedBit(selector, desc);
        c.seg[s].set(selector, baseFromDescriptor(desc), limitFromDescriptor(desc), ar | SegmentState.AR_TYPE_ACCESSED);
        if (s == Cpu.SEG_SS) {
            c.updateMode();
        }
    }

    private void setAccessedBit(int selector, long desc) {
        if ((desc & (1L << 40)) != 0) {
            return;
        }
        long base = (selector & 4) != 0 ? c.seg[Cpu.SEG_LDTR].base : c.gdtrBase;
        long lin = base + (selector & 0xFFF8) + 5;
        if (!c.mode64) {
            lin &= 0xFFFFFFFFL;
        }
        c.writeSystem(lin, 1, ((desc >>> 40) | 1) & 0xFF);
    }

    // ---------------------------------------------------------------- IRET

    /** IRET/IRETD/IRETQ for real mode, same-privilege protected mode, and IA-32e mode. */
    void iret(int operandSize) {
        // SDM "NMI Handling": IRET ends NMI blocking (VMX non-root: see PendingEvents.iret).
        c.pending.iret();
        if ((c.cr0 & Cpu.CR0_PE) == 0) {
            // SDM "IRET/IRETD/IRETQ" real-address mode: pop IP, CS, FLAGS.
            long ip = c.peek(0, operandSize);
            long cs = c.peek(operandSize, operandSize) & 0xFFFF;
            long fl = c.peek(2L * operandSize, operandSize);
            if (ip > (c.seg[Cpu.SEG_CS].limit & 0xFFFFFFFFL) && operandSize == 4) {
                throw CpuException.gp(0);
            }
            c.pop(operandSize);
            c.pop(operandSize);
            c.pop(operandSize);
            c.loadSegmentReal(Cpu.SEG_CS, (int) cs);
            long mask = operandSize == 4 ? 0x257FD5L : 0xFFFFL;
            mask &= ~(Cpu.RF_VM | Cpu.RF_VIF | Cpu.RF_VIP) & Cpu.RFLAGS_DEFINED;
            c.setRflags((c.rflags() & ~mask) | (fl & mask));
            c.nextRip = ip & (operandSize == 4 ? 0xFFFFFFFFL : 0xFFFFL);
            return;
        }
        if ((c.rflagsRest & Cpu.RF_NT) != 0) {
            if (c.longModeActive()) {
                // SDM "IRET": in IA-32e mode NT = 1 is #GP(0).
                throw CpuException.gp(0);
            }
            // SDM "IRET": NT = 1 returns to the task in the current TSS's previous-task link.
            int back = (int) c.readSystem(c.seg[Cpu.SEG_TR].base & 0xFFFFFFFFL, 2);
            long desc = readDescriptor(back, 0);
            c.nextRip = TaskSwitch.switchTo(c, back, desc, TaskSwitch.IRET, c.nextRip, 0);
            return;
        }
        if ((c.rflagsRest & Cpu.RF_VM) != 0) {
            iretInV86(operandSize);
            return;
        }
        int size = operandSize;
        long newRip = c.peek(0, size);
        int csSel = (int) c.peek(size, size) & 0xFFFF;
        long fl = c.peek(2L * size, size);
        if ((fl & Cpu.RF_VM) != 0 && c.cpl == 0 && size == 4) {
            iretToV86(newRip, csSel, fl);
            return;
        }
        int rpl = csSel & 3;
        if ((csSel & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        long desc = readDescriptor(csSel, 0);
        int ar = arFromDescriptor(desc);
        int dpl = ar >>> 5 & 3;
        if ((ar & SegmentState.AR_S) == 0 || (ar & 8) == 0 || rpl < c.cpl
                || ((ar & 4) != 0 ? dpl > rpl : dpl != rpl)) {
            throw CpuException.gp(csSel & 0xFFFC);
        }
        if ((ar & SegmentState.AR_P) == 0) {
            throw CpuException.np(csSel & 0xFFFC);
        }
        boolean target64 = c.longModeActive() && (ar & SegmentState.AR_L) != 0;
        boolean popStack = c.mode64 || rpl > c.cpl;
        long newRsp = 0;
        int ssSel = 0;
        if (popStack) {
            newRsp = c.peek(3L * size, size);
            ssSel = (int) c.peek(4L * size, size) & 0xFFFF;
        }
        if (target64 ? !Cpu.canonical(newRip) : newRip > (limitFromDescriptor(desc) & 0xFFFFFFFFL)) {
            throw CpuException.gp(0);
        }
        int oldCpl = c.cpl;
        // Commit CS and flags, then the stack.
        if (!popStack) {
            c.pop(size);
            c.pop(size);
            c.pop(size);
        }
        c.seg[Cpu.SEG_CS].set(csSel, baseFromDescriptor(desc), limitFromDescriptor(desc), ar | SegmentState.AR_TYPE_ACCESSED);
        c.cpl = rpl;
        writeFlagsPrivileged(fl, size, oldCpl, true);
        if (popStack) {
            if ((ssSel & 0xFFFC) == 0 && c.longModeActive() && (rpl != 3 && target64)) {
                c.seg[Cpu.SEG_SS].set(ssSel, 0, 0, SegmentState.AR_UNUSABLE | (rpl << 5));
            } else {
                loadDataSegment(Cpu.SEG_SS, ssSel);
            }
            c.gpr[4] = size == 4 ? newRsp & 0xFFFFFFFFL : size == 2 ? (c.gpr[4] & ~0xFFFFL) | (newRsp & 0xFFFF) : newRsp;
        }
        if (rpl > oldCpl) {
            nullDataSegmentsBelow(rpl);
        }
        c.updateMode();
        c.nextRip = target64 ? newRip : newRip & (size == 2 ? 0xFFFFL : 0xFFFFFFFFL);
    }

    private static final int[] DATA_SEGMENTS = {Cpu.SEG_ES, Cpu.SEG_DS, Cpu.SEG_FS, Cpu.SEG_GS};

    /** Access rights of every segment register in virtual-8086 mode: present, DPL 3, read/write data, accessed. */
    static final int V86_AR = 0xF3;

    /**
     * SDM "IRET" (return to virtual-8086 mode): from CPL 0 with EFLAGS.VM = 1 in the image, pop
     * EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS and load every segment as in real mode.
     */
    private void iretToV86(long eip, int cs, long fl) {
        long esp = c.peek(12, 4);
        int ss = (int) c.peek(16, 4) & 0xFFFF;
        int es = (int) c.peek(20, 4) & 0xFFFF;
        int ds = (int) c.peek(24, 4) & 0xFFFF;
        int fs = (int) c.peek(28, 4) & 0xFFFF;
        int gs = (int) c.peek(32, 4) & 0xFFFF;
        c.setRflags(fl | Cpu.RF_VM);
        int[] sels = {es, cs, ss, ds, fs, gs};
        for (int r = 0; r < 6; r++) {
            c.seg[r].set(sels[r], (long) sels[r] << 4, 0xFFFF, V86_AR);
        }
        c.cpl = 3;
        c.updateMode();
        c.gpr[4] = esp & 0xFFFFFFFFL;
        c.nextRip = eip & 0xFFFF;
    }

    /** SDM "IRET" in virtual-8086 mode: as in real mode when IOPL = 3 (IOPL itself kept), else #GP(0). */
    private void iretInV86(int size) {
        if (c.iopl() != 3) {
            throw CpuException.gp(0);
        }
        long ip = c.peek(0, size);
        int cs = (int) c.peek(size, size) & 0xFFFF;
        long fl = c.peek(2L * size, size);
        if ((ip & (size == 4 ? 0xFFFFFFFFL : 0xFFFFL)) > 0xFFFF) {
            throw CpuException.gp(0);
        }
        c.pop(size);
        c.pop(size);
        c.pop(size);
        c.loadSegmentReal(Cpu.SEG_CS, cs);
        long mask = (size == 4 ? 0xFFFFFFFFL : 0xFFFFL) & Cpu.RFLAGS_DEFINED
                & ~(Cpu.RF_VM | Cpu.RF_IOPL | Cpu.RF_VIF | Cpu.RF_VIP | Cpu.RF_RF);
        c.setRflags((c.rflags() & ~mask) | (fl & mask));
        c.nextRip = ip & 0xFFFF;
    }

    /**
     * SDM "IRET"/"RET": returning to an outer level nulls each data segment register whose DPL
     * is below the new CPL (unless it holds a conforming code segment).
     */
    void nullDataSegmentsBelow(int newCpl) {
        for (int s : DATA_SEGMENTS) {
            SegmentState sg = c.seg[s];
            boolean conformingCode = (sg.ar & 0xC) == 0xC;
            if ((sg.ar & SegmentState.AR_UNUSABLE) == 0 && !conformingCode && sg.dpl() < newCpl) {
                // SDM "IRET"/"RET" operation: "SegmentSelector <- 0; (* Segment selector invalid *)":
                // only the selector is nulled and the register made unusable; the hidden base is
                // kept, so FS and GS in 64-bit mode still address through their bases (SDM
                // "Segment Loading Instructions in IA-32e Mode": FS/GS bases are used even with a
                // null selector). MANUAL: the limit is kept too, as the unusable register ignores it.
                sg.set(0, sg.base, sg.limit, SegmentState.AR_UNUSABLE);
            }
        }
    }

    /**
     * SDM "POPF/POPFD/POPFQ" and "IRET" flag rules: IOPL changes only at CPL 0, IF only when
     * CPL &lt;= IOPL; VM, VIF, VIP are kept; RF is cleared by POPF and loaded by IRET.
     */
    void writeFlagsPrivileged(long value, int size, int privilege, boolean iret) {
        long mask = Cpu.RFLAGS_DEFINED & ~(Cpu.RF_VM | Cpu.RF_VIF | Cpu.RF_VIP);
        if (!iret) {
            mask &= ~Cpu.RF_RF;
        }
        if ((c.cr0 & Cpu.CR0_PE) != 0) {
            if (privilege > 0) {
                mask &= ~Cpu.RF_IOPL;
            }
            if (privilege > c.iopl()) {
                mask &= ~Cpu.RF_IF;
            }
        }
        if (size == 2) {
            mask &= 0xFFFF;
        } else if (size == 4) {
            mask &= 0xFFFFFFFFL;
        }
        long cur = c.rflags();
        if (!iret) {
            cur &= ~Cpu.RF_RF;
        }
        c.setRflags((cur & ~mask) | (value & mask));
    }
}
