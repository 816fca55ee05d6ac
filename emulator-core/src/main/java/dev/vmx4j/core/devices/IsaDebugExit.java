package dev.vmx4j.core.devices;

import dev.vmx4j.core.io.IoDevice;

/**
 * QEMU's {@code isa-debug-exit} device (default at port 0xF4, 4 ports): a write of {@code value}
 * stops the machine with exit status {@code (value << 1) | 1}, exactly as QEMU's process exits.
 * Reads return all ones (the device has no readable register).
 */
public final class IsaDebugExit implements IoDevice {

    public static final int PORT = 0xF4;
    public static final int PORT_COUNT = 4;

    private final StopRequester stopper;

    public IsaDebugExit(StopRequester stopper) {
        if (stopper == null) {
            throw new IllegalArgumentException("stopper must not be null");
        }
        this.stopper = stopper;
    }

    @Override
    public int in(int port, int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    @Override
    public void out(int port, int size, int value) {
        stopper.requestStop((value << 1) | 1);
    }
}
