package dev.vmx4j.mmu.paging;

import dev.vmx4j.mmu.PhysicalMemory;

/**
 * Translates linear addresses by walking the guest's paging structures in physical memory, for
 * every paging mode of SDM chapter "Paging": none, 32-bit, PAE, 4-level and 5-level.
 *
 * <p>A walk reads the entries top-down, stops at the first entry that is not present or sets a
 * reserved bit, then checks access rights on the complete translation, and only if the access is
 * permitted writes the accessed and dirty flags. It allocates nothing; one walker belongs to one
 * logical processor (it keeps the entries of the current walk in fields, so it is not
 * thread-safe). There is no paging-structure cache: every walk reads memory.
 *
 * <p>Not modelled yet: shadow-stack accesses (CET), HLAT, SGX; a caller must not pass such
 * accesses. Canonicality of the linear address is the caller's check (#GP/#SS, not #PF).
 */
public final class PageWalker {

    // SDM "Paging-Structure Entries" / "Formats of Paging-Structure Entries": common bits.
    static final long P = 1L;
    static final long RW = 1L << 1;
    static final long US = 1L << 2;
    static final long PWT = 1L << 3;
    static final long PCD = 1L << 4;
    static final long A = 1L << 5;
    static final long D = 1L << 6;
    static final long PS = 1L << 7;
    static final long G = 1L << 8;
    /** PAT bit of a PTE that maps a 4-KByte page. */
    static final long PAT_4K = 1L << 7;
    /** PAT bit of an entry that maps a 2-MByte, 4-MByte or 1-GByte page. */
    static final long PAT_LARGE = 1L << 12;
    static final long XD = 1L << 63;

    private static final int OK = 0;
    private static final int NOT_PRESENT = 1;
    private static final int RESERVED = 2;

    private final PhysicalMemory memory;
    // PERF: the entries read by the current walk, kept for the A/D pass; no allocation per walk.
    private final long[] entryAddress = new long[5];
    private final long[] entryValue = new long[5];
    private int entryCount;
    private boolean entries32Bit;

    public PageWalker(PhysicalMemory memory) {
        if (memory == null) {
            throw new IllegalArgumentException("memory must not be null");
        }
        this.memory = memory;
    }

    /**
     * Translates {@code linear} for an access described by {@code access} (bits of
     * {@link PagingAccess}) under the paging state {@code s}, filling {@code out}.
     *
     * @return true if the access is permitted; false if it causes a page fault, in which case
     *     {@code out.faulted} is set and {@code out.errorCode} holds the #PF error code
     */
    public boolean walk(PagingState s, long linear, int access, WalkResult out) {
        out.reset();
        entryCount = 0;
        int status;
        switch (s.mode()) {
            case NONE:
                // SDM "Paging Modes and Control Bits": with CR0.PG = 0, linear addresses are
                // treated as physical addresses (32 bits outside IA-32e mode).
                long pa = linear & 0xFFFF_FFFFL;
                out.physicalAddress = pa;
                out.frameBase = pa & ~0xFFFL;
                out.writable = true;
                out.user = true;
                out.executable = true;
                return true;
            case BITS_32:
                status = walk32(s, linear & 0xFFFF_FFFFL, out);
                break;
            case PAE:
                status = walkPae(s, linear & 0xFFFF_FFFFL, out);
                break;
            case LEVEL_4:
                status = walkIa32e(s, linear, 4, out);
                break;
            default:
                status = walkIa32e(s, linear, 5, out);
                break;
        }
        if (status != OK) {
            // SDM "Page-Fault Exceptions": P = 0 for a not-present entry; P = 1 and RSVD = 1 for
            // a reserved-bit violation. W/R, U/S and I/D describe the access, not the entries.
            int code = accessBits(s, access);
            if (status == RESERVED) {
                code |= PageFaultErrorCode.P | PageFaultErrorCode.RSVD;
            }
            return fault(out, code);
        }
        int code = checkAccess(s, access, out);
        if (code != 0) {
            return fault(out, code);
        }
        setAccessedAndDirty((access & PagingAccess.WRITE) != 0, out);
        return true;
    }

    /**
     * The number of paging-structure entries in memory that the last walk read: valid after a
     * walk that returned true (0 without paging; the PDPTE registers of PAE paging are not in
     * memory and not counted).
     */
    public int entryCount() {
        return entryCount;
    }

