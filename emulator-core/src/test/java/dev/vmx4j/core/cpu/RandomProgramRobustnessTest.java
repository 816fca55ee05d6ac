package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guest input must never make Java throw out of the run loop: seeded random byte programs in
 * 64-bit and 32-bit mode, each run for a bounded number of steps. A failure names the seed and
 * program index so it can be replayed.
 */
class RandomProgramRobustnessTest {

    private static final int PROGRAMS = 2000;
    private static final int LENGTH = 64;
    private static final RunLimits LIMITS = RunLimits.unlimited().maxInstructions(200);

    private static void runAll(long seed, int mode) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] code = new byte[LENGTH];
        int halted = 0;
        for (int i = 0; i < PROGRAMS; i++) {
            rnd.nextBytes(code);
            Machine m = mode == 64 ? Fixtures.long64(false) : mode == 32 ? Fixtures.prot32(false) : Fixtures.real16(false);
            m.memory().load(Fixtures.CODE, code);
            RunResult r;
            try {
                r = m.run(LIMITS);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " program " + i + " (" + mode + "-bit) "
                        + java.util.HexFormat.of().formatHex(code) + " threw at rip 0x" + Long.toHexString(m.rip()), e);
            }
            assertThat(r.reason()).isNotNull();
            if (r.reason() == dev.vmx4j.core.StopReason.HALTED) {
                halted++;
            }
        }
        assertThat(halted).as("some programs reach a HLT").isPositive();
    }

    @Test
    void randomBytesIn64BitMode_neverThrow() {
        runAll(0x64_64_64L, 64);
    }

    @Test
    void randomBytesIn32BitProtectedMode_neverThrow() {
        runAll(0x32_32_32L, 32);
    }

    @Test
    void randomBytesInRealMode_neverThrow() {
        runAll(0x16_16_16L, 16);
    }
}
