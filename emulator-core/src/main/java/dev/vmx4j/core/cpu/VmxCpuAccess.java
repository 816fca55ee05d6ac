package dev.vmx4j.core.cpu;

import dev.vmx4j.core.cpu.vmx.Vmx;
import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * The CPU state VM entry and VM exit load and save that has no public accessor on {@link Cpu}:
 * interruptibility, the checked MSR accesses of the VM-entry and VM-exit MSR lists, the PDPTE
 * reload, the shutdown state. Static methods over a {@link Cpu}, for the VMX package only
 * (module-internal); the one CPU state object of issue 7 will absorb it.
 */
public final class VmxCpuAccess {

    /** SDM "Interruptibility State" bits. */
    public static final int BLOCKING_BY_STI = 1;
    public static final int BLOCKING_BY_MOV_SS = 1 << 1;
    public static final int BLOCKING_BY_NMI = 1 << 3;

    private VmxCpuAccess() {
    }

    /** The interruptibility state as the VMCS field encodes it (SDM "Interruptibility State"). */
    public static int interruptibility(Cpu c) {
        return c.pending.interruptibility();
    }

    public static void setInterruptibility(Cpu c, int state) {
        c.pending.setInterruptibility(state & 0xF);
    }

    /**
     * WRMSR with the instruction's checks (not the CPL one): throws {@link CpuException} #GP(0)
     * where WRMSR would. Called outside VMX non-root operation only (no MSR-bitmap test).
     */
    public static void wrmsrChecked(Cpu c, int index, long value) {
        int cpl = c.cpl;
        c.cpl = 0;
        try {
            c.wrmsr(null, index, value);
        } finally {
            c.cpl = cpl;
        }
    }

    /** RDMSR with the instruction's checks (not the CPL one). */
    public static long rdmsrChecked(Cpu c, int index) {
        int cpl = c.cpl;
        c.cpl = 0;
        try {
            return c.rdmsr(null, index);
        } finally {
            c.cpl = cpl;
        }
    }

    /**
     * Turns on the EPT stage for VMX non-root operation with EPTP {@code eptp} (already checked
     * by VM entry); with {@code pml}, page-modification logging from {@code pmlAddress} at
     * {@code pmlIndex}. Drops the current code page; the software TLB context is chosen by
     * {@link #selectTlbContext}.
     */
    public static void enableEpt(Cpu c, long eptVpidCap, long eptp, boolean modeBasedExecute, boolean pml,
                                 long pmlAddress, int pmlIndex) {
        EptStage s = c.mmu.eptStage(eptVpidCap, c.profile().maxPhysicalAddressBits());
        s.load(eptp, modeBasedExecute, pml, pmlAddress, pmlIndex);
        c.mmu.setEpt(s);
    }

    /**
     * Selects the software-TLB context of ({@code vpid}, the EP4TA of {@code eptp}, or no EPT
     * when {@code eptp} is {@code -1}). SDM "Information That May Be Cached" and "VPID": with
     * {@code flushVpid0} (the transition's "enable VPID" is 0) the mappings of VPID 0000H are
     * invalidated first.
     */
    public static void selectTlbContext(Cpu c, int vpid, long eptp, boolean flushVpid0) {
        c.mmu.transition(vpid, eptp == -1 ? TlbContext.NO_EPT : ep4ta(c, eptp), flushVpid0);
    }

    /** EPTP bits MAXPHYADDR-1:12, the EPT PML4 (or PML5) table address. */
    private static long ep4ta(Cpu c, long eptp) {
        return eptp & ((1L << c.profile().maxPhysicalAddressBits()) - 1) & ~0xFFFL;
    }

    /** INVVPID type 0 (individual address). */
    public static void invalidateVpidAddress(Cpu c, int vpid, long linear) {
        c.mmu.invalidateVpidPage(vpid, linear);
    }

    /** INVVPID type 1 (single context). */
    public static void invalidateVpid(Cpu c, int vpid) {
        c.mmu.invalidateVpid(vpid);
    }

    /** INVVPID type 3 (single context, retaining global translations). */
    public static void invalidateVpidNonGlobal(Cpu c, int vpid) {
        c.mmu.invalidateVpidNonGlobal(vpid);
    }

    /** INVVPID type 2 (all contexts but VPID 0000H). */
    public static void invalidateAllVpids(Cpu c) {
        c.mmu.invalidateAllVpids();
    }

    /** INVEPT type 1 (single context: the EP4TA of {@code eptp}). */
    public static void invalidateEptp(Cpu c, long eptp) {
        c.mmu.invalidateEp4ta(ep4ta(c, eptp));
    }

    /** INVEPT type 2 (all contexts). */
    public static void invalidateAllEptps(Cpu c) {
        c.mmu.invalidateAllEp4tas();
    }

    /**
     * VM entry with "EPT-violation #VE": turns virtualization exceptions on with the information
     * area at {@code informationAddress} and EPTP index {@code eptpIndex} (after {@link #enableEpt}).
     */
    public static void enableVirtualizationExceptions(Cpu c, long informationAddress, int eptpIndex) {
        c.mmu.ept().loadVirtualizationExceptions(true, informationAddress, eptpIndex);
    }

