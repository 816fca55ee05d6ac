package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on VMX Controls", "VM-Exit Control Fields": failures give VMfailValid(7).
 */
public enum ExitControlCheck implements EntryCheck {
    EXIT_CONTROLS_RESERVED("Reserved bits of the primary VM-exit controls must be set as IA32_VMX_(TRUE_)EXIT_CTLS allow.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS),
    SECONDARY_EXIT_CONTROLS_RESERVED("If \"activate secondary controls\" (VM-exit bit 31) is 1, the secondary VM-exit controls must set only bits IA32_VMX_EXIT_CTLS2 allows.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS),
    SAVE_PREEMPTION_TIMER_WITHOUT_ACTIVATE("If \"activate VMX-preemption timer\" is 0, \"save VMX-preemption timer value\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS, PRIMARY_VM_EXIT_CONTROLS),
    EXIT_MSR_STORE_ADDRESS_NOT_ALIGNED("If the VM-exit MSR-store count is not 0, bits 3:0 of the VM-exit MSR-store address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_STORE_ADDRESS),
    EXIT_MSR_STORE_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If the VM-exit MSR-store count is not 0, the VM-exit MSR-store address must not set bits beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_STORE_ADDRESS),
    EXIT_MSR_STORE_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH("If the VM-exit MSR-store count is not 0, the address of the last byte of the area (address + 16 * count - 1) must not set bits beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_STORE_ADDRESS),
    EXIT_MSR_LOAD_ADDRESS_NOT_ALIGNED("If the VM-exit MSR-load count is not 0, bits 3:0 of the VM-exit MSR-load address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_EXIT_MSR_LOAD_COUNT, VM_EXIT_MSR_LOAD_ADDRESS),
    EXIT_MSR_LOAD_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If the VM-exit MSR-load count is not 0, the VM-exit MSR-load address must not set bits beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_EXIT_MSR_LOAD_COUNT, VM_EXIT_MSR_LOAD_ADDRESS),
    EXIT_MSR_LOAD_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH("If the VM-exit MSR-load count is not 0, the address of the last byte of the area (address + 16 * count - 1) must not set bits beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_EXIT_MSR_LOAD_COUNT, VM_EXIT_MSR_LOAD_ADDRESS);

    /** The SDM section title of every constant. */
    public static final String SECTION = "VM-Exit Control Fields";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    ExitControlCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
        this.rule = rule;
        this.outcome = outcome;
        this.readsMemory = readsMemory;
        this.fields = List.of(fields);
    }

    @Override
    public String sdmSection() {
        return SECTION;
    }

    @Override
    public String rule() {
        return rule;
    }

    @Override
    public List<VmcsField> fields() {
        return fields;
    }

    @Override
    public EntryOutcome outcome() {
        return outcome;
    }

    @Override
    public boolean readsMemory() {
        return readsMemory;
    }
}
