package dev.vmx4j.core.devices.apic;

import dev.vmx4j.core.memory.MmioHandler;

/**
 * The local APIC of one processor: the xAPIC register page (an {@link MmioHandler} mapped
 * at IA32_APIC_BASE, default {@link #DEFAULT_BASE}), the x2APIC MSRs 800H-BFFH, IA32_APIC_BASE
 * and IA32_TSC_DEADLINE, the interrupt priority logic and the timer.
 *
 * <p>Time: the timer counts the machine's cycles (the APIC timer clock is the cycle clock)
 * divided by the Divide Configuration Register. The run loop calls {@link #advanceTo(long)} when
 * the counter reaches {@link #nextEventCycle()}; register accesses read the {@link CycleClock}
 * so the current count and a newly started count are exact to the cycle. TSC-deadline mode
 * compares IA32_TSC_DEADLINE with the TSC, which is the cycle counter plus
 * {@link #setTscOffset(long) the TSC offset}.
 *
 * <p>Version: {@link #VERSION} = 0x00050014: version 14H (an integrated xAPIC), Max LVT Entry 5
 * (six LVT entries: timer, thermal, performance, LINT0, LINT1, error; no CMCI), bit 24 clear
 * (no EOI-broadcast suppression), so SVR bit 12 is reserved.
 *
 * <p>Faults: RDMSR/WRMSR the SDM answers with #GP throw {@link ApicFault}.
 */
public final class LocalApic implements MmioHandler {

    public static final long DEFAULT_BASE = 0xFEE0_0000L;
    public static final int MMIO_SIZE = 0x1000;

    public static final int IA32_APIC_BASE = 0x1B;
    public static final int IA32_TSC_DEADLINE = 0x6E0;
    public static final int X2APIC_MSR_FIRST = 0x800;
    public static final int X2APIC_MSR_LAST = 0xBFF;

    public static final int VERSION = 0x0005_0014;

    // IA32_APIC_BASE bits (SDM "Local APIC Status and Location").
    public static final long APIC_BASE_BSP = 1L << 8;
    public static final long APIC_BASE_EXTD = 1L << 10;
    public static final long APIC_BASE_EN = 1L << 11;

    // Register offsets (SDM "Local APIC Register Address Map"); the x2APIC MSR is 800H + offset/16.
    public static final int REG_ID = 0x020;
    public static final int REG_VERSION = 0x030;
    public static final int REG_TPR = 0x080;
    public static final int REG_APR = 0x090;
    public static final int REG_PPR = 0x0A0;
    public static final int REG_EOI = 0x0B0;
    public static final int REG_RRD = 0x0C0;
    public static final int REG_LDR = 0x0D0;
    public static final int REG_DFR = 0x0E0;
    public static final int REG_SVR = 0x0F0;
    public static final int REG_ISR = 0x100;
    public static final int REG_TMR = 0x180;
    public static final int REG_IRR = 0x200;
    public static final int REG_ESR = 0x280;
    public static final int REG_ICR_LOW = 0x300;
    public static final int REG_ICR_HIGH = 0x310;
    public static final int REG_LVT_TIMER = 0x320;
    public static final int REG_LVT_THERMAL = 0x330;
    public static final int REG_LVT_PERF = 0x340;
    public static final int REG_LVT_LINT0 = 0x350;
    public static final int REG_LVT_LINT1 = 0x360;
    public static final int REG_LVT_ERROR = 0x370;
    public static final int REG_TIMER_INITIAL_COUNT = 0x380;
    public static final int REG_TIMER_CURRENT_COUNT = 0x390;
    public static final int REG_TIMER_DIVIDE = 0x3E0;
    public static final int REG_SELF_IPI = 0x3F0;

    // LVT fields (SDM "Local Vector Table").
    public static final int LVT_MASKED = 1 << 16;
    public static final int LVT_DELIVERY_STATUS = 1 << 12;
    public static final int LVT_REMOTE_IRR = 1 << 14;
    public static final int LVT_LEVEL_TRIGGERED = 1 << 15;
    public static final int TIMER_MODE_ONE_SHOT = 0;
    public static final int TIMER_MODE_PERIODIC = 1;
    public static final int TIMER_MODE_TSC_DEADLINE = 2;

    // Delivery modes (SDM "Local Vector Table", "Interrupt Command Register (ICR)").
    public static final int DELIVERY_FIXED = 0b000;
    public static final int DELIVERY_LOWEST_PRIORITY = 0b001;
    public static final int DELIVERY_SMI = 0b010;
    public static final int DELIVERY_NMI = 0b100;
    public static final int DELIVERY_INIT = 0b101;
    public static final int DELIVERY_STARTUP = 0b110;
    public static final int DELIVERY_EXTINT = 0b111;

    // ESR bits (SDM "Error Handling").
    public static final int ESR_SEND_ILLEGAL_VECTOR = 1 << 5;
    public static final int ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;
    public static final int ESR_ILLEGAL_REGISTER_ADDRESS = 1 << 7;

    public static final int SVR_APIC_SOFTWARE_ENABLE = 1 << 8;

    private static final int LVT_TIMER = 0;
    private static final int LVT_THERMAL = 1;
    private static final int LVT_PERF = 2;
    private static final int LVT_LINT0 = 3;
    private static final int LVT_LINT1 = 4;
    private static final int LVT_ERROR = 5;
    private static final int LVT_COUNT = 6;

    // Writable bits of each LVT entry, indexed as above (SDM "Local Vector Table" figure).
    private static final int[] LVT_WRITABLE = {
        0x000700FF, // timer: vector, mask, timer mode 18:17
        0x000107FF, // thermal: vector, delivery mode, mask
        0x000107FF, // performance: vector, delivery mode, mask
        0x0001A7FF, // LINT0: vector, delivery mode, polarity, trigger mode, mask
        0x0001A7FF, // LINT1
        0x000100FF, // error: vector, mask
    };
    // Read-only (not reserved) bits: delivery status, and remote IRR on LINT0/LINT1.
    private static final int[] LVT_READ_ONLY = {
        LVT_DELIVERY_STATUS, LVT_DELIVERY_STATUS, LVT_DELIVERY_STATUS,
        LVT_DELIVERY_STATUS | LVT_REMOTE_IRR, LVT_DELIVERY_STATUS | LVT_REMOTE_IRR, LVT_DELIVERY_STATUS,
    };

