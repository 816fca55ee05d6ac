package dev.vmx4j.core.devices.apic;

/**
 * The machine's cycle counter as the local APIC sees it. The APIC reads it only when the guest
 * touches a timer register (to compute the current count or to start counting), never per
 * instruction; the value must never decrease.
 */
@FunctionalInterface
public interface CycleClock {

    long cycle();
}
