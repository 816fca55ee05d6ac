package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Basic VM-Entry Checks": the VMfailValid cases VMLAUNCH and VMRESUME report before any VMCS field is checked.
 */
public enum BasicCheck implements EntryCheck {
    EVENTS_BLOCKED_BY_MOV_SS("VM entry fails if events are blocked by MOV SS (VMLAUNCH/VMRESUME right after MOV SS or POP SS).",
            EntryOutcome.VM_FAIL_EVENTS_BLOCKED_BY_MOV_SS, false),
    VMLAUNCH_WITH_NON_CLEAR_VMCS("VMLAUNCH requires the launch state of the current VMCS to be clear.",
            EntryOutcome.VM_FAIL_VMLAUNCH_NON_CLEAR_VMCS, false),
    VMRESUME_WITH_NON_LAUNCHED_VMCS("VMRESUME requires the launch state of the current VMCS to be launched.",
            EntryOutcome.VM_FAIL_VMRESUME_NON_LAUNCHED_VMCS, false);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Basic VM-Entry Checks";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    BasicCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
