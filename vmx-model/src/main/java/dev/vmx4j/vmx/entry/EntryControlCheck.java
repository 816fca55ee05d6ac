package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on VMX Controls", "VM-Entry Control Fields": failures give VMfailValid(7).
 */
public enum EntryControlCheck implements EntryCheck {
    ENTRY_CONTROLS_RESERVED("Reserved bits of the VM-entry controls must be set as IA32_VMX_(TRUE_)ENTRY_CTLS allow.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_CONTROLS),
    INTERRUPTION_TYPE_RESERVED("A valid VM-entry interruption-information field must not use interruption type 1 (reserved).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    INTERRUPTION_TYPE_OTHER_EVENT_NOT_SUPPORTED("Interruption type 7 with vector 0 (pending MTF VM exit) is allowed only if the processor supports the 1-setting of \"monitor trap flag\" (without FRED: type 7 at all).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, GUEST_CR4),
    NMI_VECTOR_NOT_2("An injected NMI (type 2) must have vector 2.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    HARDWARE_EXCEPTION_VECTOR_ABOVE_31("An injected hardware exception (type 3) must have a vector of at most 31.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    OTHER_EVENT_VECTOR_NOT_0("An injected other event (type 7) must have vector 0 (pending MTF VM exit), or 1-2 (SYSCALL, SYSENTER) for a guest with CR4.FRED.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, GUEST_CR4),
    NESTED_EXCEPTION_NOT_HARDWARE_EXCEPTION("With FRED, bit 13 (nested exception) of the interruption information may be 1 only for a hardware exception.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    DELIVER_ERROR_CODE_NOT_ALLOWED("Deliver-error-code (bit 11) may be 1 only for a hardware exception that pushes an error code (8, 10-14, 17, 21 with CET) and only if \"unrestricted guest\" is 0 or guest CR0.PE is 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, GUEST_CR0),
    DELIVER_ERROR_CODE_REQUIRED("Deliver-error-code (bit 11) must be 1 for a hardware exception that pushes an error code when \"unrestricted guest\" is 0 or guest CR0.PE is 1 (relaxed by IA32_VMX_BASIC[56]).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, GUEST_CR0),
    INTERRUPTION_INFORMATION_RESERVED("Bits 30:12 of a valid VM-entry interruption-information field must be 0 (bit 13 excepted with FRED).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    EXCEPTION_ERROR_CODE_RESERVED("If deliver-error-code is 1, bits 31:16 of the VM-entry exception error code must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, VM_ENTRY_EXCEPTION_ERROR_CODE),
    INSTRUCTION_LENGTH_OUT_OF_RANGE("For an injected software interrupt or (privileged) software exception, the VM-entry instruction length must be 1-15 (0 only if IA32_VMX_MISC[30]).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, VM_ENTRY_INSTRUCTION_LENGTH),
    FRED_SYSCALL_INSTRUCTION_LENGTH_OUT_OF_RANGE("For an injected SYSCALL or SYSENTER (type 7, vector 1 or 2, guest CR4.FRED), the VM-entry instruction length must not exceed 15.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, GUEST_CR4, VM_ENTRY_INSTRUCTION_LENGTH),
    ENTRY_MSR_LOAD_ADDRESS_NOT_ALIGNED("If the VM-entry MSR-load count is not 0, bits 3:0 of the VM-entry MSR-load address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    ENTRY_MSR_LOAD_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If the VM-entry MSR-load count is not 0, the VM-entry MSR-load address must not set bits beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    ENTRY_MSR_LOAD_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH("If the VM-entry MSR-load count is not 0, the last byte of the VM-entry MSR-load area must not set bits beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    ENTRY_TO_SMM_OUTSIDE_SMM("Outside SMM, the \"entry to SMM\" VM-entry control must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_CONTROLS),
    DEACTIVATE_DUAL_MONITOR_OUTSIDE_SMM("Outside SMM, the \"deactivate dual-monitor treatment\" VM-entry control must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, VM_ENTRY_CONTROLS);

    /** The SDM section title of every constant. */
    public static final String SECTION = "VM-Entry Control Fields";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    EntryControlCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
