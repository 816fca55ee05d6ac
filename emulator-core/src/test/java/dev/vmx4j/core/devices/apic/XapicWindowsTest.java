package dev.vmx4j.core.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import org.junit.jupiter.api.Test;

/**
 * SDM "Relocating the Local APIC Registers": the xAPIC page follows IA32_APIC_BASE; a page no
 * APIC decodes is what it was before (RAM or open bus).
 */
class XapicWindowsTest {

    private static final int IA32_APIC_BASE = 0x1B;
    private static final long EN = 1L << 11;
    private static final long BSP = 1L << 8;
    private static final long VERSION = 0x0005_0014L;

    @Test
    void movingTheBase_movesTheRegisterPage_andTheOldPageBecomesOpenBus() {
        Machine m = Machine.builder().memorySize(16L << 20).pcInterruptControllers().build();
        assertThat(m.memory().read32(0xFEE0_0030L)).isEqualTo(VERSION);
        m.setMsr(IA32_APIC_BASE, 0xFEE0_0000L | BSP);        // disabled
        m.setMsr(IA32_APIC_BASE, 0xFED4_0000L | BSP | EN);   // enabled at the new base
        assertThat(m.memory().read32(0xFED4_0030L)).isEqualTo(VERSION);
        assertThat(m.memory().read32(0xFEE0_0030L)).as("nothing decodes the old page").isEqualTo(-1);
        m.memory().write32(0xFED4_0080L, 0x20);               // TPR through the new page
        assertThat(m.memory().read32(0xFED4_0080L)).isEqualTo(0x20);
        m.setMsr(IA32_APIC_BASE, 0xFEE0_0000L | BSP | EN);   // back (xAPIC to xAPIC: a plain move)
        assertThat(m.memory().read32(0xFEE0_0080L)).isEqualTo(0x20);
        assertThat(m.memory().read32(0xFED4_0030L)).isEqualTo(-1);
    }

    @Test
    void aPageMovedOverRam_isTheApicWhileDecoded_andTheRamAgainAfterwards() {
        Machine m = Machine.builder().memorySize(16L << 20).pcInterruptControllers().build();
        long page = 0x40_0000L;
        m.memory().write32(page + 0x30, 0x1234_5678);
        m.setMsr(IA32_APIC_BASE, page | BSP | EN);
        assertThat(m.memory().read32(page + 0x30)).isEqualTo(VERSION);
        m.memory().write32(page + 0x80, 0x30);                // reaches the TPR, not the RAM
        m.setMsr(IA32_APIC_BASE, page | BSP);                 // disabled: the page is RAM again
        assertThat(m.memory().read32(page + 0x30)).isEqualTo(0x1234_5678L);
        assertThat(m.memory().read32(page + 0x80)).isZero();
        m.memory().write32(page + 0x80, 0x55);
        assertThat(m.memory().read32(page + 0x80)).isEqualTo(0x55);
    }

    @Test
    void inX2ApicMode_theDefaultPageIsNotDecoded() {
        Machine m = Machine.builder().memorySize(16L << 20).pcInterruptControllers().build();
        m.setMsr(IA32_APIC_BASE, 0xFEE0_0000L | BSP | EN | (1L << 10));
        assertThat(m.memory().read32(0xFEE0_0030L)).isEqualTo(-1);
    }
}
