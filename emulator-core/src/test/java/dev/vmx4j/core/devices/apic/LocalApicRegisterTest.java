package dev.vmx4j.core.devices.apic;

import static dev.vmx4j.core.devices.apic.LocalApic.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.memory.GuestMemory;
import org.junit.jupiter.api.Test;

/** xAPIC-mode registers through the MMIO page (SDM "Local APIC Register Address Map"). */
class LocalApicRegisterTest {

    private final ManualClock clock = new ManualClock();
    private final LocalApic apic = new LocalApic(3, 39, true, true, clock);

    private int read(int reg) {
        return (int) apic.read(reg, 4);
    }

    private void write(int reg, int value) {
        apic.write(reg, 4, value & 0xFFFF_FFFFL);
    }

    @Test
    void versionRegister_reportsIntegratedApicWithSixLvtEntries() {
        assertThat(read(REG_VERSION)).isEqualTo(0x0005_0014);
    }

    @Test
    void idRegister_holdsXApicIdInBits31To24() {
        assertThat(read(REG_ID)).isEqualTo(0x0300_0000);
        write(REG_ID, 0x0700_00FF);
        assertThat(read(REG_ID)).isEqualTo(0x0700_0000);
    }

    @Test
    void idRegister_returnsToTheInitialApicId_afterTheDisabledState() {
        write(REG_ID, 0x0700_0000);
        apic.writeApicBase(0xFEE0_0000L); // EN = 0: the disabled state
        apic.writeApicBase(0xFEE0_0800L); // xAPIC mode again
        assertThat(read(REG_ID)).isEqualTo(0x0300_0000);
    }

    @Test
    void powerUpState_matchesSdmResetValues() {
        assertThat(read(REG_SVR)).isEqualTo(0xFF);
        assertThat(read(REG_DFR)).isEqualTo(0xFFFF_FFFF);
        assertThat(read(REG_TPR)).isZero();
        assertThat(read(REG_LDR)).isZero();
        for (int reg = REG_LVT_TIMER; reg <= REG_LVT_ERROR; reg += 0x10) {
            assertThat(read(reg)).as("LVT %x", reg).isEqualTo(LVT_MASKED);
        }
        assertThat(read(REG_TIMER_INITIAL_COUNT)).isZero();
        assertThat(read(REG_TIMER_DIVIDE)).isZero();
        assertThat(apic.readApicBase()).isEqualTo(0xFEE0_0900L);
    }

    @Test
    void tpr_onlyBits7To0AreWritable() {
        write(REG_TPR, 0xFFFF_FF5A);
        assertThat(read(REG_TPR)).isEqualTo(0x5A);
    }

    @Test
    void svr_bits9To0AreWritableAndTheRestReadZero() {
        write(REG_SVR, 0xFFFF_FFFF);
        assertThat(read(REG_SVR)).isEqualTo(0x3FF);
        assertThat(apic.isSoftwareEnabled()).isTrue();
    }

    @Test
    void lvtEntries_keepOnlyTheirDefinedFields() {
        write(REG_SVR, 0x1FF);
        int[][] expected = {
            {REG_LVT_TIMER, 0x000700FF},
            {REG_LVT_THERMAL, 0x000107FF},
            {REG_LVT_PERF, 0x000107FF},
            {REG_LVT_LINT0, 0x0001A7FF},
            {REG_LVT_LINT1, 0x0001A7FF},
            {REG_LVT_ERROR, 0x000100FF},
        };
        for (int[] e : expected) {
            write(e[0], 0xFFFF_FFFF);
            assertThat(read(e[0])).as("LVT %x", e[0]).isEqualTo(e[1]);
        }
    }

    @Test
    void softwareDisabled_lvtMaskBitCannotBeCleared() {
        write(REG_LVT_LINT0, 0x0000_0700);
        assertThat(read(REG_LVT_LINT0)).isEqualTo(0x0001_0700);
    }

    @Test
    void clearingSvrSoftwareEnable_setsEveryLvtMaskBit() {
        write(REG_SVR, 0x1FF);
        write(REG_LVT_TIMER, 0x40);
        write(REG_LVT_ERROR, 0x41);
        write(REG_SVR, 0x0FF);
        assertThat(read(REG_LVT_TIMER)).isEqualTo(0x1_0040);
        assertThat(read(REG_LVT_ERROR)).isEqualTo(0x1_0041);
    }

