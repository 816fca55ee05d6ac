package dev.vmx4j.core;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuOwner;
import dev.vmx4j.core.cpu.SegmentState;
import dev.vmx4j.core.decoder.Decoder;
import dev.vmx4j.core.devices.apic.InterruptController;
import dev.vmx4j.core.devices.apic.LocalApic;
import dev.vmx4j.core.io.IoBus;
import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.Arrays;

/**
 * An emulated machine: one Intel 64 processor, guest-physical memory and the I/O-port bus.
 *
 * <p>Object graph: the {@code Machine} owns a {@link GuestMemory} (RAM at physical 0), an
 * {@link IoBus}, the {@link CpuProfile} and the internal {@code Cpu}, which holds every register,
 * the software TLB and the decoded-instruction cache. Listeners are kept by the CPU in arrays
 * that are {@code null} while empty, so an unobserved machine pays one null check per hook.
 *
 * <p>The run loop in five steps: (1) fetch and decode the instruction at CS:RIP (from the
 * per-page decoded-instruction cache when possible); (2) tell the instruction listeners;
 * (3) execute it; (4) retire: advance RIP, the retired-instruction count and the cycle count;
 * (5) if it raised an exception, deliver the exception through the IVT/IDT instead (faults
 * leave RIP at the instruction). The loop stops on a budget, a breakpoint, HLT, shutdown or
 * {@link #requestStop(int)}. Guest faults never escape; emulator defects do.
 */
public final class Machine implements CpuOwner {

    private final GuestMemory memory;
    private final IoBus io;
    private final CpuProfile profile;
    private final Cpu cpu;
    private final dev.vmx4j.core.vmx.VmxHost vmxHost;
    private final boolean referenceMode;
    private final Engine engineKind;
    private final dev.vmx4j.core.cpu.ExecutionEngine engine;
    private final long memorySize;
    private dev.vmx4j.core.devices.apic.PcInterruptController pc;
    /** Null with one processor; else the others and the schedule (see {@code Processors}). */
    private dev.vmx4j.core.cpu.Processors smp;
    private final dev.vmx4j.core.cpu.InstructionDecoder decode;

    private Machine(Builder b) {
        this.memory = GuestMemory.withRam(b.memorySize);
        this.memorySize = b.memorySize;
        this.io = new IoBus();
        this.profile = b.profile;
        this.referenceMode = b.referenceMode;
        Decoder decoder = new Decoder();
        this.decode = decoder::decode;
        this.cpu = new Cpu(memory, io, profile, b.referenceMode, decode, null, b.randomSeed);
        this.engineKind = b.engine();
        this.engine = engineKind == Engine.TRANSLATOR
                ? new dev.vmx4j.core.cpu.Translator(cpu, b.translationThreshold)
                : new dev.vmx4j.core.cpu.Interpreter(cpu);
        this.vmxHost = new dev.vmx4j.core.vmx.VmxHost(this, cpu.vmx.hostApi());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link Machine}; every setting has a default. */
    public static final class Builder {
        private long memorySize = 16L << 20;
        private CpuProfile profile;
        private boolean referenceMode;
        /** Null: the default ({@link #engine()}). */
        private Engine engine;
        private int translationThreshold = 16;
        private long randomSeed = 0x5EED_0F_7E57L;
        private boolean pcInterruptControllers;
        private int cpus = 1;
        private final java.util.List<DeviceAttachment> devices = new java.util.ArrayList<>();

        private Builder() {
        }

        /**
         * Plugs a device in when the machine is built (in the order given). See
         * {@link dev.vmx4j.core.devices.StandardDevices} for the usual ones, or pass a lambda
         * that attaches to {@code machine.io()} / {@code machine.memory()}.
         */
        public Builder device(DeviceAttachment device) {
            if (device == null) {
                throw new IllegalArgumentException("device must not be null");
            }
            devices.add(device);
            return this;
        }

        /** RAM at guest-physical 0, in bytes: a positive multiple of 4 KiB up to 2^52 (default 16 MiB). */
        public Builder memorySize(long bytes) {
            if (bytes <= 0 || (bytes & 0xFFF) != 0 || bytes > (1L << GuestMemory.MAX_PHYSICAL_ADDRESS_BITS)) {
                throw new IllegalArgumentException("memorySize must be a positive multiple of 4096 up to 2^52, was "
                        + bytes);
            }
            this.memorySize = bytes;
            return this;
        }

