package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.TestMemory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtualizationExceptionInfoTest {

    private static final long AREA = 0x50_0000L;
    private final TestMemory memory = new TestMemory();

    @Test
    void convertibleViolation_isSavedAtTheSdmOffsetsAndDisarmsTheArea() {
        EptTables t = new EptTables(memory, 4, 0x10_0000L);
        t.map(0x5000L, 0x9000L, EptEntry.PTE, EptTables.WB | EptEntry.READ);
        EptWalkResult r = new EptWalkResult();
        new EptWalker(memory).eptp(t.eptp(false)).eptViolationVirtualizationException(true)
                .translate(0x5123L, 0x7fff_1123L, EptAccess.WRITE | EptAccess.LINEAR_ADDRESS_VALID, r);
        assertThat(r.convertibleToVirtualizationException()).isTrue();
        assertThat(VirtualizationExceptionInfo.isArmed(memory, AREA)).isTrue();

        VirtualizationExceptionInfo.write(memory, AREA, r, true, 7);

        assertThat(memory.read32(AREA)).isEqualTo(48);
        assertThat(memory.read32(AREA + 4)).isEqualTo(0xFFFF_FFFF);
        assertThat(memory.read64(AREA + 8)).isEqualTo(0x2 | 0x8 | 0x80 | 0x100 | 0x1000);
        assertThat(memory.read64(AREA + 16)).isEqualTo(0x7fff_1123L);
        assertThat(memory.read64(AREA + 24)).isEqualTo(0x5123L);
        assertThat(memory.read16(AREA + 32)).isEqualTo(7);
        assertThat(VirtualizationExceptionInfo.isArmed(memory, AREA)).as("offset 4 now FFFFFFFFH").isFalse();
    }

    @Test
    void writingFromANonViolation_isMisuse() {
        EptWalkResult translated = new EptWalkResult();
        assertThatThrownBy(() -> VirtualizationExceptionInfo.write(memory, AREA, translated, false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VIOLATION");
        assertThatThrownBy(() -> VirtualizationExceptionInfo.write(memory, AREA, 0, 0, 0, 0x10000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..0xFFFF");
    }
}
