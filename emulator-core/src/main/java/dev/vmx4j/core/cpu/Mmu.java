package dev.vmx4j.core.cpu;

import dev.vmx4j.core.MemoryListener;
import dev.vmx4j.core.memory.GuestMemory;

/**
 * Linear-address accesses: translation (identity with CR0.PG=0, else the {@link PageTranslator}),
 * a software TLB that maps a linear page straight to its host {@code byte[]}, and the slow path
 * for MMIO, unbacked memory and page-crossing accesses.
 *
 * <p>The TLB is two direct-mapped sets of parallel arrays (read, write): tag = linear page
 * number ORed with the context's generation ({@link TlbContext#key}, {@link TlbContext#writeKey},
 * or their global counterparts for a global translation), value = the RAM page array. A write
 * entry is only made for a page that is not marked as holding decoded code, so every write to a
 * code page reaches {@link GuestMemory#pageForWrite} and invalidates the decoded-instruction
 * cache. Supervisor and user accesses have separate banks. The arrays belong to the current
 * {@link TlbContext} (tagged by VPID, PCID and EP4TA, {@link TlbContexts}): VM entry and exit
 * and MOV to CR3 switch contexts instead of flushing, and each invalidating operation drops what
 * SDM "Invalidation of TLBs and Paging-Structure Caches" names (MOV to CR3: the new PCID's
 * non-global entries, none with bit 63 under CR4.PCIDE; INVLPG: the page for the current PCID
 * and its global entries for every PCID; INVPCID by type; MOV to CR0/CR4 and EFER, PKRU and
 * RFLAGS.AC changes: everything of the current VPID or more). A hit stays a tag compare: a
 * non-global hit is the first compare, a global one the second.
 */
final class Mmu {

    // PERF: 16,384 entries per bank cover 64 MiB of linear space (Bochs 2.7 has 1,024 entries,
    // 4 MiB); the index is the low page-number bits. A flush costs the same at any size (a new
    // generation, TlbContext#key), and so does dropping the write entries for a new code page.
    static final int TLB_ENTRIES = 16384;
    private static final int TLB_MASK = TLB_ENTRIES - 1;
    private static final long NO_TAG = TlbContext.NO_TAG;
    /**
     * The array GuestMemory hands out for RAM pages never written (shared by all instances). It
     * is never cached in the read TLB: the first write replaces it with a real page.
     */
    private static final byte[] NEVER_WRITTEN = GuestMemory.withRam(GuestMemory.PAGE_SIZE).pageForRead(0);

    private final Cpu cpu;
    private final GuestMemory mem;
    final boolean tlbEnabled;
    PageTranslator translator;
    /**
     * The EPT stage while VMX non-root operation runs with "enable EPT" = 1, else null. Every
     * cached entry holds a combined (linear to host-physical) translation, so the caches are
     * flushed whenever it changes ({@link #setEpt}).
     */
    private EptStage ept;

    // PERF: two banks, supervisor (first half) and user (second half), so a CPL change between
    // 0-2 and 3 switches banks instead of flushing (system calls keep their translations).
    // The arrays are the current TlbContext's (copied into fields so the hot path reads one
    // field, as before tagging); selectContext swaps them.
    private final TlbContexts contexts = new TlbContexts();
    /** The current context's generations, ORed into the read and write tags (refreshed by {@link #keys}). */
    private long readKey;
    private long writeKey;
    private long globalReadKey;
    private long globalWriteKey;
    private long[] readTag;
    private byte[][] readPage;
    private long[] writeTag;
    private byte[][] writePage;
    static final int FETCH_ENTRIES = 64;
    private long[] fetchTag;
    private long[] fetchFrame;
    private boolean[] fetchGlobal;
    /** The current context's record of what its translations were derived from. */
    private TranslationSources sources;
    /** Whether the last {@link #translate} gave a global translation (SDM "Global Pages"). */
    private boolean lastGlobal;
    /** 0 for the supervisor bank, 1 for the user bank (set by the CPU when CPL crosses 3). */
    private int bank;
    private int dataBase;
    private int fetchBase;

