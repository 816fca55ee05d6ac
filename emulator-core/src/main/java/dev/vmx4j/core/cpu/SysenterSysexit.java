package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * SYSENTER and SYSEXIT (SDM), which AMD processors reject in long mode (AMD APM "SYSENTER",
 * "SYSEXIT": #UD while EFER.LMA = 1).
 */
final class SysenterSysexit {

    private SysenterSysexit() {
    }

    private static final int FLAT_CODE0 = 0xB | SegmentState.AR_S | SegmentState.AR_P | SegmentState.AR_G;
    private static final int FLAT_DATA0 = 0x3 | SegmentState.AR_S | SegmentState.AR_P | SegmentState.AR_DB
            | SegmentState.AR_G;

    /** AMD APM "SYSENTER"/"SYSEXIT" #UD: "The processor is in long mode." */
    private static void amdLongModeUd(Cpu c) {
        if (c.features.amd && c.longModeActive()) {
            throw CpuException.ud();
        }
    }

    /** SDM "SYSENTER—Fast System Call": flat CPL-0 CS/SS from IA32_SYSENTER_CS, RSP/RIP from the MSRs. */
    static void sysenter(Cpu c) {
        amdLongModeUd(c);
        int cs = (int) c.msrs.get(Msrs.IA32_SYSENTER_CS) & 0xFFFF;
        if ((c.cr0 & Cpu.CR0_PE) == 0 || (cs & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        boolean ia32e = c.longModeActive();
        c.rflagsRest &= ~(Cpu.RF_VM | Cpu.RF_IF | Cpu.RF_RF);
        c.seg[Cpu.SEG_CS].set(cs & 0xFFFC, 0, 0xFFFFFFFF, FLAT_CODE0 | (ia32e ? SegmentState.AR_L : SegmentState.AR_DB));
        c.seg[Cpu.SEG_SS].set((cs & 0xFFFC) + 8, 0, 0xFFFFFFFF, FLAT_DATA0);
        c.cpl = 0;
        c.updateMode();
        long esp = c.msrs.get(Msrs.IA32_SYSENTER_ESP);
        long eip = c.msrs.get(Msrs.IA32_SYSENTER_EIP);
        c.gpr[4] = ia32e ? esp : esp & 0xFFFFFFFFL;
        c.nextRip = ia32e ? eip : eip & 0xFFFFFFFFL;
    }

    /** SDM "SYSEXIT—Fast Return from Fast System Call": CPL 3, CS/SS at fixed offsets from IA32_SYSENTER_CS. */
    static void sysexit(Cpu c, DecodedInstruction d) {
        amdLongModeUd(c);
        int cs = (int) c.msrs.get(Msrs.IA32_SYSENTER_CS) & 0xFFFF;
        if ((c.cr0 & Cpu.CR0_PE) == 0 || (cs & 0xFFFC) == 0 || c.cpl != 0) {
            throw CpuException.gp(0);
        }
        boolean to64 = d.operandSize == 8;
        long rip = to64 ? c.gpr[2] : c.gpr[2] & 0xFFFFFFFFL;
        long rsp = to64 ? c.gpr[1] : c.gpr[1] & 0xFFFFFFFFL;
        if (to64 && (!Cpu.canonical(rip) || !Cpu.canonical(rsp))) {
            throw CpuException.gp(0);
        }
        int dpl3 = 3 << 5;
        c.seg[Cpu.SEG_CS].set(((cs + (to64 ? 32 : 16)) & 0xFFFC) | 3, 0, 0xFFFFFFFF,
                FLAT_CODE0 | dpl3 | (to64 ? SegmentState.AR_L : SegmentState.AR_DB));
        c.seg[Cpu.SEG_SS].set(((cs + (to64 ? 40 : 24)) & 0xFFFC) | 3, 0, 0xFFFFFFFF, FLAT_DATA0 | dpl3);
        c.cpl = 3;
        c.updateMode();
        c.gpr[4] = rsp;
        c.nextRip = rip;
    }
}
