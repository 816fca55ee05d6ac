package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Loading MSRs" (VM entry): failures give exit 34 with the number of the failing entry (from 1) as the qualification.
 */
public enum MsrLoadCheck implements EntryCheck {
    MSR_LOAD_COUNT_ABOVE_LIMIT("The VM-entry MSR-load count must not exceed 512 * (IA32_VMX_MISC[27:25] + 1); the first entry beyond fails.",
            EntryOutcome.EXIT_MSR_LOADING, false, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    MSR_LOAD_ENTRY_RESERVED("Bits 63:32 of the first quadword of an MSR-load entry must be 0.",
            EntryOutcome.EXIT_MSR_LOADING, true, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    MSR_LOAD_FS_OR_GS_BASE("An MSR-load entry must not name IA32_FS_BASE (C0000100H) or IA32_GS_BASE (C0000101H).",
            EntryOutcome.EXIT_MSR_LOADING, true, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    MSR_LOAD_X2APIC_MSR_IN_X2APIC_MODE("An MSR-load entry must not name an MSR in 800H-8FFH while the processor is in x2APIC mode.",
            EntryOutcome.EXIT_MSR_LOADING, true, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    MSR_LOAD_SMM_ONLY_MSR("An MSR-load entry must not name an MSR writable only in SMM (IA32_SMM_MONITOR_CTL) outside SMM.",
            EntryOutcome.EXIT_MSR_LOADING, true, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    MSR_LOAD_MODEL_SPECIFIC("An MSR-load entry must not name an MSR VM entry cannot load for model-specific reasons (IA32_BIOS_UPDT_TRIG, IA32_BIOS_SIGN_ID).",
            EntryOutcome.EXIT_MSR_LOADING, true, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS),
    MSR_LOAD_WRITE_WOULD_FAULT("Writing an entry's value with WRMSR at CPL 0 must not cause #GP.",
            EntryOutcome.EXIT_MSR_LOADING, true, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Loading MSRs";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    MsrLoadCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
