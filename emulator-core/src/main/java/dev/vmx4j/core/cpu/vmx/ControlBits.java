package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.vmx.controls.EntryControl;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.controls.PinBasedControl;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;

/**
 * The control bits that VM entry and VM exit test on every transition, as constants: the mask of
 * each control, taken once from its vmx-model enum (the one definition of its bit), named
 * {@code PIN_}, {@code PROC_}, {@code PROC2_}, {@code ENTRY_} or {@code EXIT_} followed by the
 * control's SDM name.
 *
 * <p>PERF: a test {@code (proc & PROC_USE_TPR_SHADOW) != 0} is a constant for every JIT tier and
 * a resolved {@code getstatic} for HotSpot's bytecode interpreter, where {@code
 * PrimaryProcBasedControl.USE_TPR_SHADOW.mask()} is two calls (the interface default, then the
 * enum's {@code bit()} through a megamorphic interface call) until C2 compiles the caller: the
 * transition path runs most of a short VMX workload in the interpreter and profiling C1 code.
 */
final class ControlBits {

    static final long PIN_EXTERNAL_INTERRUPT_EXITING = PinBasedControl.EXTERNAL_INTERRUPT_EXITING.mask();
    static final long PIN_NMI_EXITING = PinBasedControl.NMI_EXITING.mask();
    static final long PIN_VIRTUAL_NMIS = PinBasedControl.VIRTUAL_NMIS.mask();
    static final long PIN_ACTIVATE_VMX_PREEMPTION_TIMER = PinBasedControl.ACTIVATE_VMX_PREEMPTION_TIMER.mask();
    static final long PIN_PROCESS_POSTED_INTERRUPTS = PinBasedControl.PROCESS_POSTED_INTERRUPTS.mask();

    static final long PROC_INTERRUPT_WINDOW_EXITING = PrimaryProcBasedControl.INTERRUPT_WINDOW_EXITING.mask();
    static final long PROC_USE_TSC_OFFSETTING = PrimaryProcBasedControl.USE_TSC_OFFSETTING.mask();
    static final long PROC_RDTSC_EXITING = PrimaryProcBasedControl.RDTSC_EXITING.mask();
    static final long PROC_ACTIVATE_TERTIARY_CONTROLS = PrimaryProcBasedControl.ACTIVATE_TERTIARY_CONTROLS.mask();
    static final long PROC_USE_TPR_SHADOW = PrimaryProcBasedControl.USE_TPR_SHADOW.mask();
    static final long PROC_NMI_WINDOW_EXITING = PrimaryProcBasedControl.NMI_WINDOW_EXITING.mask();
    static final long PROC_MONITOR_TRAP_FLAG = PrimaryProcBasedControl.MONITOR_TRAP_FLAG.mask();
    static final long PROC_ACTIVATE_SECONDARY_CONTROLS = PrimaryProcBasedControl.ACTIVATE_SECONDARY_CONTROLS.mask();

    static final long PROC2_VIRTUALIZE_APIC_ACCESSES = SecondaryProcBasedControl.VIRTUALIZE_APIC_ACCESSES.mask();
    static final long PROC2_ENABLE_EPT = SecondaryProcBasedControl.ENABLE_EPT.mask();
    static final long PROC2_VIRTUALIZE_X2APIC_MODE = SecondaryProcBasedControl.VIRTUALIZE_X2APIC_MODE.mask();
    static final long PROC2_ENABLE_VPID = SecondaryProcBasedControl.ENABLE_VPID.mask();
    static final long PROC2_APIC_REGISTER_VIRTUALIZATION = SecondaryProcBasedControl.APIC_REGISTER_VIRTUALIZATION.mask();
    static final long PROC2_VIRTUAL_INTERRUPT_DELIVERY = SecondaryProcBasedControl.VIRTUAL_INTERRUPT_DELIVERY.mask();
    static final long PROC2_PAUSE_LOOP_EXITING = SecondaryProcBasedControl.PAUSE_LOOP_EXITING.mask();
    static final long PROC2_VMCS_SHADOWING = SecondaryProcBasedControl.VMCS_SHADOWING.mask();
    static final long PROC2_ENABLE_PML = SecondaryProcBasedControl.ENABLE_PML.mask();
    static final long PROC2_EPT_VIOLATION_VE = SecondaryProcBasedControl.EPT_VIOLATION_VE.mask();
    static final long PROC2_ENABLE_XSAVES_XRSTORS = SecondaryProcBasedControl.ENABLE_XSAVES_XRSTORS.mask();
    static final long PROC2_MODE_BASED_EXECUTE_CONTROL_FOR_EPT =
            SecondaryProcBasedControl.MODE_BASED_EXECUTE_CONTROL_FOR_EPT.mask();
    static final long PROC2_USE_TSC_SCALING = SecondaryProcBasedControl.USE_TSC_SCALING.mask();
    static final long PROC2_ENABLE_USER_WAIT_AND_PAUSE = SecondaryProcBasedControl.ENABLE_USER_WAIT_AND_PAUSE.mask();
    static final long PROC2_VMM_BUS_LOCK_DETECTION = SecondaryProcBasedControl.VMM_BUS_LOCK_DETECTION.mask();
    static final long PROC2_INSTRUCTION_TIMEOUT = SecondaryProcBasedControl.INSTRUCTION_TIMEOUT.mask();

    static final long ENTRY_LOAD_DEBUG_CONTROLS = EntryControl.LOAD_DEBUG_CONTROLS.mask();
    static final long ENTRY_IA32E_MODE_GUEST = EntryControl.IA32E_MODE_GUEST.mask();
    static final long ENTRY_LOAD_IA32_EFER = EntryControl.LOAD_IA32_EFER.mask();

    static final long EXIT_SAVE_DEBUG_CONTROLS = ExitControl.SAVE_DEBUG_CONTROLS.mask();
    static final long EXIT_HOST_ADDRESS_SPACE_SIZE = ExitControl.HOST_ADDRESS_SPACE_SIZE.mask();
    static final long EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT = ExitControl.ACKNOWLEDGE_INTERRUPT_ON_EXIT.mask();
    static final long EXIT_LOAD_IA32_EFER = ExitControl.LOAD_IA32_EFER.mask();
    static final long EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE = ExitControl.SAVE_VMX_PREEMPTION_TIMER_VALUE.mask();

    private ControlBits() {
    }
}
