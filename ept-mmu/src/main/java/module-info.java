/** Address translation and memory typing: paging walkers, EPT, TLB, MTRR/PAT. Depends on nothing. */
module dev.vmx4j.mmu {
    exports dev.vmx4j.mmu;
    exports dev.vmx4j.mmu.ept;
    exports dev.vmx4j.mmu.memtype;
    exports dev.vmx4j.mmu.paging;
    exports dev.vmx4j.mmu.tlb;

    // Machine snapshots record the walkers' and memory-typing state by reflection (docs/ARCHITECTURE.md "Snapshots").
    opens dev.vmx4j.mmu to dev.vmx4j.core;
    opens dev.vmx4j.mmu.ept to dev.vmx4j.core;
    opens dev.vmx4j.mmu.memtype to dev.vmx4j.core;
    opens dev.vmx4j.mmu.paging to dev.vmx4j.core;
    opens dev.vmx4j.mmu.tlb to dev.vmx4j.core;
}
