package dev.vmx4j.core.cpu;

/**
 * Hardware task switching with 32-bit TSSs (SDM "Task Switching"): far JMP/CALL to a TSS
 * descriptor or a task gate, interrupts and exceptions through a task gate, and IRET with
 * RFLAGS.NT = 1. Only outside IA-32e mode (where the SDM makes these #GP).
 *
 * <p>DEVIATION: 16-bit TSSs raise #TS; a fault while loading the new task's segment registers
 * is reported as the segment load's own fault (#GP/#SS/#NP) rather than #TS, and after the
 * new task's state has been committed.
 */
final class TaskSwitch {

    /** Why the switch happens: decides busy/NT/back-link handling (SDM table "Effect of a Task Switch on Busy Flag, NT Flag, Previous Task Link Field, and TS Flag"). */
    static final int JMP = 0;
    static final int CALL = 1;
    static final int IRET = 2;
    /** An interrupt or exception through a task gate (behaves as CALL). */
    static final int EVENT = 3;
    /** SDM "Exit Qualification for Task Switches" bits 31:30 by reason: JMP 2, CALL 0, IRET 1, task gate in the IDT 3. */
    private static final int[] QUALIFICATION_SOURCE = {2, 0, 1, 3};

    private TaskSwitch() {
    }

    private static long descriptorAddress(Cpu c, int selector) {
        long lin = c.gdtrBase + (selector & 0xFFF8);
        return c.mode64 ? lin : lin & 0xFFFFFFFFL;
    }

