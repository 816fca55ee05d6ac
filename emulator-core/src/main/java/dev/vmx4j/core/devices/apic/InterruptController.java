package dev.vmx4j.core.devices.apic;

/**
 * What the CPU asks between instructions. The run loop's contract:
 *
 * <ol>
 *   <li>When the cycle counter reaches {@link #nextEventCycle()}, call {@link #advanceTo(long)}
 *       with the counter (calling it more often is harmless; earlier cycles are ignored).</li>
 *   <li>If NMIs are not blocked and {@link #hasPendingNmi()}, call {@link #acknowledgeNmi()} and
 *       deliver vector 2.</li>
 *   <li>If RFLAGS.IF = 1, there is no interrupt shadow and {@link #hasPendingInterrupt()}, call
 *       {@link #acknowledgeInterrupt()} and deliver the vector it returns.</li>
 *   <li>In HLT, skip the cycle counter to {@link #nextEventCycle()} (or stop if it is
 *       {@link Long#MAX_VALUE} and nothing is pending).</li>
 * </ol>
 *
 * <p>All methods are allocation-free and never read host time.
 */
public interface InterruptController {

    /** True if a maskable interrupt is ready for the INTR pin (the CPU still checks RFLAGS.IF). */
    boolean hasPendingInterrupt();

    /**
     * Performs the interrupt acknowledge cycle and returns the vector (0-255). A fixed APIC
     * interrupt moves from IRR to ISR (SDM "Interrupt Acceptance for Fixed Interrupts"); an
     * ExtINT or a PIC interrupt is answered by the 8259A pair. With nothing pending it returns the
     * spurious vector: the APIC's SVR[7:0], or the PIC's IR7 vector when the APIC is globally
     * disabled.
     */
    int acknowledgeInterrupt();

    /** True if an NMI is latched (the CPU checks its own NMI blocking). */
    boolean hasPendingNmi();

    /** Clears the latched NMI; the CPU delivers vector 2. */
    void acknowledgeNmi();

    /** Brings timers up to {@code cycle}, raising any interrupt due at or before it. */
    void advanceTo(long cycle);

    /** The cycle of the next timer event, or {@link Long#MAX_VALUE} if none is armed. */
    long nextEventCycle();
}
