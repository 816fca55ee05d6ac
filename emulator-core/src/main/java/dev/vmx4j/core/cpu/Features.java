package dev.vmx4j.core.cpu;

import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.profile.CpuVendor;

/**
 * The CPUID feature bits that gate instructions, read once from the profile.
 * PERF: {@code CpuProfile.hasFeature} allocates; instructions test these final fields instead.
 */
final class Features {

    /**
     * The profile's vendor is AMD: where AMD processors differ from the Intel SDM, the AMD APM's
     * rules apply (docs/CPU.md "Vendors": SYSCALL/SYSRET, SYSENTER/SYSEXIT, CPUID).
     */
    final boolean amd;

    /** CPUID.80000001H:ECX.LAHF-SAHF[bit 0]. */
    final boolean lahfSahf64;
    /** CPUID.01H:ECX.MOVBE[bit 22]. */
    final boolean movbe;
    /** CPUID.01H:ECX.POPCNT[bit 23]. */
    final boolean popcnt;
    /** CPUID.01H:ECX.SSE4_2[bit 20] (CRC32). */
    final boolean sse42;
    /** CPUID.01H:ECX.RDRAND[bit 30]. */
    final boolean rdrand;
    /** CPUID.80000001H:ECX.LZCNT[bit 5]. */
    final boolean lzcnt;
    /** CPUID.80000001H:EDX.RDTSCP[bit 27]. */
    final boolean rdtscp;
    /** CPUID.(EAX=07H,ECX=0):EBX bits BMI1[3], BMI2[8], INVPCID[10], RDSEED[18], ADX[19], SMAP[20]. */
    final boolean bmi1;
    final boolean invpcid;
    final boolean bmi2;
    final boolean rdseed;
    final boolean adx;
    final boolean smap;
    /** CPUID.(EAX=07H,ECX=0):ECX.RDPID[bit 22]. */
    final boolean rdpid;
    /** CPUID.(EAX=07H,ECX=0):ECX.PKU[bit 3]. */
    final boolean pku;
    /** CPUID.(EAX=07H,ECX=0):EDX.SERIALIZE[bit 14]. */
    final boolean serialize;
    /** CPUID.(EAX=0DH,ECX=1):EAX.XSS[bit 3]: XSAVES, XRSTORS and IA32_XSS. */
    final boolean xsaves;
    /** The IA32_XSS bits software may set: the supervisor components CPUID.(EAX=0DH,ECX=1):EDX:ECX enumerates. */
    final long xssWritable;
    /** CPUID.06H:EAX[7]: HWP and its MSRs ({@link Hwp}). */
    final boolean hwp;
    /** The IA32_HWP_REQUEST fields the profile supports ({@link Hwp#requestFields}). */
    final long hwpRequestFields;
    /** IA32_HWP_REQUEST's reset value, also HWP state's initial configuration ({@link Hwp#resetRequest}). */
    final long hwpResetRequest;
    /** CPUID.(EAX=07H,ECX=0):ECX.WAITPKG[bit 5]: UMONITOR, UMWAIT, TPAUSE and IA32_UMWAIT_CONTROL. */
    final boolean waitpkg;
    /** CPUID.(EAX=07H,ECX=0):ECX.KL[bit 23]: Key Locker (LOADIWKEY, CR4.KL). */
    final boolean keyLocker;

    /**
     * The CR4 bits MOV to CR4 accepts: SDM "Control Registers" / "CPUID": a bit whose feature
     * CPUID does not report is reserved (#GP(0)). VME/PVI need VME, TSD TSC, DE DE, PSE PSE, PAE
     * PAE, MCE MCE, PGE PGE, OSFXSR FXSR, OSXMMEXCPT SSE, UMIP UMIP, VMXE VMX, FSGSBASE FSGSBASE,
     * PCIDE PCID, OSXSAVE XSAVE, KL Key Locker, SMEP SMEP, SMAP SMAP, PKE PKU; PCE is always accepted.
     * MANUAL: LA57 (bit 12) is never accepted (4-level paging only), nor SMXE, CET or PKS.
     */
    final long cr4Supported;

