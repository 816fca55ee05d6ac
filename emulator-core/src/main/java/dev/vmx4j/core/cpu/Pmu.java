package dev.vmx4j.core.cpu;

import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * Architectural performance monitoring (SDM "Architectural Performance Monitoring"), shaped by
 * the profile's CPUID.0AH: version (EAX[7:0]), general-purpose counters (EAX[15:8], width
 * EAX[23:16]), fixed counters (EDX[4:0] and, from version 5, the ECX bitmap; width EDX[12:5]),
 * and IA32_PERF_CAPABILITIES when CPUID.01H:ECX.PDCM is set.
 *
 * <p>MSRs: IA32_PMCx (C1H+x) and IA32_PERFEVTSELx (186H+x) from version 1; IA32_A_PMCx (4C1H+x)
 * when IA32_PERF_CAPABILITIES.FW_WRITE[13]; IA32_FIXED_CTRx (309H+x), IA32_FIXED_CTR_CTRL (38DH),
 * IA32_PERF_GLOBAL_STATUS (38EH), IA32_PERF_GLOBAL_CTRL (38FH), IA32_PERF_GLOBAL_OVF_CTRL (390H)
 * from version 2; IA32_PERF_GLOBAL_STATUS_SET (391H) and IA32_PERF_GLOBAL_INUSE (392H) from
 * version 4. Reserved bits are #GP(0), as are writes to the read-only ones.
 *
 * <p>Counting is deterministic, from the CPU's retired-instruction and cycle counters: the
 * architectural events "UnHalted Core Cycles" (event 3CH, umask 00H) and "UnHalted Reference
 * Cycles" (3CH/01H) count cycles, "Instruction Retired" (C0H/00H) counts retired instructions;
 * fixed counter 0 counts instructions, 1 and 2 cycles. Counts are brought up to date lazily
 * (at every PMU MSR access and RDPMC), so a counter costs nothing per instruction.
 * DEVIATION: other events count nothing; the USR/OS (and fixed-counter ring) filters are not
 * applied per instruction (a counter with either enabled counts at every CPL); HLT time counts
 * as cycles; an overflow sets its IA32_PERF_GLOBAL_STATUS bit when next observed and raises no
 * PMI.
 *
 * <p>Under an AMD profile the counters are AMD's legacy ones instead (AMD APM Volume 2
 * "Performance Counters", present on every AMD64 processor without a CPUID bit): four 48-bit
 * PerfCtr0-3 (C001_0004H+x, also RDPMC 0-3) with their PerfEvtSel0-3 (C001_0000H+x, the same
 * USR/OS/EN bits, EventSelect[11:8] in bits 35:32); events 76H "CPU Clocks not Halted" and C0H
 * "Retired Instructions" count as above, with the same deviations; there are no fixed or global
 * controls.
 */
final class Pmu {

    static final int IA32_PMC0 = 0xC1;
    static final int IA32_PERFEVTSEL0 = 0x186;
    static final int IA32_PERF_CAPABILITIES = 0x345;
    static final int IA32_FIXED_CTR0 = 0x309;
    static final int IA32_FIXED_CTR_CTRL = 0x38D;
    static final int IA32_PERF_GLOBAL_STATUS = 0x38E;
    static final int IA32_PERF_GLOBAL_CTRL = 0x38F;
    static final int IA32_PERF_GLOBAL_OVF_CTRL = 0x390;
    static final int IA32_PERF_GLOBAL_STATUS_SET = 0x391;
    static final int IA32_PERF_GLOBAL_INUSE = 0x392;
    static final int IA32_A_PMC0 = 0x4C1;
    /** AMD APM "Performance Counters": PerfEvtSel0 and PerfCtr0 (legacy, K7 and later). */
    static final int AMD_PERF_EVT_SEL0 = 0xC0010000;
    static final int AMD_PERF_CTR0 = 0xC0010004;
    private static final int AMD_LEGACY_COUNTERS = 4;
    private static final int AMD_COUNTER_WIDTH = 48;

    /** IA32_PERF_CAPABILITIES bit 13: full-width writes to the counters through IA32_A_PMCx. */
    static final long PERF_CAP_FW_WRITE = 1L << 13;
    /** IA32_PERFEVTSELx: USR(16), OS(17), EN(22). */
    private static final long EVTSEL_USR = 1L << 16;
    private static final long EVTSEL_OS = 1L << 17;
    private static final long EVTSEL_EN = 1L << 22;
    private static final int EVENT_NONE = 0;
    private static final int EVENT_CYCLES = 1;
    private static final int EVENT_INSTRUCTIONS = 2;

