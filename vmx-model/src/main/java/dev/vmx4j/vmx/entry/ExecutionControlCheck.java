package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * SDM "Checks on VMX Controls", "VM-Execution Control Fields": failures give VMfailValid(7).
 */
public enum ExecutionControlCheck implements EntryCheck {
    PIN_BASED_CONTROLS_RESERVED("Reserved bits of the pin-based VM-execution controls must be set as IA32_VMX_(TRUE_)PINBASED_CTLS allow (allowed-0 and allowed-1).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS),
    PRIMARY_PROC_BASED_CONTROLS_RESERVED("Reserved bits of the primary processor-based VM-execution controls must be set as IA32_VMX_(TRUE_)PROCBASED_CTLS allow.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    SECONDARY_PROC_BASED_CONTROLS_RESERVED("If \"activate secondary controls\" is 1, reserved bits of the secondary processor-based controls must be set as IA32_VMX_PROCBASED_CTLS2 allows.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    TERTIARY_PROC_BASED_CONTROLS_RESERVED("If \"activate tertiary controls\" is 1, reserved bits of the tertiary processor-based controls must be set as IA32_VMX_PROCBASED_CTLS3 allows.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    CR3_TARGET_COUNT_TOO_LARGE("The CR3-target count must not exceed the number of CR3-target values in IA32_VMX_MISC[24:16].",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, CR3_TARGET_COUNT),
    IO_BITMAP_A_NOT_ALIGNED("If \"use I/O bitmaps\" is 1, bits 11:0 of the address of I/O bitmap A must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, ADDRESS_OF_IO_BITMAP_A),
    IO_BITMAP_A_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"use I/O bitmaps\" is 1, the address of I/O bitmap A must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, ADDRESS_OF_IO_BITMAP_A),
    IO_BITMAP_B_NOT_ALIGNED("If \"use I/O bitmaps\" is 1, bits 11:0 of the address of I/O bitmap B must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, ADDRESS_OF_IO_BITMAP_B),
    IO_BITMAP_B_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"use I/O bitmaps\" is 1, the address of I/O bitmap B must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, ADDRESS_OF_IO_BITMAP_B),
    MSR_BITMAPS_NOT_ALIGNED("If \"use MSR bitmaps\" is 1, bits 11:0 of the MSR-bitmap address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, ADDRESS_OF_MSR_BITMAPS),
    MSR_BITMAPS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"use MSR bitmaps\" is 1, the MSR-bitmap address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, ADDRESS_OF_MSR_BITMAPS),
    VIRTUAL_APIC_ADDRESS_NOT_ALIGNED("If \"use TPR shadow\" is 1, bits 11:0 of the virtual-APIC address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VIRTUAL_APIC_ADDRESS),
    VIRTUAL_APIC_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"use TPR shadow\" is 1, the virtual-APIC address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VIRTUAL_APIC_ADDRESS),
    TPR_THRESHOLD_RESERVED("If \"use TPR shadow\" is 1 and \"virtual-interrupt delivery\" is 0, bits 31:4 of the TPR threshold must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, TPR_THRESHOLD),
    TPR_THRESHOLD_ABOVE_VTPR("If \"use TPR shadow\" is 1 and both \"virtualize APIC accesses\" and \"virtual-interrupt delivery\" are 0, TPR threshold bits 3:0 must not exceed bits 7:4 of byte 80H of the virtual-APIC page.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, true, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, TPR_THRESHOLD, VIRTUAL_APIC_ADDRESS),
    VIRTUALIZE_X2APIC_MODE_WITHOUT_TPR_SHADOW("If \"use TPR shadow\" is 0, \"virtualize x2APIC mode\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    APIC_REGISTER_VIRTUALIZATION_WITHOUT_TPR_SHADOW("If \"use TPR shadow\" is 0, \"APIC-register virtualization\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    VIRTUAL_INTERRUPT_DELIVERY_WITHOUT_TPR_SHADOW("If \"use TPR shadow\" is 0, \"virtual-interrupt delivery\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    VIRTUAL_NMIS_WITHOUT_NMI_EXITING("If \"NMI exiting\" is 0, \"virtual NMIs\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS),
    NMI_WINDOW_EXITING_WITHOUT_VIRTUAL_NMIS("If \"virtual NMIs\" is 0, \"NMI-window exiting\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    APIC_ACCESS_ADDRESS_NOT_ALIGNED("If \"virtualize APIC accesses\" is 1, bits 11:0 of the APIC-access address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, APIC_ACCESS_ADDRESS),
    APIC_ACCESS_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"virtualize APIC accesses\" is 1, the APIC-access address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, APIC_ACCESS_ADDRESS),
    VIRTUALIZE_X2APIC_MODE_WITH_VIRTUALIZE_APIC_ACCESSES("If \"virtualize x2APIC mode\" is 1, \"virtualize APIC accesses\" must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    VIRTUAL_INTERRUPT_DELIVERY_WITHOUT_EXTERNAL_INTERRUPT_EXITING("If \"virtual-interrupt delivery\" is 1, \"external-interrupt exiting\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    POSTED_INTERRUPTS_WITHOUT_VIRTUAL_INTERRUPT_DELIVERY("If \"process posted interrupts\" is 1, \"virtual-interrupt delivery\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    POSTED_INTERRUPTS_WITHOUT_ACKNOWLEDGE_INTERRUPT_ON_EXIT("If \"process posted interrupts\" is 1, the \"acknowledge interrupt on exit\" VM-exit control must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS, PRIMARY_VM_EXIT_CONTROLS),
    POSTED_INTERRUPT_NOTIFICATION_VECTOR_RESERVED("If \"process posted interrupts\" is 1, the posted-interrupt notification vector must be in 0-255 (bits 15:8 zero).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS, POSTED_INTERRUPT_NOTIFICATION_VECTOR),
    POSTED_INTERRUPT_DESCRIPTOR_NOT_ALIGNED("If \"process posted interrupts\" is 1, bits 5:0 of the posted-interrupt descriptor address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS, POSTED_INTERRUPT_DESCRIPTOR_ADDRESS),
    POSTED_INTERRUPT_DESCRIPTOR_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"process posted interrupts\" is 1, the posted-interrupt descriptor address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PIN_BASED_VM_EXECUTION_CONTROLS, POSTED_INTERRUPT_DESCRIPTOR_ADDRESS),
    VPID_ZERO("If \"enable VPID\" is 1, the VPID must not be 0000H.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VIRTUAL_PROCESSOR_IDENTIFIER),
    EPTP_MEMORY_TYPE_NOT_SUPPORTED("If \"enable EPT\" is 1, the EPTP memory type (bits 2:0) must be one IA32_VMX_EPT_VPID_CAP allows (ept-mmu EptpCheck).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, EPT_POINTER),
    EPTP_PAGE_WALK_LENGTH_NOT_SUPPORTED("If \"enable EPT\" is 1, EPTP bits 5:3 must name a page-walk length IA32_VMX_EPT_VPID_CAP allows (ept-mmu EptpCheck).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, EPT_POINTER),
    EPTP_ACCESSED_DIRTY_NOT_SUPPORTED("If \"enable EPT\" is 1, EPTP bit 6 must be 0 unless IA32_VMX_EPT_VPID_CAP[21] (ept-mmu EptpCheck).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, EPT_POINTER),
    EPTP_SUPERVISOR_SHADOW_STACK_NOT_SUPPORTED("If \"enable EPT\" is 1, EPTP bit 7 must be 0 unless IA32_VMX_EPT_VPID_CAP[23] (ept-mmu EptpCheck).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, EPT_POINTER),
    EPTP_RESERVED_BITS("If \"enable EPT\" is 1, EPTP bits 11:8 and bits beyond the physical-address width must be 0 (ept-mmu EptpCheck).",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, EPT_POINTER),
    PML_WITHOUT_EPT("If \"enable PML\" is 1, \"enable EPT\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    PML_ADDRESS_NOT_ALIGNED("If \"enable PML\" is 1, bits 11:0 of the PML address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, PML_ADDRESS),
    PML_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"enable PML\" is 1, the PML address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, PML_ADDRESS),
    UNRESTRICTED_GUEST_WITHOUT_EPT("If \"unrestricted guest\" is 1, \"enable EPT\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    MODE_BASED_EXECUTE_CONTROL_WITHOUT_EPT("If \"mode-based execute control for EPT\" is 1, \"enable EPT\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    SUB_PAGE_WRITE_PERMISSIONS_WITHOUT_EPT("If \"sub-page write permissions for EPT\" is 1, \"enable EPT\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    SPPTP_NOT_ALIGNED("If \"sub-page write permissions for EPT\" is 1, bits 11:0 of the sub-page-permission-table pointer must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SUB_PAGE_PERMISSION_TABLE_POINTER),
    SPPTP_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"sub-page write permissions for EPT\" is 1, the sub-page-permission-table pointer must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SUB_PAGE_PERMISSION_TABLE_POINTER),
    VM_FUNCTION_CONTROLS_RESERVED("If \"enable VM functions\" is 1, the VM-function controls must set only bits IA32_VMX_VMFUNC allows.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VM_FUNCTION_CONTROLS),
    EPTP_SWITCHING_WITHOUT_EPT("If \"enable VM functions\" is 1 and EPTP switching (VM function 0) is enabled, \"enable EPT\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VM_FUNCTION_CONTROLS),
    EPTP_LIST_ADDRESS_NOT_ALIGNED("If VM functions and EPTP switching are enabled, bits 11:0 of the EPTP-list address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VM_FUNCTION_CONTROLS, EPTP_LIST_ADDRESS),
    EPTP_LIST_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If VM functions and EPTP switching are enabled, the EPTP-list address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VM_FUNCTION_CONTROLS, EPTP_LIST_ADDRESS),
    VMREAD_BITMAP_NOT_ALIGNED("If \"VMCS shadowing\" is 1, bits 11:0 of the VMREAD-bitmap address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VMREAD_BITMAP_ADDRESS),
    VMREAD_BITMAP_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"VMCS shadowing\" is 1, the VMREAD-bitmap address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VMREAD_BITMAP_ADDRESS),
    VMWRITE_BITMAP_NOT_ALIGNED("If \"VMCS shadowing\" is 1, bits 11:0 of the VMWRITE-bitmap address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VMWRITE_BITMAP_ADDRESS),
    VMWRITE_BITMAP_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"VMCS shadowing\" is 1, the VMWRITE-bitmap address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VMWRITE_BITMAP_ADDRESS),
    VE_INFORMATION_ADDRESS_NOT_ALIGNED("If \"EPT-violation #VE\" is 1, bits 11:0 of the virtualization-exception information address must be 0.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS),
    VE_INFORMATION_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH("If \"EPT-violation #VE\" is 1, the virtualization-exception information address must not set any bit beyond the physical-address width.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS),
    PT_GUEST_PHYSICAL_WITHOUT_EPT("If \"Intel PT uses guest physical addresses\" is 1, \"enable EPT\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS),
    PT_GUEST_PHYSICAL_WITHOUT_CLEAR_IA32_RTIT_CTL("If \"Intel PT uses guest physical addresses\" is 1, the \"clear IA32_RTIT_CTL\" VM-exit control must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, PRIMARY_VM_EXIT_CONTROLS),
    PT_GUEST_PHYSICAL_WITHOUT_LOAD_IA32_RTIT_CTL("If \"Intel PT uses guest physical addresses\" is 1, the \"load IA32_RTIT_CTL\" VM-entry control must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, VM_ENTRY_CONTROLS),
    HLAT_WITHOUT_EPT("If \"enable HLAT\" (tertiary) is 1, \"enable EPT\" must be 1.",
            EntryOutcome.VM_FAIL_INVALID_CONTROL_FIELDS, false, PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS);

    /** The SDM section title of every constant. */
    public static final String SECTION = "VM-Execution Control Fields";

    private final String rule;
    private final EntryOutcome outcome;
    private final boolean readsMemory;
    private final List<VmcsField> fields;

    ExecutionControlCheck(String rule, EntryOutcome outcome, boolean readsMemory, VmcsField... fields) {
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
