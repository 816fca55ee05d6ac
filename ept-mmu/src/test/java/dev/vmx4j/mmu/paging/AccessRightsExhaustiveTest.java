package dev.vmx4j.mmu.paging;

import dev.vmx4j.mmu.TestMemory;
import static dev.vmx4j.mmu.paging.PageTables.A;
import static dev.vmx4j.mmu.paging.PageTables.P;
import static dev.vmx4j.mmu.paging.PageTables.RW;
import static dev.vmx4j.mmu.paging.PageTables.US;
import static dev.vmx4j.mmu.paging.PageTables.XD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every combination of U/S x R/W x XD x NXE x WP x SMEP x SMAP x AC x CPL x implicit x access type,
 * per paging mode, checked against the decision table {@code paging/access-rights.txt}
 * transcribed from SDM "Access Rights" (not against the walker's own logic).
 */
class AccessRightsExhaustiveTest {

    private static final List<String[]> ROWS = new ArrayList<>();
    private static final List<Integer> ROW_LINES = new ArrayList<>();

    static {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                AccessRightsExhaustiveTest.class.getResourceAsStream("/paging/access-rights.txt"),
                StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\\s+");
                if (cols.length != 12) {
                    throw new IllegalStateException("access-rights.txt line " + number + ": 12 columns expected");
                }
                ROWS.add(cols);
                ROW_LINES.add(number);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the line number of the first matching row, negative if that row denies. */
    private static int lookup(char access, int... values) {
        for (int i = 0; i < ROWS.size(); i++) {
            String[] row = ROWS.get(i);
            if (row[0].charAt(0) != access) {
                continue;
            }
            boolean match = true;
            for (int c = 0; c < values.length && match; c++) {
                String cell = row[c + 1];
                match = cell.equals("*") || Integer.parseInt(cell) == values[c];
            }
            if (match) {
                int line = ROW_LINES.get(i);
                return row[11].equals("allow") ? line : -line;
            }
        }
        throw new IllegalStateException("access-rights.txt has no row for " + access);
    }

    private static long linearFor(PagingMode mode) {
        if (mode == PagingMode.BITS_32 || mode == PagingMode.PAE) {
            return 0x8040_3123L;
        }
        return (5L << 48) | (1L << 39) | (2L << 30) | (3L << 21) | (4L << 12) | 0x123;
    }

    @ParameterizedTest
    @EnumSource(value = PagingMode.class, names = {"BITS_32", "PAE", "LEVEL_4", "LEVEL_5"})
    void everyPermissionCombination_matchesSdmAccessRightsTable(PagingMode mode) {
        int levels = PageTables.levels(mode);
        long linear = linearFor(mode);
        int checked = 0;
        int index = 0;
        char[] accesses = {'R', 'W', 'X'};
        for (char access : accesses) {
            for (int bits = 0; bits < 1 << 10; bits++) {
                int cpl3 = bits & 1;
                int impl = (bits >> 1) & 1;
                int us = (bits >> 2) & 1;
                int rw = (bits >> 3) & 1;
                int xd = (bits >> 4) & 1;
                int nxe = (bits >> 5) & 1;
                int wp = (bits >> 6) & 1;
                int smep = (bits >> 7) & 1;
                int smap = (bits >> 8) & 1;
                int ac = (bits >> 9) & 1;
                if (access == 'X' && impl == 1) {
                    continue; // no implicit supervisor-mode instruction fetch exists
                }
                if (mode == PagingMode.BITS_32 && xd == 1) {
                    continue; // 32-bit paging entries have no XD bit
                }
                index++;
                TestMemory mem = new TestMemory();
                PagingState s = new PagingState().setMaxPhysicalAddressBits(40);
                s.setCr0(wp == 1 ? PagingState.CR0_WP : 0)
                        .setCr4((smep == 1 ? PagingState.CR4_SMEP : 0) | (smap == 1 ? PagingState.CR4_SMAP : 0))
                        .setEfer(nxe == 1 ? PagingState.EFER_NXE : 0);
                PageTables.enter(s, mode);
                long[] entries = PageTables.same(levels, P | RW | US);
                // The restricting bit sits in one entry; which one varies with the combination.
                if (us == 0) {
                    entries[index % levels] &= ~US;
                }
                if (rw == 0) {
                    entries[(index / levels) % levels] &= ~RW;
                }
                if (xd == 1) {
                    entries[(index / (levels * levels)) % levels] |= XD;
                }
                PageTables.map4K(mem, s, linear, 0x7_7000L, entries);
                mem.resetWriteCount();

                int flags = (access == 'W' ? PagingAccess.WRITE : 0) | (access == 'X' ? PagingAccess.EXECUTE : 0)
                        | (cpl3 == 1 ? PagingAccess.USER : 0) | (impl == 1 ? PagingAccess.IMPLICIT_SUPERVISOR : 0)
                        | (ac == 1 ? PagingAccess.AC : 0);
                WalkResult r = new WalkResult();
                boolean ok = new PageWalker(mem).walk(s, linear, flags, r);

                String what = mode + " " + access + " cpl3=" + cpl3 + " impl=" + impl + " us=" + us + " rw=" + rw
                        + " xd=" + xd + " nxe=" + nxe + " wp=" + wp + " smep=" + smep + " smap=" + smap + " ac=" + ac;
                // SDM "Page-Fault Exceptions": the error code describes the access.
                int accessBits = (access == 'W' ? 2 : 0) | (cpl3 == 1 && impl == 0 ? 4 : 0)
                        | (access == 'X' && (smep == 1 || (mode != PagingMode.BITS_32 && nxe == 1)) ? 16 : 0);
                if (xd == 1 && nxe == 0) {
                    // SDM "Formats of Paging-Structure Entries": XD is reserved when NXE = 0.
                    assertThat(ok).as(what).isFalse();
                    assertThat(r.errorCode).as(what).isEqualTo(accessBits | PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
                    assertThat(mem.writeCount()).as(what).isZero();
                    checked++;
                    continue;
                }
                int line = lookup(access, cpl3, impl, us, rw, xd, nxe, wp, smep, smap, ac);
                String because = what + " (access-rights.txt line " + Math.abs(line) + ")";
                assertThat(ok).as(because).isEqualTo(line > 0);
                if (line > 0) {
                    assertThat(r.writable).as(because).isEqualTo(rw == 1);
                    assertThat(r.user).as(because).isEqualTo(us == 1);
                    assertThat(r.executable).as(because).isEqualTo(xd == 0);
                    assertThat(PageTables.entry(mem, mode, levels - 1, linear) & A).as(because).isEqualTo(A);
                } else {
                    assertThat(r.errorCode).as(because).isEqualTo(accessBits | PageFaultErrorCode.P);
                    assertThat(mem.writeCount()).as(because).isZero();
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(mode == PagingMode.BITS_32 ? 1280 : 2560);
    }
}
