package dev.vmx4j.mmu.paging;

import dev.vmx4j.mmu.TestMemory;
/**
 * Builds one translation path in a {@link TestMemory} for tests: each paging-structure level gets
 * its own table at a fixed address, and the caller supplies the flag bits of every entry.
 */
public final class PageTables {

    /** Physical address of the first table; table i sits at TABLE_BASE + i * 4 KiB. */
    public static final long TABLE_BASE = 0x10_0000L;
    /** Where the 32-byte PAE page-directory-pointer table lives. */
    public static final long PAE_PDPT = 0x0F_F000L;

    public static final long P = 1;
    public static final long RW = 2;
    public static final long US = 4;
    public static final long PWT = 8;
    public static final long PCD = 16;
    public static final long A = 32;
    public static final long D = 64;
    public static final long PS = 128;
    public static final long G = 256;
    public static final long XD = 1L << 63;

    private PageTables() {
    }

    /** Sets CR0/CR4/EFER for {@code mode} (keeping other CR4 bits the caller set). */
    public static void enter(PagingState s, PagingMode mode) {
        long cr4 = s.cr4() & ~(PagingState.CR4_PAE | PagingState.CR4_LA57);
        long efer = s.efer() & ~(PagingState.EFER_LME | PagingState.EFER_LMA);
        long cr0 = s.cr0() | PagingState.CR0_PG | 1;
        switch (mode) {
            case NONE:
                cr0 &= ~PagingState.CR0_PG;
                break;
            case BITS_32:
                break;
            case PAE:
                cr4 |= PagingState.CR4_PAE;
                break;
            case LEVEL_4:
                cr4 |= PagingState.CR4_PAE;
                efer |= PagingState.EFER_LME | PagingState.EFER_LMA;
                break;
            case LEVEL_5:
                cr4 |= PagingState.CR4_PAE | PagingState.CR4_LA57;
                efer |= PagingState.EFER_LME | PagingState.EFER_LMA;
                break;
            default:
                throw new IllegalArgumentException(mode.toString());
        }
        s.setCr0(cr0).setCr4(cr4).setEfer(efer);
    }

    /** Number of in-memory entries a 4-KByte translation uses in {@code mode}. */
    public static int levels(PagingMode mode) {
        switch (mode) {
            case NONE:
                return 0;
            case BITS_32:
            case PAE:
                return 2;
            case LEVEL_4:
                return 4;
            default:
                return 5;
        }
    }

    /** Physical address of the entry used at {@code level} (0 = top) for {@code linear}. */
    public static long entryAddress(PagingMode mode, int level, long linear) {
        long table = TABLE_BASE + level * 0x1000L;
        if (mode == PagingMode.BITS_32) {
            int shift = level == 0 ? 22 : 12;
            return table + ((linear >>> shift) & 0x3FF) * 4;
        }
        int levels = levels(mode);
        int shift = 12 + 9 * (levels - 1 - level);
        return table + ((linear >>> shift) & 0x1FF) * 8;
    }

    /**
     * Builds a 4-KByte translation of {@code linear} to {@code frame} in the current mode of
     * {@code s}: entry i (0 = top) gets address bits plus {@code bits[i]}. Sets CR3 (and, for
     * PAE, the PDPT and the PDPTE registers with a present PDPTE).
     */
    public static void map4K(TestMemory mem, PagingState s, long linear, long frame, long... bits) {
        PagingMode mode = s.mode();
        int levels = levels(mode);
        if (bits.length != levels) {
            throw new IllegalArgumentException("need " + levels + " entry flag sets for " + mode);
        }
        if (mode == PagingMode.PAE) {
            s.setCr3(PAE_PDPT);
            long pdpteAddress = PAE_PDPT + ((linear >>> 30) & 3) * 8;
            mem.write64(pdpteAddress, TABLE_BASE | P);
            if (!PageWalker.loadPdptes(s, mem)) {
                throw new IllegalStateException("PDPTE load failed");
            }
        } else {
            s.setCr3((s.cr3() & 0xFFF) | TABLE_BASE);
        }
        for (int level = 0; level < levels; level++) {
            long target = level == levels - 1 ? frame : TABLE_BASE + (level + 1) * 0x1000L;
            long address = entryAddress(mode, level, linear);
            long value = target | bits[level];
            if (mode == PagingMode.BITS_32) {
                mem.write32(address, (int) value);
            } else {
                mem.write64(address, value);
            }
        }
    }

    /** Reads the entry at {@code level} for {@code linear} (sized for the mode). */
    public static long entry(TestMemory mem, PagingMode mode, int level, long linear) {
        long address = entryAddress(mode, level, linear);
        return mode == PagingMode.BITS_32 ? mem.read32(address) & 0xFFFF_FFFFL : mem.read64(address);
    }

    /** Flags array with {@code flags} at every one of {@code levels} levels. */
    public static long[] same(int levels, long flags) {
        long[] bits = new long[levels];
        java.util.Arrays.fill(bits, flags);
        return bits;
    }
}
