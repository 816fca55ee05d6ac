package dev.vmx4j.core.cpu;

import dev.vmx4j.core.devices.apic.InterruptController;

/**
 * What happens between instructions: the events that are pending, what blocks them, and the
 * arbitration among them in the SDM's priority order (SDM "Priority Among Concurrent Events",
 * with the VMX events at the places "VMX Non-Root Operation" gives them).
 *
 * <p>PERF: the step loop pays one comparison per instruction, {@code cycles >= Cpu.eventCheck}.
 * {@code eventCheck} is {@link Long#MIN_VALUE} while any bit of {@link #mask} is set, else the
 * earliest deadline (the interrupt controller's next timer event, the VMX-preemption timer).
 * Whoever makes something pending sets its bit through a method here, which refreshes
 * {@code eventCheck}; {@link #poll} runs only when the comparison says so.
 *
 * <p>The interrupt controller is asked ({@link #CONTROLLER}) only when its answer may have
 * changed: at the start of a run (the API may have raised a line), after an I/O instruction, an
 * MMIO access, WRMSR and MOV to CR8 (the guest may have programmed it), when its timer deadline
 * passes, and for as long as it reports something pending. Code outside the CPU that changes a
 * controller's output (another CPU's IPI) calls {@link #controllerChanged()}.
 */
public final class PendingEvents {

    // ------------------------------------------------------------ bits of the pending mask

    /** Vectors raised through the API ({@link #raiseInterrupt}). */
    public static final int EXTERNAL_INTERRUPT = 1;
    /** The interrupt controller may have an NMI or a maskable interrupt: ask it. */
    public static final int CONTROLLER = 1 << 1;
    /** An NMI latched through the API ({@link #raiseNmi}). */
    public static final int NMI = 1 << 2;
    public static final int INIT = 1 << 3;
    public static final int SIPI = 1 << 4;
    /** A pending MTF VM exit (VMX non-root operation). */
    public static final int MTF = 1 << 5;
    /** Event id of the VMX-preemption timer; it is a deadline ({@link #armPreemptionTimer}), never a mask bit. */
    public static final int PREEMPTION_TIMER = 1 << 6;
    /** "Interrupt-window exiting" is 1 (VMX non-root operation). */
    public static final int INTERRUPT_WINDOW = 1 << 7;
    /** "NMI-window exiting" is 1 (VMX non-root operation). */
    public static final int NMI_WINDOW = 1 << 8;
    /** Pending debug exceptions ({@link #pendingDebug}) wait for MOV-SS blocking to end. */
    public static final int DEBUG = 1 << 9;
    /** Blocking by STI or MOV SS is in effect and ends after the next instruction. */
    public static final int BLOCKING = 1 << 10;
    /** The activity state is not ACTIVE. */
    public static final int NOT_ACTIVE = 1 << 11;
    /**
     * "Monitor trap flag" is 1 (VMX non-root operation): an MTF VM exit becomes pending on the
     * boundary after the next instruction, iteration or event delivery ({@link #armMonitorTrap}).
     */
    public static final int MTF_ARMED = 1 << 12;
    /**
     * A trap-like VM exit of APIC virtualization (TPR below threshold, EOI-induced, APIC write)
     * is pending after the instruction that caused it; the VMX unit holds its reason.
     */
    public static final int APIC_TRAP = 1 << 13;
    /** A virtual interrupt is recognized (SDM "Evaluation of Pending Virtual Interrupts"). */
    public static final int VIRTUAL_INTERRUPT = 1 << 14;
    /**
     * A bus-lock VM exit is pending after the instruction that caused the bus lock
     * ({@link #busLock}); dropped if that instruction did not complete.
     */
    public static final int BUS_LOCK = 1 << 15;
    /** The bits that only VMX non-root operation sets (cleared on every VM exit). */
    public static final int VMX_EVENTS = MTF | INTERRUPT_WINDOW | NMI_WINDOW | MTF_ARMED | APIC_TRAP
            | VIRTUAL_INTERRUPT | BUS_LOCK;

    // ------------------------------------------------------------ SDM "Interruptibility State" bits

    public static final int BLOCKING_BY_STI = 1;
    public static final int BLOCKING_BY_MOV_SS = 1 << 1;
    public static final int BLOCKING_BY_SMI = 1 << 2;
    public static final int BLOCKING_BY_NMI = 1 << 3;

    /** Pending-debug-exception bits (the VMCS field's DR6-like layout): B0-B3, enabled breakpoint, BS. */
    public static final long PENDING_DEBUG_B0_B3 = 0xF;
    public static final long PENDING_DEBUG_ENABLED_BREAKPOINT = 1L << 12;
    public static final long PENDING_DEBUG_BS = 1L << 14;

