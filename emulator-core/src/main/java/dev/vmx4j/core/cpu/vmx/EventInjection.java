package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.ActivityState;
import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.InterruptionType;

/**
 * SDM "Event Injection": the event of a valid VM-entry interruption-information field is
 * delivered through the guest's IDT (or IVT) after guest state is loaded, as if it had occurred
 * at the guest RIP; software interrupts and exceptions push RIP plus the VM-entry instruction
 * length. Type 7 vector 0 makes an MTF VM exit pending before the first guest instruction.
 */
final class EventInjection {

    private EventInjection() {
    }

    /** Injects the event {@code v} specifies; returns its interruption type, or -1 if none. */
    static int inject(Vmx vmx, Cpu c, Vmcs v) {
        int info = (int) v.get(VM_ENTRY_INTERRUPTION_INFORMATION_FIELD);
        if (info >= 0) {
            return -1;
        }
        int vector = info & 0xFF;
        int type = info >>> 8 & 7;
        boolean hasErrorCode = (info & 1 << 11) != 0;
        int errorCode = (int) v.get(VM_ENTRY_EXCEPTION_ERROR_CODE);
        int length = (int) v.get(VM_ENTRY_INSTRUCTION_LENGTH);
        // SDM "Event Injection": "the VM-entry interruption-information field ... its valid bit
        // is cleared" once the event is delivered (it is also cleared on every VM exit).
        v.set(VM_ENTRY_INTERRUPTION_INFORMATION_FIELD, info & 0x7FFFFFFFL);
        // SDM "Event Injection": delivered through the guest's IDT (not subject to the exception
        // bitmap); a software event returns to RIP + the instruction length; type 7 vector 0
        // makes an MTF VM exit pending (the core's events model, Cpu.inject).
        if (type != InterruptionType.OTHER_EVENT) {
            // SDM "Activity State" (Special Features of VM Entry): a vectoring VM entry delivers
            // the event, so a guest entered in the HLT state is active afterwards (KVM and
            // hardware agree: HLT ends with the injected event).
            c.pendingEvents().setActivity(ActivityState.ACTIVE);
        }
        c.inject(type, vector, errorCode, hasErrorCode, InterruptionType.isSoftware(type) ? length : 0);
        c.setNextRip(c.rip);
        return type;
    }
}