    /** The physical address of entry {@code i} (0 = the top level) of the last successful walk. */
    public long entryAddress(int i) {
        return entryAddress[i];
    }

    /**
     * Entry {@code i} of the last successful walk as the walk left it in memory: the value read,
     * with the accessed and dirty flags the walk set.
     */
    public long entryValue(int i) {
        return entryValue[i];
    }

    /** True if the last walk's entries are 32 bits wide (32-bit paging), else 64. */
    public boolean entries32Bit() {
        return entries32Bit;
    }

    private static boolean fault(WalkResult out, int code) {
        out.reset();
        out.faulted = true;
        out.errorCode = code;
        return false;
    }

    private void record(long address, long value) {
        entryAddress[entryCount] = address;
        entryValue[entryCount] = value;
        entryCount++;
    }

    // SDM "4-Level Paging and 5-Level Paging": 9 bits of the linear address per level, from
    // bits 56:48 (PML5E) down to bits 20:12 (PTE); CR3 bits M-1:12 locate the root table.
    private int walkIa32e(PagingState s, long linear, int levels, WalkResult out) {
        entries32Bit = false;
        int m = s.maxPhysicalAddressBits();
        long frameMask = s.frameMask();
        boolean nxe = (s.efer() & PagingState.EFER_NXE) != 0;
        // SDM "Formats of Paging-Structure Entries": bits 51:M are reserved in every entry;
        // bit 63 (XD) is reserved if IA32_EFER.NXE = 0.
        long reservedHigh = (~((1L << m) - 1)) & 0x000F_FFFF_FFFF_FFFFL;
        if (!nxe) {
            reservedHigh |= XD;
        }
        long table = s.cr3() & frameMask;
        long rights = RW | US;
        long xd = 0;
        for (int level = levels; level >= 1; level--) {
            int shift = 12 + 9 * (level - 1);
            long address = table + (((linear >>> shift) & 0x1FF) << 3);
            long e = memory.read64(address);
            record(address, e);
            if ((e & P) == 0) {
                return NOT_PRESENT;
            }
            long size;
            if (level == 1) {
                size = WalkResult.PAGE_4K;
            } else if ((e & PS) == 0) {
                if ((e & reservedHigh) != 0) {
                    return RESERVED;
                }
                rights &= e;
                xd |= e;
                table = e & frameMask;
                continue;
            } else if (level >= 4) {
                // SDM "Formats of Paging-Structure Entries": bit 7 of a PML5E or PML4E is
                // reserved (must be 0).
                return RESERVED;
            } else if (level == 3) {
                // SDM "4-Level Paging and 5-Level Paging": a PDPTE with PS = 1 maps a 1-GByte page
                // only if CPUID.80000001H:EDX.Page1GB [bit 26] = 1; otherwise PS is reserved.
                if (!s.pages1GSupported()) {
                    return RESERVED;
                }
                size = WalkResult.PAGE_1G;
            } else {
                size = WalkResult.PAGE_2M;
            }
            // SDM "Formats of Paging-Structure Entries": bits 29:13 of a 1-GByte PDPTE and bits
            // 20:13 of a 2-MByte PDE are reserved (bit 12 is PAT).
            long reserved = size == WalkResult.PAGE_4K ? reservedHigh : reservedHigh | ((size - 1) & ~0x1FFFL);
            if ((e & reserved) != 0) {
                return RESERVED;
            }
            rights &= e;
            xd |= e;
            long frameBase = e & frameMask & ~(size - 1);
            fillLeaf(s, linear, e, size, frameBase, rights, (xd & XD) == 0, out);
            // SDM "Protection Keys": with 4-level and 5-level paging the protection key of a
            // linear address is bits 62:59 of the entry that maps its page.
            out.protectionKey = (int) ((e >>> 59) & 0xF);
            return OK;
        }
        throw new IllegalStateException("unreachable: walk with " + levels + " levels ended without a leaf");
    }