    /**
     * Switches to the task whose TSS selector is {@code selector} (descriptor {@code desc}
     * already read from the GDT). {@code returnEip} is saved as the old task's EIP (for JMP, CALL
     * and IRET the address of the next instruction). {@code eventLength} is, for {@link #EVENT},
     * the instruction length of a software event (else 0). Returns the new task's EIP.
     */
    static long switchTo(Cpu c, int selector, long desc, int reason, long returnEip, int eventLength) {
        if ((selector & 4) != 0) {
            // SDM: a TSS descriptor must be in the GDT.
            throw CpuException.gp(selector & 0xFFFC);
        }
        int ar = EventDelivery.arFromDescriptor(desc);
        int type = ar & 0xF;
        if ((ar & SegmentState.AR_S) != 0 || (type != 9 && type != 11)) {
            throw reason == IRET ? CpuException.ts(selector & 0xFFFC) : CpuException.gp(selector & 0xFFFC);
        }
        boolean busy = type == 11;
        if (reason == IRET ? !busy : busy) {
            throw reason == IRET ? CpuException.ts(selector & 0xFFFC) : CpuException.gp(selector & 0xFFFC);
        }
        if ((ar & SegmentState.AR_P) == 0) {
            throw CpuException.np(selector & 0xFFFC);
        }
        int limit = EventDelivery.limitFromDescriptor(desc);
        if ((limit & 0xFFFFFFFFL) < 0x67) {
            throw CpuException.ts(selector & 0xFFFC);
        }
        // SDM "Task Switches" (VMX non-root operation): once the gate, the selector and the new
        // TSS descriptor (type, P, S, limit) have passed their checks, any task switch exits.
        if (c.vmx.nonRoot) {
            c.vmx.taskSwitch(selector, QUALIFICATION_SOURCE[reason], reason == EVENT ? eventLength
                    : (int) ((returnEip - c.rip) & (c.codeMode == 16 ? 0xFFFFL : 0xFFFFFFFFL)));
        }
        long newBase = EventDelivery.baseFromDescriptor(desc);
        SegmentState tr = c.seg[Cpu.SEG_TR];
        if ((tr.ar & 0xF) != 11 || (tr.limit & 0xFFFFFFFFL) < 0x67) {
            // DEVIATION: the current task must have a busy 32-bit TSS.
            throw CpuException.ts(tr.selector & 0xFFFC);
        }
        long oldBase = tr.base;
        // Read the whole new state first, so a #PF there leaves the old task untouched.
        long[] regs = new long[8];
        for (int i = 0; i < 8; i++) {
            regs[i] = c.readSystem(lin(newBase + 0x28 + 4 * i), 4);
        }
        long eip = c.readSystem(lin(newBase + 0x20), 4);
        long eflags = c.readSystem(lin(newBase + 0x24), 4);
        long cr3 = c.readSystem(lin(newBase + 0x1C), 4);
        int[] sels = new int[6];
        for (int s = 0; s < 6; s++) {
            sels[s] = (int) c.readSystem(lin(newBase + 0x48 + 4 * s), 2);
        }
        int ldt = (int) c.readSystem(lin(newBase + 0x60), 2);
        if ((eflags & Cpu.RF_VM) != 0) {
            // DEVIATION: switching to a virtual-8086 task is not supported.
            throw CpuException.ts(selector & 0xFFFC);
        }

        // Save the old task.
        long oldFlags = c.rflags();
        if (reason == JMP || reason == IRET) {
            // SDM: JMP and IRET clear the old task's busy flag; IRET also clears NT in its saved image.
            long a = descriptorAddress(c, tr.selector) + 5;
            c.writeSystem(a, 1, c.readSystem(a, 1) & ~2L);
            if (reason == IRET) {
                oldFlags &= ~Cpu.RF_NT;
            }
        }
        c.writeSystem(lin(oldBase + 0x20), 4, returnEip);
        c.writeSystem(lin(oldBase + 0x24), 4, oldFlags & 0xFFFFFFFFL);
        for (int i = 0; i < 8; i++) {
            c.writeSystem(lin(oldBase + 0x28 + 4 * i), 4, c.gpr[i] & 0xFFFFFFFFL);
        }
        for (int s = 0; s < 6; s++) {
            c.writeSystem(lin(oldBase + 0x48 + 4 * s), 2, c.seg[s].selector);
        }
        if (reason == CALL || reason == EVENT) {
            // SDM: the new task's previous-task link is the old TSS selector; NT is set in the new task.
            c.writeSystem(lin(newBase), 2, tr.selector);
            eflags |= Cpu.RF_NT;
        }
        if (reason != IRET) {
            long a = descriptorAddress(c, selector) + 5;
            c.writeSystem(a, 1, c.readSystem(a, 1) | 2);
        }
        // Commit: TR, CR0.TS, CR3, LDTR, registers, flags, segments.
        c.seg[Cpu.SEG_TR].set(selector, newBase, limit, (ar & ~0xF) | 11);
        c.cr0 |= Cpu.CR0_TS;
        if ((c.cr0 & Cpu.CR0_PG) != 0) {
            c.cr3 = cr3;
            c.flushTlb();
        }
        for (int i = 0; i < 8; i++) {
            c.gpr[i] = regs[i];
        }
        c.setRflags(eflags | 2);
        if ((ldt & 0xFFFC) == 0) {
            c.seg[Cpu.SEG_LDTR].set(ldt, 0, 0, SegmentState.AR_UNUSABLE);
        } else {
            long ldtDesc = c.events.readDescriptor(ldt & ~4, 0);
            int ldtAr = EventDelivery.arFromDescriptor(ldtDesc);
            if ((ldt & 4) != 0 || (ldtAr & SegmentState.AR_S) != 0 || (ldtAr & 0xF) != 2) {
                throw CpuException.ts(ldt & 0xFFFC);
            }
            c.seg[Cpu.SEG_LDTR].set(ldt, EventDelivery.baseFromDescriptor(ldtDesc),
                    EventDelivery.limitFromDescriptor(ldtDesc), ldtAr);
        }
        int cs = sels[Cpu.SEG_CS];
        if ((cs & 0xFFFC) == 0) {
            throw CpuException.ts(cs & 0xFFFC);
        }
        long csDesc = c.events.readDescriptor(cs, 0);
        int csAr = EventDelivery.arFromDescriptor(csDesc);
        if ((csAr & SegmentState.AR_S) == 0 || (csAr & 8) == 0) {
            throw CpuException.ts(cs & 0xFFFC);
        }
        if ((csAr & SegmentState.AR_P) == 0) {
            throw CpuException.np(cs & 0xFFFC);
        }
        c.seg[Cpu.SEG_CS].set(cs, EventDelivery.baseFromDescriptor(csDesc), EventDelivery.limitFromDescriptor(csDesc),
                csAr | SegmentState.AR_TYPE_ACCESSED);
        c.cpl = cs & 3;
        c.updateMode();
        for (int s : new int[] {Cpu.SEG_SS, Cpu.SEG_DS, Cpu.SEG_ES, Cpu.SEG_FS, Cpu.SEG_GS}) {
            c.events.loadDataSegment(s, sels[s]);
        }
        return eip;
    }

    private static long lin(long a) {
        return a & 0xFFFFFFFFL;
    }
}
