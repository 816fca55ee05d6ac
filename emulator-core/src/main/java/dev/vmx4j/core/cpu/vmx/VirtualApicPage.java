package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.memory.GuestMemory;

/**
 * The virtual-APIC page of the running guest (SDM "Virtual-APIC Page"): the 4-KByte page at the
 * virtual-APIC address whose layout follows the local APIC's register map. It is ordinary
 * physical memory that the processor reads and writes on the guest's behalf; this class names
 * its registers and the bit layout of the 256-bit VISR, VTMR and VIRR.
 */
final class VirtualApicPage {

    /** SDM "Virtual-APIC Page": register offsets. */
    static final int VTPR = 0x080;
    static final int VPPR = 0x0A0;
    static final int VEOI = 0x0B0;
    static final int VISR = 0x100;
    static final int VIRR = 0x200;
    static final int VICR_LO = 0x300;
    static final int VICR_HI = 0x310;
    static final int SELF_IPI = 0x3F0;

    private final GuestMemory memory;
    /** The virtual-APIC address (4-KByte aligned, checked by VM entry). */
    long base;

    VirtualApicPage(GuestMemory memory) {
        this.memory = memory;
    }

    int read32(int offset) {
        return memory.read32(base + offset);
    }

    void write32(int offset, int value) {
        memory.write32(base + offset, value);
    }

    long read64(int offset) {
        return memory.read64(base + offset);
    }

    void write64(int offset, long value) {
        memory.write64(base + offset, value);
    }

    /** A read of {@code size} (1, 2, 4 or 8) bytes at {@code offset}, zero-extended. */
    long read(int offset, int size) {
        switch (size) {
            case 1:
                return memory.read8(base + offset) & 0xFFL;
            case 2:
                return memory.read16(base + offset) & 0xFFFFL;
            case 4:
                return memory.read32(base + offset) & 0xFFFFFFFFL;
            default:
                return memory.read64(base + offset);
        }
    }

    /** A write of {@code size} (1, 2 or 4) bytes at {@code offset}. */
    void write(int offset, int size, long value) {
        switch (size) {
            case 1:
                memory.write8(base + offset, (int) value);
                break;
            case 2:
                memory.write16(base + offset, (int) value);
                break;
            default:
                memory.write32(base + offset, (int) value);
                break;
        }
    }

    /** VTPR bits 7:0. */
    int vtpr() {
        return read32(VTPR) & 0xFF;
    }

    /** VPPR bits 7:0. */
    int vppr() {
        return read32(VPPR) & 0xFF;
    }

    /**
     * SDM "Virtual-APIC Page": "Bit x of the VISR is at bit position (x &amp; 1FH) at offset
     * (100H | ((x &amp; E0H) &raquo; 1))", the same for the VIRR at 200H.
     */
    private static int wordOffset(int register, int vector) {
        return register | (vector & 0xE0) >>> 1;
    }

    boolean bit(int register, int vector) {
        return (read32(wordOffset(register, vector)) >>> (vector & 0x1F) & 1) != 0;
    }

    void setBit(int register, int vector, boolean on) {
        int off = wordOffset(register, vector);
        int word = read32(off);
        int mask = 1 << (vector & 0x1F);
        write32(off, on ? word | mask : word & ~mask);
    }

    /** ORs {@code bits} into the 32 vectors of {@code register} starting at {@code 32 * index}. */
    void orWord(int register, int index, int bits) {
        int off = register | index << 4;
        write32(off, read32(off) | bits);
    }

    /** The highest vector whose bit is set in {@code register} (VISR or VIRR), or -1 if none. */
    int highest(int register) {
        for (int i = 7; i >= 0; i--) {
            int word = read32(register | i << 4);
            if (word != 0) {
                return i * 32 + 31 - Integer.numberOfLeadingZeros(word);
            }
        }
        return -1;
    }
}
