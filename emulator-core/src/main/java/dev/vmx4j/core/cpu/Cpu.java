package dev.vmx4j.core.cpu;

import dev.vmx4j.core.ExceptionListener;
import dev.vmx4j.core.InterruptListener;
import dev.vmx4j.core.IoListener;
import dev.vmx4j.core.MemoryListener;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.cpu.alu.Alu;
import dev.vmx4j.core.cpu.alu.LazyFlags;
import dev.vmx4j.core.cpu.vmx.Vmx;
import dev.vmx4j.core.decoder.DecodeStatus;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.SegmentRegister;
import dev.vmx4j.core.devices.apic.InterruptController;
import dev.vmx4j.core.devices.apic.LocalApic;
import dev.vmx4j.core.io.IoBus;
import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * One logical processor: architectural state, the memory access path and the step loop.
 *
 * <p>Object graph: {@code Cpu} owns its state as fields (general registers in {@link #gpr},
 * hot scalars such as {@link #rip}, {@link #cr0}, {@link #cpl}, {@link #cycles}), eight
 * preallocated {@link SegmentState}s, an {@link Mmu} (translation + software TLB), a
 * {@link DecodeCache}, an {@link Exec} (the instruction semantics), an {@link EventDelivery}
 * (exception and interrupt delivery through the IDT), {@link PendingEvents} (what happens between
 * instructions), {@link MsrAccess} (the MSR rules), the VMX unit {@link #vmx} and the state view
 * {@link CpuState}. It does not know the machine: listeners reach it through an
 * {@link InstructionHook}, and module-internal code finds it through {@link CpuOwner}.
 *
 * <p>The loop, per step: (0) events: one compare, {@code cycles >= eventCheck}; only when it holds
 * does {@link PendingEvents#poll} take the highest-priority unblocked event; (1) fetch: CS:RIP to a
 * physical address and a cached or freshly decoded instruction (while RIP stays on the
 * {@link #codePage current code page}, a bitmap test and an array index); (2) tell the instruction
 * listeners; (3) execute, writing the next RIP into {@link #nextRip} (an instruction that can
 * cause a VM exit tests {@code vmx.nonRoot} at its SDM point); (4) retire: RIP = next RIP, charge
 * the cycle cost, count the instruction; (5) an {@link ArchitecturalEvent} thrown anywhere in 1-4
 * is caught once ({@link #takeEvent}): a {@link CpuException} is delivered through the IVT/IDT
 * (with the double-fault rules), leaving RIP at the faulting instruction; a {@link VmExitEvent}
 * goes to the VMX unit.
 */
public final class Cpu {

    // ---------------------------------------------------------------- architectural constants

    public static final long CR0_PE = 1L;
    public static final long CR0_MP = 1L << 1;
    public static final long CR0_EM = 1L << 2;
    public static final long CR0_TS = 1L << 3;
    public static final long CR0_ET = 1L << 4;
    public static final long CR0_NE = 1L << 5;
    public static final long CR0_WP = 1L << 16;
    public static final long CR0_AM = 1L << 18;
    public static final long CR0_NW = 1L << 29;
    public static final long CR0_CD = 1L << 30;
    public static final long CR0_PG = 1L << 31;

    public static final long CR4_DE = 1L << 3;
    public static final long CR4_PSE = 1L << 4;
    public static final long CR4_PAE = 1L << 5;
    public static final long CR4_PGE = 1L << 7;
    public static final long CR4_LA57 = 1L << 12;
    public static final long CR4_FSGSBASE = 1L << 16;
    public static final long CR4_PCIDE = 1L << 17;
    public static final long CR4_SMAP = 1L << 21;
    public static final long CR4_PKE = 1L << 22;

    public static final long EFER_SCE = 1L;
    public static final long EFER_LME = 1L << 8;
    public static final long EFER_LMA = 1L << 10;
    public static final long EFER_NXE = 1L << 11;

    public static final long RF_CF = 1L;
    public static final long RF_PF = 1L << 2;
    public static final long RF_AF = 1L << 4;
    public static final long RF_ZF = 1L << 6;
    public static final long RF_SF = 1L << 7;
    public static final long RF_TF = 1L << 8;
    public static final long RF_IF = 1L << 9;
    public static final long RF_DF = 1L << 10;
    public static final long RF_OF = 1L << 11;
    public static final long RF_IOPL = 3L << 12;
    public static final long RF_NT = 1L << 14;
    public static final long RF_RF = 1L << 16;
    public static final long RF_VM = 1L << 17;
    public static final long RF_AC = 1L << 18;
    public static final long RF_VIF = 1L << 19;
    public static final long RF_VIP = 1L << 20;
    public static final long RF_ID = 1L << 21;
    /** The six arithmetic flags, kept in {@link #flags}. */
    public static final long ARITH_FLAGS = RF_CF | RF_PF | RF_AF | RF_ZF | RF_SF | RF_OF;
    /** Bits of RFLAGS that exist; the rest read as 0 (bit 1 reads as 1). */
    public static final long RFLAGS_DEFINED = ARITH_FLAGS | RF_TF | RF_IF | RF_DF | RF_IOPL | RF_NT | RF_RF
            | RF_VM | RF_AC | RF_VIF | RF_VIP | RF_ID;

    public static final int SEG_ES = 0;
    public static final int SEG_CS = 1;
    public static final int SEG_SS = 2;
    public static final int SEG_DS = 3;
    public static final int SEG_FS = 4;
    public static final int SEG_GS = 5;
    public static final int SEG_LDTR = 6;
    public static final int SEG_TR = 7;

    // ---------------------------------------------------------------- wiring

    final GuestMemory memory;
    final IoBus io;
    final CpuProfile profile;
    final boolean referenceMode;
    final Mmu mmu;
    final DecodeCache decodeCache;
    final InstructionDecoder decoder;
    final Exec exec;
    final EventDelivery events;
    final Msrs msrs;
    final Pmu pmu;
    /** The MSR rules (existence, raw access, RDMSR/WRMSR checks). */
    final MsrAccess msrAccess;
    final Features features;
    /**
     * The VMX unit. PERF: a final field of a final class; the core reads only its
     * {@code nonRoot} flag, and only in the instructions that can exit.
     */
    public final Vmx vmx;
    /** Events between instructions: pending mask, blocking, activity, arbitration. */
    final PendingEvents pending;
    /** The view of every VMCS-mappable piece of state, with {@link CpuState#refreshDerivedState()}. */
    private final CpuState state;
    /** The MTRR MSRs (IA32_MTRRCAP from the profile), validated by ept-mmu's memory-typing model. */
    dev.vmx4j.mmu.memtype.Mtrrs mtrrs;

    // ---------------------------------------------------------------- state

    /** RAX..R15. Width rules live in {@link #reg(int, int)} and {@link #setReg(int, int, long)}. */
    public final long[] gpr = new long[16];
    public long rip;
    /** The RIP of the instruction after the current one; branches overwrite it. */
    long nextRip;
    /** RFLAGS without the six arithmetic flags; bit 1 always set. */
    long rflagsRest = 2;
    /** The arithmetic flags (lazy in fast mode, eager in reference mode). */
    final LazyFlags flags;
    /** The integer ALU, bound to {@link #flags}. */
    final Alu alu;

    public long cr0;
    public long cr2;
    public long cr3;
    public long cr4;
    public long cr8;
    public long efer;
    public long xcr0 = 1;
    /** PKRU, the user-mode protection-key rights register (WRPKRU/RDPKRU). */
    public int pkru;
    /** The x87 FPU and MMX state. */
    final dev.vmx4j.core.cpu.x87.X87Unit x87 = new dev.vmx4j.core.cpu.x87.X87Unit();
    /** XMM0-15: register n's low quadword at 2n, high at 2n+1. */
    public final long[] xmm = new long[32];
    final long[] iwKey = new long[7]; // Key Locker's internal wrapping key (KeyLocker): write-only for software
    int mxcsr = 0x1F80; // MXCSR, reset value 1F80H (all exceptions masked)
    final long[] sseScratch = new long[2]; // scratch for SSE source operands (no allocation per instruction)
    public final long[] dr = new long[8];
    public final SegmentState[] seg = new SegmentState[8];
    public long gdtrBase;
    public int gdtrLimit;
    public long idtrBase;
    public int idtrLimit;

    /** Current privilege level, 0-3. */
    public int cpl;
    /** Decode mode: 16, 32 or 64. */
    int codeMode;
    /** True in 64-bit mode (IA-32e mode with CS.L=1). */
    boolean mode64;
    /** Stack address size in bytes: 2, 4 or 8. */
    int stackSize;
    /** Access bits of explicit data accesses: {@link PageTranslator#USER} at CPL 3, {@link PageTranslator#AC} under SMAP with RFLAGS.AC. */
    int userAccess;

    long cycles;
    long retired;
    /** Retired instructions plus delivered events: what instruction budgets count. */
    long steps;
    long tscOffset;
    long rngState;

    /**
     * The activity state (SDM encodings). PERF: read once per step by the loop ({@code != ACTIVE});
     * changed only through {@link PendingEvents#setActivity}.
     */
    ActivityState activity = ActivityState.ACTIVE;
    /**
     * PERF: the one field the loop tests per step, {@code cycles >= eventCheck}: {@link Long#MIN_VALUE}
     * while an event is pending, else the earliest timer deadline (maintained by {@link PendingEvents}).
     */
    long eventCheck;
    /** The bootstrap processor leaves INIT active; an application processor waits for a SIPI. */
    public boolean bootstrapProcessor = true;
    /** Null = none, else the StopReason to return after the current instruction. */
    StopReason stopRequest;
    int stopStatus;
    boolean inListener;

    // ---------------------------------------------------------------- listeners (null when none)

    /** The machine's instruction listeners, or null when there are none. */
    public InstructionHook insnHook;
    public MemoryListener[] memListeners;
    public IoListener[] ioListeners;
    public ExceptionListener[] exceptionListeners;
    public InterruptListener[] interruptListeners;

    // ---------------------------------------------------------------- scratch (no allocation per step)

    private final DecodedInstruction scratch = new DecodedInstruction();
    private final byte[] fetchBuf = new byte[16];

    /** {@code translator} null means the ept-mmu page walker. */
    public Cpu(GuestMemory memory, IoBus io, CpuProfile profile, boolean referenceMode,
               InstructionDecoder decoder, PageTranslator translator, long randomSeed) {
        this.memory = memory;
        this.io = io;
        this.profile = profile;
        this.referenceMode = referenceMode;
        this.decoder = decoder;
        this.flags = new LazyFlags(referenceMode);
        this.alu = new Alu(flags);
        this.mmu = new Mmu(this, memory, !referenceMode,
                translator != null ? translator : new WalkerTranslator(this, memory, profile));
        this.decodeCache = referenceMode ? null : new DecodeCache();
        this.msrs = new Msrs(profile);
        this.pmu = new Pmu(this, profile);
        this.msrAccess = new MsrAccess(this);
        this.features = new Features(profile);
        this.mtrrs = newMtrrs(profile);
        for (int i = 0; i < 8; i++) {
            seg[i] = new SegmentState();
        }
        this.vmx = new Vmx(this);
        this.pending = new PendingEvents(this);
        this.state = new CpuState(this);
        this.exec = new Exec(this);
        this.events = new EventDelivery(this);
        this.rngState = randomSeed;
        if (decodeCache != null) {
            memory.setCodeWriteListener(decodeCache::invalidateFrame);
        }
        reset();
    }

    /**
     * SDM "PDPTE Registers": after a MOV to CR0/CR3/CR4 that leaves PAE paging on, loads the
     * PDPTEs; returns false if one is invalid (the caller raises #GP(0)).
     */
    boolean reloadPdptes() {
        PageTranslator t = mmu.translator;
        return !(t instanceof WalkerTranslator) || ((WalkerTranslator) t).loadPdptes();
    }

    /**
     * The CPU of {@code owner} (a {@code Machine}), for code inside this module (debugger, VMX
     * host API, tests): see {@link CpuOwner}.
     */
    public static Cpu of(CpuOwner owner) {
        return owner.cpu();
    }

    public GuestMemory memory() {
        return memory;
    }

    public CpuProfile profile() {
        return profile;
    }

    /** True in 64-bit mode (IA-32e mode with CS.L = 1). */
    public boolean is64BitMode() {
        return mode64;
    }

    /** The RIP the current instruction retires to (for extensions and system code). */
    public long nextRip() {
        return nextRip;
    }

    public void setNextRip(long value) {
        nextRip = value;
    }

    /** The event whose delivery is in progress (IDT-vectoring information for the VMX unit). */
    public EventRecord delivering() {
        return events.delivering;
    }

    /**
     * After a raw CR0/CR3/CR4/EFER change through the API: reloads the PDPTE registers when PAE
     * paging is on (an invalid PDPTE is left for the walker to report) and flushes the TLB.
     */
    public void pagingStateChanged() {
        reloadPdptes();
        flushTlb();
    }

    /** The paging seam (tests may install their own translator). */
    public void setTranslator(PageTranslator translator) {
        mmu.translator = translator;
        flushTlb();
    }

    public PageTranslator translator() {
        return mmu.translator;
    }

    // ---------------------------------------------------------------- reset

    /** SDM "Processor State After Reset" (power-up column). */
    public void reset() {
        // SDM "Processor State After Reset": XMM0-15 = 0, MXCSR = 1F80H, x87 FCW = 0040H, FTW = 5555H.
        java.util.Arrays.fill(xmm, 0);
        mxcsr = 0x1F80;
        x87.reset();
        mtrrs = newMtrrs(profile);
        msrs.reset();
        pmu.reset();
        vmx.reset();
        tscOffset = -cycles;
        xcr0 = 1;
        pkru = 0;
        cr0 = 0x60000000L; // CD, NW
        resetRegisters();
    }

    /**
     * The INIT signal (SDM "Processor State After Reset", INIT column): as reset, except that
     * x87, SSE, MXCSR, XCR0 and PKRU, the MTRRs and the other MSRs, the TSC and CR0.CD/NW are
     * unchanged.
     */
    void init() {
        cr0 &= CR0_CD | CR0_NW;
        resetRegisters();
    }

    private void resetRegisters() {
        java.util.Arrays.fill(gpr, 0);
        int[] id = new int[4];
        profile.cpuid(1, 0, id);
        // SDM "Processor State After Reset": EDX = 000n06xxH, the processor signature.
        gpr[2] = id[0] & 0xFFFFFFFFL;
        rip = 0xFFF0;
        rflagsRest = 2;
        flags.set(0);
        cr0 = (cr0 & (CR0_CD | CR0_NW)) | CR0_ET;
        cr2 = 0;
        cr3 = 0;
        cr4 = 0;
        cr8 = 0;
        efer = 0;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xFFFF0FF0L;
        dr[7] = 0x400;
        seg[SEG_CS].set(0xF000, 0xFFFF0000L, 0xFFFF, 0x9B);
        for (int s : new int[] {SEG_ES, SEG_SS, SEG_DS, SEG_FS, SEG_GS}) {
            seg[s].set(0, 0, 0xFFFF, 0x93);
        }
        seg[SEG_LDTR].set(0, 0, 0xFFFF, 0x82);
        seg[SEG_TR].set(0, 0, 0xFFFF, 0x8B);
        gdtrBase = 0;
        gdtrLimit = 0xFFFF;
        idtrBase = 0;
        idtrLimit = 0xFFFF;
        cpl = 0;
        activity = ActivityState.ACTIVE;
        pending.reset();
        updateMode();
        flushTlb();
        if (decodeCache != null) {
            decodeCache.clear();
        }
    }

    // ---------------------------------------------------------------- general registers

    /**
     * The one place for register width rules (SDM "General-Purpose Registers in 64-Bit Mode"):
     * a read of size 1, 2, 4 returns the low byte, word, doubleword zero-extended.
     */
    public long reg(int r, int size) {
        // PERF: a mask instead of a switch: sizes vary from one instruction to the next, and a
        // tableswitch at every inlined operand site is an indirect jump the host mispredicts.
        return gpr[r] & widthMask(size);
    }

    /** All ones in the low {@code size} bytes (size 1, 2, 4 or 8; 8 shifts by 0). */
    private static long widthMask(int size) {
        return -1L >>> (64 - (size << 3));
    }

    /**
     * SDM "General-Purpose Registers in 64-Bit Mode": "32-bit operands generate a 32-bit result,
     * zero-extended to a 64-bit result"; 8- and 16-bit operands leave the upper bits unchanged.
     */
    public void setReg(int r, int size, long v) {
        long m = widthMask(size);
        // PERF: branch-free as in reg(): 4- and 8-byte writes keep nothing of the old value.
        long keep = size >= 4 ? 0 : ~m;
        gpr[r] = (gpr[r] & keep) | (v & m);
    }

    /** AH, CH, DH, BH (r = 0..3): bits 15:8 of RAX..RBX. */
    public long regHigh8(int r) {
        return (gpr[r] >>> 8) & 0xFFL;
    }

    public void setRegHigh8(int r, long v) {
        gpr[r] = (gpr[r] & ~0xFF00L) | ((v & 0xFFL) << 8);
    }

    // ---------------------------------------------------------------- RFLAGS

    public long rflags() {
        return rflagsRest | flags.get() | 2;
    }

    /** Raw RFLAGS load (no privilege rules): undefined bits cleared, bit 1 set. */
    public void setRflags(long v) {
        long d = v & RFLAGS_DEFINED;
        long old = rflagsRest;
        flags.set(d & ARITH_FLAGS);
        rflagsRest = (d & ~ARITH_FLAGS) | 2;
        updateAlignmentCheck();
        if ((~old & rflagsRest & RF_IF) != 0) {
            // Interrupts held back by IF = 0 may now be taken (PendingEvents.update).
            pending.update();
        }
    }

    boolean df() {
        return (rflagsRest & RF_DF) != 0;
    }

    int iopl() {
        return (int) (rflagsRest >>> 12) & 3;
    }

    // ---------------------------------------------------------------- modes

    boolean protectedMode() {
        return (cr0 & CR0_PE) != 0 && (rflagsRest & RF_VM) == 0;
    }

    boolean longModeActive() {
        return (efer & EFER_LMA) != 0;
    }

    /** Recomputes the decode mode, stack size and user-access bit after CS, SS, CR0, EFER changes. */
    public void updateMode() {
        SegmentState cs = seg[SEG_CS];
        if ((cr0 & CR0_PE) == 0) {
            mode64 = false;
            codeMode = 16;
            cpl = 0;
        } else if ((rflagsRest & RF_VM) != 0) {
            mode64 = false;
            codeMode = 16;
            cpl = 3;
        } else {
            mode64 = (efer & EFER_LMA) != 0 && (cs.ar & SegmentState.AR_L) != 0;
            codeMode = mode64 ? 64 : (cs.ar & SegmentState.AR_DB) != 0 ? 32 : 16;
        }
        if (mode64) {
            stackSize = 8;
        } else {
            stackSize = (cr0 & CR0_PE) != 0 && (seg[SEG_SS].ar & SegmentState.AR_DB) != 0 ? 4 : 2;
        }
        updateAlignmentCheck();
    }

    public void flushTlb() {
        mmu.flush();
    }

    public int codeMode() {
        return codeMode;
    }

    // ---------------------------------------------------------------- segmentation

    static boolean canonical(long a) {
        // 48-bit linear addresses (4-level paging): bits 63:47 all equal.
        return (a << 16 >> 16) == a;
    }

    /**
     * Offset to linear address with the segmentation checks (SDM "Segment-Level Protection",
     * "Canonical Addressing"). {@code offset} is already truncated to the address size.
     */
    long linear(int s, long offset, int size, boolean write) {
        if (mode64) {
            long lin = s >= SEG_FS && s <= SEG_GS ? offset + seg[s].base : offset;
            // SDM "Canonical Addressing": a non-canonical reference raises #SS(0) for SS, else #GP(0).
            if (!canonical(lin) || !canonical(lin + size - 1)) {
                throw s == SEG_SS ? CpuException.ss(0) : CpuException.gp(0);
            }
            return lin;
        }
        SegmentState sg = seg[s];
        if ((cr0 & CR0_PE) != 0 && (rflagsRest & RF_VM) == 0 && (write ? !sg.writable : !sg.readable)) {
            // SDM "Segment-Level Protection": writing a read-only or code segment, reading an
            // execute-only segment, or using a null (unusable) segment is #GP(0) (#SS(0) for SS).
            throw s == SEG_SS ? CpuException.ss(0) : CpuException.gp(0);
        }
        long last = offset + size - 1;
        if (offset < sg.lowOffset || last > sg.highOffset) {
            throw s == SEG_SS ? CpuException.ss(0) : CpuException.gp(0);
        }
        return (sg.base + offset) & 0xFFFFFFFFL;
    }

    public long readMem(int s, long offset, int size) {
        // PERF: in 64-bit mode the canonical check is made on software-TLB misses (Mmu.read64)
        if (mode64 && !slowDataChecks) {
            return mmu.read64(s, s >= SEG_FS && s <= SEG_GS ? offset + seg[s].base : offset, size, userAccess);
        }
        long lin = linear(s, offset, size, false);
        if (slowDataChecks) {
            Breakpoints.dataChecks(this, lin, size, false);
        }
        return mmu.read(lin, size, userAccess);
    }

    public void writeMem(int s, long offset, int size, long value) {
        if (mode64 && !slowDataChecks) {
            mmu.write64(s, s >= SEG_FS && s <= SEG_GS ? offset + seg[s].base : offset, size, value, userAccess);
            return;
        }
        long lin = linear(s, offset, size, true);
        if (slowDataChecks) {
            Breakpoints.dataChecks(this, lin, size, true);
        }
        mmu.write(lin, size, value, userAccess);
    }

    /** PERF: one flag guards the rarely enabled per-access checks (#AC, data breakpoints). */
    boolean slowDataChecks;

    // ---------------------------------------------------------------- debug registers

    /** True if DR7 enables a data breakpoint (R/W = 01 or 11). */
    boolean dataBreakpoints;
    /** True if DR7 enables an instruction breakpoint (R/W = 00). */
    boolean codeBreakpoints;
    /** True if DR7 enables an I/O breakpoint (R/W = 10, only with CR4.DE). */
    boolean ioBreakpoints;

    /** DR6.B0-B3 bits of data breakpoints hit by the current instruction (a trap after it). */
    int pendingDataBreakpoints;

    /** Recomputes the breakpoint flags after a DR7 write (SDM "Debug Control Register (DR7)"). */
    public void updateDebugState() {
        long dr7 = dr[7];
        boolean data = false;
        boolean code = false;
        boolean io = false;
        for (int i = 0; i < 4; i++) {
            if (((dr7 >>> (2 * i)) & 3) == 0) {
                continue;
            }
            int rw = (int) (dr7 >>> (16 + 4 * i)) & 3;
            if (rw == 0) {
                code = true;
            } else if (rw == 1 || rw == 3) {
                data = true;
            } else if ((cr4 & CR4_DE) != 0) {
                io = true;
            }
        }
        codeBreakpoints = code;
        dataBreakpoints = data;
        ioBreakpoints = io;
        slowDataChecks = alignmentCheck || dataBreakpoints;
    }

    /**
     * SDM "Alignment Checking": #AC(0) on an unaligned data reference when CR0.AM = 1,
     * RFLAGS.AC = 1 and CPL = 3. Recomputed when any of the three changes.
     */
    boolean alignmentCheck;

    void updateAlignmentCheck() {
        alignmentCheck = (cr0 & CR0_AM) != 0 && (rflagsRest & RF_AC) != 0 && cpl == 3;
        slowDataChecks = alignmentCheck || dataBreakpoints;
        // SDM "Access Rights": with CR4.SMAP, a supervisor-mode data access to a user page is
        // allowed only when RFLAGS.AC = 1; the walker reads that from PagingAccess.AC.
        int u = (cpl == 3 ? PageTranslator.USER : 0)
                | (cpl < 3 && (cr4 & CR4_SMAP) != 0 && (rflagsRest & RF_AC) != 0 ? PageTranslator.AC : 0);
        if (u != userAccess) {
            int changed = u ^ userAccess;
            userAccess = u;
            if ((changed & PageTranslator.USER) != 0) {
                mmu.selectBank((u & PageTranslator.USER) != 0);
            }
            if ((changed & PageTranslator.AC) != 0) {
                // SMAP decisions depend on RFLAGS.AC; entries made under the old value are stale.
                flushTlb();
            }
        }
    }

    /** Implicit supervisor-mode read (descriptor tables, IDT, TSS): SDM "Access Rights". */
    long readSystem(long linear, int size) {
        return mmu.read(linear, size, IMPLICIT_SUPERVISOR);
    }

    void writeSystem(long linear, int size, long value) {
        mmu.write(linear, size, value, IMPLICIT_SUPERVISOR);
    }

    /** PagingAccess.IMPLICIT_SUPERVISOR: GDT/LDT/IDT/TSS accesses are supervisor-mode at any CPL. */
    static final int IMPLICIT_SUPERVISOR = 1 << 8;

    /** Loads a segment register in real mode or virtual-8086 mode (no descriptor). */
    void loadSegmentReal(int s, int selector) {
        seg[s].loadReal(selector);
        if (s == SEG_CS || s == SEG_SS) {
            updateMode();
        }
    }

    // ---------------------------------------------------------------- stack

    long stackMask() {
        return stackSize == 8 ? -1L : stackSize == 4 ? 0xFFFFFFFFL : 0xFFFFL;
    }

    /** Pushes {@code size} bytes; RSP changes only if the write succeeded. */
    void push(long value, int size) {
        long mask = stackMask();
        long sp = (gpr[4] - size) & mask;
        writeMem(SEG_SS, sp, size, value);
        gpr[4] = (gpr[4] & ~mask) | sp;
    }

    long pop(int size) {
        long mask = stackMask();
        long sp = gpr[4] & mask;
        long v = readMem(SEG_SS, sp, size);
        gpr[4] = (gpr[4] & ~mask) | ((sp + size) & mask);
        return v;
    }

    /** Reads at RSP + {@code delta} without changing RSP. */
    long peek(long delta, int size) {
        long mask = stackMask();
        return readMem(SEG_SS, (gpr[4] + delta) & mask, size);
    }

    // ---------------------------------------------------------------- time and randomness

    public long tsc() {
        return cycles + tscOffset;
    }

    public void setTsc(long value) {
        tscOffset = value - cycles;
        if (localApic != null) {
            localApic.setTscOffset(tscOffset);
        }
    }

    /** SplitMix64 step: deterministic RDRAND/RDSEED source seeded by the builder. */
    long nextRandom() {
        long z = (rngState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------- MSRs

    private static dev.vmx4j.mmu.memtype.Mtrrs newMtrrs(CpuProfile profile) {
        // SDM "MTRR Initialization": after reset all MTRRs are cleared (IA32_MTRR_DEF_TYPE.E = 0:
        // every access is UC); firmware programs them.
        long cap = profile.hasMsr(0xFE) ? profile.msr(0xFE) : 0;
        return new dev.vmx4j.mmu.memtype.Mtrrs(cap, profile.maxPhysicalAddressBits());
    }

    /** True if this machine implements MSR {@code index}. */
    public boolean hasMsr(int index) {
        return msrAccess.has(index);
    }

    /** Raw MSR read (API and RDMSR after its checks). The caller checked {@link #hasMsr(int)}. */
    public long msr(int index) {
        return msrAccess.read(index);
    }

    /** Raw MSR write without the guest's checks (API). The caller checked {@link #hasMsr(int)}. */
    public void setMsr(int index, long value) {
        msrAccess.write(index, value);
    }

    public void setEfer(long value) {
        efer = value;
        updateMode();
        flushTlb();
    }

    /** Guest RDMSR with its checks ({@code d} null outside an instruction: no VM exit). */
    long rdmsr(DecodedInstruction d, int index) {
        return msrAccess.rdmsr(d, index);
    }

    /** Guest WRMSR with its checks ({@code d} null outside an instruction: no VM exit). */
    void wrmsr(DecodedInstruction d, int index, long value) {
        msrAccess.wrmsr(d, index, value);
    }

    // ---------------------------------------------------------------- the loop

    /**
     * Runs until a budget, breakpoint, HLT, shutdown or stop request. Budgets count from the
     * call. Never lets a guest-caused exception escape.
     */
    public StopReason run(long maxSteps, long maxCycles, long[] breakpoints) {
        // The API may have raised an interrupt line since the last run.
        pending.controllerChanged();
        return runSteps(maxSteps, maxCycles, breakpoints);
    }

    /** {@link #run} for an engine that already told the events model about API changes. */
    StopReason runSteps(long maxSteps, long maxCycles, long[] breakpoints) {
        stopRequest = null;
        stopStatus = 0;
        if (pending.shutdownStops()) {
            return StopReason.SHUTDOWN;
        }
        long startCycles = cycles;
        long cycleLimit = maxCycles == Long.MAX_VALUE ? Long.MAX_VALUE : startCycles + maxCycles;
        if (activity != ActivityState.ACTIVE && !pending.wakesOrSleeps(cycleLimit)) {
            return cycles >= cycleLimit ? StopReason.CYCLE_LIMIT : StopReason.HALTED;
        }
        long stepEnd = steps + maxSteps;
        boolean first = true;
        while (true) {
            if (steps - stepEnd >= 0 && maxSteps != Long.MAX_VALUE) {
                return StopReason.INSTRUCTION_LIMIT;
            }
            if (cycles - startCycles >= maxCycles) {
                return StopReason.CYCLE_LIMIT;
            }
            if (breakpoints.length != 0 && !first && Breakpoints.contains(breakpoints, rip)) {
                return StopReason.BREAKPOINT;
            }
            first = false;
            stepOnce();
            if (activity != ActivityState.ACTIVE) {
                if (pending.shutdownStops()) {
                    return StopReason.SHUTDOWN;
                }
                if (!pending.wakesOrSleeps(cycleLimit)) {
                    return cycles >= cycleLimit ? StopReason.CYCLE_LIMIT : StopReason.HALTED;
                }
            }
            if (stopRequest != null) {
                return stopRequest;
            }
        }
    }

    /** Executes one instruction or delivers the event it raised (or a pending external interrupt). */
    public void stepOnce() {
        // PERF: rare paths live in their own methods so this one stays under HotSpot's
        // FreqInlineSize (325 bytecodes) and inlines into run() together with fetch and the
        // execute front: one compiled loop body per instruction instead of a call.
        if (cycles >= eventCheck && pending.poll()) {
            return;
        }
        // SDM "Single-Step Exception Condition": a #DB trap follows an instruction that began with TF = 1.
        boolean trap = (rflagsRest & RF_TF) != 0;
        boolean resume = (rflagsRest & RF_RF) != 0;
        try {
            if (codeBreakpoints && !resume) {
                Breakpoints.checkCode(this);
            }
            pendingDataBreakpoints = 0;
            DecodedInstruction d = fetch();
            InstructionHook hook = insnHook;
            if (hook != null) {
                notifyInstruction(hook, d);
            }
            if (vmx.nonRoot && VmxCpuAccess.exitedBeforeExecution(this, d)) {
                return;
            }
            exec.execute(d);
            // retire
            rip = nextRip;
            cycles += exec.cost;
            if (!exec.repeating) {
                retired++;
            }
            steps++;
            if (resume) {
                clearResumeFlag(d);
            }
        } catch (ArchitecturalEvent e) {
            steps++;
            takeEvent(e);
            return;
        }
        int dataHits = pendingDataBreakpoints;
        if ((trap || dataHits != 0) && activity != ActivityState.SHUTDOWN) {
            // DR6: BS for single-step, B0-B3 for data breakpoints (a trap after the instruction).
            pending.debugTrap(dataHits | (trap ? PendingEvents.PENDING_DEBUG_BS : 0));
        }
    }

    /**
     * The one place an architectural event raised by an instruction ends up: a fault or trap is
     * delivered through the IVT/IDT with the double-fault rules, a VM exit goes to the VMX unit.
     * SDM "Relative Priority of Faults and VM Exits": a VM exit raised while a fault is being
     * delivered (the exception bitmap, a nested fault's exit, a triple fault) ends the delivery;
     * it is never turned into #DF, because {@link EventDelivery#raise} catches only
     * {@link CpuException}.
     */
    void takeEvent(ArchitecturalEvent e) {
        try {
            if (e instanceof CpuException) {
                CpuException f = (CpuException) e;
                events.raise(f.vector, f.errorCode, f.hasErrorCode);
            } else {
                vmExit((VmExitEvent) e);
            }
        } catch (VmExitEvent x) {
            vmExit(x);
        }
    }

    /** Hands VM exit {@code e} to the VMX unit; the record of an interrupted delivery is consumed. */
    private void vmExit(VmExitEvent e) {
        vmx.exit(e);
        events.delivering.clear();
    }

    private void clearResumeFlag(DecodedInstruction d) {
        if (d.mnemonic != dev.vmx4j.core.decoder.Mnemonic.IRET) {
            // SDM "Debug Exceptions": RF is cleared after any instruction completes (IRET loads it).
            rflagsRest &= ~RF_RF;
        }
    }

    // ---------------------------------------------------------------- external interrupts

    /** The interrupt controllers (docs/INTERRUPTS.md), or null. */
    InterruptController controller;
    /** The local APIC that owns IA32_APIC_BASE, IA32_TSC_DEADLINE, the x2APIC MSRs and CR8, or null. */
    LocalApic localApic;
    /** KVM's hypercall ABI for VMCALL outside VMX operation (a machine with the test device), or null. */
    KvmHypercall kvmHypercall;
    public void setInterruptController(InterruptController ic, LocalApic apic) {
        this.controller = ic;
        this.localApic = apic;
        if (apic != null) {
            apic.setTscOffset(tscOffset);
        }
        pending.controllerChanged();
    }

    /** The state view VM entry, VM exit, snapshots and the debugger use. */
    public CpuState state() {
        return state;
    }

    /** Events between instructions (for the VMX unit and the platform: INIT, SIPI, VMX events, interruptibility). */
    public PendingEvents pendingEvents() {
        return pending;
    }

    /** Marks external interrupt {@code vector} pending; it is delivered when RFLAGS.IF = 1 and nothing blocks it. */
    public void raiseInterrupt(int vector) {
        pending.raiseInterrupt(vector);
    }

    /**
     * Injects an event as VM entry does (SDM "Event Injection"): delivered through the IDT now,
     * before any instruction, not subject to the exception bitmap; a software event
     * ({@link InterruptionType#isSoftware}) returns to RIP + {@code instructionLength}. A fault
     * during delivery is handled as a fault during any delivery (#DF rules, VM exits). A pending
     * MTF VM exit ({@link InterruptionType#OTHER_EVENT}, vector 0) becomes pending instead.
     */
    public void inject(int type, int vector, int errorCode, boolean hasErrorCode, int instructionLength) {
        if (type < 0 || type > 7 || type == 1) {
            throw new IllegalArgumentException("interruption type " + type + " is not one of 0, 2-7");
        }
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("vector " + vector + " is outside 0..255");
        }
        if (instructionLength < 0 || instructionLength > 15) {
            throw new IllegalArgumentException("instruction length " + instructionLength + " is outside 0..15");
        }
        if (type == InterruptionType.OTHER_EVENT) {
            pending.set(PendingEvents.MTF);
            return;
        }
        long mask = codeMode == 64 ? -1L : codeMode == 32 ? 0xFFFFFFFFL : 0xFFFFL;
        long returnRip = InterruptionType.isSoftware(type) ? (rip + instructionLength) & mask : rip;
        try {
            events.deliverInjected(type, vector, errorCode, hasErrorCode, returnRip, instructionLength);
            cycles += EventDelivery.DELIVERY_COST;
        } catch (ArchitecturalEvent e) {
            takeEvent(e);
        }
    }

    // ---------------------------------------------------------------- fetch and decode

    private static final int MODE_MASK_16 = 0xFFFF;

    /** The linear address of the instruction at RIP, after the CS limit or canonical check. */
    private long fetchLinear() {
        if (mode64) {
            if (!canonical(rip)) {
                throw CpuException.gp(0);
            }
            return rip;
        }
        SegmentState cs = seg[SEG_CS];
        if (rip > (cs.limit & 0xFFFFFFFFL)) {
            throw CpuException.gp(0);
        }
        return (cs.base + rip) & 0xFFFFFFFFL;
    }

    // ---------------------------------------------------------------- the current code page

    /**
     * The decode-cache page of the linear page RIP was last fetched from, or null. PERF: while
     * it stays valid a fetch is a compare of the linear page number plus a bitmap test and an
     * array index, with no translation and no hashing (the spirit of Bochs' trace cache).
     *
     * <p>It is dropped ({@code null}) by every software-TLB flush (MOV CR0/CR3/CR4, EFER, INVLPG,
     * CPL and SMAP access changes, {@link #reset()}); it is also keyed on CR0, CR3 and the decode
     * mode, and on the page entry still holding {@link #codeFrame}: a write to the frame
     * (self-modifying code, including by the current instruction or a REP string store)
     * invalidates the entry (frame = -1) through GuestMemory's code-write listener, and a
     * direct-mapped takeover changes its frame, so both fall back to the slow path.
     */
    DecodeCache.CodePage codePage;
    private long codeVpn;
    private long codeFrame;
    private long codeCr0;
    private long codeCr3;
    private int codePageMode;

    DecodedInstruction fetch() {
        long lin = fetchLinear();
        DecodeCache.CodePage p = codePage;
        if (p != null && (lin >>> 12) == codeVpn && p.frame == codeFrame && codeMode == codePageMode
                && cr0 == codeCr0 && cr3 == codeCr3) {
            DecodedInstruction d = p.live[(int) lin & 0xFFF];
            if (d != null) {
                finishFetch(d);
                return d;
            }
        }
        return fetchSlow(lin);
    }

    /** Fetch through the fetch TLB and the decode cache; remembers the page as the current code page. */
    private DecodedInstruction fetchSlow(long lin) {
        long phys = mmu.translateFetch(lin, PageTranslator.FETCH | (userAccess & PageTranslator.USER));
        int mode = codeMode;
        DecodedInstruction d;
        if (decodeCache != null) {
            DecodeCache.CodePage cp = decodeCache.pageIfPresent(phys, mode);
            if (cp != null) {
                rememberCodePage(cp, lin, phys, mode);
                d = cp.live[(int) phys & 0xFFF];
                if (d != null) {
                    finishFetch(d);
                    return d;
                }
            }
        }
        int off = (int) lin & 0xFFF;
        int avail = Math.min(DecodedInstruction.MAX_LENGTH, 4096 - off);
        boolean ram = copyCode(phys, fetchBuf, 0, avail);
        DecodeCache.CodePage page = null;
        if (decodeCache != null && ram) {
            page = decodeCache.pageFor(phys, mode);
            d = DecodeCache.slot(page, (int) phys & 0xFFF);
        } else {
            d = scratch;
        }
        int status = decoder.decode(fetchBuf, 0, avail, mode, d);
        if (status == DecodeStatus.NEED_MORE_BYTES && avail < DecodedInstruction.MAX_LENGTH) {
            // SDM "Instruction Format": the instruction continues on the next page; fetch it only now.
            long phys2 = mmu.translateFetch(lin + avail, PageTranslator.FETCH | (userAccess & PageTranslator.USER));
            copyCode(phys2, fetchBuf, avail, DecodedInstruction.MAX_LENGTH - avail);
            d = scratch;
            page = null;
            status = decoder.decode(fetchBuf, 0, DecodedInstruction.MAX_LENGTH, mode, d);
        }
        switch (status) {
            case DecodeStatus.OK:
                break;
            case DecodeStatus.NEED_MORE_BYTES:
            case DecodeStatus.TOO_LONG:
                // SDM "Instruction Format": an instruction longer than 15 bytes is #GP(0).
                throw CpuException.gp(0);
            default:
                throw CpuException.ud();
        }
        if (page != null) {
            if (!page.marked) {
                memory.markCodePage(phys);
                mmu.dropWritesToFrame(phys >>> 12);
                page.marked = true;
            }
            DecodeCache.validate(page, (int) phys & 0xFFF);
            rememberCodePage(page, lin, phys, mode);
        }
        finishFetch(d);
        return d;
    }

    /** The current code page if the fetch fast path holds for RIP (for the translating engine), else null. */
    DecodeCache.CodePage currentCodePage() {
        DecodeCache.CodePage p = codePage;
        return p != null && (rip >>> 12) == codeVpn && p.frame == codeFrame && codeMode == codePageMode
                && cr0 == codeCr0 && cr3 == codeCr3 ? p : null;
    }

    private void rememberCodePage(DecodeCache.CodePage p, long lin, long phys, int mode) {
        codePage = p;
        codeVpn = lin >>> 12;
        codeFrame = phys >>> 12;
        codePageMode = mode;
        codeCr0 = cr0;
        codeCr3 = cr3;
    }

    private void finishFetch(DecodedInstruction d) {
        long next = rip + d.length;
        if (!mode64) {
            // SDM "Segment-Level Protection": the whole instruction must lie within the CS limit.
            if (next - 1 > (seg[SEG_CS].limit & 0xFFFFFFFFL)) {
                throw CpuException.gp(0);
            }
            next &= codeMode == 16 ? MODE_MASK_16 : 0xFFFFFFFFL;
        }
        nextRip = next;
    }

    /** Copies code bytes; returns true if the page is RAM (cacheable). */
    private boolean copyCode(long phys, byte[] buf, int at, int n) {
        byte[] p = memory.pageForRead(phys);
        int off = (int) phys & 0xFFF;
        if (p != null) {
            System.arraycopy(p, off, buf, at, n);
            return true;
        }
        for (int i = 0; i < n; i++) {
            buf[at + i] = (byte) memory.read8(phys + i);
        }
        return false;
    }

    // ---------------------------------------------------------------- listeners

    private void notifyInstruction(InstructionHook hook, DecodedInstruction d) {
        inListener = true;
        try {
            hook.beforeInstruction(rip, d);
        } finally {
            inListener = false;
            // A listener may have raised an interrupt line through the API.
            pending.controllerChanged();
        }
    }

    /**
     * The effective memory type of a data access to {@code physical} just translated (only
     * computed when memory listeners are registered).
     */
    dev.vmx4j.mmu.MemoryType memoryType(long physical) {
        return AccessMemoryType.of(this, physical);
    }

    void notifyMemory(MemoryListener[] ls, long linear, long physical, int size, boolean write, long value) {
        inListener = true;
        try {
            dev.vmx4j.mmu.MemoryType type = memoryType(physical);
            for (MemoryListener l : ls) {
                l.access(linear, physical, size, write, value, type);
            }
        } finally {
            inListener = false;
        }
    }

    void notifyIo(int port, int size, boolean out, int value) {
        IoListener[] ls = ioListeners;
        if (ls == null) {
            return;
        }
        inListener = true;
        try {
            for (IoListener l : ls) {
                l.io(port, size, out, value);
            }
        } finally {
            inListener = false;
        }
    }

    void notifyException(int vector, int errorCode, boolean hasErrorCode) {
        ExceptionListener[] ls = exceptionListeners;
        if (ls == null) {
            return;
        }
        inListener = true;
        try {
            for (ExceptionListener l : ls) {
                l.exception(vector, errorCode, hasErrorCode);
            }
        } finally {
            inListener = false;
        }
    }

    void notifyInterrupt(int vector) {
        InterruptListener[] ls = interruptListeners;
        if (ls == null) {
            return;
        }
        inListener = true;
        try {
            for (InterruptListener l : ls) {
                l.interrupt(vector);
            }
        } finally {
            inListener = false;
        }
    }

    /** A listener or device asks the loop to stop after the current instruction. */
    public void requestStop(int status) {
        stopRequest = inListener ? StopReason.LISTENER_REQUEST : StopReason.DEVICE_REQUEST;
        stopStatus = status;
    }

    public int stopStatus() {
        return stopStatus;
    }

    // ---------------------------------------------------------------- API accessors

    public long cycles() {
        return cycles;
    }

    public long retired() {
        return retired;
    }

    public boolean halted() {
        return activity == ActivityState.HLT;
    }

    public void setHalted(boolean h) {
        pending.setActivity(h ? ActivityState.HLT : ActivityState.ACTIVE);
    }

    public boolean isShutdown() {
        return activity == ActivityState.SHUTDOWN;
    }

    public ActivityState activity() {
        return activity;
    }

    public void setRip(long r) {
        rip = r;
        if (activity == ActivityState.HLT) {
            pending.setActivity(ActivityState.ACTIVE);
        }
    }

    /** SegmentRegister constants equal the SEG_* indexes; kept as a compile-time check. */
    static {
        if (SegmentRegister.ES != SEG_ES || SegmentRegister.GS != SEG_GS) {
            throw new AssertionError("segment numbering");
        }
    }
}