    final int version;
    /** AMD's legacy counters rather than Intel's architectural ones. */
    private final boolean amd;
    /** The MSR of general-purpose counter 0 and of its event select (Intel or AMD numbering). */
    private final int ctr0;
    private final int sel0;
    final int gpCount;
    final int fixedCount;
    private final long gpMask;
    private final long fixedMask;
    private final boolean hasPerfCapabilities;
    private final long perfCapabilities;
    /** Writable bits of IA32_PERF_GLOBAL_CTRL: one per general-purpose and fixed counter. */
    final long globalCtrlValidBits;

    private final long[] gp;
    private final long[] evtsel;
    private final long[] fixed;
    private long fixedCtrl;
    private long globalCtrl;
    private long globalStatus;
    private long lastInstructions;
    private long lastCycles;
    private final Cpu cpu;

    Pmu(Cpu cpu, CpuProfile profile) {
        this.cpu = cpu;
        int[] a = new int[4];
        profile.cpuid(0, 0, a);
        int v = 0;
        int gpN = 0;
        int gpW = 0;
        int fxN = 0;
        int fxW = 0;
        if ((a[0] & 0xFFFFFFFFL) >= 0xA) {
            profile.cpuid(0xA, 0, a);
            v = a[0] & 0xFF;
            gpN = Math.min((a[0] >>> 8) & 0xFF, 8);
            gpW = (a[0] >>> 16) & 0xFF;
            if (v >= 2) {
                fxN = Math.min(a[3] & 0x1F, 8);
                fxW = (a[3] >>> 5) & 0xFF;
                if (v >= 5) {
                    fxN = Math.max(fxN, Math.min(32 - Integer.numberOfLeadingZeros(a[2]), 8));
                }
            }
        }
        this.amd = profile.vendor() == dev.vmx4j.vmx.profile.CpuVendor.AMD;
        if (amd) {
            v = 0;
            gpN = AMD_LEGACY_COUNTERS;
            gpW = AMD_COUNTER_WIDTH;
            fxN = 0;
        }
        this.ctr0 = amd ? AMD_PERF_CTR0 : IA32_PMC0;
        this.sel0 = amd ? AMD_PERF_EVT_SEL0 : IA32_PERFEVTSEL0;
        this.version = v;
        this.gpCount = v == 0 && !amd ? 0 : gpN;
        this.fixedCount = fxN;
        this.gpMask = width(gpW);
        this.fixedMask = width(fxW);
        this.hasPerfCapabilities = profile.hasFeature(1, 0, 2, 15);
        // MANUAL: a profile without an IA32_PERF_CAPABILITIES value reports 0 (no LBR format, no
        // PEBS, no full-width writes).
        this.perfCapabilities = profile.hasMsr(IA32_PERF_CAPABILITIES) ? profile.msr(IA32_PERF_CAPABILITIES) : 0;
        this.globalCtrlValidBits = v >= 2 ? ((1L << gpCount) - 1) | (((1L << fixedCount) - 1) << 32) : 0;
        this.gp = new long[gpCount];
        this.evtsel = new long[gpCount];
        this.fixed = new long[fixedCount];
        reset();
    }

    private static long width(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : (1L << bits) - 1;
    }

    /** Power-on state: counters and controls zero. */
    void reset() {
        java.util.Arrays.fill(gp, 0);
        java.util.Arrays.fill(evtsel, 0);
        java.util.Arrays.fill(fixed, 0);
        fixedCtrl = 0;
        // SDM "Global Counter Control Facilities". MANUAL: the reset value enables every
        // general-purpose counter (bits N-1:0 set), as Intel processors and KVM do.
        globalCtrl = globalCtrlValidBits & 0xFFFFFFFFL;
        globalStatus = 0;
        lastInstructions = cpu.retired();
        lastCycles = cpu.cycles();
    }

    /** True if {@code index} is one of the PMU MSRs this profile has. */
    boolean handles(int index) {
        if (index >= ctr0 && index < ctr0 + gpCount || index >= sel0 && index < sel0 + gpCount) {
            return true;
        }
        if (index >= IA32_A_PMC0 && index < IA32_A_PMC0 + gpCount) {
            return hasPerfCapabilities && (perfCapabilities & PERF_CAP_FW_WRITE) != 0;
        }
        if (index == IA32_PERF_CAPABILITIES) {
            return hasPerfCapabilities;
        }
        if (version >= 2 && (index >= IA32_FIXED_CTR0 && index < IA32_FIXED_CTR0 + fixedCount
                || index >= IA32_FIXED_CTR_CTRL && index <= IA32_PERF_GLOBAL_OVF_CTRL)) {
            return true;
        }
        return version >= 4 && (index == IA32_PERF_GLOBAL_STATUS_SET || index == IA32_PERF_GLOBAL_INUSE);
    }

