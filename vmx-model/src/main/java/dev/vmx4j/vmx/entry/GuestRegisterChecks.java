package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.GuestDescriptorTableCheck.*;
import static dev.vmx4j.vmx.entry.GuestRegisterCheck.*;
import static dev.vmx4j.vmx.entry.GuestRipRflagsCheck.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

/**
 * SDM "Checks on Guest Control Registers, Debug Registers, and MSRs", "Checks on Guest
 * Descriptor-Table Registers" and "Checks on Guest RIP, RFLAGS, and SSP", in SDM order.
 */
final class GuestRegisterChecks {

    /**
     * SDM "IA32_DEBUGCTL MSR": LBR (0), BTF (1), TR (6), BTS (7), BTINT (8), BTS_OFF_OS (9),
     * BTS_OFF_USR (10), FREEZE_LBRS_ON_PMI (11), FREEZE_PERFMON_ON_PMI (12), ENABLE_UNCORE_PMI
     * (13), FREEZE_WHILE_SMM (14), RTM_DEBUG (15).
     */
    // MANUAL: the architectural union of the defined bits; a profile does not list which of them
    // a model implements, so bits 5:2 and 63:16 are the reserved ones.
    static final long DEBUGCTL_VALID = 0xFFC3L;
    /** SDM "IA32_RTIT_CTL MSR": bits 18, 23, 31:28 and 63:48 are reserved. */
    // MANUAL: the architectural maximum; the model-specific Intel PT capabilities (CPUID.14H) are not consulted.
    static final long RTIT_CTL_VALID = 0x0000_FFFF_0F7B_FFFFL;
    /** SDM "IA32_LBR_CTL": bits 3:0 and 22:16 are defined. */
    static final long LBR_CTL_VALID = 0x007F_000FL;
    /** SDM "EFLAGS Register": bits 63:22, 15, 5 and 3 are reserved (and 0). */
    static final long RFLAGS_RESERVED = 0xFFFF_FFFF_FFC0_8028L;

    private GuestRegisterChecks() {
    }

    static boolean run(Run r) {
        return controlRegisters(r) || descriptorTables(r) || ripAndRflags(r);
    }

