package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks Related to Address-Space Size": failures give VMfailValid(8).
 */
public enum AddressSpaceSizeCheck implements EntryCheck {
    IA32E_MODE_GUEST_OUTSIDE_IA32E_MODE("If IA32_EFER.LMA is 0 (VM entry outside IA-32e mode), \"IA-32e mode guest\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, VM_ENTRY_CONTROLS),
    HOST_ADDRESS_SPACE_SIZE_OUTSIDE_IA32E_MODE("If IA32_EFER.LMA is 0, \"host address-space size\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS),
    HOST_ADDRESS_SPACE_SIZE_CLEAR_IN_IA32E_MODE("If IA32_EFER.LMA is 1, \"host address-space size\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS),
    IA32E_MODE_GUEST_WITH_32_BIT_HOST("If \"host address-space size\" is 0, \"IA-32e mode guest\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, VM_ENTRY_CONTROLS),
    HOST_CR4_PCIDE_WITH_32_BIT_HOST("If \"host address-space size\" is 0, host CR4.PCIDE must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_CR4),
    HOST_RIP_UPPER_BITS_WITH_32_BIT_HOST("If \"host address-space size\" is 0, bits 63:32 of host RIP must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_RIP),
    HOST_CR4_PAE_CLEAR_WITH_64_BIT_HOST("If \"host address-space size\" is 1, host CR4.PAE must be 1.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_CR4),
    HOST_RIP_NOT_CANONICAL("If \"host address-space size\" is 1, host RIP must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_RIP);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks Related to Address-Space Size";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    AddressSpaceSizeCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
