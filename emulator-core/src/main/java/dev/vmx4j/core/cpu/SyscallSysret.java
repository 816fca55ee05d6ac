package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * SYSCALL and SYSRET for both vendors the profiles name ({@code Features.amd}): the Intel SDM's
 * instructions, valid in 64-bit mode only, and AMD's, which also run in legacy mode (STAR's EIP)
 * and compatibility mode (CSTAR). Both vendors test RFLAGS.TF when the instruction completes
 * ({@link PendingEvents#singleStepAtEnd}).
 */
final class SyscallSysret {

    private SyscallSysret() {
    }

    private static final int FLAT_CODE0 = 0xB | SegmentState.AR_S | SegmentState.AR_P | SegmentState.AR_G;
    private static final int FLAT_STACK0 = 0x3 | SegmentState.AR_S | SegmentState.AR_P | SegmentState.AR_DB
            | SegmentState.AR_G;
    private static final int DPL3 = 3 << 5;
    /** SDM "SYSRET": RFLAGS ← (R11 & 3C7FD7H) | 2 (RF, VM and the reserved bits clear). */
    private static final long SYSRET_RFLAGS = 0x3C7FD7L;

    /** SDM "SYSCALL—Fast System Call"; AMD APM "SYSCALL". */
    static void syscall(Cpu c) {
        boolean amd = c.features.amd;
        // SDM "SYSCALL" #UD: in compatibility, protected, real and virtual-8086 mode; IA32_EFER.SCE = 0.
        // AMD APM "SYSCALL" #UD: EFER.SCE = 0 (the instruction runs in every mode).
        if (!amd && !c.mode64 || (c.efer & Cpu.EFER_SCE) == 0) {
            throw CpuException.ud();
        }
        if ((c.cr0 & Cpu.CR0_PE) == 0) {
            // DEVIATION: an AMD processor executes SYSCALL in real mode, loading 32-bit CS/SS
            // caches while CR0.PE stays 0; vmx4j's real mode takes the code size from CR0.PE alone
            // and cannot run that handler, so it raises #UD.
            throw CpuException.ud();
        }
        boolean tfBefore = (c.rflagsRest & Cpu.RF_TF) != 0;
        int sel = (int) (c.msrs.get(Msrs.IA32_STAR) >>> 32) & 0xFFFC;
        long target;
        if (c.longModeActive()) {
            // SDM "SYSCALL": RCX ← RIP of the next instruction; R11 ← RFLAGS; RFLAGS ← RFLAGS AND
            // NOT(IA32_FMASK); CS/SS from IA32_STAR[47:32], flat, 64-bit code, CPL 0.
            // AMD APM "SYSCALL" (long mode): the same, from 64-bit mode to LSTAR and from
            // compatibility mode to CSTAR.
            c.gpr[1] = c.nextRip;
            c.gpr[11] = c.rflags() & ~Cpu.RF_RF;
            target = c.msrs.get(c.mode64 ? Msrs.IA32_LSTAR : Msrs.IA32_CSTAR);
            c.setRflags(c.rflags() & ~c.msrs.get(Msrs.IA32_FMASK) & ~Cpu.RF_RF);
            c.seg[Cpu.SEG_CS].set(sel, 0, 0xFFFFFFFF, FLAT_CODE0 | SegmentState.AR_L);
        } else {
            // AMD APM "SYSCALL" (legacy mode): ECX ← EIP of the next instruction; EIP ← STAR[31:0];
            // CS/SS from STAR[47:32], flat, 32-bit, CPL 0; RFLAGS.VM, IF and RF cleared (no mask).
            c.gpr[1] = c.nextRip & 0xFFFFFFFFL;
            target = c.msrs.get(Msrs.IA32_STAR) & 0xFFFFFFFFL;
            c.rflagsRest &= ~(Cpu.RF_VM | Cpu.RF_IF | Cpu.RF_RF);
            c.seg[Cpu.SEG_CS].set(sel, 0, 0xFFFFFFFF, FLAT_CODE0 | SegmentState.AR_DB);
        }
        c.seg[Cpu.SEG_SS].set(sel + 8, 0, 0xFFFFFFFF, FLAT_STACK0);
        c.cpl = 0;
        c.updateMode();
        c.nextRip = target;
        c.pending.singleStepAtEnd(tfBefore, (c.rflagsRest & Cpu.RF_TF) != 0);
    }

    /** SDM "SYSRET—Return From Fast System Call"; AMD APM "SYSRET". */
    static void sysret(Cpu c, DecodedInstruction d) {
        boolean amd = c.features.amd;
        // SDM "SYSRET" #UD: outside 64-bit mode; IA32_EFER.SCE = 0. AMD APM "SYSRET" #UD: EFER.SCE = 0.
        if (!amd && !c.mode64 || (c.efer & Cpu.EFER_SCE) == 0) {
            throw CpuException.ud();
        }
        // SDM "SYSRET" #GP(0): CPL ≠ 0. AMD APM "SYSRET" #GP(0): not in protected mode, or CPL ≠ 0.
        if (!c.protectedMode() || c.cpl != 0) {
            throw CpuException.gp(0);
        }
        boolean to64 = c.mode64 && d.operandSize == 8;
        long target = to64 ? c.gpr[1] : c.gpr[1] & 0xFFFFFFFFL;
        if (to64 && !amd && !Cpu.canonical(target)) {
            // SDM "SYSRET" #GP(0): the return is to 64-bit mode and RCX is not canonical.
            // MANUAL: AMD processors do not check RCX here; the non-canonical RIP faults (#GP) on
            // the first fetch at CPL 3, which vmx4j's fetch does.
            throw CpuException.gp(0);
        }
        boolean tfBefore = (c.rflagsRest & Cpu.RF_TF) != 0;
        int base = (int) (c.msrs.get(Msrs.IA32_STAR) >>> 48) & 0xFFFF;
        if (to64) {
            c.seg[Cpu.SEG_CS].set(((base + 16) & 0xFFFC) | 3, 0, 0xFFFFFFFF, FLAT_CODE0 | DPL3 | SegmentState.AR_L);
        } else {
            c.seg[Cpu.SEG_CS].set((base & 0xFFFC) | 3, 0, 0xFFFFFFFF, FLAT_CODE0 | DPL3 | SegmentState.AR_DB);
        }
        SegmentState ss = c.seg[Cpu.SEG_SS];
        int ssSel = ((base + 8) & 0xFFFC) | 3;
        if (amd) {
            // AMD APM "SYSRET": SS.sel ← STAR[63:48] + 8; SS base, limit and attributes unchanged.
            // MANUAL: the hidden part keeps its base, limit, D/B and G and becomes a usable,
            // present, writable DPL 3 data segment (the CPL 3 stack the selector names), as Bochs does.
            ss.set(ssSel, ss.base(), ss.limit(), FLAT_STACK0 & ~(SegmentState.AR_DB | SegmentState.AR_G) | DPL3
                    | ss.accessRights() & (SegmentState.AR_DB | SegmentState.AR_G));
        } else {
            // SDM "SYSRET": SS.Selector ← (IA32_STAR[63:48] + 8) OR 3, flat writable data, DPL 3.
            ss.set(ssSel, 0, 0xFFFFFFFF, FLAT_STACK0 | DPL3);
        }
        if (c.mode64) {
            c.setRflags((c.gpr[11] & SYSRET_RFLAGS) | 2);
        } else {
            // AMD APM "SYSRET" (legacy and compatibility mode): RFLAGS.IF ← 1, the other flags stay.
            c.setRflags(c.rflags() | Cpu.RF_IF);
        }
        c.cpl = 3;
        c.updateMode();
        c.nextRip = target;
        c.pending.singleStepAtEnd(tfBefore, (c.rflagsRest & Cpu.RF_TF) != 0);
    }
}