    private static boolean controlRegisters(Run r) {
        Caps c = r.caps;
        long cr0 = r.r(GUEST_CR0);
        long cr4 = r.r(GUEST_CR4);
        long entry = r.entryControls();
        boolean ia32e = (entry >>> 9 & 1) != 0;
        // SDM "Checks on Guest Control Registers, Debug Registers, and MSRs": with "unrestricted guest", CR0.PE and CR0.PG are not checked against FIXED0.
        long fixed0 = r.unrestrictedGuest() ? c.cr0Fixed0 & ~0x8000_0001L : c.cr0Fixed0;
        if ((fixed0 & ~cr0) != 0 && r.fail(GUEST_CR0_FIXED0_BIT_CLEAR, GUEST_CR0, cr0, fixed0 & ~cr0)) {
            return true;
        }
        if ((cr0 & ~c.cr0Fixed1) != 0 && r.fail(GUEST_CR0_FIXED1_BIT_SET, GUEST_CR0, cr0, cr0 & ~c.cr0Fixed1)) {
            return true;
        }
        if ((cr0 >>> 31 & 1) != 0 && (cr0 & 1) == 0 && r.fail(GUEST_CR0_PG_WITHOUT_PE, GUEST_CR0, cr0, 1L << 31)) {
            return true;
        }
        if ((c.cr4Fixed0 & ~cr4) != 0 && r.fail(GUEST_CR4_FIXED0_BIT_CLEAR, GUEST_CR4, cr4, c.cr4Fixed0 & ~cr4)) {
            return true;
        }
        if ((cr4 & ~c.cr4Fixed1) != 0 && r.fail(GUEST_CR4_FIXED1_BIT_SET, GUEST_CR4, cr4, cr4 & ~c.cr4Fixed1)) {
            return true;
        }
        if ((cr4 >>> 23 & 1) != 0 && (cr0 >>> 16 & 1) == 0 && r.fail(GUEST_CR4_CET_WITHOUT_CR0_WP, GUEST_CR0, cr0, 1L << 16)) {
            return true;
        }
        boolean loadDebug = (entry >>> 2 & 1) != 0;
        if (loadDebug) {
            long debugctl = r.r(GUEST_IA32_DEBUGCTL);
            if ((debugctl & ~DEBUGCTL_VALID) != 0
                    && r.fail(GUEST_DEBUGCTL_RESERVED, GUEST_IA32_DEBUGCTL, debugctl, debugctl & ~DEBUGCTL_VALID)) {
                return true;
            }
        }
        if (ia32e) {
            if ((cr0 >>> 31 & 1) == 0 && r.fail(GUEST_IA32E_WITHOUT_CR0_PG, GUEST_CR0, cr0, 1L << 31)) {
                return true;
            }
            if ((cr4 >>> 5 & 1) == 0 && r.fail(GUEST_IA32E_WITHOUT_CR4_PAE, GUEST_CR4, cr4, 1L << 5)) {
                return true;
            }
        } else if ((cr4 >>> 17 & 1) != 0 && r.fail(GUEST_CR4_PCIDE_WITHOUT_IA32E, GUEST_CR4, cr4, 1L << 17)) {
            return true;
        }
        long cr3 = r.r(GUEST_CR3);
        if (r.beyondWidth(cr3) && r.fail(GUEST_CR3_BEYOND_PHYSICAL_ADDRESS_WIDTH, GUEST_CR3, cr3, r.bitsBeyondWidth(cr3))) {
            return true;
        }
        if (loadDebug) {
            long dr7 = r.r(GUEST_DR7);
            if ((dr7 >>> 32) != 0 && r.fail(GUEST_DR7_UPPER_BITS, GUEST_DR7, dr7, dr7 & 0xFFFF_FFFF_0000_0000L)) {
                return true;
            }
        }
        if (HostChecks.canonical(r, GUEST_SYSENTER_ESP_NOT_CANONICAL, GUEST_IA32_SYSENTER_ESP)
                || HostChecks.canonical(r, GUEST_SYSENTER_EIP_NOT_CANONICAL, GUEST_IA32_SYSENTER_EIP)) {
            return true;
        }
        if ((entry >>> 20 & 1) != 0) {
            long sCet = r.r(GUEST_IA32_S_CET);
            if ((sCet & HostChecks.S_CET_RESERVED) != 0
                    && r.fail(GUEST_S_CET_RESERVED, GUEST_IA32_S_CET, sCet, sCet & HostChecks.S_CET_RESERVED)) {
                return true;
            }
            if ((sCet & HostChecks.S_CET_SUPPRESS_AND_TRACKER) == HostChecks.S_CET_SUPPRESS_AND_TRACKER
                    && r.fail(GUEST_S_CET_SUPPRESS_WITH_TRACKER, GUEST_IA32_S_CET, sCet, HostChecks.S_CET_SUPPRESS_AND_TRACKER)) {
                return true;
            }
            if (HostChecks.canonical(r, GUEST_S_CET_NOT_CANONICAL, GUEST_IA32_S_CET) || HostChecks.canonical(r,
                    GUEST_INTERRUPT_SSP_TABLE_ADDR_NOT_CANONICAL, GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR)) {
                return true;
            }
        }
        if ((entry >>> 13 & 1) != 0) {
            long perf = r.r(GUEST_IA32_PERF_GLOBAL_CTRL);
            if ((perf & ~c.perfGlobalCtrlValid) != 0 && r.fail(GUEST_PERF_GLOBAL_CTRL_RESERVED, GUEST_IA32_PERF_GLOBAL_CTRL,
                    perf, perf & ~c.perfGlobalCtrlValid)) {
                return true;
            }
        }
        if ((entry >>> 14 & 1) != 0) {
            long pat = r.r(GUEST_IA32_PAT);
            long bad = HostChecks.invalidPatBytes(pat);
            if (bad != 0 && r.fail(GUEST_PAT_INVALID, GUEST_IA32_PAT, pat, bad)) {
                return true;
            }
        }
        if ((entry >>> 15 & 1) != 0) {
            long efer = r.r(GUEST_IA32_EFER);
            long mode = ia32e ? 1 : 0;
            if ((efer & ~c.eferValid) != 0 && r.fail(GUEST_EFER_RESERVED, GUEST_IA32_EFER, efer, efer & ~c.eferValid)) {
                return true;
            }
            if ((efer >>> 10 & 1) != mode && r.fail(GUEST_EFER_LMA_MISMATCH, GUEST_IA32_EFER, efer, 1L << 10)) {
                return true;
            }
            if ((cr0 >>> 31 & 1) != 0 && (efer >>> 8 & 1) != mode
                    && r.fail(GUEST_EFER_LME_MISMATCH, GUEST_IA32_EFER, efer, 1L << 8)) {
                return true;
            }
        }
        if ((entry >>> 16 & 1) != 0) {
            long bnd = r.r(GUEST_IA32_BNDCFGS);
            if ((bnd & 0xFFC) != 0 && r.fail(GUEST_BNDCFGS_RESERVED, GUEST_IA32_BNDCFGS, bnd, bnd & 0xFFC)) {
                return true;
            }
            long base = bnd & ~0xFFFL;
            if (!r.canonical(base) && r.fail(GUEST_BNDCFGS_NOT_CANONICAL, GUEST_IA32_BNDCFGS, bnd,
                    Run.nonCanonicalBits(base, c.linearWidth))) {
                return true;
            }
        }
        if ((entry >>> 18 & 1) != 0) {
            long rtit = r.r(GUEST_IA32_RTIT_CTL);
            if ((rtit & ~RTIT_CTL_VALID) != 0
                    && r.fail(GUEST_RTIT_CTL_RESERVED, GUEST_IA32_RTIT_CTL, rtit, rtit & ~RTIT_CTL_VALID)) {
                return true;
            }
        }
        if ((entry >>> 21 & 1) != 0) {
            long lbr = r.r(GUEST_IA32_LBR_CTL);
            if ((lbr & ~LBR_CTL_VALID) != 0 && r.fail(GUEST_LBR_CTL_RESERVED, GUEST_IA32_LBR_CTL, lbr, lbr & ~LBR_CTL_VALID)) {
                return true;
            }
        }
        if ((entry >>> 22 & 1) != 0) {
            long pkrs = r.r(GUEST_IA32_PKRS);
            if ((pkrs >>> 32) != 0 && r.fail(GUEST_PKRS_UPPER_BITS, GUEST_IA32_PKRS, pkrs, pkrs & 0xFFFF_FFFF_0000_0000L)) {
                return true;
            }
        }
        if ((entry >>> 19 & 1) != 0) {
            long uinv = r.r(GUEST_UINV);
            if ((uinv & 0xFF00) != 0 && r.fail(GUEST_UINV_RESERVED, GUEST_UINV, uinv, uinv & 0xFF00)) {
                return true;
            }
        }
        // FRED specification, "VM entries": CR4.FRED only for a 64-bit guest; "load FRED" (entry 23).
        if (!ia32e && (cr4 >>> 32 & 1) != 0 && r.fail(GUEST_CR4_FRED_WITHOUT_IA32E, GUEST_CR4, cr4, 1L << 32)) {
            return true;
        }
        if ((entry >>> 23 & 1) != 0 && GUEST_FRED.check(r)) {
            return true;
        }
        if ((entry >>> 24 & 1) != 0) {
            long spec = r.r(GUEST_IA32_SPEC_CTRL);
            return (spec & ~HostChecks.SPEC_CTRL_VALID) != 0
                    && r.fail(GUEST_SPEC_CTRL_RESERVED, GUEST_IA32_SPEC_CTRL, spec, spec & ~HostChecks.SPEC_CTRL_VALID);
        }
        return false;
    }

