package dev.vmx4j.mmu.ept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EptpValidatorTest {

    @Test
    void eptpVectors_reportFirstBrokenRuleInSdmOrderWithOffendingBits() {
        List<VectorLines.Line> lines = VectorLines.read(getClass(), "eptp-checks.txt");
        assertThat(lines).hasSize(42);
        for (VectorLines.Line line : lines) {
            String[] f = line.fields();
            EptpValidator validator = new EptpValidator(EptCapabilities.of(caps(f[0])), Integer.parseInt(f[1]));
            long eptp = Long.parseUnsignedLong(f[2].substring(2), 16);
            EptpCheckResult r = validator.validate(eptp);
            String where = line.where();
            assertThat(r.check().name()).as(where).isEqualTo(f[3]);
            assertThat(Long.toHexString(r.offendingBits())).as(where)
                    .isEqualTo(Long.toHexString(Long.parseUnsignedLong(f[4].substring(2), 16)));
            assertThat(validator.check(eptp)).as(where).isEqualTo(r.check());
            assertThat(r.eptp()).as(where).isEqualTo(eptp);
        }
    }

    private static long caps(String spec) {
        long caps = 0;
        for (String name : spec.split("\\+")) {
            switch (name) {
                case "TYPICAL": caps |= EptCapabilities.TYPICAL.raw(); break;
                case "EO": caps |= 1L << 0; break;
                case "WALK4": caps |= 1L << 6; break;
                case "WALK5": caps |= 1L << 7; break;
                case "UC": caps |= 1L << 8; break;
                case "WB": caps |= 1L << 14; break;
                case "AD": caps |= 1L << 21; break;
                case "SSS": caps |= 1L << 23; break;
                default: throw new AssertionError("unknown capability " + name);
            }
        }
        return caps;
    }

    @Test
    void failedResult_namesSdmSectionAndQuote() {
        EptpCheckResult r = new EptpValidator(EptCapabilities.TYPICAL, 46).validate(0x10001fL);
        assertThat(r.isOk()).isFalse();
        assertThat(r.sdmSection()).isEqualTo("Checks on VMX Controls");
        assertThat(r.quote()).contains("bits 2:0");
        assertThat(r.toString()).contains("MEMORY_TYPE_NOT_SUPPORTED").contains("0x7");
    }

    @Test
    void everyCheckButOk_hasSectionAndQuote() {
        for (EptpCheck c : EptpCheck.values()) {
            if (c != EptpCheck.OK) {
                assertThat(c.sdmSection()).as(c.name()).isEqualTo("Checks on VMX Controls");
                assertThat(c.quote()).as(c.name()).isNotBlank();
            }
        }
    }

    @Test
    void maxPhysicalAddressWidthOutside36To52_isMisuse() {
        assertThatThrownBy(() -> new EptpValidator(EptCapabilities.TYPICAL, 35))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("36..52");
        assertThatThrownBy(() -> new EptpValidator(EptCapabilities.TYPICAL, 53))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
