package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on Guest Descriptor-Table Registers": failures give exit 33.
 */
public enum GuestDescriptorTableCheck implements EntryCheck {
    GUEST_GDTR_BASE_NOT_CANONICAL("The guest GDTR base must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GDTR_BASE),
    GUEST_IDTR_BASE_NOT_CANONICAL("The guest IDTR base must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_IDTR_BASE),
    GUEST_GDTR_LIMIT_UPPER_BITS("Bits 31:16 of the guest GDTR limit must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_GDTR_LIMIT),
    GUEST_IDTR_LIMIT_UPPER_BITS("Bits 31:16 of the guest IDTR limit must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_IDTR_LIMIT);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks on Guest Descriptor-Table Registers";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    GuestDescriptorTableCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