    /** Brings every enabled counter up to the CPU's current instruction and cycle counts. */
    private void sync() {
        long instructions = cpu.retired();
        long cycles = cpu.cycles();
        long di = instructions - lastInstructions;
        long dc = cycles - lastCycles;
        lastInstructions = instructions;
        lastCycles = cycles;
        if (di == 0 && dc == 0) {
            return;
        }
        for (int i = 0; i < gpCount; i++) {
            long sel = evtsel[i];
            if ((sel & EVTSEL_EN) == 0 || (sel & (EVTSEL_USR | EVTSEL_OS)) == 0
                    || version >= 2 && (globalCtrl & (1L << i)) == 0) {
                continue;
            }
            int e = amd ? amdEvent(sel) : event(sel);
            long delta = e == EVENT_CYCLES ? dc : e == EVENT_INSTRUCTIONS ? di : 0;
            gp[i] = add(gp[i], delta, gpMask, i);
        }
        for (int i = 0; i < fixedCount; i++) {
            if (((fixedCtrl >>> (4 * i)) & 3) == 0 || (globalCtrl & (1L << (32 + i))) == 0) {
                continue;
            }
            long delta = i == 0 ? di : i <= 2 ? dc : 0;
            fixed[i] = add(fixed[i], delta, fixedMask, 32 + i);
        }
    }

    private long add(long value, long delta, long mask, int statusBit) {
        long sum = value + delta;
        if (delta != 0 && (Long.compareUnsigned(delta, mask) > 0 || (sum & ~mask) != 0)) {
            // SDM "Global Counter Control Facilities": a counter overflow sets its status bit.
            globalStatus |= 1L << statusBit;
        }
        return sum & mask;
    }

    private static int event(long sel) {
        int eventSelect = (int) sel & 0xFF;
        int umask = (int) (sel >>> 8) & 0xFF;
        if (eventSelect == 0x3C && (umask == 0 || umask == 1)) {
            return EVENT_CYCLES;
        }
        if (eventSelect == 0xC0 && umask == 0) {
            return EVENT_INSTRUCTIONS;
        }
        return EVENT_NONE;
    }

    /** AMD APM "Performance Counters": EventSelect[11:0] is bits 35:32 and 7:0 of PerfEvtSel. */
    private static int amdEvent(long sel) {
        int eventSelect = (int) sel & 0xFF | (int) (sel >>> 24) & 0xF00;
        if (eventSelect == 0x76) { // CPU Clocks not Halted
            return EVENT_CYCLES;
        }
        return eventSelect == 0xC0 ? EVENT_INSTRUCTIONS : EVENT_NONE; // Retired Instructions
    }

    /** RDMSR of an MSR {@link #handles(int)} accepted. */
    long read(int index) {
        sync();
        if (index >= ctr0 && index < ctr0 + gpCount) {
            return gp[index - ctr0];
        }
        if (index >= IA32_A_PMC0 && index < IA32_A_PMC0 + gpCount) {
            return gp[index - IA32_A_PMC0];
        }
        if (index >= sel0 && index < sel0 + gpCount) {
            return evtsel[index - sel0];
        }
        if (index >= IA32_FIXED_CTR0 && index < IA32_FIXED_CTR0 + fixedCount) {
            return fixed[index - IA32_FIXED_CTR0];
        }
        switch (index) {
            case IA32_PERF_CAPABILITIES:
                return perfCapabilities;
            case IA32_FIXED_CTR_CTRL:
                return fixedCtrl;
            case IA32_PERF_GLOBAL_STATUS:
                return globalStatus;
            case IA32_PERF_GLOBAL_CTRL:
                return globalCtrl;
            case IA32_PERF_GLOBAL_INUSE:
                return inUse();
            default:
                return 0; // IA32_PERF_GLOBAL_OVF_CTRL and _STATUS_SET read as 0
        }
    }

