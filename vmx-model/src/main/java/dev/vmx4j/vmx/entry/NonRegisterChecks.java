package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.GuestNonRegisterCheck.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.mmu.PhysicalMemory;

/**
 * SDM "Checks on Guest Non-Register State", in SDM order: activity state, interruptibility
 * state, pending debug exceptions, VMCS link pointer.
 */
final class NonRegisterChecks {

    static final int ACTIVE = 0;
    static final int HLT = 1;
    static final int SHUTDOWN = 2;
    static final int WAIT_FOR_SIPI = 3;

    /** SDM "Guest Non-Register State": pending-debug-exceptions bits 11:4, 13, 15 and 63:17 are reserved. */
    static final long PENDING_DEBUG_RESERVED = 0xFFFF_FFFF_FFFE_AFF0L;
    static final long PENDING_DEBUG_RTM = 1L << 16;

    private NonRegisterChecks() {
    }

    static boolean run(Run r) {
        return activity(r) || interruptibility(r) || pendingDebug(r) || link(r);
    }

    private static boolean activity(Run r) {
        long act = r.r(GUEST_ACTIVITY_STATE);
        long interruptibility = r.r(GUEST_INTERRUPTIBILITY_STATE);
        if (act > 3 && r.fail(ACTIVITY_STATE_OUT_OF_RANGE, GUEST_ACTIVITY_STATE, act, act)) {
            return true;
        }
        if (act <= 3 && !r.caps.activityStateSupported(act)
                && r.fail(ACTIVITY_STATE_NOT_SUPPORTED, GUEST_ACTIVITY_STATE, act, act)) {
            return true;
        }
        if (act == HLT && SegmentChecks.dpl(r.r(GUEST_SS_ACCESS_RIGHTS)) != 0
                && r.fail(ACTIVITY_STATE_HLT_WITH_SS_DPL_NOT_0, GUEST_ACTIVITY_STATE, act, 0)) {
            return true;
        }
        if (act != ACTIVE && (interruptibility & 3) != 0 && r.fail(ACTIVITY_STATE_INACTIVE_WITH_STI_OR_MOV_SS_BLOCKING,
                GUEST_ACTIVITY_STATE, act, 0)) {
            return true;
        }
        long info = r.r(VM_ENTRY_INTERRUPTION_INFORMATION_FIELD);
        if ((info >>> 31 & 1) != 0) {
            int type = (int) (info >>> 8 & 7);
            int vector = (int) (info & 0xFF);
            var f = VM_ENTRY_INTERRUPTION_INFORMATION_FIELD;
            // SDM "Checks on Guest Non-Register State": only events the activity state would not block may be injected.
            if (act == HLT && !(type == 0 || type == 2 || (type == 3 && (vector == 1 || vector == 18))
                    || (type == 7 && vector == 0)) && r.fail(INJECTION_NOT_ALLOWED_IN_HLT, f, info, 0x7FF)) {
                return true;
            }
            if (act == SHUTDOWN && !(type == 2 || (type == 3 && vector == 18))
                    && r.fail(INJECTION_NOT_ALLOWED_IN_SHUTDOWN, f, info, 0x7FF)) {
                return true;
            }
            if (act == WAIT_FOR_SIPI && r.fail(INJECTION_IN_WAIT_FOR_SIPI, f, info, 1L << 31)) {
                return true;
            }
        }
        return act == WAIT_FOR_SIPI && (r.entryControls() >>> 10 & 1) != 0
                && r.fail(WAIT_FOR_SIPI_WITH_ENTRY_TO_SMM, GUEST_ACTIVITY_STATE, act, 0);
    }

    private static boolean interruptibility(Run r) {
        long s = r.r(GUEST_INTERRUPTIBILITY_STATE);
        var f = GUEST_INTERRUPTIBILITY_STATE;
        long info = r.r(VM_ENTRY_INTERRUPTION_INFORMATION_FIELD);
        boolean valid = (info >>> 31 & 1) != 0;
        int type = (int) (info >>> 8 & 7);
        if ((s & ~0x1FL) != 0 && r.fail(INTERRUPTIBILITY_RESERVED, f, s, s & ~0x1FL)) {
            return true;
        }
        if ((s & 3) == 3 && r.fail(STI_AND_MOV_SS_BLOCKING, f, s, 3)) {
            return true;
        }
        if ((s & 1) != 0 && (r.r(GUEST_RFLAGS) >>> 9 & 1) == 0 && r.fail(STI_BLOCKING_WITH_IF_CLEAR, f, s, 1)) {
            return true;
        }
        if (valid && type == 0 && (s & 3) != 0 && r.fail(BLOCKING_WITH_EXTERNAL_INTERRUPT_INJECTION, f, s, s & 3)) {
            return true;
        }
        if (valid && type == 2 && (s & 2) != 0 && r.fail(MOV_SS_BLOCKING_WITH_NMI_INJECTION, f, s, 2)) {
            return true;
        }
        if (!r.ctx.inSmm && (s & 4) != 0 && r.fail(SMI_BLOCKING_OUTSIDE_SMM, f, s, 4)) {
            return true;
        }
        if ((r.entryControls() >>> 10 & 1) != 0 && (s & 4) == 0 && r.fail(SMI_BLOCKING_CLEAR_WITH_ENTRY_TO_SMM, f, s, 4)) {
            return true;
        }
        // FRED specification, "VM entries": no blocking by STI at CPL 3 in a FRED guest.
        if ((s & 1) != 0 && (r.r(GUEST_CR4) >>> 32 & 1) != 0 && SegmentChecks.dpl(r.r(GUEST_SS_ACCESS_RIGHTS)) == 3
                && r.fail(STI_BLOCKING_AT_CPL3_WITH_FRED, f, s, 1)) {
            return true;
        }
        // MANUAL: the SDM lets a processor require blocking by STI to be 0 when an NMI is
        // injected and defines exit qualification 3 for it; vmx4j requires it, so the
        // qualification is reachable (Bochs 2.7 never produces it).
        if (valid && type == 2 && (s & 1) != 0 && r.fail(STI_BLOCKING_WITH_NMI_INJECTION, f, s, 1)) {
            return true;
        }
        if (valid && type == 2 && (s & 8) != 0 && (r.pin() >>> 5 & 1) != 0
                && r.fail(NMI_BLOCKING_WITH_VIRTUAL_NMI_INJECTION, f, s, 8)) {
            return true;
        }
        if ((s & 0x10) != 0 && (s & 2) != 0 && r.fail(ENCLAVE_INTERRUPTION_WITH_MOV_SS_BLOCKING, f, s, 2)) {
            return true;
        }
        return (s & 0x10) != 0 && !r.caps.sgx && r.fail(ENCLAVE_INTERRUPTION_WITHOUT_SGX, f, s, 0x10);
    }