    // SDM appendix "VMX Basic Exit Reasons" raised from here.
    private static final int EXIT_INIT = 3;
    private static final int EXIT_SIPI = 4;
    private static final int EXIT_INTERRUPT_WINDOW = 7;
    private static final int EXIT_NMI_WINDOW = 8;
    private static final int EXIT_MTF = 37;
    private static final int EXIT_PREEMPTION_TIMER = 52;
    private static final int EXIT_BUS_LOCK = 74;

    private final Cpu c;

    /** The pending events (bits above). */
    private int mask;
    /** SDM "Interruptibility State": {@link #BLOCKING_BY_STI} ... {@link #BLOCKING_BY_NMI}. */
    int interruptibility;
    /** Virtual-NMI blocking (VMX non-root operation with "virtual NMIs" = 1). */
    boolean virtualNmiBlocking;
    /** Debug exceptions held while blocked (B0-B3, enabled breakpoint, BS). */
    long pendingDebug;
    /** The {@code Cpu.steps} value when STI/MOV-SS blocking was set. */
    private long blockingSince;
    private long controllerDeadline = Long.MAX_VALUE;
    private long preemptionDeadline = Long.MAX_VALUE;
    /** With {@link #MTF_ARMED}: the {@code Cpu.steps} value after which an MTF VM exit is pending. */
    private long mtfSteps;
    private int sipiVector;
    /** With {@link #BUS_LOCK}: the {@code Cpu.retired} value once the locking instruction has completed. */
    private long busLockRetired;
    /** The {@code Cpu.steps} value of the last IRET in VMX non-root operation that ended (virtual-)NMI blocking, or -1. */
    private long iretUnblockedAt = -1;

    /** Vectors raised through the API (an IRR-like bitmap; the highest vector is delivered first). */
    private final long[] vectors = new long[4];
    private int vectorCount;

    PendingEvents(Cpu c) {
        this.c = c;
    }

    /** After reset: nothing pending, nothing blocked. */
    void reset() {
        mask = c.activity == ActivityState.ACTIVE ? 0 : NOT_ACTIVE;
        java.util.Arrays.fill(vectors, 0);
        vectorCount = 0;
        interruptibility = 0;
        virtualNmiBlocking = false;
        pendingDebug = 0;
        preemptionDeadline = Long.MAX_VALUE;
        controllerChanged();
    }

    // ------------------------------------------------------------ raising events

