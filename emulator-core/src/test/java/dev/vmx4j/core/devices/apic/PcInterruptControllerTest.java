package dev.vmx4j.core.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.io.IoBus;
import dev.vmx4j.core.memory.GuestMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CPU-facing contract: PIC through LINT0 (virtual wire) or directly, APIC first, time. */
class PcInterruptControllerTest {

    private final ManualClock clock = new ManualClock();
    private final PcInterruptController ic = PcInterruptController.create(clock);
    private final IoBus bus = new IoBus();
    private final GuestMemory mem = GuestMemory.withRam(1 << 20);

    @BeforeEach
    void attach() {
        ic.attach(bus, mem);
        ic.pic().initialize(0x20, 0x28);
    }

    @Test
    void virtualWire_picInterruptReachesTheCpuThroughLint0ExtInt() {
        ic.localApic().configureVirtualWire();
        ic.raiseIrq(1);
        assertThat(ic.hasPendingInterrupt()).isTrue();
        assertThat(ic.acknowledgeInterrupt()).isEqualTo(0x21);
        assertThat(ic.pic().masterIsr()).isEqualTo(0x02);
        assertThat(ic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void resetApic_softwareDisabledWithLint0Masked_blocksThePic() {
        ic.raiseIrq(1);
        assertThat(ic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void globallyDisabledApic_picDrivesIntrDirectly() {
        ic.localApic().writeApicBase(LocalApic.DEFAULT_BASE);
        ic.raiseIrq(3);
        assertThat(ic.hasPendingInterrupt()).isTrue();
        assertThat(ic.acknowledgeInterrupt()).isEqualTo(0x23);
    }

    @Test
    void deliverableApicInterrupt_isTakenBeforeTheExtIntRequest() {
        ic.localApic().configureVirtualWire();
        ic.raiseIrq(1);
        ic.localApic().acceptFixed(0x40, false);
        assertThat(ic.acknowledgeInterrupt()).isEqualTo(0x40);
        assertThat(ic.acknowledgeInterrupt()).isEqualTo(0x21);
    }

    @Test
    void maskedPics_deliverNothing() {
        ic.localApic().configureVirtualWire();
        ic.pic().maskAll();
        ic.raiseIrq(0);
        assertThat(ic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void isaIrqThroughIoApic_reachesTheLocalApicWithItsVector() {
        ic.localApic().configureVirtualWire();
        ic.pic().maskAll();
        ic.ioApic().writeRegister(IoApic.IOREDTBL + 2 * 4, 0x54);
        ic.raiseIrq(4);
        assertThat(ic.hasPendingInterrupt()).isTrue();
        assertThat(ic.acknowledgeInterrupt()).isEqualTo(0x54);
    }

    @Test
    void timer_nextEventCycleAndAdvanceToDriveTheInterrupt() {
        long base = LocalApic.DEFAULT_BASE;
        mem.write32(base + LocalApic.REG_SVR, 0x1FF);
        mem.write32(base + LocalApic.REG_LVT_TIMER, 0x20000 | 0xEF);
        mem.write32(base + LocalApic.REG_TIMER_DIVIDE, 0x3); // divide by 16
        clock.cycle = 100;
        mem.write32(base + LocalApic.REG_TIMER_INITIAL_COUNT, 4);
        assertThat(ic.nextEventCycle()).isEqualTo(164);
        ic.advanceTo(163);
        assertThat(ic.hasPendingInterrupt()).isFalse();
        ic.advanceTo(164);
        assertThat(ic.hasPendingInterrupt()).isTrue();
        assertThat(ic.acknowledgeInterrupt()).isEqualTo(0xEF);
        assertThat(ic.nextEventCycle()).isEqualTo(228);
    }

    @Test
    void sameCycles_giveTheSameInterrupts() {
        long[] first = runScript();
        long[] second = runScript();
        assertThat(second).containsExactly(first);
    }

    /** A periodic timer sampled by a run loop that stops exactly at each event. */
    private static long[] runScript() {
        ManualClock c = new ManualClock();
        PcInterruptController pc = PcInterruptController.create(c);
        LocalApic a = pc.localApic();
        a.write(LocalApic.REG_SVR, 4, 0x1FF);
        a.write(LocalApic.REG_LVT_TIMER, 4, 0x20000 | 0x80);
        a.write(LocalApic.REG_TIMER_DIVIDE, 4, 0x9);
        a.write(LocalApic.REG_TIMER_INITIAL_COUNT, 4, 3);
        long[] taken = new long[5];
        for (int i = 0; i < taken.length; i++) {
            c.cycle = pc.nextEventCycle();
            pc.advanceTo(c.cycle);
            assertThat(pc.acknowledgeInterrupt()).isEqualTo(0x80);
            a.write(LocalApic.REG_EOI, 4, 0);
            taken[i] = c.cycle;
        }
        assertThat(taken).containsExactly(192, 384, 576, 768, 960);
        return taken;
    }

    @Test
    void nmiPin_throughLint1InVirtualWire() {
        ic.localApic().configureVirtualWire();
        ic.assertNmiPin();
        assertThat(ic.hasPendingNmi()).isTrue();
        ic.acknowledgeNmi();
        assertThat(ic.hasPendingNmi()).isFalse();
    }

    @Test
    void acknowledgeWithNothingPending_returnsTheApicSpuriousVector() {
        ic.localApic().configureVirtualWire();
        assertThat(ic.acknowledgeInterrupt()).isEqualTo(0xFF);
        assertThat(ic.localApic().isrBit(0xFF)).isFalse();
    }

    @Test
    void acknowledgeWithNothingPendingAndApicDisabled_returnsThePicIr7Vector() {
        ic.localApic().writeApicBase(LocalApic.DEFAULT_BASE);
        assertThat(ic.acknowledgeInterrupt()).isEqualTo(0x27);
        assertThat(ic.pic().masterIsr()).isZero();
    }

    @Test
    void picPortsAreOnTheBus() {
        bus.out(0x21, 1, 0xAA);
        assertThat(bus.in(0x21, 1)).isEqualTo(0xAA);
        assertThat(mem.read32(IoApic.DEFAULT_BASE)).isZero();
    }
}
