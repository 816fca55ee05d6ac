package dev.vmx4j.vmx.insn;

/**
 * The VM-instruction error numbers of the SDM's table "VM-Instruction Error Numbers", stored
 * in the VM-instruction error field (0x4400) by VMfailValid. Numbers 14, 21 and 27 are not
 * defined by the SDM.
 */
public enum VmInstructionError {
    VMCALL_EXECUTED_IN_VMX_ROOT_OPERATION(1, "VMCALL executed in VMX root operation"),
    VMCLEAR_WITH_INVALID_PHYSICAL_ADDRESS(2, "VMCLEAR with invalid physical address"),
    VMCLEAR_WITH_VMXON_POINTER(3, "VMCLEAR with VMXON pointer"),
    VMLAUNCH_WITH_NON_CLEAR_VMCS(4, "VMLAUNCH with non-clear VMCS"),
    VMRESUME_WITH_NON_LAUNCHED_VMCS(5, "VMRESUME with non-launched VMCS"),
    VMRESUME_AFTER_VMXOFF(6, "VMRESUME after VMXOFF (VMXOFF and VMXON between VMLAUNCH and VMRESUME)"),
    VM_ENTRY_WITH_INVALID_CONTROL_FIELDS(7, "VM entry with invalid control field(s)"),
    VM_ENTRY_WITH_INVALID_HOST_STATE_FIELDS(8, "VM entry with invalid host-state field(s)"),
    VMPTRLD_WITH_INVALID_PHYSICAL_ADDRESS(9, "VMPTRLD with invalid physical address"),
    VMPTRLD_WITH_VMXON_POINTER(10, "VMPTRLD with VMXON pointer"),
    VMPTRLD_WITH_INCORRECT_VMCS_REVISION_IDENTIFIER(11, "VMPTRLD with incorrect VMCS revision identifier"),
    VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT(12, "VMREAD/VMWRITE from/to unsupported VMCS component"),
    VMWRITE_TO_READ_ONLY_VMCS_COMPONENT(13, "VMWRITE to read-only VMCS component"),
    VMXON_EXECUTED_IN_VMX_ROOT_OPERATION(15, "VMXON executed in VMX root operation"),
    VM_ENTRY_WITH_INVALID_EXECUTIVE_VMCS_POINTER(16, "VM entry with invalid executive-VMCS pointer"),
    VM_ENTRY_WITH_NON_LAUNCHED_EXECUTIVE_VMCS(17, "VM entry with non-launched executive VMCS"),
    VM_ENTRY_WITH_EXECUTIVE_VMCS_POINTER_NOT_VMXON_POINTER(18,
            "VM entry with executive-VMCS pointer not VMXON pointer (when attempting to deactivate the"
                    + " dual-monitor treatment of SMIs and SMM)"),
    VMCALL_WITH_NON_CLEAR_VMCS(19,
            "VMCALL with non-clear VMCS (when attempting to activate the dual-monitor treatment of SMIs and SMM)"),
    VMCALL_WITH_INVALID_VM_EXIT_CONTROL_FIELDS(20, "VMCALL with invalid VM-exit control fields"),
    VMCALL_WITH_INCORRECT_MSEG_REVISION_IDENTIFIER(22,
            "VMCALL with incorrect MSEG revision identifier (when attempting to activate the dual-monitor"
                    + " treatment of SMIs and SMM)"),
    VMXOFF_UNDER_DUAL_MONITOR_TREATMENT_OF_SMIS_AND_SMM(23, "VMXOFF under dual-monitor treatment of SMIs and SMM"),
    VMCALL_WITH_INVALID_SMM_MONITOR_FEATURES(24,
            "VMCALL with invalid SMM-monitor features (when attempting to activate the dual-monitor treatment"
                    + " of SMIs and SMM)"),
    VM_ENTRY_WITH_INVALID_VM_EXECUTION_CONTROL_FIELDS_IN_EXECUTIVE_VMCS(25,
            "VM entry with invalid VM-execution control fields in executive VMCS (when attempting to return"
                    + " from SMM)"),
    VM_ENTRY_WITH_EVENTS_BLOCKED_BY_MOV_SS(26, "VM entry with events blocked by MOV SS"),
    INVALID_OPERAND_TO_INVEPT_INVVPID(28, "Invalid operand to INVEPT/INVVPID");

    private static final VmInstructionError[] BY_NUMBER = new VmInstructionError[29];

    static {
        for (VmInstructionError e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;
    private final String sdmText;

    VmInstructionError(int number, String sdmText) {
        this.number = number;
        this.sdmText = sdmText;
    }

    /** The error number (what VMREAD of the VM-instruction error field returns). */
    public int number() {
        return number;
    }

    /** The description in the SDM's table. */
    public String sdmText() {
        return sdmText;
    }

    /** The error with number {@code number}, or null if the SDM defines none. */
    public static VmInstructionError byNumber(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
