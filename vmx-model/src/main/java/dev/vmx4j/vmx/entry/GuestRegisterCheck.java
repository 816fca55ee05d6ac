package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on the Guest State Area", "Checks on Guest Control Registers, Debug Registers, and MSRs": failures give exit 33.
 */
public enum GuestRegisterCheck implements EntryCheck {
    GUEST_CR0_FIXED0_BIT_CLEAR("Guest CR0 must set every bit IA32_VMX_CR0_FIXED0 requires (PE and PG excepted with \"unrestricted guest\").",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR0, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    GUEST_CR0_FIXED1_BIT_SET("Guest CR0 must clear every bit IA32_VMX_CR0_FIXED1 reports as 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR0),
    GUEST_CR0_PG_WITHOUT_PE("If guest CR0.PG is 1, CR0.PE must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR0),
    GUEST_CR4_FIXED0_BIT_CLEAR("Guest CR4 must set every bit IA32_VMX_CR4_FIXED0 requires.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR4),
    GUEST_CR4_FIXED1_BIT_SET("Guest CR4 must clear every bit IA32_VMX_CR4_FIXED1 reports as 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR4),
    GUEST_CR4_CET_WITHOUT_CR0_WP("If guest CR4.CET is 1, guest CR0.WP must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR0, GUEST_CR4),
    GUEST_DEBUGCTL_RESERVED("If \"load debug controls\" is 1, guest IA32_DEBUGCTL must not set reserved bits.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_DEBUGCTL),
    GUEST_IA32E_WITHOUT_CR0_PG("If \"IA-32e mode guest\" is 1, guest CR0.PG must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_CR0),
    GUEST_IA32E_WITHOUT_CR4_PAE("If \"IA-32e mode guest\" is 1, guest CR4.PAE must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_CR4),
    GUEST_CR4_PCIDE_WITHOUT_IA32E("If \"IA-32e mode guest\" is 0, guest CR4.PCIDE must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_CR4),
    GUEST_CR3_BEYOND_PHYSICAL_ADDRESS_WIDTH("Guest CR3 must not set bits beyond the physical-address width.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_CR3),
    GUEST_DR7_UPPER_BITS("If \"load debug controls\" is 1, bits 63:32 of guest DR7 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_DR7),
    GUEST_SYSENTER_ESP_NOT_CANONICAL("Guest IA32_SYSENTER_ESP must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_IA32_SYSENTER_ESP),
    GUEST_SYSENTER_EIP_NOT_CANONICAL("Guest IA32_SYSENTER_EIP must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_IA32_SYSENTER_EIP),
    GUEST_S_CET_RESERVED("If \"load CET state\" (entry) is 1, guest IA32_S_CET must not set reserved bits (9:6).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_S_CET),
    GUEST_S_CET_SUPPRESS_WITH_TRACKER("If \"load CET state\" (entry) is 1, guest IA32_S_CET must not set both SUPPRESS (bit 10) and TRACKER (bit 11, WAIT_FOR_ENDBRANCH).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_S_CET),
    GUEST_S_CET_NOT_CANONICAL("If \"load CET state\" (entry) is 1, guest IA32_S_CET must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_S_CET),
    GUEST_INTERRUPT_SSP_TABLE_ADDR_NOT_CANONICAL("If \"load CET state\" (entry) is 1, guest IA32_INTERRUPT_SSP_TABLE_ADDR must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR),
    GUEST_PERF_GLOBAL_CTRL_RESERVED("If \"load IA32_PERF_GLOBAL_CTRL\" (entry) is 1, the guest value must not set bits reserved in that MSR.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_PERF_GLOBAL_CTRL),
    GUEST_PAT_INVALID("If \"load IA32_PAT\" (entry) is 1, every byte of guest IA32_PAT must be 0, 1, 4, 5, 6 or 7.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_PAT),
    GUEST_EFER_RESERVED("If \"load IA32_EFER\" (entry) is 1, guest IA32_EFER must not set reserved bits.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_EFER),
    GUEST_EFER_LMA_MISMATCH("If \"load IA32_EFER\" (entry) is 1, guest IA32_EFER.LMA must equal \"IA-32e mode guest\".",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_EFER),
    GUEST_EFER_LME_MISMATCH("If \"load IA32_EFER\" (entry) is 1 and guest CR0.PG is 1, guest IA32_EFER.LME must equal \"IA-32e mode guest\".",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_EFER, GUEST_CR0),
    GUEST_BNDCFGS_RESERVED("If \"load IA32_BNDCFGS\" is 1, bits 11:2 of guest IA32_BNDCFGS must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_BNDCFGS),
    GUEST_BNDCFGS_NOT_CANONICAL("If \"load IA32_BNDCFGS\" is 1, bits 63:12 of guest IA32_BNDCFGS must form a canonical address.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_BNDCFGS),
    GUEST_RTIT_CTL_RESERVED("If \"load IA32_RTIT_CTL\" is 1, guest IA32_RTIT_CTL must not set reserved bits.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_RTIT_CTL),
    GUEST_LBR_CTL_RESERVED("If \"load guest IA32_LBR_CTL\" is 1, guest IA32_LBR_CTL must not set reserved bits.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_LBR_CTL),
    GUEST_PKRS_UPPER_BITS("If \"load PKRS\" (entry) is 1, bits 63:32 of guest IA32_PKRS must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_PKRS),
    GUEST_UINV_RESERVED("If \"load UINV\" is 1, bits 15:8 of the guest UINV field must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_UINV),
    GUEST_CR4_FRED_WITHOUT_IA32E("If \"IA-32e mode guest\" is 0, guest CR4.FRED (bit 32) must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_CR4),
    GUEST_FRED_CONFIG_RESERVED("If \"load FRED\" (entry) is 1, guest IA32_FRED_CONFIG must not set reserved bits 2, 5:4 and 11.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_CONFIG),
    GUEST_FRED_RSP1_NOT_CANONICAL("If \"load FRED\" (entry) is 1, guest IA32_FRED_RSP1 must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_RSP1),
    GUEST_FRED_RSP1_NOT_ALIGNED("If \"load FRED\" (entry) is 1, bits 5:0 of guest IA32_FRED_RSP1 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_RSP1),
    GUEST_FRED_RSP2_NOT_CANONICAL("If \"load FRED\" (entry) is 1, guest IA32_FRED_RSP2 must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_RSP2),
    GUEST_FRED_RSP2_NOT_ALIGNED("If \"load FRED\" (entry) is 1, bits 5:0 of guest IA32_FRED_RSP2 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_RSP2),
    GUEST_FRED_RSP3_NOT_CANONICAL("If \"load FRED\" (entry) is 1, guest IA32_FRED_RSP3 must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_RSP3),
    GUEST_FRED_RSP3_NOT_ALIGNED("If \"load FRED\" (entry) is 1, bits 5:0 of guest IA32_FRED_RSP3 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_RSP3),
    GUEST_FRED_SSP1_NOT_CANONICAL("If \"load FRED\" (entry) is 1, guest IA32_FRED_SSP1 must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_SSP1),
    GUEST_FRED_SSP1_NOT_ALIGNED("If \"load FRED\" (entry) is 1, bits 2:0 of guest IA32_FRED_SSP1 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_SSP1),
    GUEST_FRED_SSP2_NOT_CANONICAL("If \"load FRED\" (entry) is 1, guest IA32_FRED_SSP2 must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_SSP2),
    GUEST_FRED_SSP2_NOT_ALIGNED("If \"load FRED\" (entry) is 1, bits 2:0 of guest IA32_FRED_SSP2 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_SSP2),
    GUEST_FRED_SSP3_NOT_CANONICAL("If \"load FRED\" (entry) is 1, guest IA32_FRED_SSP3 must be canonical.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_SSP3),
    GUEST_FRED_SSP3_NOT_ALIGNED("If \"load FRED\" (entry) is 1, bits 2:0 of guest IA32_FRED_SSP3 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_FRED_SSP3),
    GUEST_SPEC_CTRL_RESERVED("If \"load IA32_SPEC_CTRL\" (entry) is 1, guest IA32_SPEC_CTRL must not set reserved bits.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, VM_ENTRY_CONTROLS, GUEST_IA32_SPEC_CTRL);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks on Guest Control Registers, Debug Registers, and MSRs";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    GuestRegisterCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