    @Test
    void ldrAndDfr_onlyTheirHighFieldsAreWritable() {
        write(REG_LDR, 0xA5FF_FFFF);
        write(REG_DFR, 0x0000_0000);
        assertThat(read(REG_LDR)).isEqualTo(0xA500_0000);
        assertThat(read(REG_DFR)).isEqualTo(0x0FFF_FFFF);
    }

    @Test
    void divideConfiguration_onlyBits3And1To0AreWritable() {
        write(REG_TIMER_DIVIDE, 0xFFFF_FFFF);
        assertThat(read(REG_TIMER_DIVIDE)).isEqualTo(0xB);
    }

    @Test
    void readOnlyRegisters_ignoreWritesInXApicMode() {
        write(REG_VERSION, 0);
        write(REG_PPR, 0xF0);
        write(REG_IRR + 0x10, -1);
        write(REG_TIMER_CURRENT_COUNT, 5);
        assertThat(read(REG_VERSION)).isEqualTo(VERSION);
        assertThat(read(REG_PPR)).isZero();
        assertThat(read(REG_IRR + 0x10)).isZero();
        assertThat(read(REG_TIMER_CURRENT_COUNT)).isZero();
    }

    @Test
    void icr_keepsItsDefinedFieldsAndDeliveryStatusReadsIdle() {
        write(REG_ICR_HIGH, 0xFFFF_FFFF);
        write(REG_ICR_LOW, 0xFFFF_10FF); // shorthand 11B, all excluding self: dropped
        assertThat(read(REG_ICR_HIGH)).isEqualTo(0xFF00_0000);
        assertThat(read(REG_ICR_LOW) & LVT_DELIVERY_STATUS).isZero();
        assertThat(read(REG_ICR_LOW)).isEqualTo(0x000C_00FF);
    }

    @Test
    void errorStatus_reservedRegisterAddressIsLatchedOnlyByAnEsrWrite() {
        read(0x3F0); // SELF IPI does not exist in xAPIC mode
        assertThat(read(REG_ESR)).as("before the ESR write").isZero();
        write(REG_ESR, 0);
        assertThat(read(REG_ESR)).isEqualTo(ESR_ILLEGAL_REGISTER_ADDRESS);
        write(REG_ESR, 0);
        assertThat(read(REG_ESR)).as("errors cleared by the second write").isZero();
    }

    @Test
    void errorLvt_unmaskedRaisesItsVectorWhenAnErrorIsDetected() {
        write(REG_SVR, 0x1FF);
        write(REG_LVT_ERROR, 0xEE);
        write(REG_ICR_LOW, 0x4000 | 0x05 | (0b01 << 18)); // self IPI with illegal vector 5
        assertThat(apic.irrBit(0xEE)).isTrue();
        write(REG_ESR, 0);
        assertThat(read(REG_ESR)).isEqualTo(ESR_SEND_ILLEGAL_VECTOR);
    }

    @Test
    void narrowRead_returnsTheAddressedBytesOfTheRegister() {
        assertThat(apic.read(REG_VERSION + 2, 1)).isEqualTo(0x05);
        assertThat(apic.read(REG_VERSION + 4, 4)).isZero();
    }

    @Test
    void page_throughGuestMemoryAtDefaultBase() {
        GuestMemory mem = GuestMemory.withRam(1 << 20);
        mem.addMmio(DEFAULT_BASE, MMIO_SIZE, apic);
        mem.write32(DEFAULT_BASE + REG_TPR, 0x30);
        assertThat(mem.read32(DEFAULT_BASE + REG_TPR)).isEqualTo(0x30);
        assertThat(mem.read32(DEFAULT_BASE + REG_VERSION)).isEqualTo(VERSION);
    }

    @Test
    void globallyDisabled_pageReadsAllOnesAndDropsWrites() {
        apic.writeApicBase(DEFAULT_BASE);
        write(REG_TPR, 0x20);
        assertThat(apic.read(REG_TPR, 4)).isEqualTo(-1L);
        apic.writeApicBase(DEFAULT_BASE | APIC_BASE_EN);
        assertThat(read(REG_TPR)).isZero();
    }
}