    void selectBank(boolean user) {
        // The current code page was reached through the other bank's fetch permissions.
        cpu.codePage = null;
        bank = user ? 1 : 0;
        dataBase = bank * TLB_ENTRIES;
        fetchBase = bank * FETCH_ENTRIES;
    }

    Mmu(Cpu cpu, GuestMemory mem, boolean tlbEnabled, PageTranslator translator) {
        this.cpu = cpu;
        this.mem = mem;
        this.tlbEnabled = tlbEnabled;
        this.translator = translator;
        use(contexts.current());
        flush();
    }

    /**
     * The tag of the current context: state (snapshots record it), while the contexts are a cache.
     * {@link #flush} (which a snapshot restore calls) selects the context of this tag again.
     */
    private int contextVpid;
    private long contextEp4ta = TlbContext.NO_EPT;

    /** The current PCID: CR3[11:0] with CR4.PCIDE = 1, else 000H (SDM "Process-Context Identifiers"). */
    private int currentPcid() {
        return (cpu.cr4 & Cpu.CR4_PCIDE) != 0 ? (int) cpu.cr3 & 0xFFF : 0;
    }

    /** Makes the context of the current tag (VPID, CR3's PCID, EP4TA) the one the hot path uses. */
    private void reselect() {
        use(contexts.select(contextVpid, currentPcid(), contextEp4ta));
    }

    /** Drops every cached translation of every context (API state changes, reset, the debugger, restores). */
    void flush() {
        cpu.codePage = null;
        contexts.flushAll();
        reselect();
    }

    /**
     * SDM "Invalidation of TLBs and Paging-Structure Caches": MOV to CR0 and CR4 (and PKRU, whose
     * rights the entries embody) invalidate the mappings of the current VPID: all PCIDs, global
     * ones included, all EP4TAs (more than some changes require; the SDM allows more). The
     * current PCID may have changed (CR4.PCIDE cleared).
     */
    void flushCurrentVpid() {
        cpu.codePage = null;
        contexts.flushVpid(contextVpid);
        reselect();
    }

    /**
     * MOV to CR3, after CR3 holds {@code source} without bit 63. SDM "Operations that Invalidate
     * TLBs and Paging-Structure Caches": with CR4.PCIDE = 0 the non-global entries of PCID 000H
     * go; with CR4.PCIDE = 1 those of the new PCID unless bit 63 of the source is 1, when none
     * go. Other PCIDs keep theirs. In VMX non-root operation: the current VPID, every EP4TA.
     */
    void movToCr3(long source) {
        cpu.codePage = null;
        if ((cpu.cr4 & Cpu.CR4_PCIDE) == 0 || source >= 0) {
            contexts.flushPcidNonGlobal(contextVpid, currentPcid());
        }
        reselect();
    }

    /**
     * INVLPG: the current PCID's entries for the page holding {@code linear} and the page's
     * global entries under every PCID (SDM "INVLPG": "regardless of PCID"), current VPID, every EP4TA.
     */
    void flushPage(long linear) {
        cpu.codePage = null;
        contexts.flushPageForPcid(contextVpid, currentPcid(), linear, true);
    }

    /**
     * SDM "Operations that Invalidate TLBs and Paging-Structure Caches": a page fault invalidates
     * the entries for the faulting address for the current PCID (MANUAL: global ones included).
     */
    void pageFault(long linear) {
        cpu.codePage = null;
        contexts.flushPageForPcid(contextVpid, currentPcid(), linear, false);
    }