    // SDM "32-Bit Paging": CR3 bits 31:12 locate the page directory; linear bits 31:22 select a
    // PDE, bits 21:12 a PTE. No XD, no protection keys.
    private int walk32(PagingState s, long linear, WalkResult out) {
        entries32Bit = true;
        long pdeAddress = (s.cr3() & 0xFFFF_F000L) | ((linear >>> 20) & 0xFFC);
        long pde = memory.read32(pdeAddress) & 0xFFFF_FFFFL;
        record(pdeAddress, pde);
        if ((pde & P) == 0) {
            return NOT_PRESENT;
        }
        if ((pde & PS) != 0 && (s.cr4() & PagingState.CR4_PSE) != 0) {
            // SDM "32-Bit Paging" (table "Format of a 32-Bit Page-Directory Entry that Maps a
            // 4-MByte Page"): bits (M-20):13 hold physical-address bits (M-1):32, where M is
            // MAXPHYADDR limited to 40 (PSE-36); bit 21 and bits 20:(M-19) are reserved.
            int m = Math.min(s.maxPhysicalAddressBits(), 40);
            long reserved = ((1L << 22) - 1) & ~((1L << (m - 19)) - 1);
            if ((pde & reserved) != 0) {
                return RESERVED;
            }
            long frameBase = (pde & 0xFFC0_0000L) | (((pde >>> 13) & 0xFF) << 32);
            fillLeaf(s, linear, pde, WalkResult.PAGE_4M, frameBase, pde, true, out);
            return OK;
        }
        // With CR4.PSE = 0, bit 7 of a PDE is ignored and the PDE references a page table.
        long pteAddress = (pde & 0xFFFF_F000L) | ((linear >>> 10) & 0xFFC);
        long pte = memory.read32(pteAddress) & 0xFFFF_FFFFL;
        record(pteAddress, pte);
        if ((pte & P) == 0) {
            return NOT_PRESENT;
        }
        fillLeaf(s, linear, pte, WalkResult.PAGE_4K, pte & 0xFFFF_F000L, pde & pte, true, out);
        return OK;
    }

    // SDM "PAE Paging": linear bits 31:30 select a PDPTE register, bits 29:21 a PDE, bits 20:12
    // a PTE. The PDPTEs do not control access rights and have no accessed flag.
    private int walkPae(PagingState s, long linear, WalkResult out) {
        entries32Bit = false;
        long pdpte = s.pdpte((int) (linear >>> 30) & 3);
        if ((pdpte & P) == 0) {
            return NOT_PRESENT;
        }
        int m = s.maxPhysicalAddressBits();
        long frameMask = s.frameMask();
        boolean nxe = (s.efer() & PagingState.EFER_NXE) != 0;
        // SDM "PAE Paging" (tables "Format of a PAE Page-Directory Entry..."): bits 62:M are
        // reserved; bit 63 (XD) is reserved if IA32_EFER.NXE = 0.
        long reservedHigh = (~((1L << m) - 1)) & ~XD;
        if (!nxe) {
            reservedHigh |= XD;
        }
        long pdeAddress = (pdpte & frameMask) + (((linear >>> 21) & 0x1FF) << 3);
        long pde = memory.read64(pdeAddress);
        record(pdeAddress, pde);
        if ((pde & P) == 0) {
            return NOT_PRESENT;
        }
        if ((pde & PS) != 0) {
            // 2-MByte page: bits 20:13 are reserved as well.
            if ((pde & (reservedHigh | 0x1F_E000L)) != 0) {
                return RESERVED;
            }
            fillLeaf(s, linear, pde, WalkResult.PAGE_2M, pde & frameMask & ~(WalkResult.PAGE_2M - 1),
                    pde, (pde & XD) == 0, out);
            return OK;
        }
        if ((pde & reservedHigh) != 0) {
            return RESERVED;
        }
        long pteAddress = (pde & frameMask) + (((linear >>> 12) & 0x1FF) << 3);
        long pte = memory.read64(pteAddress);
        record(pteAddress, pte);
        if ((pte & P) == 0) {
            return NOT_PRESENT;
        }
        if ((pte & reservedHigh) != 0) {
            return RESERVED;
        }
        fillLeaf(s, linear, pte, WalkResult.PAGE_4K, pte & frameMask, pde & pte, ((pde | pte) & XD) == 0, out);
        return OK;
    }

