package dev.vmx4j.core.cpu;

import dev.vmx4j.mmu.PhysicalMemory;
import dev.vmx4j.mmu.paging.PageWalker;
import dev.vmx4j.mmu.paging.PagingMode;
import dev.vmx4j.mmu.paging.PagingState;
import dev.vmx4j.mmu.paging.WalkResult;
import dev.vmx4j.vmx.profile.CpuProfile;

/**
 * The CPU's paging seam bound to the ept-mmu {@link PageWalker}: copies CR0/CR3/CR4/EFER into
 * the walker's {@link PagingState} and turns a faulting walk into #PF with CR2 set (SDM
 * "Page-Fault Exception (#PF)": "CR2 ... contains the linear address that generated the exception").
 */
final class WalkerTranslator implements PageTranslator {

    private final Cpu cpu;
    private final PhysicalMemory memory;
    private final PageWalker walker;
    private final PagingState state = new PagingState();
    private final WalkResult result = new WalkResult();
    private int lastPatIndex;
    /** Under EPT: the stage, and a walker whose paging-structure accesses go through it. */
    private EptStage ept;
    private PageWalker eptWalker;
    private PhysicalMemory eptWalkerMemory;

    WalkerTranslator(Cpu cpu, PhysicalMemory memory, CpuProfile profile) {
        this.cpu = cpu;
        this.memory = memory;
        this.walker = new PageWalker(memory);
        state.setMaxPhysicalAddressBits(profile.maxPhysicalAddressBits());
        // CPUID.80000001H:EDX.Page1GB[bit 26].
        state.setPages1GSupported(profile.hasFeature(0x80000001, 0, 3, 26));
    }

    private void sync() {
        state.setCr0(cpu.cr0).setCr3(cpu.cr3).setCr4(cpu.cr4).setEfer(cpu.efer).setPkru(cpu.pkru);
    }

    /** Routes the guest's paging-structure accesses through {@code stage} (null: straight to memory). */
    void useEpt(EptStage stage) {
        ept = stage;
        if (stage != null && eptWalkerMemory != stage.pagingMemory) {
            eptWalkerMemory = stage.pagingMemory;
            eptWalker = new PageWalker(stage.pagingMemory);
        }
    }

    @Override
    public long translate(long linear, int access) {
        sync();
        PageWalker w = walker;
        EptStage e = ept;
        if (e != null) {
            // SDM "EPT Violations": a guest paging-structure access reports the linear address
            // whose translation it was part of.
            e.walkLinear = linear;
            e.walkLinearValid = true;
            w = eptWalker;
        }
        if (!w.walk(state, linear, access, result)) {
            cpu.mmu.pageFault(linear);
            cpu.cr2 = linear;
            throw CpuException.pf(result.errorCode);
        }
        lastPatIndex = result.patIndex;
        return result.physicalAddress;
    }

    /** The walker of the last {@link #translate} (its entries: {@link TranslationSources}). */
    PageWalker walker() {
        return ept != null ? eptWalker : walker;
    }

    @Override
    public int lastPatIndex() {
        return lastPatIndex;
    }

    @Override
    public boolean lastUserAddress() {
        return result.user;
    }

    @Override
    public boolean lastGlobal() {
        return result.global;
    }

    /**
     * SDM "PDPTE Registers": in PAE paging MOV to CR0/CR3/CR4 loads the four PDPTEs; a present
     * one with reserved bits set is #GP(0). Returns false in that case.
     */
    /** PDPTE register {@code index} (0-3) as last loaded. */
    long pdpte(int index) {
        return state.pdpte(index);
    }

    /** Loads PDPTE register {@code index} directly (VM entry with EPT, snapshots). */
    void setPdpte(int index, long value) {
        state.setPdpte(index, value);
    }

    boolean loadPdptes() {
        sync();
        if (state.mode() != PagingMode.PAE) {
            return true;
        }
        EptStage e = ept;
        if (e != null) {
            // SDM "EPT Violations": PDPTE loads by MOV to CR are paging-structure accesses
            // without a guest-linear address.
            e.walkLinearValid = false;
            return PageWalker.loadPdptes(state, e.pagingMemory);
        }
        return PageWalker.loadPdptes(state, memory);
    }
}
