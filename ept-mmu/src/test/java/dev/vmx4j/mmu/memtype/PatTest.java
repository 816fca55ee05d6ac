package dev.vmx4j.mmu.memtype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.mmu.MemoryType;
import org.junit.jupiter.api.Test;

class PatTest {

    @Test
    void resetValue_isWbWtUcMinusUcTwice() {
        // SDM "PAT Initialization" table "Memory Type Setting of PAT Entries Following a Power-up or Reset".
        MemoryType[] expected = {MemoryType.WB, MemoryType.WT, MemoryType.UC_MINUS, MemoryType.UC,
            MemoryType.WB, MemoryType.WT, MemoryType.UC_MINUS, MemoryType.UC};
        Pat pat = new Pat();
        assertThat(pat.value()).isEqualTo(0x0007040600070406L);
        for (int i = 0; i < 8; i++) {
            assertThat(pat.entry(i)).as("PA%d", i).isEqualTo(expected[i]);
        }
    }

    @Test
    void index_isPatTimes4PlusPcdTimes2PlusPwt() {
        // SDM table "Selection of PAT Entries with PAT, PCD, and PWT Flags".
        assertThat(Pat.index(false, false, false)).isEqualTo(0);
        assertThat(Pat.index(false, false, true)).isEqualTo(1);
        assertThat(Pat.index(false, true, false)).isEqualTo(2);
        assertThat(Pat.index(false, true, true)).isEqualTo(3);
        assertThat(Pat.index(true, false, false)).isEqualTo(4);
        assertThat(Pat.index(true, false, true)).isEqualTo(5);
        assertThat(Pat.index(true, true, false)).isEqualTo(6);
        assertThat(Pat.index(true, true, true)).isEqualTo(7);
    }

    @Test
    void everyValidTypeInEveryEntry_isAccepted() {
        for (int entry = 0; entry < 8; entry++) {
            for (int type : new int[] {0, 1, 4, 5, 6, 7}) {
                Pat pat = new Pat();
                long value = (Pat.RESET_VALUE & ~(0xFFL << (8 * entry))) | ((long) type << (8 * entry));
                assertThat(pat.write(value)).as("PA%d = %d", entry, type).isEqualTo(MsrWriteStatus.OK);
                assertThat(pat.entry(entry).encoding()).isEqualTo(type);
                assertThat(pat.value()).isEqualTo(value);
            }
        }
    }

    @Test
    void reservedEncodings2And3_areInvalidTypeAndLeaveThePatUnchanged() {
        for (int entry = 0; entry < 8; entry++) {
            for (int type : new int[] {2, 3}) {
                Pat pat = new Pat();
                long value = (Pat.RESET_VALUE & ~(0xFFL << (8 * entry))) | ((long) type << (8 * entry));
                assertThat(pat.write(value)).as("PA%d = %d", entry, type).isEqualTo(MsrWriteStatus.INVALID_MEMORY_TYPE);
                assertThat(pat.value()).isEqualTo(Pat.RESET_VALUE);
            }
        }
    }

    @Test
    void reservedBits7To3OfAnyEntry_areRejected() {
        for (int entry = 0; entry < 8; entry++) {
            for (int bit = 3; bit < 8; bit++) {
                long value = Pat.RESET_VALUE | (1L << (8 * entry + bit));
                assertThat(Pat.check(value)).as("PA%d bit %d", entry, bit).isEqualTo(MsrWriteStatus.RESERVED_BITS_SET);
            }
        }
    }

    @Test
    void entryIndexOutside0To7_isMisuse() {
        assertThatThrownBy(() -> new Pat().entry(8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..7");
    }
}
