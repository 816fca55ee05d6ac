package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.TestMemory;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guest-controlled EPT entries must never make the walker throw, and every outcome must agree
 * with the entries it reports having read. Seeded; a failing seed is in the message.
 */
class EptWalkerRandomTablesTest {

    private static final int POOL_PAGES = 8;

    private static long randomEntry(SplittableRandom random) {
        long entry = random.nextLong();
        int kind = random.nextInt(10);
        long poolPage = (long) (1 + random.nextInt(POOL_PAGES)) << 12;
        if (kind < 6) {
            // Valid at every level: readable, bits 7:3 clear (memory type UC at a leaf), random
            // W, X, user-execute, accessed, dirty, ignored bits 11 and 63:52.
            return poolPage | EptEntry.READ | (entry & 0xFFF0_0000_0000_0F06L);
        }
        if (kind < 8) {
            // Pool address with random low and high bits: misconfigurations and violations.
            return (entry & 0xFFF0_0000_0000_0FFFL) | poolPage;
        }
        return entry;
    }

    @Test
    void randomTables_neverThrowAndOutcomesMatchTheEntriesRead() {
        int translated = 0;
        int violations = 0;
        int misconfigurations = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            TestMemory memory = new TestMemory();
            for (int page = 1; page <= POOL_PAGES; page++) {
                for (int i = 0; i < 512; i++) {
                    memory.write64(((long) page << 12) + 8L * i, randomEntry(random));
                }
            }
            boolean mbec = random.nextBoolean();
            EptWalker walker = new EptWalker(memory)
                    .configure(EptCapabilities.of(random.nextLong()), 36 + random.nextInt(17))
                    .eptp(Eptp.of(0x1000, 6, 4 + random.nextInt(2), random.nextBoolean()))
                    .modeBasedExecuteControl(mbec)
                    .eptViolationVirtualizationException(random.nextBoolean());
            EptWalkResult result = new EptWalkResult();
            for (int n = 0; n < 300; n++) {
                long gpa = random.nextLong() & 0x01FF_FFFF_FFFF_FFFFL;
                int access = (1 << random.nextInt(3)) | (random.nextInt() & 0x10E80);
                String where = "seed " + seed + " walk " + n + " gpa 0x" + Long.toHexString(gpa);
                boolean ok = walker.translate(gpa, random.nextLong(), access, result);
                assertThat(ok).as(where).isEqualTo(result.isTranslated());
                switch (result.outcome()) {
                    case TRANSLATED:
                        translated++;
                        checkTranslated(result, gpa, where);
                        break;
                    case VIOLATION:
                        violations++;
                        assertThat(result.exitQualification() & 7).as(where).isNotZero();
                        break;
                    case MISCONFIGURATION:
                        misconfigurations++;
                        assertThat(result.misconfiguration()).as(where).isNotEqualTo(EptMisconfiguration.NONE);
                        break;
                    default:
                        throw new AssertionError(where + ": no PML sink, yet " + result.outcome());
                }
            }
        }
        // The generator must reach every outcome, or the test proves little.
        assertThat(translated).isPositive();
        assertThat(violations).isPositive();
        assertThat(misconfigurations).isPositive();
    }

    private static void checkTranslated(EptWalkResult r, long gpa, String where) {
        long and = -1;
        for (int level = r.topLevel(); level >= r.level(); level--) {
            and &= r.entryValue(level);
        }
        int access = r.access();
        if ((access & EptAccess.READ) != 0) {
            assertThat(and & EptEntry.READ).as(where).isNotZero();
        }
        if ((access & EptAccess.WRITE) != 0) {
            assertThat(and & EptEntry.WRITE).as(where).isNotZero();
        }
        long pageMask = r.pageSize() - 1;
        assertThat(r.hostPhysicalAddress() & pageMask).as(where).isEqualTo(gpa & pageMask);
        assertThat(r.memoryType()).as(where).isNotNull();
    }
}
