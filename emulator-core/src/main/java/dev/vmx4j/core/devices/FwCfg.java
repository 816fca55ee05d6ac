package dev.vmx4j.core.devices;

import dev.vmx4j.core.io.IoDevice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * QEMU's firmware configuration device ("fw_cfg"), traditional I/O interface: a 16-bit write to
 * the selector port 0x510 chooses an item and rewinds its offset; each 1-byte read of the data
 * port 0x511 returns the item's next byte, and 0 past its end or for an item that does not
 * exist. Numeric items are little-endian, as QEMU stores them.
 *
 * <p>Items (the selectors QEMU's x86 machine, its Multiboot path and kvm-unit-tests read):
 * 0x0000 signature "QEMU"; 0x0001 interface ID 1 (traditional interface, no DMA); 0x0002 UUID
 * (16 zero bytes); 0x0003 RAM size (u64, bytes); 0x0005 CPU count (u16); 0x000F maximum CPU
 * count (u16); 0x0019 file directory (a big-endian u32 count of 0: no files). Every other
 * selector, including kvm-unit-tests' 0x0011 "maximum RAM", reads as zeros, which that suite
 * takes as "no limit", exactly as under QEMU (which defines no item 0x0011 on x86).
 *
 * <p>MANUAL: a 2- or 4-byte read of the data port returns that many successive item bytes, the
 * first in the low byte; data-port writes are ignored (QEMU 2.4 and later); a read of the
 * selector port returns 0.
 */
public final class FwCfg implements IoDevice {

    public static final int SELECTOR_PORT = 0x510;
    public static final int DATA_PORT = 0x511;
    public static final int PORT_COUNT = 2;

    public static final int SIGNATURE = 0x0000;
    public static final int ID = 0x0001;
    public static final int UUID = 0x0002;
    public static final int RAM_SIZE = 0x0003;
    public static final int NB_CPUS = 0x0005;
    public static final int MAX_CPUS = 0x000F;
    public static final int FILE_DIR = 0x0019;

    private static final byte[] EMPTY = new byte[0];

    private final byte[][] items = new byte[FILE_DIR + 1][];
    private byte[] current = EMPTY;
    private int offset;

    /**
     * @param ramSize bytes of RAM (item 0x0003), positive
     * @param cpus number of processors (items 0x0005 and 0x000F), 1-255
     */
    public FwCfg(long ramSize, int cpus) {
        if (ramSize <= 0) {
            throw new IllegalArgumentException("ramSize must be positive, was " + ramSize);
        }
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("cpus must be in [1, 255], was " + cpus);
        }
        items[SIGNATURE] = "QEMU".getBytes(StandardCharsets.US_ASCII);
        items[ID] = le(1, 4);
        items[UUID] = new byte[16];
        items[RAM_SIZE] = le(ramSize, 8);
        items[NB_CPUS] = le(cpus, 2);
        items[MAX_CPUS] = le(cpus, 2);
        items[FILE_DIR] = new byte[4]; // big-endian count 0
        select(SIGNATURE);
    }

    private static byte[] le(long v, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] out = new byte[bytes];
        System.arraycopy(b.array(), 0, out, 0, bytes);
        return out;
    }

    private void select(int selector) {
        int key = selector & 0x3FFF; // bits 15 (architecture-local) and 14 (write) are not items here
        current = (selector & 0xC000) == 0 && key < items.length && items[key] != null ? items[key] : EMPTY;
        offset = 0;
    }

    @Override
    public int in(int port, int size) {
        if (port != DATA_PORT) {
            return 0;
        }
        int v = 0;
        for (int i = 0; i < size; i++) {
            int b = offset < current.length ? current[offset++] & 0xFF : 0;
            v |= b << (8 * i);
        }
        return v;
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == SELECTOR_PORT && size >= 2) {
            select(value & 0xFFFF);
        }
    }
}
