package dev.vmx4j.core.devices.apic;

/**
 * Receives the EOI message a local APIC broadcasts when software ends a level-triggered
 * interrupt (SDM "End-of-Interrupt (EOI)": the EOI goes to all I/O APICs when the vector's TMR
 * bit is set). The I/O APIC clears the Remote IRR of the entries with that vector.
 */
@FunctionalInterface
public interface EoiBroadcastListener {

    void eoiBroadcast(int vector);
}
