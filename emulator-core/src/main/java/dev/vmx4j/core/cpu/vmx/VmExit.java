package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuException;
import dev.vmx4j.core.cpu.VmExitEvent;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.vmx.controls.EntryControl;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * The one place that performs VM exits (SDM "VM Exits"): record the exit information, save
 * guest state, store the VM-exit MSR-store list, load host state, load the VM-exit MSR-load
 * list; and the same host-state path for VM-entry failures after the guest-state checks
 * (exit reasons 33 and 34). A failure on the way is a VMX abort (SDM "VMX Aborts").
 */
final class VmExit {

    /** SDM "VMX Aborts": the VMX-abort indicators. */
    static final int ABORT_SAVING_GUEST_MSRS = 1;
    static final int ABORT_HOST_PDPTES = 2;
    static final int ABORT_CORRUPTED_VMCS = 3;
    static final int ABORT_LOADING_HOST_MSRS = 4;
    static final int ABORT_MACHINE_CHECK = 5;
    static final int ABORT_IA32E_WITHOUT_HOST_ADDRESS_SPACE_SIZE = 6;

    /** Exit-reason bit 31: VM-entry failure. */
    static final int ENTRY_FAILURE = 1 << 31;

    private final Vmx vmx;
    private final Cpu c;

    /** The Java host's VM-exit listeners, or null. */
    dev.vmx4j.core.vmx.VmExitListener[] listeners;

    /** VM-exit interruption information (and error code) of the exit being raised, or 0. */
    int pendingInterruptionInfo;
    int pendingInterruptionErrorCode;

    VmExit(Vmx vmx, Cpu c) {
        this.vmx = vmx;
        this.c = c;
    }

    /** A VM exit from VMX non-root operation. */
    void perform(VmExitEvent e) {
        Vmcs v = vmx.current;
        // From here on the processor runs the exit in VMX root operation (the MSR lists below
        // are not subject to the MSR bitmaps).
        vmx.nonRoot = false;
        // SDM "Recording VM-Exit Information and Updating VM-Entry Control Fields".
        v.set(EXIT_REASON, e.reason);
        v.set(EXIT_QUALIFICATION, e.qualification | NmiUnblocking.qualificationBit(vmx, c, e.reason & 0xFFFF));
        if (e.has(VmExitEvent.GUEST_LINEAR)) {
            v.set(GUEST_LINEAR_ADDRESS, e.guestLinearAddress);
        }
        if (e.has(VmExitEvent.GUEST_PHYSICAL)) {
            v.set(GUEST_PHYSICAL_ADDRESS, e.guestPhysicalAddress);
        }
        // MANUAL: the SDM leaves the instruction length undefined for exits that are not caused
        // by an instruction (or a software event); vmx4j writes 0 there.
        v.set(VM_EXIT_INSTRUCTION_LENGTH, e.has(VmExitEvent.INSTRUCTION_LENGTH) ? e.instructionLength : 0);
        if (e.has(VmExitEvent.INSTRUCTION_INFO)) {
            v.set(VM_EXIT_INSTRUCTION_INFORMATION, e.instructionInfo);
        }
        v.set(VM_EXIT_INTERRUPTION_INFORMATION, (pendingInterruptionInfo
                | NmiUnblocking.interruptionInfoBit(vmx, c, pendingInterruptionInfo)) & 0xFFFFFFFFL);
        if (pendingInterruptionInfo < 0 && (pendingInterruptionInfo & 1 << 11) != 0) {
            v.set(VM_EXIT_INTERRUPTION_ERROR_CODE, pendingInterruptionErrorCode);
        }
        pendingInterruptionInfo = 0;
        recordIdtVectoring(v, e.reason);
        // "the 'IA-32e mode guest' VM-entry control is updated with the value of IA32_EFER.LMA";
        // "bit 31 of the VM-entry interruption-information field is cleared".
        long entry = v.get(VM_ENTRY_CONTROLS) & ~ENTRY_IA32E_MODE_GUEST;
        v.set(VM_ENTRY_CONTROLS, entry | ((c.efer & Cpu.EFER_LMA) != 0 ? ENTRY_IA32E_MODE_GUEST : 0));
        v.set(VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, v.get(VM_ENTRY_INTERRUPTION_INFORMATION_FIELD) & 0x7FFFFFFFL);
        // The window, MTF and preemption-timer events end; the timer value is saved.
        vmx.events.onExit(v, e.reason);
        vmx.apic.onExit(v);

        GuestState.save(vmx, c, v);
        v.set(GUEST_RFLAGS, ResumeFlag.saved(e, v.get(GUEST_RFLAGS), v.get(IDT_VECTORING_INFORMATION_FIELD) < 0
                || (v.get(IDT_VECTORING_INFORMATION_FIELD) & 0x80000000L) != 0));
        // SDM "Saving Non-Register State": the guest's pending debug exceptions are in the VMCS
        // now; they are not delivered to the host.
        c.pendingEvents().setPendingDebug(0);
        EptControls.onExit(c, v);
        if (!storeMsrs(v)) {
            abort(ABORT_SAVING_GUEST_MSRS);
            return;
        }
        if (loadHost(v)) {
            finish(v);
        }
    }

