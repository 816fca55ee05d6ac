package dev.vmx4j.core.devices;

import dev.vmx4j.core.DeviceAttachment;
import java.io.OutputStream;

/**
 * Ready-made {@link DeviceAttachment}s for the devices bare-metal test programs use, at their
 * conventional ports:
 * <pre>
 * Machine m = Machine.builder()
 *         .device(StandardDevices.debugConsole(out))      // port 0xE9
 *         .device(StandardDevices.com1(out))              // 16550 at 0x3F8
 *         .device(StandardDevices.isaDebugExit())         // 0xF4: stop with (value &lt;&lt; 1) | 1
 *         .device(StandardDevices.bochsShutdownPort())    // 0x8900: "Shutdown" stops with 0
 *         .device(StandardDevices.fwCfg(1))               // QEMU fw_cfg at 0x510/0x511
 *         .device(StandardDevices.pcTestdev())            // QEMU pc-testdev (needs the PC interrupt controllers)
 *         .device(StandardDevices.pit())                  // 8254 at 0x40-0x43, IRQ 0 (needs them too)
 *         .build();
 * </pre>
 */
public final class StandardDevices {

    private StandardDevices() {
    }

    public static DeviceAttachment debugConsole(OutputStream out) {
        DebugConsole console = new DebugConsole(out);
        return m -> m.io().attach(DebugConsole.PORT, 1, console);
    }

    public static DeviceAttachment com1(OutputStream out) {
        Uart16550 uart = new Uart16550(out);
        return m -> m.io().attach(Uart16550.COM1, Uart16550.PORT_COUNT, uart);
    }

    public static DeviceAttachment isaDebugExit() {
        return m -> m.io().attach(IsaDebugExit.PORT, IsaDebugExit.PORT_COUNT, new IsaDebugExit(m::requestStop));
    }

    public static DeviceAttachment bochsShutdownPort() {
        return m -> m.io().attach(BochsShutdownPort.PORT, 1, new BochsShutdownPort(m::requestStop));
    }

    /** QEMU's fw_cfg (ports 0x510-0x511) reporting the machine's RAM size and {@code cpus} processors. */
    public static DeviceAttachment fwCfg(int cpus) {
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("cpus must be in [1, 255], was " + cpus);
        }
        return m -> m.io().attach(FwCfg.SELECTOR_PORT, FwCfg.PORT_COUNT, new FwCfg(m.memorySize(), cpus));
    }

    /**
     * QEMU's pc-testdev: ports 0xE0-0xE7, 0xE8-0xEB, 0x2000-0x2017 and the IORAM page range at
     * 0xFF000000. Of the byte-wise window 0xE8-0xEB it takes only the ports still free, so a debug
     * console attached before it keeps 0xE9 (kvm-unit-tests uses 0xE0 only). Its interrupt-line ports drive the machine's PC interrupt controllers (they do
     * nothing on a machine built without them). The machine becomes a KVM guest: VMCALL outside
     * VMX operation is KVM's hypercall ABI (KVM_HC_SEND_IPI; every other number -KVM_ENOSYS).
     */
    public static DeviceAttachment pcTestdev() {
        return m -> {
            dev.vmx4j.core.devices.apic.PcInterruptController ic = m.interruptController();
            PcTestdev t = new PcTestdev(ic == null ? null : ic::setIrqLevel);
            m.io().attach(PcTestdev.SCRATCH_PORT, 2 * PcTestdev.PORT_WINDOW, t);
            for (int p = PcTestdev.SCRATCH_BYTE_PORT; p < PcTestdev.SCRATCH_BYTE_PORT + PcTestdev.PORT_WINDOW; p++) {
                if (m.io().deviceAt(p) == null) { // 0xE9 stays the debug console if one is attached
                    m.io().attach(p, 1, t);
                }
            }
            m.io().attach(PcTestdev.IRQ_PORT, PcTestdev.IRQ_LINES, t);
            m.memory().addMmio(PcTestdev.IOMEM_BASE, PcTestdev.IOMEM_SIZE, t);
            // With the test device the machine is a KVM guest, as kvm-unit-tests assumes: VMCALL
            // outside VMX operation is KVM's hypercall ABI (KvmHypercall).
            dev.vmx4j.core.cpu.KvmHypercall.install(m, m.cpuCount());
        };
    }

    /**
     * An 8254 PIT at ports 0x40-0x43 on the cycle counter ({@link Pit8254#CYCLES_PER_TICK}),
     * channel 0 on ISA IRQ 0. Needs the PC interrupt controllers (builder
     * {@code pcInterruptControllers()}), which run its timer.
     */
    public static DeviceAttachment pit() {
        return m -> {
            dev.vmx4j.core.devices.apic.PcInterruptController ic = m.interruptController();
            if (ic == null) {
                throw new IllegalStateException("the PIT needs the PC interrupt controllers: call pcInterruptControllers()");
            }
            Pit8254 pit = new Pit8254(m::cycles, high -> ic.setIrqLevel(0, high));
            ic.attachPit(pit);
            m.io().attach(Pit8254.PORT, Pit8254.PORT_COUNT, pit);
        };
    }
}
