package dev.vmx4j.core.devices;

import dev.vmx4j.core.io.IoDevice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A 16550A UART for polled I/O (COM1 at 0x3F8 by default, 8 ports).
 *
 * <p>Transmit is immediate: every byte written to THR goes to the output and the line-status
 * register always reports the transmitter empty (LSR bits 5 THRE and 6 TEMT). Receive takes bytes
 * queued with {@link #feed(byte[])}; LSR bit 0 (DR) says one is waiting. Interrupt generation is
 * not modelled: IER is stored and read back, IIR reads "no interrupt pending" (0x01, or 0xC1 with
 * FIFOs enabled). The divisor latch (LCR.DLAB) is stored and has no timing effect: the model is
 * not baud-rate timed, which keeps runs deterministic.
 */
public final class Uart16550 implements IoDevice {

    public static final int COM1 = 0x3F8;
    public static final int PORT_COUNT = 8;

    private static final int LSR_DR = 0x01;
    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;
    private static final int LCR_DLAB = 0x80;

    private final OutputStream out;
    private byte[] input = new byte[0];
    private int inputPos;
    private int ier;
    private int fcr;
    private int lcr;
    private int mcr;
    private int scr;
    private int dll = 0x0C; // 9600 baud, as after a BIOS init
    private int dlm;

    public Uart16550(OutputStream out) {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        this.out = out;
    }

    /** Queues bytes for the guest to receive. */
    public void feed(byte[] bytes) {
        byte[] rest = new byte[input.length - inputPos + bytes.length];
        System.arraycopy(input, inputPos, rest, 0, input.length - inputPos);
        System.arraycopy(bytes, 0, rest, input.length - inputPos, bytes.length);
        input = rest;
        inputPos = 0;
    }

    @Override
    public int in(int port, int size) {
        switch (port & 7) {
            case 0:
                if ((lcr & LCR_DLAB) != 0) {
                    return dll;
                }
                return inputPos < input.length ? input[inputPos++] & 0xFF : 0;
            case 1:
                return (lcr & LCR_DLAB) != 0 ? dlm : ier;
            case 2:
                return (fcr & 1) != 0 ? 0xC1 : 0x01;
            case 3:
                return lcr;
            case 4:
                return mcr;
            case 5:
                return LSR_THRE | LSR_TEMT | (inputPos < input.length ? LSR_DR : 0);
            case 6:
                // Modem status: with loopback (MCR bit 4) the outputs feed back; otherwise CTS/DSR/DCD set.
                return (mcr & 0x10) != 0 ? (mcr & 0x0F) << 4 : 0xB0;
            default:
                return scr;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        int v = value & 0xFF;
        switch (port & 7) {
            case 0:
                if ((lcr & LCR_DLAB) != 0) {
                    dll = v;
                } else {
                    try {
                        out.write(v);
                    } catch (IOException e) {
                        throw new UncheckedIOException("UART output failed", e);
                    }
                }
                break;
            case 1:
                if ((lcr & LCR_DLAB) != 0) {
                    dlm = v;
                } else {
                    ier = v & 0x0F;
                }
                break;
            case 2:
                fcr = v;
                break;
            case 3:
                lcr = v;
                break;
            case 4:
                mcr = v & 0x1F;
                break;
            case 7:
                scr = v;
                break;
            default:
                break; // LSR and MSR are read-only
        }
    }
}
