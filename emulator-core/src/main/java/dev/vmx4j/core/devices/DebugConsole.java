package dev.vmx4j.core.devices;

import dev.vmx4j.core.io.IoDevice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The port 0xE9 debug console of Bochs and QEMU: every byte written goes straight to the output.
 * Reading the port returns 0xE9, which is how guests detect the console (Bochs' convention).
 */
public final class DebugConsole implements IoDevice {

    /** The conventional port. */
    public static final int PORT = 0xE9;

    private final OutputStream out;

    public DebugConsole(OutputStream out) {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        this.out = out;
    }

    @Override
    public int in(int port, int size) {
        return PORT;
    }

    @Override
    public void out(int port, int size, int value) {
        try {
            // MANUAL: a 2- or 4-byte OUT to the console writes only its low byte, as Bochs does.
            out.write(value & 0xFF);
        } catch (IOException e) {
            throw new UncheckedIOException("debug console output failed", e);
        }
    }
}