    /**
     * INVPCID of {@code type} (checked: 0-3) with descriptor PCID {@code pcid} and address
     * {@code linear}. SDM "INVPCID": 0 the non-global mappings of the address for that PCID; 1
     * all non-global mappings of that PCID; 2 everything, globals included; 3 every non-global
     * mapping. Current VPID, every EP4TA.
     */
    void invpcid(int type, int pcid, long linear) {
        cpu.codePage = null;
        switch (type) {
            case 0 -> contexts.flushPageNonGlobal(contextVpid, pcid, linear);
            case 1 -> contexts.flushPcidNonGlobal(contextVpid, pcid);
            case 2 -> contexts.flushVpid(contextVpid);
            default -> contexts.flushVpidNonGlobal(contextVpid);
        }
        reselect();
    }

    /**
     * A physical frame now holds decoded code: its writes must reach GuestMemory. PERF: drops
     * every write entry of every context (a new generation) rather than searching the large
     * arrays for the frame; the next write to each page refills its entry through a walk.
     */
    void dropWritesToFrame(long frame) {
        contexts.dropWrites();
        reselect();
    }

    /**
     * Makes the mappings tagged ({@code vpid}, {@code ep4ta}) current: VM entry (the guest's
     * VPID, or 0 without "enable VPID"; the EPTP's EP4TA with "enable EPT", else
     * {@link TlbContext#NO_EPT}) and VM exit (0, NO_EPT). The current code page is dropped: it
     * was reached through the other context's translations.
     */
    void selectContext(int vpid, long ep4ta) {
        cpu.codePage = null;
        contextVpid = vpid;
        contextEp4ta = ep4ta;
        reselect();
    }

    /**
     * VM entry and VM exit: makes the mappings tagged ({@code vpid}, {@code ep4ta}) current; with
     * {@code invalidateVpid0} (the transition's "enable VPID" is 0, so {@code vpid} is 0000H) the
     * mappings of VPID 0000H are invalidated first (SDM "VPID", "Invalidation of TLBs and
     * Paging-Structure Caches").
     *
     * <p>PERF: the context about to be used is kept when its {@link TranslationSources} show that
     * every translation it caches would be derived again, identically and without a write, by a
     * walk under the state just loaded: dropping it could not be observed (the proof is in
     * {@link TranslationSources}). Without "enable VPID" a VM exit to a host that shares the
     * guest's paging then costs neither a new generation nor the host's and guest's walks. Every
     * other context of VPID 0000H (other PCIDs, combined mappings) is flushed.
     */
    void transition(int vpid, long ep4ta, boolean invalidateVpid0) {
        if (!invalidateVpid0) {
            selectContext(vpid, ep4ta);
            return;
        }
        TlbContext before = contexts.current();
        DecodeCache.CodePage code = cpu.codePage;
        TlbContext kept = ep4ta == TlbContext.NO_EPT ? contexts.existing(0, currentPcid(), ep4ta) : null;
        if (kept != null && !kept.sources.unchanged(cpu, translator, mem)) {
            kept = null;
        }
        contexts.flushVpidExcept(0, kept);
        selectContext(vpid, ep4ta);
        if (kept != null && kept == before && contexts.current() == kept) {
            // PERF: the context in use stays, unflushed: the current code page was reached through
            // one of its translations (selecting a context and every flush drop the code page, so
            // one that is set was fetched through this context since its last flush, and its walk
            // is in the record just found current), so a fetch now would find the same frame. The
            // fetch fast path still compares the page, the mode, CR0 and CR3 before using it, and
            // the user/supervisor bank switch ahead of this (Cpu.updateAlignmentCheck) drops it.
            cpu.codePage = code;
        }
    }

    /** The context the hot path uses (for tests). */
    TlbContext currentContext() {
        return contexts.current();
    }

    /** VMFUNC EPTP switching: the mappings of the current VPID under the new EP4TA. */
    void switchEp4ta(long ep4ta) {
        selectContext(contextVpid, ep4ta);
    }

    /** INVVPID individual-address: the mappings of {@code vpid} for the page holding {@code linear}. */
    void invalidateVpidPage(int vpid, long linear) {
        cpu.codePage = null;
        contexts.flushPage(vpid, linear);
    }

