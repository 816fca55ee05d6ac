package dev.vmx4j.core.devices.apic;

import static dev.vmx4j.core.devices.apic.LocalApic.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.devices.apic.ApicFault.Reason;
import org.junit.jupiter.api.Test;

/** SDM "Local APIC Status and Location" and "x2APIC State Transitions" (IA32_APIC_BASE). */
class ApicBaseTransitionTest {

    private static final long XAPIC = DEFAULT_BASE | APIC_BASE_EN;
    private static final long X2APIC = DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_EXTD;
    private static final long DISABLED = DEFAULT_BASE;

    private final ManualClock clock = new ManualClock();
    private final LocalApic apic = new LocalApic(5, 39, true, true, clock);

    private void assertGp(Reason reason, long value) {
        long before = apic.readApicBase();
        assertThatThrownBy(() -> apic.writeApicBase(value)).isInstanceOfSatisfying(ApicFault.class,
                f -> assertThat(f.reason()).isEqualTo(reason));
        assertThat(apic.readApicBase()).as("unchanged after #GP").isEqualTo(before);
    }

    @Test
    void reset_isXApicModeAtDefaultBaseWithBspSet() {
        assertThat(apic.readMsr(IA32_APIC_BASE)).isEqualTo(0xFEE0_0900L);
        assertThat(apic.isGloballyEnabled()).isTrue();
        assertThat(apic.isX2ApicMode()).isFalse();
    }

    @Test
    void xApicToX2Apic_isValid() {
        apic.writeMsr(IA32_APIC_BASE, X2APIC);
        assertThat(apic.isX2ApicMode()).isTrue();
        assertThat(apic.readApicBase()).isEqualTo(X2APIC | APIC_BASE_BSP);
    }

    @Test
    void x2ApicToXApic_raisesGp() {
        apic.writeApicBase(X2APIC);
        assertGp(Reason.APIC_BASE_INVALID_TRANSITION, XAPIC);
    }

    @Test
    void x2ApicToDisabledToXApic_isTheValidWayBack() {
        apic.writeApicBase(X2APIC);
        apic.writeApicBase(DISABLED);
        assertThat(apic.isGloballyEnabled()).isFalse();
        apic.writeApicBase(XAPIC);
        assertThat(apic.isGloballyEnabled()).isTrue();
        assertThat(apic.isX2ApicMode()).isFalse();
        assertThat(apic.read(REG_ID, 4)).as("the xAPIC ID survives").isEqualTo(5L << 24);
    }

    @Test
    void disabledToX2Apic_raisesGp() {
        apic.writeApicBase(DISABLED);
        assertGp(Reason.APIC_BASE_INVALID_TRANSITION, X2APIC);
    }

    @Test
    void extdWithoutEn_isTheInvalidStateAndRaisesGp() {
        assertGp(Reason.APIC_BASE_INVALID_TRANSITION, DEFAULT_BASE | APIC_BASE_EXTD);
    }

    @Test
    void reservedBits_raiseGp() {
        assertGp(Reason.APIC_BASE_RESERVED_BITS, XAPIC | 1);        // bits 7:0
        assertGp(Reason.APIC_BASE_RESERVED_BITS, XAPIC | 1L << 9);  // bit 9
        assertGp(Reason.APIC_BASE_RESERVED_BITS, XAPIC | 1L << 39); // above MAXPHYADDR 39
    }

    @Test
    void extdWithoutX2ApicSupportAndTscDeadlineWithoutSupport_raiseGp() {
        LocalApic old = new LocalApic(0, 36, false, false, clock);
        assertThatThrownBy(() -> old.writeApicBase(X2APIC)).isInstanceOfSatisfying(ApicFault.class,
                f -> assertThat(f.reason()).isEqualTo(Reason.APIC_BASE_RESERVED_BITS));
        assertThatThrownBy(() -> old.readMsr(IA32_TSC_DEADLINE)).isInstanceOfSatisfying(ApicFault.class,
                f -> assertThat(f.reason()).isEqualTo(Reason.UNSUPPORTED_MSR));
    }

    @Test
    void bspFlag_isHardwareOwnedAndIgnoresWrites() {
        apic.writeApicBase(XAPIC);
        assertThat(apic.readApicBase() & APIC_BASE_BSP).isNotZero();
    }

    @Test
    void baseField_isStoredWithinMaxPhyAddr() {
        apic.writeApicBase(0x7F_FEE0_1000L | APIC_BASE_EN);
        assertThat(apic.baseAddress()).isEqualTo(0x7F_FEE0_1000L);
    }

    @Test
    void disablingThenReenabling_returnsRegistersToPowerUpState() {
        apic.write(REG_SVR, 4, 0x1FF);
        apic.write(REG_TPR, 4, 0x40);
        apic.write(REG_LVT_TIMER, 4, 0x30);
        apic.write(REG_TIMER_INITIAL_COUNT, 4, 1000);
        apic.acceptFixed(0x80, false);
        apic.writeApicBase(DISABLED);
        assertThat(apic.nextEventCycle()).as("timer stopped").isEqualTo(Long.MAX_VALUE);
        assertThat(apic.deliverableVector()).isEqualTo(-1);
        assertThat(apic.acceptFixed(0x81, false)).as("disabled APIC accepts nothing").isFalse();
        apic.writeApicBase(XAPIC);
        assertThat(apic.read(REG_SVR, 4)).isEqualTo(0xFF);
        assertThat(apic.read(REG_TPR, 4)).isZero();
        assertThat(apic.read(REG_LVT_TIMER, 4)).isEqualTo(LVT_MASKED);
        assertThat(apic.read(REG_TIMER_INITIAL_COUNT, 4)).isZero();
        assertThat(apic.irrBit(0x80)).isFalse();
    }

    @Test
    void xApicToX2Apic_keepsRegisterState() {
        apic.write(REG_SVR, 4, 0x1FF);
        apic.write(REG_TPR, 4, 0x40);
        apic.writeApicBase(X2APIC);
        assertThat(apic.readMsr(0x808)).isEqualTo(0x40);
        assertThat(apic.readMsr(0x80F)).isEqualTo(0x1FF);
    }

    @Test
    void init_resetsRegistersButKeepsIdAndApicBase() {
        apic.write(REG_ID, 4, 0x0900_0000L);
        apic.write(REG_TPR, 4, 0x40);
        apic.init();
        assertThat(apic.read(REG_ID, 4)).isEqualTo(0x0900_0000L);
        assertThat(apic.read(REG_TPR, 4)).isZero();
        assertThat(apic.readApicBase()).isEqualTo(0xFEE0_0900L);
    }

    @Test
    void globallyDisabled_lint1IsTheNmiPin() {
        apic.writeApicBase(DISABLED);
        apic.assertLint(1);
        assertThat(apic.hasPendingNmi()).isTrue();
    }
}
