package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.AddressSpaceSizeCheck.*;
import static dev.vmx4j.vmx.entry.HostRegisterCheck.*;
import static dev.vmx4j.vmx.entry.HostSegmentCheck.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * SDM "Checks on VMX Controls and Host-State Area": "Checks on Host Control Registers, MSRs, and
 * SSP", "Checks on Host Segment and Descriptor-Table Registers", "Checks Related to
 * Address-Space Size", in SDM order.
 */
final class HostChecks {

    /** SDM "IA32_S_CET": bits 9:6 are reserved. */
    static final long S_CET_RESERVED = 0x3C0L;
    /** SDM "IA32_S_CET": SUPPRESS (bit 10) and TRACKER (bit 11) set together make WRMSR fault. */
    static final long S_CET_SUPPRESS_AND_TRACKER = 0xC00L;

    private HostChecks() {
    }

    static boolean run(Run r) {
        return registers(r) || segments(r) || addressSpaceSize(r);
    }

    /** SDM "Page Attribute Table (PAT)": each byte must be 0 (UC), 1 (WC), 4 (WT), 5 (WP), 6 (WB) or 7 (UC-). */
    static long invalidPatBytes(long pat) {
        long bad = 0;
        for (int i = 0; i < 8; i++) {
            int type = (int) (pat >>> (i * 8) & 0xFF);
            if (type == 2 || type == 3 || type > 7) {
                bad |= 0xFFL << (i * 8);
            }
        }
        return bad;
    }

