package dev.vmx4j.vmx.entry;

import dev.vmx4j.mmu.ept.EptpValidator;
import dev.vmx4j.vmx.controls.VmxCapabilities;
import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * The capabilities the entry checks consult, copied once from {@link VmxCapabilities} (the
 * capability MSRs) and the profile's CPUID into primitives: the checks run tens of thousands of
 * times a second under a fuzzer.
 */
final class Caps {

    final String profileName;
    final long basic;
    final int revision;
    final long pin0, pin1, proc0, proc1, sec1, ter1, exit0, exit1, exit2One, entry0, entry1;
    final long misc;
    final long cr0Fixed0, cr0Fixed1, cr4Fixed0, cr4Fixed1;
    final long vmfunc;
    final EptpValidator eptp;
    final int maxPhys;
    final int linearWidth;
    final boolean rtm, sgx, cetShadowStack, cetIbt, fred;
    final long perfGlobalCtrlValid;
    final long eferValid;
    private final VmxCapabilities vmx;

    Caps(VmxCapabilities c, CpuProfile p) {
        vmx = c;
        profileName = p.name();
        basic = c.basic();
        revision = c.vmcsRevisionId();
        pin0 = c.pinAllowed0();
        pin1 = c.pinAllowed1();
        proc0 = c.primaryAllowed0();
        proc1 = c.primaryAllowed1();
        sec1 = c.secondaryAllowed1();
        ter1 = c.tertiaryAllowed1();
        exit0 = c.exitAllowed0();
        exit1 = c.exitAllowed1();
        exit2One = c.secondaryExitAllowed1();
        entry0 = c.entryAllowed0();
        entry1 = c.entryAllowed1();
        misc = c.misc();
        cr0Fixed0 = c.cr0Fixed0();
        cr0Fixed1 = c.cr0Fixed1();
        cr4Fixed0 = c.cr4Fixed0();
        cr4Fixed1 = c.cr4Fixed1();
        vmfunc = c.vmfunc();
        maxPhys = p.maxPhysicalAddressBits();
        eptp = new EptpValidator(c.ept(), Math.max(36, maxPhys));
        int[] r = new int[4];
        p.cpuid(7, 0, r);
        linearWidth = (r[2] >>> 16 & 1) != 0 ? 57 : 48;
        rtm = (r[1] >>> 11 & 1) != 0;
        sgx = (r[1] >>> 2 & 1) != 0;
        cetShadowStack = (r[2] >>> 7 & 1) != 0;
        cetIbt = (r[3] >>> 20 & 1) != 0;
        p.cpuid(7, 1, r);
        fred = (r[0] >>> 17 & 1) != 0;
        p.cpuid(0xA, 0, r);
        int version = r[0] & 0xFF;
        int gp = r[0] >>> 8 & 0xFF;
        int fixed = version > 1 ? r[3] & 0x1F : 0;
        // SDM "IA32_PERF_GLOBAL_CTRL": one enable bit per general-purpose counter (bits 0..n-1)
        // and per fixed-function counter (bits 32..32+m-1); the MSR exists from version 2.
        perfGlobalCtrlValid = version < 2 ? 0 : lowBits(Math.min(gp, 32)) | lowBits(Math.min(fixed, 32)) << 32;
        p.cpuid(0x80000001, 0, r);
        boolean nx = (r[3] >>> 20 & 1) != 0;
        // SDM "IA32_EFER": SCE (0), LME (8), LMA (10), NXE (11, with CPUID.80000001H:EDX.NX).
        eferValid = 1L | 1L << 8 | 1L << 10 | (nx ? 1L << 11 : 0);
    }

    private static long lowBits(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    /** IA32_VMX_MISC[24:16]: the number of CR3-target values. */
    int cr3TargetCount() {
        return vmx.cr3TargetCount();
    }

    /** IA32_VMX_MISC[8:6]: activity state {@code state} (1 HLT, 2 shutdown, 3 wait-for-SIPI) is supported. */
    boolean activityStateSupported(long state) {
        return state >= 0 && state <= 3 && vmx.activityStateSupported((int) state);
    }

    /** IA32_VMX_MISC[30]: VM entry may inject a software event with instruction length 0. */
    boolean zeroLengthInjection() {
        return vmx.zeroLengthInstructionInjection();
    }

    /** 512 * (IA32_VMX_MISC[27:25] + 1): the recommended maximum MSR-list length. */
    long maxMsrListLength() {
        return vmx.maxMsrListCount();
    }

    /** IA32_VMX_BASIC[56]: VM entry does not require deliver-error-code to match the vector. */
    boolean noHardwareErrorCodeCheck() {
        return vmx.noErrorCodeRequirement();
    }

    boolean monitorTrapFlagSupported() {
        return (proc1 >>> 27 & 1) != 0;
    }
}
