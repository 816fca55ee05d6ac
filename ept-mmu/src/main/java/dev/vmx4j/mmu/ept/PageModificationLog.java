package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.PhysicalMemory;

/**
 * The architectural page-modification log: a 4-KByte page of 512 guest-physical addresses at
 * the PML address, filled downwards from the PML index (VMCS fields "PML address" and "PML
 * index").
 */
public final class PageModificationLog implements PmlSink {

    private final PhysicalMemory memory;
    private long address;
    private int index;

    /**
     * @param memory  host-physical memory holding the log page
     * @param address the PML address (4-KByte aligned)
     * @param index   the 16-bit PML index
     */
    public PageModificationLog(PhysicalMemory memory, long address, int index) {
        if (memory == null) {
            throw new IllegalArgumentException("memory must not be null");
        }
        this.memory = memory;
        reset(address, index);
    }

    /** Reloads the VMCS values (VM entry). */
    public void reset(long address, int index) {
        if ((address & 0xFFFL) != 0) {
            throw new IllegalArgumentException("PML address must be 4-KByte aligned: 0x" + Long.toHexString(address));
        }
        if (index < 0 || index > 0xFFFF) {
            throw new IllegalArgumentException("PML index must be 0..0xFFFF: " + index);
        }
        this.address = address;
        this.index = index;
    }

    /** The current PML index, to be stored back into the VMCS. */
    public int index() {
        return index;
    }

    @Override
    public boolean isFull() {
        // SDM "Page-Modification Logging": "If the PML index is not in the range 0-511, there is a
        // page-modification log-full event".
        return index > 511;
    }

    @Override
    public void log(long guestPhysicalPage) {
        if (isFull()) {
            throw new IllegalStateException("PML log is full; the walker must check isFull() first");
        }
        // SDM "Page-Modification Logging": the address goes to PML address + 8 * index, bits
        // 11:0 cleared, then the index is decremented (0 becomes FFFFH).
        memory.write64(address + 8L * index, guestPhysicalPage & ~0xFFFL);
        index = (index - 1) & 0xFFFF;
    }
}