    /** INVVPID single-context: every mapping of {@code vpid}. */
    void invalidateVpid(int vpid) {
        cpu.codePage = null;
        contexts.flushVpid(vpid);
        reselect();
    }

    /** INVVPID single-context retaining globals: the non-global mappings of {@code vpid}. */
    void invalidateVpidNonGlobal(int vpid) {
        cpu.codePage = null;
        contexts.flushVpidNonGlobal(vpid);
        reselect();
    }

    /** INVVPID all-context: every VPID but 0000H. */
    void invalidateAllVpids() {
        cpu.codePage = null;
        contexts.flushAllButVpid0();
        reselect();
    }

    /** INVEPT single-context: the combined mappings derived from {@code ep4ta}. */
    void invalidateEp4ta(long ep4ta) {
        cpu.codePage = null;
        contexts.flushEp4ta(ep4ta);
        reselect();
    }

    /** INVEPT all-context: the combined mappings of every EP4TA. */
    void invalidateAllEp4tas() {
        cpu.codePage = null;
        contexts.flushAllEpt();
        reselect();
    }

    private void keys(TlbContext c) {
        readKey = c.key;
        writeKey = c.writeKey;
        globalReadKey = c.globalKey;
        globalWriteKey = c.globalWriteKey;
    }

    private void use(TlbContext c) {
        keys(c);
        sources = c.sources;
        readTag = c.readTag;
        readPage = c.readPage;
        writeTag = c.writeTag;
        writePage = c.writePage;
        fetchTag = c.fetchTag;
        fetchFrame = c.fetchFrame;
        fetchGlobal = c.fetchGlobal;
    }

    /**
     * Turns the EPT stage on ({@code stage} non-null) or off. The cached translations stay: VM
     * entry and exit select the context they belong to ({@link #selectContext}).
     */
    void setEpt(EptStage stage) {
        ept = stage;
        if (translator instanceof WalkerTranslator) {
            ((WalkerTranslator) translator).useEpt(stage);
        }
        cpu.codePage = null;
    }

    EptStage ept() {
        return ept;
    }

    private EptStage eptStage;

    /** This processor's EPT stage, made on the first VM entry with EPT. */
    EptStage eptStage(long eptVpidCap, int maxPhysicalAddressBits) {
        if (eptStage == null) {
            eptStage = new EptStage(cpu, mem, eptVpidCap, maxPhysicalAddressBits);
        }
        return eptStage;
    }

    EptStage eptStageIfCreated() {
        return eptStage;
    }

    /**
     * The frame number of the APIC-access page while the VMX unit virtualizes it, else -1. An
     * access whose (host-)physical address lies on it goes to the VMX unit and is never cached
     * (SDM "Virtualizing Memory-Mapped APIC Accesses").
     */
    private long apicAccessFrame = -1;

    /** True while an APIC-access page is virtualized (VMX non-root operation only). */
    boolean virtualizesApicAccesses() {
        return apicAccessFrame >= 0;
    }

    /**
     * SDM "Issues Pertaining to Page Size and TLB Management": no cached translation may keep
     * the APIC-access page as RAM. While a frame is set no entry for it is ever made (the fill
     * paths test it), so setting one flushes every context (a new generation each, cheap);
     * clearing it (VM exit) drops nothing.
     */
    void setApicAccessFrame(long frame) {
        apicAccessFrame = frame;
        cpu.codePage = null;
        if (frame >= 0) {
            contexts.flushAll();
            reselect();
        }
    }

    /** The APIC-access page's frame number while "virtualize APIC accesses" is 1, else -1. */
    long apicAccessFrame() {
        return apicAccessFrame;
    }

    /** An instruction fetch from the APIC-access page is an APIC-access VM exit (access type 2). */
    private long checkFetch(long phys) {
        if ((phys >>> 12) == apicAccessFrame) {
            throw cpu.vmx.apicAccessExit((int) phys & 0xFFF, 2);
        }
        return phys;
    }

