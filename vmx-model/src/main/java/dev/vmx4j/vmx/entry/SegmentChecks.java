package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.GuestSegmentCheck.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * SDM "Checks on Guest Segment Registers", in SDM order: selectors, bases, limits, access
 * rights (virtual-8086 mode, then each access-rights bullet for CS, SS, DS, ES, FS, GS), TR, LDTR.
 */
final class SegmentChecks {

    /** Index order of the per-register tables: CS, SS, DS, ES, FS, GS. */
    private static final VmcsField[] SEL = {GUEST_CS_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR, GUEST_ES_SELECTOR,
        GUEST_FS_SELECTOR, GUEST_GS_SELECTOR};
    private static final VmcsField[] BASE = {GUEST_CS_BASE, GUEST_SS_BASE, GUEST_DS_BASE, GUEST_ES_BASE, GUEST_FS_BASE,
        GUEST_GS_BASE};
    private static final VmcsField[] LIMIT = {GUEST_CS_LIMIT, GUEST_SS_LIMIT, GUEST_DS_LIMIT, GUEST_ES_LIMIT,
        GUEST_FS_LIMIT, GUEST_GS_LIMIT};
    private static final VmcsField[] AR = {GUEST_CS_ACCESS_RIGHTS, GUEST_SS_ACCESS_RIGHTS, GUEST_DS_ACCESS_RIGHTS,
        GUEST_ES_ACCESS_RIGHTS, GUEST_FS_ACCESS_RIGHTS, GUEST_GS_ACCESS_RIGHTS};
    private static final GuestSegmentCheck[] V86_BASE = {GUEST_CS_BASE_NOT_SELECTOR_TIMES_16,
        GUEST_SS_BASE_NOT_SELECTOR_TIMES_16, GUEST_DS_BASE_NOT_SELECTOR_TIMES_16, GUEST_ES_BASE_NOT_SELECTOR_TIMES_16,
        GUEST_FS_BASE_NOT_SELECTOR_TIMES_16, GUEST_GS_BASE_NOT_SELECTOR_TIMES_16};
    private static final GuestSegmentCheck[] V86_LIMIT = {GUEST_CS_LIMIT_NOT_FFFF, GUEST_SS_LIMIT_NOT_FFFF,
        GUEST_DS_LIMIT_NOT_FFFF, GUEST_ES_LIMIT_NOT_FFFF, GUEST_FS_LIMIT_NOT_FFFF, GUEST_GS_LIMIT_NOT_FFFF};
    private static final GuestSegmentCheck[] V86_AR = {GUEST_CS_ACCESS_RIGHTS_NOT_F3, GUEST_SS_ACCESS_RIGHTS_NOT_F3,
        GUEST_DS_ACCESS_RIGHTS_NOT_F3, GUEST_ES_ACCESS_RIGHTS_NOT_F3, GUEST_FS_ACCESS_RIGHTS_NOT_F3,
        GUEST_GS_ACCESS_RIGHTS_NOT_F3};
    private static final GuestSegmentCheck[] NOT_ACCESSED = {null, null, GUEST_DS_TYPE_NOT_ACCESSED,
        GUEST_ES_TYPE_NOT_ACCESSED, GUEST_FS_TYPE_NOT_ACCESSED, GUEST_GS_TYPE_NOT_ACCESSED};
    private static final GuestSegmentCheck[] NOT_READABLE = {null, null, GUEST_DS_CODE_NOT_READABLE,
        GUEST_ES_CODE_NOT_READABLE, GUEST_FS_CODE_NOT_READABLE, GUEST_GS_CODE_NOT_READABLE};
    private static final GuestSegmentCheck[] S_CLEAR = {GUEST_CS_S_CLEAR, GUEST_SS_S_CLEAR, GUEST_DS_S_CLEAR,
        GUEST_ES_S_CLEAR, GUEST_FS_S_CLEAR, GUEST_GS_S_CLEAR};
    private static final GuestSegmentCheck[] DPL_BELOW_RPL = {null, null, GUEST_DS_DPL_BELOW_RPL, GUEST_ES_DPL_BELOW_RPL,
        GUEST_FS_DPL_BELOW_RPL, GUEST_GS_DPL_BELOW_RPL};
    private static final GuestSegmentCheck[] NOT_PRESENT = {GUEST_CS_NOT_PRESENT, GUEST_SS_NOT_PRESENT,
        GUEST_DS_NOT_PRESENT, GUEST_ES_NOT_PRESENT, GUEST_FS_NOT_PRESENT, GUEST_GS_NOT_PRESENT};
    private static final GuestSegmentCheck[] RESERVED_11_8 = {GUEST_CS_ACCESS_RIGHTS_RESERVED_11_8,
        GUEST_SS_ACCESS_RIGHTS_RESERVED_11_8, GUEST_DS_ACCESS_RIGHTS_RESERVED_11_8, GUEST_ES_ACCESS_RIGHTS_RESERVED_11_8,
        GUEST_FS_ACCESS_RIGHTS_RESERVED_11_8, GUEST_GS_ACCESS_RIGHTS_RESERVED_11_8};
    private static final GuestSegmentCheck[] G_SMALL = {GUEST_CS_G_SET_WITH_SMALL_LIMIT, GUEST_SS_G_SET_WITH_SMALL_LIMIT,
        GUEST_DS_G_SET_WITH_SMALL_LIMIT, GUEST_ES_G_SET_WITH_SMALL_LIMIT, GUEST_FS_G_SET_WITH_SMALL_LIMIT,
        GUEST_GS_G_SET_WITH_SMALL_LIMIT};
    private static final GuestSegmentCheck[] G_LARGE = {GUEST_CS_G_CLEAR_WITH_LARGE_LIMIT,
        GUEST_SS_G_CLEAR_WITH_LARGE_LIMIT, GUEST_DS_G_CLEAR_WITH_LARGE_LIMIT, GUEST_ES_G_CLEAR_WITH_LARGE_LIMIT,
        GUEST_FS_G_CLEAR_WITH_LARGE_LIMIT, GUEST_GS_G_CLEAR_WITH_LARGE_LIMIT};
    private static final GuestSegmentCheck[] RESERVED_31_17 = {GUEST_CS_ACCESS_RIGHTS_RESERVED_31_17,
        GUEST_SS_ACCESS_RIGHTS_RESERVED_31_17, GUEST_DS_ACCESS_RIGHTS_RESERVED_31_17,
        GUEST_ES_ACCESS_RIGHTS_RESERVED_31_17, GUEST_FS_ACCESS_RIGHTS_RESERVED_31_17,
        GUEST_GS_ACCESS_RIGHTS_RESERVED_31_17};

