package dev.vmx4j.vmx.exit;

import dev.vmx4j.mmu.ept.EptViolationQualification;

/**
 * Which codec decodes the exit qualification and the VM-exit instruction-information field of
 * each exit reason, as one table (SDM "Exit Qualification for VM Exits" and "Information for VM
 * Exits Due to Instruction Execution"). For diagnostics and printing, not for the per-instruction
 * path: every call allocates a record.
 */
public final class ExitDecoders {

    private ExitDecoders() {
    }

    /**
     * The exit qualification of an exit with {@code reason} decoded into its SDM table's record,
     * or null where the qualification is a plain value (a linear address, a displacement, an
     * offset, the MSR-entry number, 0) or depends on more than the reason (EXCEPTION_OR_NMI: the
     * debug-exception format only for #DB, the linear address for #PF).
     */
    public static Record qualification(ExitReason reason, long q) {
        switch (reason) {
            case SIPI: return SipiQualification.decode(q);
            case TASK_SWITCH: return TaskSwitchQualification.decode(q);
            case CONTROL_REGISTER_ACCESSES: return ControlRegisterAccessQualification.decode(q);
            case MOV_DR: return MovDrQualification.decode(q);
            case IO_INSTRUCTION: return IoInstructionQualification.decode(q);
            case APIC_ACCESS: return ApicAccessQualification.decode(q);
            case EPT_VIOLATION: return EptViolationQualification.decode(q);
            default:
                return null;
        }
    }

    /** The exit qualification of a #DB exception exit (EXCEPTION_OR_NMI with vector 1). */
    public static DebugExceptionQualification debugException(long q) {
        return DebugExceptionQualification.decode(q);
    }

    /**
     * The VM-exit instruction-information field of an exit with {@code reason} decoded into its
     * SDM format's record, or null if the SDM defines no format for the reason (the field is
     * undefined). IO_INSTRUCTION gives the INS/OUTS format, meaningful only for string
     * instructions when IA32_VMX_BASIC[54] is 1.
     */
    public static Record instructionInformation(ExitReason reason, long info) {
        switch (reason) {
            case IO_INSTRUCTION:
                return InsOutsInstructionInfo.decode(info);
            case INVEPT:
            case INVPCID:
            case INVVPID:
                return InvalidationInstructionInfo.decode(info);
            case ACCESS_TO_GDTR_OR_IDTR:
                return DescriptorTableInstructionInfo.decode(info);
            case ACCESS_TO_LDTR_OR_TR:
                return LdtrTrInstructionInfo.decode(info);
            case RDRAND:
            case RDSEED:
            case TPAUSE:
            case UMWAIT:
                return RegisterInstructionInfo.decode(info);
            case VMCLEAR:
            case VMPTRLD:
            case VMPTRST:
            case VMXON:
            case XRSTORS:
            case XSAVES:
                return MemoryOperandInstructionInfo.decode(info);
            case VMREAD:
            case VMWRITE:
                return VmreadVmwriteInstructionInfo.decode(info);
            default:
                return null;
        }
    }
}
