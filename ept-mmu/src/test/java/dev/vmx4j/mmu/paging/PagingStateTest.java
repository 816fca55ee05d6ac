package dev.vmx4j.mmu.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PagingStateTest {

    @Test
    void mode_followsSdmPagingModeTableForEveryPgPaeLmeLa57Combination() {
        PagingState s = new PagingState();
        for (int bits = 0; bits < 16; bits++) {
            boolean pg = (bits & 1) != 0;
            boolean pae = (bits & 2) != 0;
            boolean lme = (bits & 4) != 0;
            boolean la57 = (bits & 8) != 0;
            s.setCr0(pg ? PagingState.CR0_PG : 0)
                    .setCr4((pae ? PagingState.CR4_PAE : 0) | (la57 ? PagingState.CR4_LA57 : 0))
                    .setEfer(lme ? PagingState.EFER_LME : 0);
            PagingMode expected = !pg ? PagingMode.NONE
                    : !pae ? PagingMode.BITS_32
                    : !lme ? PagingMode.PAE
                    : la57 ? PagingMode.LEVEL_5 : PagingMode.LEVEL_4;
            assertThat(s.mode()).as("PG=%s PAE=%s LME=%s LA57=%s", pg, pae, lme, la57).isEqualTo(expected);
        }
    }

    @Test
    void pcid_isCr3Bits11To0OnlyWithPcide() {
        PagingState s = new PagingState().setCr3(0x1234_5ABCL);
        assertThat(s.pcid()).isZero();
        s.setCr4(PagingState.CR4_PCIDE);
        assertThat(s.pcid()).isEqualTo(0xABC);
    }

    @Test
    void frameMask_coversBitsMaxPhyAddrMinus1To12() {
        PagingState s = new PagingState().setMaxPhysicalAddressBits(36);
        assertThat(s.frameMask()).isEqualTo(0xF_FFFF_F000L);
        s.setMaxPhysicalAddressBits(52);
        assertThat(s.frameMask()).isEqualTo(0x000F_FFFF_FFFF_F000L);
    }

    @Test
    void copyFrom_copiesEveryField() {
        PagingState a = new PagingState().setCr0(1).setCr3(2).setCr4(3).setEfer(4).setPkru(5).setPkrs(6)
                .setMaxPhysicalAddressBits(39).setPages1GSupported(false).setPdpte(3, 7);
        PagingState b = new PagingState().copyFrom(a);
        assertThat(b.cr0()).isEqualTo(1);
        assertThat(b.cr3()).isEqualTo(2);
        assertThat(b.cr4()).isEqualTo(3);
        assertThat(b.efer()).isEqualTo(4);
        assertThat(b.pkru()).isEqualTo(5);
        assertThat(b.pkrs()).isEqualTo(6);
        assertThat(b.maxPhysicalAddressBits()).isEqualTo(39);
        assertThat(b.pages1GSupported()).isFalse();
        assertThat(b.pdpte(3)).isEqualTo(7);
    }

    @Test
    void pdpteIndexOutsideZeroToThree_isApiMisuse() {
        assertThatThrownBy(() -> new PagingState().setPdpte(4, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..3");
    }

    @Test
    void nullMemory_isApiMisuse() {
        assertThatThrownBy(() -> new PageWalker(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