        /**
         * The processor model (CPUID, MSRs); default {@link CpuProfile#defaultProfile()}. The
         * profile's vendor ({@link CpuProfile#vendor()}) selects AMD's rules where they differ from
         * the SDM, e.g. with {@code CpuProfile.builtIn("opteron_g1")} (docs/CPU.md "Vendors").
         */
        public Builder profile(CpuProfile profile) {
            if (profile == null) {
                throw new IllegalArgumentException("profile must not be null");
            }
            this.profile = profile;
            return this;
        }

        /** True: eager flags, no decoded-instruction cache, no software TLB (same results, slower). */
        public Builder referenceMode(boolean reference) {
            this.referenceMode = reference;
            return this;
        }

        /**
         * Adds the PC interrupt controllers (8259A pair, local APIC, I/O APIC; docs/INTERRUPTS.md)
         * wired to the CPU: ports 20H/A0H, the APIC pages, the APIC MSRs and CR8. Devices raise
         * IRQs through {@link Machine#interruptController()}.
         */
        public Builder pcInterruptControllers() {
            this.pcInterruptControllers = true;
            return this;
        }

        /**
         * The execution engine (default {@link Engine#TRANSLATOR}, or {@link Engine#INTERPRETER}
         * with {@link #cpus(int) several processors}); every engine gives the same results.
         */
        public Builder engine(Engine engine) {
            if (engine == null) {
                throw new IllegalArgumentException("engine must not be null (one of " + java.util.Arrays.toString(Engine.values()) + ")");
            }
            this.engine = engine;
            return this;
        }

        /**
         * For {@link Engine#TRANSLATOR}: how many times a block start is reached before it is
         * translated, 1-255 (default 16; 1 translates every block on first sight, as tests do).
         */
        public Builder translationThreshold(int times) {
            if (times < 1 || times > 255) {
                throw new IllegalArgumentException("translationThreshold must be 1-255, was " + times);
            }
            this.translationThreshold = times;
            return this;
        }

        /**
         * Number of processors, 1-255 (default 1). More than one needs
         * {@link #pcInterruptControllers()} (each processor gets its own local APIC, APIC ID =
         * index) and the interpreter engine; processor 0 is the bootstrap processor the register
         * accessors and listeners of {@link Machine} act on, the others wait for INIT and a
         * start-up IPI. They run interleaved in one thread by a fixed round-robin schedule on the
         * cycle counter (docs/ARCHITECTURE.md "Several processors").
         */
        public Builder cpus(int count) {
            if (count < 1 || count > 255) {
                throw new IllegalArgumentException("cpus must be in [1, 255], was " + count);
            }
            this.cpus = count;
            return this;
        }

        /**
         * The engine chosen, else the default: the translating engine, which gives the
         * interpreter's results faster; the interpreter with several processors (the translator
         * runs the bootstrap processor only).
         */
        private Engine engine() {
            if (engine != null) {
                return engine;
            }
            return cpus > 1 ? Engine.INTERPRETER : Engine.TRANSLATOR;
        }

        /** Seed of the deterministic RDRAND/RDSEED generator. */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        public Machine build() {
            if (profile == null) {
                profile = CpuProfile.defaultProfile();
            }
            Machine m = new Machine(this);
            if (pcInterruptControllers) {
                dev.vmx4j.core.devices.apic.PcInterruptController ic =
                        dev.vmx4j.core.devices.apic.PcInterruptController.create(m::cycles);
                ic.attach(m.io, m.memory);
                m.pc = ic;
                m.setInterruptController(ic, ic.localApic());
            }
            if (cpus > 1) {
                if (!pcInterruptControllers) {
                    throw new IllegalStateException("cpus(" + cpus + ") needs the PC interrupt controllers: "
                            + "call pcInterruptControllers()");
                }
                if (engine() != Engine.INTERPRETER) {
                    throw new IllegalStateException("cpus(" + cpus + ") runs on the interpreter engine only");
                }
                m.smp = dev.vmx4j.core.cpu.Processors.create(m.cpu, m.engine, m.pc, cpus, m.memory, m.io,
                        profile, referenceMode, m.decode, randomSeed);
            }
            if (m.pc != null) {
                // A relocated xAPIC page over RAM: the processors' TLBs may hold that page.
                m.pc.xapicWindows().onMappingChanged(() -> {
                    for (int i = 0; i < m.cpuCount(); i++) {
                        m.cpu(i).flushTlb();
                    }
                });
            }
            for (DeviceAttachment d : devices) {
                d.attach(m);
            }
            return m;
        }
    }

