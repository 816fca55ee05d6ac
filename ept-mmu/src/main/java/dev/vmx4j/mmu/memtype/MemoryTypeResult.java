package dev.vmx4j.mmu.memtype;

import dev.vmx4j.mmu.MemoryType;

/**
 * Which memory type an access gets, and why.
 *
 * @param type      the effective memory type
 * @param rule      the rule applied
 * @param mtrr      the MTRR lookup (without EPT), or {@code null} with EPT or CR0.CD = 1
 * @param patIndex  the PAT entry index 0..7, or -1 when paging is off
 * @param patType   the type of that PAT entry (WB when paging is off), or {@code null} when not consulted
 * @param eptType   the EPT leaf entry's memory type, or {@code null} without EPT
 * @param ignorePat the EPT leaf entry's IPAT bit (false without EPT)
 */
public record MemoryTypeResult(MemoryType type, MemoryTypeRule rule, MtrrMatch mtrr, int patIndex,
                               MemoryType patType, MemoryType eptType, boolean ignorePat) {

    public MemoryTypeResult {
        if (type == null || rule == null) {
            throw new IllegalArgumentException("type and rule must not be null");
        }
    }

    /** One line: the type, the rule and its inputs. */
    public String explain() {
        StringBuilder sb = new StringBuilder().append(type).append(" by ").append(rule)
                .append(" (SDM \"").append(rule.sdmSection()).append("\")");
        if (mtrr != null) {
            sb.append("; MTRR ").append(mtrr.type()).append(" via ").append(mtrr.rule());
            if (mtrr.fixedRangeIndex() >= 0) {
                sb.append(" fixed range ").append(mtrr.fixedRangeIndex());
            }
            if (mtrr.variableIndex() >= 0) {
                sb.append(" variable range ").append(mtrr.variableIndex());
            }
        }
        if (eptType != null) {
            sb.append("; EPT ").append(eptType).append(ignorePat ? " IPAT=1" : " IPAT=0");
        }
        if (patType != null) {
            sb.append("; PAT");
            if (patIndex >= 0) {
                sb.append(" entry ").append(patIndex);
            }
            sb.append(' ').append(patType);
        }
        return sb.toString();
    }
}
