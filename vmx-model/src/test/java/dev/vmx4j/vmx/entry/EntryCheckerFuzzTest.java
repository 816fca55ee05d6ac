package dev.vmx4j.vmx.entry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.entry.EntryFixtures.Variant;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random VMCSs (baselines with a few fields replaced by random or edge values): the checker
 * never throws, and the first failure of the architectural mode is the first of the diagnostic
 * mode.
 */
class EntryCheckerFuzzTest {

    private static final long[] EDGES = {0, 1, 2, 3, 0xF, 0xFFF, 0x1000, 0xFFFF, 0x8000_0000L, 0xFFFF_FFFFL,
        1L << 32, 1L << 40, 1L << 47, 0x0000_8000_0000_0000L, -1L, Long.MIN_VALUE};

    @Test
    void randomVmcss_neverThrow_andBothModesAgreeOnTheFirstFailure() {
        SplittableRandom rnd = new SplittableRandom(0x5EED_E47EL);
        VmcsField[] fields = VmcsField.values();
        CpuProfile[] profiles = {EntryFixtures.icelake(), EntryFixtures.max()};
        EntryChecker[] checkers = {EntryChecker.forProfile(profiles[0]), EntryChecker.forProfile(profiles[1])};
        Variant[] variants = Variant.values();
        int failed = 0;
        for (int i = 0; i < 10_000; i++) {
            int k = rnd.nextInt(2);
            Variant variant = variants[rnd.nextInt(variants.length)];
            VmcsValues v = EntryFixtures.baseline(checkers[k], profiles[k], variant);
            int changes = 1 + rnd.nextInt(4);
            for (int c = 0; c < changes; c++) {
                VmcsField f = fields[rnd.nextInt(fields.length)];
                long value = rnd.nextBoolean() ? rnd.nextLong() : EDGES[rnd.nextInt(EDGES.length)];
                v.set(f, rnd.nextInt(4) == 0 ? v.read(f) ^ 1L << rnd.nextInt(64) : value);
            }
            SparseMemory memory = EntryFixtures.memory(checkers[k]);
            memory.write64(EntryFixtures.PDPT + 8L * rnd.nextInt(4), rnd.nextLong());
            memory.write64(EntryFixtures.MSR_LIST + 16L * rnd.nextInt(3), rnd.nextLong() & 0x1_FFFF_FFFFL);
            EntryContext ctx = EntryFixtures.context(memory, variant).x2apicMode(rnd.nextBoolean()).build();
            EntryCheckReport first = checkers[k].firstFailure(v, ctx);
            EntryCheckReport all = checkers[k].allFailures(v, ctx);
            assertThat(first.failures().size()).isLessThanOrEqualTo(1);
            assertThat(first.passed()).isEqualTo(all.passed());
            if (!all.passed()) {
                failed++;
                assertThat(first.firstFailure().orElseThrow().check()).isEqualTo(all.failures().get(0).check());
                assertThat(first.firstFailure().orElseThrow().toString()).isNotEmpty();
            }
        }
        assertThat(failed).as("most random changes break some rule").isGreaterThan(5_000);
    }
}
