package dev.vmx4j.core.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.io.IoBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Pic8259PairTest {

    private final IoBus bus = new IoBus();
    private final Pic8259Pair pic = new Pic8259Pair();

    @BeforeEach
    void attach() {
        bus.attach(Pic8259Pair.MASTER_PORT, Pic8259Pair.PORT_COUNT, pic);
        bus.attach(Pic8259Pair.SLAVE_PORT, Pic8259Pair.PORT_COUNT, pic);
    }

    /** The BIOS sequence written through the ports, master at 0x20 and slave at 0x28. */
    private void initThroughPorts(int icw4) {
        bus.out(0x20, 1, 0x11);
        bus.out(0x21, 1, 0x20);
        bus.out(0x21, 1, 0x04);
        bus.out(0x21, 1, icw4);
        bus.out(0xA0, 1, 0x11);
        bus.out(0xA1, 1, 0x28);
        bus.out(0xA1, 1, 0x02);
        bus.out(0xA1, 1, 0x01);
    }

    private void pulse(int irq) {
        pic.raiseIrq(irq);
        pic.lowerIrq(irq);
    }

    @Test
    void icwSequence_setsVectorBaseAndUnmasksEveryInput() {
        initThroughPorts(0x01);
        assertThat(bus.in(0x21, 1)).isZero();
        assertThat(bus.in(0xA1, 1)).isZero();
        pulse(1);
        assertThat(pic.hasInterrupt()).isTrue();
        assertThat(pic.acknowledge()).isEqualTo(0x21);
        assertThat(pic.masterIsr()).isEqualTo(0x02);
    }

    @Test
    void icwSequence_icw2IgnoresLowThreeBitsOfVectorBase() {
        bus.out(0x20, 1, 0x13); // single, ICW4 needed: no ICW3
        bus.out(0x21, 1, 0x47);
        bus.out(0x21, 1, 0x01);
        pulse(3);
        assertThat(pic.acknowledge()).isEqualTo(0x43);
    }

    @Test
    void icw1WithoutIc4_skipsIcw4AndNextDataWriteIsOcw1() {
        bus.out(0x20, 1, 0x10); // cascade, no ICW4
        bus.out(0x21, 1, 0x30);
        bus.out(0x21, 1, 0x04); // ICW3
        bus.out(0x21, 1, 0xF0); // OCW1
        assertThat(bus.in(0x21, 1)).isEqualTo(0xF0);
    }

    @Test
    void beforeInitialisation_everyInputIsMasked() {
        pulse(0);
        assertThat(pic.hasInterrupt()).isFalse();
        assertThat(pic.masterImr()).isEqualTo(0xFF);
    }

    @Test
    void ocw1_maskedInputKeepsItsRequestInIrrUntilUnmasked() {
        initThroughPorts(0x01);
        bus.out(0x21, 1, 0x08);
        pulse(3);
        assertThat(pic.hasInterrupt()).isFalse();
        assertThat(pic.masterIrr()).isEqualTo(0x08);
        bus.out(0x21, 1, 0x00);
        assertThat(pic.acknowledge()).isEqualTo(0x23);
    }

    @Test
    void edgeTriggered_requestLatchesOnlyOnRisingEdge() {
        initThroughPorts(0x01);
        pic.raiseIrq(4);
        pic.raiseIrq(4); // still high: no new edge
        assertThat(pic.acknowledge()).isEqualTo(0x24);
        bus.out(0x20, 1, 0x20);
        assertThat(pic.hasInterrupt()).isFalse();
        pic.lowerIrq(4);
        pic.raiseIrq(4);
        assertThat(pic.hasInterrupt()).isTrue();
    }

    @Test
    void levelTriggered_requestFollowsTheLine() {
        bus.out(0x20, 1, 0x1B); // LTIM, single, ICW4
        bus.out(0x21, 1, 0x20);
        bus.out(0x21, 1, 0x01);
        pic.raiseIrq(5);
        assertThat(pic.masterIrr()).isEqualTo(0x20);
        pic.lowerIrq(5);
        assertThat(pic.masterIrr()).isZero();
        pic.raiseIrq(5);
        assertThat(pic.acknowledge()).isEqualTo(0x25);
        bus.out(0x20, 1, 0x20);
        assertThat(pic.hasInterrupt()).as("line still high after EOI").isTrue();
    }

    @Test
    void fullyNested_lowerPriorityWaitsForEoiOfHigher() {
        initThroughPorts(0x01);
        pulse(0);
        assertThat(pic.acknowledge()).isEqualTo(0x20);
        pulse(1);
        assertThat(pic.hasInterrupt()).isFalse();
        bus.out(0x20, 1, 0x20); // non-specific EOI
        assertThat(pic.acknowledge()).isEqualTo(0x21);
    }

    @Test
    void fullyNested_higherPriorityInterruptsLowerInService() {
        initThroughPorts(0x01);
        pulse(5);
        assertThat(pic.acknowledge()).isEqualTo(0x25);
        pulse(1);
        assertThat(pic.acknowledge()).isEqualTo(0x21);
        assertThat(pic.masterIsr()).isEqualTo(0x22);
    }

    @Test
    void nonSpecificEoi_clearsHighestPriorityInServiceLevel() {
        initThroughPorts(0x01);
        pulse(5);
        pic.acknowledge();
        pulse(1);
        pic.acknowledge();
        bus.out(0x20, 1, 0x20);
        assertThat(pic.masterIsr()).isEqualTo(0x20);
    }

    @Test
    void specificEoi_clearsTheNamedLevel() {
        initThroughPorts(0x01);
        pulse(5);
        pic.acknowledge();
        pulse(1);
        pic.acknowledge();
        bus.out(0x20, 1, 0x65); // specific EOI, level 5
        assertThat(pic.masterIsr()).isEqualTo(0x02);
    }

    @Test
    void ocw3_selectsIrrOrIsrForReadsOfTheCommandPort() {
        initThroughPorts(0x01);
        bus.out(0x21, 1, 0xFF);
        pulse(6);
        assertThat(bus.in(0x20, 1)).as("IRR is read after init").isEqualTo(0x40);
        bus.out(0x21, 1, 0x00);
        pic.acknowledge();
        bus.out(0x20, 1, 0x0B);
        assertThat(bus.in(0x20, 1)).isEqualTo(0x40);
        bus.out(0x20, 1, 0x0A);
        assertThat(bus.in(0x20, 1)).isZero();
    }

    @Test
    void ocw3Poll_readReturnsLevelWithBit7AndActsAsAcknowledge() {
        initThroughPorts(0x01);
        pulse(3);
        bus.out(0x20, 1, 0x0C);
        assertThat(bus.in(0x20, 1)).isEqualTo(0x83);
        assertThat(pic.masterIsr()).isEqualTo(0x08);
        bus.out(0x20, 1, 0x0C);
        assertThat(bus.in(0x20, 1)).as("nothing pending").isZero();
    }

    @Test
    void cascade_slaveRequestDeliversSlaveVectorAndSetsBothIsrs() {
        initThroughPorts(0x01);
        pulse(10);
        assertThat(pic.masterIrr()).isEqualTo(0x04);
        assertThat(pic.acknowledge()).isEqualTo(0x2A);
        assertThat(pic.masterIsr()).isEqualTo(0x04);
        assertThat(pic.slaveIsr()).isEqualTo(0x04);
    }

    @Test
    void cascade_maskingIr2OnMasterBlocksTheSlave() {
        initThroughPorts(0x01);
        bus.out(0x21, 1, 0x04);
        pulse(8);
        assertThat(pic.hasInterrupt()).isFalse();
        bus.out(0x21, 1, 0x00);
        assertThat(pic.acknowledge()).isEqualTo(0x28);
    }

    @Test
    void cascade_slaveInServiceHoldsOffOtherSlaveRequestsUntilMasterEoi() {
        initThroughPorts(0x01);
        pulse(12);
        pic.acknowledge();
        pulse(9); // higher priority on the slave, but master IR2 is in service
        assertThat(pic.hasInterrupt()).isFalse();
        bus.out(0xA0, 1, 0x20);
        bus.out(0x20, 1, 0x20);
        assertThat(pic.acknowledge()).isEqualTo(0x29);
    }

    @Test
    void specialFullyNestedMode_higherSlaveRequestInterruptsSlaveInService() {
        initThroughPorts(0x11); // SFNM on the master
        pulse(12);
        assertThat(pic.acknowledge()).isEqualTo(0x2C);
        pulse(9);
        assertThat(pic.acknowledge()).isEqualTo(0x29);
        pulse(13); // lower than 12 on the slave: still held off by the slave's own ISR
        assertThat(pic.hasInterrupt()).isFalse();
    }

    @Test
    void automaticEoi_leavesIsrClear() {
        initThroughPorts(0x03);
        pulse(2 + 1);
        assertThat(pic.acknowledge()).isEqualTo(0x23);
        assertThat(pic.masterIsr()).isZero();
    }

    @Test
    void rotateOnNonSpecificEoi_makesServicedLevelLowest() {
        initThroughPorts(0x01);
        pulse(0);
        pic.acknowledge();
        bus.out(0x20, 1, 0xA0);
        pulse(0);
        pulse(1);
        assertThat(pic.acknowledge()).isEqualTo(0x21);
    }

    @Test
    void setPriority_levelAfterTheLowestBecomesHighest() {
        initThroughPorts(0x01);
        bus.out(0x20, 1, 0xC3); // IR3 lowest, so IR4 highest
        pulse(1);
        pulse(4);
        assertThat(pic.acknowledge()).isEqualTo(0x24);
    }

    @Test
    void specialMaskMode_maskedLevelInServiceNoLongerHoldsOffLowerLevels() {
        initThroughPorts(0x01);
        pulse(1);
        pic.acknowledge();
        pulse(5);
        assertThat(pic.hasInterrupt()).isFalse();
        bus.out(0x20, 1, 0x68); // set special mask mode
        bus.out(0x21, 1, 0x02); // mask IR1
        assertThat(pic.acknowledge()).isEqualTo(0x25);
    }

    @Test
    void spuriousAcknowledge_withNoRequestReturnsIr7VectorAndSetsNoIsr() {
        initThroughPorts(0x01);
        assertThat(pic.acknowledge()).isEqualTo(0x27);
        assertThat(pic.masterIsr()).isZero();
    }

    @Test
    void maskAll_setsBothImrsToFf() {
        initThroughPorts(0x01);
        pic.maskAll();
        pulse(0);
        pulse(8);
        assertThat(bus.in(0x21, 1)).isEqualTo(0xFF);
        assertThat(bus.in(0xA1, 1)).isEqualTo(0xFF);
        assertThat(pic.hasInterrupt()).isFalse();
    }

    @Test
    void initialize_matchesThePortSequence() {
        pic.initialize(0x08, 0x70);
        pulse(0);
        assertThat(pic.acknowledge()).isEqualTo(0x08);
        bus.out(0x20, 1, 0x20);
        pulse(14);
        assertThat(pic.acknowledge()).isEqualTo(0x76);
    }

    @Test
    void apiMisuse_irqOrVectorBaseOutOfRangeIsRejected() {
        assertThatThrownBy(() -> pic.raiseIrq(16)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 15]");
        assertThatThrownBy(() -> pic.initialize(0x09, 0x70)).isInstanceOf(IllegalArgumentException.class);
    }
}