    /**
     * VMFUNC EPTP switching (SDM "EPTP Switching"): {@code eptp}, already checked, becomes the
     * EPTP of the running guest; its translations come from the context of (current VPID, its
     * EP4TA); {@code eptpIndex} is the new EPTP index for #VE.
     */
    public static void switchEptp(Cpu c, long eptp, int eptpIndex) {
        c.mmu.ept().switchEptp(eptp, eptpIndex);
        c.mmu.switchEp4ta(ep4ta(c, eptp));
    }

    /** Turns the EPT stage off (VM exit); returns the PML index to store, or -1 without PML. */
    public static int disableEpt(Cpu c) {
        EptStage s = c.mmu.ept();
        if (s == null) {
            return -1;
        }
        c.mmu.setEpt(null);
        return s.pmlEnabled() ? s.pmlIndex() : -1;
    }

    /** The reason of the last EPT misconfiguration (exit 49) the CPU reported, or NONE. */
    public static dev.vmx4j.mmu.ept.EptMisconfiguration lastEptMisconfiguration(Cpu c) {
        EptStage s = c.mmu.eptStageIfCreated();
        return s == null ? dev.vmx4j.mmu.ept.EptMisconfiguration.NONE : s.lastMisconfiguration();
    }

    /** SDM "PDPTE Registers": reloads the PDPTEs from CR3 when PAE paging is on; false if one is invalid. */
    public static boolean reloadPdptes(Cpu c) {
        return c.reloadPdptes();
    }

    /** True if the local APIC is in x2APIC mode (IA32_APIC_BASE EN and EXTD). */
    public static boolean x2apicMode(Cpu c) {
        return c.localApic != null && c.localApic.isX2ApicMode();
    }

    /** Enters the shutdown state (a VMX abort: SDM "VMX Aborts"). */
    public static void shutdown(Cpu c) {
        c.pending.setActivity(ActivityState.SHUTDOWN);
    }

    /** Hands an architectural event raised outside the step loop (by the host API) to the loop's handler. */
    public static void takeEvent(Cpu c, ArchitecturalEvent e) {
        c.takeEvent(e);
    }

    /** Asks the run loop to stop after the current step with {@code reason}. */
    public static void requestStop(Cpu c, dev.vmx4j.core.StopReason reason) {
        c.stopRequest = reason;
    }

    /** Marks listener code running (a stop it requests is a listener request). */
    public static void setInListener(Cpu c, boolean in) {
        c.inListener = in;
    }

    /** RFLAGS.VM, without materializing the lazy arithmetic flags. */
    public static boolean virtual8086(Cpu c) {
        return (c.rflagsRest & Cpu.RF_VM) != 0;
    }

    /**
     * SDM "Conventions", VMsucceed: "CF := 0; PF := 0; AF := 0; ZF := 0; SF := 0; OF := 0". No
     * other RFLAGS bit changes, so nothing {@link Cpu#setRflags} derives from them (alignment
     * checking, the user-access bits, interrupt windows) changes. PERF: the common outcome of
     * VMREAD and VMWRITE without materializing and reloading the whole RFLAGS.
     */
    public static void vmSucceed(Cpu c) {
        c.flags.set(0);
    }

    /** Sets CPL (after a VM entry or exit loaded SS). */
    public static void setCpl(Cpu c, int cpl) {
        c.cpl = cpl;
    }

    /**
     * SDM "Virtualizing Memory-Mapped APIC Accesses": the frame number of the APIC-access page
     * while "virtualize APIC accesses" is 1 (-1: none). Accesses whose physical address lies on
     * it go to the VMX unit, never to RAM; the software TLB and the current code page are
     * flushed so no earlier translation maps it as RAM.
     */
    public static void setApicAccessFrame(Cpu c, long frame) {
        c.mmu.setApicAccessFrame(frame);
    }

    /** Posted-interrupt processing: writes 0 to the local APIC's EOI register (xAPIC or x2APIC). */
    public static void localApicEoi(Cpu c) {
        dev.vmx4j.core.devices.apic.LocalApic apic = c.localApic;
        if (apic == null) {
            return;
        }
        if (apic.isX2ApicMode()) {
            apic.writeMsr(0x80B, 0);
        } else {
            apic.write(dev.vmx4j.core.devices.apic.LocalApic.REG_EOI, 4, 0);
        }
        c.pending.controllerChanged();
    }

    /**
     * Before {@code d} executes in VMX non-root operation: SDM "VMM bus-lock detection" (while
     * the control is 1), then the VM exit {@code d} causes before any of its effects
     * ({@link Vmx#exitBeforeExecution}), taken here as {@link Cpu#stepOnce()} takes a caught
     * {@link VmExitEvent}: the instruction counts as a step and does not retire. True if it exited.
     */
    static boolean exitedBeforeExecution(Cpu c, DecodedInstruction d) {
        if (c.vmx.busLockDetection) {
            BusLockDetection.check(c, d);
        }
        VmExitEvent e = c.vmx.exitBeforeExecution(d);
        if (e == null) {
            return false;
        }
        c.steps++;
        c.takeEvent(e);
        return true;
    }
}
