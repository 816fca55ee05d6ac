package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;

/**
 * System instructions: control and debug registers, descriptor-table registers, MSRs, segment
 * loads, SWAPGS, the FS/GS base instructions, XGETBV/XSETBV. Anything not implemented anywhere
 * raises #UD (never a Java exception).
 */
final class SystemOps {

    private SystemOps() {
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        switch (d.mnemonic) {
            case MOV_CR:
                movCr(c, d);
                break;
            case MOV_DR:
                movDr(c, d);
                break;
            case LGDT:
            case LIDT:
                loadTableRegister(c, x, d);
                break;
            case SGDT:
            case SIDT:
                umip(c);
                descriptorTableExit(c, d);
                storeTableRegister(c, x, d);
                break;
            case SLDT:
                umip(c);
                storeSelector(c, x, d, c.seg[Cpu.SEG_LDTR].selector);
                break;
            case STR:
                umip(c);
                storeSelector(c, x, d, c.seg[Cpu.SEG_TR].selector);
                break;
            case LLDT:
            case LTR:
                loadSystemSegment(c, x, d);
                break;
            case SMSW: {
                umip(c);
                // SDM "Changes to Instruction Behavior in VMX Non-Root Operation": SMSW reads the
                // CR0 read shadow in the bits the guest/host mask owns.
                long cr0 = c.vmx.nonRoot ? c.vmx.smsw(d, c.cr0) : c.cr0;
                if (d.kind[0] != OperandKind.MEM && d.size[0] > 2) {
                    // SDM "SMSW": with a 32- or 64-bit register the bits above 15 are undefined.
                    // MANUAL: Intel processors store all of CR0 (kvm-unit-tests' realmode checks it).
                    c.setReg(d.reg[0], d.size[0], cr0);
                    break;
                }
                storeSelector(c, x, d, (int) cr0 & 0xFFFF);
                break;
            }
            case LMSW: {
                requireCpl0(c);
                int source = (int) x.read(d, 0) & 0xFFFF;
                // SDM "LMSW": loads PE, MP, EM, TS; cannot clear PE.
                long cr0 = (c.cr0 & ~0xEL) | (source & 0xF) | (c.cr0 & 1);
                if (c.vmx.nonRoot) {
                    // SDM "Guest Linear Address": LMSW with a memory operand reports its linear address.
                    long linear = d.kind[0] == OperandKind.MEM ? c.linear(d.memSegment, x.ea(d), 2, false) : 0;
                    cr0 = c.vmx.lmsw(d, source, cr0, linear);
                }
                writeCr0(c, cr0);
                break;
            }
            case CLTS: {
                requireCpl0(c);
                long cr0 = c.cr0 & ~Cpu.CR0_TS;
                c.cr0 = c.vmx.nonRoot ? c.vmx.clts(d, cr0) : cr0;
                break;
            }
            case INVD:
                requireCpl0(c);
                if (c.vmx.nonRoot) {
                    c.vmx.invd(d);
                }
                break;
            case WBINVD:
                requireCpl0(c);
                if (c.vmx.nonRoot) {
                    c.vmx.wbinvd(d);
                }
                break;
            case INVLPG: {
                requireCpl0(c);
                long off = x.ea(d);
                long lin = c.mode64 ? off + (d.memSegment >= Cpu.SEG_FS ? c.seg[d.memSegment].base : 0)
                        : (c.seg[d.memSegment].base + off) & 0xFFFFFFFFL;
                if (c.vmx.nonRoot) {
                    c.vmx.invlpg(d, lin);
                }
                c.mmu.flushPage(lin);
                break;
            }
            case RDMSR: {
                long v = c.rdmsr(d, (int) c.gpr[1]);
                c.gpr[0] = v & 0xFFFFFFFFL;
                c.gpr[2] = v >>> 32;
                break;
            }
            case WRMSR:
                c.wrmsr(d, (int) c.gpr[1], (c.gpr[2] << 32) | (c.gpr[0] & 0xFFFFFFFFL));
                break;
            case GETSEC:
                // SDM "GETSEC": #UD if CR4.SMXE = 0 (before the unconditional VM exit).
                // DEVIATION: SMX is not implemented: CR4.SMXE cannot be set, so GETSEC is always #UD
                // outside VMX non-root operation.
                if ((c.cr4 & CR4_SMXE) != 0 && c.vmx.nonRoot) {
                    c.vmx.getsec(d);
                }
                throw CpuException.ud();
            case VMCALL:
                if (c.kvmHypercall != null && !c.vmx.inVmxOperation()) {
                    c.kvmHypercall.call(c); // a KVM guest's hypercall (KvmHypercall), not the SDM's #UD
                    break;
                }
                c.vmx.execute(d);
                break;
            case VMXON:
            case VMXOFF:
            case VMCLEAR:
            case VMPTRLD:
            case VMPTRST:
            case VMREAD:
            case VMWRITE:
            case VMLAUNCH:
            case VMRESUME:
            case VMFUNC:
            case INVEPT:
            case INVVPID:
                c.vmx.execute(d);
                break;
            case SWAPGS: {
                // SDM "SWAPGS": 64-bit mode only (#UD otherwise), CPL 0.
                if (!c.mode64) {
                    throw CpuException.ud();
                }
                requireCpl0(c);
                long k = c.msrs.get(Msrs.IA32_KERNEL_GS_BASE);
                c.msrs.put(Msrs.IA32_KERNEL_GS_BASE, c.seg[Cpu.SEG_GS].base);
                c.seg[Cpu.SEG_GS].base = k;
                break;
            }
            case RDFSBASE:
            case RDGSBASE:
            case WRFSBASE:
            case WRGSBASE:
                fsgsBase(c, d);
                break;
            case MOV_SREG:
                movSreg(c, x, d);
                break;
            case LDS:
            case LES:
            case LFS:
            case LGS:
            case LSS:
                loadFarPointer(c, x, d);
                break;
            case XGETBV:
                if ((c.cr4 & (1L << 18)) == 0) {
                    throw CpuException.ud();
                }
                if ((int) c.gpr[1] != 0) {
                    throw CpuException.gp(0);
                }
                c.gpr[0] = c.xcr0 & 0xFFFFFFFFL;
                c.gpr[2] = c.xcr0 >>> 32;
                break;
            case XSETBV: {
                if ((c.cr4 & (1L << 18)) == 0) {
                    throw CpuException.ud();
                }
                requireCpl0(c);
                if (c.vmx.nonRoot) {
                    c.vmx.xsetbv(d);
                }
                long v = (c.gpr[2] << 32) | (c.gpr[0] & 0xFFFFFFFFL);
                // SDM "XSETBV": XCR0[0] must be 1; bits of unsupported components are #GP(0). The
                // profile advertises no AVX (CPUID.01H:ECX[28] = 0), so only x87 (0) and SSE (1) exist.
                if ((int) c.gpr[1] != 0 || (v & 1) == 0 || (v & ~3L) != 0) {
                    throw CpuException.gp(0);
                }
                c.xcr0 = v;
                break;
            }
            case X87:
                X87Ops.execute(c, x, d);
                break;
            case MOVD:
            case MOVQ:
            case MOVDQA:
            case MOVDQU:
            case MOVAPS:
            case MOVUPS:
            case MOVAPD:
            case MOVUPD:
            case MOVSS_SSE:
            case MOVSD_SSE:
            case MOVLPS:
            case MOVHPS:
            case MOVLPD:
            case MOVHPD:
            case PXOR:
            case POR:
            case PAND:
            case PANDN:
            case PCMPEQB:
            case PCMPEQW:
            case PCMPEQD:
            case PMOVMSKB:
            case PADDB:
            case PADDW:
            case PADDD:
            case PADDQ:
            case PSUBB:
            case PSUBW:
            case PSUBD:
            case PSUBQ:
            case PSHUFD:
            case PUNPCKLBW:
            case PUNPCKLQDQ:
            case XORPS:
            case ANDPS:
            case ORPS:
            case LDMXCSR:
            case STMXCSR:
            case FXSAVE:
            case FXRSTOR:
            case EMMS:
            case PADDSB: case PADDSW: case PADDUSB: case PADDUSW: case PSUBSB: case PSUBSW: case PSUBUSB:
            case PSUBUSW: case PCMPGTB: case PCMPGTW: case PCMPGTD: case PACKSSWB: case PACKSSDW: case PACKUSWB:
            case PUNPCKLWD: case PUNPCKLDQ: case PUNPCKHBW: case PUNPCKHWD: case PUNPCKHDQ: case PSLLW: case PSLLD:
            case PSLLQ: case PSRLW: case PSRLD: case PSRLQ: case PSRAW: case PSRAD: case PMULLW: case PMULHW:
            case PMADDWD:
                SseOps.execute(c, x, d);
                break;
            case XSAVE:
            case XSAVEOPT:
            case XRSTOR:
                SseOps.xsave(c, x, d);
                break;
            case XSAVES:
            case XRSTORS:
                SupervisorXsave.execute(c, x, d);
                break;
            case UMONITOR:
            case UMWAIT:
            case TPAUSE:
                UserWait.execute(c, x, d);
                break;
            case LOADIWKEY:
                KeyLocker.loadIwKey(c, d);
                break;
            case MONITOR:
            case MWAIT:
                // SDM "MONITOR"/"MWAIT": CPL 0 only here (IA32_MISC_ENABLE leaves ring-3 MONITOR off);
                // ECX extensions other than bit 0 of MWAIT are #GP(0).
                requireCpl0(c);
                if (c.vmx.nonRoot) {
                    if (d.mnemonic == Mnemonic.MONITOR) {
                        c.vmx.monitor(d);
                    } else {
                        c.vmx.mwait(d);
                    }
                }
                if (d.mnemonic == Mnemonic.MONITOR ? (int) c.gpr[1] != 0 : (c.gpr[1] & 0xFFFFFFFEL) != 0) {
                    throw CpuException.gp(0);
                }
                // SDM "MONITOR"/"MWAIT": MONITOR arms the monitoring hardware; MWAIT returns
                // with it disarmed. (The VMX unit reports the state in MWAIT exits.)
                c.vmx.monitorArmed = d.mnemonic == Mnemonic.MONITOR;
                // MANUAL: MWAIT "may exit for implementation-specific reasons"; it returns at once.
                break;
            case RDPMC: {
                // SDM "RDPMC": #GP(0) if CR4.PCE = 0 and CPL > 0, or ECX names no counter.
                if ((c.cr4 & (1L << 8)) == 0 && c.cpl > 0) {
                    throw CpuException.gp(0);
                }
                if (c.vmx.nonRoot) {
                    c.vmx.rdpmc(d);
                }
                int ecx = (int) c.gpr[1];
                if (!c.pmu.hasCounter(ecx)) {
                    throw CpuException.gp(0);
                }
                long count = c.pmu.counter(ecx);
                c.gpr[0] = count & 0xFFFFFFFFL;
                c.gpr[2] = count >>> 32;
                break;
            }
            case INVPCID: {
                // SDM "INVPCID": #UD without CPUID.(EAX=07H,ECX=0):EBX.INVPCID[bit 10]; CPL 0; type > 3 is #GP(0).
                // In VMX non-root operation also #UD with "enable INVPCID" = 0 (SDM "INVPCID").
                if (!c.features.invpcid || c.vmx.nonRoot && !c.vmx.invpcidEnabled()) {
                    throw CpuException.ud();
                }
                requireCpl0(c);
                if (c.vmx.nonRoot) {
                    c.vmx.invpcid(d);
                }
                long type = c.reg(d.reg[0], c.mode64 ? 8 : 4);
                long ea = x.ea(d);
                long pcid = c.readMem(d.memSegment, ea, 8);
                long address = c.readMem(d.memSegment, ea + 8, 8);
                // SDM "INVPCID" #GP(0): a type above 3; descriptor bits 63:12 not zero; type 0 or 1
                // with a non-zero PCID while CR4.PCIDE = 0; type 0 with a non-canonical address.
                if (Long.compareUnsigned(type, 3) > 0 || (pcid & ~0xFFFL) != 0
                        || type <= 1 && pcid != 0 && (c.cr4 & Cpu.CR4_PCIDE) == 0
                        || type == 0 && !Cpu.canonical(address)) {
                    throw CpuException.gp(0);
                }
                c.mmu.invpcid((int) type, (int) pcid, address);
                break;
            }
            case RDPKRU:
            case WRPKRU:
                // SDM "RDPKRU"/"WRPKRU": #UD if CR4.PKE = 0; #GP(0) if ECX (and for WRPKRU EDX) is not 0.
                if ((c.cr4 & Cpu.CR4_PKE) == 0) {
                    throw CpuException.ud();
                }
                if ((int) c.gpr[1] != 0 || (d.mnemonic == Mnemonic.WRPKRU && (int) c.gpr[2] != 0)) {
                    throw CpuException.gp(0);
                }
                if (d.mnemonic == Mnemonic.RDPKRU) {
                    c.gpr[0] = c.pkru & 0xFFFFFFFFL;
                    c.gpr[2] = 0;
                } else {
                    c.pkru = (int) c.gpr[0];
                    // Protection-key rights are checked on a walk; cached translations are stale now.
                    c.mmu.flushCurrentVpid();
                }
                break;
            case SYSCALL:
                SyscallSysret.syscall(c);
                break;
            case SYSENTER:
                SysenterSysexit.sysenter(c);
                break;
            case SYSEXIT:
                SysenterSysexit.sysexit(c, d);
                break;
            case LAR:
            case LSL:
            case VERR:
            case VERW:
                DescriptorQueries.execute(c, x, d);
                break;
            case SYSRET:
                SyscallSysret.sysret(c, d);
                break;
            case FWAIT:
                X87Ops.fwait(c);
                break;
            case CLAC:
            case STAC:
                // SDM "CLAC"/"STAC": #UD without SMAP support or at CPL > 0 (and in virtual-8086 mode).
                if (!c.features.smap || c.cpl != 0 || (c.rflagsRest & Cpu.RF_VM) != 0) {
                    throw CpuException.ud();
                }
                if (d.mnemonic == Mnemonic.STAC) {
                    c.rflagsRest |= Cpu.RF_AC;
                } else {
                    c.rflagsRest &= ~Cpu.RF_AC;
                }
                c.updateAlignmentCheck();
                break;
            case SERIALIZE:
                if (!c.features.serialize) {
                    throw CpuException.ud();
                }
                break;
            case CLWB:
                c.mmu.translate(c.linear(d.memSegment, x.ea(d), 1, false), c.userAccess);
                break;
            case CRC32:
                crc32(c, x, d);
                break;
            case BOUND: {
                int size = d.size[0];
                long off = x.ea(d);
                long idx = signExtend(size, x.read(d, 0));
                long lower = signExtend(size, c.readMem(d.memSegment, off, size));
                long upper = signExtend(size, c.readMem(d.memSegment, (off + size) & (d.addressSize == 2 ? 0xFFFFL : 0xFFFFFFFFL), size));
                // SDM "BOUND": #BR if the index is below the lower or above the upper bound.
                if (idx < lower || idx > upper) {
                    throw new CpuException(CpuException.BR, 0, false);
                }
                break;
            }
            case ARPL: {
                if (!c.protectedMode()) {
                    throw CpuException.ud();
                }
                long dst = x.read(d, 0);
                long src = x.read(d, 1);
                if ((dst & 3) < (src & 3)) {
                    x.write(d, 0, (dst & ~3L) | (src & 3));
                    c.flags.setZf(true);
                } else {
                    c.flags.setZf(false);
                }
                break;
            }
            default:
                // Not implemented (yet): the guest sees #UD, never a Java exception.
                throw CpuException.ud();
        }
    }

