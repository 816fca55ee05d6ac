package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.devices.apic.ApicFault;
import dev.vmx4j.core.devices.apic.LocalApic;

/**
 * The MSR rules: which MSRs exist, raw reads and writes (API, VM entry and exit), and RDMSR and
 * WRMSR with the SDM's checks (SDM "RDMSR", "WRMSR" and each MSR's own page). Storage lives in
 * {@link Msrs} (plain MSRs), ept-mmu's {@code Mtrrs}, the local APIC and the CPU's own fields.
 */
final class MsrAccess {

    private final Cpu c;

    MsrAccess(Cpu c) {
        this.c = c;
    }

    /** True if this machine implements MSR {@code index}. */
    boolean has(int index) {
        if (c.mtrrs.handles(index) || c.pmu.handles(index) || (c.localApic != null && LocalApic.handlesMsr(index))) {
            return true;
        }
        switch (index) {
            case Msrs.IA32_TSC:
            case Msrs.IA32_EFER:
            case Msrs.IA32_FS_BASE:
            case Msrs.IA32_GS_BASE:
                return true;
            default:
                return c.msrs.has(index);
        }
    }

    /** Raw MSR read (API and RDMSR after its checks). The caller checked {@link #has(int)}. */
    long read(int index) {
        if (c.mtrrs.handles(index)) {
            return c.mtrrs.read(index);
        }
        if (c.pmu.handles(index)) {
            return c.pmu.read(index);
        }
        if (c.localApic != null && LocalApic.handlesMsr(index)) {
            return c.localApic.readMsr(index);
        }
        switch (index) {
            case Msrs.IA32_TSC:
                return c.tsc();
            case Msrs.IA32_EFER:
                return c.efer;
            case Msrs.IA32_FS_BASE:
                return c.seg[Cpu.SEG_FS].base;
            case Msrs.IA32_GS_BASE:
                return c.seg[Cpu.SEG_GS].base;
            default:
                return c.msrs.get(index);
        }
    }

    /** Raw MSR write without the guest's checks (API). The caller checked {@link #has(int)}. */
    void write(int index, long value) {
        if (c.mtrrs.handles(index)) {
            dev.vmx4j.mmu.memtype.MsrWriteStatus st = c.mtrrs.write(index, value);
            if (st != dev.vmx4j.mmu.memtype.MsrWriteStatus.OK) {
                throw new IllegalArgumentException(String.format(
                        "MSR 0x%x value 0x%x is rejected by the MTRR rules: %s", index, value, st));
            }
            return;
        }
        if (c.pmu.handles(index)) {
            if (!c.pmu.write(index, value, false)) {
                throw new IllegalArgumentException(String.format(
                        "MSR 0x%x value 0x%x sets bits reserved in this profile's performance monitoring", index, value));
            }
            return;
        }
        if (c.localApic != null && LocalApic.handlesMsr(index)) {
            c.localApic.writeMsr(index, value);
            return;
        }
        switch (index) {
            case Msrs.IA32_TSC:
                c.setTsc(value);
                break;
            case Msrs.IA32_EFER:
                c.setEfer(value);
                break;
            case Msrs.IA32_FS_BASE:
                c.seg[Cpu.SEG_FS].base = value;
                break;
            case Msrs.IA32_GS_BASE:
                c.seg[Cpu.SEG_GS].base = value;
                break;
            default:
                c.msrs.put(index, value);
                break;
        }
    }

    /** Guest RDMSR: SDM "RDMSR": #GP(0) at CPL &gt; 0 or for an MSR that is not implemented. */
    long rdmsr(DecodedInstruction d, int index) {
        if (c.cpl != 0) {
            throw CpuException.gp(0);
        }
        // SDM "Relative Priority of Faults and VM Exits": the MSR bitmaps come after the CPL check
        // and before the #GP for an MSR that does not exist.
        if (c.vmx.nonRoot) {
            c.vmx.rdmsr(d, index);
            if ((index >>> 8) == 8 && c.vmx.virtualizesRdmsr(index)) {
                // SDM "Virtualizing MSR-Based APIC Accesses": read from the virtual-APIC page.
                return c.vmx.virtualRdmsr(index);
            }
        }
        if (!has(index) || c.msrs.isWriteOnly(index) || Hwp.lockedOut(c, index)) {
            throw CpuException.gp(0);
        }
        try {
            long v = read(index);
            // SDM "Changes to Instruction Behavior in VMX Non-Root Operation", RDMSR: IA32_TSC
            // reads through TSC offsetting and scaling.
            return index == Msrs.IA32_TSC && c.vmx.nonRoot ? c.vmx.guestTsc(v) : v;
        } catch (ApicFault f) {
            // docs/INTERRUPTS.md: an APIC access the SDM faults is #GP(0); f.reason() names the rule.
            throw CpuException.gp(0);
        }
    }

