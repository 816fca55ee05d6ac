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
