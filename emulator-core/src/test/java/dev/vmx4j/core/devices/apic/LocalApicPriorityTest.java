package dev.vmx4j.core.devices.apic;

import static dev.vmx4j.core.devices.apic.LocalApic.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SDM "Task and Processor Priorities", "Interrupt Acceptance for Fixed Interrupts", EOI, IPIs. */
class LocalApicPriorityTest {

    private final ManualClock clock = new ManualClock();
    private final LocalApic apic = new LocalApic(0, 39, true, true, clock);
    private final List<Integer> eois = new ArrayList<>();

    @BeforeEach
    void enable() {
        write(REG_SVR, 0x1FF);
        apic.setEoiBroadcastListener(eois::add);
    }

    private int read(int reg) {
        return (int) apic.read(reg, 4);
    }

    private void write(int reg, int value) {
        apic.write(reg, 4, value & 0xFFFF_FFFFL);
    }

    @Test
    void ppr_equalsTprWhenTprClassIsAtLeastIsrClass() {
        apic.acceptFixed(0x45, false);
        apic.acknowledge();
        write(REG_TPR, 0x4A);
        assertThat(read(REG_PPR)).isEqualTo(0x4A);
    }

    @Test
    void ppr_isIsrClassWithLowNibbleZeroWhenIsrClassIsHigher() {
        apic.acceptFixed(0x65, false);
        apic.acknowledge();
        write(REG_TPR, 0x4A);
        assertThat(read(REG_PPR)).isEqualTo(0x60);
    }

    @Test
    void irrVector_isDeliverableOnlyWhenItsClassIsAbovePprClass() {
        write(REG_TPR, 0x50);
        apic.acceptFixed(0x5F, false);
        assertThat(apic.deliverableVector()).isEqualTo(-1);
        apic.acceptFixed(0x60, false);
        assertThat(apic.deliverableVector()).isEqualTo(0x60);
    }

    @Test
    void acknowledge_movesHighestIrrVectorToIsr() {
        apic.acceptFixed(0x31, false);
        apic.acceptFixed(0x80, false);
        assertThat(apic.acknowledge()).isEqualTo(0x80);
        assertThat(apic.irrBit(0x80)).isFalse();
        assertThat(apic.isrBit(0x80)).isTrue();
        assertThat(read(REG_ISR + 0x40)).isEqualTo(1);
        assertThat(read(REG_IRR + 0x10)).isEqualTo(1 << 0x11);
    }

    @Test
    void inService_blocksSameAndLowerClassesButNotHigher() {
        apic.acceptFixed(0x50, false);
        apic.acknowledge();
        apic.acceptFixed(0x5F, false);
        assertThat(apic.deliverableVector()).as("same class").isEqualTo(-1);
        apic.acceptFixed(0x61, false);
        assertThat(apic.acknowledge()).isEqualTo(0x61);
    }

    @Test
    void eoi_clearsHighestIsrBitFirstAndUnblocksLowerRequests() {
        apic.acceptFixed(0x50, false);
        apic.acknowledge();
        apic.acceptFixed(0x61, false);
        apic.acknowledge();
        apic.acceptFixed(0x40, false);
        write(REG_EOI, 0);
        assertThat(apic.isrBit(0x61)).isFalse();
        assertThat(apic.isrBit(0x50)).isTrue();
        assertThat(apic.deliverableVector()).isEqualTo(-1);
        write(REG_EOI, 0);
        assertThat(apic.acknowledge()).isEqualTo(0x40);
    }

    @Test
    void sameVectorTwice_isHeldOnceInIrrAndOnceInIsr() {
        apic.acceptFixed(0x70, false);
        apic.acknowledge();
        apic.acceptFixed(0x70, false);
        apic.acceptFixed(0x70, false);
        assertThat(apic.isrBit(0x70)).isTrue();
        assertThat(apic.irrBit(0x70)).isTrue();
        write(REG_EOI, 0);
        assertThat(apic.acknowledge()).isEqualTo(0x70);
        assertThat(apic.irrBit(0x70)).isFalse();
    }

    @Test
    void acknowledgeWithNothingDeliverable_returnsSpuriousVectorAndSetsNoIsr() {
        write(REG_SVR, 0x1F3);
        write(REG_TPR, 0xF0);
        apic.acceptFixed(0x90, false);
        assertThat(apic.acknowledge()).isEqualTo(0xF3);
        assertThat(apic.isrBit(0xF3)).isFalse();
        assertThat(apic.irrBit(0x90)).isTrue();
    }

    @Test
    void levelTriggeredAcceptance_setsTmrAndItsEoiIsBroadcast() {
        apic.acceptFixed(0x41, true);
        apic.acceptFixed(0x52, false);
        assertThat(apic.tmrBit(0x41)).isTrue();
        assertThat(apic.tmrBit(0x52)).isFalse();
        assertThat(apic.acknowledge()).isEqualTo(0x52);
        write(REG_EOI, 0);
        assertThat(eois).as("edge-triggered EOI is not broadcast").isEmpty();
        assertThat(apic.acknowledge()).isEqualTo(0x41);
        write(REG_EOI, 0);
        assertThat(eois).containsExactly(0x41);
    }

