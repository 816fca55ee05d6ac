package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.GuestPdpteCheck.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.mmu.PhysicalMemory;
import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * SDM "Checks on Guest Page-Directory-Pointer-Table Entries": with PAE paging (CR0.PG = 1,
 * CR4.PAE = 1, "IA-32e mode guest" 0) each present PDPTE must have its reserved bits clear;
 * they come from the PDPT at guest CR3 ("enable EPT" 0) or from the guest PDPTE fields (1).
 */
final class PdpteChecks {

    private static final GuestPdpteCheck[] IN_MEMORY = {GUEST_PDPTE0_RESERVED_IN_MEMORY, GUEST_PDPTE1_RESERVED_IN_MEMORY,
        GUEST_PDPTE2_RESERVED_IN_MEMORY, GUEST_PDPTE3_RESERVED_IN_MEMORY};
    private static final GuestPdpteCheck[] FIELD = {GUEST_PDPTE0_FIELD_RESERVED, GUEST_PDPTE1_FIELD_RESERVED,
        GUEST_PDPTE2_FIELD_RESERVED, GUEST_PDPTE3_FIELD_RESERVED};
    private static final VmcsField[] FIELDS = {GUEST_PDPTE0, GUEST_PDPTE1, GUEST_PDPTE2, GUEST_PDPTE3};

    private PdpteChecks() {
    }

    /** SDM "PAE Paging": PDPTE bits 2:1, 8:5 and MAXPHYADDR..63 are reserved. */
    static long reservedMask(int maxPhys) {
        return 0x1E6L | -(1L << maxPhys);
    }

    static boolean run(Run r) {
        long cr0 = r.r(GUEST_CR0);
        long cr4 = r.r(GUEST_CR4);
        if ((cr0 >>> 31 & 1) == 0 || (cr4 >>> 5 & 1) == 0 || r.ia32eGuest()) {
            return false;
        }
        long reserved = reservedMask(r.caps.maxPhys);
        if ((r.secondary() >>> 1 & 1) == 0) {
            PhysicalMemory m = null;
            for (int i = 0; i < 4; i++) {
                m = r.memory(IN_MEMORY[i]);
            }
            if (m == null) {
                return false;
            }
            long pdpt = r.r(GUEST_CR3) & 0xFFFF_FFE0L;
            for (int i = 0; i < 4; i++) {
                long e = m.read64(pdpt + 8L * i);
                if ((e & 1) != 0 && (e & reserved) != 0 && r.fail(IN_MEMORY[i], null, e, e & reserved)) {
                    return true;
                }
            }
            return false;
        }
        // MANUAL: the PDPTE fields (EPT on) fail with qualification 2 too, as PDPTEs that cannot be loaded.
        for (int i = 0; i < 4; i++) {
            long e = r.r(FIELDS[i]);
            if ((e & 1) != 0 && (e & reserved) != 0 && r.fail(FIELD[i], FIELDS[i], e, e & reserved)) {
                return true;
            }
        }
        return false;
    }
}
