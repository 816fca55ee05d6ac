package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.mmu.PhysicalMemory;
import dev.vmx4j.mmu.paging.PageWalker;
import dev.vmx4j.mmu.paging.PagingAccess;
import dev.vmx4j.mmu.paging.PagingMode;
import dev.vmx4j.mmu.paging.PagingState;
import dev.vmx4j.mmu.paging.WalkResult;

/**
 * The debugger's view of memory: linear addresses translated through the guest's current paging
 * structures, and physical addresses. A debugger access must not change the guest: the walk
 * runs on a read-only view of memory, so it sets no accessed or dirty flag and raises no #PF,
 * and it ignores CR0.WP, SMAP and protection keys (a debugger reads and writes whatever is
 * mapped). Only RAM is touched: an MMIO or unbacked address is an error, never a device access.
 */
final class DebugMemory {

    private Cpu cpu;
    private final GuestMemory memory;
    private final PageWalker walker;
    private final PagingState state = new PagingState();
    private final WalkResult result = new WalkResult();

    DebugMemory(Machine machine) {
        this.cpu = Cpu.of(machine);
        this.memory = machine.memory();
        this.walker = new PageWalker(new ReadOnly(memory));
        state.setMaxPhysicalAddressBits(machine.profile().maxPhysicalAddressBits());
        state.setPages1GSupported(machine.profile().hasFeature(0x80000001, 0, 3, 26));
    }

    /** Translates through {@code cpu}'s paging from now on (gdb's {@code Hg}). */
    void select(Cpu cpu) {
        this.cpu = cpu;
    }

    /** The physical address of {@code linear} under the current paging, or -1 if it is not mapped. */
    long translate(long linear) {
        state.setCr0(cpu.cr0 & ~PagingState.CR0_WP).setCr3(cpu.cr3).setCr4(cpu.cr4)
                .setEfer(cpu.efer).setPkru(0);
        if (state.mode() == PagingMode.PAE) {
            // MANUAL: the PDPTE registers are not visible to a debugger; they are re-read from the
            // table CR3 locates (the same values unless the guest rewrote it without reloading CR3).
            if (!PageWalker.loadPdptes(state, memory)) {
                return -1;
            }
        }
        if (!walker.walk(state, linear, PagingAccess.AC, result)) {
            return -1;
        }
        return result.physicalAddress;
    }

    /**
     * Reads up to {@code length} bytes at linear {@code address}; stops at the first byte that is
     * not mapped or not RAM. Returns the number of bytes read.
     */
    int readLinear(long address, byte[] dst, int length) {
        int done = 0;
        while (done < length) {
            long lin = address + done;
            long phys = translate(lin);
            int chunk = (int) Math.min(length - done, 4096 - (lin & 0xFFF));
            if (phys < 0 || !isRam(phys, chunk)) {
                break;
            }
            memory.read(phys, dst, done, chunk);
            done += chunk;
        }
        return done;
    }

    /** Writes {@code src} at linear {@code address}; false (nothing written) if any byte is not mapped RAM. */
    boolean writeLinear(long address, byte[] src) {
        long[] phys = new long[(src.length + 4096) / 4096 + 1];
        int n = 0;
        for (int done = 0; done < src.length; ) {
            long lin = address + done;
            int chunk = (int) Math.min(src.length - done, 4096 - (lin & 0xFFF));
            long p = translate(lin);
            if (p < 0 || !isRam(p, chunk)) {
                return false;
            }
            phys[n++] = p;
            done += chunk;
        }
        n = 0;
        for (int done = 0; done < src.length; ) {
            long lin = address + done;
            int chunk = (int) Math.min(src.length - done, 4096 - (lin & 0xFFF));
            memory.write(phys[n++], src, done, chunk);
            done += chunk;
        }
        return true;
    }

    /** Reads physical memory (RAM only); returns the number of bytes read. */
    int readPhysical(long address, byte[] dst, int length) {
        int done = 0;
        while (done < length) {
            long p = address + done;
            int chunk = (int) Math.min(length - done, 4096 - (p & 0xFFF));
            if (!isRam(p, chunk)) {
                break;
            }
            memory.read(p, dst, done, chunk);
            done += chunk;
        }
        return done;
    }

    /** Writes physical memory (RAM only); false (nothing written) if any byte is not RAM. */
    boolean writePhysical(long address, byte[] src) {
        if (src.length > 0 && !(isRam(address, 1) && isRam(address + src.length - 1, 1))) {
            return false;
        }
        for (long p = (address & ~0xFFFL) + 4096; p < address + src.length; p += 4096) {
            if (!isRam(p, 1)) {
                return false;
            }
        }
        memory.write(address, src, 0, src.length);
        return true;
    }

    private boolean isRam(long phys, int length) {
        return phys >= 0 && memory.isRam(phys) && (length <= 1 || memory.isRam(phys + length - 1));
    }

    /** Reads through to guest memory; drops the walker's accessed/dirty writes. */
    static final class ReadOnly implements PhysicalMemory {
        private final PhysicalMemory m;

        ReadOnly(PhysicalMemory m) {
            this.m = m;
        }

        @Override
        public int read8(long address) {
            return m.read8(address);
        }

        @Override
        public int read16(long address) {
            return m.read16(address);
        }

        @Override
        public int read32(long address) {
            return m.read32(address);
        }

        @Override
        public long read64(long address) {
            return m.read64(address);
        }

        @Override
        public void write8(long address, int value) {
        }

        @Override
        public void write16(long address, int value) {
        }

        @Override
        public void write32(long address, int value) {
        }

        @Override
        public void write64(long address, long value) {
        }

        @Override
        public void read(long address, byte[] dst, int offset, int length) {
            m.read(address, dst, offset, length);
        }

        @Override
        public void write(long address, byte[] src, int offset, int length) {
        }
    }
}