    // ---------------------------------------------------------------- parts

    public GuestMemory memory() {
        return memory;
    }

    public IoBus io() {
        return io;
    }

    /** The PC interrupt controllers if the builder added them ({@code pcInterruptControllers()}), else null. */
    public dev.vmx4j.core.devices.apic.PcInterruptController interruptController() {
        return pc;
    }

    public CpuProfile profile() {
        return profile;
    }

    public boolean referenceMode() {
        return referenceMode;
    }

    /** Basic blocks the translating engine has translated so far (always 0 for the interpreter). */
    public long blocksTranslated() {
        return engine.blocksTranslated();
    }

    /** The execution engine the builder chose. */
    public Engine engine() {
        return engineKind;
    }

    // ---------------------------------------------------------------- registers

    public long reg(Reg r) {
        return cpu.gpr[requireReg(r).number()];
    }

    public void setReg(Reg r, long value) {
        cpu.gpr[requireReg(r).number()] = value;
    }

    private static Reg requireReg(Reg r) {
        if (r == null) {
            throw new IllegalArgumentException("register must not be null (one of RAX..R15)");
        }
        return r;
    }

    public long rip() {
        return cpu.rip;
    }

    /** Sets RIP; also ends a HLT state (the caller redirects execution). */
    public void setRip(long rip) {
        cpu.setRip(rip);
    }

    /** RFLAGS; bit 1 always reads 1. */
    public long rflags() {
        return cpu.rflags();
    }

    /** Loads RFLAGS without privilege checks; reserved bits are cleared and bit 1 set. */
    public void setRflags(long value) {
        cpu.setRflags(value);
        cpu.updateMode();
    }

    public Segment segment(Seg s) {
        if (s == null) {
            throw new IllegalArgumentException("segment must not be null (one of ES, CS, SS, DS, FS, GS, LDTR, TR)");
        }
        return cpu.seg[s.number()];
    }

    /**
     * Loads a segment register's selector and hidden part directly (no checks). Loading CS with
     * a DPL sets CPL to that DPL when protected mode is on.
     */
    public void setSegment(Seg s, int selector, long base, int limit, int accessRights) {
        if (s == null) {
            throw new IllegalArgumentException("segment must not be null (one of ES, CS, SS, DS, FS, GS, LDTR, TR)");
        }
        if (selector < 0 || selector > 0xFFFF) {
            throw new IllegalArgumentException("selector must be in [0, 0xFFFF], was " + selector);
        }
        cpu.seg[s.number()].set(selector, base, limit, accessRights);
        if (s == Seg.CS && (cpu.cr0 & Cpu.CR0_PE) != 0) {
            cpu.cpl = (accessRights >>> 5) & 3;
        }
        cpu.updateMode();
    }

    /** CRn for n in {0, 2, 3, 4, 8}. */
    public long cr(int n) {
        switch (requireCr(n)) {
            case 0: return cpu.cr0;
            case 2: return cpu.cr2;
            case 3: return cpu.cr3;
            case 4: return cpu.cr4;
            default: return cpu.cr8;
        }
    }

    /** Raw write of CRn (no checks); flushes the TLB. Does not change EFER.LMA. */
    public void setCr(int n, long value) {
        switch (requireCr(n)) {
            case 0: cpu.cr0 = value; break;
            case 2: cpu.cr2 = value; break;
            case 3: cpu.cr3 = value; break;
            case 4: cpu.cr4 = value; break;
            default: cpu.cr8 = value; break;
        }
        cpu.updateMode();
        cpu.updateDebugState();
        cpu.pagingStateChanged();
    }

    private static int requireCr(int n) {
        if (n != 0 && n != 2 && n != 3 && n != 4 && n != 8) {
            throw new IllegalArgumentException("control register must be one of 0, 2, 3, 4, 8, was " + n);
        }
        return n;
    }

