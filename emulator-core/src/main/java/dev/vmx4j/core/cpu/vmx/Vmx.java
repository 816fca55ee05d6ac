package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.VmExitEvent;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.vmx.controls.VmxCapabilities;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The VMX unit of one logical processor: VMX operation state (SDM "VMX Operation"), the active
 * VMCSs, and the seam between the CPU core and VMX.
 *
 * <p>The core holds it in a final field ({@code Cpu.vmx}) and pays for it only where an
 * instruction can exit: each such instruction tests {@link #nonRoot} (one boolean field) at the
 * point SDM "Relative Priority of Faults and VM Exits" gives its exit, i.e. after the
 * instruction's own #UD, CPL/IOPL and TSS-bitmap checks, and then calls one method here. That
 * method decides from the current VMCS whether the instruction exits ({@link Intercepts}); if it
 * does, it throws a {@link VmExitEvent}, which the step loop catches once and hands to
 * {@link #exit}. Methods that return a {@code long} are value paths: what the guest sees when
 * the instruction does not exit (CR0/CR4 read shadows, TSC offsetting, the CR0 guest/host mask
 * on writes).
 *
 * <p>Who does what: {@link VmxInstructions} (and {@link InvalidationInstructions}) execute the
 * VMX instructions; {@link VmEntry} performs VM entry; {@link VmExit} records VM exits and loads
 * host state; {@link Intercepts} decides the conditional exits from the VM-execution controls.
 * Each CPU has its own {@code Vmx}: its VMXON region, its current VMCS and its active VMCSs.
 */
public final class Vmx {

    /** CR4.VMXE (SDM "Control Registers"). */
    public static final long CR4_VMXE = 1L << 13;
    static final int IA32_FEATURE_CONTROL = 0x3A;
    static final long FEATURE_CONTROL_LOCK = 1;
    static final long FEATURE_CONTROL_VMX_OUTSIDE_SMX = 1L << 2;

    private final Cpu cpu;
    final VmxCapabilities caps;
    final VmxInstructions instructions;
    final VmEntry entry;
    final VmExit exits;
    final Intercepts intercepts;
    final ExtensionIntercepts extensions;
    final VmcsShadowing shadowing;
    final VmxEvents events;
    /** The TPR shadow, the APIC-access page, x2APIC virtualization, virtual interrupts, posted interrupts. */
    final ApicVirtualization apic;
    final dev.vmx4j.mmu.ept.EptpValidator eptpValidator;
    /** The named VM-entry checks (null on a processor without VMX). */
    final EntryChecks entryChecks;

    /**
     * True in VMX non-root operation. PERF: the only VMX state the core reads on its own; every
     * intercept call site is {@code if (vmx.nonRoot) vmx.x(...)}.
     */
    public boolean nonRoot;
    /**
     * The pin-based controls the CPU's event model reads, set by VM entry and cleared by VM exit:
     * "external-interrupt exiting", "NMI exiting", "virtual NMIs".
     */
    public boolean externalInterruptExiting;
    public boolean nmiExiting;
    public boolean virtualNmis;
    /**
     * The secondary control "VMM bus-lock detection" of the running guest: set by VM entry,
     * cleared by VM exit; while true the step loop looks for bus locks ({@code BusLockDetection})
     * and the fast engines step.
     */
    public boolean busLockDetection;
    /** SDM "INIT": INIT signals are blocked in VMX root operation (set by VMXON, cleared by VMXOFF and VM entry). */
    public boolean blocksInit;
    /**
     * The monitoring hardware is armed: set by MONITOR, cleared when MWAIT completes (SDM
     * "Exit Qualification for MWAIT": bit 0 of an MWAIT exit's qualification). MANUAL: stores to
     * the monitored range do not disarm it (no address range is monitored).
     */
    public boolean monitorArmed;
    /** True in VMX operation (root or non-root), between VMXON and VMXOFF. */
    boolean inOperation;
    /** The VMXON pointer (SDM "Enabling and Entering VMX Operation"), valid in VMX operation. */
    long vmxonPointer;
    /** The current VMCS (SDM "VMCS Status"), or null for the current-VMCS pointer FFFFFFFF_FFFFFFFFH. */
    Vmcs current;
    /** The active VMCSs by physical address (the current one among them). */
    final Map<Long, Vmcs> active = new LinkedHashMap<>();
    /** VM exits and VM-entry failures performed so far. */
    long exitCount;
    /** A run limit: stop the run loop after the next VM exit. */
    boolean stopAtExit;
    final HostApi hostApi;

    public Vmx(Cpu cpu) {
        this.cpu = cpu;
        this.caps = VmxCapabilities.of(cpu.profile());
        this.instructions = new VmxInstructions(this, cpu);
        this.entry = new VmEntry(this, cpu);
        this.exits = new VmExit(this, cpu);
        this.intercepts = new Intercepts(this, cpu);
        this.extensions = new ExtensionIntercepts(this);
        this.shadowing = new VmcsShadowing(this, cpu);
        this.events = new VmxEvents(this, cpu);
        this.apic = new ApicVirtualization(this, cpu);
        this.entryChecks = caps.supported() ? new EntryChecks(cpu) : null;
        this.hostApi = new HostApi(this, cpu);
        this.eptpValidator = new dev.vmx4j.mmu.ept.EptpValidator(caps.ept(), cpu.profile().maxPhysicalAddressBits());
    }

    public Cpu cpu() {
        return cpu;
    }

    /** The Java host API's entry point (module-internal; {@code dev.vmx4j.core.vmx.VmxHost} wraps it). */
    public HostApi hostApi() {
        return hostApi;
    }

    /**
     * The diagnostic of the last VM entry that failed one of the named checks (VMfailValid 7/8,
     * exit 33/34), or null: which rule, which field, which bits.
     */
    public dev.vmx4j.vmx.entry.EntryDiagnostic lastEntryFailure() {
        return entryChecks == null ? null : entryChecks.lastFailure;
    }

    /** True between VMXON and VMXOFF. */
    public boolean inVmxOperation() {
        return inOperation;
    }

    /** The current-VMCS pointer: the current VMCS's address, or FFFFFFFF_FFFFFFFFH if none. */
    public long currentVmcsPointer() {
        return current == null ? -1L : current.address;
    }

    /** The VMXON pointer, or FFFFFFFF_FFFFFFFFH outside VMX operation. */
    public long vmxonPointer() {
        return inOperation ? vmxonPointer : -1L;
    }

    /** The value of {@code field} in the current VMCS (for the host API and tests); the VMCS must be current. */
    public long currentField(VmcsField field) {
        if (current == null) {
            throw new IllegalStateException("there is no current VMCS");
        }
        return current.get(field);
    }

    /** After a reset (SDM "Processor State After Reset"): outside VMX operation, no active VMCS. */
    public void reset() {
        nonRoot = false;
        monitorArmed = false;
        externalInterruptExiting = false;
        nmiExiting = false;
        virtualNmis = false;
        busLockDetection = false;
        blocksInit = false;
        inOperation = false;
        vmxonPointer = 0;
        current = null;
        active.clear();
    }

    // ---------------------------------------------------------------- the step loop

    /**
     * Performs VM exit {@code e} (SDM "VM Exits": record the exit information, save guest state,
     * load host state). Called by the step loop for every {@link VmExitEvent} it catches.
     *
     * @throws IllegalStateException outside VMX non-root operation: only non-root code raises exits,
     *         so reaching this is an emulator defect
     */
    public void exit(VmExitEvent e) {
        if (!nonRoot) {
            throw new IllegalStateException("VM exit (" + e.getMessage() + ") outside VMX non-root operation");
        }
        exits.perform(e);
    }

    // ---------------------------------------------------------------- VMX instructions

    /**
     * VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD, VMWRITE, VMLAUNCH, VMRESUME, VMCALL,
     * VMFUNC, INVEPT, INVVPID in any operation (outside VMX operation, in root and in non-root).
     */
    public void execute(DecodedInstruction d) {
        instructions.execute(d);
    }

    // ---------------------------------------------------------------- VMX operation state

    void enterVmxOperation(long vmxon) {
        inOperation = true;
        blocksInit = true;
        vmxonPointer = vmxon;
        current = null;
    }

    /** SDM "VMXOFF": leaves VMX operation; the active VMCSs stay in the processor's memory of them. */
    void leaveVmxOperation() {
        inOperation = false;
        blocksInit = false;
        current = null;
    }

    /** SDM "VMCLEAR": writes the VMCS data to its region, launch state clear, no longer active. */
    void clear(long addr) {
        Vmcs v = active.remove(addr);
        if (v == null) {
            v = Vmcs.readFrom(cpu.memory(), addr);
        }
        v.setLaunched(false);
        v.writeTo(cpu.memory());
        if (current == v) {
            current = null;
        }
    }

    /** SDM "VMPTRLD": the VMCS at {@code addr} becomes active (loaded from its region if it was not) and current. */
    void makeCurrent(long addr) {
        Vmcs v = active.get(addr);
        if (v == null) {
            v = Vmcs.readFrom(cpu.memory(), addr);
            active.put(addr, v);
        }
        current = v;
    }

    /** Bit 31 of the current VMCS's first doubleword (the shadow-VMCS indicator). */
    boolean currentIsShadow() {
        return current != null && cpu.memory().read32(current.address) < 0;
    }

    /** SDM "Interruptibility State": blocking by MOV SS (VMLAUNCH/VMRESUME fail with error 26). */
    boolean blockedByMovSs() {
        return (VmxCpuAccess.interruptibility(cpu) & VmxCpuAccess.BLOCKING_BY_MOV_SS) != 0;
    }

    /** The VM exit a VMX instruction causes in VMX non-root operation, with its information. */
    VmExitEvent instructionExit(ExitReason reason, DecodedInstruction d) {
        return VmExitEvent.instruction(reason.number(), InstructionInformation.qualification(d, cpu), d.length,
                InstructionInformation.encode(reason, d, cpu));
    }

    // ---------------------------------------------------------------- capabilities

    /** IA32_VMX_BASIC[30:0]. */
    int revisionId() {
        return caps.vmcsRevisionId();
    }

    /** MAXPHYADDR, or 32 when IA32_VMX_BASIC[48] limits VMX addresses to 32 bits. */
    int physicalAddressWidth() {
        return caps.physicalAddressesLimitedTo32Bits() ? 32 : cpu.profile().maxPhysicalAddressBits();
    }

    /** The VMCS field VMREAD/VMWRITE names with {@code encoding}, if this processor supports it; else null. */
    VmcsField supportedField(long encoding) {
        if ((encoding >>> 32) != 0) {
            return null;
        }
        VmcsField f = VmcsField.byEncoding((int) encoding);
        return f != null && caps.hasField(f) ? f : null;
    }

    /** IA32_VMX_MISC[29]: VMWRITE may write the VM-exit information fields. */
    boolean vmwriteToAnyField() {
        return caps.vmwriteToAnyField();
    }

    boolean vmcsShadowingAllowed() {
        return caps.allowed(dev.vmx4j.vmx.controls.SecondaryProcBasedControl.VMCS_SHADOWING, true);
    }

    boolean eptSupported() {
        return caps.allowed(dev.vmx4j.vmx.controls.SecondaryProcBasedControl.ENABLE_EPT, true);
    }

    boolean vpidSupported() {
        return caps.allowed(dev.vmx4j.vmx.controls.SecondaryProcBasedControl.ENABLE_VPID, true);
    }

    long eptVpidCap() {
        return caps.eptVpidCapMsr();
    }

    /** An EPTP INVEPT accepts (SDM "Checks on VMX Controls", the EPT-pointer bullets). */
    boolean validEptp(long eptp) {
        return eptpValidator.check(eptp) == dev.vmx4j.mmu.ept.EptpCheck.OK;
    }

    /** SDM "Restrictions on VMX Operation": CR0 and CR4 against IA32_VMX_CR0/CR4_FIXED0/FIXED1. */
    boolean fixedBitsHold(long cr0, long cr4) {
        return (cr0 & caps.cr0Fixed0()) == caps.cr0Fixed0() && (cr0 & ~caps.cr0Fixed1() & 0xFFFFFFFFL) == 0
                && (cr4 & caps.cr4Fixed0()) == caps.cr4Fixed0() && (cr4 & ~caps.cr4Fixed1()) == 0;
    }

    // ---------------------------------------------------------------- CR0 and CR4 in VMX operation

    /**
     * SDM "VMX-Fixed Bits in CR0": in VMX operation (root and non-root) a MOV to CR0 (or CLTS,
     * LMSW) whose result clears a bit set in IA32_VMX_CR0_FIXED0 or sets a bit clear in
     * IA32_VMX_CR0_FIXED1 is #GP(0). With "unrestricted guest", PE and PG are free in VMX
     * non-root operation (SDM "Unrestricted Guests").
     */
    public void checkCr0(long value) {
        if (!inOperation) {
            return;
        }
        long fixed0 = caps.cr0Fixed0();
        if (nonRoot && intercepts.unrestrictedGuest()) {
            fixed0 &= ~(Cpu.CR0_PE | Cpu.CR0_PG);
        }
        if ((value & fixed0) != fixed0 || (value & ~caps.cr0Fixed1() & 0xFFFFFFFFL) != 0) {
            throw dev.vmx4j.core.cpu.CpuException.gp(0);
        }
    }

    /**
     * SDM "VMX-Fixed Bits in CR4": the same for CR4 (so CR4.VMXE cannot be cleared in VMX
     * operation); and SDM "VMXON" / "Control Registers": setting CR4.VMXE on a processor
     * without VMX is #GP(0) (a reserved bit there).
     */
    public void checkCr4(long value) {
        if ((value & CR4_VMXE) != 0 && !caps.supported()) {
            throw dev.vmx4j.core.cpu.CpuException.gp(0);
        }
        if (inOperation && ((value & caps.cr4Fixed0()) != caps.cr4Fixed0() || (value & ~caps.cr4Fixed1()) != 0)) {
            throw dev.vmx4j.core.cpu.CpuException.gp(0);
        }
    }

    // ---------------------------------------------------------------- VM functions

    boolean vmFunctionsEnabled() {
        return intercepts.vmFunctionsEnabled();
    }

    void vmfunc(DecodedInstruction d) {
        intercepts.vmfunc(d);
    }

    // ---------------------------------------------------------------- unconditional exits

    /** SDM "Instructions That Cause VM Exits Unconditionally": CPUID. */
    public void cpuid(DecodedInstruction d) {
        throw cpuidExit(d);
    }

    /**
     * The VM exit {@code d} causes in VMX non-root operation before any of its effects, or null:
     * SDM "Instructions That Cause VM Exits Unconditionally" for the instruction no fault can
     * precede (CPUID: no CPL, mode or operand check comes first; a LOCK prefix does not decode).
     * The step loop takes it straight away (PERF: no unwinding from the instruction's semantics
     * to the step loop's catch, which is costly while the path runs in the interpreter or C1
     * code); the instruction's own semantics raise the same exit when reached another way.
     */
    public VmExitEvent exitBeforeExecution(DecodedInstruction d) {
        return d.mnemonic == Mnemonic.CPUID ? cpuidExit(d) : null;
    }

    /**
     * CPUID's exit for each instruction length (1-15; index 0 unused). PERF: an exit event is
     * immutable and carries no stack trace, cause or suppressed exceptions, and its consumers
     * (the step loop, {@code VmExit.perform}) only read its fields, so one instance per length
     * serves every CPUID exit instead of a new Throwable per exit (the bench-vmexit round trip).
     */
    private static final VmExitEvent[] CPUID_EXITS = new VmExitEvent[DecodedInstruction.MAX_LENGTH + 1];

    static {
        for (int length = 1; length <= DecodedInstruction.MAX_LENGTH; length++) {
            CPUID_EXITS[length] = VmExitEvent.instruction(ExitReason.CPUID.number(), 0, length);
        }
    }

    private static VmExitEvent cpuidExit(DecodedInstruction d) {
        return CPUID_EXITS[d.length];
    }

    /** GETSEC (called after its #UD for CR4.SMXE = 0, which has priority). */
    public void getsec(DecodedInstruction d) {
        throw VmExitEvent.instruction(ExitReason.GETSEC.number(), 0, d.length);
    }

    /** INVD (after its CPL check). */
    public void invd(DecodedInstruction d) {
        throw VmExitEvent.instruction(ExitReason.INVD.number(), 0, d.length);
    }

    /** XSETBV (after its #UD and CPL checks). */
    public void xsetbv(DecodedInstruction d) {
        throw VmExitEvent.instruction(ExitReason.XSETBV.number(), 0, d.length);
    }

    /**
     * SDM "Task Switches" (VMX non-root operation): any task switch exits, after the checks on a
     * task gate, the new TSS selector and the new TSS descriptor (type, P, S, limit).
     * {@code source} is the qualification's encoding (SDM "Exit Qualification for Task Switches":
     * 0 CALL, 1 IRET, 2 JMP, 3 task gate in the IDT); {@code instructionLength} is 0 for a task
     * gate reached by an event that is not a software event.
     */
    public void taskSwitch(int selector, int source, int instructionLength) {
        long qualification = (selector & 0xFFFFL) | ((long) (source & 3) << 30);
        throw instructionLength == 0 ? VmExitEvent.of(ExitReason.TASK_SWITCH.number(), qualification)
                : VmExitEvent.instruction(ExitReason.TASK_SWITCH.number(), qualification, instructionLength);
    }

    /** SDM "Exceptions" (VMX non-root operation): a triple fault always exits. */
    public void tripleFault() {
        throw VmExitEvent.of(ExitReason.TRIPLE_FAULT.number(), 0);
    }

    // ---------------------------------------------------------------- events

    /**
     * Before an event is delivered through the IDT in VMX non-root operation: the exception
     * bitmap (with the #PF error-code mask and match) for hardware exceptions, INT1, INT3 and
     * INTO; NMI exiting for NMIs. {@code type} is an {@code InterruptionType};
     * {@code instructionLength} is the length of a software event's instruction, else 0.
     */
    public void event(int type, int vector, int errorCode, boolean hasErrorCode, int instructionLength) {
        intercepts.event(type, vector, errorCode, hasErrorCode, instructionLength);
    }

    /**
     * An external interrupt with "external-interrupt exiting" = 1 (SDM "External-Interrupt
     * Exiting"): acknowledges it if "acknowledge interrupt on exit" is 1
     * ({@code PendingEvents.acknowledgeInterrupt}) and exits with reason 1, unless it is the
     * posted-interrupt notification vector: then posted-interrupt processing runs and the
     * method returns (SDM "Posted-Interrupt Processing").
     */
    public void externalInterrupt() {
        intercepts.externalInterrupt();
    }

    /** A debug trap with DR6-like {@code bits} about to be delivered: exits if the exception bitmap's bit 1 is 1. */
    public void debugException(long bits) {
        intercepts.debugException(bits);
    }


    // ---------------------------------------------------------------- APIC virtualization

    /**
     * MOV to CR8 after its checks (no CR8-load exit): with "use TPR shadow" the value goes to
     * VTPR[7:4] and TPR virtualization follows (SDM "Virtualizing CR8-Based TPR Accesses");
     * returns true then, false if the instruction loads CR8 normally.
     */
    public boolean writeCr8(long value) {
        if (!apic.tprShadow) {
            return false;
        }
        apic.writeCr8(value);
        return true;
    }

    /** A read of {@code size} bytes at {@code offset} of the APIC-access page: virtualized, or an APIC-access VM exit. */
    public long apicAccessRead(int offset, int size) {
        return apic.read(offset, size);
    }

    /** A write to the APIC-access page: virtualized (with APIC-write emulation), or an APIC-access VM exit. */
    public void apicAccessWrite(int offset, int size, long value) {
        apic.write(offset, size, value);
    }

    /**
     * The APIC-access VM exit for an access at {@code offset} of type {@code accessType} (SDM
     * "Exit Qualification for APIC-Access VM Exits...": 0 read, 1 write, 2 instruction fetch).
     */
    public VmExitEvent apicAccessExit(int offset, int accessType) {
        return apic.accessExit(offset, dev.vmx4j.vmx.exit.ApicAccessQualification.AccessType.byCode(accessType));
    }

    /**
     * Bit 12 ("NMI unblocking due to IRET") of the qualification a virtualization exception
     * writes to the #VE information area, for an EPT violation of the instruction in progress.
     */
    public long virtualizationExceptionNmiUnblocking() {
        return NmiUnblocking.virtualizationExceptionBit(this, cpu);
    }

    /**
     * The APIC-access VM exit for a guest-physical access at {@code guestPhysicalAddress} (a
     * guest paging-structure access or PDPTE load whose EPT translation is on the APIC-access page).
     */
    public VmExitEvent apicAccessGuestPhysicalExit(long guestPhysicalAddress) {
        return apic.guestPhysicalAccessExit(guestPhysicalAddress);
    }

    /** RDMSR of an x2APIC MSR after the MSR bitmap: true if "virtualize x2APIC mode" reads it from the virtual-APIC page. */
    public boolean virtualizesRdmsr(int index) {
        return apic.virtualizesRdmsr(index);
    }

    /** The value a virtualized RDMSR of x2APIC MSR {@code index} returns. */
    public long virtualRdmsr(int index) {
        return apic.rdmsr(index);
    }

    /**
     * WRMSR after the MSR bitmap: true if "virtualize x2APIC mode" virtualized it (TPR, EOI,
     * SELF IPI); throws #GP(0) for a value the SDM rejects there.
     */
    public boolean virtualWrmsr(int index, long value) {
        return apic.wrmsr(index, value);
    }

    /** The trap-like APIC-virtualization VM exit the events model found pending. */
    public VmExitEvent apicTrapExit() {
        return apic.trapExit();
    }

    /** Delivers the recognized virtual interrupt: updates the virtual-APIC state and returns its vector. */
    public int deliverVirtualInterrupt() {
        return apic.deliverVirtualInterrupt();
    }

    // ---------------------------------------------------------------- conditional exits

    /** HLT (after its CPL check): "HLT exiting". */
    public void hlt(DecodedInstruction d) {
        intercepts.hlt(d);
    }

    /** INVLPG (after its CPL check): "INVLPG exiting"; {@code linear} is the operand's linear address. */
    public void invlpg(DecodedInstruction d, long linear) {
        intercepts.invlpg(d, linear);
    }

    /** INVPCID (after its #UD and CPL checks, before the operand is read): "INVLPG exiting" with "enable INVPCID". */
    public void invpcid(DecodedInstruction d) {
        intercepts.invpcid(d);
    }

    /** RDPMC (after its CR4.PCE/CPL check): "RDPMC exiting". */
    public void rdpmc(DecodedInstruction d) {
        intercepts.rdpmc(d);
    }

    /**
     * RDTSC and RDTSCP (after their #UD and CR4.TSD checks): "RDTSC exiting"; if no exit, the
     * TSC the guest reads given the processor's {@code tsc} (TSC offsetting).
     */
    public long rdtsc(DecodedInstruction d, long tsc) {
        return intercepts.rdtsc(d, tsc);
    }

    /** RDRAND and RDSEED (after their #UD check): "RDRAND exiting", "RDSEED exiting". */
    public void rdrand(DecodedInstruction d) {
        intercepts.rdrand(d);
    }

    /** RDMSR (after its CPL check, before the MSR-existence #GP): the MSR bitmaps. */
    public void rdmsr(DecodedInstruction d, int index) {
        intercepts.msr(d, index, false);
    }

    /** RDMSR of IA32_TSC that did not exit: the value the guest reads (TSC offsetting and scaling). */
    public long guestTsc(long tsc) {
        return intercepts.guestTsc(tsc);
    }

    /** XSAVES and XRSTORS: false if "enable XSAVES/XRSTORS" is 0 (they are #UD in VMX non-root operation). */
    public boolean xsavesEnabled() {
        return extensions.xsavesEnabled;
    }

    /** XSAVES and XRSTORS (after their #UD, #NM and CPL checks): the XSS-exiting bitmap. */
    public void xsaves(DecodedInstruction d, long mask, long xss) {
        extensions.xsaves(d, mask, xss, cpu);
    }

    /** UMONITOR, UMWAIT, TPAUSE: false if "enable user wait and pause" is 0 (#UD in VMX non-root operation). */
    public boolean userWaitEnabled() {
        return extensions.userWaitEnabled;
    }

    /** UMWAIT and TPAUSE (after their #UD and CR4.TSD checks): "RDTSC exiting". */
    public void userWait(DecodedInstruction d) {
        extensions.userWait(d);
    }

    /** LOADIWKEY (after its #UD, #NM and CPL checks): "LOADIWKEY exiting". */
    public void loadIwKey(DecodedInstruction d) {
        extensions.loadIwKey(d);
    }

    /** The instruction-timeout window in TSC ticks if "instruction timeout" is 1, else -1. */
    public long instructionTimeoutWindow() {
        return extensions.instructionTimeoutWindow;
    }

    /** An event delivery that never reaches an instruction boundary, with "instruction timeout" = 1: exit 75. */
    public void instructionTimeout() {
        extensions.instructionTimeout();
    }

    /**
     * The processor TSC ticks a guest wait of {@code guestTicks} guest TSC ticks lasts (SDM
     * "Changes to Instruction Behavior in VMX Non-Root Operation", UMWAIT/TPAUSE: the delay
     * divided by the TSC scaling).
     */
    public long hostTicks(long guestTicks) {
        return intercepts.tsc.hostTicks(guestTicks);
    }

    /** RDTSCP and RDPID: false if "enable RDTSCP" is 0 (they are #UD in VMX non-root operation). */
    public boolean rdtscpEnabled() {
        return intercepts.rdtscpEnabled();
    }

    /** INVPCID: false if "enable INVPCID" is 0 (it is #UD in VMX non-root operation). */
    public boolean invpcidEnabled() {
        return intercepts.invpcidEnabled();
    }

    /** WRMSR (after its CPL check, before any check of the MSR or the value): the MSR bitmaps. */
    public void wrmsr(DecodedInstruction d, int index) {
        intercepts.msr(d, index, true);
    }

    /**
     * MOV to CR0/CR3/CR4/CR8 (after the CPL check and the #UD for a CR that does not exist,
     * before the checks on the value): CR0/CR4 guest/host masks against the read shadows,
     * CR3-load exiting and the CR3-target values, CR8-load exiting. If no exit, returns the
     * value the instruction then loads (its checks still apply).
     */
    public long movToCr(DecodedInstruction d, int cr, int gpr, long value) {
        return intercepts.movToCr(d, cr, gpr, value);
    }

    /**
     * MOV from CR0/CR2/CR3/CR4/CR8 (after the CPL check): CR3-store and CR8-store exiting; if no
     * exit, the value the guest reads ({@code value} with the read shadow in the masked CR0/CR4
     * bits).
     */
    public long movFromCr(DecodedInstruction d, int cr, int gpr, long value) {
        return intercepts.movFromCr(d, cr, gpr, value);
    }

    /** CLTS (after its CPL check): exits if CR0.TS is masked and set in the shadow; returns the CR0 to load. */
    public long clts(DecodedInstruction d, long newCr0) {
        return intercepts.clts(d, newCr0);
    }

    /**
     * LMSW (after its CPL check and its operand read): exits if a masked bit of the source
     * differs from the shadow; returns the CR0 to load. {@code source} is the 16-bit operand.
     */
    public long lmsw(DecodedInstruction d, int source, long newCr0, long linear) {
        return intercepts.lmsw(d, source, newCr0, linear);
    }

    /** SMSW (after its UMIP check): the CR0 the guest reads (read shadow in the masked bits). */
    public long smsw(DecodedInstruction d, long cr0) {
        return intercepts.readShadowedCr0(cr0);
    }

    /** MOV to/from DR0-DR7 (after the #UD for DR4/DR5 with CR4.DE and the CPL check, before the DR7.GD #DB). */
    public void movDr(DecodedInstruction d, int dr, int gpr, boolean toDr) {
        intercepts.movDr(d, dr, gpr, toDr);
    }

    /**
     * IN, OUT, INS, OUTS (after the IOPL and TSS I/O-bitmap checks, before any memory access):
     * unconditional I/O exiting and the I/O bitmaps. For INS/OUTS {@code segment} is the string
     * operand's segment register and {@code linear} its linear address; -1 and 0 for IN/OUT.
     */
    public void io(DecodedInstruction d, int port, int size, boolean in, int segment, long linear) {
        intercepts.io(d, port, size, in, segment, linear);
    }

    /**
     * LGDT, LIDT, SGDT, SIDT, LLDT, LTR, SLDT, STR (after their #UD, CPL and UMIP checks, before
     * the memory operand is accessed): "descriptor-table exiting".
     */
    public void descriptorTable(DecodedInstruction d) {
        intercepts.descriptorTable(d);
    }

    /** MONITOR (after its CPL check): "MONITOR exiting". */
    public void monitor(DecodedInstruction d) {
        intercepts.monitor(d);
    }

    /** MWAIT (after its CPL check): "MWAIT exiting". */
    public void mwait(DecodedInstruction d) {
        intercepts.mwait(d);
    }

    /** PAUSE: "PAUSE exiting". */
    public void pause(DecodedInstruction d) {
        intercepts.pause(d);
    }

    /** WBINVD (after its CPL check): "WBINVD exiting". */
    public void wbinvd(DecodedInstruction d) {
        intercepts.wbinvd(d);
    }
}
