package dev.vmx4j.core.devices.apic;

import static dev.vmx4j.core.devices.apic.LocalApic.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The event-driven timer against a cycle-by-cycle reference counter (SDM "APIC Timer": the
 * counter decrements once per divided clock, interrupts at zero, and a periodic timer reloads)
 * under seeded random programs of count, divide and mode writes.
 */
class LocalApicTimerReferenceTest {

    private static final int VECTOR = 0x90;
    private static final int[] DCR = {0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xA, 0xB};
    private static final int[] DIVISOR = {2, 4, 8, 16, 32, 64, 128, 1};

    /** Ticks one cycle at a time. */
    private static final class Reference {
        long count;
        long initial;
        int divisor = 2;
        int phase;
        boolean periodic;
        int fired;

        void writeInitial(long v) {
            initial = v;
            count = v;
            phase = 0;
        }

        void writeDivide(int d) {
            divisor = d;
            phase = 0; // MANUAL in LocalApic: the divider restarts at the write
        }

        void writeMode(boolean p) {
            periodic = p; // MANUAL in LocalApic: one-shot <-> periodic keeps counting
        }

        void tick() {
            if (count == 0) {
                return;
            }
            if (++phase < divisor) {
                return;
            }
            phase = 0;
            if (--count == 0) {
                fired++;
                if (periodic) {
                    count = initial;
                }
            }
        }
    }

    @Test
    void randomPrograms_matchTheCycleByCycleCounter() {
        long seed = 0xA91C_7133L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int program = 0; program < 60; program++) {
            ManualClock clock = new ManualClock();
            LocalApic apic = new LocalApic(0, 39, true, true, clock);
            apic.write(REG_SVR, 4, 0x1FF);
            apic.write(REG_LVT_TIMER, 4, VECTOR);
            Reference ref = new Reference();
            int fired = 0;
            for (int step = 0; step < 40; step++) {
                String where = String.format("seed %x program %d step %d", seed, program, step);
                switch (rnd.nextInt(4)) {
                    case 0: {
                        long v = 1 + rnd.nextInt(40);
                        apic.write(REG_TIMER_INITIAL_COUNT, 4, v);
                        ref.writeInitial(v);
                        break;
                    }
                    case 1: {
                        int d = rnd.nextInt(DCR.length);
                        apic.write(REG_TIMER_DIVIDE, 4, DCR[d]);
                        ref.writeDivide(DIVISOR[d]);
                        break;
                    }
                    case 2: {
                        boolean periodic = rnd.nextInt(3) != 0;
                        apic.write(REG_LVT_TIMER, 4, (periodic ? TIMER_MODE_PERIODIC << 17 : 0) | VECTOR);
                        ref.writeMode(periodic);
                        break;
                    }
                    default:
                        break;
                }
                long target = clock.cycle + rnd.nextInt(400);
                // The run loop stops at every event, takes the interrupt, then runs on.
                while (apic.nextEventCycle() <= target) {
                    long event = apic.nextEventCycle();
                    while (clock.cycle < event) {
                        ref.tick();
                        clock.cycle++;
                    }
                    apic.advanceTo(event);
                    assertThat(apic.acknowledge()).as(where).isEqualTo(VECTOR);
                    apic.write(REG_EOI, 4, 0);
                    fired++;
                    assertThat(fired).as(where + " interrupt at cycle " + event).isEqualTo(ref.fired);
                }
                while (clock.cycle < target) {
                    ref.tick();
                    clock.cycle++;
                }
                apic.advanceTo(target);
                assertThat(apic.irrBit(VECTOR)).as(where).isFalse();
                assertThat(fired).as(where + " interrupts by cycle " + target).isEqualTo(ref.fired);
                assertThat(apic.read(REG_TIMER_CURRENT_COUNT, 4)).as(where + " current count").isEqualTo(ref.count);
            }
        }
    }
}
