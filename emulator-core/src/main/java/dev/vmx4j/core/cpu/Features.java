package dev.vmx4j.core.cpu;

import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * The CPUID feature bits that gate instructions, read once from the profile.
 * PERF: {@code CpuProfile.hasFeature} allocates; instructions test these final fields instead.
 */
final class Features {

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

    Features(CpuProfile p) {
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
    }
}
