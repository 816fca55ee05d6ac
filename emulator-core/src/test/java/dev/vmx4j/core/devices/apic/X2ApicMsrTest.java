package dev.vmx4j.core.devices.apic;

import static dev.vmx4j.core.devices.apic.LocalApic.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.devices.apic.ApicFault.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SDM "x2APIC Register Address Space", "Reserved Bit Checking", "SELF IPI Register". */
class X2ApicMsrTest {

    private final ManualClock clock = new ManualClock();
    private final LocalApic apic = new LocalApic(0x23, 39, true, true, clock);

    @BeforeEach
    void enterX2ApicMode() {
        apic.writeApicBase(DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_EXTD);
        apic.writeMsr(0x80F, 0x1FF);
    }

    private static void assertGp(Reason reason, ThrowingCallable access) {
        assertThatThrownBy(access).isInstanceOfSatisfying(ApicFault.class,
                f -> assertThat(f.reason()).isEqualTo(reason));
    }

    @Test
    void msrAccessOutsideX2ApicMode_raisesGp() {
        LocalApic xapic = new LocalApic(clock);
        assertGp(Reason.NOT_IN_X2APIC_MODE, () -> xapic.readMsr(0x802));
        assertGp(Reason.NOT_IN_X2APIC_MODE, () -> xapic.writeMsr(0x808, 0));
    }

    @Test
    void idRegister_readsTheFull32BitX2ApicId() {
        assertThat(apic.readMsr(0x802)).isEqualTo(0x23);
        assertThat(apic.readMsr(0x803)).isEqualTo(VERSION);
    }

    @Test
    void ldr_isDerivedFromX2ApicIdOnEnteringX2ApicMode() {
        // cluster = ID[19:4] = 2, bit = 1 << ID[3:0] = 1 << 3
        assertThat(apic.readMsr(0x80D)).isEqualTo((2L << 16) | (1 << 3));
    }

    @Test
    void writeToReadOnlyRegister_raisesGp() {
        for (int msr : new int[] {0x802, 0x803, 0x80A, 0x80D, 0x810, 0x817, 0x818, 0x820, 0x827, 0x839}) {
            assertGp(Reason.WRITE_TO_READ_ONLY, () -> apic.writeMsr(msr, 0));
        }
    }

    @Test
    void readOfWriteOnlyEoiOrSelfIpi_raisesGp() {
        assertGp(Reason.READ_OF_WRITE_ONLY, () -> apic.readMsr(0x80B));
        assertGp(Reason.READ_OF_WRITE_ONLY, () -> apic.readMsr(0x83F));
    }

    @Test
    void reservedAddresses_raiseGpOnReadAndWrite() {
        // 809H APR, 80CH RRD, 80EH DFR, 831H ICR high, 82FH CMCI (no CMCI), and beyond 83FH.
        for (int msr : new int[] {0x800, 0x801, 0x809, 0x80C, 0x80E, 0x82F, 0x831, 0x83A, 0x840, 0x8FF, 0xBFF}) {
            assertGp(Reason.RESERVED_MSR, () -> apic.readMsr(msr));
            assertGp(Reason.RESERVED_MSR, () -> apic.writeMsr(msr, 0));
        }
    }

