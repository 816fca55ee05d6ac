package dev.vmx4j.core.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPIs between three local APICs on an ApicBus, and the I/O APIC delivering to any of them. */
class ApicBusTest {

    private final List<String> signals = new ArrayList<>();
    private final LocalApic[] apics = new LocalApic[3];
    private final ApicBus bus;

    ApicBusTest() {
        for (int i = 0; i < apics.length; i++) {
            apics[i] = new LocalApic(i, 39, true, true, () -> 0);
            apics[i].write(LocalApic.REG_SVR, 4, 0x1FF); // software-enabled
        }
        bus = new ApicBus(apics, new ApicBus.ProcessorSignals() {
            @Override
            public void init(int index) {
                signals.add("INIT " + index);
            }

            @Override
            public void startup(int index, int vector) {
                signals.add("SIPI " + index + " " + vector);
            }
        });
    }

    private void ipi(int from, int destination, int low) {
        apics[from].write(LocalApic.REG_ICR_HIGH, 4, (long) destination << 24);
        apics[from].write(LocalApic.REG_ICR_LOW, 4, low);
    }

    @Test
    void fixedIpi_physicalDestination_reachesOnlyThatApic() {
        ipi(0, 2, 0x40);
        assertThat(apics[2].deliverableVector()).isEqualTo(0x40);
        assertThat(apics[1].deliverableVector()).isNegative();
        assertThat(apics[0].deliverableVector()).isNegative();
    }

    @Test
    void shorthands_self_allIncludingSelf_allExcludingSelf() {
        ipi(1, 0, 0x41 | (0b01 << 18));
        assertThat(apics[1].deliverableVector()).isEqualTo(0x41);
        assertThat(apics[0].deliverableVector()).isNegative();
        ipi(0, 0, 0x50 | (0b11 << 18));
        assertThat(apics[0].deliverableVector()).isNegative();
        assertThat(apics[2].deliverableVector()).isEqualTo(0x50);
        ipi(2, 0, 0x60 | (0b10 << 18));
        for (LocalApic a : apics) {
            assertThat(a.deliverableVector()).isEqualTo(0x60);
        }
    }

    @Test
    void nmiInitAndStartup_reachTheirTargets() {
        ipi(0, 1, 0x400); // NMI
        assertThat(apics[1].hasPendingNmi()).isTrue();
        assertThat(apics[2].hasPendingNmi()).isFalse();
        ipi(0, 0, 0x4500 | (0b11 << 18)); // INIT assert to all but self
        ipi(0, 0, 0x8500 | (0b11 << 18)); // INIT level de-assert: no effect
        ipi(0, 0, 0x4608 | (0b11 << 18)); // SIPI vector 8
        assertThat(signals).containsExactly("INIT 1", "INIT 2", "SIPI 1 8", "SIPI 2 8");
    }

    @Test
    void lowestPriority_goesToTheFirstAddressedApic() {
        ipi(0, 0xFF, 0x170); // lowest priority, broadcast destination
        assertThat(apics[0].deliverableVector()).isEqualTo(0x70);
        assertThat(apics[1].deliverableVector()).isNegative();
    }

    @Test
    void ioApic_routesEachPinToTheApicItsEntryNames() {
        IoApic io = new IoApic(apics[0]);
        io.setApics(apics);
        io.writeRegister(IoApic.IOREDTBL + 2 * 5, 0x45);
        io.writeRegister(IoApic.IOREDTBL + 2 * 5 + 1, 2 << 24); // physical destination APIC 2
        io.raiseIrq(5);
        assertThat(apics[2].deliverableVector()).isEqualTo(0x45);
        assertThat(apics[0].deliverableVector()).isNegative();
        assertThat(bus.size()).isEqualTo(3);
    }
}
