package dev.vmx4j.core.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.boot.LegacyBiosState;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** fw_cfg, pc-testdev and the 8254 PIT, as kvm-unit-tests and a real-mode kernel use them. */
class PlatformDevicesTest {

    private static Machine pc(long ram, int cpus) {
        return Machine.builder().memorySize(ram).pcInterruptControllers()
                .device(StandardDevices.debugConsole(new ByteArrayOutputStream()))
                .device(StandardDevices.fwCfg(cpus))
                .device(StandardDevices.pcTestdev())
                .device(StandardDevices.pit())
                .build();
    }

    private static long fwCfgRead(Machine m, int selector, int bytes) {
        m.io().out(FwCfg.SELECTOR_PORT, 2, selector);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) m.io().in(FwCfg.DATA_PORT, 1) << (8 * i);
        }
        return v;
    }

    @Test
    void fwCfg_reportsSignatureRamSizeCpuCountAndNoMaxRamLimit() {
        Machine m = pc(64L << 20, 3);
        assertThat(fwCfgRead(m, FwCfg.SIGNATURE, 4)).isEqualTo(0x554D4551L); // "QEMU"
        assertThat(fwCfgRead(m, FwCfg.ID, 4)).isEqualTo(1);
        assertThat(fwCfgRead(m, FwCfg.RAM_SIZE, 8)).isEqualTo(64L << 20);
        assertThat(fwCfgRead(m, FwCfg.NB_CPUS, 2)).isEqualTo(3);
        assertThat(fwCfgRead(m, FwCfg.MAX_CPUS, 2)).isEqualTo(3);
        assertThat(fwCfgRead(m, 0x11, 8)).as("kvm-unit-tests' MAX_RAM: absent, 0 = no limit").isZero();
        assertThat(fwCfgRead(m, FwCfg.NB_CPUS, 3)).as("past the end reads 0").isEqualTo(3);
        m.io().out(FwCfg.SELECTOR_PORT, 2, FwCfg.RAM_SIZE);
        assertThat(m.io().in(FwCfg.DATA_PORT, 4)).as("wide read: successive bytes").isEqualTo(0x04000000);
        assertThat(m.io().in(FwCfg.DATA_PORT, 1)).as("byte 4 of 64 MiB").isEqualTo(0x00);
        assertThatThrownBy(() -> new FwCfg(1 << 20, 0)).hasMessageContaining("cpus");
    }

    @Test
    void fwCfg_guestReadsTheSignatureWithOutwAndInb() {
        Machine m = pc(16L << 20, 1);
        m.enterProtectedMode();
        // mov dx,0x510; xor eax,eax; out dx,ax; inc dx; in al,dx; mov bl,al; in al,dx; mov bh,al; hlt
        m.memory().load(0x1000, HexFormat.of().parseHex("66ba100531c066ef42ec88c3ec88c7f4"));
        m.setRip(0x1000);
        m.run(RunLimits.unlimited().maxInstructions(100));
        assertThat(m.reg(Reg.RBX) & 0xFFFF).isEqualTo(0x4551); // 'Q' 'E'
    }

    @Test
    void pcTestdev_scratchRegisterIsByteAddressable() {
        Machine m = pc(16L << 20, 1);
        m.io().out(0xE0, 4, 0x11223344);
        assertThat(m.io().in(0xE0, 4)).isEqualTo(0x11223344);
        assertThat(m.io().in(0xE1, 1)).isEqualTo(0x33);
        assertThat(m.io().in(0xE2, 2)).isEqualTo(0x1122);
        m.io().out(0xE3, 1, 0xAB);
        assertThat(m.io().in(0xE0, 4)).isEqualTo(0xAB223344);
        m.io().out(0xE8, 1, 0x55);
        assertThat(m.io().in(0xE0, 1)).as("byte-wise window, same register").isEqualTo(0x55);
        m.io().out(0xE4, 4, 0x1000); // flush page: accepted, no visible effect
        assertThat(m.io().in(0xE0, 4)).isEqualTo(0xAB223355);
        assertThat(m.io().deviceAt(0xE9)).as("debug console keeps 0xE9").isInstanceOf(DebugConsole.class);
    }

    @Test
    void pcTestdev_iomemIsPlainStorage() {
        Machine m = pc(16L << 20, 1);
        m.memory().write64(PcTestdev.IOMEM_BASE + 0x100, 0x0102030405060708L);
        assertThat(m.memory().read64(PcTestdev.IOMEM_BASE + 0x100)).isEqualTo(0x0102030405060708L);
        assertThat(m.memory().read8(PcTestdev.IOMEM_BASE + 0x101)).isEqualTo(0x07);
        assertThat(m.memory().read32(PcTestdev.IOMEM_BASE + 0xFFFC)).isZero();
    }

    @Test
    void pcTestdev_irqLinePortDrivesThePicAndIoApic() {
        Machine m = pc(16L << 20, 1);
        m.interruptController().pic().initialize(0x08, 0x70);
        m.io().out(0x200B, 1, 1);
        assertThat(m.interruptController().pic().slaveIrr() & (1 << 3)).as("IRQ 11 latched").isNotZero();
        m.io().out(0x200B, 1, 0);
        // I/O APIC pin 14, edge, vector 0x44, physical destination 0, unmasked
        m.interruptController().ioApic().writeRegister(0x10 + 2 * 14, 0x44);
        m.interruptController().ioApic().writeRegister(0x11 + 2 * 14, 0);
        m.memory().write32(0xFEE000F0L, 0x1FF); // local APIC software-enabled (SVR)
        m.io().out(0x200E, 1, 1);
        assertThat(m.interruptController().localApic().deliverableVector()).isEqualTo(0x44);
    }

    @Test
    void pit_channel0Mode2_raisesIrq0EveryCountTicks_andCountsDown() {
        Machine m = pc(16L << 20, 1);
        Pit8254 pit = m.interruptController().pit();
        m.io().out(0x43, 1, 0x34); // channel 0, lo/hi, mode 2
        m.io().out(0x40, 1, 100);
        m.io().out(0x40, 1, 0);
        assertThat(pit.nextEventCycle()).isEqualTo(100 * Pit8254.CYCLES_PER_TICK);
        m.io().out(0x43, 1, 0x00); // latch channel 0
        assertThat(m.io().in(0x40, 1) | m.io().in(0x40, 1) << 8).isEqualTo(100);
        m.interruptController().pic().initialize(0x08, 0x70);
        m.interruptController().advanceTo(100 * Pit8254.CYCLES_PER_TICK);
        assertThat(m.interruptController().pic().masterIrr() & 1).isEqualTo(1);
        assertThat(pit.nextEventCycle()).isEqualTo(200 * Pit8254.CYCLES_PER_TICK);
        m.interruptController().advanceTo(1050 * Pit8254.CYCLES_PER_TICK);
        assertThat(pit.nextEventCycle()).as("skipped periods coalesce").isEqualTo(1100 * Pit8254.CYCLES_PER_TICK);
    }

    @Test
    void realModeStiHlt_isWokenByTheBiosTimer_throughTheIvtStub() {
        Machine m = pc(16L << 20, 1);
        LegacyBiosState.applyTo(m);
        m.setSegment(dev.vmx4j.core.Seg.CS, 0x1000, 0x10000, 0xFFFF, 0x9B);
        m.setSegment(dev.vmx4j.core.Seg.SS, 0, 0, 0xFFFF, 0x93);
        m.setReg(Reg.RSP, 0x7000);
        m.memory().load(0x10000, HexFormat.of().parseHex("fbf4b001e6e0f4")); // sti; hlt; mov al,1; out 0xe0,al; hlt
        m.setRip(0);
        RunResult first = m.run(RunLimits.unlimited().maxInstructions(1000));
        // The timer's IRQ 0 (vector 8) went through the IVT's IRET stub; then the second HLT sleeps again.
        assertThat(m.io().in(0xE0, 1)).isEqualTo(1);
        assertThat(first.cycles()).isGreaterThanOrEqualTo(0x10000 * Pit8254.CYCLES_PER_TICK);
        assertThat(m.interruptController().pic().masterImr()).isEqualTo(LegacyBiosState.MASTER_IMR);
        assertThat(m.memory().read32(8 * 4)).isEqualTo(0xF000FF53);
        assertThat(first.reason()).isIn(StopReason.HALTED, StopReason.INSTRUCTION_LIMIT);
    }
}
