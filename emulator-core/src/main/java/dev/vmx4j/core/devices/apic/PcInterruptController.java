package dev.vmx4j.core.devices.apic;

import dev.vmx4j.core.io.IoBus;
import dev.vmx4j.core.memory.GuestMemory;

/**
 * The PC's interrupt wiring as one processor sees it (with several processors each has one,
 * sharing the 8259A pair and the I/O APIC): the 8259A pair's INT output reaches the CPU
 * through LINT0 (virtual wire, LVT LINT0 = ExtINT) or directly when the local APIC is globally
 * disabled; the I/O APIC sends its messages to the local APIC; the local APIC's EOI broadcast
 * reaches the I/O APIC. This is the {@link InterruptController} the CPU calls.
 *
 * <p>Priority between the two paths: MANUAL: a deliverable fixed APIC interrupt is taken before
 * an ExtINT request (the SDM does not order them; the APIC presents its own vector first).
 *
 * <p>ISA IRQ {@code n} (0-15) drives PIC input {@code n} and I/O APIC pin {@code n}. MANUAL: no
 * interrupt source override (IRQ 0 is not moved to pin 2); the machine's tables must say so.
 */
public final class PcInterruptController implements InterruptController {

    private final LocalApic lapic;
    private final Pic8259Pair pic;
    private final IoApic ioApic;
    private dev.vmx4j.core.devices.Pit8254 pit;
    private XapicWindows windows;

    public PcInterruptController(LocalApic lapic, Pic8259Pair pic, IoApic ioApic) {
        if (lapic == null || pic == null || ioApic == null) {
            throw new IllegalArgumentException("lapic, pic and ioApic must not be null");
        }
        this.lapic = lapic;
        this.pic = pic;
        this.ioApic = ioApic;
        lapic.setEoiBroadcastListener(ioApic);
    }

    /** A local APIC on {@code clock}, a PIC pair and an I/O APIC, wired together. */
    public static PcInterruptController create(CycleClock clock) {
        LocalApic lapic = new LocalApic(clock);
        return new PcInterruptController(lapic, new Pic8259Pair(), new IoApic(lapic));
    }

    /**
     * Claims ports 0x20-0x21 and 0xA0-0xA1 and the two MMIO pages at their default bases (the
     * local APIC's through {@link XapicWindows}, which moves with IA32_APIC_BASE).
     */
    public void attach(IoBus bus, GuestMemory memory) {
        bus.attach(Pic8259Pair.MASTER_PORT, Pic8259Pair.PORT_COUNT, pic);
        bus.attach(Pic8259Pair.SLAVE_PORT, Pic8259Pair.PORT_COUNT, pic);
        windows = new XapicWindows(memory, lapic);
        memory.addMmio(IoApic.DEFAULT_BASE, IoApic.MMIO_SIZE, ioApic);
    }

    /** The xAPIC pages (made by {@link #attach}; null before). */
    public XapicWindows xapicWindows() {
        return windows;
    }

    /**
     * Connects an 8254 PIT: its channel 0 drives ISA IRQ 0, and the run loop's timer calls
     * ({@link #advanceTo}, {@link #nextEventCycle}) reach it too. At most one.
     */
    public void attachPit(dev.vmx4j.core.devices.Pit8254 timer) {
        if (timer == null) {
            throw new IllegalArgumentException("timer must not be null");
        }
        if (pit != null) {
            throw new IllegalStateException("a PIT is already attached");
        }
        pit = timer;
    }

    /** The attached PIT, or null. */
    public dev.vmx4j.core.devices.Pit8254 pit() {
        return pit;
    }

    /** Drives ISA IRQ {@code irq} (0-15) or I/O APIC pin 16-23 to {@code high}. */
    public void setIrqLevel(int irq, boolean high) {
        if (high) {
            raiseIrq(irq);
        } else {
            lowerIrq(irq);
        }
    }

    public LocalApic localApic() {
        return lapic;
    }

    public Pic8259Pair pic() {
        return pic;
    }

    public IoApic ioApic() {
        return ioApic;
    }

    /** Asserts ISA IRQ {@code irq} (0-15) on the PIC and the I/O APIC, or I/O APIC pin 16-23. */
    public void raiseIrq(int irq) {
        if (irq < 16) {
            pic.raiseIrq(irq);
        }
        ioApic.raiseIrq(irq);
    }

    public void lowerIrq(int irq) {
        if (irq < 16) {
            pic.lowerIrq(irq);
        }
        ioApic.lowerIrq(irq);
    }

    /** The NMI pin: LINT1, delivered as its LVT entry says (directly when globally disabled). */
    public void assertNmiPin() {
        lapic.assertLint(1);
    }

    @Override
    public boolean hasPendingInterrupt() {
        if (lapic.deliverableVector() >= 0) {
            return true;
        }
        return lapic.routesExtInt() && pic.hasInterrupt();
    }

    @Override
    public int acknowledgeInterrupt() {
        if (lapic.deliverableVector() >= 0) {
            return lapic.acknowledge();
        }
        if (lapic.routesExtInt() && (pic.hasInterrupt() || !lapic.isGloballyEnabled())) {
            lapic.extIntAcknowledged();
            return pic.acknowledge(); // with no request: the PIC's spurious IR7 vector
        }
        return lapic.acknowledge(); // nothing pending: the APIC's spurious vector
    }

    @Override
    public boolean hasPendingNmi() {
        return lapic.hasPendingNmi();
    }

    @Override
    public void acknowledgeNmi() {
        lapic.acknowledgeNmi();
    }

    @Override
    public void advanceTo(long cycle) {
        lapic.advanceTo(cycle);
        if (pit != null) {
            pit.advanceTo(cycle);
        }
    }

    @Override
    public long nextEventCycle() {
        long next = lapic.nextEventCycle();
        return pit == null ? next : Math.min(next, pit.nextEventCycle());
    }
}