    /**
     * SDM "Information for VM Exits That Occur During Event Delivery": an exit raised while an
     * event was being delivered through the IDT (a fault of that delivery caught by the exception
     * bitmap, an EPT violation, a task switch...) reports that event: valid bit 31, its
     * interruption type and vector, and its error code; for a software interrupt or exception the
     * instruction length is that of the instruction that raised it. The core keeps the event in
     * {@code Cpu.delivering()} until the delivery completes.
     */
    private void recordIdtVectoring(Vmcs v, int reason) {
        dev.vmx4j.core.cpu.EventRecord d = c.delivering();
        // MANUAL: a triple-fault exit reports no vectoring event: the shutdown it replaces ends
        // every delivery in progress, so no single event is being delivered.
        if (!d.valid || reason == ExitReason.TRIPLE_FAULT.number()) {
            v.set(IDT_VECTORING_INFORMATION_FIELD, 0);
            return;
        }
        v.set(IDT_VECTORING_INFORMATION_FIELD, 0x80000000L | (d.hasErrorCode ? 1L << 11 : 0)
                | ((long) (d.type & 7) << 8) | (d.vector & 0xFF));
        if (d.hasErrorCode) {
            v.set(IDT_VECTORING_ERROR_CODE, d.errorCode & 0xFFFFFFFFL);
        }
        if (d.instructionLength != 0) {
            v.set(VM_EXIT_INSTRUCTION_LENGTH, d.instructionLength);
        }
    }

    /**
     * SDM "VM-Entry Failures During or After Loading Guest State": exit reason {@code reason}
     * with bit 31 set and {@code qualification}; guest state is not saved; host state is loaded
     * as on a VM exit.
     */
    void entryFailure(int reason, long qualification) {
        Vmcs v = vmx.current;
        v.set(EXIT_REASON, ENTRY_FAILURE | reason);
        v.set(EXIT_QUALIFICATION, qualification);
        if (loadHost(v)) {
            finish(v);
        }
    }

    /** After an exit: count it, tell the listeners, honour the "stop at the next VM exit" run limit. */
    private void finish(Vmcs v) {
        vmx.exitCount++;
        dev.vmx4j.core.vmx.VmExitListener[] ls = listeners;
        if (ls != null) {
            dev.vmx4j.core.vmx.VmExitInfo info = info(v);
            VmxCpuAccess.setInListener(c, true);
            try {
                for (dev.vmx4j.core.vmx.VmExitListener l : ls) {
                    l.vmExit(info);
                }
            } finally {
                VmxCpuAccess.setInListener(c, false);
            }
        }
        if (vmx.stopAtExit) {
            VmxCpuAccess.requestStop(c, dev.vmx4j.core.StopReason.VM_EXIT);
        }
    }

    /** The exit information {@code v} records. */
    dev.vmx4j.core.vmx.VmExitInfo info(Vmcs v) {
        int reason = (int) v.get(EXIT_REASON);
        boolean interruption = (reason & 0xFFFF) <= 1;
        int length = (int) v.get(VM_EXIT_INSTRUCTION_LENGTH);
        return new dev.vmx4j.core.vmx.VmExitInfo(reason, v.get(EXIT_QUALIFICATION), v.get(GUEST_RIP),
                v.get(GUEST_LINEAR_ADDRESS), v.get(GUEST_PHYSICAL_ADDRESS), reason < 0 ? 0 : length,
                (int) v.get(VM_EXIT_INSTRUCTION_INFORMATION),
                interruption ? (int) v.get(VM_EXIT_INTERRUPTION_INFORMATION) : 0,
                reason == ExitReason.EPT_MISCONFIGURATION.number() ? VmxCpuAccess.lastEptMisconfiguration(c)
                        : dev.vmx4j.mmu.ept.EptMisconfiguration.NONE);
    }

    /** Host state and the VM-exit MSR-load list; false after a VMX abort. */
    private boolean loadHost(Vmcs v) {
        boolean longHost = (v.get(PRIMARY_VM_EXIT_CONTROLS) & EXIT_HOST_ADDRESS_SPACE_SIZE) != 0;
        if ((c.efer & Cpu.EFER_LMA) != 0 && !longHost) {
            abort(ABORT_IA32E_WITHOUT_HOST_ADDRESS_SPACE_SIZE);
            return false;
        }
        vmx.intercepts.clearOnExit();
        boolean pdptesValid = HostState.load(c, v);
        HostState.selectTlbContext(c, v);
        if (!pdptesValid) {
            abort(ABORT_HOST_PDPTES);
            return false;
        }
        if (!MsrList.load(c, v.get(VM_EXIT_MSR_LOAD_ADDRESS), (int) v.get(VM_EXIT_MSR_LOAD_COUNT),
                vmx.caps.maxMsrListCount()).ok()) {
            abort(ABORT_LOADING_HOST_MSRS);
            return false;
        }
        return true;
    }

    /** SDM "Saving MSRs": the VM-exit MSR-store list; false on a failure (abort 1). */
    private boolean storeMsrs(Vmcs v) {
        return MsrList.store(c, v.get(VM_EXIT_MSR_STORE_ADDRESS), (int) v.get(VM_EXIT_MSR_STORE_COUNT),
                vmx.caps.maxMsrListCount()).ok();
    }

    /**
     * SDM "VMX Aborts": the indicator goes to offset 4 of the current VMCS's region and the
     * logical processor shuts down.
     */
    void abort(int indicator) {
        vmx.current.writeAbortIndicator(c.memory(), indicator);
        vmx.nonRoot = false;
        VmxCpuAccess.shutdown(c);
    }
}
