package dev.vmx4j.mmu.paging;

/**
 * The register state that controls paging, owned and mutated by the CPU. The walker and the
 * TLB read it; they never write it (except {@link PageWalker#loadPdptes}, which loads the PDPTE
 * registers as the SDM says MOV to CR3/CR0/CR4 does in PAE mode).
 *
 * <p>Setters store raw register values without validation: checking a MOV to CRn for reserved
 * bits (#GP) is the CPU's business. Only {@link #setMaxPhysicalAddressBits} validates, because
 * it is configuration, not guest input.
 */
public final class PagingState {

    // SDM "Control Registers": the bits paging reads.
    public static final long CR0_WP = 1L << 16;
    public static final long CR0_PG = 1L << 31;
    public static final long CR4_PSE = 1L << 4;
    public static final long CR4_PAE = 1L << 5;
    public static final long CR4_PGE = 1L << 7;
    public static final long CR4_LA57 = 1L << 12;
    public static final long CR4_PCIDE = 1L << 17;
    public static final long CR4_SMEP = 1L << 20;
    public static final long CR4_SMAP = 1L << 21;
    public static final long CR4_PKE = 1L << 22;
    public static final long CR4_PKS = 1L << 24;
    // SDM "IA32_EFER MSR".
    public static final long EFER_LME = 1L << 8;
    public static final long EFER_LMA = 1L << 10;
    public static final long EFER_NXE = 1L << 11;
    /** SDM "Paging-Structure Caches" / MOV to CR3: bit 63 of the source asks not to flush. */
    public static final long CR3_PCID_NO_FLUSH = 1L << 63;

    private long cr0;
    private long cr3;
    private long cr4;
    private long efer;
    private final long[] pdpte = new long[4];
    private int pkru;
    private int pkrs;
    private int maxPhysicalAddressBits = 46;
    private boolean pages1GSupported = true;

    public long cr0() {
        return cr0;
    }

    public PagingState setCr0(long value) {
        cr0 = value;
        return this;
    }

    public long cr3() {
        return cr3;
    }

    public PagingState setCr3(long value) {
        cr3 = value;
        return this;
    }

    public long cr4() {
        return cr4;
    }

    public PagingState setCr4(long value) {
        cr4 = value;
        return this;
    }

    public long efer() {
        return efer;
    }

    public PagingState setEfer(long value) {
        efer = value;
        return this;
    }

    /** PDPTE register {@code index} (0..3), used only by PAE paging. */
    public long pdpte(int index) {
        return pdpte[index & 3];
    }

    public PagingState setPdpte(int index, long value) {
        if (index < 0 || index > 3) {
            throw new IllegalArgumentException("PDPTE index " + index + " outside 0..3");
        }
        pdpte[index] = value;
        return this;
    }

    public int pkru() {
        return pkru;
    }

    public PagingState setPkru(int value) {
        pkru = value;
        return this;
    }

    /** The IA32_PKRS MSR (low 32 bits; the high bits are reserved). */
    public int pkrs() {
        return pkrs;
    }

    public PagingState setPkrs(int value) {
        pkrs = value;
        return this;
    }

    /** MAXPHYADDR, CPUID.80000008H:EAX[7:0]. */
    public int maxPhysicalAddressBits() {
        return maxPhysicalAddressBits;
    }

    public PagingState setMaxPhysicalAddressBits(int bits) {
        if (bits < 32 || bits > 52) {
            throw new IllegalArgumentException("maxPhysicalAddressBits " + bits + " outside 32..52");
        }
        maxPhysicalAddressBits = bits;
        return this;
    }

    /** CPUID.80000001H:EDX.Page1GB[bit 26]; when false, PS in a PDPTE is a reserved bit. */
    public boolean pages1GSupported() {
        return pages1GSupported;
    }

    public PagingState setPages1GSupported(boolean supported) {
        pages1GSupported = supported;
        return this;
    }

    /**
     * SDM "Paging Modes and Control Bits": CR0.PG = 0 means no paging; else CR4.PAE = 0 means
     * 32-bit paging; else IA32_EFER.LME = 0 means PAE paging; else CR4.LA57 picks 5-level over
     * 4-level paging.
     */
    public PagingMode mode() {
        if ((cr0 & CR0_PG) == 0) {
            return PagingMode.NONE;
        }
        if ((cr4 & CR4_PAE) == 0) {
            return PagingMode.BITS_32;
        }
        if ((efer & EFER_LME) == 0) {
            return PagingMode.PAE;
        }
        return (cr4 & CR4_LA57) != 0 ? PagingMode.LEVEL_5 : PagingMode.LEVEL_4;
    }

    /**
     * The current PCID: CR3 bits 11:0 when CR4.PCIDE = 1, else 000H (SDM "Process-Context
     * Identifiers (PCIDs)").
     */
    public int pcid() {
        return (cr4 & CR4_PCIDE) != 0 ? (int) (cr3 & 0xFFF) : 0;
    }

    /** Mask of physical-address bits MAXPHYADDR-1:12 (a 4-KByte frame address). */
    public long frameMask() {
        return ((1L << maxPhysicalAddressBits) - 1) & ~0xFFFL;
    }

    /** Copies every field of {@code other} into this state. */
    public PagingState copyFrom(PagingState other) {
        cr0 = other.cr0;
        cr3 = other.cr3;
        cr4 = other.cr4;
        efer = other.efer;
        System.arraycopy(other.pdpte, 0, pdpte, 0, 4);
        pkru = other.pkru;
        pkrs = other.pkrs;
        maxPhysicalAddressBits = other.maxPhysicalAddressBits;
        pages1GSupported = other.pages1GSupported;
        return this;
    }
}