    /** The FRED fields of the guest area. */
    static final HostChecks.FredFields GUEST_FRED = new HostChecks.FredFields(GUEST_IA32_FRED_CONFIG,
            GUEST_FRED_CONFIG_RESERVED,
            new dev.vmx4j.vmx.vmcs.VmcsField[] {GUEST_IA32_FRED_RSP1, GUEST_IA32_FRED_RSP2, GUEST_IA32_FRED_RSP3,
                GUEST_IA32_FRED_SSP1, GUEST_IA32_FRED_SSP2, GUEST_IA32_FRED_SSP3},
            new EntryCheck[] {GUEST_FRED_RSP1_NOT_CANONICAL, GUEST_FRED_RSP2_NOT_CANONICAL, GUEST_FRED_RSP3_NOT_CANONICAL,
                GUEST_FRED_SSP1_NOT_CANONICAL, GUEST_FRED_SSP2_NOT_CANONICAL, GUEST_FRED_SSP3_NOT_CANONICAL},
            new EntryCheck[] {GUEST_FRED_RSP1_NOT_ALIGNED, GUEST_FRED_RSP2_NOT_ALIGNED, GUEST_FRED_RSP3_NOT_ALIGNED,
                GUEST_FRED_SSP1_NOT_ALIGNED, GUEST_FRED_SSP2_NOT_ALIGNED, GUEST_FRED_SSP3_NOT_ALIGNED});

