package dev.vmx4j.core.devices.apic;

/**
 * The bus between the local APICs of several processors: carries interprocessor interrupts
 * (SDM "Issuing Interprocessor Interrupts") from the sender's ICR to every APIC the destination
 * field or shorthand names, and the I/O APIC's messages to the APICs they address.
 *
 * <p>Fixed interrupts and NMIs are accepted by the target APICs at once; INIT and start-up IPIs
 * are handed to the {@link ProcessorSignals} (the processors, which the CPU side owns).
 * MANUAL: lowest-priority delivery goes to the addressed APIC with the lowest index (the SDM lets
 * the platform choose; a fixed choice keeps runs deterministic). An INIT "level de-assert"
 * (level 0, trigger mode level) has no effect, as on processors since the Pentium 4.
 */
public final class ApicBus {

    /** Where INIT and SIPI messages go: processor {@code index} (the APIC's index on this bus). */
    public interface ProcessorSignals {
        void init(int index);

        void startup(int index, int vector);
    }

    private final LocalApic[] apics;
    private final ProcessorSignals signals;

    /** {@code apics[i]} is processor {@code i}'s APIC; each is connected to this bus. */
    public ApicBus(LocalApic[] apics, ProcessorSignals signals) {
        if (apics == null || apics.length == 0 || signals == null) {
            throw new IllegalArgumentException("apics must be non-empty and signals non-null");
        }
        this.apics = apics.clone();
        this.signals = signals;
        for (LocalApic a : this.apics) {
            a.setBus(this);
        }
    }

    public int size() {
        return apics.length;
    }

    public LocalApic apic(int index) {
        return apics[index];
    }

    /** An IPI from {@code source}'s ICR ({@code low}: ICR bits 31:0; {@code destination}: 8- or 32-bit). */
    void sendIpi(LocalApic source, int low, int destination, boolean x2apic) {
        int vector = low & 0xFF;
        int mode = (low >>> 8) & 7;
        boolean logical = (low & (1 << 11)) != 0;
        boolean assertLevel = (low & (1 << 14)) != 0;
        boolean levelTrigger = (low & (1 << 15)) != 0;
        int shorthand = (low >>> 18) & 3;
        if (mode == LocalApic.DELIVERY_INIT && levelTrigger && !assertLevel) {
            return; // INIT level de-assert
        }
        boolean lowestDone = false;
        for (int i = 0; i < apics.length; i++) {
            LocalApic t = apics[i];
            boolean self = t == source;
            boolean hit;
            switch (shorthand) {
                case 0b00:
                    hit = t.matchesIpiDestination(destination, logical, x2apic);
                    break;
                case 0b01:
                    hit = self;
                    break;
                case 0b10:
                    hit = true;
                    break;
                default:
                    hit = !self;
                    break;
            }
            if (!hit || !t.isGloballyEnabled() && mode != LocalApic.DELIVERY_INIT && mode != LocalApic.DELIVERY_STARTUP) {
                continue;
            }
            switch (mode) {
                case LocalApic.DELIVERY_FIXED:
                    t.acceptFixed(vector, false);
                    break;
                case LocalApic.DELIVERY_LOWEST_PRIORITY:
                    if (!lowestDone) {
                        lowestDone = t.acceptFixed(vector, false);
                    }
                    break;
                case LocalApic.DELIVERY_NMI:
                    t.acceptNmi();
                    break;
                case LocalApic.DELIVERY_INIT:
                    signals.init(i);
                    break;
                case LocalApic.DELIVERY_STARTUP:
                    signals.startup(i, vector);
                    break;
                default:
                    break; // SMI and reserved modes are not modelled
            }
        }
    }
}