    private static void fillLeaf(PagingState s, long linear, long leaf, long size, long frameBase,
            long rights, boolean executable, WalkResult out) {
        out.pageSize = size;
        out.frameBase = frameBase;
        out.physicalAddress = frameBase | (linear & (size - 1));
        out.writable = (rights & RW) != 0;
        out.user = (rights & US) != 0;
        out.executable = executable;
        // SDM "Global Pages": a translation is global if G = 1 in the leaf and CR4.PGE = 1.
        out.global = (leaf & G) != 0 && (s.cr4() & PagingState.CR4_PGE) != 0;
        out.dirty = (leaf & D) != 0;
        // SDM "PAT Memory Type": PAT index = 4 * PAT + 2 * PCD + PWT of the leaf entry.
        long patBit = size == WalkResult.PAGE_4K ? PAT_4K : PAT_LARGE;
        out.patIndex = ((leaf & patBit) != 0 ? 4 : 0) | (int) ((leaf >>> 3) & 3);
    }

    // SDM "Accessed and Dirty Flags": "Whenever the processor uses a paging-structure entry as
    // part of linear-address translation, it sets the accessed flag in that entry (if it is not
    // already set). Whenever there is a write to a linear address, the processor sets the dirty
    // flag (if it is not already set) in the paging-structure entry that identifies the final
    // physical address for the linear address."
    // MANUAL: the rule implemented: only a walk that yields a permitted access writes A/D. A walk
    // that faults (not present, reserved bit, access rights) produced no translation that was
    // used, so nothing is written. A flags are set top-down in walk order; the leaf's A and
    // (for a write) D are set by one write of that entry. Each entry is written only if it
    // changes. Real processors may set A in upper levels of a walk that later faults; the SDM
    // does not require it and software cannot rely on it.
    private void setAccessedAndDirty(boolean write, WalkResult out) {
        int leaf = entryCount - 1;
        for (int i = 0; i < entryCount; i++) {
            long e = entryValue[i];
            long updated = e | A;
            if (i == leaf && write) {
                updated |= D;
            }
            // The entry as this walk leaves it in memory (entryValue below).
            entryValue[i] = updated;
            if (updated != e) {
                if (entries32Bit) {
                    memory.write32(entryAddress[i], (int) updated);
                } else {
                    memory.write64(entryAddress[i], updated);
                }
            }
        }
        if (write) {
            out.dirty = true;
        }
    }

    /**
     * The W/R, U/S and I/D bits of a #PF error code for this access.
     *
     * <p>SDM "Page-Fault Exceptions": I/D is 1 only for an instruction fetch when CR4.SMEP = 1 or
     * when CR4.PAE = 1 and IA32_EFER.NXE = 1.
     */
    public static int accessBits(PagingState s, int access) {
        int code = access & PagingAccess.WRITE;
        if (PagingAccess.isUserMode(access)) {
            code |= PageFaultErrorCode.US;
        }
        if ((access & PagingAccess.EXECUTE) != 0
                && ((s.cr4() & PagingState.CR4_SMEP) != 0
                        || ((s.cr4() & PagingState.CR4_PAE) != 0 && (s.efer() & PagingState.EFER_NXE) != 0))) {
            code |= PageFaultErrorCode.ID;
        }
        return code;
    }

    /**
     * Checks the access rights of a complete translation (a walk result or a TLB hit) for one
     * access, per SDM "Access Rights" and "Protection Keys".
     *
     * @return 0 if the access is permitted, else the full #PF error code (P = 1)
     */
    public static int checkAccess(PagingState s, int access, WalkResult t) {
        long cr4 = s.cr4();
        boolean write = (access & PagingAccess.WRITE) != 0;
        boolean fetch = (access & PagingAccess.EXECUTE) != 0;
        boolean userAccess = PagingAccess.isUserMode(access);
        boolean wp = (s.cr0() & PagingState.CR0_WP) != 0;
        boolean denied;
        if (fetch) {
            // SDM "Access Rights": instruction fetches need XD = 0 in every entry when
            // IA32_EFER.NXE = 1 (t.executable); a user-mode fetch needs a user-mode address;
            // SDM "Access Rights" (SMEP): with CR4.SMEP = 1, supervisor-mode fetches from
            // user-mode addresses are not allowed.
            denied = !t.executable
                    || (userAccess ? !t.user : t.user && (cr4 & PagingState.CR4_SMEP) != 0);
        } else if (userAccess) {
            // SDM "Access Rights": user-mode data accesses need a user-mode address; writes
            // need R/W = 1 in every entry, regardless of CR0.WP.
            denied = !t.user || (write && !t.writable);
        } else {
            // SDM "Access Rights": supervisor-mode writes need R/W = 1 everywhere only if
            // CR0.WP = 1.
            denied = write && wp && !t.writable;
            // SDM "Access Rights" (SMAP): with CR4.SMAP = 1, "If EFLAGS.AC = 0 or the access is
            // implicit, data may not be read from [or written to] any user-mode address."
            // MANUAL: we apply the SDM text literally: an implicit supervisor-mode access is
            // refused even at CPL < 3 with AC = 1 (KVM lets AC override at CPL < 3).
            if (t.user && (cr4 & PagingState.CR4_SMAP) != 0
                    && ((access & PagingAccess.AC) == 0 || (access & PagingAccess.IMPLICIT_SUPERVISOR) != 0)) {
                denied = true;
            }
        }
        int code = 0;
        if (!fetch && s.mode().isIa32e()) {
            code = protectionKeyBits(s, t, write, userAccess, wp);
            denied |= code != 0;
        }
        if (!denied) {
            return 0;
        }
        return code | PageFaultErrorCode.P | accessBits(s, access);
    }

