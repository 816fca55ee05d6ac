package dev.vmx4j.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EptViolationQualificationTest {

    @Test
    void everyValueOfBits12To0_roundTripsThroughDecodeAndEncode() {
        for (long q = 0; q <= EptViolationQualification.DEFINED_BITS; q++) {
            assertThat(EptViolationQualification.decode(q).encode()).isEqualTo(q);
        }
    }

    @Test
    void randomValues_decodeDropsBitsAbove12() {
        SplittableRandom random = new SplittableRandom(0x5eed_e9f7L);
        for (int i = 0; i < 10_000; i++) {
            long q = random.nextLong();
            assertThat(EptViolationQualification.decode(q).encode()).as("0x%x", q).isEqualTo(q & 0x1FFFL);
        }
    }

    @Test
    void eachComponent_isItsSdmBit() {
        // SDM "Exit Qualification for EPT Violations", bit by bit.
        String[] names = {"read", "write", "fetch", "readable", "writable", "executable", "userExecutable",
            "linearAddressValid", "linearTranslation", "userModeLinear", "linearReadWrite",
            "linearExecuteDisable", "nmiUnblockingDueToIret"};
        for (int bit = 0; bit < names.length; bit++) {
            EptViolationQualification q = EptViolationQualification.decode(1L << bit);
            assertThat(q.toString()).as("bit %d", bit).contains(names[bit] + "=true");
            assertThat(q.toString().split("=true", -1)).as("bit %d sets one component", bit).hasSize(2);
        }
    }

    @Test
    void withNmiUnblocking_setsBit12Only() {
        EptViolationQualification q = EptViolationQualification.decode(0x183);
        assertThat(q.withNmiUnblockingDueToIret(true).encode()).isEqualTo(0x1183);
    }
}
