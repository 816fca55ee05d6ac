package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuException;
import dev.vmx4j.core.cpu.VmExitEvent;
import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * The VMX unit of one logical processor: the seam between the CPU core and VMX operation.
 *
 * <p>The core holds it in a final field ({@code Cpu.vmx}) and pays for it only where an
 * instruction can exit: each such instruction tests {@link #nonRoot} (one boolean field) at the
 * point SDM "Relative Priority of Faults and VM Exits" gives its exit, i.e. after the
 * instruction's own #UD, CPL/IOPL and TSS-bitmap checks, and then calls one method here. That
 * method decides from the current VMCS whether the instruction exits; if it does, it throws a
 * {@link VmExitEvent}, which the step loop catches once and hands to {@link #exit}. Methods that
 * return a {@code long} are value paths: what the guest sees when the instruction does not exit
 * (CR0/CR4 read shadows, TSC offsetting and scaling, the CR0 guest/host mask on writes).
 *
 * <p>Every intercept method is called only in VMX non-root operation ({@link #nonRoot} = true)
 * and takes the decoded instruction (its length and operands give the VM-exit instruction length
 * and instruction information).
 *
 * <p>Status: this class is the seam laid by the core reshaping; VM entry is not implemented, so
 * {@link #nonRoot} is never true yet and the intercepts that depend on VM-execution controls say
 * so loudly ({@link IllegalStateException}) instead of guessing. The unconditional exits (SDM
 * "Instructions That Cause VM Exits Unconditionally"), the task-switch exit and the triple-fault
 * exit are complete.
 */
public final class Vmx {

    // SDM appendix "VMX Basic Exit Reasons" (the ones raised in this class).
    private static final int TRIPLE_FAULT = 2;
    private static final int TASK_SWITCH = 9;
    private static final int CPUID = 10;
    private static final int GETSEC = 11;
    private static final int INVD = 13;
    private static final int XSETBV = 55;

    private final Cpu cpu;

    /**
     * True in VMX non-root operation. PERF: the only VMX state the core reads on its own; every
     * intercept call site is {@code if (vmx.nonRoot) vmx.x(...)}.
     */
    public boolean nonRoot;

    /**
     * The pin-based controls the CPU's event model reads, set by VM entry (and cleared by VM
     * exit): "external-interrupt exiting", "NMI exiting", "virtual NMIs".
     */
    public boolean externalInterruptExiting;
    public boolean nmiExiting;
    public boolean virtualNmis;
    /** SDM "INIT": INIT signals are blocked in VMX root operation (set by VMXON, cleared by VMXOFF). */
    public boolean blocksInit;

    public Vmx(Cpu cpu) {
        this.cpu = cpu;
    }

    public Cpu cpu() {
        return cpu;
    }

    // ---------------------------------------------------------------- the step loop

    /**
     * Performs VM exit {@code e} (SDM "VM Exits": record the exit information, save guest state,
     * load host state). Called by the step loop for every {@link VmExitEvent} it catches, including
     * one raised while an event was being delivered (then the CPU's record of that event supplies
     * the IDT-vectoring information). Never throws an architectural event.
     *
     * @throws IllegalStateException outside VMX non-root operation: only non-root code raises exits,
     *         so reaching this is an emulator defect
     */
    public void exit(VmExitEvent e) {
        if (!nonRoot) {
            throw new IllegalStateException("VM exit (" + e.getMessage() + ") outside VMX non-root operation");
        }
        throw notYet("the VM-exit recorder");
    }

    // ---------------------------------------------------------------- VMX instructions

    /**
     * VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD, VMWRITE, VMLAUNCH, VMRESUME, VMCALL,
     * VMFUNC, INVEPT, INVVPID in any operation (outside VMX operation, in root and in non-root).
     */
    public void execute(DecodedInstruction d) {
        // DEVIATION: VMX operation is not implemented yet: every VMX instruction is #UD, as a
        // processor without VMX reports it (SDM "VMXON": #UD if CPUID.1:ECX.VMX[bit 5] = 0).
        throw CpuException.ud();
    }

    // ---------------------------------------------------------------- unconditional exits

    /** SDM "Instructions That Cause VM Exits Unconditionally": CPUID. */
    public void cpuid(DecodedInstruction d) {
        throw VmExitEvent.instruction(CPUID, 0, d.length);
    }

    /** GETSEC (called after its #UD for CR4.SMXE = 0, which has priority). */
    public void getsec(DecodedInstruction d) {
        throw VmExitEvent.instruction(GETSEC, 0, d.length);
    }

    /** INVD (after its CPL check). */
    public void invd(DecodedInstruction d) {
        throw VmExitEvent.instruction(INVD, 0, d.length);
    }

    /** XSETBV (after its #UD and CPL checks). */
    public void xsetbv(DecodedInstruction d) {
        throw VmExitEvent.instruction(XSETBV, 0, d.length);
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
        throw instructionLength == 0 ? VmExitEvent.of(TASK_SWITCH, qualification)
                : VmExitEvent.instruction(TASK_SWITCH, qualification, instructionLength);
    }

    /** SDM "Exceptions" (VMX non-root operation): a triple fault always exits. */
    public void tripleFault() {
        throw VmExitEvent.of(TRIPLE_FAULT, 0);
    }

    // ---------------------------------------------------------------- events

    /**
     * Before an event is delivered through the IDT in VMX non-root operation: the exception
     * bitmap (with the #PF error-code mask and match) for hardware exceptions, INT1, INT3 and
     * INTO; NMI exiting for NMIs. {@code type} is an {@code InterruptionType};
     * {@code instructionLength} is the length of a software event's instruction, else 0.
     */
    public void event(int type, int vector, int errorCode, boolean hasErrorCode, int instructionLength) {
        throw notYet("the exception bitmap");
    }

    /**
     * An external interrupt with "external-interrupt exiting" = 1 (SDM "External-Interrupt
     * Exiting"): acknowledges it if "acknowledge interrupt on exit" is 1
     * ({@code PendingEvents.acknowledgeInterrupt}) and exits.
     */
    public void externalInterrupt() {
        throw notYet("external-interrupt exiting");
    }

    // ---------------------------------------------------------------- conditional exits

    /** HLT (after its CPL check): "HLT exiting". */
    public void hlt(DecodedInstruction d) {
        throw notYet("HLT exiting");
    }

    /** INVLPG (after its CPL check): "INVLPG exiting"; {@code linear} is the operand's linear address. */
    public void invlpg(DecodedInstruction d, long linear) {
        throw notYet("INVLPG exiting");
    }

    /** INVPCID (after its #UD and CPL checks, before the operand is read): "INVLPG exiting" with "enable INVPCID". */
    public void invpcid(DecodedInstruction d) {
        throw notYet("INVPCID exiting");
    }

    /** RDPMC (after its CR4.PCE/CPL check): "RDPMC exiting". */
    public void rdpmc(DecodedInstruction d) {
        throw notYet("RDPMC exiting");
    }

    /**
     * RDTSC and RDTSCP (after their #UD and CR4.TSD checks): "RDTSC exiting"; if no exit, the
     * TSC the guest reads given the processor's {@code tsc} (TSC offsetting and scaling).
     */
    public long rdtsc(DecodedInstruction d, long tsc) {
        throw notYet("RDTSC exiting and TSC offsetting");
    }

    /** RDRAND and RDSEED (after their #UD check): "RDRAND exiting", "RDSEED exiting". */
    public void rdrand(DecodedInstruction d) {
        throw notYet("RDRAND/RDSEED exiting");
    }

    /** RDMSR (after its CPL check, before the MSR-existence #GP): the MSR bitmaps. */
    public void rdmsr(DecodedInstruction d, int index) {
        throw notYet("the MSR bitmaps");
    }

    /** WRMSR (after its CPL check, before any check of the MSR or the value): the MSR bitmaps. */
    public void wrmsr(DecodedInstruction d, int index) {
        throw notYet("the MSR bitmaps");
    }

    /**
     * MOV to CR0/CR3/CR4/CR8 (after the CPL check and the #UD for a CR that does not exist,
     * before the checks on the value): CR0/CR4 guest/host masks against the read shadows,
     * CR3-load exiting and the CR3-target values, CR8-load exiting and the TPR shadow. If no
     * exit, returns the value the instruction then loads (its checks still apply).
     */
    public long movToCr(DecodedInstruction d, int cr, int gpr, long value) {
        throw notYet("control-register exiting");
    }

    /**
     * MOV from CR0/CR2/CR3/CR4/CR8 (after the CPL check): CR3-store and CR8-store exiting; if no
     * exit, the value the guest reads ({@code value} with the read shadow in the masked CR0/CR4
     * bits, or the TPR shadow for CR8).
     */
    public long movFromCr(DecodedInstruction d, int cr, int gpr, long value) {
        throw notYet("control-register exiting");
    }

    /** CLTS (after its CPL check): exits if CR0.TS is masked and set in the shadow; returns the CR0 to load. */
    public long clts(DecodedInstruction d, long newCr0) {
        throw notYet("CLTS and the CR0 guest/host mask");
    }

    /**
     * LMSW (after its CPL check and its operand read): exits if a masked bit of the source
     * differs from the shadow; returns the CR0 to load. {@code source} is the 16-bit operand.
     */
    public long lmsw(DecodedInstruction d, int source, long newCr0) {
        throw notYet("LMSW and the CR0 guest/host mask");
    }

    /** SMSW (after its UMIP check): the CR0 the guest reads (read shadow in the masked bits). */
    public long smsw(DecodedInstruction d, long cr0) {
        throw notYet("the CR0 read shadow");
    }

    /** MOV to/from DR0-DR7 (after the #UD for DR4/DR5 with CR4.DE and the CPL check, before the DR7.GD #DB). */
    public void movDr(DecodedInstruction d, int dr, int gpr, boolean toDr) {
        throw notYet("MOV-DR exiting");
    }

    /**
     * IN, OUT, INS, OUTS (after the IOPL and TSS I/O-bitmap checks, before any memory access):
     * unconditional I/O exiting and the I/O bitmaps.
     */
    public void io(DecodedInstruction d, int port, int size, boolean in) {
        throw notYet("I/O exiting");
    }

    /**
     * LGDT, LIDT, SGDT, SIDT, LLDT, LTR, SLDT, STR (after their #UD, CPL and UMIP checks, before
     * the memory operand is accessed): "descriptor-table exiting".
     */
    public void descriptorTable(DecodedInstruction d) {
        throw notYet("descriptor-table exiting");
    }

    /** MONITOR (after its CPL check): "MONITOR exiting". */
    public void monitor(DecodedInstruction d) {
        throw notYet("MONITOR exiting");
    }

    /** MWAIT (after its CPL check): "MWAIT exiting". */
    public void mwait(DecodedInstruction d) {
        throw notYet("MWAIT exiting");
    }

    /** PAUSE: "PAUSE exiting" and PAUSE-loop exiting. */
    public void pause(DecodedInstruction d) {
        throw notYet("PAUSE exiting");
    }

    /** WBINVD (after its CPL check): "WBINVD exiting". */
    public void wbinvd(DecodedInstruction d) {
        throw notYet("WBINVD exiting");
    }

    private static IllegalStateException notYet(String what) {
        return new IllegalStateException("VMX non-root operation: " + what + " is not implemented");
    }
}
