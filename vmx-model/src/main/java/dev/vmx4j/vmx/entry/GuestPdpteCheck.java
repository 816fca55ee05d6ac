package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on Guest Page-Directory-Pointer-Table Entries": failures give exit 33 with qualification 2.
 */
public enum GuestPdpteCheck implements EntryCheck {
    GUEST_PDPTE0_RESERVED_IN_MEMORY("With PAE paging and \"enable EPT\" 0, present PDPTE0 (read from the PDPT at guest CR3) must have bits 2:1, 8:5 and bits beyond the physical-address width 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE, true, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS, GUEST_CR3, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_PDPTE1_RESERVED_IN_MEMORY("With PAE paging and \"enable EPT\" 0, present PDPTE1 (read from the PDPT at guest CR3) must have bits 2:1, 8:5 and bits beyond the physical-address width 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE, true, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS, GUEST_CR3, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_PDPTE2_RESERVED_IN_MEMORY("With PAE paging and \"enable EPT\" 0, present PDPTE2 (read from the PDPT at guest CR3) must have bits 2:1, 8:5 and bits beyond the physical-address width 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE, true, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS, GUEST_CR3, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_PDPTE3_RESERVED_IN_MEMORY("With PAE paging and \"enable EPT\" 0, present PDPTE3 (read from the PDPT at guest CR3) must have bits 2:1, 8:5 and bits beyond the physical-address width 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE, true, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS, GUEST_CR3, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_PDPTE0_FIELD_RESERVED("With PAE paging and \"enable EPT\" 1, a present guest PDPTE0 field must have bits 2:1, 8:5 and bits beyond the physical-address width 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE, false, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, GUEST_PDPTE0),
    GUEST_PDPTE1_FIELD_RESERVED("With PAE paging and \"enable EPT\" 1, a present guest PDPTE1 field must have bits 2:1, 8:5 and bits beyond the physical-address width 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE, false, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, GUEST_PDPTE1),
    GUEST_PDPTE2_FIELD_RESERVED("With PAE paging and \"enable EPT\" 1, a present guest PDPTE2 field must have bits 2:1, 8:5 and bits beyond the physical-address width 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE, false, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, GUEST_PDPTE2),
    GUEST_PDPTE3_FIELD_RESERVED("With PAE paging and \"enable EPT\" 1, a present guest PDPTE3 field must have bits 2:1, 8:5 and bits beyond the physical-address width 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_PDPTE, false, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, GUEST_PDPTE3);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks on Guest Page-Directory-Pointer-Table Entries";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    GuestPdpteCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