    Features(CpuProfile p) {
        amd = p.vendor() == CpuVendor.AMD;
        lahfSahf64 = p.hasFeature(0x80000001, 0, 2, 0);
        movbe = p.hasFeature(1, 0, 2, 22);
        popcnt = p.hasFeature(1, 0, 2, 23);
        sse42 = p.hasFeature(1, 0, 2, 20);
        rdrand = p.hasFeature(1, 0, 2, 30);
        lzcnt = p.hasFeature(0x80000001, 0, 2, 5);
        rdtscp = p.hasFeature(0x80000001, 0, 3, 27);
        bmi1 = p.hasFeature(7, 0, 1, 3);
        bmi2 = p.hasFeature(7, 0, 1, 8);
        invpcid = p.hasFeature(7, 0, 1, 10);
        rdseed = p.hasFeature(7, 0, 1, 18);
        adx = p.hasFeature(7, 0, 1, 19);
        smap = p.hasFeature(7, 0, 1, 20);
        rdpid = p.hasFeature(7, 0, 2, 22);
        pku = p.hasFeature(7, 0, 2, 3);
        serialize = p.hasFeature(7, 0, 3, 14);
        xsaves = p.hasFeature(0xD, 1, 0, 3);
        xssWritable = xsaves ? SupervisorXsave.writableXss(p) : 0;
        hwp = Hwp.advertised(p);
        hwpRequestFields = Hwp.requestFields(p);
        hwpResetRequest = Hwp.resetRequest(p);
        waitpkg = p.hasFeature(7, 0, 2, 5);
        keyLocker = p.hasFeature(7, 0, 2, 23);
        long cr4 = 1L << 8; // PCE
        cr4 |= p.hasFeature(1, 0, 3, 1) ? 0x3 : 0;          // VME, PVI
        cr4 |= p.hasFeature(1, 0, 3, 4) ? 1L << 2 : 0;      // TSD
        cr4 |= p.hasFeature(1, 0, 3, 2) ? 1L << 3 : 0;      // DE
        cr4 |= p.hasFeature(1, 0, 3, 3) ? 1L << 4 : 0;      // PSE
        cr4 |= p.hasFeature(1, 0, 3, 6) ? 1L << 5 : 0;      // PAE
        cr4 |= p.hasFeature(1, 0, 3, 7) ? 1L << 6 : 0;      // MCE
        cr4 |= p.hasFeature(1, 0, 3, 13) ? 1L << 7 : 0;     // PGE
        cr4 |= p.hasFeature(1, 0, 3, 24) ? 1L << 9 : 0;     // OSFXSR
        cr4 |= p.hasFeature(1, 0, 3, 25) ? 1L << 10 : 0;    // OSXMMEXCPT
        cr4 |= p.hasFeature(7, 0, 2, 2) ? 1L << 11 : 0;     // UMIP
        cr4 |= p.hasFeature(1, 0, 2, 5) ? 1L << 13 : 0;     // VMXE
        cr4 |= p.hasFeature(7, 0, 1, 0) ? 1L << 16 : 0;     // FSGSBASE
        cr4 |= p.hasFeature(1, 0, 2, 17) ? 1L << 17 : 0;    // PCIDE
        cr4 |= p.hasFeature(1, 0, 2, 26) ? 1L << 18 : 0;    // OSXSAVE
        cr4 |= p.hasFeature(7, 0, 2, 23) ? 1L << 19 : 0;    // KL
        cr4 |= p.hasFeature(7, 0, 1, 7) ? 1L << 20 : 0;     // SMEP
        cr4 |= p.hasFeature(7, 0, 1, 20) ? 1L << 21 : 0;    // SMAP
        cr4 |= p.hasFeature(7, 0, 2, 3) ? 1L << 22 : 0;     // PKE
        cr4Supported = cr4;
    }
}
