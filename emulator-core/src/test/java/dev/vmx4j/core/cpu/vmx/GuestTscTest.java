package dev.vmx4j.core.cpu.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SDM "Timestamp Counter Offsetting and Scaling": the unsigned 128-bit product shifted right by 48. */
class GuestTscTest {

    private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static long reference(long tsc, long multiplier) {
        BigInteger p = new BigInteger(Long.toUnsignedString(tsc)).multiply(new BigInteger(Long.toUnsignedString(multiplier)));
        return p.shiftRight(48).and(MASK64).longValue();
    }

    @Test
    void scale_matchesTheUnsigned128BitProductShiftedBy48_onSeededValues() {
        SplittableRandom r = new SplittableRandom(20261207);
        long[] edges = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 48, 3L << 47};
        for (long a : edges) {
            for (long b : edges) {
                assertThat(GuestTsc.scale(a, b)).as("%x * %x", a, b).isEqualTo(reference(a, b));
            }
        }
        for (int i = 0; i < 10_000; i++) {
            long a = r.nextLong();
            long b = r.nextLong();
            assertThat(GuestTsc.scale(a, b)).as("%x * %x", a, b).isEqualTo(reference(a, b));
        }
    }

    @Test
    void read_offsettingOff_isTheTsc_scalingAppliesOnlyWithOffsetting() {
        GuestTsc g = new GuestTsc();
        g.scaling = true;
        g.multiplier = 2L << 48;
        g.offset = 100;
        assertThat(g.read(1000)).isEqualTo(1000);
        g.offsetting = true;
        assertThat(g.read(1000)).isEqualTo(2100);
        g.scaling = false;
        assertThat(g.read(1000)).isEqualTo(1100);
    }
}