    private static boolean pendingDebug(Run r) {
        long p = r.r(GUEST_PENDING_DEBUG_EXCEPTIONS);
        var f = GUEST_PENDING_DEBUG_EXCEPTIONS;
        long reserved = PENDING_DEBUG_RESERVED | (r.caps.rtm ? 0 : PENDING_DEBUG_RTM);
        if ((p & reserved) != 0 && r.fail(PENDING_DEBUG_EXCEPTIONS_RESERVED, f, p, p & reserved)) {
            return true;
        }
        long s = r.r(GUEST_INTERRUPTIBILITY_STATE);
        // SDM "Checks on Guest Non-Register State": the BS/TF rule applies with blocking by STI or MOV SS, or in the HLT state.
        if ((s & 3) != 0 || r.r(GUEST_ACTIVITY_STATE) == HLT) {
            boolean tf = (r.r(GUEST_RFLAGS) >>> 8 & 1) != 0;
            boolean btf = (r.r(GUEST_IA32_DEBUGCTL) >>> 1 & 1) != 0;
            boolean bs = (p >>> 14 & 1) != 0;
            if (tf && !btf && !bs && r.fail(PENDING_DEBUG_BS_CLEAR_WITH_TF, f, p, 1L << 14)) {
                return true;
            }
            if ((!tf || btf) && bs && r.fail(PENDING_DEBUG_BS_SET_WITHOUT_TF, f, p, 1L << 14)) {
                return true;
            }
        }
        if ((p & PENDING_DEBUG_RTM) != 0 && r.caps.rtm) {
            long bad = (p & 0x5FFFL) ^ 0x1000L; // bits 11:0 and 14 clear, bit 12 set
            if (bad != 0 && r.fail(PENDING_DEBUG_RTM_WITH_OTHER_BITS, f, p, bad)) {
                return true;
            }
            return (s & 2) != 0 && r.fail(PENDING_DEBUG_RTM_WITH_MOV_SS_BLOCKING, f, p, PENDING_DEBUG_RTM);
        }
        return false;
    }

    private static boolean link(Run r) {
        long link = r.r(VMCS_LINK_POINTER);
        if (link == -1L) {
            return false;
        }
        // MANUAL: an unaligned or too wide pointer is not followed into memory, in either mode
        // (one failure per pointer; hardware reports the first anyway).
        if ((link & 0xFFF) != 0) {
            return r.fail(VMCS_LINK_POINTER_NOT_ALIGNED, VMCS_LINK_POINTER, link, link & 0xFFF);
        }
        if (r.beyondWidth(link)) {
            return r.fail(VMCS_LINK_POINTER_BEYOND_PHYSICAL_ADDRESS_WIDTH, VMCS_LINK_POINTER, link, r.bitsBeyondWidth(link));
        }
        PhysicalMemory m = r.memory(VMCS_LINK_POINTER_REVISION_MISMATCH);
        if (m == null) {
            r.memory(VMCS_LINK_POINTER_SHADOW_INDICATOR_MISMATCH);
        } else {
            long header = m.read32(link) & 0xFFFF_FFFFL;
            if ((header & 0x7FFF_FFFFL) != r.caps.revision
                    && r.fail(VMCS_LINK_POINTER_REVISION_MISMATCH, null, header, (header ^ r.caps.revision) & 0x7FFF_FFFFL)) {
                return true;
            }
            long shadowing = r.secondary() >>> 14 & 1;
            if ((header >>> 31) != shadowing
                    && r.fail(VMCS_LINK_POINTER_SHADOW_INDICATOR_MISMATCH, null, header, 1L << 31)) {
                return true;
            }
        }
        if (!r.ctx.inSmm || (r.entryControls() >>> 10 & 1) != 0) {
            return link == r.ctx.currentVmcsPointer && r.fail(VMCS_LINK_POINTER_IS_CURRENT_VMCS, VMCS_LINK_POINTER, link, 0);
        }
        return link == r.ctx.vmxonPointer && r.fail(VMCS_LINK_POINTER_IS_VMXON_POINTER, VMCS_LINK_POINTER, link, 0);
    }
}