    /** A page-crossing access that touches the APIC-access page is never virtualized. */
    private void checkCrossing(long phys, long physHigh, boolean write) {
        if ((phys >>> 12) == apicAccessFrame) {
            throw cpu.vmx.apicAccessExit((int) phys & 0xFFF, write ? 1 : 0);
        }
        if ((physHigh >>> 12) == apicAccessFrame) {
            throw cpu.vmx.apicAccessExit(0, write ? 1 : 0);
        }
    }

    /** Linear to physical for one byte; throws #PF (and, under EPT, the EPT VM exits). */
    long translate(long linear, int access) {
        long gpa;
        if ((cpu.cr0 & Cpu.CR0_PG) == 0) {
            // SDM "Paging Modes and Control Bits": with paging off, the linear address is the physical address (32 bits).
            gpa = linear & 0xFFFFFFFFL;
            lastGlobal = false;
        } else {
            gpa = translator.translate(linear, access);
            lastGlobal = translator.lastGlobal();
        }
        EptStage e = ept;
        if (e == null) {
            if (sources.tracked) {
                sources.note(cpu, translator, lastGlobal, mem);
            }
            return gpa;
        }
        sources.abandon();
        // SDM "Guest-Physical Address Translation": with EPT, the physical address is a guest-physical one.
        // SDM "EPT Violations" (mode-based execute control): a user-mode linear address has U/S = 1
        // in every guest paging-structure entry. MANUAL: with CR0.PG = 0 every address is supervisor-mode.
        return e.translate(gpa, linear, access, (cpu.cr0 & Cpu.CR0_PG) != 0 && translator.lastUserAddress());
    }

    /** Translation for an instruction fetch, through a small fetch TLB (frame only; code bytes come from the decode cache). */
    long translateFetch(long linear, int access) {
        if (!tlbEnabled || ((cpu.cr0 & Cpu.CR0_PG) == 0 && ept == null)) {
            return checkFetch(translate(linear, access));
        }
        long vpn = linear >>> 12;
        int i = fetchBase + ((int) vpn & (FETCH_ENTRIES - 1));
        if (fetchTag[i] == vpn) {
            return fetchFrame[i] | (linear & 0xFFF);
        }
        long p = checkFetch(translate(linear, access));
        fetchTag[i] = vpn;
        fetchFrame[i] = p & ~0xFFFL;
        fetchGlobal[i] = lastGlobal;
        return p;
    }

    /**
     * A TLB entry is made only for an access whose user/supervisor kind matches the current
     * CPL, so an implicit supervisor access at CPL 3 never leaves an entry a user access could hit,
     * and only for a canonical linear page, so a hit implies SDM "Canonical Addressing" for every
     * access within the page ({@link #read64}, {@link #write64}).
     */
    private boolean mayFill(int access, long linear) {
        return tlbEnabled && (access & PageTranslator.USER) == (cpu.userAccess & PageTranslator.USER)
                && Cpu.canonical(linear);
    }

    /**
     * The RAM page the read TLB maps {@code linear}'s page to for the current bank, or null on a
     * miss (nothing is walked or filled). For bulk string iterations ({@link StringRun}), which run
     * only while no memory listener is registered ({@link RunConditions#quiet}).
     */
    byte[] cachedReadPage(long linear) {
        return readHit(linear, 1);
    }

    /** As {@link #cachedReadPage}, for writes (never a page holding decoded code). */
    byte[] cachedWritePage(long linear) {
        return writeHit(linear, 1);
    }

    // ---------------------------------------------------------------- reads

    long read(long linear, int size, int access) {
        byte[] p = readHit(linear, size);
        return p != null ? load(p, (int) linear & 0xFFF, size) : readSlow(linear, size, access);
    }