    private static final int CS = 0;
    private static final int SS = 1;
    static final long UNUSABLE = 1L << 16;

    private SegmentChecks() {
    }

    static boolean usable(long accessRights) {
        return (accessRights & UNUSABLE) == 0;
    }

    static int type(long ar) {
        return (int) (ar & 0xF);
    }

    static int dpl(long ar) {
        return (int) (ar >>> 5 & 3);
    }

    static boolean run(Run r) {
        boolean v86 = r.v86();
        boolean ug = r.unrestrictedGuest();
        long ldtrAr = r.r(GUEST_LDTR_ACCESS_RIGHTS);
        // SDM "Checks on Guest Segment Registers": selector fields.
        long tr = r.r(GUEST_TR_SELECTOR);
        if ((tr & 4) != 0 && r.fail(GUEST_TR_SELECTOR_TI, GUEST_TR_SELECTOR, tr, 4)) {
            return true;
        }
        long ldtr = r.r(GUEST_LDTR_SELECTOR);
        if (usable(ldtrAr) && (ldtr & 4) != 0 && r.fail(GUEST_LDTR_SELECTOR_TI, GUEST_LDTR_SELECTOR, ldtr, 4)) {
            return true;
        }
        long ss = r.r(GUEST_SS_SELECTOR);
        long cs = r.r(GUEST_CS_SELECTOR);
        if (!v86 && !ug && (ss & 3) != (cs & 3) && r.fail(GUEST_SS_SELECTOR_RPL_NOT_CS_RPL, GUEST_SS_SELECTOR, ss, 3)) {
            return true;
        }
        // SDM "Checks on Guest Segment Registers": base-address fields.
        if (v86) {
            for (int i = 0; i < 6; i++) {
                long base = r.r(BASE[i]);
                long expected = r.r(SEL[i]) << 4;
                if (base != expected && r.fail(V86_BASE[i], BASE[i], base, base ^ expected)) {
                    return true;
                }
            }
        }
        if (HostChecks.canonical(r, GUEST_TR_BASE_NOT_CANONICAL, GUEST_TR_BASE)
                || HostChecks.canonical(r, GUEST_FS_BASE_NOT_CANONICAL, GUEST_FS_BASE)
                || HostChecks.canonical(r, GUEST_GS_BASE_NOT_CANONICAL, GUEST_GS_BASE)) {
            return true;
        }
        if (usable(ldtrAr) && HostChecks.canonical(r, GUEST_LDTR_BASE_NOT_CANONICAL, GUEST_LDTR_BASE)) {
            return true;
        }
        if (upper(r, GUEST_CS_BASE_UPPER_BITS, GUEST_CS_BASE)) {
            return true;
        }
        if ((usable(r.r(GUEST_SS_ACCESS_RIGHTS)) && upper(r, GUEST_SS_BASE_UPPER_BITS, GUEST_SS_BASE))
                || (usable(r.r(GUEST_DS_ACCESS_RIGHTS)) && upper(r, GUEST_DS_BASE_UPPER_BITS, GUEST_DS_BASE))
                || (usable(r.r(GUEST_ES_ACCESS_RIGHTS)) && upper(r, GUEST_ES_BASE_UPPER_BITS, GUEST_ES_BASE))) {
            return true;
        }
        if (v86) {
            // SDM "Checks on Guest Segment Registers": limit and access-rights fields in virtual-8086 mode.
            for (int i = 0; i < 6; i++) {
                long limit = r.r(LIMIT[i]);
                if (limit != 0xFFFF && r.fail(V86_LIMIT[i], LIMIT[i], limit, limit ^ 0xFFFF)) {
                    return true;
                }
            }
            for (int i = 0; i < 6; i++) {
                long ar = r.r(AR[i]);
                if (ar != 0xF3 && r.fail(V86_AR[i], AR[i], ar, ar ^ 0xF3)) {
                    return true;
                }
            }
        } else if (accessRights(r, ug)) {
            return true;
        }
        return tr(r) || ldtr(r, ldtrAr) || fred(r);
    }

