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
}
