package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;

/**
 * What VM entry and VM exit do for EPT (SDM "Loading Guest State", "Saving Guest State"):
 * turn the CPU's EPT stage on with the VMCS's EPTP and PML fields, load the PDPTEs of a PAE
 * guest from the VMCS, and on exit store the PML index and the PDPTEs back and turn it off.
 */
final class EptControls {

    private static final long CR0_PG = 1L << 31;
    private static final long CR4_PAE = 1L << 5;

    private EptControls() {
    }

    private static long secondary(Vmcs v) {
        long proc = v.get(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS);
        return (proc >>> 31 & 1) != 0 ? v.get(SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS) : 0;
    }

    static boolean enabled(Vmcs v) {
        return (secondary(v) & PROC2_ENABLE_EPT) != 0;
    }

    private static boolean paeGuest(Cpu c) {
        return (c.cr0 & CR0_PG) != 0 && (c.cr4 & CR4_PAE) != 0 && (c.efer & Cpu.EFER_LMA) == 0;
    }

    /** "EPT-violation #VE" of the VMCS's controls. */
    static boolean virtualizationExceptions(Vmcs v) {
        return (secondary(v) & PROC2_EPT_VIOLATION_VE) != 0;
    }

    /** "enable VPID" of the VMCS's controls. */
    static boolean vpidEnabled(Vmcs v) {
        return (secondary(v) & PROC2_ENABLE_VPID) != 0;
    }

    /** After guest state and the MSR-load list, before event injection. */
    static void onEntry(Vmx vmx, Cpu c, Vmcs v) {
        long sec = secondary(v);
        boolean vpid = (sec & PROC2_ENABLE_VPID) != 0;
        boolean ept = (sec & PROC2_ENABLE_EPT) != 0;
        // SDM "VPID" / "Information That May Be Cached": the guest's mappings are tagged by its
        // VPID (0000H without "enable VPID", then VM entry invalidates that VPID's mappings) and,
        // with EPT, by the EP4TA; VM entry selects them rather than flushing.
        VmxCpuAccess.selectTlbContext(c, vpid ? (int) v.get(VIRTUAL_PROCESSOR_IDENTIFIER) & 0xFFFF : 0,
                ept ? v.get(EPT_POINTER) : -1, !vpid);
        if (!ept) {
            return;
        }
        if (paeGuest(c)) {
            // SDM "Loading Guest Control Registers, Debug Registers, and MSRs": with "enable
            // EPT" = 1 the PDPTEs of a PAE guest are loaded from the guest-state area.
            c.state().setPdpte(0, v.get(GUEST_PDPTE0));
            c.state().setPdpte(1, v.get(GUEST_PDPTE1));
            c.state().setPdpte(2, v.get(GUEST_PDPTE2));
            c.state().setPdpte(3, v.get(GUEST_PDPTE3));
        }
        boolean pml = (sec & PROC2_ENABLE_PML) != 0;
        VmxCpuAccess.enableEpt(c, vmx.eptVpidCap(), v.get(EPT_POINTER),
                (sec & PROC2_MODE_BASED_EXECUTE_CONTROL_FOR_EPT) != 0, pml,
                pml ? v.get(PML_ADDRESS) : 0, pml ? (int) v.get(PML_INDEX) : 0);
        if ((sec & PROC2_EPT_VIOLATION_VE) != 0) {
            // SDM "Virtualization Exceptions": the information area and the EPTP index.
            VmxCpuAccess.enableVirtualizationExceptions(c, v.get(VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS),
                    (int) v.get(EPTP_INDEX));
        }
    }

    /** At VM exit, while guest state is still in the CPU. */
    static void onExit(Cpu c, Vmcs v) {
        if (!enabled(v)) {
            return;
        }
        if (paeGuest(c)) {
            // SDM "Saving Guest State": the PDPTEs are saved when "enable EPT" is 1 and the
            // guest used PAE paging.
            v.set(GUEST_PDPTE0, c.state().pdpte(0));
            v.set(GUEST_PDPTE1, c.state().pdpte(1));
            v.set(GUEST_PDPTE2, c.state().pdpte(2));
            v.set(GUEST_PDPTE3, c.state().pdpte(3));
        }
        int pmlIndex = VmxCpuAccess.disableEpt(c);
        if (pmlIndex >= 0) {
            // SDM "Page-Modification Logging": the PML index is saved at VM exit.
            v.set(PML_INDEX, pmlIndex);
        }
    }
}
