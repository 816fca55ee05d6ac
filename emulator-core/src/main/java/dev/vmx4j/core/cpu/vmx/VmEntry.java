package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.VmExitEvent;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.insn.VmxResult;

/**
 * VM entry after VMLAUNCH/VMRESUME's own checks, in the SDM's order (SDM "VM Entries"): the
 * checks on the VMX controls and the host-state area (VMfailValid 7/8), the guest-state checks
 * (exit reason 33), loading guest state, the VM-entry MSR-load list (exit reason 34), then
 * event injection.
 */
final class VmEntry {

    private final Vmx vmx;
    private final Cpu c;

    VmEntry(Vmx vmx, Cpu c) {
        this.vmx = vmx;
        this.c = c;
    }

    /**
     * Enters VMX non-root operation with VMCS {@code v}. Returns the VMfailValid outcome if the
     * checks on the controls or the host state fail; else null: the processor is then either in
     * VMX non-root operation or, after a VM-entry failure (exit reason 33 or 34), back at the
     * host RIP. Either way the instruction's next RIP is the RIP just loaded.
     */
    VmxResult enter(Vmcs v, boolean launch, DecodedInstruction d) {
        // SDM "Checks on VMX Controls and Host-State Area".
        EntryChecks.Outcome checked = vmx.entryChecks.run(vmx, c, v, launch);
        if (checked.vmFail != null) {
            return checked.vmFail;
        }
        if (checked.exitReason == ExitReason.VM_ENTRY_FAILURE_MSR_LOADING.number()) {
            // SDM "VM-Entry Failures During or After Loading Guest State": an MSR-load entry that
            // breaks a rule fails the entry after guest state was loaded.
            GuestState.load(vmx, c, v);
            vmx.exits.entryFailure(checked.exitReason, checked.exitQualification);
            c.setNextRip(c.rip);
            return null;
        }
        if (checked.exitReason != 0) {
            // SDM "Checks on Guest State Area": the entry fails with exit reason 33 (guest state
            // not loaded, host state loaded).
            vmx.exits.entryFailure(checked.exitReason, checked.exitQualification);
            c.setNextRip(c.rip);
            return null;
        }
        // SDM "Loading Guest State".
        GuestState.load(vmx, c, v);
        vmx.intercepts.loadOnEntry(v);
        vmx.extensions.loadOnEntry(v, vmx.intercepts.proc, vmx.intercepts.proc2);
        vmx.shadowing.loadOnEntry(v, vmx.intercepts.proc2);
        // SDM "Loading MSRs": a failing entry n is exit reason 34 with qualification n.
        MsrList.Result msrs = MsrList.load(c, v.get(VM_ENTRY_MSR_LOAD_ADDRESS), (int) v.get(VM_ENTRY_MSR_LOAD_COUNT),
                vmx.caps.maxMsrListCount());
        if (!msrs.ok()) {
            vmx.exits.entryFailure(ExitReason.VM_ENTRY_FAILURE_MSR_LOADING.number(), msrs.failedEntry);
            c.setNextRip(c.rip);
            return null;
        }
        // SDM "VMLAUNCH/VMRESUME": "IF VMLAUNCH THEN launch state of VMCS := launched".
        if (launch) {
            v.setLaunched(true);
        }
        vmx.nonRoot = true;
        // In VMX non-root operation "external-interrupt exiting" ignores RFLAGS.IF: the loop
        // must look at held-back interrupts again.
        c.pendingEvents().controllerChanged();
        c.setNextRip(c.rip);
        // SDM "Guest-Physical Address Translation": from here on guest-physical addresses,
        // including those of the injected event's delivery, go through EPT.
        EptControls.onEntry(vmx, c, v);
        // Window exits, the monitor trap flag and the VMX-preemption timer (VmxEvents).
        vmx.events.onEntry(v, d != null);
        // The TPR shadow, the APIC-access page, RVI/SVI and posted interrupts (ApicVirtualization).
        vmx.apic.onEntry(v);
        // SDM "Event Injection".
        int injected = EventInjection.inject(vmx, c, v);
        vmx.events.afterInjection(v, injected);
        return null;
    }
}
