package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.SegmentState;
import dev.vmx4j.core.cpu.TransitionMsrs;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.vmcs.VmcsField;

/** SDM "Loading Host State": what VM exit (and a VM-entry failure after the checks) loads. */
final class HostState {

    /** Host selectors in Cpu.SEG_* order for ES CS SS DS FS GS; TR separately. */
    private static final VmcsField[] SELECTOR = {HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR,
        HOST_DS_SELECTOR, HOST_FS_SELECTOR, HOST_GS_SELECTOR};

    /** The data segment registers in Cpu.SEG_* order. */
    private static final int[] DATA_SEGMENTS = {Cpu.SEG_ES, Cpu.SEG_SS, Cpu.SEG_DS, Cpu.SEG_FS, Cpu.SEG_GS};

    /** The VM-exit controls of the MSRs {@link #loadRareMsrs} loads. */
    private static final long RARE_CONTROLS = ExitControl.LOAD_IA32_PERF_GLOBAL_CTRL.mask()
            | ExitControl.LOAD_IA32_PAT.mask() | ExitControl.CLEAR_IA32_BNDCFGS.mask();

    private HostState() {
    }

    /**
     * Loads the host state. Returns false if the host's PDPTEs (a PAE host outside IA-32e mode)
     * are invalid: the caller then aborts (SDM "VMX Aborts", indicator 2).
     */
    static boolean load(Cpu c, Vmcs v) {
        long exitCtl = v.get(PRIMARY_VM_EXIT_CONTROLS);
        boolean longHost = (exitCtl & EXIT_HOST_ADDRESS_SPACE_SIZE) != 0;
        // SDM "Loading Host Control Registers, Debug Registers, MSRs".
        c.cr0 = (v.get(HOST_CR0) & ~GuestState.CR0_UNMODIFIED & 0xFFFFFFFFL) | (c.cr0 & GuestState.CR0_UNMODIFIED);
        c.cr3 = v.get(HOST_CR3);
        c.cr4 = v.get(HOST_CR4);
        // "DR7 is set to 400H"; "The IA32_DEBUGCTL MSR is cleared to 00000000_00000000H".
        c.dr[7] = 0x400;
        TransitionMsrs.setDebugctl(c, 0);
        TransitionMsrs.setSysenter(c, v.get(HOST_IA32_SYSENTER_CS), v.get(HOST_IA32_SYSENTER_ESP),
                v.get(HOST_IA32_SYSENTER_EIP));
        if ((exitCtl & RARE_CONTROLS) != 0) {
            loadRareMsrs(c, v, exitCtl);
        }
        if ((exitCtl & EXIT_LOAD_IA32_EFER) != 0) {
            c.efer = v.get(HOST_IA32_EFER);
        } else {
            // "IA32_EFER.LME and IA32_EFER.LMA are loaded with the setting of the 'host
            // address-space size' VM-exit control."
            c.efer = longHost ? c.efer | Cpu.EFER_LME | Cpu.EFER_LMA : c.efer & ~(Cpu.EFER_LME | Cpu.EFER_LMA);
        }

        // SDM "Loading Host Segment and Descriptor-Table Registers".
        int cs = (int) v.get(HOST_CS_SELECTOR);
        // CS: type 11 (execute/read, accessed), S = 1, DPL = 0, P = 1, L = host address-space
        // size, D = !L, G = 1, base 0, limit FFFFFFFFH.
        c.seg[Cpu.SEG_CS].set(cs, 0, 0xFFFFFFFF, 0xB | SegmentState.AR_S | SegmentState.AR_P | SegmentState.AR_G
                | (longHost ? SegmentState.AR_L : SegmentState.AR_DB));
        for (int s : DATA_SEGMENTS) {
            int sel = (int) v.get(SELECTOR[s]);
            long base = s == Cpu.SEG_FS ? v.get(HOST_FS_BASE) : s == Cpu.SEG_GS ? v.get(HOST_GS_BASE) : 0;
            // "If the selector is 0000H" the register is unusable; else type 3 (read/write,
            // accessed), S, DPL 0, P, D/B = 1, G = 1, limit FFFFFFFFH.
            int ar = 0x3 | SegmentState.AR_S | SegmentState.AR_P | SegmentState.AR_DB | SegmentState.AR_G;
            if ((sel & 0xFFF8) == 0) {
                ar |= SegmentState.AR_UNUSABLE;
            }
            c.seg[s].set(sel, base, 0xFFFFFFFF, ar);
        }
        // TR: type 11 (busy 32/64-bit TSS), S = 0, DPL 0, P, limit 67H, base from the field.
        c.seg[Cpu.SEG_TR].set((int) v.get(HOST_TR_SELECTOR), v.get(HOST_TR_BASE), 0x67, 0xB | SegmentState.AR_P);
        // "LDTR is established as follows on all VM exits: the selector is cleared to 0000H, the
        // segment is marked unusable".
        c.seg[Cpu.SEG_LDTR].set(0, 0, 0, SegmentState.AR_UNUSABLE);
        c.gdtrBase = v.get(HOST_GDTR_BASE);
        c.gdtrLimit = 0xFFFF;
        c.idtrBase = v.get(HOST_IDTR_BASE);
        c.idtrLimit = 0xFFFF;

        // SDM "Loading Host RIP, RSP, RFLAGS, and SSP": "RFLAGS is cleared, except bit 1".
        c.gpr[4] = v.get(HOST_RSP);
        c.setRip(v.get(HOST_RIP));
        c.setRflags(2);
        VmxCpuAccess.setCpl(c, 0);
        c.updateMode();
        c.updateDebugState();
        boolean pdptesValid = VmxCpuAccess.reloadPdptes(c);
        // The host's software-TLB context: the caller selects it (selectTlbContext).
        // SDM "Loading Host State" (non-register state): no blocking by STI or MOV SS; the
        // processor is active.
        VmxCpuAccess.setInterruptibility(c, VmxCpuAccess.interruptibility(c) & VmxCpuAccess.BLOCKING_BY_NMI);
        c.setHalted(false);
        return pdptesValid;
    }