    private static boolean descriptorTables(Run r) {
        if (HostChecks.canonical(r, GUEST_GDTR_BASE_NOT_CANONICAL, GUEST_GDTR_BASE)
                || HostChecks.canonical(r, GUEST_IDTR_BASE_NOT_CANONICAL, GUEST_IDTR_BASE)) {
            return true;
        }
        long gdtr = r.r(GUEST_GDTR_LIMIT);
        if ((gdtr & 0xFFFF_0000L) != 0 && r.fail(GUEST_GDTR_LIMIT_UPPER_BITS, GUEST_GDTR_LIMIT, gdtr, gdtr & 0xFFFF_0000L)) {
            return true;
        }
        long idtr = r.r(GUEST_IDTR_LIMIT);
        return (idtr & 0xFFFF_0000L) != 0 && r.fail(GUEST_IDTR_LIMIT_UPPER_BITS, GUEST_IDTR_LIMIT, idtr, idtr & 0xFFFF_0000L);
    }

    private static boolean ripAndRflags(Run r) {
        long entry = r.entryControls();
        boolean ia32e = (entry >>> 9 & 1) != 0;
        boolean csL = (r.r(GUEST_CS_ACCESS_RIGHTS) >>> 13 & 1) != 0;
        boolean sixtyFour = ia32e && csL;
        long rip = r.r(GUEST_RIP);
        // SDM "Checks on Guest RIP, RFLAGS, and SSP": RIP is canonical relative to the guest's linear-address width (CR4.LA57).
        int ripWidth = (r.r(GUEST_CR4) >>> 12 & 1) != 0 ? 57 : 48;
        if (!sixtyFour && (rip >>> 32) != 0 && r.fail(GUEST_RIP_UPPER_BITS, GUEST_RIP, rip, rip & 0xFFFF_FFFF_0000_0000L)) {
            return true;
        }
        if (sixtyFour && !Run.canonical(rip, ripWidth)
                && r.fail(GUEST_RIP_NOT_CANONICAL, GUEST_RIP, rip, Run.nonCanonicalBits(rip, ripWidth))) {
            return true;
        }
        long rflags = r.r(GUEST_RFLAGS);
        if ((rflags & RFLAGS_RESERVED) != 0 && r.fail(GUEST_RFLAGS_RESERVED, GUEST_RFLAGS, rflags, rflags & RFLAGS_RESERVED)) {
            return true;
        }
        if ((rflags & 2) == 0 && r.fail(GUEST_RFLAGS_BIT_1_CLEAR, GUEST_RFLAGS, rflags, 2)) {
            return true;
        }
        if ((rflags >>> 17 & 1) != 0 && (ia32e || (r.r(GUEST_CR0) & 1) == 0)
                && r.fail(GUEST_RFLAGS_VM_IN_IA32E_OR_REAL_MODE, GUEST_RFLAGS, rflags, 1L << 17)) {
            return true;
        }
        long info = r.r(VM_ENTRY_INTERRUPTION_INFORMATION_FIELD);
        if ((info >>> 31 & 1) != 0 && (info >>> 8 & 7) == 0 && (rflags >>> 9 & 1) == 0
                && r.fail(GUEST_RFLAGS_IF_CLEAR_WITH_EXTERNAL_INTERRUPT, GUEST_RFLAGS, rflags, 1L << 9)) {
            return true;
        }
        // FRED specification, "VM entries": at CPL 3 (SS DPL) a FRED guest runs with IOPL 0.
        if ((r.r(GUEST_CR4) >>> 32 & 1) != 0 && SegmentChecks.dpl(r.r(GUEST_SS_ACCESS_RIGHTS)) == 3
                && (rflags & 0x3000) != 0 && r.fail(GUEST_RFLAGS_IOPL_AT_CPL3_WITH_FRED, GUEST_RFLAGS, rflags, rflags & 0x3000)) {
            return true;
        }
        if ((entry >>> 20 & 1) != 0) {
            long ssp = r.r(GUEST_SSP);
            if ((ssp & 3) != 0 && r.fail(GUEST_SSP_LOW_BITS, GUEST_SSP, ssp, ssp & 3)) {
                return true;
            }
            if (!sixtyFour) {
                return (ssp >>> 32) != 0 && r.fail(GUEST_SSP_UPPER_BITS, GUEST_SSP, ssp, ssp & 0xFFFF_FFFF_0000_0000L);
            }
            return !Run.canonical(ssp, ripWidth)
                    && r.fail(GUEST_SSP_NOT_CANONICAL, GUEST_SSP, ssp, Run.nonCanonicalBits(ssp, ripWidth));
        }
        return false;
    }
}