    @Test
    void eoiWriteOfNonZero_raisesGpAndZeroEndsTheInterrupt() {
        apic.acceptFixed(0x40, false);
        apic.acknowledge();
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x80B, 1));
        assertThat(apic.isrBit(0x40)).isTrue();
        apic.writeMsr(0x80B, 0);
        assertThat(apic.isrBit(0x40)).isFalse();
    }

    @Test
    void esrWriteOfNonZero_raisesGp() {
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x828, 0x40));
        apic.writeMsr(0x828, 0);
        assertThat(apic.readMsr(0x828)).isZero();
    }

    @Test
    void reservedBitsOfTprSvrDcrAndLvt_raiseGp() {
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x808, 0x100));
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x80F, 0x1000));
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x83E, 0x4));
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x832, 0x400)); // timer has no delivery mode
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x837, 1 << 13));
        apic.writeMsr(0x808, 0xFF);
        assertThat(apic.readMsr(0x808)).isEqualTo(0xFF);
    }

    @Test
    void upperHalfOf32BitRegisters_isReservedAndRaisesGp() {
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x808, 1L << 32));
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x838, 1L << 40));
    }

    @Test
    void lvtReadOnlyBits_areIgnoredNotFaulted() {
        apic.writeMsr(0x835, LVT_DELIVERY_STATUS | LVT_REMOTE_IRR | 0x30);
        assertThat(apic.readMsr(0x835)).isEqualTo(0x30);
    }

    @Test
    void icr_is64BitsWithTheDestinationInBits63To32() {
        apic.writeMsr(0x830, (0x23L << 32) | 0x91);
        assertThat(apic.readMsr(0x830)).isEqualTo((0x23L << 32) | 0x91);
        assertThat(apic.irrBit(0x91)).isTrue();
        apic.writeMsr(0x830, (0x24L << 32) | 0x92);
        assertThat(apic.irrBit(0x92)).as("another x2APIC ID").isFalse();
        apic.writeMsr(0x830, (0xFFFF_FFFFL << 32) | 0x93);
        assertThat(apic.irrBit(0x93)).as("broadcast").isTrue();
    }

    @Test
    void icrDeliveryStatusBit_isReservedInX2ApicMode() {
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x830, LVT_DELIVERY_STATUS | 0x50));
        assertThat(apic.irrBit(0x50)).isFalse();
    }

    @Test
    void logicalIcrDestination_matchesClusterAndBit() {
        apic.writeMsr(0x830, ((2L << 16 | 0x8) << 32) | (1 << 11) | 0xA1);
        apic.writeMsr(0x830, ((3L << 16 | 0x8) << 32) | (1 << 11) | 0xA2);
        assertThat(apic.irrBit(0xA1)).isTrue();
        assertThat(apic.irrBit(0xA2)).isFalse();
    }

    @Test
    void selfIpiMsr_setsTheVectorInIrrAsAnEdgeInterrupt() {
        apic.acceptFixed(0x66, true);
        apic.writeMsr(0x83F, 0x66);
        assertThat(apic.irrBit(0x66)).isTrue();
        assertThat(apic.tmrBit(0x66)).isFalse();
    }

    @Test
    void selfIpiMsrReservedBits_raiseGp() {
        assertGp(Reason.RESERVED_BITS, () -> apic.writeMsr(0x83F, 0x100));
    }

    @Test
    void xapicPage_isNotAvailableInX2ApicMode() {
        apic.write(REG_TPR, 4, 0x40);
        assertThat(apic.readMsr(0x808)).isZero();
        assertThat(apic.read(REG_VERSION, 4)).isEqualTo(-1L);
    }

    @Test
    void timerRegisters_workThroughMsrs() {
        apic.writeMsr(0x832, 0x30);
        apic.writeMsr(0x83E, 0xB);
        apic.writeMsr(0x838, 50);
        clock.cycle = 20;
        assertThat(apic.readMsr(0x839)).isEqualTo(30);
        assertThat(apic.readMsr(0x838)).isEqualTo(50);
    }

    @Test
    void nonApicMsr_isApiMisuse() {
        assertThat(LocalApic.handlesMsr(0x10)).isFalse();
        assertThat(LocalApic.handlesMsr(0x1B)).isTrue();
        assertThat(LocalApic.handlesMsr(0x8FF)).isTrue();
        assertThatThrownBy(() -> apic.readMsr(0x10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void init_inX2ApicModeKeepsTheModeAndRederivesLdr() {
        apic.writeMsr(0x808, 0x40);
        apic.init();
        assertThat(apic.isX2ApicMode()).isTrue();
        assertThat(apic.readMsr(0x808)).isZero();
        assertThat(apic.readMsr(0x80D)).isEqualTo((2L << 16) | (1 << 3));
    }

    @Test
    void ioApicMessage_inX2ApicModeMatchesTheX2ApicId() {
        assertThat(apic.acceptsMessageFor(0x23, false)).isTrue();
        assertThat(apic.acceptsMessageFor(0x00, false)).isFalse();
        assertThat(apic.acceptsMessageFor(0xFF, false)).isTrue();
    }

    @Test
    void faults_carryNoStackTrace() {
        ApicFault f = new ApicFault(Reason.RESERVED_MSR, 0x809, "x");
        assertThat(f.getStackTrace()).isEmpty();
        assertThat(f.msr()).isEqualTo(0x809);
    }
}