    private static boolean registers(Run r) {
        Caps c = r.caps;
        long cr0 = r.r(HOST_CR0);
        long cr4 = r.r(HOST_CR4);
        if ((c.cr0Fixed0 & ~cr0) != 0 && r.fail(HOST_CR0_FIXED0_BIT_CLEAR, HOST_CR0, cr0, c.cr0Fixed0 & ~cr0)) {
            return true;
        }
        if ((cr0 & ~c.cr0Fixed1) != 0 && r.fail(HOST_CR0_FIXED1_BIT_SET, HOST_CR0, cr0, cr0 & ~c.cr0Fixed1)) {
            return true;
        }
        if ((c.cr4Fixed0 & ~cr4) != 0 && r.fail(HOST_CR4_FIXED0_BIT_CLEAR, HOST_CR4, cr4, c.cr4Fixed0 & ~cr4)) {
            return true;
        }
        if ((cr4 & ~c.cr4Fixed1) != 0 && r.fail(HOST_CR4_FIXED1_BIT_SET, HOST_CR4, cr4, cr4 & ~c.cr4Fixed1)) {
            return true;
        }
        if ((cr4 >>> 23 & 1) != 0 && (cr0 >>> 16 & 1) == 0 && r.fail(HOST_CR4_CET_WITHOUT_CR0_WP, HOST_CR0, cr0, 1L << 16)) {
            return true;
        }
        long cr3 = r.r(HOST_CR3);
        if (r.beyondWidth(cr3) && r.fail(HOST_CR3_BEYOND_PHYSICAL_ADDRESS_WIDTH, HOST_CR3, cr3, r.bitsBeyondWidth(cr3))) {
            return true;
        }
        if (canonical(r, HOST_SYSENTER_ESP_NOT_CANONICAL, HOST_IA32_SYSENTER_ESP)
                || canonical(r, HOST_SYSENTER_EIP_NOT_CANONICAL, HOST_IA32_SYSENTER_EIP)) {
            return true;
        }
        long exit = r.exitControls();
        // SDM "Checks on Host Control Registers, MSRs, and SSP": "load CET state" (exit 28): IA32_S_CET, IA32_INTERRUPT_SSP_TABLE_ADDR, SSP.
        if ((exit >>> 28 & 1) != 0) {
            long sCet = r.r(HOST_IA32_S_CET);
            if ((sCet & S_CET_RESERVED) != 0 && r.fail(HOST_S_CET_RESERVED, HOST_IA32_S_CET, sCet, sCet & S_CET_RESERVED)) {
                return true;
            }
            if ((sCet & S_CET_SUPPRESS_AND_TRACKER) == S_CET_SUPPRESS_AND_TRACKER && r.fail(HOST_S_CET_SUPPRESS_WITH_TRACKER,
                    HOST_IA32_S_CET, sCet, S_CET_SUPPRESS_AND_TRACKER)) {
                return true;
            }
            if (canonical(r, HOST_S_CET_NOT_CANONICAL, HOST_IA32_S_CET)
                    || canonical(r, HOST_INTERRUPT_SSP_TABLE_ADDR_NOT_CANONICAL, HOST_IA32_INTERRUPT_SSP_TABLE_ADDR)) {
                return true;
            }
            long ssp = r.r(HOST_SSP);
            if ((ssp & 3) != 0 && r.fail(HOST_SSP_LOW_BITS, HOST_SSP, ssp, ssp & 3)) {
                return true;
            }
            if ((exit >>> 9 & 1) == 0) {
                if ((ssp >>> 32) != 0 && r.fail(HOST_SSP_UPPER_BITS, HOST_SSP, ssp, ssp & 0xFFFF_FFFF_0000_0000L)) {
                    return true;
                }
            } else if (canonical(r, HOST_SSP_NOT_CANONICAL, HOST_SSP)) {
                return true;
            }
        }
        if ((exit >>> 12 & 1) != 0) {
            long perf = r.r(HOST_IA32_PERF_GLOBAL_CTRL);
            if ((perf & ~c.perfGlobalCtrlValid) != 0 && r.fail(HOST_PERF_GLOBAL_CTRL_RESERVED, HOST_IA32_PERF_GLOBAL_CTRL,
                    perf, perf & ~c.perfGlobalCtrlValid)) {
                return true;
            }
        }
        if ((exit >>> 19 & 1) != 0) {
            long pat = r.r(HOST_IA32_PAT);
            long bad = invalidPatBytes(pat);
            if (bad != 0 && r.fail(HOST_PAT_INVALID, HOST_IA32_PAT, pat, bad)) {
                return true;
            }
        }
        if ((exit >>> 21 & 1) != 0) {
            long efer = r.r(HOST_IA32_EFER);
            long hostSize = exit >>> 9 & 1;
            if ((efer & ~c.eferValid) != 0 && r.fail(HOST_EFER_RESERVED, HOST_IA32_EFER, efer, efer & ~c.eferValid)) {
                return true;
            }
            if ((efer >>> 10 & 1) != hostSize && r.fail(HOST_EFER_LMA_MISMATCH, HOST_IA32_EFER, efer, 1L << 10)) {
                return true;
            }
            if ((efer >>> 8 & 1) != hostSize && r.fail(HOST_EFER_LME_MISMATCH, HOST_IA32_EFER, efer, 1L << 8)) {
                return true;
            }
        }
        if ((exit >>> 29 & 1) != 0) {
            long pkrs = r.r(HOST_IA32_PKRS);
            if ((pkrs >>> 32) != 0 && r.fail(HOST_PKRS_UPPER_BITS, HOST_IA32_PKRS, pkrs, pkrs & 0xFFFF_FFFF_0000_0000L)) {
                return true;
            }
        }
        long exit2 = (exit >>> 31 & 1) != 0 ? r.r(SECONDARY_VM_EXIT_CONTROLS) : 0;
        // SDM "Checks on Host Control Registers, MSRs, and SSP": "load FRED" (secondary exit 1).
        if ((exit2 >>> 1 & 1) != 0 && HOST_FRED.check(r)) {
            return true;
        }
        if ((exit2 >>> 2 & 1) != 0) {
            long spec = r.r(HOST_IA32_SPEC_CTRL);
            return (spec & ~SPEC_CTRL_VALID) != 0
                    && r.fail(HOST_SPEC_CTRL_RESERVED, HOST_IA32_SPEC_CTRL, spec, spec & ~SPEC_CTRL_VALID);
        }
        return false;
    }

    /** SDM "IA32_FRED_CONFIG": bits 2, 5:4 and 11 are reserved. */
    static final long FRED_CONFIG_RESERVED = 0x834L;
    /**
     * SDM "IA32_SPEC_CTRL": IBRS (0), STIBP (1), SSBD (2), IPRED_DIS_U (3), IPRED_DIS_S (4),
     * RRSBA_DIS_U (5), RRSBA_DIS_S (6), PSFD (7), DDPD_U (8), BHI_DIS_S (10).
     */
    // MANUAL: the union of the architecturally defined bits; which of them a model implements is
    // enumerated by CPUID leaves the profiles do not all carry.
    static final long SPEC_CTRL_VALID = 0x5FFL;