    /**
     * SDM "VPID": the host's mappings are those of VPID 0000H; they survive in the software TLB
     * unless "enable VPID" is 0, in which case VM exit invalidates them. Called right after
     * {@link #load}. PERF: not inside {@link #load}, so that C2 does not compile the TLB
     * transition ({@code Mmu.transition}, which it also compiles on its own and for VM entry)
     * into {@link #load}, its largest compile on the exit path.
     */
    static void selectTlbContext(Cpu c, Vmcs v) {
        VmxCpuAccess.selectTlbContext(c, 0, -1, !EptControls.vpidEnabled(v));
    }

    /**
     * The MSRs of "load IA32_PERF_GLOBAL_CTRL", "load IA32_PAT" and "clear IA32_BNDCFGS".
     * PERF: out of line, so the common exit compiles without them.
     */
    private static void loadRareMsrs(Cpu c, Vmcs v, long exitCtl) {
        if ((exitCtl & ExitControl.LOAD_IA32_PERF_GLOBAL_CTRL.mask()) != 0 && c.hasMsr(GuestState.MSR_PERF_GLOBAL_CTRL)) {
            c.setMsr(GuestState.MSR_PERF_GLOBAL_CTRL, v.get(HOST_IA32_PERF_GLOBAL_CTRL));
        }
        if ((exitCtl & ExitControl.LOAD_IA32_PAT.mask()) != 0) {
            TransitionMsrs.setPat(c, v.get(HOST_IA32_PAT));
        }
        if ((exitCtl & ExitControl.CLEAR_IA32_BNDCFGS.mask()) != 0 && c.hasMsr(GuestState.MSR_BNDCFGS)) {
            c.setMsr(GuestState.MSR_BNDCFGS, 0);
        }
    }
}