    public long dr(int n) {
        return cpu.dr[requireDr(n)];
    }

    public void setDr(int n, long value) {
        cpu.dr[requireDr(n)] = value;
        cpu.updateDebugState();
    }

    private static int requireDr(int n) {
        if (n < 0 || n > 7) {
            throw new IllegalArgumentException("debug register must be in [0, 7], was " + n);
        }
        return n;
    }

    public long efer() {
        return cpu.efer;
    }

    /** Raw EFER write (no checks), including LMA. */
    public void setEfer(long value) {
        cpu.setEfer(value);
        cpu.pagingStateChanged();
    }

    public long msr(int index) {
        try {
            return cpu.msr(requireMsr(index));
        } catch (dev.vmx4j.core.devices.apic.ApicFault f) {
            throw new IllegalArgumentException(String.format("MSR 0x%x cannot be read now: %s", index, f.getMessage()), f);
        }
    }

    /** Raw MSR write without the guest's checks (read-only capability MSRs can be overridden). */
    public void setMsr(int index, long value) {
        try {
            cpu.setMsr(requireMsr(index), value);
        } catch (dev.vmx4j.core.devices.apic.ApicFault f) {
            throw new IllegalArgumentException(String.format("MSR 0x%x cannot be written with 0x%x: %s", index, value,
                    f.getMessage()), f);
        }
    }

    private int requireMsr(int index) {
        if (!cpu.hasMsr(index)) {
            throw new IllegalArgumentException(String.format(
                    "MSR 0x%x is not implemented by this machine (profile %s): the implemented MSRs are the "
                            + "profile's plus IA32_TSC, IA32_APIC_BASE, IA32_FEATURE_CONTROL, IA32_PAT, SYSENTER, "
                            + "EFER, STAR/LSTAR/CSTAR/FMASK, FS/GS/KERNEL_GS_BASE, TSC_AUX", index, profile.name()));
        }
        return index;
    }

    public long gdtrBase() {
        return cpu.gdtrBase;
    }

    public int gdtrLimit() {
        return cpu.gdtrLimit;
    }

    public void setGdtr(long base, int limit) {
        cpu.gdtrBase = base;
        cpu.gdtrLimit = requireLimit(limit);
    }

    public long idtrBase() {
        return cpu.idtrBase;
    }

    public int idtrLimit() {
        return cpu.idtrLimit;
    }

    public void setIdtr(long base, int limit) {
        cpu.idtrBase = base;
        cpu.idtrLimit = requireLimit(limit);
    }

    private static int requireLimit(int limit) {
        if (limit < 0 || limit > 0xFFFF) {
            throw new IllegalArgumentException("table limit must be in [0, 0xFFFF], was " + limit);
        }
        return limit;
    }

    /** Current privilege level (CS.DPL in protected mode, 0 in real mode). */
    public int cpl() {
        return cpu.cpl;
    }

    /** True after HLT until execution is redirected ({@link #setRip}) or an interrupt arrives. */
    public boolean halted() {
        return cpu.halted();
    }

    // ---------------------------------------------------------------- mode setup

