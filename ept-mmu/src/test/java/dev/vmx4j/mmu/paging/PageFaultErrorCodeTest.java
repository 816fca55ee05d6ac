package dev.vmx4j.mmu.paging;

import dev.vmx4j.mmu.TestMemory;
import static dev.vmx4j.mmu.paging.PageTables.P;
import static dev.vmx4j.mmu.paging.PageTables.RW;
import static dev.vmx4j.mmu.paging.PageTables.US;
import static dev.vmx4j.mmu.paging.PageTables.XD;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One test per bit of SDM "Page-Fault Exceptions" (figure "Page-Fault Error Code"). */
class PageFaultErrorCodeTest {

    private static final long LINEAR = 0x0000_0040_0020_1008L;

    private final TestMemory mem = new TestMemory();
    private final PagingState s = new PagingState().setMaxPhysicalAddressBits(46);
    private final PageWalker walker = new PageWalker(mem);
    private final WalkResult r = new WalkResult();

    @BeforeEach
    void enter() {
        PageTables.enter(s, PagingMode.LEVEL_4);
    }

    private int fault(int access, long... bits) {
        PageTables.map4K(mem, s, LINEAR, 0x9000, bits);
        assertThat(walker.walk(s, LINEAR, access, r)).isFalse();
        assertThat(r.faulted).isTrue();
        return r.errorCode;
    }

    @Test
    void bit0P_isZeroForNotPresentAndOneForProtectionViolation() {
        assertThat(fault(PagingAccess.READ, P, P, P, 0) & PageFaultErrorCode.P).isZero();
        assertThat(fault(PagingAccess.USER, P, P, P, P) & PageFaultErrorCode.P).isEqualTo(PageFaultErrorCode.P);
    }

    @Test
    void bit1WR_describesTheAccessNotThePage() {
        assertThat(fault(PagingAccess.WRITE, P, P, P, 0)).isEqualTo(PageFaultErrorCode.WR);
        assertThat(fault(PagingAccess.READ, P | RW, P | RW, P | RW, RW)).isZero();
    }

    @Test
    void bit2US_setForCpl3AccessButNotForImplicitSupervisorAccessAtCpl3() {
        assertThat(fault(PagingAccess.USER, P, P, P, 0)).isEqualTo(PageFaultErrorCode.US);
        assertThat(fault(PagingAccess.USER | PagingAccess.IMPLICIT_SUPERVISOR, P, P, P, 0)).isZero();
    }

    @Test
    void bit3Rsvd_setWithPForReservedBitInPresentEntry() {
        assertThat(fault(PagingAccess.READ, P, P | (1L << 50), P, P))
                .isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.RSVD);
    }

    @Test
    void bit4ID_onlyForFetchWithSmepOrPaeAndNxe() {
        assertThat(fault(PagingAccess.EXECUTE, P, P, P, 0)).as("NXE=0, SMEP=0").isZero();
        s.setEfer(s.efer() | PagingState.EFER_NXE);
        assertThat(fault(PagingAccess.EXECUTE, P, P, P, 0)).isEqualTo(PageFaultErrorCode.ID);
        assertThat(fault(PagingAccess.EXECUTE, P, P, P, P | XD)).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.ID);
        s.setEfer(s.efer() & ~PagingState.EFER_NXE).setCr4(s.cr4() | PagingState.CR4_SMEP);
        assertThat(fault(PagingAccess.EXECUTE, P | US, P | US, P | US, P | US))
                .isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.ID);
    }

    @Test
    void bit5PK_setForProtectionKeyViolation() {
        s.setCr4(s.cr4() | PagingState.CR4_PKE).setPkru(1 << 2); // AD for key 1
        int code = fault(PagingAccess.USER, P | US, P | US, P | US, P | US | (1L << 59));
        assertThat(code).isEqualTo(PageFaultErrorCode.P | PageFaultErrorCode.US | PageFaultErrorCode.PK);
    }

    @Test
    void faultResultCarriesNoTranslation() {
        fault(PagingAccess.READ, P, P, P, 0);
        assertThat(r.physicalAddress).isZero();
        assertThat(r.toString()).contains("#PF");
    }
}