    private long inUse() {
        // SDM "IA32_PERF_GLOBAL_INUSE": bit n for an enabled PERFEVTSELn, bit 32+n for a fixed counter enabled in any ring.
        long v = 0;
        for (int i = 0; i < gpCount; i++) {
            if ((evtsel[i] & 0xFF) != 0 || (evtsel[i] & EVTSEL_EN) != 0) {
                v |= 1L << i;
            }
        }
        for (int i = 0; i < fixedCount; i++) {
            if (((fixedCtrl >>> (4 * i)) & 3) != 0) {
                v |= 1L << (32 + i);
            }
        }
        return v;
    }

    /**
     * WRMSR with the architectural checks; returns false where the SDM says #GP(0) (reserved
     * bits, a read-only MSR). {@code guest} false: an API write, which may set read-only state.
     */
    boolean write(int index, long value, boolean guest) {
        sync();
        if (amd && index >= ctr0 && index < ctr0 + gpCount) {
            // MANUAL: AMD's PerfCtr takes bits 47:0 of the value written (no sign extension).
            gp[index - ctr0] = value & gpMask;
            return true;
        }
        if (index >= ctr0 && index < ctr0 + gpCount) {
            // SDM "Full-Width Writes to Performance Counter Registers": through IA32_PMCx only
            // bits 31:0 are written and sign-extended to the counter's width.
            gp[index - ctr0] = guest ? ((long) (int) value) & gpMask : value & gpMask;
            return true;
        }
        if (index >= IA32_A_PMC0 && index < IA32_A_PMC0 + gpCount) {
            if ((value & ~gpMask) != 0) {
                return false;
            }
            gp[index - IA32_A_PMC0] = value;
            return true;
        }
        if (index >= sel0 && index < sel0 + gpCount) {
            // SDM "IA32_PERFEVTSELx MSRs": bits 63:32 reserved. AMD APM: EventSelect[11:8] in 35:32.
            if ((value >>> (amd ? 36 : 32)) != 0) {
                return false;
            }
            evtsel[index - sel0] = value;
            return true;
        }
        if (index >= IA32_FIXED_CTR0 && index < IA32_FIXED_CTR0 + fixedCount) {
            if ((value & ~fixedMask) != 0) {
                return false;
            }
            fixed[index - IA32_FIXED_CTR0] = value;
            return true;
        }
        switch (index) {
            case IA32_PERF_CAPABILITIES:
            case IA32_PERF_GLOBAL_INUSE:
                return false;
            case IA32_FIXED_CTR_CTRL: {
                // SDM "Fixed-Function Performance Counters": 4 bits per counter: ring enables (1:0),
                // AnyThread (2, from version 3), PMI (3).
                long valid = 0;
                long field = version >= 3 ? 0xF : 0xB;
                for (int i = 0; i < fixedCount; i++) {
                    valid |= field << (4 * i);
                }
                if ((value & ~valid) != 0) {
                    return false;
                }
                fixedCtrl = value;
                return true;
            }
            case IA32_PERF_GLOBAL_STATUS:
                if (guest) {
                    return false;
                }
                globalStatus = value;
                return true;
            case IA32_PERF_GLOBAL_CTRL:
                // SDM "Global Counter Control Facilities": bits for absent counters are reserved.
                if ((value & ~globalCtrlValidBits) != 0) {
                    return false;
                }
                globalCtrl = value;
                return true;
            case IA32_PERF_GLOBAL_OVF_CTRL:
            case IA32_PERF_GLOBAL_STATUS_SET: {
                // SDM "IA32_PERF_GLOBAL_OVF_CTRL"/"IA32_PERF_GLOBAL_STATUS_SET": a 1 clears (sets)
                // the status bit of each counter, and of OvfBuffer (62) and CondChgd (63).
                long valid = globalCtrlValidBits | (3L << 62);
                if ((value & ~valid) != 0) {
                    return false;
                }
                globalStatus = index == IA32_PERF_GLOBAL_OVF_CTRL ? globalStatus & ~value : globalStatus | value;
                return true;
            }
            default:
                return false;
        }
    }

    /**
     * SDM "RDPMC": ECX[30] selects the fixed counters, ECX[29:0] the index; false (the caller
     * raises #GP(0)) when no such counter exists.
     */
    boolean hasCounter(int ecx) {
        int n = ecx & 0x3FFFFFFF;
        boolean isFixed = (ecx & (1 << 30)) != 0;
        return ecx >= 0 && n < (isFixed ? fixedCount : gpCount);
    }

    /** The count RDPMC returns for a counter {@link #hasCounter(int)} accepted. */
    long counter(int ecx) {
        sync();
        int n = ecx & 0x3FFFFFFF;
        return (ecx & (1 << 30)) != 0 ? fixed[n] : gp[n];
    }
}
