package dev.vmx4j.core.audit;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.controls.EntryControl;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.controls.PinBasedControl;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryExitControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.controls.VmxControl;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.ArrayList;
import java.util.List;

/**
 * Fields the SDM's VM-entry checks consult only while one control is 1. KVM prints such a field
 * only under that control (its PAT line only with "load IA32_PAT", for example), so a dump that
 * lacks the field and shows the control as 0 lacks nothing the checks need: the field is given
 * the value 0, which no check reads, and the dump says so in a note. A field is never filled
 * when the control itself is not in the dump. Secondary controls count only with "activate
 * secondary controls" (SDM "VM-Execution Controls": otherwise they are treated as 0).
 */
final class GatedFields {

    private record Gate(VmcsField field, VmcsField controlField, VmxControl control) {
    }

    private static final VmcsField ENTRY = VM_ENTRY_CONTROLS;
    private static final VmcsField EXIT = PRIMARY_VM_EXIT_CONTROLS;
    private static final VmcsField PRIMARY = PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
    private static final VmcsField SECONDARY = SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
    private static final VmcsField EXIT2 = SECONDARY_VM_EXIT_CONTROLS;

    // SDM "Checks on Guest Control Registers, Debug Registers, and MSRs" / "Checks on Host Control
    // Registers, MSRs, and SSP" / "Checks on VMX Controls": each field below is checked only "if
    // the <control> control is 1".
    private static final List<Gate> GATES = List.of(
            new Gate(GUEST_IA32_EFER, ENTRY, EntryControl.LOAD_IA32_EFER),
            new Gate(GUEST_IA32_PAT, ENTRY, EntryControl.LOAD_IA32_PAT),
            new Gate(GUEST_IA32_PERF_GLOBAL_CTRL, ENTRY, EntryControl.LOAD_IA32_PERF_GLOBAL_CTRL),
            new Gate(GUEST_IA32_BNDCFGS, ENTRY, EntryControl.LOAD_IA32_BNDCFGS),
            new Gate(GUEST_IA32_RTIT_CTL, ENTRY, EntryControl.LOAD_IA32_RTIT_CTL),
            new Gate(GUEST_IA32_LBR_CTL, ENTRY, EntryControl.LOAD_GUEST_IA32_LBR_CTL),
            new Gate(GUEST_IA32_PKRS, ENTRY, EntryControl.LOAD_PKRS),
            new Gate(GUEST_UINV, ENTRY, EntryControl.LOAD_UINV),
            new Gate(GUEST_IA32_S_CET, ENTRY, EntryControl.LOAD_CET_STATE),
            new Gate(GUEST_SSP, ENTRY, EntryControl.LOAD_CET_STATE),
            new Gate(GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR, ENTRY, EntryControl.LOAD_CET_STATE),
            new Gate(GUEST_IA32_FRED_CONFIG, ENTRY, EntryControl.LOAD_FRED),
            new Gate(GUEST_IA32_FRED_RSP1, ENTRY, EntryControl.LOAD_FRED),
            new Gate(GUEST_IA32_FRED_RSP2, ENTRY, EntryControl.LOAD_FRED),
            new Gate(GUEST_IA32_FRED_RSP3, ENTRY, EntryControl.LOAD_FRED),
            new Gate(GUEST_IA32_FRED_STKLVLS, ENTRY, EntryControl.LOAD_FRED),
            new Gate(GUEST_IA32_FRED_SSP1, ENTRY, EntryControl.LOAD_FRED),
            new Gate(GUEST_IA32_FRED_SSP2, ENTRY, EntryControl.LOAD_FRED),
            new Gate(GUEST_IA32_FRED_SSP3, ENTRY, EntryControl.LOAD_FRED),
            new Gate(GUEST_IA32_SPEC_CTRL, ENTRY, EntryControl.LOAD_IA32_SPEC_CTRL),
            new Gate(HOST_IA32_FRED_CONFIG, EXIT2, SecondaryExitControl.LOAD_FRED),
            new Gate(HOST_IA32_FRED_RSP1, EXIT2, SecondaryExitControl.LOAD_FRED),
            new Gate(HOST_IA32_FRED_RSP2, EXIT2, SecondaryExitControl.LOAD_FRED),
            new Gate(HOST_IA32_FRED_RSP3, EXIT2, SecondaryExitControl.LOAD_FRED),
            new Gate(HOST_IA32_FRED_STKLVLS, EXIT2, SecondaryExitControl.LOAD_FRED),
            new Gate(HOST_IA32_FRED_SSP1, EXIT2, SecondaryExitControl.LOAD_FRED),
            new Gate(HOST_IA32_FRED_SSP2, EXIT2, SecondaryExitControl.LOAD_FRED),
            new Gate(HOST_IA32_FRED_SSP3, EXIT2, SecondaryExitControl.LOAD_FRED),
            new Gate(HOST_IA32_SPEC_CTRL, EXIT2, SecondaryExitControl.LOAD_IA32_SPEC_CTRL),
            new Gate(HOST_IA32_EFER, EXIT, ExitControl.LOAD_IA32_EFER),
            new Gate(HOST_IA32_PAT, EXIT, ExitControl.LOAD_IA32_PAT),
            new Gate(HOST_IA32_PERF_GLOBAL_CTRL, EXIT, ExitControl.LOAD_IA32_PERF_GLOBAL_CTRL),
            new Gate(HOST_IA32_PKRS, EXIT, ExitControl.LOAD_PKRS),
            new Gate(HOST_IA32_S_CET, EXIT, ExitControl.LOAD_CET_STATE),
            new Gate(HOST_SSP, EXIT, ExitControl.LOAD_CET_STATE),
            new Gate(HOST_IA32_INTERRUPT_SSP_TABLE_ADDR, EXIT, ExitControl.LOAD_CET_STATE),
            new Gate(SECONDARY_VM_EXIT_CONTROLS, EXIT, ExitControl.ACTIVATE_SECONDARY_CONTROLS),
            new Gate(TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, PRIMARY,
                    PrimaryProcBasedControl.ACTIVATE_TERTIARY_CONTROLS),
            new Gate(ADDRESS_OF_IO_BITMAP_A, PRIMARY, PrimaryProcBasedControl.USE_IO_BITMAPS),
            new Gate(ADDRESS_OF_IO_BITMAP_B, PRIMARY, PrimaryProcBasedControl.USE_IO_BITMAPS),
            new Gate(ADDRESS_OF_MSR_BITMAPS, PRIMARY, PrimaryProcBasedControl.USE_MSR_BITMAPS),
            new Gate(VIRTUAL_APIC_ADDRESS, PRIMARY, PrimaryProcBasedControl.USE_TPR_SHADOW),
            new Gate(TPR_THRESHOLD, PRIMARY, PrimaryProcBasedControl.USE_TPR_SHADOW),
            new Gate(POSTED_INTERRUPT_NOTIFICATION_VECTOR, PIN_BASED_VM_EXECUTION_CONTROLS,
                    PinBasedControl.PROCESS_POSTED_INTERRUPTS),
            new Gate(POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, PIN_BASED_VM_EXECUTION_CONTROLS,
                    PinBasedControl.PROCESS_POSTED_INTERRUPTS),
            new Gate(APIC_ACCESS_ADDRESS, SECONDARY, SecondaryProcBasedControl.VIRTUALIZE_APIC_ACCESSES),
            new Gate(PML_ADDRESS, SECONDARY, SecondaryProcBasedControl.ENABLE_PML),
            new Gate(SUB_PAGE_PERMISSION_TABLE_POINTER, SECONDARY, SecondaryProcBasedControl.SUB_PAGE_WRITE_PERMISSIONS_FOR_EPT),
            new Gate(VM_FUNCTION_CONTROLS, SECONDARY, SecondaryProcBasedControl.ENABLE_VM_FUNCTIONS),
            new Gate(EPTP_LIST_ADDRESS, SECONDARY, SecondaryProcBasedControl.ENABLE_VM_FUNCTIONS),
            new Gate(VMREAD_BITMAP_ADDRESS, SECONDARY, SecondaryProcBasedControl.VMCS_SHADOWING),
            new Gate(VMWRITE_BITMAP_ADDRESS, SECONDARY, SecondaryProcBasedControl.VMCS_SHADOWING),
            new Gate(VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS, SECONDARY, SecondaryProcBasedControl.EPT_VIOLATION_VE));