    // SDM "Protection Keys": with IA-32e paging, for a user-mode address and CR4.PKE = 1 the
    // key indexes PKRU; for a supervisor-mode address and CR4.PKS = 1 it indexes IA32_PKRS.
    // ADi = 1 forbids all data accesses; WDi = 1 forbids writes by user-mode accesses and, if
    // CR0.WP = 1, by supervisor-mode accesses. Instruction fetches are not affected.
    // SDM "Page-Fault Exceptions": PK is set whenever the key denies the access, whatever else
    // denies it.
    private static int protectionKeyBits(PagingState s, WalkResult t, boolean write, boolean userAccess,
            boolean wp) {
        int pkr;
        if (t.user) {
            if ((s.cr4() & PagingState.CR4_PKE) == 0) {
                return 0;
            }
            pkr = s.pkru();
        } else {
            if ((s.cr4() & PagingState.CR4_PKS) == 0) {
                return 0;
            }
            pkr = s.pkrs();
        }
        int bits = pkr >>> (2 * t.protectionKey);
        boolean accessDisabled = (bits & 1) != 0;
        boolean writeDisabled = (bits & 2) != 0;
        if (accessDisabled || (writeDisabled && write && (userAccess || wp))) {
            return PageFaultErrorCode.PK;
        }
        return 0;
    }

    /**
     * Loads the four PDPTE registers from the 32-byte-aligned table that {@code s.cr3()} bits 31:5
     * locate, as MOV to CR3 (and MOV to CR0/CR4 entering PAE paging) does in PAE mode.
     *
     * @return true if loaded; false if a present PDPTE sets a reserved bit, in which case the
     *     registers are unchanged and the caller raises #GP(0)
     */
    public static boolean loadPdptes(PagingState s, PhysicalMemory memory) {
        return loadPdptes(s, memory, s.cr3());
    }

    /**
     * As {@link #loadPdptes(PagingState, PhysicalMemory)}, from the table located by
     * {@code cr3} (the value being written, before the CPU commits it to {@code s}).
     */
    public static boolean loadPdptes(PagingState s, PhysicalMemory memory, long cr3) {
        // SDM "PDPTE Registers": bits 2:1, 8:5 and 63:MAXPHYADDR of a present PDPTE are reserved;
        // "If any of the PDPTEs sets both the P flag (bit 0) and any reserved bit, the MOV to CR
        // instruction causes a general-protection exception (#GP(0)) and the PDPTEs are not
        // loaded."
        long reserved = 0x1E6L | ~((1L << s.maxPhysicalAddressBits()) - 1);
        long base = cr3 & 0xFFFF_FFE0L;
        long e0 = memory.read64(base);
        long e1 = memory.read64(base + 8);
        long e2 = memory.read64(base + 16);
        long e3 = memory.read64(base + 24);
        if (pdpteInvalid(e0, reserved) || pdpteInvalid(e1, reserved)
                || pdpteInvalid(e2, reserved) || pdpteInvalid(e3, reserved)) {
            return false;
        }
        s.setPdpte(0, e0).setPdpte(1, e1).setPdpte(2, e2).setPdpte(3, e3);
        return true;
    }

    private static boolean pdpteInvalid(long e, long reserved) {
        return (e & P) != 0 && (e & reserved) != 0;
    }
}
