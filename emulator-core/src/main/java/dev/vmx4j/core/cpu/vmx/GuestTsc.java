package dev.vmx4j.core.cpu.vmx;

/**
 * The TSC a guest reads in VMX non-root operation (SDM "Timestamp Counter Offsetting and
 * Scaling"): with "use TSC offsetting" = 0 the processor's TSC; with it 1, the TSC, multiplied by
 * the TSC multiplier and shifted right by 48 bits when "use TSC scaling" is 1, plus the TSC
 * offset. RDTSC, RDTSCP and RDMSR of IA32_TSC read it; the controls are copied at VM entry.
 */
final class GuestTsc {

    boolean offsetting;
    boolean scaling;
    long offset;
    long multiplier;

    /** SDM "Changes to Instruction Behavior in VMX Non-Root Operation", RDTSC: the value returned for {@code tsc}. */
    long read(long tsc) {
        if (!offsetting) {
            return tsc;
        }
        return (scaling ? scale(tsc, multiplier) : tsc) + offset;
    }

    /**
     * The processor ticks for {@code guestTicks} guest ticks: the same without scaling, else
     * rounded up from guestTicks × 2^48 / multiplier; a multiplier of 0 (a guest TSC that does
     * not advance) gives {@link Long#MAX_VALUE}.
     */
    long hostTicks(long guestTicks) {
        if (!offsetting || !scaling) {
            return guestTicks;
        }
        if (multiplier == 0) {
            return Long.MAX_VALUE;
        }
        double m = multiplier >= 0 ? multiplier : multiplier + 0x1p64;
        double ticks = Math.ceil(guestTicks * 0x1p48 / m);
        return ticks >= 0x1p62 ? Long.MAX_VALUE : (long) ticks;
    }

    /**
     * SDM "Timestamp Counter Offsetting and Scaling": "the product of the TSC value and the TSC
     * multiplier, shifted right 48 bits" (the 128-bit unsigned product's bits 111:48).
     */
    static long scale(long tsc, long multiplier) {
        long lo = tsc * multiplier;
        // Java 17 has only the signed high product; correct it for unsigned operands.
        long hi = Math.multiplyHigh(tsc, multiplier) + ((tsc >> 63) & multiplier) + ((multiplier >> 63) & tsc);
        return hi << 16 | lo >>> 48;
    }
}
