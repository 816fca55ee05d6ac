package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.TestMemory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EptpListTest {

    private static final long LIST = 0x30_0000L;
    private final TestMemory memory = new TestMemory();
    private final EptpList list = new EptpList(memory, new EptpValidator(EptCapabilities.TYPICAL, 46));

    @Test
    void validEntry_isSwitchedTo() {
        memory.write64(LIST + 8 * 511, 0x20_001EL);
        EptpSwitchResult r = list.select(LIST, 511);
        assertThat(r.switched()).isTrue();
        assertThat(r.eptp()).isEqualTo(0x20_001EL);
    }

    @Test
    void indexAtOrAbove512_isVmExitWithoutReadingTheList() {
        assertThat(list.select(LIST, 512).status()).isEqualTo(EptpSwitchResult.Status.INDEX_OUT_OF_RANGE);
        assertThat(list.select(LIST, 0xFFFF_FFFFL).status()).isEqualTo(EptpSwitchResult.Status.INDEX_OUT_OF_RANGE);
        assertThat(list.select(LIST, -1L).status()).isEqualTo(EptpSwitchResult.Status.INDEX_OUT_OF_RANGE);
    }

    @Test
    void entryFailingEptpChecks_isVmExitNamingTheRule() {
        memory.write64(LIST + 8, 0x20_0019L); // WC paging-structure type
        EptpSwitchResult r = list.select(LIST, 1);
        assertThat(r.status()).isEqualTo(EptpSwitchResult.Status.INVALID_EPTP);
        assertThat(r.check()).isEqualTo(EptpCheck.MEMORY_TYPE_NOT_SUPPORTED);
        // An empty entry (0) is invalid too: UC with page-walk length 1.
        assertThat(list.select(LIST, 2).check()).isEqualTo(EptpCheck.PAGE_WALK_LENGTH_NOT_SUPPORTED);
    }

    @Test
    void listAddressChecks_alignmentThenPhysicalAddressWidth() {
        assertThat(EptpList.checkListAddress(LIST, 46)).isEqualTo(EptpListCheck.OK);
        assertThat(EptpList.checkListAddress(LIST | 8, 46)).isEqualTo(EptpListCheck.NOT_PAGE_ALIGNED);
        assertThat(EptpList.checkListAddress(1L << 46, 46)).isEqualTo(EptpListCheck.BEYOND_PHYSICAL_ADDRESS_WIDTH);
        assertThat(EptpList.checkListAddress((1L << 46) | 1, 46)).isEqualTo(EptpListCheck.NOT_PAGE_ALIGNED);
    }

    @Test
    void entryIndexOutsideList_isMisuse() {
        assertThatThrownBy(() -> list.entry(LIST, 512)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..511");
    }
}