    @Test
    void edgeTriggeredAcceptance_clearsAPreviousTmrBit() {
        apic.acceptFixed(0x41, true);
        apic.acceptFixed(0x41, false);
        assertThat(apic.tmrBit(0x41)).isFalse();
    }

    @Test
    void receivedIllegalVector_isDroppedAndRecordedInEsr() {
        assertThat(apic.acceptFixed(0x0F, false)).isFalse();
        assertThat(apic.irrBit(0x0F)).isFalse();
        write(REG_ESR, 0);
        assertThat(read(REG_ESR)).isEqualTo(ESR_RECEIVE_ILLEGAL_VECTOR);
    }

    @Test
    void softwareDisabled_acceptsNoFixedInterruptButKeepsPendingOnes() {
        apic.acceptFixed(0x80, false);
        write(REG_SVR, 0xFF);
        assertThat(apic.acceptFixed(0x81, false)).isFalse();
        assertThat(apic.acknowledge()).isEqualTo(0x80);
    }

    @Test
    void cr8_readsAndWritesTprBits7To4() {
        apic.writeCr8(0x1B);
        assertThat(read(REG_TPR)).isEqualTo(0xB0);
        write(REG_TPR, 0x7C);
        assertThat(apic.readCr8()).isEqualTo(7);
    }

    @Test
    void selfIpiShorthand_fixedVectorEntersIrr() {
        write(REG_ICR_LOW, (0b01 << 18) | 0x55);
        assertThat(apic.irrBit(0x55)).isTrue();
        assertThat(apic.tmrBit(0x55)).isFalse();
    }

    @Test
    void ipiToOwnPhysicalIdOrBroadcast_reachesThisApic() {
        write(REG_ICR_HIGH, 0);
        write(REG_ICR_LOW, 0x61);
        write(REG_ICR_HIGH, 0xFF00_0000);
        write(REG_ICR_LOW, 0x62);
        write(REG_ICR_LOW, (0b10 << 18) | 0x63); // all including self
        assertThat(apic.irrBit(0x61)).isTrue();
        assertThat(apic.irrBit(0x62)).isTrue();
        assertThat(apic.irrBit(0x63)).isTrue();
    }

    @Test
    void ipiToAnotherProcessor_isDropped() {
        write(REG_ICR_HIGH, 0x0100_0000);
        write(REG_ICR_LOW, 0x61);
        write(REG_ICR_LOW, (0b11 << 18) | 0x62); // all excluding self
        assertThat(apic.irrBit(0x61)).isFalse();
        assertThat(apic.irrBit(0x62)).isFalse();
        assertThat(apic.deliverableVector()).isEqualTo(-1);
    }

    @Test
    void logicalFlatDestination_matchesLdrBits() {
        write(REG_LDR, 0x0400_0000);
        write(REG_ICR_HIGH, 0x0600_0000);
        write(REG_ICR_LOW, (1 << 11) | 0x71);
        write(REG_ICR_HIGH, 0x0800_0000);
        write(REG_ICR_LOW, (1 << 11) | 0x72);
        assertThat(apic.irrBit(0x71)).isTrue();
        assertThat(apic.irrBit(0x72)).isFalse();
    }

    @Test
    void nmiIpiToSelf_latchesNmi() {
        write(REG_ICR_LOW, (0b10 << 18) | (DELIVERY_NMI << 8));
        assertThat(apic.hasPendingNmi()).isTrue();
        apic.acknowledgeNmi();
        assertThat(apic.hasPendingNmi()).isFalse();
    }

    @Test
    void sendIllegalVector_isRecordedAndNothingIsDelivered() {
        write(REG_ICR_LOW, (0b01 << 18) | 0x03);
        assertThat(apic.irrBit(0x03)).isFalse();
        write(REG_ESR, 0);
        assertThat(read(REG_ESR)).isEqualTo(ESR_SEND_ILLEGAL_VECTOR);
    }

    @Test
    void lint1AsNmi_latchesNmiAndLint0Fixed_entersIrr() {
        write(REG_LVT_LINT1, DELIVERY_NMI << 8);
        write(REG_LVT_LINT0, 0x0000_0033);
        apic.assertLint(1);
        apic.assertLint(0);
        assertThat(apic.hasPendingNmi()).isTrue();
        assertThat(apic.irrBit(0x33)).isTrue();
    }

    @Test
    void maskedLint_deliversNothing() {
        write(REG_LVT_LINT1, LVT_MASKED | (DELIVERY_NMI << 8));
        apic.assertLint(1);
        assertThat(apic.hasPendingNmi()).isFalse();
    }

    @Test
    void arbitrationPriority_followsTprIsrAndIrr() {
        write(REG_TPR, 0x35);
        assertThat(read(REG_APR)).isEqualTo(0x35);
        apic.acceptFixed(0x81, false);
        assertThat(read(REG_APR)).isEqualTo(0x80);
    }
}
