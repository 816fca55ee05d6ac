/** Address translation and memory typing: paging walkers, EPT, TLB, MTRR/PAT. Depends on nothing. */
module dev.vmx4j.mmu {
    exports dev.vmx4j.mmu;
    exports dev.vmx4j.mmu.ept;
    exports dev.vmx4j.mmu.memtype;
    exports dev.vmx4j.mmu.paging;
    exports dev.vmx4j.mmu.tlb;
}
