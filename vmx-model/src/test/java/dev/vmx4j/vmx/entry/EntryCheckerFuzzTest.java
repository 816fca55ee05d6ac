package dev.vmx4j.vmx.entry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vmx4j.vmx.entry.EntryFixtures.Variant;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of {@link EntryChecker} (Jazzer; see docs/FUZZING.md). Contract: for any VMCS the
 * checker never throws; the architectural mode reports at most one failure, the first of the
 * diagnostic mode; no reported failure depends on an absent field, and every check that may
 * consult an absent field is listed undecided.
 *
 * <p>Input layout: byte 0 selects the profile (bit 0: Ice Lake or the test "max" profile), the
 * baseline variant (bits 3:1) and context flags (bit 4 x2APIC mode, bit 5 no memory); then
 * records of 10 bytes: a field index (2 bytes, little-endian, modulo the field count; the top
 * bit makes the field absent) and a value (8 bytes). Memory holds the baseline's pages plus one
 * fuzzed PDPTE and one fuzzed MSR-load entry taken from the first record's value.
 */
class EntryCheckerFuzzTest {

    private static final CpuProfile[] PROFILES = {EntryFixtures.icelake(), EntryFixtures.max()};
    private static final EntryChecker[] CHECKERS = {EntryChecker.forProfile(PROFILES[0]),
        EntryChecker.forProfile(PROFILES[1])};
    private static final long[] EDGES = {0, 1, 2, 3, 0xF, 0xFFF, 0x1000, 0xFFFF, 0x8000_0000L, 0xFFFF_FFFFL,
        1L << 32, 1L << 40, 1L << 47, 0x0000_8000_0000_0000L, -1L, Long.MIN_VALUE};

    private int failedRuns;

    @FuzzTest(maxDuration = "30s")
    void anyVmcs_checksKeepTheirContract(byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int head = b.hasRemaining() ? b.get() & 0xFF : 0;
        int k = head & 1;
        Variant variant = Variant.values()[(head >>> 1 & 7) % Variant.values().length];
        VmcsValues v = EntryFixtures.baseline(CHECKERS[k], PROFILES[k], variant);
        SparseMemory memory = EntryFixtures.memory(CHECKERS[k]);
        boolean first = true;
        while (b.remaining() >= 10) {
            int index = b.getShort() & 0xFFFF;
            long value = b.getLong();
            VmcsField f = VmcsField.byDenseId((index & 0x7FFF) % VmcsField.count());
            if ((index & 0x8000) != 0) {
                v.remove(f);
            } else {
                v.set(f, value);
            }
            if (first) {
                memory.write64(EntryFixtures.PDPT + 8L * (value & 3), value);
                memory.write64(EntryFixtures.MSR_LIST, value & 0x1_FFFF_FFFFL);
                first = false;
            }
        }
        EntryContext ctx = EntryFixtures.context((head & 0x20) != 0 ? null : memory, variant)
                .x2apicMode((head & 0x10) != 0).build();
        EntryCheckReport arch = CHECKERS[k].firstFailure(v, ctx);
        EntryCheckReport all = CHECKERS[k].allFailures(v, ctx);
        assertThat(arch.failures().size()).isLessThanOrEqualTo(1);
        assertThat(arch.passed()).isEqualTo(all.passed());
        if (!all.passed()) {
            failedRuns++;
            assertThat(arch.failures().get(0).check()).isEqualTo(all.failures().get(0).check());
            assertThat(arch.failures().get(0).toString()).isNotEmpty();
        }
        for (EntryDiagnostic d : all.failures()) {
            for (VmcsField f : d.check().fields()) {
                assertThat(v.isPresent(f)).as("%s reported although %s is absent", d.check(), f).isTrue();
            }
        }
        for (EntryCheck c : EntryChecks.all()) {
            for (VmcsField f : c.fields()) {
                if (!v.isPresent(f)) {
                    assertThat(all.undecided()).as("%s undecided without %s", c, f).anyMatch(u -> u.check() == c);
                    break;
                }
            }
        }
    }

    @Test
    void seededInputs_keepTheContract() {
        SplittableRandom rnd = new SplittableRandom(0x5EED_E47EL);
        for (int i = 0; i < 2_000; i++) {
            int records = 1 + rnd.nextInt(4);
            ByteBuffer b = ByteBuffer.allocate(1 + 10 * records).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) (rnd.nextInt(256) & (rnd.nextInt(8) == 0 ? 0xFF : 0xDF)));
            for (int r = 0; r < records; r++) {
                int index = rnd.nextInt(VmcsField.count()) | (rnd.nextInt(16) == 0 ? 0x8000 : 0);
                b.putShort((short) index);
                b.putLong(rnd.nextBoolean() ? rnd.nextLong() : EDGES[rnd.nextInt(EDGES.length)]);
            }
            anyVmcs_checksKeepTheirContract(b.array());
        }
        assertThat(failedRuns).as("most random changes break some rule").isGreaterThan(1_000);
    }
}
