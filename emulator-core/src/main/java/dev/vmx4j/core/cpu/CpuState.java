package dev.vmx4j.core.cpu;

/**
 * The one view of every piece of CPU state the VMCS can hold (SDM "Guest-State Area",
 * "Host-State Area"): general registers, RIP, RFLAGS, control and debug registers, segment
 * registers with their descriptor caches in the VMCS access-rights form, GDTR/IDTR, the MSRs VM
 * entry and exit load and save, interruptibility, pending debug exceptions, activity state and
 * the PDPTEs. VM entry, VM exit, snapshots and the debugger read and write through it.
 *
 * <p>Setters are raw: they store the value without the checks the instructions apply (the
 * VM-entry checks, or the caller, have decided already). After a bulk load, call
 * {@link #refreshDerivedState()} once: it recomputes what the CPU derives from the registers.
 *
 * <p>PERF: a view over {@link Cpu}'s own fields (one preallocated instance, {@code Cpu.state()});
 * the hot path keeps reading the fields directly.
 */
public final class CpuState {

    /** The MSRs VM entry loads and VM exit saves or loads (SDM "Guest Non-Register State" and the MSR fields). */
    public static final int IA32_SYSENTER_CS = 0x174;
    public static final int IA32_SYSENTER_ESP = 0x175;
    public static final int IA32_SYSENTER_EIP = 0x176;
    public static final int IA32_DEBUGCTL = 0x1D9;
    public static final int IA32_PAT = 0x277;
    public static final int IA32_PERF_GLOBAL_CTRL = 0x38F;
    public static final int IA32_BNDCFGS = 0xD90;
    public static final int IA32_S_CET = 0x6A2;
    public static final int IA32_INTERRUPT_SSP_TABLE_ADDR = 0x6A8;
    public static final int IA32_EFER = 0xC0000080;
    public static final int IA32_FS_BASE = 0xC0000100;
    public static final int IA32_GS_BASE = 0xC0000101;

    private final Cpu c;

    CpuState(Cpu c) {
        this.c = c;
    }

    // ---------------------------------------------------------------- registers

    /** General register {@code r} (0 RAX ... 15 R15), all 64 bits. */
    public long gpr(int r) {
        return c.gpr[r];
    }

    public void setGpr(int r, long value) {
        c.gpr[r] = value;
    }

    public long rip() {
        return c.rip;
    }

    public void setRip(long value) {
        c.rip = value;
    }

    public long rflags() {
        return c.rflags();
    }

    /** RFLAGS without privilege rules (undefined bits cleared, bit 1 set). */
    public void setRflags(long value) {
        c.setRflags(value);
    }

    // ---------------------------------------------------------------- control and debug registers

    public long cr0() {
        return c.cr0;
    }

    public void setCr0(long value) {
        c.cr0 = value;
    }

    public long cr2() {
        return c.cr2;
    }

    public void setCr2(long value) {
        c.cr2 = value;
    }

    public long cr3() {
        return c.cr3;
    }

    public void setCr3(long value) {
        c.cr3 = value;
    }

    public long cr4() {
        return c.cr4;
    }

    public void setCr4(long value) {
        c.cr4 = value;
    }

    /** CR8 (the local APIC's TPR[7:4] when an APIC is attached). */
    public long cr8() {
        return c.localApic != null ? c.localApic.readCr8() : c.cr8;
    }

    public void setCr8(long value) {
        c.cr8 = value;
        if (c.localApic != null) {
            c.localApic.writeCr8(value);
        }
    }

    /** DR0-DR7 (DR4/DR5 are not registers of their own). */
    public long dr(int n) {
        return c.dr[n];
    }

    public void setDr(int n, long value) {
        c.dr[n] = value;
    }

    // ---------------------------------------------------------------- segments and descriptor tables

    /** Segment register {@code s} ({@code Cpu.SEG_ES} ... {@code Cpu.SEG_TR}). */
    public SegmentState segment(int s) {
        return c.seg[s];
    }

