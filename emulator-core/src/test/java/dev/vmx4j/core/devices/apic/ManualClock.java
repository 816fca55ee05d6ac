package dev.vmx4j.core.devices.apic;

/** A cycle counter the test moves by hand. */
final class ManualClock implements CycleClock {

    long cycle;

    @Override
    public long cycle() {
        return cycle;
    }
}
