package dev.vmx4j.vmx.profile;

/**
 * Whose architecture manual a profile's processor follows where Intel and AMD differ, read from
 * the vendor string of CPUID leaf 0 (EBX, EDX, ECX). vmx4j's authority is the Intel SDM; with
 * {@link #AMD} the differences docs/CPU.md "Vendors" lists follow AMD's APM instead.
 */
public enum CpuVendor {
    /** "GenuineIntel", and every vendor string vmx4j does not know (MANUAL: the SDM's rules). */
    INTEL("GenuineIntel"),
    /** "AuthenticAMD": AMD64 Architecture Programmer's Manual behaviour where it differs. */
    AMD("AuthenticAMD");

    private final String vendorString;

    CpuVendor(String vendorString) {
        this.vendorString = vendorString;
    }

    /** The twelve characters CPUID leaf 0 returns in EBX, EDX, ECX for this vendor. */
    public String vendorString() {
        return vendorString;
    }

    /** The vendor whose string leaf 0 returns ({@code ebx}, {@code edx}, {@code ecx}); unknown strings give {@link #INTEL}. */
    public static CpuVendor of(int ebx, int edx, int ecx) {
        StringBuilder s = new StringBuilder(12);
        for (int r : new int[] {ebx, edx, ecx}) {
            for (int i = 0; i < 4; i++) {
                s.append((char) (r >>> (8 * i) & 0xFF));
            }
        }
        return AMD.vendorString.contentEquals(s) ? AMD : INTEL;
    }
}