    /** The FRED stack fields of the host area: RSP1-3 (64-byte aligned), SSP1-3 (8-byte aligned). */
    static final FredFields HOST_FRED = new FredFields(HOST_IA32_FRED_CONFIG, HOST_FRED_CONFIG_RESERVED,
            new VmcsField[] {HOST_IA32_FRED_RSP1, HOST_IA32_FRED_RSP2, HOST_IA32_FRED_RSP3, HOST_IA32_FRED_SSP1,
                HOST_IA32_FRED_SSP2, HOST_IA32_FRED_SSP3},
            new EntryCheck[] {HOST_FRED_RSP1_NOT_CANONICAL, HOST_FRED_RSP2_NOT_CANONICAL, HOST_FRED_RSP3_NOT_CANONICAL,
                HOST_FRED_SSP1_NOT_CANONICAL, HOST_FRED_SSP2_NOT_CANONICAL, HOST_FRED_SSP3_NOT_CANONICAL},
            new EntryCheck[] {HOST_FRED_RSP1_NOT_ALIGNED, HOST_FRED_RSP2_NOT_ALIGNED, HOST_FRED_RSP3_NOT_ALIGNED,
                HOST_FRED_SSP1_NOT_ALIGNED, HOST_FRED_SSP2_NOT_ALIGNED, HOST_FRED_SSP3_NOT_ALIGNED});

    /** The FRED fields of one state area (host or guest) and the ids of their rules. */
    static final class FredFields {
        /** Alignment masks of RSP1-3 (bits 5:0) and SSP1-3 (bits 2:0). */
        private static final long[] ALIGN = {0x3F, 0x3F, 0x3F, 0x7, 0x7, 0x7};
        final VmcsField config;
        final EntryCheck configReserved;
        final VmcsField[] stacks;
        final EntryCheck[] notCanonical;
        final EntryCheck[] notAligned;

        FredFields(VmcsField config, EntryCheck configReserved, VmcsField[] stacks, EntryCheck[] notCanonical,
                EntryCheck[] notAligned) {
            this.config = config;
            this.configReserved = configReserved;
            this.stacks = stacks;
            this.notCanonical = notCanonical;
            this.notAligned = notAligned;
        }

        /**
         * The FRED state rules (FRED specification, "VM entries"): IA32_FRED_CONFIG without
         * reserved bits, RSP1-3 canonical and 64-byte aligned, SSP1-3 canonical and 8-byte aligned.
         */
        // MANUAL: the FRED rules follow the FRED specification as Bochs (master) implements them;
        // IA32_FRED_CONFIG bits 63:12 are not checked for canonicality (Bochs does not either).
        boolean check(Run r) {
            long c = r.r(config);
            if ((c & FRED_CONFIG_RESERVED) != 0 && r.fail(configReserved, config, c, c & FRED_CONFIG_RESERVED)) {
                return true;
            }
            for (int i = 0; i < stacks.length; i++) {
                if (canonical(r, notCanonical[i], stacks[i])) {
                    return true;
                }
                long v = r.r(stacks[i]);
                if ((v & ALIGN[i]) != 0 && r.fail(notAligned[i], stacks[i], v, v & ALIGN[i])) {
                    return true;
                }
            }
            return false;
        }
    }

    static boolean canonical(Run r, EntryCheck check, VmcsField field) {
        long a = r.r(field);
        return !r.canonical(a) && r.fail(check, field, a, Run.nonCanonicalBits(a, r.caps.linearWidth));
    }

