package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.TestMemory;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every permission-bit combination of one EPT entry, with and without MBEC and execute-only support. */
class EptPermissionTableTest {

    private static final long GPA = 0x4000_1234L;
    private static final long HPA_PAGE = 0x7_7777_7000L;
    private static final long BITS = EptEntry.PERMISSION_MASK | EptEntry.USER_EXECUTE;

    @Test
    void everyPermissionCombination_matchesSdmViolationAndMisconfigurationRules() {
        List<VectorLines.Line> lines = VectorLines.read(getClass(), "ept-permissions.txt");
        assertThat(lines).hasSize(512);
        for (VectorLines.Line line : lines) {
            checkLine(line);
        }
    }

    private static void checkLine(VectorLines.Line line) {
        String[] f = line.fields();
        boolean mbec = f[0].equals("1");
        boolean executeOnly = f[1].equals("1");
        int level = f[2].equals("PTE") ? EptEntry.PTE : EptEntry.PML4E;
        long bits = parseBits(f[3]);
        int access = parseAccess(f[4]);
        String where = line.where();

        TestMemory memory = new TestMemory();
        EptTables tables = new EptTables(memory, 4, 0x10_0000L);
        tables.map(GPA, HPA_PAGE, EptEntry.PTE, EptTables.RWX | EptEntry.USER_EXECUTE | EptTables.WB);
        long entry = tables.get(GPA, level);
        tables.set(GPA, level, (entry & ~BITS) | bits);

        long caps = EptCapabilities.TYPICAL.raw() & ~(executeOnly ? 0 : EptCapabilities.EXECUTE_ONLY);
        EptWalker walker = new EptWalker(memory).configure(EptCapabilities.of(caps), 46)
                .eptp(tables.eptp(false)).modeBasedExecuteControl(mbec);
        EptWalkResult result = new EptWalkResult();
        boolean ok = walker.translate(GPA, 0x7fff_0000_1234L, access, result);

        switch (f[5]) {
            case "OK":
                assertThat(ok).as(where).isTrue();
                assertThat(result.hostPhysicalAddress()).as(where).isEqualTo(HPA_PAGE | 0x234);
                break;
            case "MISCONFIG":
                assertThat(result.outcome()).as(where).isEqualTo(EptWalkOutcome.MISCONFIGURATION);
                assertThat(result.misconfiguration().name()).as(where).isEqualTo(f[6]);
                assertThat(result.level()).as(where).isEqualTo(level);
                break;
            case "VIOLATION":
                assertThat(result.outcome()).as(where).isEqualTo(EptWalkOutcome.VIOLATION);
                long expected = (access & 7) | (parseAnd(f[6]) << 3)
                        | EptViolationQualification.LINEAR_ADDRESS_VALID
                        | EptViolationQualification.LINEAR_TRANSLATION
                        | (access & EptAccess.USER_MODE_LINEAR);
                assertThat(Long.toHexString(result.exitQualification())).as(where)
                        .isEqualTo(Long.toHexString(expected));
                break;
            default:
                throw new AssertionError("bad expectation in " + where);
        }
    }

    private static long parseBits(String s) {
        return (s.charAt(0) == 'R' ? EptEntry.READ : 0) | (s.charAt(1) == 'W' ? EptEntry.WRITE : 0)
                | (s.charAt(2) == 'X' ? EptEntry.EXECUTE : 0) | (s.charAt(3) == 'U' ? EptEntry.USER_EXECUTE : 0);
    }

    /** Qualification bits 3..6 from 'rwxu'. */
    private static long parseAnd(String s) {
        return (s.charAt(0) == 'r' ? 1 : 0) | (s.charAt(1) == 'w' ? 2 : 0) | (s.charAt(2) == 'x' ? 4 : 0)
                | (s.charAt(3) == 'u' ? 8 : 0);
    }

    private static int parseAccess(String s) {
        switch (s) {
            case "R": return EptAccess.READ | EptAccess.LINEAR_ADDRESS_VALID;
            case "W": return EptAccess.WRITE | EptAccess.LINEAR_ADDRESS_VALID;
            case "XS": return EptAccess.FETCH | EptAccess.LINEAR_ADDRESS_VALID;
            case "XU": return EptAccess.FETCH | EptAccess.LINEAR_ADDRESS_VALID | EptAccess.USER_MODE_LINEAR;
            default: throw new AssertionError("bad access " + s);
        }
    }
}
