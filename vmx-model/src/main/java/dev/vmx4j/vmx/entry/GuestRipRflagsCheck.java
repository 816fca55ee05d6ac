package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on Guest RIP, RFLAGS, and SSP": failures give exit 33.
 */
public enum GuestRipRflagsCheck implements EntryCheck {
    GUEST_RIP_UPPER_BITS("Bits 63:32 of guest RIP must be 0 if \"IA-32e mode guest\" is 0 or CS.L is 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_RIP, VM_ENTRY_CONTROLS, GUEST_CS_ACCESS_RIGHTS),
    GUEST_RIP_NOT_CANONICAL("If \"IA-32e mode guest\" is 1 and CS.L is 1, guest RIP must be canonical (57 bits with guest CR4.LA57, else 48).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_RIP, VM_ENTRY_CONTROLS, GUEST_CS_ACCESS_RIGHTS, GUEST_CR4),
    GUEST_RFLAGS_RESERVED("Guest RFLAGS bits 63:22, 15, 5 and 3 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_RFLAGS),
    GUEST_RFLAGS_BIT_1_CLEAR("Guest RFLAGS bit 1 must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_RFLAGS),
    GUEST_RFLAGS_VM_IN_IA32E_OR_REAL_MODE("Guest RFLAGS.VM must be 0 if \"IA-32e mode guest\" is 1 or guest CR0.PE is 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_RFLAGS, VM_ENTRY_CONTROLS, GUEST_CR0),
    GUEST_RFLAGS_IF_CLEAR_WITH_EXTERNAL_INTERRUPT("Guest RFLAGS.IF must be 1 when an external interrupt is injected.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_RFLAGS, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    GUEST_RFLAGS_IOPL_AT_CPL3_WITH_FRED("If guest CR4.FRED is 1 and the SS DPL is 3, RFLAGS.IOPL must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_RFLAGS, GUEST_CR4, GUEST_SS_ACCESS_RIGHTS),
    GUEST_SSP_LOW_BITS("If \"load CET state\" (entry) is 1, bits 1:0 of guest SSP must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_SSP),
    GUEST_SSP_UPPER_BITS("If \"load CET state\" (entry) is 1 and \"IA-32e mode guest\" or CS.L is 0, bits 63:32 of guest SSP must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_SSP, GUEST_CS_ACCESS_RIGHTS),
    GUEST_SSP_NOT_CANONICAL("If \"load CET state\" (entry) is 1, \"IA-32e mode guest\" is 1 and CS.L is 1, guest SSP must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_SSP, GUEST_CS_ACCESS_RIGHTS, GUEST_CR4);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks on Guest RIP, RFLAGS, and SSP";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    GuestRipRflagsCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
