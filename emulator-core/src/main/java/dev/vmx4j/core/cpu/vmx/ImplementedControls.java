package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.vmx.controls.EntryControl.*;
import static dev.vmx4j.vmx.controls.ExitControl.*;
import static dev.vmx4j.vmx.controls.PinBasedControl.*;
import static dev.vmx4j.vmx.controls.PrimaryProcBasedControl.*;
import static dev.vmx4j.vmx.controls.SecondaryProcBasedControl.*;

import dev.vmx4j.vmx.controls.VmxControl;

/**
 * The VMX controls whose 1-setting vmx4j implements, as data (docs/VMX.md "What vmx4j
 * implements, control by control"). A shipped profile may advertise (allowed-1) only these
 * bits, plus the bits its allowed-0 settings force to 1 (the SDM's "default1" reserved bits);
 * {@code CapabilityHonestyTest} checks every shipped profile but the Bochs-recorded one.
 */
public final class ImplementedControls {

    public static final long PIN_BASED = mask(EXTERNAL_INTERRUPT_EXITING, NMI_EXITING,
            dev.vmx4j.vmx.controls.PinBasedControl.VIRTUAL_NMIS,
            dev.vmx4j.vmx.controls.PinBasedControl.ACTIVATE_VMX_PREEMPTION_TIMER,
            dev.vmx4j.vmx.controls.PinBasedControl.PROCESS_POSTED_INTERRUPTS);

    public static final long PRIMARY = mask(USE_TSC_OFFSETTING, HLT_EXITING, INVLPG_EXITING, MWAIT_EXITING,
            RDPMC_EXITING, RDTSC_EXITING, CR3_LOAD_EXITING, CR3_STORE_EXITING, CR8_LOAD_EXITING, CR8_STORE_EXITING,
            MOV_DR_EXITING, UNCONDITIONAL_IO_EXITING, USE_IO_BITMAPS, USE_MSR_BITMAPS, MONITOR_EXITING,
            PAUSE_EXITING, dev.vmx4j.vmx.controls.PrimaryProcBasedControl.ACTIVATE_SECONDARY_CONTROLS,
            dev.vmx4j.vmx.controls.PrimaryProcBasedControl.INTERRUPT_WINDOW_EXITING,
            dev.vmx4j.vmx.controls.PrimaryProcBasedControl.NMI_WINDOW_EXITING,
            dev.vmx4j.vmx.controls.PrimaryProcBasedControl.MONITOR_TRAP_FLAG,
            dev.vmx4j.vmx.controls.PrimaryProcBasedControl.USE_TPR_SHADOW,
            dev.vmx4j.vmx.controls.PrimaryProcBasedControl.ACTIVATE_TERTIARY_CONTROLS);

    public static final long SECONDARY = mask(ENABLE_EPT, DESCRIPTOR_TABLE_EXITING, ENABLE_RDTSCP, ENABLE_VPID,
            WBINVD_EXITING, UNRESTRICTED_GUEST, PAUSE_LOOP_EXITING, RDRAND_EXITING, ENABLE_INVPCID, VMCS_SHADOWING, ENABLE_PML, ENABLE_VM_FUNCTIONS, EPT_VIOLATION_VE,
            RDSEED_EXITING, USE_TSC_SCALING, VIRTUALIZE_APIC_ACCESSES, VIRTUALIZE_X2APIC_MODE,
            APIC_REGISTER_VIRTUALIZATION, VIRTUAL_INTERRUPT_DELIVERY, ENABLE_XSAVES_XRSTORS, ENABLE_USER_WAIT_AND_PAUSE,
            dev.vmx4j.vmx.controls.SecondaryProcBasedControl.INSTRUCTION_TIMEOUT, VMM_BUS_LOCK_DETECTION);

    public static final long EXIT = mask(SAVE_DEBUG_CONTROLS, HOST_ADDRESS_SPACE_SIZE,
            dev.vmx4j.vmx.controls.ExitControl.LOAD_IA32_PERF_GLOBAL_CTRL, ACKNOWLEDGE_INTERRUPT_ON_EXIT,
            SAVE_IA32_PAT, dev.vmx4j.vmx.controls.ExitControl.LOAD_IA32_PAT, SAVE_IA32_EFER,
            dev.vmx4j.vmx.controls.ExitControl.LOAD_IA32_EFER,
            dev.vmx4j.vmx.controls.ExitControl.SAVE_VMX_PREEMPTION_TIMER_VALUE);

    public static final long ENTRY = mask(LOAD_DEBUG_CONTROLS, IA32E_MODE_GUEST,
            dev.vmx4j.vmx.controls.EntryControl.LOAD_IA32_PERF_GLOBAL_CTRL,
            dev.vmx4j.vmx.controls.EntryControl.LOAD_IA32_PAT, dev.vmx4j.vmx.controls.EntryControl.LOAD_IA32_EFER);

    /** The tertiary controls: "LOADIWKEY exiting". */
    public static final long TERTIARY = dev.vmx4j.vmx.controls.TertiaryProcBasedControl.LOADIWKEY_EXITING.mask();

    private ImplementedControls() {
    }

    private static long mask(VmxControl... controls) {
        long m = 0;
        for (VmxControl c : controls) {
            m |= c.mask();
        }
        return m;
    }
}
