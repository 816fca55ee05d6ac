package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.InterruptionType;
import dev.vmx4j.core.cpu.VmExitEvent;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.vmx.controls.ExitControl;
import dev.vmx4j.vmx.controls.PinBasedControl;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * The conditional VM exits and the value paths of VMX non-root operation, decided from the
 * VM-execution controls (SDM "Instructions That Cause VM Exits Conditionally", "Other Causes of
 * VM Exits", "Changes to Instruction Behavior in VMX Non-Root Operation"). The controls are
 * copied from the VMCS at VM entry ({@link #loadOnEntry}): in VMX non-root operation the guest
 * cannot change them, so every decision is a field test.
 */
final class Intercepts {

    private final Vmx vmx;
    private final Cpu c;

    // The VM-execution controls of the running guest (copied at VM entry).
    int pin;
    int proc;
    /** The secondary controls in effect: 0 unless "activate secondary controls" is 1. */
    int proc2;
    int exceptionBitmap;
    int pfErrorCodeMask;
    int pfErrorCodeMatch;
    long cr0Mask;
    long cr4Mask;
    long cr0Shadow;
    long cr4Shadow;
    int cr3TargetCount;
    final long[] cr3Targets = new long[4];
    long ioBitmapA;
    long ioBitmapB;
    long msrBitmaps;
    /** TSC offsetting and scaling of the running guest. */
    final GuestTsc tsc = new GuestTsc();
    /** PAUSE-loop exiting of the running guest. */
    final PauseLoop pauseLoop = new PauseLoop();
    long vmFunctionControls;
    boolean ackInterruptOnExit;

    Intercepts(Vmx vmx, Cpu c) {
        this.vmx = vmx;
        this.c = c;
    }

    /** Copies the VM-execution controls of {@code v} for the guest about to run. */
    void loadOnEntry(Vmcs v) {
        pin = (int) v.get(PIN_BASED_VM_EXECUTION_CONTROLS);
        proc = (int) v.get(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS);
        proc2 = (proc & PROC_ACTIVATE_SECONDARY_CONTROLS) != 0
                ? (int) v.get(SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS) : 0;
        exceptionBitmap = (int) v.get(EXCEPTION_BITMAP);
        pfErrorCodeMask = (int) v.get(PAGE_FAULT_ERROR_CODE_MASK);
        pfErrorCodeMatch = (int) v.get(PAGE_FAULT_ERROR_CODE_MATCH);
        cr0Mask = v.get(CR0_GUEST_HOST_MASK);
        cr4Mask = v.get(CR4_GUEST_HOST_MASK);
        cr0Shadow = v.get(CR0_READ_SHADOW);
        cr4Shadow = v.get(CR4_READ_SHADOW);
        cr3TargetCount = (int) Math.min(v.get(CR3_TARGET_COUNT), 4);
        cr3Targets[0] = v.get(CR3_TARGET_VALUE_0);
        cr3Targets[1] = v.get(CR3_TARGET_VALUE_1);
        cr3Targets[2] = v.get(CR3_TARGET_VALUE_2);
        cr3Targets[3] = v.get(CR3_TARGET_VALUE_3);
        ioBitmapA = v.get(ADDRESS_OF_IO_BITMAP_A);
        ioBitmapB = v.get(ADDRESS_OF_IO_BITMAP_B);
        msrBitmaps = v.get(ADDRESS_OF_MSR_BITMAPS);
        tsc.offsetting = (proc & PROC_USE_TSC_OFFSETTING) != 0;
        tsc.scaling = (proc2 & PROC2_USE_TSC_SCALING) != 0;
        tsc.offset = v.get(TSC_OFFSET);
        tsc.multiplier = vmx.caps.hasField(TSC_MULTIPLIER) ? v.get(TSC_MULTIPLIER) : 0;
        pauseLoop.enabled = (proc2 & PROC2_PAUSE_LOOP_EXITING) != 0;
        pauseLoop.gap = vmx.caps.hasField(PLE_GAP) ? v.get(PLE_GAP) & 0xFFFFFFFFL : 0;
        pauseLoop.window = vmx.caps.hasField(PLE_WINDOW) ? v.get(PLE_WINDOW) & 0xFFFFFFFFL : 0;
        pauseLoop.reset();
        vmFunctionControls = vmx.caps.hasField(VM_FUNCTION_CONTROLS) ? v.get(VM_FUNCTION_CONTROLS) : 0;
        ackInterruptOnExit = (v.get(PRIMARY_VM_EXIT_CONTROLS) & EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT) != 0;
        vmx.externalInterruptExiting = (pin & PIN_EXTERNAL_INTERRUPT_EXITING) != 0;
        vmx.nmiExiting = (pin & PIN_NMI_EXITING) != 0;
        vmx.virtualNmis = (pin & PIN_VIRTUAL_NMIS) != 0;
        vmx.busLockDetection = (proc2 & PROC2_VMM_BUS_LOCK_DETECTION) != 0;
        vmx.blocksInit = false;
    }

    /** After a VM exit (or an entry failure): the pin-based event controls no longer apply. */
    void clearOnExit() {
        vmx.externalInterruptExiting = false;
        vmx.nmiExiting = false;
        vmx.virtualNmis = false;
        vmx.busLockDetection = false;
        vmx.blocksInit = vmx.inOperation;
    }

    private boolean has(PrimaryProcBasedControl ctl) {
        return (proc & ctl.mask()) != 0;
    }

    private boolean has(SecondaryProcBasedControl ctl) {
        return (proc2 & ctl.mask()) != 0;
    }

    private boolean has(PinBasedControl ctl) {
        return (pin & ctl.mask()) != 0;
    }

    private static VmExitEvent exit(ExitReason reason, long qualification, DecodedInstruction d) {
        return VmExitEvent.instruction(reason.number(), qualification, d.length);
    }

    // ---------------------------------------------------------------- events

    /**
     * SDM "Exceptions" (VMX non-root operation): a hardware exception, INT1, INT3 or INTO exits
     * if its bit in the exception bitmap is 1 (for #PF: when the error-code mask/match test
     * agrees with bit 14); an NMI exits with "NMI exiting", an external interrupt with
     * "external-interrupt exiting". Exit reason 0 (or 1) with the VM-exit interruption
     * information.
     */
    void event(int type, int vector, int errorCode, boolean hasErrorCode, int instructionLength) {
        boolean exits;
        int reason = ExitReason.EXCEPTION_OR_NMI.number();
        switch (type) {
            case InterruptionType.HARDWARE_EXCEPTION:
            case InterruptionType.PRIVILEGED_SOFTWARE_EXCEPTION:
            case InterruptionType.SOFTWARE_EXCEPTION:
                if (vector == 14) {
                    // SDM "Exceptions": "If bit 14 is 1, a page fault causes a VM exit if and only
                    // if PFEC & PFEC_MASK = PFEC_MATCH" (the reverse with bit 14 = 0).
                    boolean matches = (errorCode & pfErrorCodeMask) == pfErrorCodeMatch;
                    exits = ((exceptionBitmap >>> 14) & 1) != 0 ? matches : !matches;
                } else {
                    exits = ((exceptionBitmap >>> vector) & 1) != 0;
                }
                break;
            case InterruptionType.NMI:
                exits = has(PinBasedControl.NMI_EXITING);
                break;
            case InterruptionType.EXTERNAL_INTERRUPT:
                exits = has(PinBasedControl.EXTERNAL_INTERRUPT_EXITING);
                reason = ExitReason.EXTERNAL_INTERRUPT.number();
                break;
            default:
                exits = false;
                break;
        }
        if (!exits) {
            return;
        }
        int info = 1 << 31 | type << 8 | vector | (hasErrorCode ? 1 << 11 : 0);
        if (type == InterruptionType.EXTERNAL_INTERRUPT
                && (vmx.current.get(PRIMARY_VM_EXIT_CONTROLS) & ExitControl.ACKNOWLEDGE_INTERRUPT_ON_EXIT.mask()) == 0) {
            // SDM "Basic VM-Exit Information": without "acknowledge interrupt on exit" the
            // interruption information is not valid. DEVIATION: the controller has already
            // acknowledged the interrupt; it is not left pending.
            info = 0;
        }
        vmx.exits.pendingInterruptionInfo = info;
        vmx.exits.pendingInterruptionErrorCode = errorCode;
        // SDM "Exit Qualification for Exceptions": the faulting linear address for #PF.
        // DEVIATION: CR2 has already been written by the page walk; the SDM leaves it unchanged.
        long qualification = type != InterruptionType.EXTERNAL_INTERRUPT && vector == 14 ? c.cr2 : 0;
        if (InterruptionType.isSoftware(type)) {
            throw VmExitEvent.instruction(reason, qualification, instructionLength);
        }
        throw VmExitEvent.of(reason, qualification);
    }

    /**
     * SDM "External-Interrupt Exiting": with "acknowledge interrupt on exit" the processor
     * acknowledges the interrupt controller and the exit's interruption information holds the
     * vector (type 0, valid); without it the interrupt stays pending and the field is invalid.
     */
    void debugException(long bits) {
        if ((exceptionBitmap >>> 1 & 1) == 0) {
            return;
        }
        vmx.exits.pendingInterruptionInfo = 1 << 31 | InterruptionType.HARDWARE_EXCEPTION << 8 | 1;
        // SDM "Exit Qualification for Debug Exceptions": B0-B3 (bits 3:0), BD (13), BS (14).
        throw VmExitEvent.of(ExitReason.EXCEPTION_OR_NMI.number(), bits & 0x600F);
    }

    void externalInterrupt() {
        int info = 0;
        if (ackInterruptOnExit) {
            int vector = c.pendingEvents().acknowledgeInterrupt();
            if (vmx.apic.posted.isNotification(vector)) {
                // SDM "Posted-Interrupt Processing": the notification vector causes no VM exit.
                vmx.apic.posted.process();
                return;
            }
            info = 1 << 31 | vector;
        }
        vmx.exits.pendingInterruptionInfo = info;
        throw VmExitEvent.of(ExitReason.EXTERNAL_INTERRUPT.number(), 0);
    }

    // ---------------------------------------------------------------- conditional exits

    void hlt(DecodedInstruction d) {
        if (has(PrimaryProcBasedControl.HLT_EXITING)) {
            throw exit(ExitReason.HLT, 0, d);
        }
    }

    void invlpg(DecodedInstruction d, long linear) {
        if (has(PrimaryProcBasedControl.INVLPG_EXITING)) {
            // SDM "Exit Qualification for ... INVLPG": the linear-address operand.
            throw exit(ExitReason.INVLPG, linear, d);
        }
    }

    void invpcid(DecodedInstruction d) {
        // SDM "INVPCID": exits if "INVLPG exiting" and "enable INVPCID" are both 1.
        if (has(PrimaryProcBasedControl.INVLPG_EXITING) && has(SecondaryProcBasedControl.ENABLE_INVPCID)) {
            throw VmExitEvent.instruction(ExitReason.INVPCID.number(), InstructionInformation.qualification(d, c),
                    d.length, InstructionInformation.encode(ExitReason.INVEPT, d, c));
        }
    }

    void rdpmc(DecodedInstruction d) {
        if (has(PrimaryProcBasedControl.RDPMC_EXITING)) {
            throw exit(ExitReason.RDPMC, 0, d);
        }
    }

    /**
     * SDM "Changes to Instruction Behavior in VMX Non-Root Operation": "If the 'enable RDTSCP'
     * VM-execution control is 0, RDTSCP causes an invalid-opcode exception (#UD)", and so does
     * RDPID.
     */
    boolean rdtscpEnabled() {
        return has(SecondaryProcBasedControl.ENABLE_RDTSCP);
    }

    /** SDM "INVPCID": "If the 'enable INVPCID' VM-execution control is 0, INVPCID causes a #UD". */
    boolean invpcidEnabled() {
        return has(SecondaryProcBasedControl.ENABLE_INVPCID);
    }

    /** RDTSC/RDTSCP: "RDTSC exiting", else TSC offsetting and scaling ({@link GuestTsc}). */
    long rdtsc(DecodedInstruction d, long tsc) {
        if (has(PrimaryProcBasedControl.RDTSC_EXITING)) {
            throw exit(d.mnemonic == Mnemonic.RDTSCP ? ExitReason.RDTSCP : ExitReason.RDTSC, 0, d);
        }
        return this.tsc.read(tsc);
    }

    /** RDMSR of IA32_TSC that does not exit: the TSC with offsetting and scaling. */
    long guestTsc(long tsc) {
        return this.tsc.read(tsc);
    }

    void rdrand(DecodedInstruction d) {
        boolean rdseed = d.mnemonic == Mnemonic.RDSEED;
        if (has(rdseed ? SecondaryProcBasedControl.RDSEED_EXITING : SecondaryProcBasedControl.RDRAND_EXITING)) {
            // SDM table "Format of the VM-Exit Instruction-Information Field as Used for RDRAND,
            // RDSEED, TPAUSE, and UMWAIT": destination register in 6:3, operand size in 12:11.
            // MANUAL: the undefined bit 10 is 1 (the "register operand" bit of the other formats;
            // Bochs 2.7 sets it too), the other undefined bits 0.
            int size = d.size[0] == 2 ? 0 : d.size[0] == 4 ? 1 : 2;
            int info = d.reg[0] << 3 | 1 << 10 | size << 11;
            throw VmExitEvent.instruction((rdseed ? ExitReason.RDSEED : ExitReason.RDRAND).number(), 0, d.length, info);
        }
    }

    /**
     * SDM "RDMSR"/"WRMSR" (VMX non-root): exit unless "use MSR bitmaps" is 1 and the bitmap bit
     * of ECX is 0; MSRs outside 00000000H-00001FFFH and C0000000H-C0001FFFH always exit.
     */
    void msr(DecodedInstruction d, int index, boolean write) {
        ExitReason reason = write ? ExitReason.WRMSR : ExitReason.RDMSR;
        if (!has(PrimaryProcBasedControl.USE_MSR_BITMAPS)) {
            throw exit(reason, 0, d);
        }
        long offset;
        if (index >= 0 && index <= 0x1FFF) {
            offset = 0;
        } else if (index >= 0xC0000000 && index <= 0xC0001FFF) {
            offset = 0x400;
        } else {
            throw exit(reason, 0, d);
        }
        if (write) {
            offset += 0x800;
        }
        int bit = index & 0x1FFF;
        if ((c.memory().read8(msrBitmaps + offset + (bit >>> 3)) >>> (bit & 7) & 1) != 0) {
            throw exit(reason, 0, d);
        }
    }

    // ---------------------------------------------------------------- control registers

    /** SDM "Exit Qualification for Control-Register Accesses": CR, access type, GPR (and LMSW data). */
    private static long crQualification(int cr, int accessType, int gpr) {
        return cr | accessType << 4 | (long) gpr << 8;
    }

    long movToCr(DecodedInstruction d, int cr, int gpr, long value) {
        switch (cr) {
            case 0:
                // SDM "Changes to Instruction Behavior in VMX Non-Root Operation", MOV to CR0:
                // exits if a bit set in the mask differs from the read shadow; otherwise the
                // masked bits of CR0 are left unmodified.
                if (((value ^ cr0Shadow) & cr0Mask) != 0) {
                    throw exit(ExitReason.CONTROL_REGISTER_ACCESSES, crQualification(0, 0, gpr), d);
                }
                return (value & ~cr0Mask) | (c.cr0 & cr0Mask);
            case 4:
                if (((value ^ cr4Shadow) & cr4Mask) != 0) {
                    throw exit(ExitReason.CONTROL_REGISTER_ACCESSES, crQualification(4, 0, gpr), d);
                }
                return (value & ~cr4Mask) | (c.cr4 & cr4Mask);
            case 3:
                // SDM "Instructions That Cause VM Exits Conditionally": MOV to CR3 exits with
                // "CR3-load exiting" unless the value equals one of the first CR3-target-count
                // CR3-target values.
                if (has(PrimaryProcBasedControl.CR3_LOAD_EXITING)) {
                    for (int i = 0; i < cr3TargetCount; i++) {
                        if (cr3Targets[i] == value) {
                            return value;
                        }
                    }
                    throw exit(ExitReason.CONTROL_REGISTER_ACCESSES, crQualification(3, 0, gpr), d);
                }
                return value;
            case 8:
                if (has(PrimaryProcBasedControl.CR8_LOAD_EXITING)) {
                    throw exit(ExitReason.CONTROL_REGISTER_ACCESSES, crQualification(8, 0, gpr), d);
                }
                return value;
            default:
                return value;
        }
    }

    long movFromCr(DecodedInstruction d, int cr, int gpr, long value) {
        switch (cr) {
            case 0:
                return readShadowedCr0(value);
            case 4:
                // SDM "Changes to Instruction Behavior...", MOV from CR4: masked bits read from the shadow.
                return (value & ~cr4Mask) | (cr4Shadow & cr4Mask);
            case 3:
                if (has(PrimaryProcBasedControl.CR3_STORE_EXITING)) {
                    throw exit(ExitReason.CONTROL_REGISTER_ACCESSES, crQualification(3, 1, gpr), d);
                }
                return value;
            case 8:
                if (has(PrimaryProcBasedControl.CR8_STORE_EXITING)) {
                    throw exit(ExitReason.CONTROL_REGISTER_ACCESSES, crQualification(8, 1, gpr), d);
                }
                // SDM "Virtualizing CR8-Based TPR Accesses": with "use TPR shadow", VTPR[7:4].
                return has(PrimaryProcBasedControl.USE_TPR_SHADOW) ? vmx.apic.readCr8() : value;
            default:
                return value;
        }
    }

    /** MOV from CR0 and SMSW: the bits set in the CR0 guest/host mask read from the CR0 read shadow. */
    long readShadowedCr0(long cr0) {
        return (cr0 & ~cr0Mask) | (cr0Shadow & cr0Mask);
    }

    /**
     * SDM "Instructions That Cause VM Exits Conditionally", CLTS: exits if bit 3 (TS) is set in
     * both the CR0 guest/host mask and the CR0 read shadow; with TS masked but clear in the
     * shadow, CR0.TS is not modified.
     */
    long clts(DecodedInstruction d, long newCr0) {
        long ts = Cpu.CR0_TS;
        if ((cr0Mask & ts) != 0) {
            if ((cr0Shadow & ts) != 0) {
                throw exit(ExitReason.CONTROL_REGISTER_ACCESSES, crQualification(0, 2, 0), d);
            }
            return (newCr0 & ~ts) | (c.cr0 & ts);
        }
        return newCr0;
    }

    /**
     * LMSW: exits if a bit among PE/MP/EM/TS (3:0) is set in the mask and the source differs
     * from the shadow there (for PE: the source sets PE while the shadow's PE is 0); otherwise
     * the masked bits of CR0 are not modified. The qualification carries the source data in
     * bits 31:16 and whether it came from memory (bit 6); {@code linear} is a memory operand's
     * linear address.
     */
    long lmsw(DecodedInstruction d, int source, long newCr0, long linear) {
        long mask = cr0Mask & 0xF;
        boolean exits = ((mask & 1) != 0 && (source & 1) != 0 && (cr0Shadow & 1) == 0)
                || ((source ^ cr0Shadow) & mask & 0xE) != 0;
        if (exits) {
            boolean memory = d.operandCount > 0 && VmxOperands.isMemory(d, 0);
            long q = crQualification(0, 3, 0) | (memory ? 1L << 6 : 0) | (long) (source & 0xFFFF) << 16;
            if (!memory) {
                throw exit(ExitReason.CONTROL_REGISTER_ACCESSES, q, d);
            }
            // SDM "Guest Linear Address": "VM exits due to attempts to execute LMSW with a memory
            // operand" report the operand's linear address.
            throw new VmExitEvent(ExitReason.CONTROL_REGISTER_ACCESSES.number(), q, linear, 0, d.length, 0,
                    VmExitEvent.GUEST_LINEAR | VmExitEvent.INSTRUCTION_LENGTH);
        }
        return (newCr0 & ~mask) | (c.cr0 & mask);
    }

    /** SDM "Exit Qualification for MOV DR": DR number 2:0, direction 4 (1 = MOV from DR), GPR 11:8. */
    void movDr(DecodedInstruction d, int dr, int gpr, boolean toDr) {
        if (has(PrimaryProcBasedControl.MOV_DR_EXITING)) {
            throw exit(ExitReason.MOV_DR, dr | (toDr ? 0 : 1 << 4) | (long) gpr << 8, d);
        }
    }

    // ---------------------------------------------------------------- I/O

    /**
     * SDM "I/O Instructions" (VMX non-root): with "use I/O bitmaps" the access exits if the bit
     * of any port it touches is 1 in bitmap A (0000H-7FFFH) or B (8000H-FFFFH), or if it wraps
     * past FFFFH; otherwise "unconditional I/O exiting" decides. The qualification follows SDM
     * "Exit Qualification for I/O Instructions".
     */
    void io(DecodedInstruction d, int port, int size, boolean in, int segment, long linear) {
        boolean exits;
        if (has(PrimaryProcBasedControl.USE_IO_BITMAPS)) {
            exits = port + size - 1 > 0xFFFF;
            for (int p = port; p < port + size && !exits; p++) {
                long bitmap = p < 0x8000 ? ioBitmapA : ioBitmapB;
                int bit = p & 0x7FFF;
                exits = (c.memory().read8(bitmap + (bit >>> 3)) >>> (bit & 7) & 1) != 0;
            }
        } else {
            exits = has(PrimaryProcBasedControl.UNCONDITIONAL_IO_EXITING);
        }
        if (!exits) {
            return;
        }
        boolean string = segment >= 0;
        boolean rep = string && (d.prefixes & (dev.vmx4j.core.decoder.Prefix.REP | dev.vmx4j.core.decoder.Prefix.REPNE)) != 0;
        boolean immediate = !string && d.kind[in ? 1 : 0] == dev.vmx4j.core.decoder.OperandKind.IMM;
        long q = (size - 1) | (in ? 1 << 3 : 0) | (string ? 1 << 4 : 0) | (rep ? 1 << 5 : 0)
                | (immediate ? 1 << 6 : 0) | (long) port << 16;
        if (!string) {
            throw exit(ExitReason.IO_INSTRUCTION, q, d);
        }
        // SDM "Guest Linear Address": for INS and OUTS, "the linear address generated by
        // ES:(E)DI (for INS) or segment:(E)SI (for OUTS)" of the iteration that exits.
        // SDM table "Format of the VM-Exit Instruction-Information Field as Used for INS and
        // OUTS" (IA32_VMX_BASIC[54] = 1): address size in bits 9:7, the segment in bits 17:15
        // (OUTS: the source segment; "undefined for VM exits due to execution of INS": MANUAL,
        // the instruction's DS-or-override segment, as Bochs); the other bits undefined (0).
        int info = InstructionInformation.addressSizeCode(d) << 7 | (in ? d.memSegment : segment) << 15;
        throw new VmExitEvent(ExitReason.IO_INSTRUCTION.number(), q, linear, 0, d.length, info,
                VmExitEvent.GUEST_LINEAR | VmExitEvent.INSTRUCTION_LENGTH | VmExitEvent.INSTRUCTION_INFO);
    }

    // ---------------------------------------------------------------- the rest

    void descriptorTable(DecodedInstruction d) {
        if (!has(SecondaryProcBasedControl.DESCRIPTOR_TABLE_EXITING)) {
            return;
        }
        Mnemonic m = d.mnemonic;
        boolean gdtIdt = m == Mnemonic.LGDT || m == Mnemonic.LIDT || m == Mnemonic.SGDT || m == Mnemonic.SIDT;
        throw VmExitEvent.instruction((gdtIdt ? ExitReason.ACCESS_TO_GDTR_OR_IDTR : ExitReason.ACCESS_TO_LDTR_OR_TR)
                .number(), InstructionInformation.qualification(d, c), d.length, InstructionInformation.descriptorTable(d, c.is64BitMode()));
    }

    void monitor(DecodedInstruction d) {
        if (has(PrimaryProcBasedControl.MONITOR_EXITING)) {
            throw exit(ExitReason.MONITOR, 0, d);
        }
    }

    void mwait(DecodedInstruction d) {
        if (has(PrimaryProcBasedControl.MWAIT_EXITING)) {
            // SDM "Exit Qualification for MWAIT": bit 0 is 1 if the monitoring hardware is armed.
            throw exit(ExitReason.MWAIT, vmx.monitorArmed ? 1 : 0, d);
        }
    }

    /**
     * SDM "Instructions That Cause VM Exits Conditionally", PAUSE: "PAUSE exiting" exits at any
     * CPL; otherwise, at CPL 0, "PAUSE-loop exiting" ({@link PauseLoop}) on the TSC.
     */
    void pause(DecodedInstruction d) {
        if (has(PrimaryProcBasedControl.PAUSE_EXITING)) {
            throw exit(ExitReason.PAUSE, 0, d);
        }
        if (pauseLoop.enabled && c.cpl == 0 && pauseLoop.pause(c.tsc())) {
            throw exit(ExitReason.PAUSE, 0, d);
        }
    }

    void wbinvd(DecodedInstruction d) {
        if (has(SecondaryProcBasedControl.WBINVD_EXITING)) {
            throw exit(ExitReason.WBINVD_OR_WBNOINVD, 0, d);
        }
    }

    // ---------------------------------------------------------------- VM functions

    boolean unrestrictedGuest() {
        return has(SecondaryProcBasedControl.UNRESTRICTED_GUEST);
    }

    boolean vmFunctionsEnabled() {
        return has(SecondaryProcBasedControl.ENABLE_VM_FUNCTIONS);
    }

    /**
     * SDM "VMFUNC—Invoke VM function": a function number of 64 or more, one whose bit in the
     * VM-function controls is 0, or a failing function causes a VM exit (reason 59, qualification
     * 0); otherwise the function ran ({@link VmFunctions}) and VMFUNC completes.
     */
    void vmfunc(DecodedInstruction d) {
        if (!VmFunctions.invoke(vmx, c, vmFunctionControls)) {
            throw exit(ExitReason.VMFUNC, 0, d);
        }
    }
}
