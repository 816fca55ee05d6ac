package dev.vmx4j.core.devices.apic;

import static dev.vmx4j.core.devices.apic.LocalApic.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SDM "APIC Timer" and "TSC-Deadline Mode", driven by the cycle counter only. */
class LocalApicTimerTest {

    private static final int VECTOR = 0xEC;
    private static final int PERIODIC = TIMER_MODE_PERIODIC << 17;
    private static final int TSC_DEADLINE = TIMER_MODE_TSC_DEADLINE << 17;

    private final ManualClock clock = new ManualClock();
    private final LocalApic apic = new LocalApic(0, 39, true, true, clock);

    @BeforeEach
    void enable() {
        write(REG_SVR, 0x1FF);
    }

    private int read(int reg) {
        return (int) apic.read(reg, 4);
    }

    private void write(int reg, int value) {
        apic.write(reg, 4, value & 0xFFFF_FFFFL);
    }

    private void at(long cycle) {
        clock.cycle = cycle;
    }

    /** Acknowledges and EOIs the timer vector if it is pending; returns whether it was. */
    private boolean takeTimerInterrupt() {
        if (!apic.irrBit(VECTOR)) {
            return false;
        }
        assertThat(apic.acknowledge()).isEqualTo(VECTOR);
        write(REG_EOI, 0);
        return true;
    }

    @ParameterizedTest(name = "DCR {0} divides by {1}")
    @CsvSource({"0x0, 2", "0x1, 4", "0x2, 8", "0x3, 16", "0x8, 32", "0x9, 64", "0xA, 128", "0xB, 1"})
    void oneShot_firesExactlyAtInitialCountTimesDivisor(int dcr, int divisor) {
        at(1000);
        write(REG_LVT_TIMER, VECTOR);
        write(REG_TIMER_DIVIDE, dcr);
        write(REG_TIMER_INITIAL_COUNT, 10);
        long due = 1000 + 10L * divisor;
        assertThat(apic.nextEventCycle()).isEqualTo(due);
        apic.advanceTo(due - 1);
        assertThat(apic.irrBit(VECTOR)).isFalse();
        apic.advanceTo(due);
        assertThat(apic.irrBit(VECTOR)).isTrue();
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest(name = "DCR {0} divides by {1}")
    @CsvSource({"0x0, 2", "0x3, 16", "0xA, 128", "0xB, 1"})
    void currentCount_decrementsOncePerDivisorCycles(int dcr, int divisor) {
        at(0);
        write(REG_LVT_TIMER, VECTOR);
        write(REG_TIMER_DIVIDE, dcr);
        write(REG_TIMER_INITIAL_COUNT, 100);
        at(divisor - 1);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isEqualTo(100);
        at(divisor);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isEqualTo(99);
        at(37L * divisor + divisor / 2);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isEqualTo(63);
    }

    @Test
    void oneShot_stopsAtZeroAndCurrentCountStaysZero() {
        write(REG_LVT_TIMER, VECTOR);
        write(REG_TIMER_DIVIDE, 0xB);
        write(REG_TIMER_INITIAL_COUNT, 5);
        at(5);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isZero();
        assertThat(takeTimerInterrupt()).isTrue();
        apic.advanceTo(1_000_000);
        assertThat(takeTimerInterrupt()).isFalse();
        assertThat(read(REG_TIMER_INITIAL_COUNT)).isEqualTo(5);
    }

    @ParameterizedTest(name = "DCR {0} divides by {1}")
    @CsvSource({"0x0, 2", "0x1, 4", "0x2, 8", "0x3, 16", "0x8, 32", "0x9, 64", "0xA, 128", "0xB, 1"})
    void periodic_reloadsAndFiresEveryInitialCountTimesDivisor(int dcr, int divisor) {
        at(500);
        write(REG_LVT_TIMER, PERIODIC | VECTOR);
        write(REG_TIMER_DIVIDE, dcr);
        write(REG_TIMER_INITIAL_COUNT, 7);
        long period = 7L * divisor;
        for (int k = 1; k <= 3; k++) {
            long due = 500 + k * period;
            assertThat(apic.nextEventCycle()).isEqualTo(due);
            apic.advanceTo(due - 1);
            assertThat(takeTimerInterrupt()).isFalse();
            apic.advanceTo(due);
            assertThat(takeTimerInterrupt()).as("period %d", k).isTrue();
        }
        at(500 + 3 * period);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).as("reloaded").isEqualTo(7);
    }

    @Test
    void periodic_missedPeriodsCollapseIntoOneRequestAndKeepThePhase() {
        write(REG_LVT_TIMER, PERIODIC | VECTOR);
        write(REG_TIMER_DIVIDE, 0xB);
        write(REG_TIMER_INITIAL_COUNT, 10);
        apic.advanceTo(35);
        assertThat(takeTimerInterrupt()).isTrue();
        assertThat(apic.nextEventCycle()).isEqualTo(40);
        at(35);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isEqualTo(5);
    }