    /**
     * The RAM page a read of {@code size} bytes at {@code linear} hits in the read TLB, or null
     * (a miss, an access crossing the page end, memory listeners present, the TLB off).
     */
    byte[] readHit(long linear, int size) {
        int off = (int) linear & 0xFFF;
        if (tlbEnabled && off <= 4096 - size && cpu.memListeners == null) {
            long vpn = linear >>> 12;
            int i = dataBase + ((int) vpn & TLB_MASK);
            long t = readTag[i];
            if (t == (vpn | readKey) || t == (vpn | globalReadKey)) {
                return readPage[i];
            }
        }
        return null;
    }

    /**
     * A data read of segment {@code s} in 64-bit mode at {@code linear} (the offset plus the FS or
     * GS base, not yet checked), for {@code Cpu.readMem} when no #AC or data-breakpoint check is
     * due. SDM "Canonical Addressing": a hit is an access within one page the TLB holds, so
     * canonical ({@link #mayFill}); a miss (also any page-crossing access) is checked here.
     */
    long read64(int s, long linear, int size, int access) {
        byte[] p = readHit(linear, size);
        if (p != null) {
            return load(p, (int) linear & 0xFFF, size);
        }
        checkCanonical(s, linear, size);
        return readSlow(linear, size, access);
    }

    /**
     * SDM "Canonical Addressing": a reference whose first or last byte is not canonical raises
     * #SS(0) through SS, #GP(0) through any other segment (as {@code Cpu.linear}).
     */
    private static void checkCanonical(int s, long linear, int size) {
        if (!Cpu.canonical(linear) || !Cpu.canonical(linear + size - 1)) {
            throw s == Cpu.SEG_SS ? CpuException.ss(0) : CpuException.gp(0);
        }
    }

    static long load(byte[] p, int off, int size) {
        switch (size) {
            case 1:
                return p[off] & 0xFFL;
            case 2:
                return (short) GuestMemory.LE16.get(p, off) & 0xFFFFL;
            case 4:
                return (int) GuestMemory.LE32.get(p, off) & 0xFFFFFFFFL;
            default:
                return (long) GuestMemory.LE64.get(p, off);
        }
    }

    private long readSlow(long linear, int size, int access) {
        int off = (int) linear & 0xFFF;
        long value;
        long phys;
        if (off > 4096 - size) {
            // SDM "Alignment": a page-crossing access is two accesses; both pages must translate.
            phys = translate(linear, access);
            int first = 4096 - off;
            long physHigh = translate(linear + first, access);
            checkCrossing(phys, physHigh, false);
            value = 0;
            for (int k = 0; k < first; k++) {
                value |= (long) mem.read8(phys + k) << (8 * k);
            }
            for (int k = first; k < size; k++) {
                value |= (long) mem.read8(physHigh + k - first) << (8 * k);
            }
        } else {
            phys = translate(linear, access);
            byte[] p = (phys >>> 12) == apicAccessFrame ? null : mem.pageForRead(phys);
            if (p != null) {
                if (p != NEVER_WRITTEN && mayFill(access, linear)) {
                    int i = dataBase + ((int) (linear >>> 12) & TLB_MASK);
                    readTag[i] = (linear >>> 12) | (lastGlobal ? globalReadKey : readKey);
                    readPage[i] = p;
                }
                value = load(p, off, size);
            } else if ((phys >>> 12) == apicAccessFrame) {
                value = cpu.vmx.apicAccessRead((int) phys & 0xFFF, size);
            } else {
                value = physRead(phys, size);
            }
        }
        MemoryListener[] ls = cpu.memListeners;
        if (ls != null) {
            cpu.notifyMemory(ls, linear, phys, size, false, value);
        }
        return value;
    }

    /** MMIO or unbacked memory: an access to a device (the APIC, the I/O APIC) may change the interrupt controller's output. */
    private long physRead(long phys, int size) {
        cpu.pending.controllerChanged();
        switch (size) {
            case 1:
                return mem.read8(phys) & 0xFFL;
            case 2:
                return mem.read16(phys) & 0xFFFFL;
            case 4:
                return mem.read32(phys) & 0xFFFFFFFFL;
            default:
                return mem.read64(phys);
        }
    }

    // ---------------------------------------------------------------- writes

