package dev.vmx4j.core.devices;

import dev.vmx4j.core.io.IoDevice;
import dev.vmx4j.core.memory.MmioHandler;

/**
 * QEMU's {@code pc-testdev}, the device kvm-unit-tests' runner adds ({@code -device pc-testdev}):
 * <ul>
 * <li>ports 0xE0-0xE3: one 32-bit scratch register, readable and writable with 1-, 2- and
 *     4-byte accesses at any of its byte offsets (an access at offset {@code k} covers bytes
 *     {@code k} upwards);</li>
 * <li>ports 0xE8-0xEB: the same register, but every access is split into byte accesses (the
 *     "byte-wise" window the emulator test uses for string I/O);</li>
 * <li>ports 0xE4-0xE7: "flush page": a 4-byte write names a guest-physical page; QEMU unmaps and
 *     remaps it in the host, which a guest cannot observe, so here it has no effect;</li>
 * <li>ports 0x2000-0x2017: one port per interrupt line 0-23: writing a non-zero byte drives the
 *     line high, zero drives it low (ISA IRQ {@code n} reaches PIC input {@code n} for
 *     {@code n < 16} and I/O APIC pin {@code n});</li>
 * <li>MMIO [0xFF000000, 0xFF010000), "IORAM": 64 KiB of plain read/write storage.</li>
 * </ul>
 * Reads of the write-only ports return 0.
 */
public final class PcTestdev implements IoDevice, MmioHandler {

    public static final int SCRATCH_PORT = 0xE0;
    public static final int FLUSH_PORT = 0xE4;
    public static final int SCRATCH_BYTE_PORT = 0xE8;
    public static final int PORT_WINDOW = 4;
    public static final int IRQ_PORT = 0x2000;
    public static final int IRQ_LINES = 24;
    public static final long IOMEM_BASE = 0xFF00_0000L;
    public static final int IOMEM_SIZE = 0x10000;

    /** Where the interrupt-line ports send their levels. */
    @FunctionalInterface
    public interface IrqLines {
        void setLevel(int line, boolean high);
    }

    private final IrqLines irqs;
    private final byte[] iomem = new byte[IOMEM_SIZE];
    private int scratch;

    /** {@code irqs} may be null: the interrupt-line ports then do nothing. */
    public PcTestdev(IrqLines irqs) {
        this.irqs = irqs;
    }

    /** The scratch register (ports 0xE0-0xE3 and 0xE8-0xEB). */
    public int scratch() {
        return scratch;
    }

    @Override
    public int in(int port, int size) {
        if (port >= SCRATCH_PORT && port < SCRATCH_PORT + PORT_WINDOW
                || port >= SCRATCH_BYTE_PORT && port < SCRATCH_BYTE_PORT + PORT_WINDOW) {
            int shift = (port & 3) * 8;
            return (int) ((scratch & 0xFFFFFFFFL) >>> shift) & mask(size);
        }
        return 0;
    }

    @Override
    public void out(int port, int size, int value) {
        if (port >= SCRATCH_PORT && port < SCRATCH_PORT + PORT_WINDOW
                || port >= SCRATCH_BYTE_PORT && port < SCRATCH_BYTE_PORT + PORT_WINDOW) {
            int shift = (port & 3) * 8;
            int m = (int) (((long) mask(size) << shift) & 0xFFFFFFFFL);
            scratch = (scratch & ~m) | ((value << shift) & m);
        } else if (port >= IRQ_PORT && port < IRQ_PORT + IRQ_LINES && irqs != null) {
            irqs.setLevel(port - IRQ_PORT, (value & 0xFF) != 0);
        }
        // FLUSH_PORT: no guest-visible effect (see the class comment).
    }

    private static int mask(int size) {
        return size >= 4 ? -1 : (1 << (8 * size)) - 1;
    }

    @Override
    public long read(long offset, int size) {
        long v = 0;
        for (int i = 0; i < size && offset + i < IOMEM_SIZE; i++) {
            v |= (iomem[(int) offset + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        for (int i = 0; i < size && offset + i < IOMEM_SIZE; i++) {
            iomem[(int) offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
