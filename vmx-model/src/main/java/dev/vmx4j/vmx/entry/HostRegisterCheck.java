package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on VMX Controls and Host-State Area", "Checks on Host Control Registers, MSRs, and SSP": failures give VMfailValid(8).
 */
public enum HostRegisterCheck implements EntryCheck {
    HOST_CR0_FIXED0_BIT_CLEAR("Host CR0 must set every bit IA32_VMX_CR0_FIXED0 requires.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_CR0),
    HOST_CR0_FIXED1_BIT_SET("Host CR0 must clear every bit IA32_VMX_CR0_FIXED1 reports as 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_CR0),
    HOST_CR4_FIXED0_BIT_CLEAR("Host CR4 must set every bit IA32_VMX_CR4_FIXED0 requires.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_CR4),
    HOST_CR4_FIXED1_BIT_SET("Host CR4 must clear every bit IA32_VMX_CR4_FIXED1 reports as 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_CR4),
    HOST_CR4_CET_WITHOUT_CR0_WP("If host CR4.CET is 1, host CR0.WP must be 1.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_CR0, HOST_CR4),
    HOST_CR3_BEYOND_PHYSICAL_ADDRESS_WIDTH("Host CR3 must not set bits beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_CR3),
    HOST_SYSENTER_ESP_NOT_CANONICAL("Host IA32_SYSENTER_ESP must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_IA32_SYSENTER_ESP),
    HOST_SYSENTER_EIP_NOT_CANONICAL("Host IA32_SYSENTER_EIP must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, HOST_IA32_SYSENTER_EIP),
    HOST_S_CET_RESERVED("If \"load CET state\" (exit) is 1, host IA32_S_CET must not set reserved bits (9:6).",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_S_CET),
    HOST_S_CET_SUPPRESS_WITH_TRACKER("If \"load CET state\" (exit) is 1, host IA32_S_CET must not set both SUPPRESS (bit 10) and TRACKER (bit 11, WAIT_FOR_ENDBRANCH).",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_S_CET),
    HOST_S_CET_NOT_CANONICAL("If \"load CET state\" (exit) is 1, host IA32_S_CET must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_S_CET),
    HOST_INTERRUPT_SSP_TABLE_ADDR_NOT_CANONICAL("If \"load CET state\" (exit) is 1, host IA32_INTERRUPT_SSP_TABLE_ADDR must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_INTERRUPT_SSP_TABLE_ADDR),
    HOST_SSP_LOW_BITS("If \"load CET state\" (exit) is 1, bits 1:0 of host SSP must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_SSP),
    HOST_SSP_UPPER_BITS("If \"load CET state\" (exit) is 1 and \"host address-space size\" is 0, bits 63:32 of host SSP must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_SSP),
    HOST_SSP_NOT_CANONICAL("If \"load CET state\" (exit) is 1 and \"host address-space size\" is 1, host SSP must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_SSP),
    HOST_PERF_GLOBAL_CTRL_RESERVED("If \"load IA32_PERF_GLOBAL_CTRL\" (exit) is 1, the host value must not set bits reserved in that MSR.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_PERF_GLOBAL_CTRL),
    HOST_PAT_INVALID("If \"load IA32_PAT\" (exit) is 1, every byte of host IA32_PAT must be 0, 1, 4, 5, 6 or 7.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_PAT),
    HOST_EFER_RESERVED("If \"load IA32_EFER\" (exit) is 1, host IA32_EFER must not set reserved bits.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_EFER),
    HOST_EFER_LMA_MISMATCH("If \"load IA32_EFER\" (exit) is 1, host IA32_EFER.LMA must equal \"host address-space size\".",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_EFER),
    HOST_EFER_LME_MISMATCH("If \"load IA32_EFER\" (exit) is 1, host IA32_EFER.LME must equal \"host address-space size\".",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_EFER),
    HOST_PKRS_UPPER_BITS("If \"load PKRS\" (exit) is 1, bits 63:32 of host IA32_PKRS must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, HOST_IA32_PKRS),
    HOST_FRED_CONFIG_RESERVED("If \"load FRED\" (secondary exit) is 1, host IA32_FRED_CONFIG must not set reserved bits 2, 5:4 and 11.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_CONFIG),
    HOST_FRED_RSP1_NOT_CANONICAL("If \"load FRED\" (secondary exit) is 1, host IA32_FRED_RSP1 must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_RSP1),
    HOST_FRED_RSP1_NOT_ALIGNED("If \"load FRED\" (secondary exit) is 1, bits 5:0 of host IA32_FRED_RSP1 must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_RSP1),
    HOST_FRED_RSP2_NOT_CANONICAL("If \"load FRED\" (secondary exit) is 1, host IA32_FRED_RSP2 must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_RSP2),
    HOST_FRED_RSP2_NOT_ALIGNED("If \"load FRED\" (secondary exit) is 1, bits 5:0 of host IA32_FRED_RSP2 must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_RSP2),
    HOST_FRED_RSP3_NOT_CANONICAL("If \"load FRED\" (secondary exit) is 1, host IA32_FRED_RSP3 must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_RSP3),
    HOST_FRED_RSP3_NOT_ALIGNED("If \"load FRED\" (secondary exit) is 1, bits 5:0 of host IA32_FRED_RSP3 must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_RSP3),
    HOST_FRED_SSP1_NOT_CANONICAL("If \"load FRED\" (secondary exit) is 1, host IA32_FRED_SSP1 must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_SSP1),
    HOST_FRED_SSP1_NOT_ALIGNED("If \"load FRED\" (secondary exit) is 1, bits 2:0 of host IA32_FRED_SSP1 must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_SSP1),
    HOST_FRED_SSP2_NOT_CANONICAL("If \"load FRED\" (secondary exit) is 1, host IA32_FRED_SSP2 must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_SSP2),
    HOST_FRED_SSP2_NOT_ALIGNED("If \"load FRED\" (secondary exit) is 1, bits 2:0 of host IA32_FRED_SSP2 must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_SSP2),
    HOST_FRED_SSP3_NOT_CANONICAL("If \"load FRED\" (secondary exit) is 1, host IA32_FRED_SSP3 must be canonical.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_SSP3),
    HOST_FRED_SSP3_NOT_ALIGNED("If \"load FRED\" (secondary exit) is 1, bits 2:0 of host IA32_FRED_SSP3 must be 0.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_FRED_SSP3),
    HOST_SPEC_CTRL_RESERVED("If \"load IA32_SPEC_CTRL\" (secondary exit) is 1, host IA32_SPEC_CTRL must not set reserved bits.",
            EntryOutcome.VM_FAIL_INVALID_HOST_STATE_FIELDS, false, PRIMARY_VM_EXIT_CONTROLS, SECONDARY_VM_EXIT_CONTROLS, HOST_IA32_SPEC_CTRL);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks on Host Control Registers, MSRs, and SSP";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    HostRegisterCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
