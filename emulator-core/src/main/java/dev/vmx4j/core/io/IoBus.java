package dev.vmx4j.core.io;

/**
 * The 64 Ki I/O-port address space. Each port has at most one device; a read of an unclaimed
 * port returns all ones and a write to it is dropped (MANUAL: an ISA bus with no device
 * answering floats high, which is what PC software expects).
 *
 * <p>A 2- or 4-byte access is given whole to the device that claims its first port; ports wrap
 * at 0xFFFF as the SDM's I/O address space does.
 */
public final class IoBus {

    public static final int PORT_COUNT = 0x10000;

    private final IoDevice[] devices = new IoDevice[PORT_COUNT];

    /** Attaches {@code device} to ports {@code [first, first + count)}. */
    public void attach(int first, int count, IoDevice device) {
        if (device == null) {
            throw new IllegalArgumentException("device must not be null");
        }
        if (first < 0 || first >= PORT_COUNT) {
            throw new IllegalArgumentException("first port must be in [0, 0xFFFF], was " + first);
        }
        if (count <= 0 || first + count > PORT_COUNT) {
            throw new IllegalArgumentException("count must be in [1, " + (PORT_COUNT - first) + "], was " + count);
        }
        for (int p = first; p < first + count; p++) {
            if (devices[p] != null) {
                throw new IllegalArgumentException(String.format("port 0x%x is already claimed by %s", p, devices[p]));
            }
        }
        for (int p = first; p < first + count; p++) {
            devices[p] = device;
        }
    }

    /** Removes whatever device claims ports {@code [first, first + count)}. */
    public void detach(int first, int count) {
        if (first < 0 || count < 0 || first + count > PORT_COUNT) {
            throw new IllegalArgumentException("port range [" + first + ", " + (first + count) + ") must lie in [0, 0x10000)");
        }
        for (int p = first; p < first + count; p++) {
            devices[p] = null;
        }
    }

    public IoDevice deviceAt(int port) {
        return devices[port & 0xFFFF];
    }

    public int in(int port, int size) {
        IoDevice d = devices[port & 0xFFFF];
        if (d == null) {
            return size == 4 ? -1 : (1 << (size * 8)) - 1;
        }
        int v = d.in(port & 0xFFFF, size);
        return size == 4 ? v : v & ((1 << (size * 8)) - 1);
    }

    public void out(int port, int size, int value) {
        IoDevice d = devices[port & 0xFFFF];
        if (d != null) {
            d.out(port & 0xFFFF, size, size == 4 ? value : value & ((1 << (size * 8)) - 1));
        }
    }
}