    // ICR low writable bits: vector, delivery mode, destination mode, level, trigger mode, shorthand.
    private static final int ICR_LOW_WRITABLE = 0x000C_CFFF;
    // SDM "Spurious-Interrupt Vector Register": vector 7:0, APIC software enable 8, focus processor
    // checking 9. MANUAL: bit 9 is stored and has no effect (focus checking only matters when
    // several processors arbitrate lowest-priority delivery); bit 12 (EOI-broadcast suppression)
    // is reserved because version bit 24 is clear.
    private static final int SVR_WRITABLE = 0x3FF;
    private static final int DCR_WRITABLE = 0xB;

    private final int initialApicId;
    private boolean bootstrap = true;
    private ApicBus bus;
    private final long baseAddressMask;
    private final boolean x2apicSupported;
    private final boolean tscDeadlineSupported;
    private final CycleClock clock;
    private EoiBroadcastListener eoiListener;

    private long apicBase;
    private int xapicId;
    private int tpr;
    private int ldr;
    private int dfr;
    private int svr;
    private final long[] isr = new long[4];
    private final long[] tmr = new long[4];
    private final long[] irr = new long[4];
    private int esr;
    private int errorsSinceEsrWrite;
    private long icr;
    private final int[] lvt = new int[LVT_COUNT];
    private int initialCount;
    private int divideConfig;
    private boolean nmiPending;
    private boolean extIntPending;

    // Timer state: the counter was loaded with countFrom at countStart and decrements every
    // 2^divideShift cycles; timerEvent is the cycle it reaches zero (or the TSC deadline).
    private long now;
    private long countStart;
    private long countFrom;
    private int divideShift = 1;
    private long timerEvent = Long.MAX_VALUE;
    private long tscDeadline;
    private long tscOffset;