    private static long signExtend(int size, long v) {
        int shift = 64 - size * 8;
        return v << shift >> shift;
    }

    /** SDM "CRC32—Accumulate CRC32 Value": CRC-32C (polynomial 11EDC6F41H, bit-reflected). */
    private static void crc32(Cpu c, Exec x, DecodedInstruction d) {
        if (!c.features.sse42) {
            throw CpuException.ud();
        }
        int crc = (int) x.read(d, 0);
        long src = x.read(d, 1);
        for (int i = 0; i < d.size[1]; i++) {
            crc ^= (int) (src >>> (8 * i)) & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
            }
        }
        c.setReg(d.reg[0], d.size[0], crc & 0xFFFFFFFFL);
    }

    /** SDM "User-Mode Instruction Prevention": with CR4.UMIP, SGDT SIDT SLDT SMSW STR at CPL &gt; 0 are #GP(0). */
    private static void umip(Cpu c) {
        if ((c.cr4 & (1L << 11)) != 0 && c.cpl > 0) {
            throw CpuException.gp(0);
        }
    }

    /** SDM "Relative Priority of Faults and VM Exits": descriptor-table exiting, after the #UD, CPL and UMIP checks. */
    private static void descriptorTableExit(Cpu c, DecodedInstruction d) {
        if (c.vmx.nonRoot) {
            c.vmx.descriptorTable(d);
        }
    }

    private static final long CR4_SMXE = 1L << 14;

    static void requireCpl0(Cpu c) {
        if (c.cpl != 0) {
            throw CpuException.gp(0);
        }
    }

    // ---------------------------------------------------------------- control registers

    private static void movCr(Cpu c, DecodedInstruction d) {
        requireCpl0(c);
        boolean toCr = d.kind[0] == OperandKind.CR;
        int n = toCr ? d.reg[0] : d.reg[1];
        int gpr = toCr ? d.reg[1] : d.reg[0];
        int size = c.mode64 ? 8 : 4;
        if (!toCr) {
            long v;
            switch (n) {
                case 0: v = c.cr0; break;
                case 2: v = c.cr2; break;
                case 3: v = c.cr3; break;
                case 4: v = c.cr4; break;
                case 8: v = c.localApic != null ? c.localApic.readCr8() : c.cr8; break;
                default: throw CpuException.ud();
            }
            if (c.vmx.nonRoot) {
                // SDM "Relative Priority of Faults and VM Exits": after the CPL check and the #UD
                // for a control register that does not exist; read shadows apply when no exit.
                v = c.vmx.movFromCr(d, n, gpr, v);
            }
            c.setReg(gpr, size, v);
            return;
        }
        long v = c.reg(gpr, size);
        if (c.vmx.nonRoot && (n == 0 || n == 3 || n == 4 || n == 8)) {
            // The exit decision comes before the checks on the value loaded.
            v = c.vmx.movToCr(d, n, gpr, v);
        }
        switch (n) {
            case 0:
                writeCr0(c, v);
                break;
            case 2:
                c.cr2 = v;
                break;
            case 3: {
                // SDM "MOV—Move to/from Control Registers": reserved bits above MAXPHYADDR are #GP(0).
                                long value = v & ~(1L << 63);
                if (c.mode64 && (value >>> c.profile.maxPhysicalAddressBits()) != 0) {
                    throw CpuException.gp(0);
                }
                long old = c.cr3;
                c.cr3 = value;
                boolean loaded = false;
                try {
                    loaded = c.reloadPdptes();
                } finally {
                    // An invalid PDPTE (#GP), or a VM exit of the PDPTE loads' EPT translation:
                    // the instruction did not happen, CR3 keeps its old value.
                    if (!loaded) {
                        c.cr3 = old;
                    }
                }
                if (!loaded) {
                    throw CpuException.gp(0);
                }
                c.mmu.movToCr3(v);
                break;
            }
            case 4:
                writeCr4(c, v);
                break;
            case 8:
                if (!c.mode64 || (v & ~0xFL) != 0) {
                    throw c.mode64 ? CpuException.gp(0) : CpuException.ud();
                }
                if (c.vmx.nonRoot && c.vmx.writeCr8(v)) {
                    break; // the TPR shadow
                }
                c.cr8 = v;
                if (c.localApic != null) {
                    // SDM "Task Priority in IA-32e Mode": CR8 writes TPR[7:4].
                    c.localApic.writeCr8(v);
                    c.pending.controllerChanged();
                }
                break;
            default:
                throw CpuException.ud();
        }
    }

    /** SDM "MOV—Move to/from Control Registers" and "Initializing IA-32e Mode" rules for CR0. */
    static void writeCr0(Cpu c, long v) {
        if ((v >>> 32) != 0) {
            throw CpuException.gp(0);
        }
        v |= Cpu.CR0_ET; // ET is hardwired to 1
        c.vmx.checkCr0(v);
        if ((v & Cpu.CR0_PG) != 0 && (v & Cpu.CR0_PE) == 0) {
            throw CpuException.gp(0);
        }
        if ((v & Cpu.CR0_NW) != 0 && (v & Cpu.CR0_CD) == 0) {
            throw CpuException.gp(0);
        }
        boolean pgOn = (v & Cpu.CR0_PG) != 0 && (c.cr0 & Cpu.CR0_PG) == 0;
        boolean pgOff = (v & Cpu.CR0_PG) == 0 && (c.cr0 & Cpu.CR0_PG) != 0;
        if (pgOn && (c.efer & Cpu.EFER_LME) != 0) {
            if ((c.cr4 & Cpu.CR4_PAE) == 0) {
                throw CpuException.gp(0);
            }
            if ((c.seg[Cpu.SEG_CS].ar & SegmentState.AR_L) != 0) {
                throw CpuException.gp(0);
            }
        }
        if (pgOff && c.mode64) {
            throw CpuException.gp(0);
        }
        if ((v & Cpu.CR0_PE) == 0 && c.longModeActive()) {
            throw CpuException.gp(0);
        }
        long old = c.cr0;
        c.cr0 = v;
        boolean loaded = (v & Cpu.CR0_PG) == 0 || ((old ^ v) & (Cpu.CR0_PG | Cpu.CR0_CD | Cpu.CR0_NW)) == 0;
        try {
            loaded = loaded || c.reloadPdptes();
        } finally {
            // #GP for an invalid PDPTE, or a VM exit of the PDPTE loads: CR0 keeps its old value.
            if (!loaded) {
                c.cr0 = old;
            }
        }
        if (!loaded) {
            throw CpuException.gp(0);
        }
        if (pgOn && (c.efer & Cpu.EFER_LME) != 0) {
            c.efer |= Cpu.EFER_LMA;
        } else if (pgOff) {
            c.efer &= ~Cpu.EFER_LMA;
        }
        c.updateMode();
        c.mmu.flushCurrentVpid();
    }

    static void writeCr4(Cpu c, long v) {
        // SDM "Control Registers": reserved CR4 bits are #GP(0); clearing PAE in IA-32e mode is #GP(0);
        // LA57 cannot change in IA-32e mode. Which bits exist follows CPUID (Features.cr4Supported).
        if ((v & ~c.features.cr4Supported) != 0) {
            throw CpuException.gp(0);
        }
        c.vmx.checkCr4(v);
        if (c.longModeActive() && (v & Cpu.CR4_PAE) == 0) {
            throw CpuException.gp(0);
        }
        if ((v & Cpu.CR4_PCIDE) != 0 && (c.cr4 & Cpu.CR4_PCIDE) == 0 && (c.cr3 & 0xFFF) != 0) {
            throw CpuException.gp(0);
        }
        long old = c.cr4;
        c.cr4 = v;
        boolean loaded = ((old ^ v) & (Cpu.CR4_PAE | Cpu.CR4_PGE | Cpu.CR4_PSE | (1L << 20) | (1L << 21))) == 0;
        try {
            loaded = loaded || c.reloadPdptes();
        } finally {
            // #GP for an invalid PDPTE, or a VM exit of the PDPTE loads: CR4 keeps its old value.
            if (!loaded) {
                c.cr4 = old;
            }
        }
        if (!loaded) {
            throw CpuException.gp(0);
        }
        c.updateAlignmentCheck();
        c.updateDebugState();
        c.mmu.flushCurrentVpid();
    }

    private static void movDr(Cpu c, DecodedInstruction d) {
        boolean toDr = d.kind[0] == OperandKind.DR;
        int n = toDr ? d.reg[0] : d.reg[1];
        int gpr = toDr ? d.reg[1] : d.reg[0];
        // SDM "MOV—Move to/from Debug Registers": DR4/DR5 alias DR6/DR7 unless CR4.DE, which makes them #UD.
        if (n == 4 || n == 5) {
            if ((c.cr4 & 8) != 0) {
                throw CpuException.ud();
            }
            n += 2;
        }
        if (n > 7) {
            throw CpuException.ud();
        }
        requireCpl0(c);
        if (c.vmx.nonRoot) {
            // MANUAL: the MOV-DR exit comes before the DR7.GD #DB (a hypervisor handling the exit
            // emulates general detection), after the #UD and the CPL check.
            c.vmx.movDr(d, n, gpr, toDr);
        }
        if ((c.dr[7] & (1L << 13)) != 0) {
            // SDM "General-Detect Exception Condition": with DR7.GD set, a MOV DR is a #DB fault;
            // the processor clears GD and sets DR6.BD first.
            c.dr[7] &= ~(1L << 13);
            c.dr[6] |= 1L << 13;
            throw new CpuException(CpuException.DB, 0, false);
        }
        int size = c.mode64 ? 8 : 4;
        if (!toDr) {
            c.setReg(gpr, size, c.dr[n]);
            return;
        }
        long v = c.reg(gpr, size);
        if ((n == 6 || n == 7) && (v >>> 32) != 0) {
            throw CpuException.gp(0);
        }
        if (n == 6) {
            // SDM "Debug Status Register (DR6)": B0-B3, BD, BS, BT are writable; bit 16 (RTM) is
            // reserved and reads 1 on processors without RTM (no shipped profile advertises it).
            v = (v & 0x0000E00FL) | 0xFFFF0FF0L;
        } else if (n == 7) {
            v = (v & 0xFFFF2BFFL) | 0x400;
        }
        c.dr[n] = v;
        if (n == 7) {
            c.updateDebugState();
        }
    }

    // ---------------------------------------------------------------- descriptor tables

    private static void loadTableRegister(Cpu c, Exec x, DecodedInstruction d) {
        requireCpl0(c);
        descriptorTableExit(c, d);
        long off = x.ea(d);
        int limit = (int) c.readMem(d.memSegment, off, 2);
        long base = c.readMem(d.memSegment, off + 2, c.mode64 ? 8 : 4);
        if (c.mode64) {
            if (!Cpu.canonical(base)) {
                throw CpuException.gp(0);
            }
        } else if (d.operandSize == 2) {
            // SDM "LGDT/LIDT": with a 16-bit operand size only 24 bits of base are loaded.
            base &= 0xFFFFFFL;
        }
        if (d.mnemonic == Mnemonic.LGDT) {
            c.gdtrBase = base;
            c.gdtrLimit = limit;
        } else {
            c.idtrBase = base;
            c.idtrLimit = limit;
        }
    }

    private static void storeTableRegister(Cpu c, Exec x, DecodedInstruction d) {
        long off = x.ea(d);
        boolean g = d.mnemonic == Mnemonic.SGDT;
        long base = g ? c.gdtrBase : c.idtrBase;
        int limit = g ? c.gdtrLimit : c.idtrLimit;
        int baseSize = c.mode64 ? 8 : 4;
        c.linear(d.memSegment, off, 2 + baseSize, true);
        c.writeMem(d.memSegment, off, 2, limit);
        // MANUAL: with a 16-bit operand size the fourth base byte is stored as written (current processors store all 32 bits).
        c.writeMem(d.memSegment, off + 2, baseSize, base);
    }

    private static void storeSelector(Cpu c, Exec x, DecodedInstruction d, int value) {
        if (d.mnemonic != Mnemonic.SMSW) {
            if (!c.protectedMode()) {
                throw CpuException.ud();
            }
            descriptorTableExit(c, d);
        }
        if (d.kind[0] == OperandKind.MEM) {
            c.writeMem(d.memSegment, x.ea(d), 2, value);
        } else {
            c.setReg(d.reg[0], d.size[0], value & 0xFFFFL);
        }
    }

    /** LLDT and LTR: SDM "LLDT"/"LTR"; 16-byte system descriptors in IA-32e mode. */
    private static void loadSystemSegment(Cpu c, Exec x, DecodedInstruction d) {
        if (!c.protectedMode()) {
            throw CpuException.ud();
        }
        requireCpl0(c);
        descriptorTableExit(c, d);
        int selector = (int) x.read(d, 0) & 0xFFFF;
        boolean ldt = d.mnemonic == Mnemonic.LLDT;
        if ((selector & 0xFFFC) == 0) {
            if (!ldt) {
                throw CpuException.gp(0);
            }
            c.seg[Cpu.SEG_LDTR].set(selector, 0, 0, SegmentState.AR_UNUSABLE);
            return;
        }
        if ((selector & 4) != 0) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        long desc = c.events.readDescriptor(selector, 0);
        int ar = EventDelivery.arFromDescriptor(desc);
        int type = ar & 0xF;
        boolean ok = (ar & SegmentState.AR_S) == 0 && (ldt ? type == 2 : (c.longModeActive() ? type == 9 : type == 9 || type == 1));
        if (!ok) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if ((ar & SegmentState.AR_P) == 0) {
            throw CpuException.np(selector & 0xFFFC);
        }
        long base = EventDelivery.baseFromDescriptor(desc);
        if (c.longModeActive()) {
            if ((selector & 0xFFF8) + 15L > (c.gdtrLimit & 0xFFFF)) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            long high = c.readSystem(c.gdtrBase + (selector & 0xFFF8) + 8, 8);
            base |= (high & 0xFFFFFFFFL) << 32;
            if (!Cpu.canonical(base)) {
                throw CpuException.gp(selector & 0xFFFC);
            }
        }
        int limit = EventDelivery.limitFromDescriptor(desc);
        if (ldt) {
            c.seg[Cpu.SEG_LDTR].set(selector, base, limit, ar);
        } else {
            // SDM "LTR": marks the TSS descriptor busy.
            long lin = c.gdtrBase + (selector & 0xFFF8) + 5;
            c.writeSystem(c.mode64 ? lin : lin & 0xFFFFFFFFL, 1, ((desc >>> 40) | 2) & 0xFF);
            c.seg[Cpu.SEG_TR].set(selector, base, limit, ar | 2);
        }
    }

    // ---------------------------------------------------------------- segments

    private static void movSreg(Cpu c, Exec x, DecodedInstruction d) {
        if (d.kind[0] == OperandKind.SEG) {
            int s = d.reg[0];
            if (s > Cpu.SEG_GS) {
                throw CpuException.ud();
            }
            x.loadSegment(s, (int) x.read(d, 1) & 0xFFFF);
        } else {
            int s = d.reg[1];
            if (s > Cpu.SEG_GS) {
                throw CpuException.ud();
            }
            int sel = c.seg[s].selector;
            if (d.kind[0] == OperandKind.MEM) {
                c.writeMem(d.memSegment, x.ea(d), 2, sel);
            } else {
                // SDM "MOV": to a 32/64-bit register the selector is zero-extended.
                c.setReg(d.reg[0], d.size[0], sel & 0xFFFFL);
            }
        }
    }

    private static void loadFarPointer(Cpu c, Exec x, DecodedInstruction d) {
        int size = d.size[0];
        long off = x.ea(d);
        long offset = c.readMem(d.memSegment, off, size);
        long selOff = off + size;
        if (d.addressSize == 2) {
            selOff &= 0xFFFF;
        } else if (d.addressSize == 4) {
            selOff &= 0xFFFFFFFFL;
        }
        int sel = (int) c.readMem(d.memSegment, selOff, 2);
        int s;
        switch (d.mnemonic) {
            case LDS: s = Cpu.SEG_DS; break;
            case LES: s = Cpu.SEG_ES; break;
            case LFS: s = Cpu.SEG_FS; break;
            case LGS: s = Cpu.SEG_GS; break;
            default: s = Cpu.SEG_SS; break;
        }
        x.loadSegment(s, sel);
        c.setReg(d.reg[0], size, offset);
    }

    private static void fsgsBase(Cpu c, DecodedInstruction d) {
        // SDM "RDFSBASE/RDGSBASE": #UD outside 64-bit mode or if CR4.FSGSBASE = 0.
        if (!c.mode64 || (c.cr4 & Cpu.CR4_FSGSBASE) == 0) {
            throw CpuException.ud();
        }
        boolean fs = d.mnemonic == Mnemonic.RDFSBASE || d.mnemonic == Mnemonic.WRFSBASE;
        SegmentState s = c.seg[fs ? Cpu.SEG_FS : Cpu.SEG_GS];
        int size = d.size[0];
        if (d.mnemonic == Mnemonic.RDFSBASE || d.mnemonic == Mnemonic.RDGSBASE) {
            c.setReg(d.reg[0], size, s.base);
        } else {
            long v = c.reg(d.reg[0], size);
            if (!Cpu.canonical(v)) {
                throw CpuException.gp(0);
            }
            s.base = v;
        }
    }
}