    /**
     * Loads segment register {@code s} with its descriptor cache; {@code accessRights} in the
     * VMCS form (SDM "Format of Access Rights", bit 16 unusable).
     */
    public void setSegment(int s, int selector, long base, int limit, int accessRights) {
        c.seg[s].set(selector, base, limit, accessRights);
    }

    public long gdtrBase() {
        return c.gdtrBase;
    }

    public int gdtrLimit() {
        return c.gdtrLimit;
    }

    public void setGdtr(long base, int limit) {
        c.gdtrBase = base;
        c.gdtrLimit = limit;
    }

    public long idtrBase() {
        return c.idtrBase;
    }

    public int idtrLimit() {
        return c.idtrLimit;
    }

    public void setIdtr(long base, int limit) {
        c.idtrBase = base;
        c.idtrLimit = limit;
    }

    // ---------------------------------------------------------------- MSRs

    /** True if MSR {@code index} exists on this processor. */
    public boolean hasMsr(int index) {
        return c.hasMsr(index);
    }

    /** Raw MSR read (EFER, PAT, DEBUGCTL, SYSENTER_*, FS/GS base, PERF_GLOBAL_CTRL, ...). */
    public long msr(int index) {
        return c.msr(index);
    }

    /** Raw MSR write without WRMSR's checks. EFER is stored as given (LMA included). */
    public void setMsr(int index, long value) {
        if (index == IA32_EFER) {
            c.efer = value;
        } else {
            c.setMsr(index, value);
        }
    }

    // ---------------------------------------------------------------- events

    /** SDM "Interruptibility State" bits 3:0. */
    public int interruptibility() {
        return c.pending.interruptibility();
    }

    public void setInterruptibility(int state) {
        c.pending.setInterruptibility(state);
    }

    public boolean virtualNmiBlocking() {
        return c.pending.virtualNmiBlocking();
    }

    public void setVirtualNmiBlocking(boolean blocked) {
        c.pending.setVirtualNmiBlocking(blocked);
    }

    /** The pending debug exceptions (B0-B3, enabled breakpoint, BS). */
    public long pendingDebug() {
        return c.pending.pendingDebug();
    }

    public void setPendingDebug(long bits) {
        c.pending.setPendingDebug(bits);
    }

    public ActivityState activity() {
        return c.activity;
    }

    public void setActivity(ActivityState state) {
        c.pending.setActivity(state);
    }

    // ---------------------------------------------------------------- PDPTEs

    /** PDPTE register {@code index} (0-3) of PAE paging, or 0 with another paging seam. */
    public long pdpte(int index) {
        PageTranslator t = c.mmu.translator;
        return t instanceof WalkerTranslator ? ((WalkerTranslator) t).pdpte(index) : 0;
    }

    /** Loads PDPTE register {@code index} (VM entry with EPT loads them from the VMCS). */
    public void setPdpte(int index, long value) {
        PageTranslator t = c.mmu.translator;
        if (t instanceof WalkerTranslator) {
            ((WalkerTranslator) t).setPdpte(index, value);
        }
    }

    /**
     * SDM "PDPTE Registers": loads the four PDPTEs from CR3 as MOV to CR3 does in PAE paging;
     * false if a present one has reserved bits set (nothing else changes).
     */
    public boolean loadPdptesFromCr3() {
        return c.reloadPdptes();
    }

    // ---------------------------------------------------------------- derived state

    /**
     * Recomputes everything the CPU derives from the architectural state after a bulk load:
     * CPL (0 in real mode, 3 in virtual-8086 mode, else SS.DPL as VM entry and exit define it),
     * the decode mode and stack size, the alignment-check and SMAP access bits, the breakpoint
     * flags from DR7, the software TLB and the current code page, and the events model's check.
     */
    public void refreshDerivedState() {
        if ((c.cr0 & Cpu.CR0_PE) != 0 && (c.rflagsRest & Cpu.RF_VM) == 0) {
            c.cpl = c.seg[Cpu.SEG_SS].dpl();
        }
        c.updateMode();
        c.updateDebugState();
        c.updateAlignmentCheck();
        c.flushTlb();
        c.pending.controllerChanged();
        c.pending.update();
    }
}
