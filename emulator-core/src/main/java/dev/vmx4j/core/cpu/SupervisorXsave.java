package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;

/**
 * XSAVES and XRSTORS (SDM "XSAVES—Save Processor Extended States Supervisor", "XRSTORS—Restore
 * Processor Extended States Supervisor", "Operation of XSAVES", "Operation of XRSTORS") in the
 * compacted format, for the state components this CPU has: x87 (0) and SSE (1), both in the
 * legacy region, and the supervisor component HWP state (16, {@link Hwp}) where the profile
 * enumerates it. No component 2-15 exists, so in the compacted format HWP state is always at
 * byte 576, right after the XSAVE header. IA32_XSS (DA0H) exists with the profile's XSAVES bit;
 * its writable bits are the supervisor components CPUID.(EAX=0DH,ECX=1):ECX/EDX enumerates.
 */
final class SupervisorXsave {

    static final int IA32_XSS = 0xDA0;

    private static final long CR4_OSXSAVE = 1L << 18;
    private static final long XCOMP_BV_COMPACTED = 1L << 63;
    /** The legacy region and the XSAVE header: all components 0 and 1 need. */
    private static final int AREA = 576;
    /** State component 16, HWP state. */
    static final long HWP_STATE = 1L << 16;
    /**
     * SDM "XSAVE-Supported Features and State-Component Bitmaps": HWP state is IA32_HWP_REQUEST,
     * 8 bytes (CPUID.(EAX=0DH,ECX=16):EAX); its compacted offset is AREA (no component 2-15).
     */
    static final int HWP_STATE_SIZE = 8;

    private SupervisorXsave() {
    }

    /** The IA32_XSS bits the profile lets software set: CPUID.(EAX=0DH,ECX=1):EDX:ECX. */
    static long writableXss(dev.vmx4j.vmx.profile.CpuProfile p) {
        int[] r = new int[4];
        p.cpuid(0xD, 1, r);
        return (r[3] & 0xFFFFFFFFL) << 32 | (r[2] & 0xFFFFFFFFL);
    }

    /**
     * The size of a compacted XSAVE area holding the components of {@code bitmap} (SDM "CPUID",
     * CPUID.(EAX=0DH,ECX=1):EBX for XCR0 | IA32_XSS).
     */
    static int compactedSize(long bitmap) {
        return AREA + ((bitmap & HWP_STATE) != 0 ? HWP_STATE_SIZE : 0);
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        boolean save = d.mnemonic == Mnemonic.XSAVES;
        // SDM "XSAVES"/"XRSTORS" Protected Mode Exceptions: #UD if CPUID.(EAX=0DH,ECX=1):EAX.XSS[bit 3]
        // = 0 or CR4.OSXSAVE = 0 (LOCK: the decoder).
        if (!c.features.xsaves || (c.cr4 & CR4_OSXSAVE) == 0) {
            throw CpuException.ud();
        }
        // SDM "Changes to Instruction Behavior in VMX Non-Root Operation": with "enable
        // XSAVES/XRSTORS" = 0, XSAVES and XRSTORS cause #UD.
        if (c.vmx.nonRoot && !c.vmx.xsavesEnabled()) {
            throw CpuException.ud();
        }
        // SDM "XSAVES": #NM if CR0.TS = 1; #GP(0) if CPL > 0.
        if ((c.cr0 & Cpu.CR0_TS) != 0) {
            throw new CpuException(CpuException.NM, 0, false);
        }
        if (c.cpl != 0) {
            throw CpuException.gp(0);
        }
        long mask = (c.gpr[2] << 32) | (c.gpr[0] & 0xFFFFFFFFL);
        long xss = c.msrs.get(IA32_XSS);
        if (c.vmx.nonRoot) {
            // SDM "Relative Priority of Faults and VM Exits": #UD and the privilege-level fault come
            // first; faults of the memory operand (segment, alignment, paging) come after the exit.
            // MANUAL: the #NM for CR0.TS is taken before the exit, like the #UD.
            c.vmx.xsaves(d, mask, xss);
        }
        long rfbm = mask & (c.xcr0 | xss);
        long off = x.ea(d);
        long lin = c.linear(d.memSegment, off, compactedSize(rfbm), save);
        // SDM "XSAVES": #GP(0) "if a memory operand is not aligned on a 64-byte boundary".
        if ((lin & 63) != 0) {
            throw CpuException.gp(0);
        }
        // MANUAL: the SDM makes RDMSR and WRMSR of IA32_HWP_REQUEST #GP(0) until HWP is enabled
        // (SDM "Enabling HWP"); XSAVES and XRSTORS of HWP state, which read and load that MSR,
        // follow the same rule.
        if ((rfbm & HWP_STATE) != 0 && !Hwp.enabled(c)) {
            throw CpuException.gp(0);
        }
        if (save) {
            save(c, d, off, lin, rfbm);
        } else {
            restore(c, d, off, rfbm);
        }
    }

