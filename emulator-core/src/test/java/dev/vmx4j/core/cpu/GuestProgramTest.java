package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A small program mixing loops, memory operands, signed compares, IMUL with memory, REP STOSB and
 * byte tables: bubble sort of 16 signed quadwords, a weighted checksum, and a sieve of
 * Eratosthenes below 1000. Source: src/test/resources/dev/vmx4j/core/cpu/sort-sieve.s (nasm).
 */
class GuestProgramTest {

    private static final String SORT_SIEVE = "BE00300000B910000000FFC9742A31D231DB488B04DE488B7CDE084839F87E0E48893CDE488944DE08"
            + "BA01000000FFC339CB72DE85D275D24D31C031DB488D4301480FAF04DE4901C0FFC383FB1075EDBF00400000B9E8030000B001F3AA"
            + "C604250040000000C604250140000000BB0200000089D80FAFC33DE8030000731D80BB00400000007410C680004000000001D83DE8"
            + "03000072F0FFC3EBD74531C931DB0FB683004000004101C1FFC381FBE803000075ECF4";

    /** Values from Python's random.Random(7).randint(-1000000, 1000000), 16 draws. */
    private static final long[] VALUES = {-320874, 987817, -683647, -171996, 365108, -898737, -848091, 722337,
        123826, -802595, -233095, 222195, -878368, 907787, 64169, -549746};

    private static RunResult run(Guest g) {
        for (int i = 0; i < VALUES.length; i++) {
            g.m.memory().write64(0x3000 + 8L * i, VALUES[i]);
        }
        return g.run();
    }

    @Test
    void sortChecksumAndSieve_computeTheExpectedResults_inBothEngines() {
        Guest fast = Guest.long64(SORT_SIEVE, false);
        Guest ref = Guest.long64(SORT_SIEVE, true);
        RunResult a = run(fast);
        RunResult b = run(ref);
        assertThat(a.reason()).isEqualTo(StopReason.HALTED);
        long[] sorted = VALUES.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertThat(fast.m.memory().read64(0x3000 + 8L * i)).as("a[%d]", i).isEqualTo(sorted[i]);
        }
        assertThat(fast.reg(Reg.R8)).as("sum of (i+1)*a[i]").isEqualTo(28165436L);
        assertThat(fast.reg(Reg.R9)).as("primes below 1000").isEqualTo(168);
        assertThat(a.instructions()).isEqualTo(b.instructions()).isGreaterThan(10_000);
        assertThat(a.cycles()).isEqualTo(b.cycles());
        assertThat(ref.reg(Reg.R8)).isEqualTo(28165436L);
        assertThat(ref.reg(Reg.R9)).isEqualTo(168);
    }
}
