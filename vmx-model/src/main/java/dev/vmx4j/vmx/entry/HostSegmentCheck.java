package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on Host Segment and Descriptor-Table Registers": failures give VMfailValid(8).
 */
public enum HostSegmentCheck implements EntryCheck {
    HOST_ES_SELECTOR_RPL_OR_TI("Host ES selector: RPL (bits 1:0) and TI (bit 2) must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_ES_SELECTOR),
    HOST_CS_SELECTOR_RPL_OR_TI("Host CS selector: RPL (bits 1:0) and TI (bit 2) must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_CS_SELECTOR),
    HOST_SS_SELECTOR_RPL_OR_TI("Host SS selector: RPL (bits 1:0) and TI (bit 2) must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_SS_SELECTOR),
    HOST_DS_SELECTOR_RPL_OR_TI("Host DS selector: RPL (bits 1:0) and TI (bit 2) must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_DS_SELECTOR),
    HOST_FS_SELECTOR_RPL_OR_TI("Host FS selector: RPL (bits 1:0) and TI (bit 2) must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_FS_SELECTOR),
    HOST_GS_SELECTOR_RPL_OR_TI("Host GS selector: RPL (bits 1:0) and TI (bit 2) must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_GS_SELECTOR),
    HOST_TR_SELECTOR_RPL_OR_TI("Host TR selector: RPL (bits 1:0) and TI (bit 2) must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_TR_SELECTOR),
    HOST_CS_SELECTOR_NULL("Host CS selector must not be 0000H.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_CS_SELECTOR),
    HOST_TR_SELECTOR_NULL("Host TR selector must not be 0000H.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_TR_SELECTOR),
    HOST_SS_SELECTOR_NULL("If \"host address-space size\" is 0, host SS selector must not be 0000H.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_SS_SELECTOR),
    HOST_FS_BASE_NOT_CANONICAL("Host FS base must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_FS_BASE),
    HOST_GS_BASE_NOT_CANONICAL("Host GS base must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_GS_BASE),
    HOST_GDTR_BASE_NOT_CANONICAL("Host GDTR base must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_GDTR_BASE),
    HOST_IDTR_BASE_NOT_CANONICAL("Host IDTR base must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_IDTR_BASE),
    HOST_TR_BASE_NOT_CANONICAL("Host TR base must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_TR_BASE);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks on Host Segment and Descriptor-Table Registers";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    HostSegmentCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
