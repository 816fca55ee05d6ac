package dev.vmx4j.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class EptCapabilitiesTest {

    /** SDM "VPID and EPT Capabilities": bit number and the accessor that must read it. */
    private static final Object[][] BITS = {
        {0, (Predicate<EptCapabilities>) EptCapabilities::executeOnlyTranslations},
        {6, (Predicate<EptCapabilities>) EptCapabilities::pageWalkLength4},
        {7, (Predicate<EptCapabilities>) EptCapabilities::pageWalkLength5},
        {8, (Predicate<EptCapabilities>) EptCapabilities::uncacheableMemoryType},
        {14, (Predicate<EptCapabilities>) EptCapabilities::writeBackMemoryType},
        {16, (Predicate<EptCapabilities>) EptCapabilities::pde2MbPages},
        {17, (Predicate<EptCapabilities>) EptCapabilities::pdpte1GbPages},
        {20, (Predicate<EptCapabilities>) EptCapabilities::invept},
        {21, (Predicate<EptCapabilities>) EptCapabilities::accessedAndDirtyFlags},
        {22, (Predicate<EptCapabilities>) EptCapabilities::advancedEptViolationExitInformation},
        {23, (Predicate<EptCapabilities>) EptCapabilities::supervisorShadowStackControl},
        {25, (Predicate<EptCapabilities>) EptCapabilities::inveptSingleContext},
        {26, (Predicate<EptCapabilities>) EptCapabilities::inveptAllContext},
        {32, (Predicate<EptCapabilities>) EptCapabilities::invvpid},
        {40, (Predicate<EptCapabilities>) EptCapabilities::invvpidIndividualAddress},
        {41, (Predicate<EptCapabilities>) EptCapabilities::invvpidSingleContext},
        {42, (Predicate<EptCapabilities>) EptCapabilities::invvpidAllContext},
        {43, (Predicate<EptCapabilities>) EptCapabilities::invvpidSingleContextRetainingGlobals},
    };

    @Test
    @SuppressWarnings("unchecked")
    void eachSdmBit_isReadByItsOwnAccessorOnly() {
        for (Object[] row : BITS) {
            int bit = (Integer) row[0];
            EptCapabilities only = EptCapabilities.of(1L << bit);
            for (Object[] other : BITS) {
                boolean expected = other[0].equals(row[0]);
                assertThat(((Predicate<EptCapabilities>) other[1]).test(only))
                        .as("MSR bit %d read by accessor of bit %s", bit, other[0]).isEqualTo(expected);
            }
        }
    }

    @Test
    void hlatPrefixSize_isBits53To48() {
        assertThat(EptCapabilities.of(0x3FL << 48).maxHlatPrefixSize()).isEqualTo(63);
        assertThat(EptCapabilities.of(5L << 48 | 1L << 54).maxHlatPrefixSize()).isEqualTo(5);
    }

    @Test
    void eptpMemoryTypes_onlyUcAndWbCanBeAllowed() {
        EptCapabilities all = EptCapabilities.of(-1L);
        for (int type = 0; type < 8; type++) {
            assertThat(all.allowsEptpMemoryType(type)).as("type %d", type).isEqualTo(type == 0 || type == 6);
        }
        assertThat(EptCapabilities.of(1L << 14).allowsEptpMemoryType(0)).isFalse();
    }

    @Test
    void inveptTypes_needInveptBit20AndTheirTypeBit() {
        EptCapabilities both = EptCapabilities.of(1L << 20 | 1L << 25 | 1L << 26);
        assertThat(both.supportsInveptType(0)).isFalse();
        assertThat(both.supportsInveptType(1)).isTrue();
        assertThat(both.supportsInveptType(2)).isTrue();
        assertThat(both.supportsInveptType(3)).isFalse();
        assertThat(EptCapabilities.of(1L << 20 | 1L << 26).supportsInveptType(1)).isFalse();
        assertThat(EptCapabilities.of(1L << 25 | 1L << 26).supportsInveptType(1)).as("no INVEPT").isFalse();
    }

    @Test
    void invvpidTypes0To3_mapToBits40To43() {
        for (int type = 0; type < 4; type++) {
            EptCapabilities caps = EptCapabilities.of(1L << 32 | 1L << (40 + type));
            for (int asked = -1; asked < 5; asked++) {
                assertThat(caps.supportsInvvpidType(asked)).as("bit %d, type %d", 40 + type, asked)
                        .isEqualTo(asked == type);
            }
        }
        assertThat(EptCapabilities.of(0xFL << 40).supportsInvvpidType(0)).as("no INVVPID").isFalse();
    }

    @Test
    void rawValue_keepsUndefinedBits() {
        assertThat(EptCapabilities.of(1L << 63).raw()).isEqualTo(1L << 63);
        assertThat(EptCapabilities.of(42)).isEqualTo(EptCapabilities.of(42));
    }
}