    private static boolean segments(Run r) {
        // SDM "Checks on Host Segment and Descriptor-Table Registers": RPL and TI of every host selector are 0.
        if (selector(r, HOST_ES_SELECTOR_RPL_OR_TI, HOST_ES_SELECTOR) || selector(r, HOST_CS_SELECTOR_RPL_OR_TI, HOST_CS_SELECTOR)
                || selector(r, HOST_SS_SELECTOR_RPL_OR_TI, HOST_SS_SELECTOR)
                || selector(r, HOST_DS_SELECTOR_RPL_OR_TI, HOST_DS_SELECTOR)
                || selector(r, HOST_FS_SELECTOR_RPL_OR_TI, HOST_FS_SELECTOR)
                || selector(r, HOST_GS_SELECTOR_RPL_OR_TI, HOST_GS_SELECTOR)
                || selector(r, HOST_TR_SELECTOR_RPL_OR_TI, HOST_TR_SELECTOR)) {
            return true;
        }
        if (r.r(HOST_CS_SELECTOR) == 0 && r.fail(HOST_CS_SELECTOR_NULL, HOST_CS_SELECTOR, 0, 0)) {
            return true;
        }
        if (r.r(HOST_TR_SELECTOR) == 0 && r.fail(HOST_TR_SELECTOR_NULL, HOST_TR_SELECTOR, 0, 0)) {
            return true;
        }
        if (!r.hostAddressSpaceSize() && r.r(HOST_SS_SELECTOR) == 0 && r.fail(HOST_SS_SELECTOR_NULL, HOST_SS_SELECTOR, 0, 0)) {
            return true;
        }
        return canonical(r, HOST_FS_BASE_NOT_CANONICAL, HOST_FS_BASE) || canonical(r, HOST_GS_BASE_NOT_CANONICAL, HOST_GS_BASE)
                || canonical(r, HOST_GDTR_BASE_NOT_CANONICAL, HOST_GDTR_BASE)
                || canonical(r, HOST_IDTR_BASE_NOT_CANONICAL, HOST_IDTR_BASE)
                || canonical(r, HOST_TR_BASE_NOT_CANONICAL, HOST_TR_BASE);
    }

    private static boolean selector(Run r, EntryCheck check, VmcsField field) {
        long s = r.r(field);
        return (s & 7) != 0 && r.fail(check, field, s, s & 7);
    }

    // MANUAL: the address-space-size checks fail with VMfailValid(8) like the other host-state
    // checks (they sit in "Checks on VMX Controls and Host-State Area"; KVM and Bochs agree).
    private static boolean addressSpaceSize(Run r) {
        long entry = r.entryControls();
        long exit = r.exitControls();
        boolean ia32eGuest = (entry >>> 9 & 1) != 0;
        boolean host64 = (exit >>> 9 & 1) != 0;
        if (!r.ctx.ia32eMode) {
            if (ia32eGuest && r.fail(IA32E_MODE_GUEST_OUTSIDE_IA32E_MODE, VM_ENTRY_CONTROLS, entry, 1L << 9)) {
                return true;
            }
            if (host64 && r.fail(HOST_ADDRESS_SPACE_SIZE_OUTSIDE_IA32E_MODE, PRIMARY_VM_EXIT_CONTROLS, exit, 1L << 9)) {
                return true;
            }
        } else if (!host64 && r.fail(HOST_ADDRESS_SPACE_SIZE_CLEAR_IN_IA32E_MODE, PRIMARY_VM_EXIT_CONTROLS, exit, 1L << 9)) {
            return true;
        }
        long cr4 = r.r(HOST_CR4);
        long rip = r.r(HOST_RIP);
        if (!host64) {
            if (ia32eGuest && r.fail(IA32E_MODE_GUEST_WITH_32_BIT_HOST, VM_ENTRY_CONTROLS, entry, 1L << 9)) {
                return true;
            }
            if ((cr4 >>> 17 & 1) != 0 && r.fail(HOST_CR4_PCIDE_WITH_32_BIT_HOST, HOST_CR4, cr4, 1L << 17)) {
                return true;
            }
            return (rip >>> 32) != 0
                    && r.fail(HOST_RIP_UPPER_BITS_WITH_32_BIT_HOST, HOST_RIP, rip, rip & 0xFFFF_FFFF_0000_0000L);
        }
        if ((cr4 >>> 5 & 1) == 0 && r.fail(HOST_CR4_PAE_CLEAR_WITH_64_BIT_HOST, HOST_CR4, cr4, 1L << 5)) {
            return true;
        }
        return canonical(r, HOST_RIP_NOT_CANONICAL, HOST_RIP);
    }
}