    /**
     * Builds 4-level identity page tables at {@code pageTableAddress} (one PML4, one PDPT per
     * 512 GiB, one page directory per GiB, 2 MiB pages) covering all RAM and at least the first
     * 4 GiB (for the APIC pages), and switches to 64-bit
     * mode: CR0 = PE|MP|ET|NE|WP|PG, CR4.PAE, EFER = SCE|LME|LMA|NXE, flat 64-bit CS (selector
     * 0x08), flat data segments (0x10). RIP and RSP are unchanged.
     */
    public void enterLongMode(long pageTableAddress) {
        long ram = memorySize;
        // At least the first 4 GiB, so the local APIC and I/O APIC pages below 4 GiB are reachable.
        long gib = Math.max(4, (ram + (1L << 30) - 1) >>> 30);
        long pdpts = (gib + 511) / 512;
        long tableBytes = (1 + pdpts + gib) * 4096;
        if ((pageTableAddress & 0xFFF) != 0 || pageTableAddress < 0) {
            throw new IllegalArgumentException("pageTableAddress must be a non-negative multiple of 4096, was 0x"
                    + Long.toHexString(pageTableAddress));
        }
        if (pageTableAddress + tableBytes > ram) {
            throw new IllegalArgumentException(String.format(
                    "page tables need 0x%x bytes at 0x%x, which must lie in RAM [0, 0x%x)", tableBytes,
                    pageTableAddress, ram));
        }
        long pml4 = pageTableAddress;
        long pdptBase = pml4 + 4096;
        long pdBase = pdptBase + pdpts * 4096;
        byte[] zero = new byte[4096];
        for (long t = 0; t < 1 + pdpts + gib; t++) {
            memory.write(pml4 + t * 4096, zero, 0, 4096);
        }
        // SDM "4-Level Paging": PML4E/PDPTE/PDE bits P(0) R/W(1) U/S(2); PDE.PS(7) maps 2 MiB.
        final long pwu = 0x7;
        for (long i = 0; i < pdpts; i++) {
            memory.write64(pml4 + i * 8, (pdptBase + i * 4096) | pwu);
        }
        for (long g = 0; g < gib; g++) {
            memory.write64(pdptBase + g * 8, (pdBase + g * 4096) | pwu);
            for (long e = 0; e < 512; e++) {
                long phys = (g << 30) | (e << 21);
                memory.write64(pdBase + g * 4096 + e * 8, phys | pwu | (1L << 7));
            }
        }
        cpu.cr3 = pml4;
        cpu.cr4 |= Cpu.CR4_PAE;
        cpu.efer = Cpu.EFER_SCE | Cpu.EFER_LME | Cpu.EFER_LMA | Cpu.EFER_NXE;
        cpu.cr0 = Cpu.CR0_PE | Cpu.CR0_MP | Cpu.CR0_ET | Cpu.CR0_NE | Cpu.CR0_WP | Cpu.CR0_PG;
        // Code: type 0xB (execute/read, accessed), S, P, L.
        cpu.seg[Seg.CS.number()].set(0x08, 0, 0xFFFFFFFF, 0xB | SegmentState.AR_S | SegmentState.AR_P
                | SegmentState.AR_L | SegmentState.AR_G);
        flatData(0x10);
        cpu.cpl = 0;
        cpu.updateMode();
        cpu.flushTlb();
    }

    private void flatData(int selector) {
        int ar = 0x3 | SegmentState.AR_S | SegmentState.AR_P | SegmentState.AR_DB | SegmentState.AR_G;
        for (Seg s : new Seg[] {Seg.ES, Seg.SS, Seg.DS, Seg.FS, Seg.GS}) {
            cpu.seg[s.number()].set(selector, 0, 0xFFFFFFFF, ar);
        }
    }

    /** Flat 32-bit protected mode without paging: CR0.PE|ET, CS = 0x08 (32-bit code), data = 0x10, CPL 0. */
    public void enterProtectedMode() {
        cpu.cr0 = (cpu.cr0 & ~(Cpu.CR0_PG | Cpu.CR0_CD | Cpu.CR0_NW)) | Cpu.CR0_PE | Cpu.CR0_ET;
        cpu.efer &= ~Cpu.EFER_LMA;
        cpu.seg[Seg.CS.number()].set(0x08, 0, 0xFFFFFFFF, 0xB | SegmentState.AR_S | SegmentState.AR_P
                | SegmentState.AR_DB | SegmentState.AR_G);
        flatData(0x10);
        cpu.cpl = 0;
        cpu.updateMode();
        cpu.flushTlb();
    }

    /** The RAM size the builder gave: RAM is {@code [0, memorySize())}. */
    public long memorySize() {
        return memorySize;
    }

    // ---------------------------------------------------------------- running

    /**
     * RESET: every register, MSR and pending interrupt to its power-on value (SDM "Processor
     * State After Reset"), the caches flushed, the TSC to 0. Memory, devices, listeners and the
     * retired-instruction and cycle counters are kept.
     */
    public void reset() {
        if (smp != null) {
            smp.reset();
            return;
        }
        cpu.reset();
    }

    /**
     * The whole machine's state now, between instructions (see {@link Snapshot}): every
     * processor, RAM (copy-on-write pages), devices, VMX state, cycle counters and the schedule.
     */
    public Snapshot snapshot() {
        return Snapshot.take(this);
    }