    void write(long linear, int size, long value, int access) {
        byte[] p = writeHit(linear, size);
        if (p != null) {
            store(p, (int) linear & 0xFFF, size, value);
            return;
        }
        writeSlow(linear, size, value, access | PageTranslator.WRITE);
    }

    /** As {@link #readHit}, in the write TLB (which never maps a page holding decoded code). */
    byte[] writeHit(long linear, int size) {
        int off = (int) linear & 0xFFF;
        if (tlbEnabled && off <= 4096 - size && cpu.memListeners == null) {
            long vpn = linear >>> 12;
            int i = dataBase + ((int) vpn & TLB_MASK);
            long t = writeTag[i];
            if (t == (vpn | writeKey) || t == (vpn | globalWriteKey)) {
                return writePage[i];
            }
        }
        return null;
    }

    /** As {@link #read64}, for {@code Cpu.writeMem}. */
    void write64(int s, long linear, int size, long value, int access) {
        byte[] p = writeHit(linear, size);
        if (p != null) {
            store(p, (int) linear & 0xFFF, size, value);
            return;
        }
        checkCanonical(s, linear, size);
        writeSlow(linear, size, value, access | PageTranslator.WRITE);
    }

    static void store(byte[] p, int off, int size, long value) {
        switch (size) {
            case 1:
                p[off] = (byte) value;
                break;
            case 2:
                GuestMemory.LE16.set(p, off, (short) value);
                break;
            case 4:
                GuestMemory.LE32.set(p, off, (int) value);
                break;
            default:
                GuestMemory.LE64.set(p, off, value);
                break;
        }
    }

    private void writeSlow(long linear, int size, long value, int access) {
        int off = (int) linear & 0xFFF;
        long phys;
        if (off > 4096 - size) {
            // Both pages are translated before any byte is written, so a #PF on the second
            // page leaves memory unchanged.
            phys = translate(linear, access);
            int first = 4096 - off;
            long physHigh = translate(linear + first, access);
            checkCrossing(phys, physHigh, true);
            for (int k = 0; k < first; k++) {
                mem.write8(phys + k, (int) (value >>> (8 * k)));
            }
            for (int k = first; k < size; k++) {
                mem.write8(physHigh + k - first, (int) (value >>> (8 * k)));
            }
        } else {
            phys = translate(linear, access);
            byte[] p = (phys >>> 12) == apicAccessFrame ? null : mem.pageForWrite(phys);
            if ((phys >>> 12) == apicAccessFrame) {
                cpu.vmx.apicAccessWrite((int) phys & 0xFFF, size, value);
            } else if (p != null) {
                // pageForWrite cleared any code mark (and told the decode cache), so caching is safe.
                if (mayFill(access, linear)) {
                    int i = dataBase + ((int) (linear >>> 12) & TLB_MASK);
                    writeTag[i] = (linear >>> 12) | (lastGlobal ? globalWriteKey : writeKey);
                    writePage[i] = p;
                }
                store(p, off, size, value);
            } else {
                physWrite(phys, size, value);
            }
        }
        MemoryListener[] ls = cpu.memListeners;
        if (ls != null) {
            cpu.notifyMemory(ls, linear, phys, size, true, value);
        }
    }

    private void physWrite(long phys, int size, long value) {
        cpu.pending.controllerChanged();
        switch (size) {
            case 1:
                mem.write8(phys, (int) value);
                break;
            case 2:
                mem.write16(phys, (int) value);
                break;
            case 4:
                mem.write32(phys, (int) value);
                break;
            default:
                mem.write64(phys, value);
                break;
        }
    }

    /** Checks that a write of {@code size} bytes at {@code linear} would translate, without writing. */
    void probeWrite(long linear, int size, int access) {
        translate(linear, access | PageTranslator.WRITE);
        if (((linear & 0xFFF) + size) > 4096) {
            translate(linear + size - 1, access | PageTranslator.WRITE);
        }
    }
}