    @Test
    void writingZeroInitialCount_stopsTheTimer() {
        write(REG_LVT_TIMER, PERIODIC | VECTOR);
        write(REG_TIMER_INITIAL_COUNT, 10);
        at(7);
        write(REG_TIMER_INITIAL_COUNT, 0);
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
        apic.advanceTo(10_000);
        assertThat(apic.irrBit(VECTOR)).isFalse();
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isZero();
    }

    @Test
    void rewritingInitialCount_restartsTheCountFromTheWriteCycle() {
        write(REG_LVT_TIMER, VECTOR);
        write(REG_TIMER_DIVIDE, 0xB);
        write(REG_TIMER_INITIAL_COUNT, 100);
        at(60);
        write(REG_TIMER_INITIAL_COUNT, 100);
        assertThat(apic.nextEventCycle()).isEqualTo(160);
    }

    @Test
    void maskedTimer_keepsCountingButRaisesNoInterrupt() {
        write(REG_LVT_TIMER, LVT_MASKED | PERIODIC | VECTOR);
        write(REG_TIMER_DIVIDE, 0xB);
        write(REG_TIMER_INITIAL_COUNT, 10);
        apic.advanceTo(25);
        assertThat(apic.irrBit(VECTOR)).isFalse();
        at(25);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isEqualTo(5);
        write(REG_LVT_TIMER, PERIODIC | VECTOR);
        apic.advanceTo(30);
        assertThat(apic.irrBit(VECTOR)).isTrue();
    }

    @Test
    void divideChangeWhileCounting_keepsTheCurrentCount() {
        write(REG_LVT_TIMER, VECTOR);
        write(REG_TIMER_DIVIDE, 0xB);
        write(REG_TIMER_INITIAL_COUNT, 100);
        at(40);
        write(REG_TIMER_DIVIDE, 0x0); // divide by 2 from here
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isEqualTo(60);
        assertThat(apic.nextEventCycle()).isEqualTo(40 + 60 * 2);
    }

