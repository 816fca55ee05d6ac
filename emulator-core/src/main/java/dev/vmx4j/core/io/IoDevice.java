package dev.vmx4j.core.io;

/**
 * A device on the I/O-port bus. {@code size} is 1, 2 or 4 bytes; values are zero-extended.
 * A device sees every port of the range it was attached with.
 */
public interface IoDevice {

    int in(int port, int size);

    void out(int port, int size, int value);
}
