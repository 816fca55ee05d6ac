package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on Guest Non-Register State": failures give exit 33 (qualification 3 for NMI injection with blocking by STI, 4 for the VMCS link pointer).
 */
public enum GuestNonRegisterCheck implements EntryCheck {
    ACTIVITY_STATE_OUT_OF_RANGE("The activity state must be 0-3 (active, HLT, shutdown, wait-for-SIPI).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ACTIVITY_STATE),
    ACTIVITY_STATE_NOT_SUPPORTED("The activity state must be one IA32_VMX_MISC[8:6] reports as supported.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ACTIVITY_STATE),
    ACTIVITY_STATE_HLT_WITH_SS_DPL_NOT_0("The activity state must not be HLT when the SS DPL is not 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ACTIVITY_STATE, GUEST_SS_ACCESS_RIGHTS),
    ACTIVITY_STATE_INACTIVE_WITH_STI_OR_MOV_SS_BLOCKING("The activity state must be active if the interruptibility state shows blocking by STI or by MOV SS.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ACTIVITY_STATE, GUEST_INTERRUPTIBILITY_STATE),
    INJECTION_NOT_ALLOWED_IN_HLT("In the HLT state only external interrupts, NMIs, #DB, #MC and a pending MTF VM exit may be injected.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ACTIVITY_STATE, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    INJECTION_NOT_ALLOWED_IN_SHUTDOWN("In the shutdown state only NMIs and machine checks may be injected.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ACTIVITY_STATE, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    INJECTION_IN_WAIT_FOR_SIPI("In the wait-for-SIPI state no event may be injected.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ACTIVITY_STATE, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    WAIT_FOR_SIPI_WITH_ENTRY_TO_SMM("The activity state must not be wait-for-SIPI if \"entry to SMM\" is 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_ACTIVITY_STATE, VM_ENTRY_CONTROLS),
    INTERRUPTIBILITY_RESERVED("Interruptibility-state bits 31:5 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE),
    STI_AND_MOV_SS_BLOCKING("Blocking by STI and blocking by MOV SS cannot both be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE),
    STI_BLOCKING_WITH_IF_CLEAR("Blocking by STI must be 0 if RFLAGS.IF is 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE, GUEST_RFLAGS),
    BLOCKING_WITH_EXTERNAL_INTERRUPT_INJECTION("Blocking by STI and by MOV SS must both be 0 when an external interrupt is injected.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    MOV_SS_BLOCKING_WITH_NMI_INJECTION("Blocking by MOV SS must be 0 when an NMI is injected.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    SMI_BLOCKING_OUTSIDE_SMM("Blocking by SMI must be 0 outside SMM.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE),
    SMI_BLOCKING_CLEAR_WITH_ENTRY_TO_SMM("Blocking by SMI must be 1 if \"entry to SMM\" is 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE, VM_ENTRY_CONTROLS),
    STI_BLOCKING_AT_CPL3_WITH_FRED("If guest CR4.FRED is 1 and the SS DPL is 3, blocking by STI must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE, GUEST_CR4, GUEST_SS_ACCESS_RIGHTS),
    STI_BLOCKING_WITH_NMI_INJECTION("A processor may require blocking by STI to be 0 when an NMI is injected (vmx4j does; qualification 3).",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_NMI_INJECTION, false, GUEST_INTERRUPTIBILITY_STATE, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD),
    NMI_BLOCKING_WITH_VIRTUAL_NMI_INJECTION("Blocking by NMI must be 0 when \"virtual NMIs\" is 1 and an NMI is injected.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE, VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, PIN_BASED_VM_EXECUTION_CONTROLS),
    ENCLAVE_INTERRUPTION_WITH_MOV_SS_BLOCKING("If enclave interruption (bit 4) is 1, blocking by MOV SS must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE),
    ENCLAVE_INTERRUPTION_WITHOUT_SGX("Enclave interruption (bit 4) may be 1 only if CPUID.(EAX=07H,ECX=0):EBX.SGX is 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_INTERRUPTIBILITY_STATE),
    PENDING_DEBUG_EXCEPTIONS_RESERVED("Pending debug exceptions bits 11:4, 13, 15 and 63:17 (and 16 without RTM) must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_PENDING_DEBUG_EXCEPTIONS),
    PENDING_DEBUG_BS_CLEAR_WITH_TF("With blocking by STI or MOV SS or the HLT state: BS (bit 14) must be 1 if RFLAGS.TF is 1 and IA32_DEBUGCTL.BTF is 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_PENDING_DEBUG_EXCEPTIONS, GUEST_INTERRUPTIBILITY_STATE, GUEST_ACTIVITY_STATE, GUEST_RFLAGS, GUEST_IA32_DEBUGCTL),
    PENDING_DEBUG_BS_SET_WITHOUT_TF("With blocking by STI or MOV SS or the HLT state: BS (bit 14) must be 0 if RFLAGS.TF is 0 or IA32_DEBUGCTL.BTF is 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_PENDING_DEBUG_EXCEPTIONS, GUEST_INTERRUPTIBILITY_STATE, GUEST_ACTIVITY_STATE, GUEST_RFLAGS, GUEST_IA32_DEBUGCTL),
    PENDING_DEBUG_RTM_WITH_OTHER_BITS("If RTM (bit 16) is 1, bits 11:0 and 14 must be 0 and bit 12 (enabled breakpoint) must be 1.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_PENDING_DEBUG_EXCEPTIONS),
    PENDING_DEBUG_RTM_WITH_MOV_SS_BLOCKING("If RTM (bit 16) is 1, the interruptibility state must not show blocking by MOV SS.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE, false, GUEST_PENDING_DEBUG_EXCEPTIONS, GUEST_INTERRUPTIBILITY_STATE),
    VMCS_LINK_POINTER_NOT_ALIGNED("If the VMCS link pointer is not FFFFFFFF_FFFFFFFFH, its bits 11:0 must be 0.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_VMCS_LINK_POINTER, false, VMCS_LINK_POINTER),
    VMCS_LINK_POINTER_BEYOND_PHYSICAL_ADDRESS_WIDTH("If the VMCS link pointer is not FFFFFFFF_FFFFFFFFH, it must not set bits beyond the physical-address width.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_VMCS_LINK_POINTER, false, VMCS_LINK_POINTER),
    VMCS_LINK_POINTER_REVISION_MISMATCH("Bits 30:0 of the first 32 bits at the VMCS link pointer must be the VMCS revision identifier.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_VMCS_LINK_POINTER, true, VMCS_LINK_POINTER),
    VMCS_LINK_POINTER_SHADOW_INDICATOR_MISMATCH("Bit 31 of the first 32 bits at the VMCS link pointer must equal the \"VMCS shadowing\" control.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_VMCS_LINK_POINTER, true, VMCS_LINK_POINTER, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    VMCS_LINK_POINTER_IS_CURRENT_VMCS("Outside SMM (or with \"entry to SMM\") the VMCS link pointer must not be the current-VMCS pointer.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_VMCS_LINK_POINTER, false, VMCS_LINK_POINTER, VM_ENTRY_CONTROLS),
    VMCS_LINK_POINTER_IS_VMXON_POINTER("In SMM (without \"entry to SMM\") the VMCS link pointer must not be the VMXON pointer.",
            EntryOutcome.EXIT_INVALID_GUEST_STATE_VMCS_LINK_POINTER, false, VMCS_LINK_POINTER, VM_ENTRY_CONTROLS);

    /** The SDM section title of every constant. */
    public static final String SECTION = "Checks on Guest Non-Register State";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    GuestNonRegisterCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