    /** FRED specification, "VM entries": a FRED guest runs at CPL 0 in 64-bit mode or at CPL 3. */
    private static boolean fred(Run r) {
        if ((r.r(GUEST_CR4) >>> 32 & 1) == 0) {
            return false;
        }
        long ssAr = r.r(GUEST_SS_ACCESS_RIGHTS);
        int cpl = dpl(ssAr);
        if (cpl != 0 && cpl != 3 && r.fail(GUEST_SS_DPL_NOT_0_OR_3_WITH_FRED, GUEST_SS_ACCESS_RIGHTS, ssAr, 0x60)) {
            return true;
        }
        long csAr = r.r(GUEST_CS_ACCESS_RIGHTS);
        return cpl == 0 && r.ia32eGuest() && (csAr >>> 13 & 1) == 0
                && r.fail(GUEST_CPL0_COMPATIBILITY_MODE_WITH_FRED, GUEST_CS_ACCESS_RIGHTS, csAr, 1L << 13);
    }

    private static boolean upper(Run r, EntryCheck check, VmcsField field) {
        long base = r.r(field);
        return (base >>> 32) != 0 && r.fail(check, field, base, base & 0xFFFF_FFFF_0000_0000L);
    }

    /** SDM: access-rights fields outside virtual-8086 mode, bullet by bullet. */
    private static boolean accessRights(Run r, boolean ug) {
        long csAr = r.r(GUEST_CS_ACCESS_RIGHTS);
        long ssAr = r.r(GUEST_SS_ACCESS_RIGHTS);
        int csType = type(csAr);
        // Type (bits 3:0).
        boolean csTypeOk = csType == 9 || csType == 11 || csType == 13 || csType == 15 || (ug && csType == 3);
        if (!csTypeOk && r.fail(GUEST_CS_TYPE, GUEST_CS_ACCESS_RIGHTS, csAr, 0xF)) {
            return true;
        }
        if (usable(ssAr) && type(ssAr) != 3 && type(ssAr) != 7 && r.fail(GUEST_SS_TYPE, GUEST_SS_ACCESS_RIGHTS, ssAr, 0xF)) {
            return true;
        }
        for (int i = 2; i < 6; i++) {
            long ar = r.r(AR[i]);
            if (!usable(ar)) {
                continue;
            }
            if ((ar & 1) == 0 && r.fail(NOT_ACCESSED[i], AR[i], ar, 1)) {
                return true;
            }
            if ((ar & 8) != 0 && (ar & 2) == 0 && r.fail(NOT_READABLE[i], AR[i], ar, 2)) {
                return true;
            }
        }
        // S (bit 4).
        for (int i = 0; i < 6; i++) {
            long ar = r.r(AR[i]);
            if ((i == CS || usable(ar)) && (ar & 0x10) == 0 && r.fail(S_CLEAR[i], AR[i], ar, 0x10)) {
                return true;
            }
        }
        // DPL (bits 6:5).
        if (csType == 3 && dpl(csAr) != 0 && r.fail(GUEST_CS_DPL_NOT_0_FOR_DATA_TYPE, GUEST_CS_ACCESS_RIGHTS, csAr, 0x60)) {
            return true;
        }
        if ((csType == 9 || csType == 11) && dpl(csAr) != dpl(ssAr)
                && r.fail(GUEST_CS_DPL_NOT_SS_DPL, GUEST_CS_ACCESS_RIGHTS, csAr, 0x60)) {
            return true;
        }
        if ((csType == 13 || csType == 15) && dpl(csAr) > dpl(ssAr)
                && r.fail(GUEST_CS_DPL_ABOVE_SS_DPL, GUEST_CS_ACCESS_RIGHTS, csAr, 0x60)) {
            return true;
        }
        if (!ug && dpl(ssAr) != (r.r(GUEST_SS_SELECTOR) & 3)
                && r.fail(GUEST_SS_DPL_NOT_RPL, GUEST_SS_ACCESS_RIGHTS, ssAr, 0x60)) {
            return true;
        }
        if ((csType == 3 || (r.r(GUEST_CR0) & 1) == 0) && dpl(ssAr) != 0
                && r.fail(GUEST_SS_DPL_NOT_0, GUEST_SS_ACCESS_RIGHTS, ssAr, 0x60)) {
            return true;
        }
        if (!ug) {
            for (int i = 2; i < 6; i++) {
                long ar = r.r(AR[i]);
                if (usable(ar) && type(ar) <= 11 && dpl(ar) < (r.r(SEL[i]) & 3)
                        && r.fail(DPL_BELOW_RPL[i], AR[i], ar, 0x60)) {
                    return true;
                }
            }
        }
        // P (bit 7), reserved bits 11:8.
        for (int i = 0; i < 6; i++) {
            long ar = r.r(AR[i]);
            if ((i == CS || usable(ar)) && (ar & 0x80) == 0 && r.fail(NOT_PRESENT[i], AR[i], ar, 0x80)) {
                return true;
            }
        }
        for (int i = 0; i < 6; i++) {
            long ar = r.r(AR[i]);
            if ((i == CS || usable(ar)) && (ar & 0xF00) != 0 && r.fail(RESERVED_11_8[i], AR[i], ar, ar & 0xF00)) {
                return true;
            }
        }
        // D/B (bit 14) of CS with L (bit 13) in IA-32e mode.
        if (r.ia32eGuest() && (csAr >>> 13 & 1) != 0 && (csAr >>> 14 & 1) != 0
                && r.fail(GUEST_CS_D_WITH_L, GUEST_CS_ACCESS_RIGHTS, csAr, 1L << 14)) {
            return true;
        }
        // G (bit 15), reserved bits 31:17.
        for (int i = 0; i < 6; i++) {
            long ar = r.r(AR[i]);
            if ((i == CS || usable(ar)) && granularity(r, G_SMALL[i], G_LARGE[i], AR[i], ar, r.r(LIMIT[i]))) {
                return true;
            }
        }
        for (int i = 0; i < 6; i++) {
            long ar = r.r(AR[i]);
            if ((i == CS || usable(ar)) && (ar & 0xFFFE_0000L) != 0
                    && r.fail(RESERVED_31_17[i], AR[i], ar, ar & 0xFFFE_0000L)) {
                return true;
            }
        }
        return false;
    }