    /**
     * Puts the machine back in the state of {@code snapshot}, which this machine took; caches are
     * flushed. Listeners stay as they are now.
     *
     * @throws IllegalArgumentException if {@code snapshot} is null or was taken of another machine
     */
    public void restore(Snapshot snapshot) {
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot must not be null");
        }
        snapshot.restoreInto(this);
    }

    /** Executes exactly one instruction (or delivers one event). */
    public RunResult step() {
        return run(RunLimits.unlimited().maxInstructions(1));
    }

    public RunResult run(RunLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null (use RunLimits.unlimited())");
        }
        if (smp != null) {
            long i0 = smp.totalRetired();
            long c0 = cpu.cycles();
            StopReason r = smp.run(limits.maxInstructions(), limits.maxCycles(), limits.breakpointArray());
            Cpu last = smp.currentCpu();
            return new RunResult(r, smp.totalRetired() - i0, cpu.cycles() - c0,
                    r == StopReason.LISTENER_REQUEST || r == StopReason.DEVICE_REQUEST ? last.stopStatus() : 0);
        }
        long i0 = cpu.retired();
        long c0 = cpu.cycles();
        dev.vmx4j.core.cpu.vmx.HostApi vmxApi = cpu.vmx.hostApi();
        vmxApi.stopAtExit(limits.stopsAtVmExit());
        StopReason r;
        try {
            r = engine.run(limits.maxInstructions(), limits.maxCycles(), limits.breakpointArray());
        } finally {
            vmxApi.stopAtExit(false);
        }
        return new RunResult(r, cpu.retired() - i0, cpu.cycles() - c0,
                r == StopReason.LISTENER_REQUEST || r == StopReason.DEVICE_REQUEST ? cpu.stopStatus() : 0);
    }

    /** Number of processors (the builder's {@code cpus}). */
    public int cpuCount() {
        return smp == null ? 1 : smp.count();
    }

    /**
     * The index of the processor that ran last (0 with one processor): the one a breakpoint,
     * listener or device stop of the last {@link #run} concerns.
     */
    public int lastProcessor() {
        return smp == null ? 0 : smp.currentIndex();
    }

    /** Instructions retired by processor {@code index} (0 = the bootstrap processor). */
    public long instructionsRetired(int index) {
        if (index < 0 || index >= cpuCount()) {
            throw new IllegalArgumentException("index must be in [0, " + (cpuCount() - 1) + "], was " + index);
        }
        return smp == null ? cpu.retired() : smp.retired(index);
    }

    public long instructionsRetired() {
        return cpu.retired();
    }

    public long cycles() {
        return cpu.cycles();
    }

    /** The time-stamp counter: cycles plus the offset written through IA32_TSC. */
    public long tsc() {
        return cpu.tsc();
    }

    /**
     * Marks external interrupt {@code vector} (0-255) pending, as an interrupt controller would.
     * It is delivered through the IVT/IDT before the next instruction once RFLAGS.IF = 1 and no
     * interrupt shadow (STI, MOV SS) blocks it, highest vector first; it also ends HLT.
     */
    public void raiseInterrupt(int vector) {
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("interrupt vector must be in [0, 255], was " + vector);
        }
        cpu.raiseInterrupt(vector);
    }

    /**
     * Connects the interrupt controllers (see docs/INTERRUPTS.md): between instructions the CPU
     * advances their timers, takes NMIs and maskable interrupts from {@code controller}; in HLT
     * time skips to the next timer event. {@code localApic} (may be null) then owns
     * IA32_APIC_BASE, IA32_TSC_DEADLINE, the x2APIC MSRs and CR8. Null detaches.
     */
    public void setInterruptController(InterruptController controller, LocalApic localApic) {
        if (controller == null && localApic != null) {
            throw new IllegalArgumentException("localApic needs a controller (controller was null)");
        }
        cpu.setInterruptController(controller, localApic);
    }

    /**
     * For devices and listeners: the run loop stops after the current instruction, with
     * {@link StopReason#LISTENER_REQUEST} when called from a listener callback, else
     * {@link StopReason#DEVICE_REQUEST}; {@code status} becomes {@link RunResult#exitStatus()}.
     * Call it from the thread running the machine (a machine is not thread-safe).
     */
    public void requestStop(int status) {
        (smp != null ? smp.currentCpu() : cpu).requestStop(status);
    }

    // ---------------------------------------------------------------- listeners

    public ListenerHandle addInstructionListener(InstructionListener l) {
        requireListener(l);
        insnListeners = add(insnListeners, l, InstructionListener[]::new);
        installInstructionHook();
        return () -> {
            insnListeners = remove(insnListeners, l);
            installInstructionHook();
        };
    }

    public ListenerHandle addMemoryListener(MemoryListener l) {
        requireListener(l);
        cpu.memListeners = add(cpu.memListeners, l, MemoryListener[]::new);
        return () -> cpu.memListeners = remove(cpu.memListeners, l);
    }

    public ListenerHandle addIoListener(IoListener l) {
        requireListener(l);
        cpu.ioListeners = add(cpu.ioListeners, l, IoListener[]::new);
        return () -> cpu.ioListeners = remove(cpu.ioListeners, l);
    }

    public ListenerHandle addExceptionListener(ExceptionListener l) {
        requireListener(l);
        cpu.exceptionListeners = add(cpu.exceptionListeners, l, ExceptionListener[]::new);
        return () -> cpu.exceptionListeners = remove(cpu.exceptionListeners, l);
    }

    /** VM exits (and VM-entry failures with exit reason 33/34), after host state is loaded. */
    public ListenerHandle addVmExitListener(dev.vmx4j.core.vmx.VmExitListener l) {
        requireListener(l);
        dev.vmx4j.core.cpu.vmx.HostApi api = cpu.vmx.hostApi();
        api.setListeners(add(api.listeners(), l, dev.vmx4j.core.vmx.VmExitListener[]::new));
        return () -> api.setListeners(remove(api.listeners(), l));
    }

    /**
     * The processor's VMX operation driven from Java, as CPL 0 host code would drive it with the
     * VMX instructions (see {@link dev.vmx4j.core.vmx.VmxHost}).
     */
    public dev.vmx4j.core.vmx.VmxHost vmx() {
        return vmxHost;
    }

    public ListenerHandle addInterruptListener(InterruptListener l) {
        requireListener(l);
        cpu.interruptListeners = add(cpu.interruptListeners, l, InterruptListener[]::new);
        return () -> cpu.interruptListeners = remove(cpu.interruptListeners, l);
    }

    private static void requireListener(Object l) {
        if (l == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
    }

    private static <T> T[] add(T[] arr, T l, java.util.function.IntFunction<T[]> make) {
        if (arr == null) {
            T[] a = make.apply(1);
            a[0] = l;
            return a;
        }
        T[] a = Arrays.copyOf(arr, arr.length + 1);
        a[arr.length] = l;
        return a;
    }

    private static <T> T[] remove(T[] arr, T l) {
        if (arr == null) {
            return null;
        }
        for (int i = 0; i < arr.length; i++) {
            if (arr[i] == l) {
                if (arr.length == 1) {
                    return null;
                }
                T[] a = Arrays.copyOf(arr, arr.length - 1);
                System.arraycopy(arr, i + 1, a, i, arr.length - i - 1);
                return a;
            }
        }
        return arr;
    }

    /** The instruction listeners, or null; the CPU sees them through one {@code InstructionHook}. */
    private InstructionListener[] insnListeners;

    private void installInstructionHook() {
        InstructionListener[] ls = insnListeners;
        cpu.insnHook = ls == null ? null : (rip, insn) -> {
            for (InstructionListener l : ls) {
                l.beforeInstruction(this, rip, insn);
            }
        };
    }

    /**
     * Module-internal ({@link CpuOwner}): the CPU, for the debugger, the VMX host API and tests
     * inside this module. Its type is in a package the module does not export.
     */
    @Override
    public Cpu cpu() {
        return cpu;
    }

    /** Module-internal ({@link CpuOwner}): processor {@code index} (0 = the bootstrap processor). */
    @Override
    public Cpu cpu(int index) {
        if (index < 0 || index >= cpuCount()) {
            throw new IllegalArgumentException("index must be in [0, " + (cpuCount() - 1) + "], was " + index);
        }
        return smp == null ? cpu : smp.cpu(index);
    }

    @Override
    public String toString() {
        return String.format("Machine[rip=%x cs=%s mode=%d cpl=%d]", cpu.rip, cpu.seg[1], cpu.codeMode(), cpu.cpl);
    }
}
