package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SDM "Canonical Addressing" for data references in 64-bit mode, which the fast path checks only
 * on software-TLB misses ({@code Mmu.read64}/{@code write64}): a non-canonical reference faults
 * also right after an access that filled the TLB entry its page number shares, through SS it is
 * #SS(0), and an access whose first byte is canonical but whose last is not faults before any
 * page walk. Each case runs in the fast configuration and the reference configuration.
 */
class CanonicalDataAccessTest {

    private static final long GDT = 0x5000;
    private static final long IDT = 0x6000;
    private static final long HANDLER = Guest.CODE + 0x100;
    /** mov r15,[rsp] (the error code); hlt */
    private static final String ERROR_CODE_HANDLER = "4C8B3C24F4";

    private static final String LOAD_RCX_1000 = "48C7C100100000" + "488B19"; // mov rcx,0x1000; mov rbx,[rcx]

    private static String movRax(long v) {
        return "48B8" + le64(v);
    }

    private static String le64(long v) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append(String.format("%02X", (v >>> (8 * i)) & 0xFF));
        }
        return s.toString();
    }

    /** Runs {@code code}; returns the exception vectors delivered (each gate halts with the error code in R15). */
    private static List<Integer> run(String code, boolean reference, long fsBase) {
        Guest g = Guest.long64(code + "F4", reference);
        g.m.memory().write64(GDT + 8, 0x00209A0000000000L);
        g.m.memory().write64(GDT + 0x10, 0x00CF92000000FFFFL);
        g.m.setGdtr(GDT, 0x17);
        g.m.setIdtr(IDT, 256 * 16 - 1);
        for (int vector : new int[] {12, 13, 14}) {
            long lo = (HANDLER & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47) | ((HANDLER >>> 16 & 0xFFFF) << 48);
            g.m.memory().write64(IDT + vector * 16L, lo);
        }
        g.m.memory().load(HANDLER, Guest.bytes(ERROR_CODE_HANDLER));
        if (fsBase != 0) {
            g.m.setSegment(Seg.FS, 0, fsBase, 0xFFFFFFFF, 0x93);
        }
        g.m.setReg(Reg.R15, -1L);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        if (!vectors.isEmpty()) {
            assertThat(g.reg(Reg.R15)).as("error code").isZero();
        }
        return vectors;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void loadOfNonCanonicalAddress_afterTheSameTlbSlotWasFilled_isGp(boolean reference) {
        // the two page numbers differ only above bit 47: the same direct-mapped TLB slot
        assertThat(run(LOAD_RCX_1000 + movRax(0x8000_0000_0000_1000L) + "488B18", reference, 0)).containsExactly(13);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void storeToNonCanonicalAddress_afterTheSameTlbSlotWasFilled_isGp(boolean reference) {
        // mov [rcx],rbx fills the write entry first; mov [rax],rbx
        String code = "48C7C100100000" + "488919" + movRax(0xFFFF_0000_0000_1000L) + "488918";
        assertThat(run(code, reference, 0)).containsExactly(13);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nonCanonicalReferenceThroughSs_isSs(boolean reference) {
        // mov rbx,[rsp] fills the stack page; mov rbp,8000000000000000h; mov rbx,[rbp+0]
        String code = "488B1C24" + "48BD" + le64(0x8000_0000_0008_0000L) + "488B5DF8";
        assertThat(run(code, reference, 0)).containsExactly(12);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void accessWhoseLastByteIsNotCanonical_isGpNotPageFault(boolean reference) {
        // mov rbx,[rax] at 7FFFFFFFFFFCh: bytes 4..7 lie at 8000_0000_0000h (not mapped either)
        assertThat(run(movRax(0x0000_7FFF_FFFF_FFFCL) + "488B18", reference, 0)).containsExactly(13);
        // the same store
        assertThat(run(movRax(0x0000_7FFF_FFFF_FFFCL) + "488918", reference, 0)).containsExactly(13);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fsBasePlusOffsetBeyondTheCanonicalRange_isGp(boolean reference) {
        // mov rax,[fs:0x1000] with FS.base = 7FFFFFFFF000h: linear 8000_0000_0000h
        assertThat(run(LOAD_RCX_1000 + "64488B042500100000", reference, 0x0000_7FFF_FFFF_F000L)).containsExactly(13);
        // the same offset with FS.base = 0: an ordinary load, no fault
        assertThat(run(LOAD_RCX_1000 + "64488B042500100000", reference, 0)).isEmpty();
    }
}