    /** SDM: limit bits 11:0 not all 1 require G = 0; any of limit bits 31:20 set requires G = 1. */
    private static boolean granularity(Run r, EntryCheck small, EntryCheck large, VmcsField field, long ar, long limit) {
        boolean g = (ar >>> 15 & 1) != 0;
        if ((limit & 0xFFF) != 0xFFF && g && r.fail(small, field, ar, 1L << 15)) {
            return true;
        }
        return (limit & 0xFFF0_0000L) != 0 && !g && r.fail(large, field, ar, 1L << 15);
    }

    private static boolean tr(Run r) {
        long ar = r.r(GUEST_TR_ACCESS_RIGHTS);
        int type = type(ar);
        if (r.ia32eGuest()) {
            if (type != 11 && r.fail(GUEST_TR_TYPE_IA32E, GUEST_TR_ACCESS_RIGHTS, ar, 0xF)) {
                return true;
            }
        } else if (type != 3 && type != 11 && r.fail(GUEST_TR_TYPE, GUEST_TR_ACCESS_RIGHTS, ar, 0xF)) {
            return true;
        }
        if ((ar & 0x10) != 0 && r.fail(GUEST_TR_S_SET, GUEST_TR_ACCESS_RIGHTS, ar, 0x10)) {
            return true;
        }
        if ((ar & 0x80) == 0 && r.fail(GUEST_TR_NOT_PRESENT, GUEST_TR_ACCESS_RIGHTS, ar, 0x80)) {
            return true;
        }
        if ((ar & 0xF00) != 0 && r.fail(GUEST_TR_ACCESS_RIGHTS_RESERVED_11_8, GUEST_TR_ACCESS_RIGHTS, ar, ar & 0xF00)) {
            return true;
        }
        if (granularity(r, GUEST_TR_G_SET_WITH_SMALL_LIMIT, GUEST_TR_G_CLEAR_WITH_LARGE_LIMIT, GUEST_TR_ACCESS_RIGHTS, ar,
                r.r(GUEST_TR_LIMIT))) {
            return true;
        }
        if (!usable(ar) && r.fail(GUEST_TR_UNUSABLE, GUEST_TR_ACCESS_RIGHTS, ar, UNUSABLE)) {
            return true;
        }
        return (ar & 0xFFFE_0000L) != 0
                && r.fail(GUEST_TR_ACCESS_RIGHTS_RESERVED_31_17, GUEST_TR_ACCESS_RIGHTS, ar, ar & 0xFFFE_0000L);
    }

