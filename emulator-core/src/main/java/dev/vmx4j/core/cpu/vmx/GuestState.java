package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.SegmentState;
import dev.vmx4j.core.cpu.TransitionMsrs;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.vmx.controls.EntryControl;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * The guest-state area of the VMCS and the processor: loading it on VM entry (SDM "Loading
 * Guest State") and saving it on VM exit (SDM "Saving Guest State").
 */
final class GuestState {

    static final int MSR_PERF_GLOBAL_CTRL = 0x38F;
    static final int MSR_BNDCFGS = 0xD90;

    /** SDM "Loading Guest Control Registers...": CR0 bits VM entry never modifies (ET, 15:6, 17, 28:19, NW, CD). */
    static final long CR0_UNMODIFIED = 0x10L | 0xFFC0L | 1L << 17 | 0x1FF80000L | 1L << 29 | 1L << 30;

    /** Activity states (SDM "Guest Non-Register State"). */
    static final int ACTIVE = 0;
    static final int HLT = 1;
    static final int SHUTDOWN = 2;
    static final int WAIT_FOR_SIPI = 3;

    /** The guest segment fields in Cpu.SEG_* order (ES CS SS DS FS GS LDTR TR, the VMCS's order too). */
    static final VmcsField[] SELECTOR = {GUEST_ES_SELECTOR, GUEST_CS_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR,
        GUEST_FS_SELECTOR, GUEST_GS_SELECTOR, GUEST_LDTR_SELECTOR, GUEST_TR_SELECTOR};
    static final VmcsField[] BASE = {GUEST_ES_BASE, GUEST_CS_BASE, GUEST_SS_BASE, GUEST_DS_BASE,
        GUEST_FS_BASE, GUEST_GS_BASE, GUEST_LDTR_BASE, GUEST_TR_BASE};
    static final VmcsField[] LIMIT = {GUEST_ES_LIMIT, GUEST_CS_LIMIT, GUEST_SS_LIMIT, GUEST_DS_LIMIT,
        GUEST_FS_LIMIT, GUEST_GS_LIMIT, GUEST_LDTR_LIMIT, GUEST_TR_LIMIT};
    static final VmcsField[] ACCESS_RIGHTS = {GUEST_ES_ACCESS_RIGHTS, GUEST_CS_ACCESS_RIGHTS, GUEST_SS_ACCESS_RIGHTS,
        GUEST_DS_ACCESS_RIGHTS, GUEST_FS_ACCESS_RIGHTS, GUEST_GS_ACCESS_RIGHTS, GUEST_LDTR_ACCESS_RIGHTS,
        GUEST_TR_ACCESS_RIGHTS};

    /** The VM-entry controls of the MSRs {@link #loadRareMsrs} loads. */
    private static final long RARE_ENTRY_CONTROLS = EntryControl.LOAD_IA32_PERF_GLOBAL_CTRL.mask()
            | EntryControl.LOAD_IA32_PAT.mask() | EntryControl.LOAD_IA32_BNDCFGS.mask();
    /** The VM-exit controls of the state {@link #saveRareMsrs} saves. */
    private static final long RARE_SAVE_CONTROLS = ExitControl.SAVE_IA32_PAT.mask()
            | ExitControl.SAVE_IA32_EFER.mask() | ExitControl.SAVE_IA32_PERF_GLOBAL_CTL.mask();

    private GuestState() {
    }

    /**
     * SDM "Loading Guest State": control and debug registers and MSRs, segment and
     * descriptor-table registers, RIP/RSP/RFLAGS, then non-register state. The PDPTEs of a PAE
     * guest without EPT are loaded from its CR3 (the caller checks them first).
     */
    static void load(Vmx vmx, Cpu c, Vmcs v) {
        long entry = v.get(VM_ENTRY_CONTROLS);
        boolean ia32eGuest = (entry & ENTRY_IA32E_MODE_GUEST) != 0;
        // SDM "Loading Guest Control Registers, Debug Registers, and MSRs".
        c.cr0 = (v.get(GUEST_CR0) & ~CR0_UNMODIFIED & 0xFFFFFFFFL) | (c.cr0 & CR0_UNMODIFIED);
        c.cr3 = v.get(GUEST_CR3);
        c.cr4 = v.get(GUEST_CR4);
        if ((entry & ENTRY_LOAD_DEBUG_CONTROLS) != 0) {
            c.dr[7] = v.get(GUEST_DR7) & 0xFFFFFFFFL;
            TransitionMsrs.setDebugctl(c, v.get(GUEST_IA32_DEBUGCTL));
        }
        TransitionMsrs.setSysenter(c, v.get(GUEST_IA32_SYSENTER_CS), v.get(GUEST_IA32_SYSENTER_ESP),
                v.get(GUEST_IA32_SYSENTER_EIP));
        if ((entry & RARE_ENTRY_CONTROLS) != 0) {
            loadRareMsrs(c, v, entry);
        }
        long efer;
        if ((entry & ENTRY_LOAD_IA32_EFER) != 0) {
            efer = v.get(GUEST_IA32_EFER);
        } else {
            // "If the 'load IA32_EFER' VM-entry control is 0 ... IA32_EFER.LMA is loaded with the
            // setting of the 'IA-32e mode guest' VM-entry control ... If CR0 is being loaded so
            // that CR0.PG = 1, IA32_EFER.LME is also loaded with [it]."
            efer = c.efer & ~Cpu.EFER_LMA;
            if (ia32eGuest) {
                efer |= Cpu.EFER_LMA;
            }
            if ((c.cr0 & Cpu.CR0_PG) != 0) {
                efer = ia32eGuest ? efer | Cpu.EFER_LME : efer & ~Cpu.EFER_LME;
            }
        }
        c.efer = efer;

        // SDM "Loading Guest Segment Registers and Descriptor-Table Registers".
        for (int s = 0; s < 8; s++) {
            loadSegment(c, s, v);
        }
        c.gdtrBase = v.get(GUEST_GDTR_BASE);
        c.gdtrLimit = (int) v.get(GUEST_GDTR_LIMIT) & 0xFFFF;
        c.idtrBase = v.get(GUEST_IDTR_BASE);
        c.idtrLimit = (int) v.get(GUEST_IDTR_LIMIT) & 0xFFFF;

        // SDM "Loading Guest RIP, RSP, and RFLAGS".
        c.gpr[4] = v.get(GUEST_RSP);
        c.setRip(v.get(GUEST_RIP));
        c.setRflags(v.get(GUEST_RFLAGS));

        // MANUAL: the CPL is the DPL of SS (SDM "Checks on Guest Segment Registers" ties CS.DPL
        // and SS.DPL to it); in virtual-8086 mode updateMode makes it 3.
        VmxCpuAccess.setCpl(c, c.seg[Cpu.SEG_SS].dpl());
        c.updateMode();
        c.updateDebugState();
        // The PDPTEs of a PAE guest without EPT come from its CR3 (EptControls loads them from
        // the VMCS with EPT). The software TLB is not flushed: EptControls.onEntry selects the
        // guest's tagged context.
        VmxCpuAccess.reloadPdptes(c);

        // SDM "Loading Guest Non-Register State".
        // The interruptibility state: VmxEvents.onEntry (it needs to know the entry's instruction).
        c.pendingEvents().setPendingDebug(v.get(GUEST_PENDING_DEBUG_EXCEPTIONS));
        c.pendingEvents().setActivity(dev.vmx4j.core.cpu.ActivityState.of((int) v.get(GUEST_ACTIVITY_STATE) & 3));
    }

    /**
     * The MSRs of "load IA32_PERF_GLOBAL_CTRL", "load IA32_PAT" and "load IA32_BNDCFGS".
     * PERF: out of line, so the common entry compiles without them.
     */
    private static void loadRareMsrs(Cpu c, Vmcs v, long entry) {
        if ((entry & EntryControl.LOAD_IA32_PERF_GLOBAL_CTRL.mask()) != 0 && c.hasMsr(MSR_PERF_GLOBAL_CTRL)) {
            c.setMsr(MSR_PERF_GLOBAL_CTRL, v.get(GUEST_IA32_PERF_GLOBAL_CTRL));
        }
        if ((entry & EntryControl.LOAD_IA32_PAT.mask()) != 0) {
            TransitionMsrs.setPat(c, v.get(GUEST_IA32_PAT));
        }
        if ((entry & EntryControl.LOAD_IA32_BNDCFGS.mask()) != 0 && c.hasMsr(MSR_BNDCFGS)) {
            c.setMsr(MSR_BNDCFGS, v.get(GUEST_IA32_BNDCFGS));
        }
    }

    /** SDM "Saving Control Registers, Debug Registers, and MSRs": the MSRs of "save IA32_PAT" and "save IA32_PERF_GLOBAL_CTL" (PERF: out of line). */
    private static void saveRareMsrs(Cpu c, Vmcs v, long exitCtl) {
        if ((exitCtl & ExitControl.SAVE_IA32_PAT.mask()) != 0) {
            v.set(GUEST_IA32_PAT, TransitionMsrs.pat(c));
        }
        if ((exitCtl & ExitControl.SAVE_IA32_EFER.mask()) != 0) {
            v.set(GUEST_IA32_EFER, c.efer);
        }
        if ((exitCtl & ExitControl.SAVE_IA32_PERF_GLOBAL_CTL.mask()) != 0 && c.hasMsr(MSR_PERF_GLOBAL_CTRL)) {
            v.set(GUEST_IA32_PERF_GLOBAL_CTRL, c.msr(MSR_PERF_GLOBAL_CTRL));
        }
    }

    /**
     * SDM "Loading Guest Segment Registers and Descriptor-Table Registers": selector, base,
     * limit and access rights from the VMCS; an unusable register keeps its selector and the
     * unusable bit. MANUAL: the bases of unusable ES/DS (undefined in the SDM) are loaded too;
     * bases are truncated to 32 bits for ES/CS/SS/DS outside IA-32e mode as the checks guarantee.
     */
    private static void loadSegment(Cpu c, int s, Vmcs v) {
        int ar = (int) v.get(ACCESS_RIGHTS[s]);
        int arStored = ar & (0xF | 1 << 4 | 3 << 5 | 1 << 7 | 1 << 12 | 1 << 13 | 1 << 14 | 1 << 15 | 1 << 16);
        c.seg[s].set((int) v.get(SELECTOR[s]), v.get(BASE[s]), (int) v.get(LIMIT[s]), arStored);
    }

    /** SDM "Saving Guest State": what VM exit writes to the guest-state area. */
    static void save(Vmx vmx, Cpu c, Vmcs v) {
        long exitCtl = v.get(PRIMARY_VM_EXIT_CONTROLS);
        // SDM "Saving Control Registers, Debug Registers, and MSRs".
        v.set(GUEST_CR0, c.cr0);
        v.set(GUEST_CR3, c.cr3);
        v.set(GUEST_CR4, c.cr4);
        if ((exitCtl & EXIT_SAVE_DEBUG_CONTROLS) != 0) {
            v.set(GUEST_DR7, c.dr[7]);
            v.set(GUEST_IA32_DEBUGCTL, TransitionMsrs.debugctl(c));
        }
        v.set(GUEST_IA32_SYSENTER_CS, TransitionMsrs.sysenterCs(c));
        v.set(GUEST_IA32_SYSENTER_ESP, TransitionMsrs.sysenterEsp(c));
        v.set(GUEST_IA32_SYSENTER_EIP, TransitionMsrs.sysenterEip(c));
        if ((exitCtl & RARE_SAVE_CONTROLS) != 0) {
            saveRareMsrs(c, v, exitCtl);
        }
        // SDM "Saving Segment Registers and Descriptor-Table Registers".
        for (int s = 0; s < 8; s++) {
            SegmentState sg = c.seg[s];
            v.set(SELECTOR[s], sg.selector());
            v.set(BASE[s], sg.base());
            v.set(LIMIT[s], sg.limit() & 0xFFFFFFFFL);
            v.set(ACCESS_RIGHTS[s], sg.accessRights() & 0x1F0FF);
        }
        v.set(GUEST_GDTR_BASE, c.gdtrBase);
        v.set(GUEST_GDTR_LIMIT, c.gdtrLimit);
        v.set(GUEST_IDTR_BASE, c.idtrBase);
        v.set(GUEST_IDTR_LIMIT, c.idtrLimit);
        // SDM "Saving RIP, RSP, RFLAGS, and SSP".
        v.set(GUEST_RSP, c.gpr[4]);
        v.set(GUEST_RIP, c.rip);
        v.set(GUEST_RFLAGS, c.rflags());
        // SDM "Saving Non-Register State".
        v.set(GUEST_ACTIVITY_STATE, c.activity().encoding);
        v.set(GUEST_INTERRUPTIBILITY_STATE, VmxEvents.savedInterruptibility(vmx, c));
        v.set(GUEST_PENDING_DEBUG_EXCEPTIONS, c.pendingEvents().pendingDebug());
    }
}
