package dev.vmx4j.vmx.print;

import dev.vmx4j.mmu.ept.EptViolationQualification;
import dev.vmx4j.vmx.controls.EntryControl;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.controls.PinBasedControl;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.controls.TertiaryProcBasedControl;
import dev.vmx4j.vmx.exit.ApicAccessQualification;
import dev.vmx4j.vmx.exit.ControlRegisterAccessQualification;
import dev.vmx4j.vmx.exit.DebugExceptionQualification;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.exit.ExitReasonField;
import dev.vmx4j.vmx.exit.InterruptionInfo;
import dev.vmx4j.vmx.exit.IoInstructionQualification;
import dev.vmx4j.vmx.exit.MovDrQualification;
import dev.vmx4j.vmx.exit.SipiQualification;
import dev.vmx4j.vmx.exit.TaskSwitchQualification;
import dev.vmx4j.vmx.insn.VmInstructionError;
import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * The decoded text of a field's value, where there is more to say than the number: control
 * vectors as the names of their set bits, the exit reason, interruption-information fields, the
 * exit qualification (by exit reason), access rights, activity and interruptibility state, the
 * VM-instruction error. Empty when the number is all there is.
 */
public final class FieldDecoder {

    private FieldDecoder() {
    }

    /**
     * Decodes {@code value} of {@code field}. {@code exitReason} is the basic exit reason the
     * exit qualification belongs to (-1 if unknown: the qualification is then not decoded).
     */
    public static String decode(VmcsField field, long value, int exitReason) {
        switch (field) {
            case PIN_BASED_VM_EXECUTION_CONTROLS:
                return String.join(" ", PinBasedControl.names(value));
            case PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS:
                return String.join(" ", PrimaryProcBasedControl.names(value));
            case SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS:
                return String.join(" ", SecondaryProcBasedControl.names(value));
            case TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS:
                return String.join(" ", TertiaryProcBasedControl.names(value));
            case PRIMARY_VM_EXIT_CONTROLS:
                return String.join(" ", ExitControl.names(value));
            case VM_ENTRY_CONTROLS:
                return String.join(" ", EntryControl.names(value));
            case EXIT_REASON:
                return ExitReasonField.decode(value).toString();
            case VM_ENTRY_INTERRUPTION_INFORMATION_FIELD:
            case VM_EXIT_INTERRUPTION_INFORMATION:
            case IDT_VECTORING_INFORMATION_FIELD:
                return interruption(value);
            case EXIT_QUALIFICATION:
                return qualification(exitReason, value);
            case VM_INSTRUCTION_ERROR: {
                VmInstructionError e = VmInstructionError.byNumber((int) value);
                return e == null ? "" : e.name();
            }
            case GUEST_ACTIVITY_STATE:
                return activityState(value);
            case GUEST_INTERRUPTIBILITY_STATE:
                return interruptibility(value);
            case VMCS_LINK_POINTER:
                return value == -1L ? "none (all ones)" : "";
            default:
                if (field.name().endsWith("_ACCESS_RIGHTS")) {
                    return accessRights(value);
                }
                return "";
        }
    }

    private static String interruption(long value) {
        if ((value & InterruptionInfo.VALID) == 0) {
            return "not valid";
        }
        InterruptionInfo i = InterruptionInfo.decode(value);
        return "vector " + i.vector() + ", " + i.type() + (i.errorCodeValid() ? ", error code valid" : "")
                + ((value & InterruptionInfo.NMI_UNBLOCKING_DUE_TO_IRET) != 0 ? ", NMI unblocking due to IRET" : "");
    }

    /** The exit qualification decoded with the codec the SDM gives for {@code exitReason}. */
    public static String qualification(int exitReason, long q) {
        ExitReason r = ExitReason.byNumber(exitReason & 0xFFFF);
        if (r == null) {
            return "";
        }
        switch (r) {
            case EXCEPTION_OR_NMI:
                return ""; // #DB and #PF qualifications depend on the vector (see the interruption info)
            case SIPI:
                return SipiQualification.decode(q).toString();
            case TASK_SWITCH:
                return TaskSwitchQualification.decode(q).toString();
            case CONTROL_REGISTER_ACCESSES:
                return ControlRegisterAccessQualification.decode(q).toString();
            case MOV_DR:
                return MovDrQualification.decode(q).toString();
            case IO_INSTRUCTION:
                return IoInstructionQualification.decode(q).toString();
            case APIC_ACCESS:
                return ApicAccessQualification.decode(q).toString();
            case EPT_VIOLATION:
                return EptViolationQualification.decode(q).toString();
            case VM_ENTRY_FAILURE_INVALID_GUEST_STATE:
                return q == 2 ? "PDPTE loading" : q == 3 ? "NMI injection" : q == 4 ? "VMCS link pointer" : "";
            case VM_ENTRY_FAILURE_MSR_LOADING:
                return "MSR-load entry " + q;
            default:
                return "";
        }
    }

    /** A #DB exception's exit qualification (exit reason 0 with vector 1). */
    public static String debugQualification(long q) {
        return DebugExceptionQualification.decode(q).toString();
    }

    private static final String[] ACTIVITY = {"Active", "HLT", "Shutdown", "Wait-for-SIPI"};

    private static String activityState(long v) {
        return v >= 0 && v < ACTIVITY.length ? ACTIVITY[(int) v] : "";
    }

    private static String interruptibility(long v) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"blocking by STI", "blocking by MOV SS", "blocking by SMI", "blocking by NMI",
            "enclave interruption"};
        for (int i = 0; i < names.length; i++) {
            if ((v >>> i & 1) != 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(names[i]);
            }
        }
        return sb.toString();
    }

    /** SDM "Format of Access Rights". */
    private static String accessRights(long v) {
        if ((v & (1 << 16)) != 0) {
            return "unusable";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("type ").append(v & 0xF);
        sb.append((v & (1 << 4)) != 0 ? " S" : " system");
        sb.append(" DPL ").append(v >>> 5 & 3);
        if ((v & (1 << 7)) != 0) {
            sb.append(" P");
        }
        if ((v & (1 << 12)) != 0) {
            sb.append(" AVL");
        }
        if ((v & (1 << 13)) != 0) {
            sb.append(" L");
        }
        if ((v & (1 << 14)) != 0) {
            sb.append(" D/B");
        }
        if ((v & (1 << 15)) != 0) {
            sb.append(" G");
        }
        return sb.toString();
    }
}