    /**
     * SDM "Operation of XSAVES": components with RFBM[i] = 1 are saved; XSTATE_BV = RFBM AND
     * XINUSE and XCOMP_BV = RFBM with bit 63 set are written; the rest of the area is left alone.
     * MANUAL: the init and modified optimizations are not used (the SDM allows saving a component
     * in its initial configuration): XINUSE is 1 for every component, so XSTATE_BV = RFBM.
     */
    private static void save(Cpu c, DecodedInstruction d, long off, long lin, long rfbm) {
        c.mmu.probeWrite(lin, compactedSize(rfbm), c.userAccess);
        int seg = d.memSegment;
        boolean rexW = c.mode64 && d.operandSize == 8;
        if ((rfbm & 1) != 0) {
            X87Ops.fxsaveX87(c, d, off, rexW);
        }
        if ((rfbm & 2) != 0) {
            c.writeMem(seg, off + 24, 4, c.mxcsr & 0xFFFFFFFFL);
            c.writeMem(seg, off + 28, 4, 0xFFFF);
            int regs = c.mode64 ? 16 : 8;
            for (int i = 0; i < regs; i++) {
                c.writeMem(seg, off + 160 + 16L * i, 8, c.xmm[2 * i]);
                c.writeMem(seg, off + 168 + 16L * i, 8, c.xmm[2 * i + 1]);
            }
        }
        if ((rfbm & HWP_STATE) != 0) {
            c.writeMem(seg, off + AREA, 8, c.msrs.get(Hwp.IA32_HWP_REQUEST));
        }
        c.writeMem(seg, off + 512, 8, rfbm);
        c.writeMem(seg, off + 520, 8, rfbm | XCOMP_BV_COMPACTED);
    }

    /**
     * SDM "Operation of XRSTORS": #GP(0) unless XCOMP_BV[63] = 1, XCOMP_BV sets no bit outside
     * XCR0 | IA32_XSS, XSTATE_BV sets no bit outside XCOMP_BV[62:0], and header bytes 16-63 are
     * zero; then each component with RFBM[i] = 1 is loaded (XSTATE_BV[i] = 1) or initialized
     * (XSTATE_BV[i] = 0); an illegal MXCSR value is #GP(0). All checks precede any change.
     * HWP state is loaded into IA32_HWP_REQUEST with WRMSR's rules: a reserved bit is #GP(0),
     * unsupported fields are ignored. MANUAL: its initial configuration is the MSR's reset value
     * (the field defaults of SDM "Managing HWP"); the SDM names no other.
     */
    private static void restore(Cpu c, DecodedInstruction d, long off, long rfbm) {
        int seg = d.memSegment;
        long bv = c.readMem(seg, off + 512, 8);
        long comp = c.readMem(seg, off + 520, 8);
        long supported = c.xcr0 | c.msrs.get(IA32_XSS);
        if ((comp & XCOMP_BV_COMPACTED) == 0 || (comp & ~XCOMP_BV_COMPACTED & ~supported) != 0
                || (bv & ~(comp & ~XCOMP_BV_COMPACTED)) != 0) {
            throw CpuException.gp(0);
        }
        for (int i = 16; i < 64; i += 8) {
            if (c.readMem(seg, off + 512 + i, 8) != 0) {
                throw CpuException.gp(0);
            }
        }
        boolean loadSse = (rfbm & bv & 2) != 0;
        long mx = loadSse ? c.readMem(seg, off + 24, 4) : 0x1F80;
        // SDM "XRSTORS": #GP(0) if it would load MXCSR with a reserved bit set.
        if ((mx & ~0xFFFFL) != 0) {
            throw CpuException.gp(0);
        }
        long hwpRequest = 0;
        if ((rfbm & HWP_STATE) != 0) {
            hwpRequest = (bv & HWP_STATE) != 0 ? c.readMem(seg, off + AREA, 8) : c.features.hwpResetRequest;
            if (Hwp.requestReserved(hwpRequest)) {
                throw CpuException.gp(0);
            }
        }
        if ((rfbm & 1) != 0) {
            if ((bv & 1) != 0) {
                X87Ops.fxrstorX87(c, d, off, c.mode64 && d.operandSize == 8);
            } else {
                c.x87.initialConfiguration();
            }
        }
        if ((rfbm & 2) != 0) {
            // SDM "SSE State": in the compacted form MXCSR belongs to SSE state; its initial
            // configuration is XMM registers 0 and MXCSR = 1F80H.
            c.mxcsr = (int) mx;
            int regs = c.mode64 ? 16 : 8;
            for (int i = 0; i < regs; i++) {
                c.xmm[2 * i] = loadSse ? c.readMem(seg, off + 160 + 16L * i, 8) : 0;
                c.xmm[2 * i + 1] = loadSse ? c.readMem(seg, off + 168 + 16L * i, 8) : 0;
            }
        }
        if ((rfbm & HWP_STATE) != 0) {
            c.msrs.put(Hwp.IA32_HWP_REQUEST, hwpRequest & c.features.hwpRequestFields);
        }
    }
}