    private static boolean ldtr(Run r, long ar) {
        if (!usable(ar)) {
            return false;
        }
        if (type(ar) != 2 && r.fail(GUEST_LDTR_TYPE, GUEST_LDTR_ACCESS_RIGHTS, ar, 0xF)) {
            return true;
        }
        if ((ar & 0x10) != 0 && r.fail(GUEST_LDTR_S_SET, GUEST_LDTR_ACCESS_RIGHTS, ar, 0x10)) {
            return true;
        }
        if ((ar & 0x80) == 0 && r.fail(GUEST_LDTR_NOT_PRESENT, GUEST_LDTR_ACCESS_RIGHTS, ar, 0x80)) {
            return true;
        }
        if ((ar & 0xF00) != 0 && r.fail(GUEST_LDTR_ACCESS_RIGHTS_RESERVED_11_8, GUEST_LDTR_ACCESS_RIGHTS, ar, ar & 0xF00)) {
            return true;
        }
        if (granularity(r, GUEST_LDTR_G_SET_WITH_SMALL_LIMIT, GUEST_LDTR_G_CLEAR_WITH_LARGE_LIMIT, GUEST_LDTR_ACCESS_RIGHTS,
                ar, r.r(GUEST_LDTR_LIMIT))) {
            return true;
        }
        return (ar & 0xFFFE_0000L) != 0
                && r.fail(GUEST_LDTR_ACCESS_RIGHTS_RESERVED_31_17, GUEST_LDTR_ACCESS_RIGHTS, ar, ar & 0xFFFE_0000L);
    }
}
