package dev.vmx4j.core.devices;

import dev.vmx4j.core.devices.apic.CycleClock;
import dev.vmx4j.core.io.IoDevice;

/**
 * The PC's 8254 programmable interval timer (ports 0x40-0x43), channel 0 wired to ISA IRQ 0.
 *
 * <p>Time: MANUAL: deterministic, on the cycle counter: one PIT input-clock tick is
 * {@link #CYCLES_PER_TICK} = 1000 cycles (as if the core ran at 1000 times the PIT's
 * 1.193182 MHz). Channel 0 in mode 2 (rate generator) or 3 (square wave) pulses IRQ 0 once every
 * {@code count} ticks (count 0 means 65,536); in mode 0 (interrupt on terminal count) and the
 * other one-shot modes it raises IRQ 0 once, {@code count} ticks after the count is written. A
 * pulse drives the line low then high, so the edge-triggered PIC and I/O APIC inputs see one
 * edge per period. When the run loop skips time (HLT), periods skipped in one step give one
 * edge, as a latched edge-triggered request would.
 *
 * <p>Registers: the control word (port 0x43) selects a channel, the access mode (latch, low
 * byte, high byte, low then high) and the counting mode; the read-back command latches the
 * counts of the selected channels. Channels 1 and 2 count but drive nothing (the refresh and
 * speaker outputs, and port 0x61, are not modelled). BCD counting is not supported (binary is
 * used).
 */
public final class Pit8254 implements IoDevice {

    public static final int PORT = 0x40;
    public static final int PORT_COUNT = 4;
    /** Cycles per PIT input-clock tick (see the class comment). */
    public static final long CYCLES_PER_TICK = 1000;

    /** Where channel 0's output goes (ISA IRQ 0). */
    @FunctionalInterface
    public interface Irq0 {
        void setLevel(boolean high);
    }

    private static final class Channel {
        int mode;
        int access = 3;
        int reload = 0x10000;
        long start;
        boolean counting;
        boolean writeHigh;   // next write is the high byte (access mode 3)
        boolean readHigh;    // next read is the high byte (access mode 3)
        int writeLow;
        boolean latched;
        int latch;
        boolean latchHigh;
    }

    private final CycleClock clock;
    private final Irq0 irq0;
    private final Channel[] ch = {new Channel(), new Channel(), new Channel()};
    private long nextEvent = Long.MAX_VALUE;

    /** {@code irq0} may be null (channel 0 then drives nothing). */
    public Pit8254(CycleClock clock, Irq0 irq0) {
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        this.clock = clock;
        this.irq0 = irq0;
    }

    /**
     * Programs channel 0 as a PC BIOS does at boot: mode 3, low-then-high access, count 0
     * (65,536 ticks: about 18.2 interrupts per emulated second), starting now.
     */
    public void programBiosDefault() {
        Channel c = ch[0];
        c.mode = 3;
        c.access = 3;
        load(0, 0);
    }

    /** The cycle of channel 0's next IRQ 0 edge, or {@link Long#MAX_VALUE}. */
    public long nextEventCycle() {
        return nextEvent;
    }

    /** Raises the IRQ 0 edges due at or before {@code cycle}. */
    public void advanceTo(long cycle) {
        if (cycle < nextEvent) {
            return;
        }
        Channel c = ch[0];
        if (irq0 != null) {
            irq0.setLevel(false);
            irq0.setLevel(true);
        }
        if (c.mode == 2 || c.mode == 3) {
            long period = c.reload * CYCLES_PER_TICK;
            long periods = (cycle - nextEvent) / period + 1;
            nextEvent += periods * period;
        } else {
            nextEvent = Long.MAX_VALUE;
        }
    }

    private void load(int channel, int count) {
        Channel c = ch[channel];
        c.reload = count == 0 ? 0x10000 : count;
        c.start = clock.cycle();
        c.counting = true;
        if (channel == 0) {
            if (irq0 != null && c.mode != 2 && c.mode != 3) {
                irq0.setLevel(false); // mode 0: OUT goes low when the count is written
            }
            nextEvent = c.start + c.reload * CYCLES_PER_TICK;
        }
    }

    private int currentCount(Channel c) {
        if (!c.counting) {
            return c.reload & 0xFFFF;
        }
        long ticks = (clock.cycle() - c.start) / CYCLES_PER_TICK;
        if (c.mode == 2 || c.mode == 3) {
            return (int) (c.reload - ticks % c.reload) & 0xFFFF;
        }
        return (int) (c.reload - ticks) & 0xFFFF; // wraps past zero, as the counter does
    }

    @Override
    public int in(int port, int size) {
        int n = port - PORT;
        if (n < 0 || n > 2) {
            return 0xFF;
        }
        Channel c = ch[n];
        int value;
        boolean high;
        if (c.latched) {
            value = c.latch;
            high = c.latchHigh;
            if (c.access == 3 && !high) {
                c.latchHigh = true;
            } else {
                c.latched = false;
                c.latchHigh = false;
            }
        } else {
            value = currentCount(c);
            if (c.access == 3) {
                high = c.readHigh;
                c.readHigh = !c.readHigh;
            } else {
                high = c.access == 2;
            }
        }
        return high ? (value >>> 8) & 0xFF : value & 0xFF;
    }

    @Override
    public void out(int port, int size, int value) {
        int n = port - PORT;
        value &= 0xFF;
        if (n == 3) {
            control(value);
            return;
        }
        if (n < 0 || n > 2) {
            return;
        }
        Channel c = ch[n];
        switch (c.access) {
            case 1:
                load(n, value);
                break;
            case 2:
                load(n, value << 8);
                break;
            default:
                if (!c.writeHigh) {
                    c.writeLow = value;
                    c.writeHigh = true;
                } else {
                    c.writeHigh = false;
                    load(n, c.writeLow | (value << 8));
                }
                break;
        }
    }

    private void control(int value) {
        int sc = value >>> 6;
        if (sc == 3) { // read-back: bit 5 clear = latch count of channels selected by bits 3:1
            if ((value & 0x20) == 0) {
                for (int i = 0; i < 3; i++) {
                    if ((value & (2 << i)) != 0) {
                        latch(ch[i]);
                    }
                }
            }
            return;
        }
        Channel c = ch[sc];
        int rw = (value >>> 4) & 3;
        if (rw == 0) {
            latch(c);
            return;
        }
        c.access = rw;
        c.mode = (value >>> 1) & 7;
        if (c.mode > 5) {
            c.mode -= 4; // modes 6 and 7 are aliases of 2 and 3
        }
        c.writeHigh = false;
        c.readHigh = false;
        c.counting = false;
        if (sc == 0) {
            nextEvent = Long.MAX_VALUE;
        }
    }

    private void latch(Channel c) {
        if (!c.latched) {
            c.latch = currentCount(c);
            c.latched = true;
            c.latchHigh = c.access == 2;
        }
    }
}
