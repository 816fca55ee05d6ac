package dev.vmx4j.mmu.paging;

import dev.vmx4j.mmu.TestMemory;
import static dev.vmx4j.mmu.paging.PageTables.P;
import static dev.vmx4j.mmu.paging.PageTables.RW;
import static dev.vmx4j.mmu.paging.PageTables.US;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SDM "Protection Keys" and the PK flag of SDM "Page-Fault Exceptions". */
class ProtectionKeysTest {

    private static final long LINEAR = 0x0000_7F00_1234_5678L;
    private static final int KEY = 9;

    private final TestMemory mem = new TestMemory();
    private final PagingState s = new PagingState().setMaxPhysicalAddressBits(46);
    private final PageWalker walker = new PageWalker(mem);
    private final WalkResult r = new WalkResult();

    private void map(boolean userPage, boolean writable) {
        PageTables.enter(s, PagingMode.LEVEL_4);
        long rights = P | (userPage ? US : 0) | (writable ? RW : 0);
        PageTables.map4K(mem, s, LINEAR, 0x5000, P | RW | US, P | RW | US, P | RW | US, rights | ((long) KEY << 59));
    }

    private static int ad(int key) {
        return 1 << (2 * key);
    }

    private static int wd(int key) {
        return 2 << (2 * key);
    }

    /** Expected outcome transcribed from SDM "Protection Keys" for a user-mode address with PKE. */
    private static boolean keyDenies(int pkr, boolean write, boolean userAccess, boolean wp) {
        boolean adBit = (pkr & ad(KEY)) != 0;
        boolean wdBit = (pkr & wd(KEY)) != 0;
        return adBit || (wdBit && write && (userAccess || wp));
    }

    @Test
    void pkruOnUserPages_everyAdWdWpCplCombination_matchesSdmRule() {
        map(true, true);
        s.setCr4(s.cr4() | PagingState.CR4_PKE);
        int[] pkrs = {0, ad(KEY), wd(KEY), ad(KEY) | wd(KEY), ad(KEY + 1) | wd(KEY - 1)};
        for (int pkr : pkrs) {
            for (int wp = 0; wp < 2; wp++) {
                for (int access = 0; access < 4; access++) {
                    boolean write = (access & 1) != 0;
                    boolean user = (access & 2) != 0;
                    s.setPkru(pkr).setCr0((s.cr0() & ~PagingState.CR0_WP) | (wp == 1 ? PagingState.CR0_WP : 0));
                    int flags = (write ? PagingAccess.WRITE : 0) | (user ? PagingAccess.USER : 0);
                    boolean denied = keyDenies(pkr, write, user, wp == 1);
                    String what = "pkru=" + Integer.toHexString(pkr) + " wp=" + wp + " write=" + write + " user=" + user;
                    assertThat(walker.walk(s, LINEAR, flags, r)).as(what).isEqualTo(!denied);
                    if (denied) {
                        assertThat(r.errorCode).as(what).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.PK
                                | (write ? PageFaultErrorCode.WR : 0) | (user ? PageFaultErrorCode.US : 0));
                    }
                }
            }
        }
    }

    @Test
    void accessDisable_doesNotAffectInstructionFetch() {
        map(true, true);
        s.setCr4(s.cr4() | PagingState.CR4_PKE).setPkru(ad(KEY) | wd(KEY));
        assertThat(walker.walk(s, LINEAR, PagingAccess.EXECUTE | PagingAccess.USER, r)).isTrue();
    }

    @Test
    void pkruIgnoredWhenCr4PkeClear() {
        map(true, true);
        s.setPkru(-1);
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE | PagingAccess.USER, r)).isTrue();
    }

    @Test
    void pkruDoesNotApplyToSupervisorPages_pkrsDoesWithCr4Pks() {
        map(false, true);
        s.setCr4(s.cr4() | PagingState.CR4_PKE).setPkru(-1);
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE, r)).isTrue();
        s.setCr4(s.cr4() | PagingState.CR4_PKS).setPkrs(ad(KEY));
        assertThat(walker.walk(s, LINEAR, PagingAccess.READ, r)).isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.PK);
        s.setPkrs(wd(KEY)).setCr0(s.cr0() | PagingState.CR0_WP);
        assertThat(walker.walk(s, LINEAR, PagingAccess.READ, r)).isTrue();
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE, r)).isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.PK | PageFaultErrorCode.WR);
        s.setCr0(s.cr0() & ~PagingState.CR0_WP);
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE, r)).as("WD ignored for supervisor writes when WP=0").isTrue();
    }

    @Test
    void pkFlagIsSetAlongsideOtherProtectionViolations() {
        // User-mode write to a read-only user page whose key is access-disabled: both deny; PK is set.
        map(true, false);
        s.setCr4(s.cr4() | PagingState.CR4_PKE).setPkru(ad(KEY));
        assertThat(walker.walk(s, LINEAR, PagingAccess.WRITE | PagingAccess.USER, r)).isFalse();
        assertThat(r.errorCode).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.PK | PageFaultErrorCode.WR
                | PageFaultErrorCode.US);
    }

    @Test
    void protectionKeysDoNotExistInPaePaging() {
        PageTables.enter(s, PagingMode.PAE);
        s.setCr4(s.cr4() | PagingState.CR4_PKE).setPkru(-1);
        PageTables.map4K(mem, s, 0x1000, 0x5000, P | RW | US, P | RW | US);
        assertThat(walker.walk(s, 0x1000, PagingAccess.WRITE | PagingAccess.USER, r)).isTrue();
        assertThat(r.protectionKey).isZero();
    }
}