    /** Guest WRMSR with the architectural checks. */
    void wrmsr(DecodedInstruction d, int index, long value) {
        if (c.cpl != 0) {
            throw CpuException.gp(0);
        }
        if (c.vmx.nonRoot) {
            c.vmx.wrmsr(d, index);
            if ((index >>> 8) == 8 && c.vmx.virtualWrmsr(index, value)) {
                return;
            }
        }
        if (!has(index)) {
            throw CpuException.gp(0);
        }
        if (c.mtrrs.handles(index)) {
            // SDM "MTRR Initialization"/"Variable Range MTRRs": reserved bits, invalid types and
            // writes to IA32_MTRRCAP are #GP(0).
            if (c.mtrrs.write(index, value) != dev.vmx4j.mmu.memtype.MsrWriteStatus.OK) {
                throw CpuException.gp(0);
            }
            return;
        }
        if (c.localApic != null && LocalApic.handlesMsr(index)) {
            try {
                c.localApic.writeMsr(index, value);
            } catch (ApicFault f) {
                // docs/INTERRUPTS.md: an APIC access the SDM faults is #GP(0); f.reason() names the rule.
                throw CpuException.gp(0);
            }
            // x2APIC EOI, TPR, ICR, timer: the controller's output or deadline may have changed.
            c.pending.controllerChanged();
            return;
        }
        if (c.pmu.handles(index)) {
            // SDM "Architectural Performance Monitoring": reserved bits and read-only MSRs are #GP(0).
            if (!c.pmu.write(index, value, true)) {
                throw CpuException.gp(0);
            }
            return;
        }
        if (c.msrs.isReadOnly(index) || Hwp.lockedOut(c, index)) {
            throw CpuException.gp(0);
        }
        switch (index) {
            case Msrs.IA32_EFER: {
                // SDM "IA32_EFER": bits other than SCE, LME, LMA, NXE are reserved; LMA is read-only
                // (writes are ignored); changing LME while paging is enabled is #GP(0).
                if ((value & ~(Cpu.EFER_SCE | Cpu.EFER_LME | Cpu.EFER_LMA | Cpu.EFER_NXE)) != 0) {
                    throw CpuException.gp(0);
                }
                if ((c.cr0 & Cpu.CR0_PG) != 0 && ((value ^ c.efer) & Cpu.EFER_LME) != 0) {
                    throw CpuException.gp(0);
                }
                c.setEfer((value & ~Cpu.EFER_LMA) | (c.efer & Cpu.EFER_LMA));
                break;
            }
            case Msrs.IA32_FS_BASE:
            case Msrs.IA32_GS_BASE:
            case Msrs.IA32_KERNEL_GS_BASE:
            case Msrs.IA32_LSTAR:
            case Msrs.IA32_CSTAR:
            case Msrs.IA32_SYSENTER_ESP:
            case Msrs.IA32_SYSENTER_EIP:
                if (!Cpu.canonical(value)) {
                    throw CpuException.gp(0);
                }
                write(index, value);
                break;
            case Msrs.IA32_PAT:
                // SDM "IA32_PAT MSR": reserved bits or an undefined type (2, 3) in any entry is #GP(0).
                if (dev.vmx4j.mmu.memtype.Pat.check(value).isGeneralProtection()) {
                    throw CpuException.gp(0);
                }
                write(index, value);
                break;
            case Msrs.IA32_FEATURE_CONTROL:
                // SDM "IA32_FEATURE_CONTROL": once the lock bit (0) is set, writes are #GP(0).
                if ((c.msrs.get(index) & 1) != 0) {
                    throw CpuException.gp(0);
                }
                write(index, value);
                break;
            case SupervisorXsave.IA32_XSS:
                // SDM "IA32_XSS": a bit of a supervisor state component the processor does not
                // support (CPUID.(EAX=0DH,ECX=1):EDX:ECX) is reserved: #GP(0).
                if ((value & ~c.features.xssWritable) != 0) {
                    throw CpuException.gp(0);
                }
                write(index, value);
                break;
            case Hwp.IA32_PM_ENABLE:
            case Hwp.IA32_HWP_REQUEST:
            case Hwp.IA32_HWP_STATUS:
                Hwp.wrmsr(c, index, value);
                break;
            case UserWait.IA32_UMWAIT_CONTROL:
                // SDM "IA32_UMWAIT_CONTROL": bit 0 disables C0.2, bits 31:2 the maximum wait time
                // (in TSC units, bits 1:0 assumed 0); bit 1 and bits 63:32 are reserved: #GP(0).
                if ((value & ~0xFFFFFFFDL) != 0) {
                    throw CpuException.gp(0);
                }
                write(index, value);
                break;
            case Msrs.IA32_TSC_AUX:
                if ((value >>> 32) != 0) {
                    throw CpuException.gp(0);
                }
                write(index, value);
                break;
            case Msrs.IA32_TSC: {
                // SDM "Time-Stamp Counter Adjustment": a write to IA32_TSC adds the same delta to IA32_TSC_ADJUST.
                long delta = value - c.tsc();
                c.msrs.put(Msrs.IA32_TSC_ADJUST, c.msrs.get(Msrs.IA32_TSC_ADJUST) + delta);
                c.setTsc(value);
                break;
            }
            case Msrs.IA32_TSC_ADJUST: {
                // SDM "Time-Stamp Counter Adjustment": a write to IA32_TSC_ADJUST adds the delta to the TSC.
                long delta = value - c.msrs.get(Msrs.IA32_TSC_ADJUST);
                c.msrs.put(Msrs.IA32_TSC_ADJUST, value);
                c.setTsc(c.tsc() + delta);
                break;
            }
            default:
                write(index, value);
                break;
        }
    }
}