    @Test
    void timerModeChange_oneShotToPeriodicKeepsCounting_thenReloads() {
        // MANUAL in LocalApic.writeLvt: only TSC-deadline transitions disarm (Intel hardware).
        write(REG_LVT_TIMER, VECTOR);
        write(REG_TIMER_DIVIDE, 0xB);
        write(REG_TIMER_INITIAL_COUNT, 10);
        at(4);
        write(REG_LVT_TIMER, PERIODIC | VECTOR);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isEqualTo(6);
        assertThat(apic.nextEventCycle()).isEqualTo(10);
        apic.advanceTo(10);
        assertThat(takeTimerInterrupt()).isTrue();
        assertThat(apic.nextEventCycle()).as("periodic now: reloaded").isEqualTo(20);
        at(15);
        write(REG_LVT_TIMER, VECTOR); // back to one-shot mid-count: runs out, then stops
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isEqualTo(5);
        apic.advanceTo(20);
        assertThat(takeTimerInterrupt()).isTrue();
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
        at(30);
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isZero();
        write(REG_LVT_TIMER, PERIODIC | VECTOR); // an expired count stays at zero
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isZero();
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void timerModeChange_intoTscDeadlineModeDisarmsAndZeroesTheInitialCount() {
        enterX2ApicMode();
        apic.writeMsr(0x832, VECTOR);
        apic.writeMsr(0x83E, 0xB);
        apic.writeMsr(0x838, 10);
        apic.writeMsr(0x832, TSC_DEADLINE | VECTOR);
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
        assertThat(apic.readMsr(0x838)).isZero();
    }

    @Test
    void lvtWriteKeepingTheMode_doesNotDisarm() {
        write(REG_LVT_TIMER, PERIODIC | VECTOR);
        write(REG_TIMER_DIVIDE, 0xB);
        write(REG_TIMER_INITIAL_COUNT, 10);
        write(REG_LVT_TIMER, LVT_MASKED | PERIODIC | VECTOR);
        assertThat(apic.nextEventCycle()).isEqualTo(10);
    }

    @Test
    void tscDeadline_firesWhenTscReachesDeadlineAndClearsTheMsr() {
        enterX2ApicMode();
        apic.writeMsr(0x832, TSC_DEADLINE | VECTOR);
        at(100);
        apic.writeMsr(IA32_TSC_DEADLINE, 1_000);
        assertThat(apic.nextEventCycle()).isEqualTo(1_000);
        apic.advanceTo(999);
        assertThat(apic.irrBit(VECTOR)).isFalse();
        assertThat(apic.readMsr(IA32_TSC_DEADLINE)).isEqualTo(1_000);
        apic.advanceTo(1_000);
        assertThat(apic.irrBit(VECTOR)).isTrue();
        assertThat(apic.readMsr(IA32_TSC_DEADLINE)).isZero();
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void tscDeadline_alreadyPassedFiresAtTheWrite() {
        write(REG_LVT_TIMER, TSC_DEADLINE | VECTOR);
        at(5_000);
        apic.writeMsr(IA32_TSC_DEADLINE, 4_000);
        assertThat(apic.irrBit(VECTOR)).isTrue();
    }

    @Test
    void tscDeadline_writingZeroDisarms() {
        write(REG_LVT_TIMER, TSC_DEADLINE | VECTOR);
        apic.writeMsr(IA32_TSC_DEADLINE, 300);
        apic.writeMsr(IA32_TSC_DEADLINE, 0);
        apic.advanceTo(10_000);
        assertThat(apic.irrBit(VECTOR)).isFalse();
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void tscDeadline_comparesAgainstTscWhichIsCyclesPlusOffset() {
        write(REG_LVT_TIMER, TSC_DEADLINE | VECTOR);
        apic.setTscOffset(1_000_000);
        apic.writeMsr(IA32_TSC_DEADLINE, 1_000_500);
        assertThat(apic.nextEventCycle()).isEqualTo(500);
    }

    @Test
    void tscDeadlineMsr_readsZeroAndIgnoresWritesOutsideTscDeadlineMode() {
        write(REG_LVT_TIMER, VECTOR);
        apic.writeMsr(IA32_TSC_DEADLINE, 300);
        assertThat(apic.readMsr(IA32_TSC_DEADLINE)).isZero();
        apic.advanceTo(10_000);
        assertThat(apic.irrBit(VECTOR)).isFalse();
    }

    @Test
    void tscDeadlineMode_ignoresInitialCountWritesAndCurrentCountReadsZero() {
        write(REG_LVT_TIMER, TSC_DEADLINE | VECTOR);
        write(REG_TIMER_INITIAL_COUNT, 10);
        assertThat(read(REG_TIMER_INITIAL_COUNT)).isZero();
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isZero();
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void modeChangeBetweenTscDeadlineAndCounting_disarmsTheTimer() {
        write(REG_LVT_TIMER, VECTOR);
        write(REG_TIMER_INITIAL_COUNT, 10);
        write(REG_LVT_TIMER, TSC_DEADLINE | VECTOR);
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
        apic.writeMsr(IA32_TSC_DEADLINE, 50);
        write(REG_LVT_TIMER, VECTOR);
        assertThat(apic.nextEventCycle()).isEqualTo(Long.MAX_VALUE);
        write(REG_LVT_TIMER, TSC_DEADLINE | VECTOR);
        assertThat(apic.readMsr(IA32_TSC_DEADLINE)).isZero();
        apic.advanceTo(10_000);
        assertThat(apic.irrBit(VECTOR)).isFalse();
    }

    @Test
    void property_oneShotEventAndCurrentCountMatchTheSdmFormula() {
        long seed = 0x5EED_A91CL;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] dcrs = {0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xA, 0xB};
        int[] divisors = {2, 4, 8, 16, 32, 64, 128, 1};
        for (int i = 0; i < 500; i++) {
            ManualClock c = new ManualClock();
            LocalApic a = new LocalApic(0, 39, true, true, c);
            a.write(REG_SVR, 4, 0x1FF);
            a.write(REG_LVT_TIMER, 4, VECTOR);
            int d = rnd.nextInt(8);
            long start = rnd.nextLong(1L << 40);
            long count = 1 + rnd.nextLong(0xFFFF_FFFFL);
            c.cycle = start;
            a.write(REG_TIMER_DIVIDE, 4, dcrs[d]);
            a.write(REG_TIMER_INITIAL_COUNT, 4, count);
            long due = start + count * divisors[d];
            assertThat(a.nextEventCycle()).as("seed %x case %d", seed, i).isEqualTo(due);
            long t = start + rnd.nextLong(due - start);
            c.cycle = t;
            long expected = count - (t - start) / divisors[d];
            assertThat(a.read(REG_TIMER_CURRENT_COUNT, 4)).as("seed %x case %d", seed, i).isEqualTo(expected);
            a.advanceTo(due - 1);
            assertThat(a.irrBit(VECTOR)).isFalse();
            a.advanceTo(due);
            assertThat(a.irrBit(VECTOR)).isTrue();
        }
    }

    private void enterX2ApicMode() {
        apic.writeApicBase(DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_EXTD);
        apic.writeMsr(0x80F, 0x1FF);
    }
}
