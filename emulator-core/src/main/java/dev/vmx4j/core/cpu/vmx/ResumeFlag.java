package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.VmExitEvent;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * The RFLAGS.RF value a VM exit saves in the guest-state area (SDM "Saving RIP, RSP, RFLAGS,
 * and SSP"). The core has already set RF where an event's delivery would have pushed 1 (a
 * fault, SDM "Instruction-Breakpoint Exception Condition"), so for exits caused by an event, a
 * triple fault or a task switch the register's value is the one to save.
 */
final class ResumeFlag {

    private ResumeFlag() {
    }

    /** The RFLAGS value to save for exit {@code e}, given the register's {@code rflags} and whether IDT-vectoring information is valid. */
    static long saved(VmExitEvent e, long rflags, boolean vectoring) {
        int reason = e.reason;
        if (reason == ExitReason.APIC_ACCESS.number() || reason == ExitReason.EPT_VIOLATION.number()
                || reason == ExitReason.EPT_MISCONFIGURATION.number()) {
            // "For APIC-access VM exits and for VM exits caused by EPT violations and EPT
            // misconfigurations": 1 if the exit did not occur during event delivery, else the
            // value the delivered event's RFLAGS image would have had.
            return vectoring ? rflags : rflags | Cpu.RF_RF;
        }
        if (e.has(VmExitEvent.INSTRUCTION_LENGTH) && reason != ExitReason.EXCEPTION_OR_NMI.number()
                && reason != ExitReason.TASK_SWITCH.number()) {
            // "If the VM exit is caused by an attempt to execute an instruction that
            // unconditionally causes VM exits or one that was configured to do with a
            // VM-execution control, the value saved is 0."
            return rflags & ~Cpu.RF_RF;
        }
        // Events through the IDT, triple faults, task switches and the other exits (window
        // exits, MTF, the preemption timer): the register's value.
        return rflags;
    }
}
