package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.INSTRUCTION_TIMEOUT_CONTROL;
import static dev.vmx4j.vmx.vmcs.VmcsField.TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
import static dev.vmx4j.vmx.vmcs.VmcsField.XSS_EXITING_BITMAP;

import dev.vmx4j.core.cpu.VmExitEvent;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.controls.TertiaryProcBasedControl;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * The intercepts of the instruction-set extensions that have their own enabling controls:
 * XSAVES/XRSTORS ("enable XSAVES/XRSTORS", the XSS-exiting bitmap), UMONITOR/UMWAIT/TPAUSE
 * ("enable user wait and pause" with "RDTSC exiting") and LOADIWKEY (the tertiary "LOADIWKEY
 * exiting"), and the instruction-timeout exit of a delivery that never completes. SDM
 * "Instructions That Cause VM Exits Conditionally", "Changes to Instruction Behavior in VMX
 * Non-Root Operation", "Other Causes of VM Exits". The controls are copied at VM entry
 * ({@link #loadOnEntry}).
 */
final class ExtensionIntercepts {

    private final Vmx vmx;

    boolean xsavesEnabled;
    long xssExitingBitmap;
    boolean userWaitEnabled;
    boolean rdtscExiting;
    /** The tertiary controls in effect: 0 unless "activate tertiary controls" is 1. */
    long tertiary;
    /** The instruction-timeout window (TSC ticks) with "instruction timeout" = 1, else -1. */
    long instructionTimeoutWindow = -1;

    ExtensionIntercepts(Vmx vmx) {
        this.vmx = vmx;
    }

    void loadOnEntry(Vmcs v, int proc, int proc2) {
        xsavesEnabled = (proc2 & PROC2_ENABLE_XSAVES_XRSTORS) != 0;
        xssExitingBitmap = vmx.caps.hasField(XSS_EXITING_BITMAP) ? v.get(XSS_EXITING_BITMAP) : 0;
        userWaitEnabled = (proc2 & PROC2_ENABLE_USER_WAIT_AND_PAUSE) != 0;
        rdtscExiting = (proc & PROC_RDTSC_EXITING) != 0;
        tertiary = (proc & PROC_ACTIVATE_TERTIARY_CONTROLS) != 0
                ? v.get(TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS) : 0;
        // MANUAL: the SDM counts the window in crystal-clock cycles; the profile claims no crystal
        // (CPUID.15H is 0) and vmx4j's only clock is the TSC, so the window is in TSC ticks.
        instructionTimeoutWindow = (proc2 & PROC2_INSTRUCTION_TIMEOUT) != 0
                ? v.get(INSTRUCTION_TIMEOUT_CONTROL) & 0xFFFFFFFFL : -1;
    }

    /**
     * SDM "Other Causes of VM Exits", instruction timeout: with "instruction timeout" = 1, a VM
     * exit (reason 75) occurs when the processor does not reach an instruction boundary within
     * the window. The guest state saved is that before the event whose delivery never completes
     * (the faulting instruction's RIP, RSP unchanged), so bit 0 ("VM context invalid") of the
     * qualification is 0, and so are the others (no NMI unblocking by IRET); the event being
     * delivered goes to the IDT-vectoring fields, as for any exit during event delivery.
     */
    void instructionTimeout() {
        throw VmExitEvent.of(ExitReason.INSTRUCTION_TIMEOUT.number(), 0);
    }

    /**
     * SDM "Instructions That Cause VM Exits Conditionally", XSAVES and XRSTORS: with "enable
     * XSAVES/XRSTORS" = 1 they exit "if any bit is set in the logical-AND of the following three
     * values: EDX:EAX, the IA32_XSS MSR, and the XSS-exiting bitmap". Qualification: the
     * displacement (SDM "Exit Qualification for VM Exits Due to Instructions with a Memory
     * Operand"); instruction information in the VMCLEAR/.../XRSTORS/XSAVES format.
     */
    void xsaves(DecodedInstruction d, long mask, long xss, dev.vmx4j.core.cpu.Cpu c) {
        if ((mask & xss & xssExitingBitmap) == 0) {
            return;
        }
        ExitReason reason = d.mnemonic == Mnemonic.XSAVES ? ExitReason.XSAVES : ExitReason.XRSTORS;
        throw VmExitEvent.instruction(reason.number(), InstructionInformation.qualification(d, c), d.length,
                InstructionInformation.encode(ExitReason.VMCLEAR, d, c));
    }

    /**
     * SDM "Instructions That Cause VM Exits Conditionally": UMWAIT and TPAUSE exit if "RDTSC
     * exiting" and "enable user wait and pause" are both 1. Qualification 0; SDM table "Format
     * of the VM-Exit Instruction-Information Field as Used for RDRAND, RDSEED, TPAUSE, and
     * UMWAIT": the source register in bits 6:3. MANUAL: the undefined bits are 0 but bit 10,
     * which is 1 as for RDRAND and RDSEED (the "register operand" bit of the other formats), and
     * bits 12:11 give the 32-bit operand size (1), as the RDRAND format would.
     */
    void userWait(DecodedInstruction d) {
        if (!rdtscExiting) {
            return;
        }
        ExitReason reason = d.mnemonic == Mnemonic.UMWAIT ? ExitReason.UMWAIT : ExitReason.TPAUSE;
        throw VmExitEvent.instruction(reason.number(), 0, d.length, d.reg[0] << 3 | 1 << 10 | 1 << 11);
    }

    /**
     * SDM "Instructions That Cause VM Exits Conditionally": LOADIWKEY exits if the "LOADIWKEY
     * exiting" tertiary control is 1. Qualification 0; SDM table "Format of the VM-Exit
     * Instruction-Information Field as Used for LOADIWKEY": Reg1 (bits 6:3) the first XMM
     * operand (ModRM:reg), Reg2 (bits 31:28) the second (ModRM:r/m); the other bits are
     * undefined (0).
     */
    void loadIwKey(DecodedInstruction d) {
        if ((tertiary & TertiaryProcBasedControl.LOADIWKEY_EXITING.mask()) != 0) {
            throw VmExitEvent.instruction(ExitReason.LOADIWKEY.number(), 0, d.length, d.reg[0] << 3 | d.reg[1] << 28);
        }
    }
}
