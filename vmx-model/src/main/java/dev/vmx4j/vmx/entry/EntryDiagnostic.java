package dev.vmx4j.vmx.entry;

import dev.vmx4j.vmx.controls.EntryControl;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.controls.PinBasedControl;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryExitControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.controls.TertiaryProcBasedControl;
import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * One failed VM-entry check: the check, the field, the offending value and bits, for control
 * vectors the allowed-0/allowed-1 masks, for MSR loading the entry number. An immutable value.
 */
public final class EntryDiagnostic {

    private final EntryCheck check;
    private final VmcsField field;
    private final long value;
    private final long offendingBits;
    private final boolean hasAllowedMasks;
    private final long allowed0;
    private final long allowed1;
    private final int msrEntryNumber;

    EntryDiagnostic(EntryCheck check, VmcsField field, long value, long offendingBits, boolean hasAllowedMasks,
            long allowed0, long allowed1, int msrEntryNumber) {
        this.check = check;
        this.field = field;
        this.value = value;
        this.offendingBits = offendingBits;
        this.hasAllowedMasks = hasAllowedMasks;
        this.allowed0 = allowed0;
        this.allowed1 = allowed1;
        this.msrEntryNumber = msrEntryNumber;
    }

    public EntryCheck check() {
        return check;
    }

    /** The field holding the offending value; null when the value is not a field's (context, memory). */
    public VmcsField field() {
        return field;
    }

    /** The offending value (the field's, or what was read from memory). */
    public long value() {
        return value;
    }

    /** The bits of {@link #value()} that break the rule (0 when the rule is not about bits). */
    public long offendingBits() {
        return offendingBits;
    }

    /** True for the control-vector checks, which carry allowed-0/allowed-1 masks. */
    public boolean hasAllowedMasks() {
        return hasAllowedMasks;
    }

    /** Bits that must be 1 (the capability MSR's allowed-0 settings); 0 unless {@link #hasAllowedMasks()}. */
    public long allowed0() {
        return allowed0;
    }

    /** Bits that may be 1 (the capability MSR's allowed-1 settings); 0 unless {@link #hasAllowedMasks()}. */
    public long allowed1() {
        return allowed1;
    }

    /** For MSR loading: the number of the failing entry, counting from 1; 0 otherwise. */
    public int msrEntryNumber() {
        return msrEntryNumber;
    }

    public EntryOutcome outcome() {
        return check.outcome();
    }

    /** The exit qualification a VM-entry failure exit records (the entry number for MSR loading). */
    public long exitQualification() {
        int q = check.outcome().exitQualification();
        return q < 0 ? msrEntryNumber : q;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(160);
        s.append(check.name()).append(": ");
        if (field != null) {
            s.append(field.sdmName()).append(" = 0x").append(Long.toHexString(value));
        } else {
            s.append("value 0x").append(Long.toHexString(value));
        }
        if (msrEntryNumber != 0) {
            s.append(", MSR-load entry ").append(msrEntryNumber);
        }
        if (offendingBits != 0) {
            s.append(", offending bits 0x").append(Long.toHexString(offendingBits));
            String names = controlNames(offendingBits);
            if (names != null) {
                s.append(' ').append(names);
            }
        }
        if (hasAllowedMasks) {
            s.append(", allowed-0 0x").append(Long.toHexString(allowed0))
                    .append(", allowed-1 0x").append(Long.toHexString(allowed1));
        }
        s.append(" -> ").append(check.outcome().describe());
        s.append(" (SDM \"").append(check.sdmSection()).append("\": ").append(check.rule()).append(')');
        return s.toString();
    }

    private String controlNames(long bits) {
        if (field == null) {
            return null;
        }
        switch (field) {
            case PIN_BASED_VM_EXECUTION_CONTROLS:
                return PinBasedControl.names(bits).toString();
            case PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS:
                return PrimaryProcBasedControl.names(bits).toString();
            case SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS:
                return SecondaryProcBasedControl.names(bits).toString();
            case TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS:
                return TertiaryProcBasedControl.names(bits).toString();
            case PRIMARY_VM_EXIT_CONTROLS:
                return ExitControl.names(bits).toString();
            case SECONDARY_VM_EXIT_CONTROLS:
                return SecondaryExitControl.names(bits).toString();
            case VM_ENTRY_CONTROLS:
                return EntryControl.names(bits).toString();
            default:
                return null;
        }
    }
}
