package dev.vmx4j.core.devices;

import dev.vmx4j.core.io.IoDevice;

/**
 * Bochs' shutdown port 0x8900: writing the ASCII bytes {@code Shutdown} in sequence stops the
 * machine with exit status 0. Any other byte restarts the match (a byte equal to 'S' starts a
 * new one), as Bochs does.
 */
public final class BochsShutdownPort implements IoDevice {

    public static final int PORT = 0x8900;
    private static final byte[] MAGIC = {'S', 'h', 'u', 't', 'd', 'o', 'w', 'n'};

    private final StopRequester stopper;
    private int matched;

    public BochsShutdownPort(StopRequester stopper) {
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
        int b = value & 0xFF;
        if (b == MAGIC[matched]) {
            matched++;
            if (matched == MAGIC.length) {
                matched = 0;
                stopper.requestStop(0);
            }
        } else {
            matched = b == MAGIC[0] ? 1 : 0;
        }
    }
}
