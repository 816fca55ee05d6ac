package dev.vmx4j.core.devices.apic;

import static dev.vmx4j.core.devices.apic.IoApic.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.memory.GuestMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 82093AA I/O APIC: indirect registers, redirection to the local APIC, Remote IRR and EOI. */
class IoApicTest {

    private final ManualClock clock = new ManualClock();
    private final LocalApic lapic = new LocalApic(0, 39, true, true, clock);
    private final IoApic ioApic = new IoApic(lapic);
    private final GuestMemory mem = GuestMemory.withRam(1 << 20);

    @BeforeEach
    void wire() {
        lapic.write(LocalApic.REG_SVR, 4, 0x1FF);
        lapic.setEoiBroadcastListener(ioApic);
        mem.addMmio(DEFAULT_BASE, MMIO_SIZE, ioApic);
    }

    private int readReg(int index) {
        mem.write32(DEFAULT_BASE + IOREGSEL, index);
        return mem.read32(DEFAULT_BASE + IOWIN);
    }

    private void writeReg(int index, int value) {
        mem.write32(DEFAULT_BASE + IOREGSEL, index);
        mem.write32(DEFAULT_BASE + IOWIN, value);
    }

    private void program(int pin, int low, int destination) {
        writeReg(IOREDTBL + 2 * pin + 1, destination << 24);
        writeReg(IOREDTBL + 2 * pin, low);
    }

    private void eoi() {
        lapic.write(LocalApic.REG_EOI, 4, 0);
    }

    @Test
    void versionRegister_reports24EntriesAndVersion11() {
        assertThat(readReg(IOAPICVER)).isEqualTo(0x0017_0011);
    }

    @Test
    void idRegister_bits27To24AreWritable() {
        writeReg(IOAPICID, 0xFFFF_FFFF);
        assertThat(readReg(IOAPICID)).isEqualTo(0x0F00_0000);
        assertThat(readReg(IOAPICARB)).isEqualTo(0x0F00_0000);
    }

    @Test
    void reset_masksEveryRedirectionEntry() {
        for (int pin = 0; pin < ENTRY_COUNT; pin++) {
            assertThat(readReg(IOREDTBL + 2 * pin)).isEqualTo((int) RTE_MASKED);
        }
        ioApic.raiseIrq(4);
        assertThat(lapic.deliverableVector()).isEqualTo(-1);
    }

    @Test
    void redirectionEntry_readOnlyBitsAndReservedBitsAreNotWritten() {
        writeReg(IOREDTBL + 2 * 3, 0xFFFF_FFFF);
        writeReg(IOREDTBL + 2 * 3 + 1, 0xFFFF_FFFF);
        assertThat(readReg(IOREDTBL + 2 * 3)).isEqualTo(0x0001_AFFF);
        assertThat(readReg(IOREDTBL + 2 * 3 + 1)).isEqualTo(0xFF00_0000);
    }

    @Test
    void edgeEntry_sendsItsVectorToTheLocalApicOncePerAssertion() {
        program(1, 0x31, 0);
        ioApic.raiseIrq(1);
        assertThat(lapic.irrBit(0x31)).isTrue();
        assertThat(lapic.acknowledge()).isEqualTo(0x31);
        eoi();
        ioApic.raiseIrq(1); // no new edge
        assertThat(lapic.irrBit(0x31)).isFalse();
        ioApic.lowerIrq(1);
        ioApic.raiseIrq(1);
        assertThat(lapic.irrBit(0x31)).isTrue();
        assertThat(lapic.tmrBit(0x31)).isFalse();
    }

    @Test
    void maskedEntry_sendsNothing() {
        program(2, (int) RTE_MASKED | 0x32, 0);
        ioApic.raiseIrq(2);
        assertThat(lapic.irrBit(0x32)).isFalse();
    }

    @Test
    void levelEntry_setsRemoteIrrAndWaitsForTheEoiBroadcast() {
        program(9, (int) RTE_LEVEL_TRIGGERED | 0x49, 0);
        ioApic.raiseIrq(9);
        assertThat(lapic.tmrBit(0x49)).isTrue();
        assertThat(ioApic.redirectionEntry(9) & RTE_REMOTE_IRR).isNotZero();
        assertThat(lapic.acknowledge()).isEqualTo(0x49);
        ioApic.raiseIrq(9);
        assertThat(lapic.irrBit(0x49)).as("held by Remote IRR").isFalse();
        eoi(); // line still asserted: resent
        assertThat(ioApic.redirectionEntry(9) & RTE_REMOTE_IRR).isNotZero();
        assertThat(lapic.irrBit(0x49)).isTrue();
        assertThat(lapic.acknowledge()).isEqualTo(0x49);
        ioApic.lowerIrq(9);
        eoi();
        assertThat(ioApic.redirectionEntry(9) & RTE_REMOTE_IRR).isZero();
        assertThat(lapic.irrBit(0x49)).isFalse();
    }

    @Test
    void levelEntryAssertedWhileMasked_isSentWhenUnmasked() {
        program(10, (int) (RTE_MASKED | RTE_LEVEL_TRIGGERED) | 0x4A, 0);
        ioApic.raiseIrq(10);
        assertThat(lapic.irrBit(0x4A)).isFalse();
        program(10, (int) RTE_LEVEL_TRIGGERED | 0x4A, 0);
        assertThat(lapic.irrBit(0x4A)).isTrue();
    }

    @Test
    void physicalDestinationOfAnotherApic_isDropped() {
        program(5, 0x35, 1);
        ioApic.raiseIrq(5);
        assertThat(lapic.irrBit(0x35)).isFalse();
        program(6, 0x36, 0xFF);
        ioApic.raiseIrq(6);
        assertThat(lapic.irrBit(0x36)).as("broadcast").isTrue();
    }

    @Test
    void logicalDestination_matchesTheLocalApicLdr() {
        lapic.write(LocalApic.REG_LDR, 4, 0x0100_0000);
        program(7, (int) RTE_LOGICAL | 0x37, 0x01);
        program(8, (int) RTE_LOGICAL | 0x38, 0x02);
        ioApic.raiseIrq(7);
        ioApic.raiseIrq(8);
        assertThat(lapic.irrBit(0x37)).isTrue();
        assertThat(lapic.irrBit(0x38)).isFalse();
    }

    @Test
    void nmiDeliveryMode_latchesAnNmi() {
        program(11, LocalApic.DELIVERY_NMI << 8, 0);
        ioApic.raiseIrq(11);
        assertThat(lapic.hasPendingNmi()).isTrue();
    }

    @Test
    void lowestPriorityDeliveryMode_reachesTheOnlyProcessor() {
        program(12, LocalApic.DELIVERY_LOWEST_PRIORITY << 8 | 0x3C, 0);
        ioApic.raiseIrq(12);
        assertThat(lapic.irrBit(0x3C)).isTrue();
    }

    @Test
    void extIntDeliveryMode_routesTheNextAcknowledgeToThePic() {
        lapic.write(LocalApic.REG_LVT_LINT0, 4, LocalApic.LVT_MASKED);
        assertThat(lapic.routesExtInt()).isFalse();
        program(0, LocalApic.DELIVERY_EXTINT << 8, 0);
        ioApic.raiseIrq(0);
        assertThat(lapic.routesExtInt()).isTrue();
    }

    @Test
    void apiMisuse_pinOutOfRangeIsRejected() {
        assertThatThrownBy(() -> ioApic.raiseIrq(24)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 23]");
    }
}