    /** SDM "VM-Exit Control Fields" / "VM-Entry Control Fields": the list address is checked only for a non-zero count. */
    private static final VmcsField[][] COUNTED = {
        {VM_EXIT_MSR_STORE_ADDRESS, VM_EXIT_MSR_STORE_COUNT},
        {VM_EXIT_MSR_LOAD_ADDRESS, VM_EXIT_MSR_LOAD_COUNT},
        {VM_ENTRY_MSR_LOAD_ADDRESS, VM_ENTRY_MSR_LOAD_COUNT}};

    private GatedFields() {
    }

    /** Fills the gated fields {@code d} lacks whose control is 0 in {@code d}; returns their names. */
    static List<String> fill(VmcsDump d) {
        List<String> filled = new ArrayList<>();
        for (Gate g : GATES) {
            if (d.isPresent(g.field()) || !controlKnownClear(d, g)) {
                continue;
            }
            d.put(g.field(), 0);
            filled.add(g.field().name());
        }
        for (VmcsField[] c : COUNTED) {
            if (!d.isPresent(c[0]) && d.isPresent(c[1]) && d.read(c[1]) == 0) {
                d.put(c[0], 0);
                filled.add(c[0].name());
            }
        }
        if (!filled.isEmpty()) {
            d.note("not in the dump but not needed, since the control (or list count) that makes the checks read them is 0: "
                    + String.join(", ", filled));
        }
        return filled;
    }

    private static boolean controlKnownClear(VmcsDump d, Gate g) {
        if (g.controlField() == EXIT2 && d.isPresent(EXIT)
                && (d.read(EXIT) & ExitControl.ACTIVATE_SECONDARY_CONTROLS.mask()) == 0) {
            return true; // SDM "VM-Exit Controls": secondary exit controls count only when activated
        }
        if (!d.isPresent(g.controlField())) {
            return false;
        }
        if (g.controlField() == SECONDARY) {
            if (!d.isPresent(PRIMARY)) {
                return false;
            }
            if ((d.read(PRIMARY) & PrimaryProcBasedControl.ACTIVATE_SECONDARY_CONTROLS.mask()) == 0) {
                return true;
            }
        }
        return (d.read(g.controlField()) & g.control().mask()) == 0;
    }
}