    /** Marks external interrupt {@code vector} pending; delivered when RFLAGS.IF = 1 and nothing blocks it. */
    public void raiseInterrupt(int vector) {
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("interrupt vector " + vector + " is outside 0..255");
        }
        long bit = 1L << (vector & 63);
        if ((vectors[vector >>> 6] & bit) == 0) {
            vectors[vector >>> 6] |= bit;
            vectorCount++;
        }
        set(EXTERNAL_INTERRUPT);
    }

    /** Latches an NMI (delivered when NMIs are not blocked). */
    public void raiseNmi() {
        set(NMI);
    }

    /** An INIT signal (SDM "INIT"): a VM exit in VMX non-root operation, else the INIT reset. */
    public void raiseInit() {
        set(INIT);
    }

    /** A start-up IPI with {@code vector}: taken only in the wait-for-SIPI state (ignored otherwise). */
    public void raiseSipi(int vector) {
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("SIPI vector " + vector + " is outside 0..255");
        }
        sipiVector = vector;
        set(SIPI);
    }

    /** The interrupt controller's output or timers may have changed: ask it before the next instruction. */
    public void controllerChanged() {
        if (c.controller != null) {
            set(CONTROLLER);
        }
    }

    /** Sets pending bits (for VMX: {@link #MTF}, {@link #INTERRUPT_WINDOW}, {@link #NMI_WINDOW}). */
    public void set(int bits) {
        mask |= bits;
        c.eventCheck = Long.MIN_VALUE;
    }

    /** Clears pending bits (e.g. {@link #VMX_EVENTS} on a VM exit). */
    public void clear(int bits) {
        mask &= ~bits;
        update();
    }

    public int mask() {
        return mask;
    }

    /** Arms the VMX-preemption timer to expire when the cycle counter reaches {@code cycle}. */
    public void armPreemptionTimer(long cycle) {
        preemptionDeadline = cycle;
        update();
    }

    public void disarmPreemptionTimer() {
        preemptionDeadline = Long.MAX_VALUE;
        update();
    }

    /**
     * The instruction about to execute asserts a bus lock ({@code BusLockDetection}): a bus-lock
     * VM exit is pending after it, if it completes (retires); a fault or VM exit during it ends
     * the instruction without one.
     */
    void busLock() {
        busLockRetired = c.retired + 1;
        set(BUS_LOCK);
    }

    /**
     * SDM "Monitor Trap Flag": from now on an MTF VM exit is pending on the boundary after each
     * instruction (each iteration of a REP string instruction) and after each event delivered
     * through the IDT. {@code duringInstruction}: called while the VM-entry instruction executes
     * (its own retirement does not count).
     */
    public void armMonitorTrap(boolean duringInstruction) {
        mtfSteps = duringInstruction ? c.steps + 1 : c.steps;
        set(MTF_ARMED);
    }

    /** The cycle at which the preemption timer expires, or {@link Long#MAX_VALUE}. */
    public long preemptionDeadline() {
        return preemptionDeadline;
    }

    // ------------------------------------------------------------ blocking

    /** SDM "STI": blocking by STI until after the next instruction (only when IF was 0). */
    void blockBySti() {
        block(BLOCKING_BY_STI);
    }

    /** SDM "MOV" (to SS) and "POP": blocking by MOV SS until after the next instruction. */
    void blockByMovSs() {
        block(BLOCKING_BY_MOV_SS);
    }

    private void block(int bit) {
        interruptibility |= bit;
        blockingSince = c.steps;
        set(BLOCKING);
    }

    /** True while blocking by MOV SS covers the instruction at RIP (it follows MOV SS or POP SS). */
    boolean blockedByMovSs() {
        return (interruptibility & BLOCKING_BY_MOV_SS) != 0;
    }

    /** SDM "Interruptibility State" bits 3:0 (the VMCS encoding). */
    public int interruptibility() {
        return interruptibility;
    }

    /**
     * Loads the interruptibility state (VM entry, snapshots): bits 3:0 as the SDM encodes them.
     * Blocking by STI or MOV SS ends after the next instruction.
     */
    public void setInterruptibility(int state) {
        setInterruptibility(state, false);
    }

    /**
     * {@link #setInterruptibility(int)} from inside an executing instruction (VMLAUNCH/VMRESUME)
     * when {@code duringInstruction}: its own retirement does not end the blocking.
     */
    public void setInterruptibility(int state, boolean duringInstruction) {
        if ((state & ~0xF) != 0) {
            throw new IllegalArgumentException("interruptibility state 0x" + Integer.toHexString(state)
                    + " has bits outside 3:0");
        }
        interruptibility = state;
        if ((state & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS)) != 0) {
            // The next instruction is the first one of the blocked window.
            blockingSince = duringInstruction ? c.steps : c.steps - 1;
            set(BLOCKING);
        }
        update();
    }

    /**
     * True while a VM exit is raised by the instruction in progress, that instruction is IRET,
     * and IRET ended (virtual-)NMI blocking: the VMX unit's "NMI unblocking due to IRET" bit. A
     * faulting instruction counts as a step before its event is taken, hence {@code steps - 1}.
     */
    public boolean nmiUnblockedByCurrentIret() {
        return iretUnblockedAt >= 0 && iretUnblockedAt == c.steps - 1;
    }

    /**
     * As {@link #nmiUnblockedByCurrentIret}, asked while the instruction is still executing (the
     * step is not counted yet): a virtualization exception raised by IRET's own memory access.
     */
    public boolean nmiUnblockedByIretInProgress() {
        return iretUnblockedAt >= 0 && iretUnblockedAt == c.steps;
    }

    public boolean virtualNmiBlocking() {
        return virtualNmiBlocking;
    }

    public void setVirtualNmiBlocking(boolean blocked) {
        virtualNmiBlocking = blocked;
    }

    /**
     * SDM "NMI Handling", "IRET" in VMX non-root operation: what IRET does to NMI blocking. It is
     * called as IRET begins: SDM "Information for VM Exits Due to Vectored Events" has the
     * blocking cleared even when IRET then faults or causes a VM exit.
     */
    void iret() {
        boolean unblocked = false;
        if (!(c.vmx.nonRoot && c.vmx.nmiExiting)) {
            unblocked = (interruptibility & BLOCKING_BY_NMI) != 0;
            interruptibility &= ~BLOCKING_BY_NMI;
        }
        if (c.vmx.nonRoot && c.vmx.virtualNmis) {
            unblocked = virtualNmiBlocking;
            virtualNmiBlocking = false;
        }
        iretUnblockedAt = unblocked && c.vmx.nonRoot ? c.steps : -1;
        if ((mask & (NMI | CONTROLLER)) != 0) {
            c.eventCheck = Long.MIN_VALUE;
        }
    }

    // ------------------------------------------------------------ pending debug exceptions

    /** The pending debug exceptions (B0-B3, enabled breakpoint, BS). */
    public long pendingDebug() {
        return pendingDebug;
    }

    /** Loads the pending debug exceptions (VM entry): delivered as a #DB trap once nothing blocks them. */
    public void setPendingDebug(long bits) {
        pendingDebug = bits & (PENDING_DEBUG_B0_B3 | PENDING_DEBUG_ENABLED_BREAKPOINT | PENDING_DEBUG_BS);
        if (pendingDebug != 0) {
            set(DEBUG);
        } else {
            clear(DEBUG);
        }
    }

    /**
     * A debug exception (#DB) was delivered through the IDT: a fault (general detect, an
     * instruction breakpoint), a trap, or INT1 ({@code icebp}). MANUAL: it ends the debug
     * exceptions that blocking by MOV SS was holding, without reporting them in DR6, and INT1
     * has no single-step trap of its own (Intel processors: after MOV SS with RFLAGS.TF = 1, an
     * ICEBP or a general-detect fault gives exactly one #DB, whose DR6 has no BS; INT n and
     * INT3 leave the held exceptions pending, to be taken at the handler's first instruction).
     */
    void debugExceptionDelivered(boolean icebp) {
        if (icebp) {
            icebpStep = c.steps;
        }
        if (pendingDebug != 0) {
            pendingDebug = 0;
            clear(DEBUG);
        }
    }

    /** The {@code Cpu.steps} value while the last INT1 (ICEBP) executed. */
    private long icebpStep = Long.MIN_VALUE;
    /** The {@code Cpu.steps} value while the last SYSCALL/SYSRET that cleared RFLAGS.TF executed. */
    private long tfClearedAtEndStep = Long.MIN_VALUE;

    /**
     * The single-step rule of SYSCALL and SYSRET, which test RFLAGS.TF when they complete rather
     * than when they begin: SYSCALL with TF in IA32_FMASK takes no single-step trap, and SYSRET
     * loading TF = 1 takes one at once, at the instruction it returns to. MANUAL: what Intel and
     * AMD processors do (it lets an operating system mask TF at its entry point; kvm-unit-tests'
     * "syscall TF handling" checks it); the step loop's trap for an instruction that began with
     * TF = 1 is dropped or added here.
     */
    void singleStepAtEnd(boolean tfBefore, boolean tfAfter) {
        if (tfBefore && !tfAfter) {
            tfClearedAtEndStep = c.steps;
        } else if (!tfBefore && tfAfter) {
            setPendingDebug(pendingDebug | PENDING_DEBUG_BS);
        }
    }

    /**
     * A #DB trap after the instruction that just retired ({@code dr6Bits}: B0-B3 and BS). SDM
     * "Masking Exceptions and Interrupts When Switching Stacks": after MOV SS/POP SS it is held
     * until after the next instruction; otherwise it is delivered now.
     */
    void debugTrap(long dr6Bits) {
        if (icebpStep == c.steps - 1) {
            return;
        }
        if (tfClearedAtEndStep == c.steps - 1) {
            dr6Bits &= ~PENDING_DEBUG_BS;
            if (dr6Bits == 0) {
                return;
            }
        }
        // SDM "TPR Virtualization": a TPR-shadow update (and its VM exit) has priority over
        // debug exceptions the same instruction triggered; they stay pending like for MTF.
        // MANUAL: the same holds for a bus-lock VM exit (a trap-like exit of the same instruction).
        boolean mtfFirst = (mask & (MTF_ARMED | MTF | APIC_TRAP | BUS_LOCK)) != 0 && c.vmx.nonRoot;
        if (mtfFirst || (interruptibility & BLOCKING_BY_MOV_SS) != 0 && blockingSince == c.steps - 1) {
            // SDM "Monitor Trap Flag": an MTF VM exit has priority over a debug trap on the
            // previous instruction; the trap stays in the pending debug exceptions the exit saves.
            // SDM "Guest Non-Register State" (pending debug exceptions): bit 12, "enabled
            // breakpoint", is 1 when a data or I/O breakpoint enabled in DR7 was met (only
            // enabled ones are matched: Breakpoints).
            pendingDebug |= dr6Bits | ((dr6Bits & PENDING_DEBUG_B0_B3) != 0 ? PENDING_DEBUG_ENABLED_BREAKPOINT : 0);
            set(DEBUG);
            return;
        }
        // The trap comes after the instruction that ended any blocking by STI or MOV SS: the
        // interruptibility state a #DB VM exit saves no longer shows it.
        expireBlocking();
        // Held exceptions and this instruction's own trap are one #DB. SDM "HLT": "a debug
        // exception ... will resume execution": a trap on HLT itself (TF = 1) wakes the processor.
        long bits = dr6Bits | pendingDebug;
        pendingDebug = 0;
        mask &= ~DEBUG;
        wake();
        deliverDebug(bits);
    }

    private void deliverDebug(long bits) {
        if (c.vmx.nonRoot) {
            try {
                // SDM "Exceptions" (VMX non-root): a #DB the exception bitmap intercepts exits with
                // the DR6-like bits as qualification and leaves DR6 unchanged.
                c.vmx.debugException(bits);
            } catch (VmExitEvent x) {
                c.takeEvent(x);
                return;
            }
        }
        c.dr[6] = (c.dr[6] & ~PENDING_DEBUG_B0_B3) | (bits & (PENDING_DEBUG_B0_B3 | PENDING_DEBUG_BS));
        c.takeEvent(new CpuException(CpuException.DB, 0, false));
    }

    // ------------------------------------------------------------ activity state

    /** Enters {@code state} (HLT, shutdown, wait-for-SIPI) or leaves them (ACTIVE). */
    public void setActivity(ActivityState state) {
        c.activity = state;
        if (state == ActivityState.ACTIVE) {
            clear(NOT_ACTIVE);
        } else {
            set(NOT_ACTIVE);
        }
    }

    /**
     * True if something already pending or armed will wake this inactive processor without
     * outside help (for the several-processor schedule's "all idle forever" test): an INIT that is
     * not blocked, a SIPI in the wait-for-SIPI state, the VMX-preemption timer of a guest.
     */
    boolean wakesByItself() {
        return (mask & INIT) != 0 && !c.vmx.blocksInit
                || (mask & SIPI) != 0 && c.activity == ActivityState.WAIT_FOR_SIPI
                || c.vmx.nonRoot && preemptionDeadline != Long.MAX_VALUE;
    }

    /**
     * True if the shutdown state ends the run: outside VMX non-root operation. A guest entered in
     * the shutdown state (activity state 2) still takes the events that wake it into a VM exit
     * (SDM "VMX-Preemption Timer": its exits "wake a logical processor from the shutdown state").
     */
    boolean shutdownStops() {
        return c.activity == ActivityState.SHUTDOWN && !c.vmx.nonRoot;
    }

    // ------------------------------------------------------------ between instructions

    /**
     * For the translating engine: true if what is pending is only maskable interrupts (from the
     * API or the controller) while RFLAGS.IF = 0 blocks them (outside VMX non-root operation, or
     * in it without "external-interrupt exiting"), with no blocking, NMI or other event and no
     * timer due. Then {@link #poll} takes nothing at every step until RFLAGS.IF, the controller or
     * this mask changes, none of which a translated block can do (a block ends at an MMIO access),
     * so a block may run while the interpreter would keep polling.
     */
    boolean onlyMaskedInterruptsPending() {
        int m = mask;
        // SDM "Event Blocking": in VMX non-root operation RFLAGS.IF blocks external interrupts
        // unless "external-interrupt exiting" is 1 (the VMX events of non-root operation have
        // mask bits of their own, tested first).
        if ((m & ~(EXTERNAL_INTERRUPT | CONTROLLER)) != 0 || (c.rflagsRest & Cpu.RF_IF) != 0
                || c.vmx.nonRoot && c.vmx.externalInterruptExiting || c.cycles >= controllerDeadline) {
            return false;
        }
        return (m & CONTROLLER) == 0 || !c.controller.hasPendingNmi();
    }

    /**
     * UMWAIT and TPAUSE ({@code UserWait}): the cycle at which a wait meant to last until
     * {@code until} ends. SDM "UMWAIT": an external interrupt ends it "regardless of whether
     * maskable-interrupts are inhibited", and so do an NMI and the VMX-preemption timer; MANUAL:
     * any event already pending (any mask bit) ends it at once, else the earliest timer deadline.
     */
    long wakeFromWait(long until) {
        if (mask != 0) {
            return c.cycles;
        }
        return Math.min(until, Math.min(controllerDeadline, c.vmx.nonRoot ? preemptionDeadline : Long.MAX_VALUE));
    }

    /** The earliest deadline (controller timer, preemption timer): a translated block must end before it. */
    long deadline() {
        return Math.min(controllerDeadline, preemptionDeadline);
    }

    /** Recomputes the one field the step loop tests. */
    void update() {
        // PERF: maskable interrupts held back by RFLAGS.IF = 0 do not make the loop poll before
        // every instruction: the check waits for the next deadline, and whatever sets IF again
        // (Cpu.setRflags; STI through its blocking bit) or enters VMX non-root operation calls
        // this method again.
        int m = mask;
        c.eventCheck = m == 0 || onlyMaskedInterruptsPending() ? Math.min(controllerDeadline, preemptionDeadline)
                : Long.MIN_VALUE;
    }

    /**
     * Called by the step loop when {@code cycles >= eventCheck}. Takes the highest-priority
     * event that nothing blocks; returns true if the step is used up (an event was taken or the
     * processor is not active), false to execute the instruction at RIP.
     */
    boolean poll() {
        prepare();
        int e = next();
        boolean used = e != 0;
        if (used) {
            take(e);
        }
        settle();
        return used || c.activity != ActivityState.ACTIVE;
    }

    /**
     * Outside the loop, in HLT or wait-for-SIPI: true if an event would wake the processor now,
     * else skips the cycle counter to the next deadline (SDM "HLT—Halt" waits) within
     * {@code cycleLimit} and checks again. False if nothing can wake it within the budget.
     */
    boolean wakesOrSleeps(long cycleLimit) {
        controllerChanged();
        prepare();
        if (next() != 0) {
            return true;
        }
        settle();
        long deadline = Math.min(controllerDeadline, c.vmx.nonRoot ? preemptionDeadline : Long.MAX_VALUE);
        if (deadline == Long.MAX_VALUE || deadline > cycleLimit) {
            if (deadline != Long.MAX_VALUE && cycleLimit > c.cycles) {
                c.cycles = cycleLimit;
            }
            return false;
        }
        if (deadline > c.cycles) {
            c.cycles = deadline;
        }
        controllerChanged();
        prepare();
        boolean wakes = next() != 0;
        settle();
        return wakes;
    }

    /** Timers up to date, blocking expired, stale SIPIs and VMX events dropped. */
    private void prepare() {
        if (!c.vmx.nonRoot && ((mask & VMX_EVENTS) != 0 || preemptionDeadline != Long.MAX_VALUE)) {
            // The VMX events belong to the guest: outside VMX non-root operation they are void
            // (a VM exit ends them; the next VM entry sets them again from the VMCS).
            mask &= ~VMX_EVENTS;
            preemptionDeadline = Long.MAX_VALUE;
        }
        InterruptController ic = c.controller;
        if (ic != null && c.cycles >= controllerDeadline) {
            ic.advanceTo(c.cycles);
            mask |= CONTROLLER;
        }
        expireBlocking();
        if ((mask & BUS_LOCK) != 0 && c.retired != busLockRetired) {
            // The locking instruction faulted (or exited): it did not complete, no trap follows it.
            mask &= ~BUS_LOCK;
        }
        if ((mask & MTF_ARMED) != 0 && c.steps - mtfSteps > 0) {
            // An instruction (iteration) retired or an event was delivered since the last boundary.
            mask |= MTF;
            mtfSteps = c.steps;
        }
        if ((mask & SIPI) != 0 && c.activity != ActivityState.WAIT_FOR_SIPI) {
            // SDM "MP Initialization Protocol Algorithm": a SIPI outside wait-for-SIPI is ignored.
            mask &= ~SIPI;
        }
    }

    /** Ends blocking by STI or MOV SS once the instruction after the one that set it has retired. */
    private void expireBlocking() {
        if ((mask & BLOCKING) != 0 && c.steps - blockingSince >= 2) {
            interruptibility &= ~(BLOCKING_BY_STI | BLOCKING_BY_MOV_SS);
            mask &= ~BLOCKING;
        }
    }

    /** Forgets the controller until it may have changed again; recomputes the check field. */
    private void settle() {
        InterruptController ic = c.controller;
        if (ic != null) {
            if ((mask & CONTROLLER) != 0 && !ic.hasPendingNmi() && !ic.hasPendingInterrupt()) {
                mask &= ~CONTROLLER;
            }
            controllerDeadline = ic.nextEventCycle();
        }
        update();
    }

    /**
     * The highest-priority event pending and not blocked, or 0. SDM "Priority Among Concurrent
     * Events": INIT, then (VMX) pending MTF, traps on the previous instruction (pending debug
     * exceptions), (VMX) the preemption timer and NMI-window exits, NMI, (VMX) interrupt-window
     * exits, maskable interrupts.
     */
    private int next() {
        int m = mask;
        boolean nonRoot = c.vmx.nonRoot;
        ActivityState activity = c.activity;
        if ((m & INIT) != 0 && !c.vmx.blocksInit) {
            return INIT;
        }
        if ((m & SIPI) != 0) {
            return SIPI;
        }
        if (activity == ActivityState.WAIT_FOR_SIPI) {
            // SDM "VMX-Preemption Timer": its exits "do not occur if the logical processor is in
            // the wait-for-SIPI state"; nothing but INIT and SIPI ends that state.
            return 0;
        }
        if (activity == ActivityState.SHUTDOWN) {
            // A guest entered in the shutdown state: the preemption timer and (with "NMI exiting")
            // an NMI wake it into a VM exit (they "wake a logical processor from the shutdown
            // state", as an NMI would). MANUAL: nothing else is taken in the shutdown state.
            if (nonRoot && c.cycles >= preemptionDeadline) {
                return PREEMPTION_TIMER;
            }
            return nonRoot && c.vmx.nmiExiting && nmiPending(m) ? NMI : 0;
        }
        if ((m & APIC_TRAP) != 0 && nonRoot) {
            // SDM "VM Exits Induced by the TPR Threshold", "APIC-Write VM Exits": trap-like exits
            // of the instruction that just completed, before SMIs, INIT and lower-priority events.
            return APIC_TRAP;
        }
        if ((m & BUS_LOCK) != 0 && nonRoot) {
            // SDM "Bus-Lock Detection" (VM exits caused by bus locks): trap-like, after the
            // instruction that asserted the bus lock completed. MANUAL: with the other trap-like
            // exits of that instruction, before a pending MTF VM exit and debug traps.
            return BUS_LOCK;
        }
        if ((m & MTF) != 0 && nonRoot) {
            return MTF;
        }
        boolean movSs = (interruptibility & BLOCKING_BY_MOV_SS) != 0;
        boolean sti = (interruptibility & BLOCKING_BY_STI) != 0;
        if ((m & DEBUG) != 0 && !movSs) {
            return DEBUG;
        }
        if (nonRoot && c.cycles >= preemptionDeadline) {
            return PREEMPTION_TIMER;
        }
        boolean nmiBlocked = (interruptibility & BLOCKING_BY_NMI) != 0;
        if ((m & NMI_WINDOW) != 0 && nonRoot && !movSs && !sti
                && !(c.vmx.virtualNmis ? virtualNmiBlocking : nmiBlocked)) {
            return NMI_WINDOW;
        }
        // MANUAL: blocking by MOV SS also blocks NMIs (SDM "Masking Exceptions and Interrupts When
        // Switching Stacks": "interrupts"), and so does blocking by STI (SDM "Interruptibility
        // State": it "may also block NMIs" on some processors; Intel processors do, which
        // kvm-unit-tests' apic test "nmi-after-sti" checks: no NMI on the boundary after STI).
        if (!movSs && !sti && !nmiBlocked && nmiPending(m)) {
            return NMI;
        }
        boolean ifOpen = (c.rflagsRest & Cpu.RF_IF) != 0 && !sti && !movSs;
        if ((m & INTERRUPT_WINDOW) != 0 && nonRoot && ifOpen) {
            return INTERRUPT_WINDOW;
        }
        if ((m & VIRTUAL_INTERRUPT) != 0 && nonRoot && ifOpen) {
            // SDM "Delivery of Virtual Interrupts": the priority of interrupt-window exits, when
            // RFLAGS.IF = 1 and there is no blocking by STI or MOV SS.
            return VIRTUAL_INTERRUPT;
        }
        if (interruptPending(m)) {
            // SDM "Event Blocking" (VMX non-root): with "external-interrupt exiting", RFLAGS.IF does
            // not block. MANUAL: blocking by STI and MOV SS still does (implementation-specific).
            boolean open = nonRoot && c.vmx.externalInterruptExiting ? !sti && !movSs : ifOpen;
            if (open) {
                return EXTERNAL_INTERRUPT;
            }
        }
        return 0;
    }

    private boolean nmiPending(int m) {
        return (m & NMI) != 0 || ((m & CONTROLLER) != 0 && c.controller.hasPendingNmi());
    }

    private boolean interruptPending(int m) {
        return vectorCount != 0 || ((m & CONTROLLER) != 0 && c.controller.hasPendingInterrupt());
    }

    /** Takes event {@code e}: delivers it, or raises the VM exit it causes. Counts one step. */
    private void take(int e) {
        c.steps++;
        try {
            switch (e) {
                case INIT:
                    mask &= ~INIT;
                    if (c.vmx.nonRoot) {
                        throw VmExitEvent.of(EXIT_INIT, 0);
                    }
                    boolean sipiPending = (mask & SIPI) != 0;
                    int vector = sipiVector;
                    c.init();
                    setActivity(c.bootstrapProcessor ? ActivityState.ACTIVE : ActivityState.WAIT_FOR_SIPI);
                    if (sipiPending) {
                        // MANUAL: a SIPI that arrived with the INIT (both in one scheduling quantum
                        // of another processor) is kept: it follows the INIT, as it did on the bus.
                        raiseSipi(vector);
                    }
                    break;
                case SIPI:
                    mask &= ~SIPI;
                    if (c.vmx.nonRoot) {
                        throw VmExitEvent.of(EXIT_SIPI, sipiVector);
                    }
                    // SDM "MP Initialization Protocol Algorithm": CS = vector << 8, base vector << 12, IP = 0.
                    c.seg[Cpu.SEG_CS].set(sipiVector << 8, (long) sipiVector << 12, 0xFFFF, 0x9B);
                    c.rip = 0;
                    c.updateMode();
                    setActivity(ActivityState.ACTIVE);
                    break;
                case MTF:
                    mask &= ~MTF;
                    throw VmExitEvent.of(EXIT_MTF, 0);
                case DEBUG: {
                    mask &= ~DEBUG;
                    long bits = pendingDebug;
                    pendingDebug = 0;
                    wake();
                    deliverDebug(bits);
                    break;
                }
                case PREEMPTION_TIMER:
                    preemptionDeadline = Long.MAX_VALUE;
                    throw VmExitEvent.of(EXIT_PREEMPTION_TIMER, 0);
                case NMI_WINDOW:
                    throw VmExitEvent.of(EXIT_NMI_WINDOW, 0);
                case NMI:
                    if ((mask & NMI) != 0) {
                        mask &= ~NMI;
                    } else {
                        c.controller.acknowledgeNmi();
                    }
                    // SDM "NMI Handling": NMIs are blocked from delivery until the next IRET (an NMI
                    // that exits through "NMI exiting" does not block).
                    if (!(c.vmx.nonRoot && c.vmx.nmiExiting)) {
                        interruptibility |= BLOCKING_BY_NMI;
                    }
                    deliver(InterruptionType.NMI, CpuException.NMI);
                    break;
                case INTERRUPT_WINDOW:
                    throw VmExitEvent.of(EXIT_INTERRUPT_WINDOW, 0);
                case BUS_LOCK:
                    mask &= ~BUS_LOCK;
                    // SDM "Basic VM-Exit Information": no qualification is defined for a bus-lock exit.
                    throw VmExitEvent.of(EXIT_BUS_LOCK, 0);
                case APIC_TRAP:
                    mask &= ~APIC_TRAP;
                    wake();
                    throw c.vmx.apicTrapExit();
                case VIRTUAL_INTERRUPT:
                    // SDM "Virtual-Interrupt Delivery": recognition ceases; the vector goes
                    // through the IDT like an external interrupt (wakes HLT).
                    mask &= ~VIRTUAL_INTERRUPT;
                    deliverVirtual(c.vmx.deliverVirtualInterrupt());
                    break;
                default: // EXTERNAL_INTERRUPT
                    if (c.vmx.nonRoot && c.vmx.externalInterruptExiting) {
                        // A VM exit, or posted-interrupt processing of the notification vector.
                        c.vmx.externalInterrupt();
                        break;
                    }
                    deliver(InterruptionType.EXTERNAL_INTERRUPT, acknowledgeInterrupt());
                    break;
            }
        } catch (ArchitecturalEvent x) {
            c.takeEvent(x);
        }
    }

    /**
     * The interrupt acknowledge cycle: the highest vector raised through the API, else the
     * controller's. For the VMX unit's "acknowledge interrupt on exit".
     */
    public int acknowledgeInterrupt() {
        if (vectorCount != 0) {
            int v = -1;
            for (int w = 3; w >= 0 && v < 0; w--) {
                if (vectors[w] != 0) {
                    v = w * 64 + 63 - Long.numberOfLeadingZeros(vectors[w]);
                }
            }
            vectors[v >>> 6] &= ~(1L << (v & 63));
            if (--vectorCount == 0) {
                mask &= ~EXTERNAL_INTERRUPT;
            }
            return v;
        }
        return c.controller.acknowledgeInterrupt() & 0xFF;
    }

    /** Delivers an external interrupt or NMI before the instruction at RIP. */
    private void deliver(int type, int vector) {
        wake();
        c.notifyInterrupt(vector);
        c.events.deliver(type, vector, 0, false, c.rip, 0);
        c.cycles += EventDelivery.DELIVERY_COST;
    }

    /**
     * Delivers a virtual interrupt through the IDT as an external interrupt, with no VM-exit
     * decision: "external-interrupt exiting" applies to interrupts from the local APIC only.
     */
    private void deliverVirtual(int vector) {
        wake();
        c.notifyInterrupt(vector);
        c.events.deliverInjected(InterruptionType.EXTERNAL_INTERRUPT, vector, 0, false, c.rip, 0);
        c.cycles += EventDelivery.DELIVERY_COST;
    }

    /** SDM "HLT—Halt": an event taken in HLT resumes execution. */
    private void wake() {
        if (c.activity == ActivityState.HLT) {
            c.activity = ActivityState.ACTIVE;
            mask &= ~NOT_ACTIVE;
        }
    }
}
