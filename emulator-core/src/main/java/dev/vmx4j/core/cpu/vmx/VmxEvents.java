package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.InterruptionType;
import dev.vmx4j.core.cpu.PendingEvents;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.controls.PinBasedControl;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * The VM-execution controls that make VM exits happen between instructions, handed to the core's
 * events model ({@link PendingEvents}) at VM entry and taken back at VM exit: "interrupt-window
 * exiting", "NMI-window exiting", the monitor trap flag and the VMX-preemption timer (SDM "Other
 * Causes of VM Exits", "VMX-Preemption Timer", "Monitor Trap Flag"). The events model arbitrates
 * them in the SDM's priority order.
 */
final class VmxEvents {

    private final Vmx vmx;
    private final Cpu c;
    /** The TSC value at which the running guest's preemption timer reaches 0, or -1 if not active. */
    private long timerDeadlineTsc = -1;

    VmxEvents(Vmx vmx, Cpu c) {
        this.vmx = vmx;
        this.c = c;
    }

    /**
     * After guest state is loaded and before event injection. {@code duringInstruction}: the
     * entry is VMLAUNCH/VMRESUME executing (not the Java host API).
     */
    void onEntry(Vmcs v, boolean duringInstruction) {
        loadInterruptibility(c, v, duringInstruction);
        PendingEvents p = c.pendingEvents();
        int proc = (int) v.get(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS);
        int pin = (int) v.get(PIN_BASED_VM_EXECUTION_CONTROLS);
        int bits = 0;
        // SDM "Interrupt-Window Exiting and Virtual-Interrupt Delivery": a VM exit at the start
        // of any instruction with RFLAGS.IF = 1 and no blocking by STI or MOV SS.
        if ((proc & PROC_INTERRUPT_WINDOW_EXITING) != 0) {
            bits |= PendingEvents.INTERRUPT_WINDOW;
        }
        // SDM "NMI-Window Exiting": a VM exit at the start of any instruction with no virtual-NMI
        // blocking and no blocking by MOV SS (or STI).
        if ((proc & PROC_NMI_WINDOW_EXITING) != 0) {
            bits |= PendingEvents.NMI_WINDOW;
        }
        if (bits != 0) {
            p.set(bits);
        }
        if ((proc & PROC_MONITOR_TRAP_FLAG) != 0) {
            p.armMonitorTrap(duringInstruction);
        }
        // SDM "VMX-Preemption Timer": the timer counts down by 1 each time bit X of the TSC
        // changes (X = IA32_VMX_MISC[4:0]); a VM exit occurs when it reaches 0. With value 0 the
        // exit comes before the first guest instruction (after any injected event).
        if ((pin & PIN_ACTIVATE_VMX_PREEMPTION_TIMER) != 0) {
            int rate = vmx.caps.preemptionTimerRate();
            long value = v.get(VMX_PREEMPTION_TIMER_VALUE) & 0xFFFFFFFFL;
            long tsc = c.tsc();
            timerDeadlineTsc = ((tsc >>> rate) + value) << rate;
            // The cycle counter and the TSC differ by a constant while the guest runs.
            p.armPreemptionTimer(c.cycles() + Math.max(0, timerDeadlineTsc - tsc));
        } else {
            timerDeadlineTsc = -1;
            p.disarmPreemptionTimer();
        }
    }

    /**
     * After event injection of interruption type {@code type} (-1: none), if the guest still
     * runs: the blocking a vectoring entry leaves, and the MTF VM exit it makes pending.
     */
    void afterInjection(Vmcs v, int type) {
        if (type < 0 || type == InterruptionType.OTHER_EVENT || !vmx.nonRoot) {
            return;
        }
        PendingEvents p = c.pendingEvents();
        // SDM "Interruptibility State" (Special Features of VM Entry): "If the VM entry is
        // vectoring, there is no blocking by STI or by MOV SS following the VM entry".
        int state = p.interruptibility() & ~(PendingEvents.BLOCKING_BY_STI | PendingEvents.BLOCKING_BY_MOV_SS);
        if (type == InterruptionType.NMI) {
            // SDM "Event Injection": an injected NMI blocks virtual NMIs ("virtual NMIs" = 1) or NMIs.
            if (vmx.virtualNmis) {
                p.setVirtualNmiBlocking(true);
            } else {
                state |= PendingEvents.BLOCKING_BY_NMI;
            }
        }
        p.setInterruptibility(state);
        // SDM "Monitor Trap Flag": with the control 1, a vectored injected event makes an MTF VM
        // exit pending before the first guest instruction.
        int proc = (int) v.get(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS);
        if ((proc & PROC_MONITOR_TRAP_FLAG) != 0) {
            p.set(PendingEvents.MTF);
        }
    }

    /**
     * SDM "Loading Guest Non-Register State": the interruptibility state; with "virtual NMIs" = 1
     * its bit 3 is virtual-NMI blocking (NMIs themselves are not blocked). Blocking by STI or MOV
     * SS covers the first guest instruction.
     */
    static void loadInterruptibility(Cpu c, Vmcs v, boolean duringInstruction) {
        int state = (int) v.get(GUEST_INTERRUPTIBILITY_STATE) & 0xF;
        boolean virtualNmis = (v.get(PIN_BASED_VM_EXECUTION_CONTROLS) & PIN_VIRTUAL_NMIS) != 0;
        PendingEvents p = c.pendingEvents();
        p.setVirtualNmiBlocking(virtualNmis && (state & PendingEvents.BLOCKING_BY_NMI) != 0);
        p.setInterruptibility(virtualNmis ? state & ~PendingEvents.BLOCKING_BY_NMI : state, duringInstruction);
    }

    /** SDM "Saving Non-Register State": the interruptibility state, bit 3 virtual-NMI blocking with "virtual NMIs". */
    static int savedInterruptibility(Vmx vmx, Cpu c) {
        PendingEvents p = c.pendingEvents();
        int state = p.interruptibility();
        if (vmx.virtualNmis) {
            state = state & ~PendingEvents.BLOCKING_BY_NMI | (p.virtualNmiBlocking() ? PendingEvents.BLOCKING_BY_NMI : 0);
        }
        return state;
    }

    /**
     * At a VM exit, before guest state is saved: the window, MTF and timer events end; with "save
     * VMX-preemption timer value" the remaining count is stored (0 for a timer exit).
     */
    void onExit(Vmcs v, int reason) {
        PendingEvents p = c.pendingEvents();
        p.clear(PendingEvents.VMX_EVENTS);
        p.disarmPreemptionTimer();
        if (timerDeadlineTsc >= 0
                && (v.get(PRIMARY_VM_EXIT_CONTROLS) & EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE) != 0) {
            // SDM "Saving Non-Register State": "the value that the timer had at the time of the
            // VM exit" (the number of bit-X changes of the TSC still to come).
            int rate = vmx.caps.preemptionTimerRate();
            long left = (timerDeadlineTsc >>> rate) - (c.tsc() >>> rate);
            long saved = reason == ExitReason.VMX_PREEMPTION_TIMER_EXPIRED.number() || left < 0 ? 0 : left;
            v.set(VMX_PREEMPTION_TIMER_VALUE, saved);
        }
        timerDeadlineTsc = -1;
    }
}
