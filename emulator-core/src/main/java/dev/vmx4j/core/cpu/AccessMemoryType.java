package dev.vmx4j.core.cpu;

import dev.vmx4j.mmu.MemoryType;
import dev.vmx4j.mmu.memtype.MemoryTypeCalculator;
import dev.vmx4j.mmu.memtype.Pat;

/**
 * The effective memory type of a data access, as memory listeners hear it: SDM "Selecting
 * Memory Types for Pentium III and More Recent Processor Families" without EPT, and SDM "Memory
 * Type Used for Translated Guest-Physical Addresses" under EPT (the EPT leaf's type in place of
 * the MTRR type, or alone with "ignore PAT"; the MTRRs play no part). Asked right after the
 * access was translated, so the translator's PAT index and the EPT stage's last walk are this
 * access's.
 */
final class AccessMemoryType {

    private AccessMemoryType() {
    }

    static MemoryType of(Cpu c, long physical) {
        // SDM "Cache Control Registers and Bits" / "Memory Type Used for Translated Guest-Physical
        // Addresses": with CR0.CD = 1 the type is UC. MANUAL: vmx4j models no caches, so the
        // no-fill mode is reported as UC.
        if ((c.cr0 & Cpu.CR0_CD) != 0) {
            return MemoryType.UC;
        }
        boolean paging = (c.cr0 & Cpu.CR0_PG) != 0;
        EptStage ept = c.mmu.ept();
        if (ept != null) {
            if (ept.lastIgnorePat()) {
                return ept.lastMemoryType();
            }
            // "... the PAT memory type (WB when guest CR0.PG = 0)".
            MemoryType pat = paging ? Pat.entryOf(c.msrs.get(Msrs.IA32_PAT), c.mmu.translator.lastPatIndex())
                    : MemoryType.WB;
            return MemoryTypeCalculator.effectivePageLevelType(ept.lastMemoryType(), pat);
        }
        MemoryType mtrr = c.mtrrs.typeOf(physical);
        if (!paging) {
            // SDM "PAT": with paging disabled the PAT is not consulted; the MTRRs alone decide.
            return mtrr;
        }
        MemoryType pat = Pat.entryOf(c.msrs.get(Msrs.IA32_PAT), c.mmu.translator.lastPatIndex());
        return MemoryTypeCalculator.effectivePageLevelType(mtrr, pat);
    }
}