    /**
     * @param apicId the hardware-assigned (x2)APIC ID; its low 8 bits are the xAPIC ID
     * @param maxPhysicalAddressBits MAXPHYADDR, bounding IA32_APIC_BASE's base field (32-52)
     * @param x2apicSupported CPUID.01H:ECX.x2APIC[bit 21]
     * @param tscDeadlineSupported CPUID.01H:ECX.TSC_Deadline[bit 24]
     * @param clock the machine's cycle counter
     */
    public LocalApic(int apicId, int maxPhysicalAddressBits, boolean x2apicSupported,
                     boolean tscDeadlineSupported, CycleClock clock) {
        if (apicId < 0) {
            throw new IllegalArgumentException("apicId must be in [0, 0x7FFFFFFF], was " + apicId);
        }
        if (maxPhysicalAddressBits < 32 || maxPhysicalAddressBits > 52) {
            throw new IllegalArgumentException("maxPhysicalAddressBits must be in [32, 52], was " + maxPhysicalAddressBits);
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        this.initialApicId = apicId;
        this.baseAddressMask = ((1L << maxPhysicalAddressBits) - 1) & ~0xFFFL;
        this.x2apicSupported = x2apicSupported;
        this.tscDeadlineSupported = tscDeadlineSupported;
        this.clock = clock;
        reset();
    }

    /** APIC ID 0, MAXPHYADDR 39, x2APIC and TSC-deadline supported. */
    public LocalApic(CycleClock clock) {
        this(0, 39, true, true, clock);
    }

    /**
     * Whether this is the bootstrap processor's APIC (IA32_APIC_BASE.BSP, bit 8); true by
     * default. Applies from the next {@link #reset()} and to IA32_APIC_BASE at once.
     */
    public void setBootstrapProcessor(boolean bsp) {
        this.bootstrap = bsp;
        apicBase = bsp ? apicBase | APIC_BASE_BSP : apicBase & ~APIC_BASE_BSP;
    }

    private XapicWindows windows;

    /** The windows that decode this APIC's xAPIC page (set by {@link XapicWindows}). */
    void setWindows(XapicWindows windows) {
        this.windows = windows;
    }

    /** Connects the APIC bus that carries this APIC's IPIs to the others (null: one processor). */
    public void setBus(ApicBus bus) {
        this.bus = bus;
    }

    /** The APIC ID assigned at power-up (CPUID's initial APIC ID, the x2APIC ID). */
    public int initialApicId() {
        return initialApicId;
    }

    public void setEoiBroadcastListener(EoiBroadcastListener listener) {
        this.eoiListener = listener;
    }

    // ================================================================ reset and modes

    /**
     * Power-up or RESET# (SDM "x2APIC State Transitions", "Local APIC State After Power-Up or
     * Reset"): xAPIC mode at {@link #DEFAULT_BASE}, BSP set, every register at its reset value.
     */
    public void reset() {
        apicBase = DEFAULT_BASE | (bootstrap ? APIC_BASE_BSP : 0) | APIC_BASE_EN;
        xapicId = initialApicId & 0xFF;
        resetRegisters();
    }

    /**
     * INIT (SDM "x2APIC State Transitions": an INIT keeps IA32_APIC_BASE and the APIC ID, and
     * initialises every other register). MANUAL: in x2APIC mode the LDR is re-derived from the
     * x2APIC ID, as on entering the mode.
     */
    public void init() {
        resetRegisters();
        if (isX2ApicMode()) {
            ldr = logicalX2ApicId();
        }
    }

    // SDM "Local APIC State After Power-Up or Reset": IRR, ISR, TMR, ICR, LDR, TPR, the timer
    // counts and the divide configuration are zero, DFR is all ones, every LVT entry is zero
    // except its mask bit, SVR is 0FFH.
    private void resetRegisters() {
        tpr = 0;
        ldr = 0;
        dfr = 0xFFFF_FFFF;
        svr = 0xFF;
        for (int i = 0; i < 4; i++) {
            isr[i] = 0;
            tmr[i] = 0;
            irr[i] = 0;
        }
        esr = 0;
        errorsSinceEsrWrite = 0;
        icr = 0;
        for (int i = 0; i < LVT_COUNT; i++) {
            lvt[i] = LVT_MASKED;
        }
        initialCount = 0;
        divideConfig = 0;
        divideShift = 1;
        countFrom = 0;
        countStart = now;
        tscDeadline = 0;
        timerEvent = Long.MAX_VALUE;
        nmiPending = false;
        extIntPending = false;
    }

    /**
     * What a PC BIOS leaves for the operating system (MultiProcessor Specification "virtual wire
     * mode"): the APIC software-enabled with spurious vector 0FFH, LINT0 as ExtINT (the 8259A pair
     * reaches the CPU through it) and LINT1 as NMI.
     */
    public void configureVirtualWire() {
        svr = SVR_APIC_SOFTWARE_ENABLE | 0xFF;
        lvt[LVT_LINT0] = DELIVERY_EXTINT << 8;
        lvt[LVT_LINT1] = DELIVERY_NMI << 8;
    }

    /** IA32_APIC_BASE[11]: the APIC is globally enabled (CPUID.01H:EDX.APIC[bit 9] follows it). */
    public boolean isGloballyEnabled() {
        return (apicBase & APIC_BASE_EN) != 0;
    }

    public boolean isX2ApicMode() {
        return (apicBase & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
    }

    private boolean isXApicMode() {
        return (apicBase & (APIC_BASE_EN | APIC_BASE_EXTD)) == APIC_BASE_EN;
    }

    /** SVR[8]: the APIC is software-enabled. */
    public boolean isSoftwareEnabled() {
        return (svr & SVR_APIC_SOFTWARE_ENABLE) != 0;
    }

    /** The physical address of the xAPIC page, IA32_APIC_BASE[MAXPHYADDR-1:12]. */
    public long baseAddress() {
        return apicBase & baseAddressMask;
    }

    public long readApicBase() {
        return apicBase;
    }

    /**
     * WRMSR IA32_APIC_BASE. SDM "x2APIC State Transitions": the valid moves are reset -> xAPIC,
     * xAPIC -> x2APIC, xAPIC or x2APIC -> disabled, disabled -> xAPIC; writing EXTD=1 with EN=0,
     * x2APIC -> xAPIC and disabled -> x2APIC raise #GP.
     *
     * <p>MANUAL: the BSP flag (bit 8) is the hardware's; a written bit 8 is ignored. On entering
     * the disabled state every register returns to its power-up value, the xAPIC ID included
     * (the SDM does not preserve them across the disabled state; Intel processors and KVM come
     * back from it with the initial APIC ID, as kvm-unit-tests' "correct xapic id after reset"
     * checks), so a later enable starts clean.
     *
     * <p>SDM "Relocating the Local APIC Registers": the xAPIC page follows the base
     * ({@link XapicWindows}).
     */
    public void writeApicBase(long value) {
        long allowed = APIC_BASE_BSP | APIC_BASE_EN | baseAddressMask | (x2apicSupported ? APIC_BASE_EXTD : 0);
        if ((value & ~allowed) != 0) {
            throw new ApicFault(ApicFault.Reason.APIC_BASE_RESERVED_BITS, IA32_APIC_BASE,
                    String.format("reserved bits 0x%x set in 0x%x", value & ~allowed, value));
        }
        boolean en = (value & APIC_BASE_EN) != 0;
        boolean extd = (value & APIC_BASE_EXTD) != 0;
        if (!en && extd) {
            throw new ApicFault(ApicFault.Reason.APIC_BASE_INVALID_TRANSITION, IA32_APIC_BASE,
                    "EXTD=1 with EN=0 is the invalid state");
        }
        boolean wasEnabled = isGloballyEnabled();
        boolean wasX2 = isX2ApicMode();
        if (wasX2 && en && !extd) {
            throw new ApicFault(ApicFault.Reason.APIC_BASE_INVALID_TRANSITION, IA32_APIC_BASE,
                    "x2APIC mode to xAPIC mode must go through the disabled state");
        }
        if (!wasEnabled && en && extd) {
            throw new ApicFault(ApicFault.Reason.APIC_BASE_INVALID_TRANSITION, IA32_APIC_BASE,
                    "the disabled state can move only to xAPIC mode");
        }
        sync();
        apicBase = (value & (baseAddressMask | APIC_BASE_EN | APIC_BASE_EXTD)) | (bootstrap ? APIC_BASE_BSP : 0);
        if (windows != null && en && !extd) {
            windows.baseWritten(this);
        }
        if (wasEnabled && !en) {
            xapicId = initialApicId & 0xFF;
            resetRegisters();
        } else if (!wasX2 && extd) {
            // SDM "Logical Destination Mode in x2APIC Mode": the LDR is initialised from the
            // x2APIC ID when x2APIC mode is enabled.
            ldr = logicalX2ApicId();
        }
    }

    // SDM "Deriving Logical x2APIC ID from the Local x2APIC ID":
    // ((x2APIC ID[19:4] << 16) | (1 << x2APIC ID[3:0])).
    private int logicalX2ApicId() {
        return ((initialApicId >>> 4) & 0xFFFF) << 16 | 1 << (initialApicId & 0xF);
    }

    // ================================================================ MSR interface

    /** True for the MSRs this class answers: IA32_APIC_BASE, IA32_TSC_DEADLINE, 800H-BFFH. */
    public static boolean handlesMsr(int msr) {
        return msr == IA32_APIC_BASE || msr == IA32_TSC_DEADLINE
                || (msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST);
    }

    /** RDMSR; throws {@link ApicFault} where the SDM raises #GP. */
    public long readMsr(int msr) {
        if (msr == IA32_APIC_BASE) {
            return apicBase;
        }
        if (msr == IA32_TSC_DEADLINE) {
            return readTscDeadline();
        }
        int reg = x2apicRegister(msr);
        sync();
        switch (reg) {
            case REG_ID:
                return initialApicId & 0xFFFF_FFFFL;
            case REG_LDR:
                return ldr & 0xFFFF_FFFFL;
            case REG_ICR_LOW:
                return icr;
            case REG_EOI:
            case REG_SELF_IPI:
                throw new ApicFault(ApicFault.Reason.READ_OF_WRITE_ONLY, msr, "write-only register");
            case REG_APR:
            case REG_RRD:
            case REG_DFR:
            case REG_ICR_HIGH:
                throw reservedMsr(msr);
            default:
                if (!isCommonRegister(reg)) {
                    throw reservedMsr(msr);
                }
                return readCommon(reg) & 0xFFFF_FFFFL;
        }
    }

    /** WRMSR; throws {@link ApicFault} where the SDM raises #GP. */
    public void writeMsr(int msr, long value) {
        if (msr == IA32_APIC_BASE) {
            writeApicBase(value);
            return;
        }
        if (msr == IA32_TSC_DEADLINE) {
            writeTscDeadline(value);
            return;
        }
        int reg = x2apicRegister(msr);
        if (reg == REG_ICR_LOW) {
            checkReserved(msr, value, 0xFFFF_FFFF_0000_0000L | ICR_LOW_WRITABLE);
            sync();
            icr = value;
            sendIpi((int) value, (int) (value >>> 32), true);
            return;
        }
        if (isReadOnly(reg)) {
            throw new ApicFault(ApicFault.Reason.WRITE_TO_READ_ONLY, msr, "read-only register");
        }
        sync();
        int v = (int) value;
        switch (reg) {
            case REG_TPR:
                checkReserved(msr, value, 0xFF);
                tpr = v;
                break;
            case REG_EOI:
                checkReserved(msr, value, 0); // "WRMSR of a non-zero value causes #GP(0)"
                endOfInterrupt();
                break;
            case REG_SVR:
                checkReserved(msr, value, SVR_WRITABLE);
                writeSvr(v);
                break;
            case REG_ESR:
                checkReserved(msr, value, 0); // "WRMSR of a non-zero value causes #GP(0)"
                latchErrors();
                break;
            case REG_LVT_TIMER:
            case REG_LVT_THERMAL:
            case REG_LVT_PERF:
            case REG_LVT_LINT0:
            case REG_LVT_LINT1:
            case REG_LVT_ERROR: {
                int i = (reg - REG_LVT_TIMER) >>> 4;
                // MANUAL: read-only bits (delivery status, remote IRR) are ignored, not faulted;
                // reserved delivery-mode encodings are stored (the SDM calls them reserved values,
                // not reserved bits).
                checkReserved(msr, value, lvtWritable(i) | LVT_READ_ONLY[i]);
                writeLvt(i, v);
                break;
            }
            case REG_TIMER_INITIAL_COUNT:
                checkReserved(msr, value, 0xFFFF_FFFFL);
                writeInitialCount(v);
                break;
            case REG_TIMER_DIVIDE:
                checkReserved(msr, value, DCR_WRITABLE);
                writeDivideConfig(v);
                break;
            case REG_SELF_IPI:
                // SDM "SELF IPI Register": a self-targeted, edge-triggered fixed IPI.
                checkReserved(msr, value, 0xFF);
                sendIpi((v & 0xFF) | (0b01 << 18), 0, true);
                break;
            default:
                throw reservedMsr(msr);
        }
    }

    // SDM "x2APIC Register Availability": only in x2APIC mode; MSR 800H + n is offset n * 16.
    private int x2apicRegister(int msr) {
        if (msr < X2APIC_MSR_FIRST || msr > X2APIC_MSR_LAST) {
            throw new IllegalArgumentException(String.format(
                    "msr must be 0x1B, 0x6E0 or in [0x800, 0xBFF] (see handlesMsr), was 0x%x", msr));
        }
        if (!isX2ApicMode()) {
            throw new ApicFault(ApicFault.Reason.NOT_IN_X2APIC_MODE, msr, "the local APIC is not in x2APIC mode");
        }
        if (msr > 0x83F) {
            throw reservedMsr(msr);
        }
        return (msr - X2APIC_MSR_FIRST) << 4;
    }

    private static ApicFault reservedMsr(int msr) {
        return new ApicFault(ApicFault.Reason.RESERVED_MSR, msr, "not an x2APIC register");
    }

    private static void checkReserved(int msr, long value, long allowed) {
        if ((value & ~allowed) != 0) {
            throw new ApicFault(ApicFault.Reason.RESERVED_BITS, msr,
                    String.format("reserved bits 0x%x set in 0x%x", value & ~allowed, value));
        }
    }

    private static boolean isReadOnly(int reg) {
        return reg == REG_ID || reg == REG_VERSION || reg == REG_PPR || reg == REG_LDR
                || (reg >= REG_ISR && reg < REG_ESR) || reg == REG_TIMER_CURRENT_COUNT;
    }

    private int lvtWritable(int index) {
        if (index == LVT_TIMER && !tscDeadlineSupported) {
            return 0x000300FF; // bit 18 is reserved without TSC-deadline mode
        }
        return LVT_WRITABLE[index];
    }

    // ================================================================ xAPIC MMIO page

    /**
     * SDM "Local APIC Register Address Map": 32-bit registers on 16-byte boundaries. MANUAL: a
     * narrower read returns the addressed bytes of the register; bytes 4-15 of each slot read 0.
     * SDM "x2APIC Register Availability": in x2APIC mode the page behaves as for a globally
     * disabled xAPIC. DEVIATION: such accesses should reach whatever is behind the page (RAM);
     * here reads return all ones (the open bus) and writes are dropped.
     */
    @Override
    public long read(long offset, int size) {
        if (!isXApicMode()) {
            return -1L;
        }
        int slot = (int) offset & 0xF;
        if (slot >= 4) {
            return 0;
        }
        sync();
        int reg = (int) offset & 0xFF0;
        int v = readXapic(reg);
        return (v & 0xFFFF_FFFFL) >>> (8 * slot);
    }

    /**
     * MANUAL: only a write of 4 or 8 bytes at the start of a slot reaches the register (its low
     * 32 bits); other writes are dropped, as the SDM makes only aligned 32-bit accesses defined.
     */
    @Override
    public void write(long offset, int size, long value) {
        if (!isXApicMode() || (offset & 0xF) != 0 || size < 4) {
            return;
        }
        sync();
        writeXapic((int) offset & 0xFF0, (int) value);
    }

    private int readXapic(int reg) {
        switch (reg) {
            case REG_ID:
                return xapicId << 24;
            case REG_APR:
                return arbitrationPriority();
            case REG_EOI:
            case REG_RRD:
                return 0; // MANUAL: the write-only EOI and the unsupported remote read return 0
            case REG_LDR:
                return ldr;
            case REG_DFR:
                return dfr | 0x0FFF_FFFF;
            case REG_ICR_LOW:
                return (int) icr; // delivery status (bit 12) reads idle: sending is instantaneous
            case REG_ICR_HIGH:
                return (int) (icr >>> 32) & 0xFF00_0000;
            default:
                if (isCommonRegister(reg)) {
                    return readCommon(reg);
                }
                recordError(ESR_ILLEGAL_REGISTER_ADDRESS);
                return 0;
        }
    }

    private void writeXapic(int reg, int v) {
        switch (reg) {
            case REG_ID:
                xapicId = v >>> 24; // MANUAL: the xAPIC ID is writable, as on current processors
                break;
            case REG_TPR:
                tpr = v & 0xFF;
                break;
            case REG_EOI:
                endOfInterrupt();
                break;
            case REG_LDR:
                ldr = v & 0xFF00_0000;
                break;
            case REG_DFR:
                dfr = v | 0x0FFF_FFFF;
                break;
            case REG_SVR:
                writeSvr(v & SVR_WRITABLE);
                break;
            case REG_ESR:
                latchErrors();
                break;
            case REG_ICR_LOW:
                icr = (icr & 0xFFFF_FFFF_0000_0000L) | (v & ICR_LOW_WRITABLE);
                sendIpi(v & ICR_LOW_WRITABLE, (int) (icr >>> 56), false);
                break;
            case REG_ICR_HIGH:
                icr = (icr & 0xFFFF_FFFFL) | ((long) (v & 0xFF00_0000) << 32);
                break;
            case REG_LVT_TIMER:
            case REG_LVT_THERMAL:
            case REG_LVT_PERF:
            case REG_LVT_LINT0:
            case REG_LVT_LINT1:
            case REG_LVT_ERROR: {
                int i = (reg - REG_LVT_TIMER) >>> 4;
                writeLvt(i, v & lvtWritable(i));
                break;
            }
            case REG_TIMER_INITIAL_COUNT:
                writeInitialCount(v);
                break;
            case REG_TIMER_DIVIDE:
                writeDivideConfig(v & DCR_WRITABLE);
                break;
            default:
                if (!isCommonRegister(reg)) {
                    recordError(ESR_ILLEGAL_REGISTER_ADDRESS);
                }
                break; // writes to read-only registers are ignored in xAPIC mode
        }
    }

    /** Registers with the same meaning in both modes. */
    private static boolean isCommonRegister(int reg) {
        switch (reg) {
            case REG_ID:
            case REG_VERSION:
            case REG_TPR:
            case REG_PPR:
            case REG_EOI:
            case REG_LDR:
            case REG_SVR:
            case REG_ESR:
            case REG_ICR_LOW:
            case REG_LVT_TIMER:
            case REG_LVT_THERMAL:
            case REG_LVT_PERF:
            case REG_LVT_LINT0:
            case REG_LVT_LINT1:
            case REG_LVT_ERROR:
            case REG_TIMER_INITIAL_COUNT:
            case REG_TIMER_CURRENT_COUNT:
            case REG_TIMER_DIVIDE:
                return true;
            default:
                return reg >= REG_ISR && reg < REG_ESR;
        }
    }

    private int readCommon(int reg) {
        switch (reg) {
            case REG_VERSION:
                return VERSION;
            case REG_TPR:
                return tpr;
            case REG_PPR:
                return processorPriority();
            case REG_SVR:
                return svr;
            case REG_ESR:
                return esr;
            case REG_LVT_TIMER:
            case REG_LVT_THERMAL:
            case REG_LVT_PERF:
            case REG_LVT_LINT0:
            case REG_LVT_LINT1:
            case REG_LVT_ERROR:
                return lvt[(reg - REG_LVT_TIMER) >>> 4];
            case REG_TIMER_INITIAL_COUNT:
                return initialCount;
            case REG_TIMER_CURRENT_COUNT:
                return currentCount();
            case REG_TIMER_DIVIDE:
                return divideConfig;
            default:
                if (reg >= REG_ISR && reg < REG_TMR) {
                    return word(isr, (reg - REG_ISR) >>> 4);
                }
                if (reg >= REG_TMR && reg < REG_IRR) {
                    return word(tmr, (reg - REG_TMR) >>> 4);
                }
                if (reg >= REG_IRR && reg < REG_ESR) {
                    return word(irr, (reg - REG_IRR) >>> 4);
                }
                return 0; // EOI in xAPIC mode; the MSR path faults before getting here
        }
    }

    private static int word(long[] bits, int index) {
        return (int) (bits[index >>> 1] >>> ((index & 1) * 32));
    }

    // ================================================================ priorities

    /** CR8 reads TPR[7:4] (SDM "Task Priority in IA-32e Mode"). */
    public int readCr8() {
        return tpr >>> 4;
    }

    /** MOV to CR8 loads TPR[7:4] with bits 3:0 and clears TPR[3:0]. */
    public void writeCr8(long value) {
        tpr = (int) (value & 0xF) << 4;
    }

    // SDM "Processor Priority Register (PPR)": PPR = TPR if TPR[7:4] >= ISRV[7:4],
    // otherwise ISRV[7:4] with PPR[3:0] = 0.
    public int processorPriority() {
        int isrv = highest(isr);
        int isrClass = isrv < 0 ? 0 : isrv & 0xF0;
        return (tpr & 0xF0) >= isrClass ? tpr : isrClass;
    }

    // SDM "Arbitration Priority Register (APR)".
    private int arbitrationPriority() {
        int isrv = Math.max(highest(isr), 0);
        int irrv = Math.max(highest(irr), 0);
        int tprClass = tpr & 0xF0;
        if (tprClass >= (irrv & 0xF0) && tprClass > (isrv & 0xF0)) {
            return tpr;
        }
        return Math.max(tprClass, Math.max(isrv & 0xF0, irrv & 0xF0));
    }

    private static int highest(long[] bits) {
        for (int i = 3; i >= 0; i--) {
            long w = bits[i];
            if (w != 0) {
                return i * 64 + 63 - Long.numberOfLeadingZeros(w);
            }
        }
        return -1;
    }

    private static boolean test(long[] bits, int vector) {
        return (bits[vector >>> 6] & (1L << vector)) != 0;
    }

    private static void set(long[] bits, int vector) {
        bits[vector >>> 6] |= 1L << vector;
    }

    private static void clear(long[] bits, int vector) {
        bits[vector >>> 6] &= ~(1L << vector);
    }

    /**
     * The highest IRR vector the APIC would present to the CPU, or -1. SDM "Interrupt, Task, and
     * Processor Priority": a vector is delivered only if its priority class (bits 7:4) is above
     * PPR[7:4].
     */
    public int deliverableVector() {
        // PERF: the common case (nothing requested) is four loads.
        if ((irr[0] | irr[1] | irr[2] | irr[3]) == 0) {
            return -1;
        }
        int v = highest(irr);
        return (v & 0xF0) > (processorPriority() & 0xF0) ? v : -1;
    }

    /**
     * SDM "Interrupt Acceptance for Fixed Interrupts": the CPU takes the highest deliverable IRR
     * vector, which moves to ISR. With nothing deliverable (priority raised meanwhile) the APIC
     * answers with the spurious vector, SVR[7:0], and sets no ISR bit (SDM "Spurious Interrupt").
     */
    public int acknowledge() {
        int v = deliverableVector();
        if (v < 0) {
            return svr & 0xFF;
        }
        clear(irr, v);
        set(isr, v);
        return v;
    }

    // SDM "End-of-Interrupt (EOI)": clear the highest ISR bit; for a level-triggered vector (TMR
    // set) broadcast the EOI to the I/O APICs.
    private void endOfInterrupt() {
        int v = highest(isr);
        if (v < 0) {
            return;
        }
        clear(isr, v);
        if (test(tmr, v) && eoiListener != null) {
            eoiListener.eoiBroadcast(v);
        }
    }

    // ================================================================ interrupt sources

    /**
     * Accepts a fixed (or lowest-priority) interrupt message into IRR. SDM "Interrupt Acceptance
     * for Fixed Interrupts": the TMR bit is set for level-triggered and cleared for edge-triggered
     * interrupts. Vectors 0-15 are illegal (SDM "Error Handling": Receive Illegal Vector).
     * MANUAL: a software-disabled APIC accepts no fixed interrupts (SDM "Local APIC State After It
     * Has Been Software Disabled" lists only INIT, NMI, SMI and SIPI as still answered).
     *
     * @return whether the vector was accepted into IRR
     */
    public boolean acceptFixed(int vector, boolean levelTriggered) {
        if (vector < 0 || vector > 255) {
            throw new IllegalArgumentException("vector must be in [0, 255], was " + vector);
        }
        if (!isGloballyEnabled()) {
            return false;
        }
        if (vector < 16) {
            recordError(ESR_RECEIVE_ILLEGAL_VECTOR);
            return false;
        }
        if (!isSoftwareEnabled()) {
            return false;
        }
        set(irr, vector);
        if (levelTriggered) {
            set(tmr, vector);
        } else {
            clear(tmr, vector);
        }
        return true;
    }

    /** An NMI message (from the I/O APIC, LINT1 or an IPI). */
    public void acceptNmi() {
        nmiPending = true;
    }

    /** An ExtINT message from the I/O APIC: the CPU's next acknowledge goes to the 8259A pair. */
    public void acceptExtInt() {
        if (isGloballyEnabled()) {
            extIntPending = true;
        }
    }

    /**
     * An edge on LINT0 or LINT1 (pin 0 or 1), delivered as its LVT entry says. When the APIC is
     * globally disabled the pins are the processor's INTR and NMI (SDM "Enabling or Disabling the
     * Local APIC"): LINT1 then latches an NMI; LINT0's INTR is the 8259A path.
     */
    public void assertLint(int pin) {
        if (pin != 0 && pin != 1) {
            throw new IllegalArgumentException("pin must be 0 (LINT0) or 1 (LINT1), was " + pin);
        }
        if (!isGloballyEnabled()) {
            if (pin == 1) {
                nmiPending = true;
            }
            return;
        }
        deliverLvt(pin == 0 ? LVT_LINT0 : LVT_LINT1);
    }

    public boolean hasPendingNmi() {
        return nmiPending;
    }

    public void acknowledgeNmi() {
        nmiPending = false;
    }

    /**
     * True if an 8259A request reaches the CPU: the APIC is globally disabled (INTR is direct),
     * LINT0 is unmasked with delivery mode ExtINT (virtual wire), or an ExtINT message is pending.
     */
    public boolean routesExtInt() {
        if (!isGloballyEnabled()) {
            return true;
        }
        int l = lvt[LVT_LINT0];
        return extIntPending || ((l & LVT_MASKED) == 0 && ((l >>> 8) & 7) == DELIVERY_EXTINT);
    }

    /** Called when the CPU's acknowledge went to the 8259A pair. */
    public void extIntAcknowledged() {
        extIntPending = false;
    }

    private void deliverLvt(int index) {
        int e = lvt[index];
        if ((e & LVT_MASKED) != 0) {
            return;
        }
        int mode = index == LVT_TIMER || index == LVT_ERROR ? DELIVERY_FIXED : (e >>> 8) & 7;
        switch (mode) {
            case DELIVERY_FIXED:
                if (index == LVT_ERROR && (e & 0xF0) == 0) {
                    // An illegal error vector only records the error; it must not recurse.
                    errorsSinceEsrWrite |= ESR_RECEIVE_ILLEGAL_VECTOR;
                    return;
                }
                acceptFixed(e & 0xFF, index >= LVT_LINT0 && index <= LVT_LINT1 && (e & LVT_LEVEL_TRIGGERED) != 0);
                break;
            case DELIVERY_NMI:
                nmiPending = true;
                break;
            case DELIVERY_EXTINT:
                extIntPending = true;
                break;
            default:
                break; // DEVIATION: SMI and INIT from an LVT entry are not modelled (dropped)
        }
    }

    // SDM "Error Handling": errors accumulate until the next ESR write, and each detected error
    // raises the LVT error interrupt.
    private void recordError(int bit) {
        errorsSinceEsrWrite |= bit;
        deliverLvt(LVT_ERROR);
    }

    // SDM "Error Handling": a write to ESR loads it with the errors since the previous write.
    private void latchErrors() {
        esr = errorsSinceEsrWrite;
        errorsSinceEsrWrite = 0;
    }

    // SDM "Local APIC State After It Has Been Software Disabled": clearing SVR[8] sets every LVT
    // mask bit; while disabled the mask bits cannot be cleared.
    private void writeSvr(int v) {
        svr = v;
        if (!isSoftwareEnabled()) {
            for (int i = 0; i < LVT_COUNT; i++) {
                lvt[i] |= LVT_MASKED;
            }
        }
    }

    private void writeLvt(int index, int v) {
        int value = v & lvtWritable(index);
        if (!isSoftwareEnabled()) {
            value |= LVT_MASKED;
        }
        if (index == LVT_TIMER) {
            int oldMode = timerMode();
            lvt[index] = value;
            int newMode = timerMode();
            // SDM "TSC-Deadline Mode": "A write to the LVT Timer Register that changes the timer
            // mode disarms the local APIC timer." MANUAL: as Intel processors do (kvm-unit-tests'
            // apic test), only a change into or out of TSC-deadline mode (or the reserved mode
            // 11B, which runs no timer) disarms it; between one-shot and periodic the count goes
            // on from where it is. A change into or out of TSC-deadline mode also zeroes the
            // initial-count register (it is ignored in that mode, so a count set before would
            // otherwise resurface).
            if (oldMode != newMode && !(counting(oldMode) && counting(newMode))) {
                countFrom = 0;
                tscDeadline = 0;
                timerEvent = Long.MAX_VALUE;
                if (oldMode == TIMER_MODE_TSC_DEADLINE || newMode == TIMER_MODE_TSC_DEADLINE) {
                    initialCount = 0;
                }
            }
            return;
        }
        lvt[index] = value;
    }

    // ================================================================ IPIs

    // SDM "Interrupt Command Register (ICR)". With an ApicBus the IPI goes to every APIC it
    // names; without one (one processor) IPIs that do not include this APIC are dropped, as are
    // SMI, INIT and SIPI.
    private void sendIpi(int low, int destination, boolean x2apic) {
        if (bus != null) {
            int mode = (low >>> 8) & 7;
            if ((mode == DELIVERY_FIXED || mode == DELIVERY_LOWEST_PRIORITY) && (low & 0xFF) < 16) {
                recordError(ESR_SEND_ILLEGAL_VECTOR);
                return;
            }
            bus.sendIpi(this, low, destination, x2apic);
            return;
        }
        int vector = low & 0xFF;
        int mode = (low >>> 8) & 7;
        boolean logical = (low & (1 << 11)) != 0;
        int shorthand = (low >>> 18) & 3;
        boolean toSelf;
        switch (shorthand) {
            case 0b00:
                toSelf = x2apic ? matchesX2Apic(destination, logical) : matchesXApic(destination & 0xFF, logical);
                break;
            case 0b01: // self: only the fixed mode is valid
                toSelf = mode == DELIVERY_FIXED;
                break;
            case 0b10: // all including self
                toSelf = true;
                break;
            default: // all excluding self
                toSelf = false;
                break;
        }
        if (mode == DELIVERY_FIXED || mode == DELIVERY_LOWEST_PRIORITY) {
            if (vector < 16) {
                recordError(ESR_SEND_ILLEGAL_VECTOR);
                return;
            }
            if (toSelf) {
                acceptFixed(vector, false);
            }
        } else if (mode == DELIVERY_NMI && toSelf) {
            nmiPending = true;
        }
    }

    /** Whether an IPI's destination field names this APIC (xAPIC 8-bit or x2APIC 32-bit form). */
    boolean matchesIpiDestination(int destination, boolean logical, boolean x2apic) {
        return x2apic ? matchesX2Apic(destination, logical) : matchesXApic(destination & 0xFF, logical);
    }

    /** Physical or logical (flat or cluster, per DFR) match of an 8-bit xAPIC destination. */
    private boolean matchesXApic(int dest, boolean logical) {
        if (dest == 0xFF) {
            return true;
        }
        if (!logical) {
            return dest == xapicId;
        }
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xF) {
            return (dest & logicalId) != 0; // flat model
        }
        return (dest >>> 4) == (logicalId >>> 4) && (dest & logicalId & 0xF) != 0; // cluster model
    }

    // SDM "Interrupt Destination and Logical Destination in x2APIC Mode".
    private boolean matchesX2Apic(int dest, boolean logical) {
        if (dest == -1) {
            return true;
        }
        if (!logical) {
            return dest == initialApicId;
        }
        return (dest >>> 16) == (ldr >>> 16) && (dest & ldr & 0xFFFF) != 0;
    }

    /**
     * Whether an I/O APIC message with 8-bit {@code destination} reaches this APIC. MANUAL: in
     * x2APIC mode (no interrupt remapping) the 8-bit destination is compared as an x2APIC
     * destination whose cluster is 0.
     */
    public boolean acceptsMessageFor(int destination, boolean logical) {
        if (!isGloballyEnabled()) {
            return false;
        }
        int d = destination & 0xFF;
        if (isX2ApicMode()) {
            return d == 0xFF || matchesX2Apic(d, logical);
        }
        return matchesXApic(d, logical);
    }

    // ================================================================ timer

    /** The cycle of the next timer event, or {@link Long#MAX_VALUE}. */
    public long nextEventCycle() {
        return timerEvent;
    }

    /**
     * Brings the timer to {@code cycle}: an expiry at or before it sets the timer vector in IRR
     * (unless masked); a periodic timer reloads. Earlier cycles than already seen are ignored.
     */
    public void advanceTo(long cycle) {
        if (cycle > now) {
            now = cycle;
        }
        if (now >= timerEvent) {
            expire();
        }
    }

    private void sync() {
        advanceTo(clock.cycle());
    }

    private int timerMode() {
        return (lvt[LVT_TIMER] >>> 17) & 3;
    }

    private boolean isCountingMode() {
        return counting(timerMode());
    }

    private static boolean counting(int mode) {
        return mode == TIMER_MODE_ONE_SHOT || mode == TIMER_MODE_PERIODIC;
    }

    private long countingEvent() {
        if (!isCountingMode() || countFrom == 0) {
            return Long.MAX_VALUE;
        }
        return countStart + (countFrom << divideShift);
    }

    // SDM "APIC Timer": at zero a one-shot timer stops; a periodic timer reloads from the
    // initial-count register and counts on. SDM "TSC-Deadline Mode": the deadline MSR is cleared.
    private void expire() {
        long event = timerEvent;
        if (timerMode() == TIMER_MODE_TSC_DEADLINE) {
            tscDeadline = 0;
            timerEvent = Long.MAX_VALUE;
        } else if (timerMode() == TIMER_MODE_PERIODIC && initialCount != 0) {
            long period = Integer.toUnsignedLong(initialCount) << divideShift;
            long periodsLate = (now - event) / period;
            countStart = event + periodsLate * period;
            countFrom = Integer.toUnsignedLong(initialCount);
            timerEvent = countStart + period;
        } else {
            countFrom = 0;
            timerEvent = Long.MAX_VALUE;
        }
        deliverLvt(LVT_TIMER);
    }

    // SDM "APIC Timer": a write to the initial-count register starts the count (zero stops it).
    // In TSC-deadline mode such writes are ignored.
    private void writeInitialCount(int v) {
        if (timerMode() == TIMER_MODE_TSC_DEADLINE) {
            return;
        }
        initialCount = v;
        countFrom = Integer.toUnsignedLong(v);
        countStart = now;
        timerEvent = countingEvent();
    }

    private int currentCount() {
        if (!isCountingMode() || timerEvent == Long.MAX_VALUE) {
            return 0; // stopped, expired one-shot, or TSC-deadline mode (which reads 0)
        }
        long ticks = (now - countStart) >>> divideShift;
        return (int) (countFrom - ticks);
    }

    // SDM "Divide Configuration Register": bits 3,1:0 = 000 -> 2, 001 -> 4, 010 -> 8, 011 -> 16,
    // 100 -> 32, 101 -> 64, 110 -> 128, 111 -> 1.
    static int divideShiftFor(int dcr) {
        int code = ((dcr >>> 1) & 4) | (dcr & 3);
        return (code + 1) & 7;
    }

    // MANUAL: a divide change while counting keeps the current count and restarts the divider
    // at the write (the SDM leaves the partial tick undefined).
    private void writeDivideConfig(int v) {
        int count = currentCount();
        divideConfig = v;
        divideShift = divideShiftFor(v);
        if (timerEvent != Long.MAX_VALUE && isCountingMode()) {
            countFrom = Integer.toUnsignedLong(count);
            countStart = now;
            timerEvent = countingEvent();
        }
    }

    /** The TSC minus the cycle counter (the CPU sets it when software writes the TSC). */
    public void setTscOffset(long offset) {
        sync();
        tscOffset = offset;
        if (timerMode() == TIMER_MODE_TSC_DEADLINE && tscDeadline != 0) {
            armDeadline();
        }
    }

    // SDM "TSC-Deadline Mode": outside TSC-deadline mode the MSR reads 0 and writes are ignored.
    private long readTscDeadline() {
        checkTscDeadlineMsr();
        return timerMode() == TIMER_MODE_TSC_DEADLINE ? tscDeadline : 0;
    }

    private void writeTscDeadline(long value) {
        checkTscDeadlineMsr();
        sync();
        if (timerMode() != TIMER_MODE_TSC_DEADLINE) {
            return;
        }
        tscDeadline = value;
        if (value == 0) {
            timerEvent = Long.MAX_VALUE; // writing 0 disarms
            return;
        }
        armDeadline();
    }

    private void armDeadline() {
        // The timer fires when TSC = cycle + offset reaches the deadline (unsigned). A deadline
        // already passed fires at once.
        long tscNow = now + tscOffset;
        if (Long.compareUnsigned(tscDeadline, tscNow) <= 0) {
            timerEvent = now;
        } else {
            long delta = tscDeadline - tscNow;
            timerEvent = delta > Long.MAX_VALUE - now ? Long.MAX_VALUE - 1 : now + delta;
        }
        if (now >= timerEvent) {
            expire();
        }
    }

    private void checkTscDeadlineMsr() {
        if (!tscDeadlineSupported) {
            throw new ApicFault(ApicFault.Reason.UNSUPPORTED_MSR, IA32_TSC_DEADLINE,
                    "IA32_TSC_DEADLINE needs CPUID.01H:ECX.TSC_Deadline");
        }
    }

    // ================================================================ views for tests and debuggers

    /** Bit {@code vector} of IRR. */
    public boolean irrBit(int vector) {
        return test(irr, vector & 0xFF);
    }

    public boolean isrBit(int vector) {
        return test(isr, vector & 0xFF);
    }

    public boolean tmrBit(int vector) {
        return test(tmr, vector & 0xFF);
    }
}
