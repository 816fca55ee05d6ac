package dev.vmx4j.vmx.controls;

import dev.vmx4j.mmu.ept.EptCapabilities;
import dev.vmx4j.vmx.insn.VmInstructionError;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.vmcs.VmcsFeature;
import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * The VMX capability MSRs of a {@link CpuProfile}, decoded: the single source of truth for which
 * control settings, VMCS fields, activity states and limits the processor supports.
 *
 * <p>SDM appendix "VMX Capability Reporting Facility". For the pin-based, primary
 * processor-based, VM-exit and VM-entry controls, bits 31:0 of the capability MSR are the
 * allowed-0 settings (a bit set there must be 1 in the control) and bits 63:32 the allowed-1
 * settings (a bit clear there must be 0). When IA32_VMX_BASIC[55] is 1, the IA32_VMX_TRUE_*
 * MSRs (0x48D-0x490) give the settings instead of 0x481-0x484 (they may allow some default1 bits
 * to be 0). IA32_VMX_PROCBASED_CTLS2 exists only if the primary allowed-1 bit 31 ("activate
 * secondary controls") is 1, IA32_VMX_PROCBASED_CTLS3 (allowed-1 only, 64 bits) only if bit 17
 * ("activate tertiary controls") is, IA32_VMX_EPT_VPID_CAP only if "enable EPT" or "enable VPID"
 * may be 1, IA32_VMX_VMFUNC only if "enable VM functions" may be 1; an MSR that does not exist
 * reads here as 0 (nothing may be 1). A profile without CPUID.1:ECX.VMX or without
 * IA32_VMX_BASIC gives {@link #none()}.
 */
public final class VmxCapabilities {

    public static final int IA32_VMX_BASIC = 0x480;
    public static final int IA32_VMX_PINBASED_CTLS = 0x481;
    public static final int IA32_VMX_PROCBASED_CTLS = 0x482;
    public static final int IA32_VMX_EXIT_CTLS = 0x483;
    public static final int IA32_VMX_ENTRY_CTLS = 0x484;
    public static final int IA32_VMX_MISC = 0x485;
    public static final int IA32_VMX_CR0_FIXED0 = 0x486;
    public static final int IA32_VMX_CR0_FIXED1 = 0x487;
    public static final int IA32_VMX_CR4_FIXED0 = 0x488;
    public static final int IA32_VMX_CR4_FIXED1 = 0x489;
    public static final int IA32_VMX_VMCS_ENUM = 0x48A;
    public static final int IA32_VMX_PROCBASED_CTLS2 = 0x48B;
    public static final int IA32_VMX_EPT_VPID_CAP = 0x48C;
    public static final int IA32_VMX_TRUE_PINBASED_CTLS = 0x48D;
    public static final int IA32_VMX_TRUE_PROCBASED_CTLS = 0x48E;
    public static final int IA32_VMX_TRUE_EXIT_CTLS = 0x48F;
    public static final int IA32_VMX_TRUE_ENTRY_CTLS = 0x490;
    public static final int IA32_VMX_VMFUNC = 0x491;
    public static final int IA32_VMX_PROCBASED_CTLS3 = 0x492;
    public static final int IA32_VMX_EXIT_CTLS2 = 0x493;

    private static final VmxCapabilities NONE = new VmxCapabilities();

    private final boolean supported;
    private final long basic;
    private final long pin;
    private final long proc;
    private final long proc2;
    private final long proc3;
    private final long exit;
    private final long exit2;
    private final long entry;
    private final long misc;
    private final long cr0Fixed0;
    private final long cr0Fixed1;
    private final long cr4Fixed0;
    private final long cr4Fixed1;
    private final long vmcsEnum;
    private final long eptVpidCap;
    private final long vmfunc;
    /**
     * PERF: {@link #hasField} by {@link VmcsField#denseId()}, computed once from the fields
     * above (VMREAD, VMWRITE and every VM entry ask it).
     */
    private final boolean[] fieldSupported;

    private VmxCapabilities() {
        supported = false;
        basic = pin = proc = proc2 = proc3 = exit = exit2 = entry = misc = 0;
        cr0Fixed0 = cr0Fixed1 = cr4Fixed0 = cr4Fixed1 = vmcsEnum = eptVpidCap = vmfunc = 0;
        fieldSupported = new boolean[VmcsField.count()];
    }

    private VmxCapabilities(CpuProfile p) {
        supported = true;
        basic = p.msr(IA32_VMX_BASIC);
        boolean useTrue = (basic & BASIC_TRUE_CONTROLS) != 0;
        pin = msr(p, useTrue ? IA32_VMX_TRUE_PINBASED_CTLS : IA32_VMX_PINBASED_CTLS);
        proc = msr(p, useTrue ? IA32_VMX_TRUE_PROCBASED_CTLS : IA32_VMX_PROCBASED_CTLS);
        exit = msr(p, useTrue ? IA32_VMX_TRUE_EXIT_CTLS : IA32_VMX_EXIT_CTLS);
        entry = msr(p, useTrue ? IA32_VMX_TRUE_ENTRY_CTLS : IA32_VMX_ENTRY_CTLS);
        long procAllowed1 = proc >>> 32;
        proc2 = (procAllowed1 & PrimaryProcBasedControl.ACTIVATE_SECONDARY_CONTROLS.mask()) != 0
                ? msr(p, IA32_VMX_PROCBASED_CTLS2) : 0;
        proc3 = (procAllowed1 & PrimaryProcBasedControl.ACTIVATE_TERTIARY_CONTROLS.mask()) != 0
                ? msr(p, IA32_VMX_PROCBASED_CTLS3) : 0;
        exit2 = (exit >>> 32 & ExitControl.ACTIVATE_SECONDARY_CONTROLS.mask()) != 0
                ? msr(p, IA32_VMX_EXIT_CTLS2) : 0;
        misc = msr(p, IA32_VMX_MISC);
        cr0Fixed0 = msr(p, IA32_VMX_CR0_FIXED0);
        cr0Fixed1 = msr(p, IA32_VMX_CR0_FIXED1);
        cr4Fixed0 = msr(p, IA32_VMX_CR4_FIXED0);
        cr4Fixed1 = msr(p, IA32_VMX_CR4_FIXED1);
        vmcsEnum = msr(p, IA32_VMX_VMCS_ENUM);
        long proc2Allowed1 = proc2 >>> 32;
        eptVpidCap = (proc2Allowed1 & (SecondaryProcBasedControl.ENABLE_EPT.mask()
                | SecondaryProcBasedControl.ENABLE_VPID.mask())) != 0 ? msr(p, IA32_VMX_EPT_VPID_CAP) : 0;
        vmfunc = (proc2Allowed1 & SecondaryProcBasedControl.ENABLE_VM_FUNCTIONS.mask()) != 0
                ? msr(p, IA32_VMX_VMFUNC) : 0;
        fieldSupported = new boolean[VmcsField.count()];
        for (VmcsField f : VmcsField.values()) {
            fieldSupported[f.denseId()] = f.index() <= highestVmcsIndex() && hasFeature(f.feature());
        }
    }

    private static long msr(CpuProfile p, int index) {
        return p.hasMsr(index) ? p.msr(index) : 0;
    }

    /** The capabilities a profile advertises, or {@link #none()} without VMX. */
    public static VmxCapabilities of(CpuProfile profile) {
        if (!profile.hasFeature(1, 0, 2, 5) || !profile.hasMsr(IA32_VMX_BASIC)) {
            return NONE;
        }
        return new VmxCapabilities(profile);
    }

    /** A processor without VMX: {@link #supported()} is false and nothing is allowed. */
    public static VmxCapabilities none() {
        return NONE;
    }

    /** True if the processor supports VMX (CPUID.1:ECX.VMX[5] and IA32_VMX_BASIC present). */
    public boolean supported() {
        return supported;
    }

    // ---- IA32_VMX_BASIC (SDM "Basic VMX Information") ----

    /** IA32_VMX_BASIC[54]: VM exits due to INS/OUTS report instruction information. */
    public static final long BASIC_INS_OUTS_INFO = 1L << 54;
    /** IA32_VMX_BASIC[55]: the IA32_VMX_TRUE_* MSRs exist and give the control settings. */
    public static final long BASIC_TRUE_CONTROLS = 1L << 55;
    /** IA32_VMX_BASIC[56]: hardware exceptions may be injected with or without an error code. */
    public static final long BASIC_NO_ERROR_CODE_REQUIREMENT = 1L << 56;

    /** The raw IA32_VMX_BASIC value. */
    public long basic() {
        return basic;
    }

    /** IA32_VMX_BASIC[30:0]: the VMCS revision identifier. */
    public int vmcsRevisionId() {
        return (int) (basic & 0x7FFF_FFFFL);
    }

    /** IA32_VMX_BASIC[44:32]: bytes to allocate for the VMXON region and any VMCS region. */
    public int vmcsRegionSize() {
        return (int) (basic >>> 32 & 0x1FFF);
    }

    /** IA32_VMX_BASIC[48]: VMXON, VMCS and related addresses are limited to 32 bits. */
    public boolean physicalAddressesLimitedTo32Bits() {
        return (basic >>> 48 & 1) != 0;
    }

    /** IA32_VMX_BASIC[49]: dual-monitor treatment of SMIs and SMM is supported. */
    public boolean dualMonitorTreatment() {
        return (basic >>> 49 & 1) != 0;
    }

    /** IA32_VMX_BASIC[53:50]: the memory type for VMCS accesses (0 UC, 6 WB). */
    public int vmcsMemoryType() {
        return (int) (basic >>> 50 & 0xF);
    }

    /** IA32_VMX_BASIC[54]: INS/OUTS exits report VM-exit instruction information. */
    public boolean insOutsInstructionInformation() {
        return (basic & BASIC_INS_OUTS_INFO) != 0;
    }

    /** IA32_VMX_BASIC[55]: the TRUE control MSRs are used. */
    public boolean trueControls() {
        return (basic & BASIC_TRUE_CONTROLS) != 0;
    }

    /** IA32_VMX_BASIC[56]: no error-code requirement for injected hardware exceptions. */
    public boolean noErrorCodeRequirement() {
        return (basic & BASIC_NO_ERROR_CODE_REQUIREMENT) != 0;
    }

    /** IA32_VMX_BASIC[58]: VMX nested-exception support (FRED). */
    public boolean nestedExceptionSupport() {
        return (basic >>> 58 & 1) != 0;
    }

    // ---- controls: allowed-0 (must be 1) and allowed-1 (may be 1) ----

    /** The raw control MSR in use (TRUE or not) for the pin-based controls. */
    public long pinBasedMsr() {
        return pin;
    }

    public long pinAllowed0() {
        return pin & 0xFFFF_FFFFL;
    }

    public long pinAllowed1() {
        return pin >>> 32;
    }

    public long primaryProcBasedMsr() {
        return proc;
    }

    public long primaryAllowed0() {
        return proc & 0xFFFF_FFFFL;
    }

    public long primaryAllowed1() {
        return proc >>> 32;
    }

    public long secondaryProcBasedMsr() {
        return proc2;
    }

    public long secondaryAllowed0() {
        return proc2 & 0xFFFF_FFFFL;
    }

    public long secondaryAllowed1() {
        return proc2 >>> 32;
    }

    /** Tertiary controls: no allowed-0 settings (every bit may be 0). */
    public long tertiaryAllowed0() {
        return 0;
    }

    /** IA32_VMX_PROCBASED_CTLS3: the 64 allowed-1 bits of the tertiary controls. */
    public long tertiaryAllowed1() {
        return proc3;
    }

    public long exitMsr() {
        return exit;
    }

    public long exitAllowed0() {
        return exit & 0xFFFF_FFFFL;
    }

    public long exitAllowed1() {
        return exit >>> 32;
    }

    /** Secondary VM-exit controls: no allowed-0 settings. */
    public long secondaryExitAllowed0() {
        return 0;
    }

    /** IA32_VMX_EXIT_CTLS2: the 64 allowed-1 bits of the secondary VM-exit controls. */
    public long secondaryExitAllowed1() {
        return exit2;
    }

    public long entryMsr() {
        return entry;
    }

    public long entryAllowed0() {
        return entry & 0xFFFF_FFFFL;
    }

    public long entryAllowed1() {
        return entry >>> 32;
    }

    /**
     * The bits of {@code value} that break the settings: bits that must be 1 but are 0, and bits
     * that must be 0 but are 1. Zero means the value is allowed.
     */
    public static long violations(long value, long allowed0, long allowed1) {
        return (~value & allowed0) | (value & ~allowed1);
    }

    private static boolean allowed(long allowed0, long allowed1, long mask, boolean set) {
        return set ? (allowed1 & mask) != 0 : (allowed0 & mask) == 0;
    }

    /** True if control {@code c} may be {@code set} (1) or clear (0). */
    public boolean allowed(PinBasedControl c, boolean set) {
        return allowed(pinAllowed0(), pinAllowed1(), c.mask(), set);
    }

    public boolean allowed(PrimaryProcBasedControl c, boolean set) {
        return allowed(primaryAllowed0(), primaryAllowed1(), c.mask(), set);
    }

    public boolean allowed(SecondaryProcBasedControl c, boolean set) {
        return allowed(secondaryAllowed0(), secondaryAllowed1(), c.mask(), set);
    }

    public boolean allowed(TertiaryProcBasedControl c, boolean set) {
        return allowed(tertiaryAllowed0(), tertiaryAllowed1(), c.mask(), set);
    }

    public boolean allowed(ExitControl c, boolean set) {
        return allowed(exitAllowed0(), exitAllowed1(), c.mask(), set);
    }

    public boolean allowed(EntryControl c, boolean set) {
        return allowed(entryAllowed0(), entryAllowed1(), c.mask(), set);
    }

    public boolean allowed(SecondaryExitControl c, boolean set) {
        return allowed(secondaryExitAllowed0(), secondaryExitAllowed1(), c.mask(), set);
    }

    /** True if control {@code c} may be 1. */
    public boolean canSet(VmxControl c) {
        if (c instanceof PinBasedControl) {
            return allowed((PinBasedControl) c, true);
        } else if (c instanceof PrimaryProcBasedControl) {
            return allowed((PrimaryProcBasedControl) c, true);
        } else if (c instanceof SecondaryProcBasedControl) {
            return allowed((SecondaryProcBasedControl) c, true);
        } else if (c instanceof TertiaryProcBasedControl) {
            return allowed((TertiaryProcBasedControl) c, true);
        } else if (c instanceof ExitControl) {
            return allowed((ExitControl) c, true);
        } else if (c instanceof EntryControl) {
            return allowed((EntryControl) c, true);
        } else if (c instanceof SecondaryExitControl) {
            return allowed((SecondaryExitControl) c, true);
        }
        throw new IllegalArgumentException("unknown control type: " + c.getClass().getName());
    }

    // ---- IA32_VMX_MISC (SDM "Miscellaneous Data") ----

    public long misc() {
        return misc;
    }

    /** MISC[4:0]: the VMX-preemption timer counts down by 1 every time TSC bit X changes, X = this. */
    public int preemptionTimerRate() {
        return (int) (misc & 0x1F);
    }

    /** MISC[5]: VM exits store EFER.LMA into the "IA-32e mode guest" entry control. */
    public boolean storesEferLmaOnExit() {
        return (misc >>> 5 & 1) != 0;
    }

    /**
     * MISC[8:6]: whether activity state {@code state} (0 active, 1 HLT, 2 shutdown, 3
     * wait-for-SIPI) is supported; active is always supported.
     */
    public boolean activityStateSupported(int state) {
        switch (state) {
            case 0: return supported;
            case 1: return (misc >>> 6 & 1) != 0;
            case 2: return (misc >>> 7 & 1) != 0;
            case 3: return (misc >>> 8 & 1) != 0;
            default: return false;
        }
    }

    /** MISC[14]: Intel PT may be used in VMX operation. */
    public boolean intelPtInVmx() {
        return (misc >>> 14 & 1) != 0;
    }

    /** MISC[15]: RDMSR can read IA32_SMBASE in SMM. */
    public boolean rdmsrSmbaseInSmm() {
        return (misc >>> 15 & 1) != 0;
    }

    /** MISC[24:16]: the number of CR3-target values supported. */
    public int cr3TargetCount() {
        return (int) (misc >>> 16 & 0x1FF);
    }

    /** MISC[27:25] = N: the recommended maximum number of MSRs in each MSR list is 512 * (N + 1). */
    public int maxMsrListCount() {
        return 512 * ((int) (misc >>> 25 & 7) + 1);
    }

    /** MISC[28]: bit 2 of IA32_SMM_MONITOR_CTL can be set (SMIs blocked in VMXOFF). */
    public boolean smmMonitorCtlBit2() {
        return (misc >>> 28 & 1) != 0;
    }

    /** MISC[29]: VMWRITE may write any supported field, including the VM-exit information fields. */
    public boolean vmwriteToAnyField() {
        return (misc >>> 29 & 1) != 0;
    }

    /** MISC[30]: VM entry may inject software interrupts and exceptions of instruction length 0. */
    public boolean zeroLengthInstructionInjection() {
        return (misc >>> 30 & 1) != 0;
    }

    /** MISC[63:32]: the MSEG revision identifier. */
    public int msegRevisionId() {
        return (int) (misc >>> 32);
    }

    // ---- fixed bits (SDM "VMX-Fixed Bits in CR0" / "in CR4") ----

    /** CR0 bits that must be 1 in VMX operation. */
    public long cr0Fixed0() {
        return cr0Fixed0;
    }

    /** CR0 bits that may be 1 in VMX operation (a bit clear here must be 0). */
    public long cr0Fixed1() {
        return cr0Fixed1;
    }

    public long cr4Fixed0() {
        return cr4Fixed0;
    }

    public long cr4Fixed1() {
        return cr4Fixed1;
    }

    // ---- VMCS enumeration ----

    /** The raw IA32_VMX_VMCS_ENUM value. */
    public long vmcsEnum() {
        return vmcsEnum;
    }

    /** IA32_VMX_VMCS_ENUM[9:1]: the highest index value used for any VMCS encoding. */
    public int highestVmcsIndex() {
        return (int) (vmcsEnum >>> 1 & 0x1FF);
    }

    /**
     * The highest index of any field whose feature this processor supports, regardless of
     * IA32_VMX_VMCS_ENUM: what VMCS_ENUM[9:1] should report for the profile's controls (SDM
     * "VMCS Enumeration": "the highest index value used for any VMCS encoding"). -1 without VMX.
     */
    public int impliedHighestVmcsIndex() {
        int max = -1;
        for (VmcsField f : VmcsField.values()) {
            if (hasFeature(f.feature())) {
                max = Math.max(max, f.index());
            }
        }
        return max;
    }

    /** The raw IA32_VMX_EPT_VPID_CAP value (0 when neither EPT nor VPID may be enabled). */
    public long eptVpidCapMsr() {
        return eptVpidCap;
    }

    /** IA32_VMX_EPT_VPID_CAP decoded by ept-mmu. */
    public EptCapabilities ept() {
        return EptCapabilities.of(eptVpidCap);
    }

    /** IA32_VMX_VMFUNC: the VM functions that may be enabled (bit 0: EPTP switching). */
    public long vmfunc() {
        return vmfunc;
    }

    /**
     * Whether the processor supports VMCS field {@code f}: its index is at most
     * {@link #highestVmcsIndex()} and its {@link VmcsFeature} is supported. VMREAD/VMWRITE of an
     * unsupported field fail with error 12.
     */
    public boolean hasField(VmcsField f) {
        return fieldSupported[f.denseId()];
    }

    /**
     * The VM-instruction error VMREAD reports for field encoding {@code encoding} (the register
     * operand, any 32 bits), or null if the field may be read. SDM "VMREAD": "IF (register
     * operand) does not correspond to any VMCS field THEN VMfailValid(VMREAD/VMWRITE from/to
     * unsupported VMCS component)". A "high" encoding of a 64-bit field is supported with it.
     */
    public VmInstructionError vmreadError(long encoding) {
        VmcsField f = (encoding & ~0xFFFF_FFFFL) != 0 ? null : VmcsField.byEncoding((int) encoding);
        return f == null || !hasField(f) ? VmInstructionError.VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT : null;
    }

    /**
     * The VM-instruction error VMWRITE reports for {@code encoding}, or null if it may be
     * written. SDM "VMWRITE": an unsupported component gives error 12; "ELSIF VMCS field indexed
     * by (register operand) is read-only and IA32_VMX_MISC[29] = 0 THEN VMfailValid(VMWRITE to
     * read-only VMCS component)", error 13.
     */
    public VmInstructionError vmwriteError(long encoding) {
        VmInstructionError e = vmreadError(encoding);
        if (e != null) {
            return e;
        }
        VmcsField f = VmcsField.byEncoding((int) encoding);
        return f.isReadOnly() && !vmwriteToAnyField() ? VmInstructionError.VMWRITE_TO_READ_ONLY_VMCS_COMPONENT : null;
    }

    /** Whether the processor supports {@code feature}, from the capability MSRs (and CPUID). */
    public boolean hasFeature(VmcsFeature feature) {
        if (!supported) {
            return false;
        }
        switch (feature) {
            case ALWAYS: return true;
            case VPID: return allowed(SecondaryProcBasedControl.ENABLE_VPID, true);
            case POSTED_INTERRUPTS: return allowed(PinBasedControl.PROCESS_POSTED_INTERRUPTS, true);
            case EPT: return allowed(SecondaryProcBasedControl.ENABLE_EPT, true);
            case EPTP_SWITCHING:
                return allowed(SecondaryProcBasedControl.ENABLE_VM_FUNCTIONS, true) && (vmfunc & 1) != 0;
            case PML: return allowed(SecondaryProcBasedControl.ENABLE_PML, true);
            case VIRTUAL_INTERRUPT_DELIVERY: return allowed(SecondaryProcBasedControl.VIRTUAL_INTERRUPT_DELIVERY, true);
            case VMCS_SHADOWING: return allowed(SecondaryProcBasedControl.VMCS_SHADOWING, true);
            case EPT_VIOLATION_VE: return allowed(SecondaryProcBasedControl.EPT_VIOLATION_VE, true);
            case XSAVES: return allowed(SecondaryProcBasedControl.ENABLE_XSAVES_XRSTORS, true);
            case TSC_SCALING: return allowed(SecondaryProcBasedControl.USE_TSC_SCALING, true);
            case TERTIARY_CONTROLS: return allowed(PrimaryProcBasedControl.ACTIVATE_TERTIARY_CONTROLS, true);
            case ENCLS_EXITING: return allowed(SecondaryProcBasedControl.ENABLE_ENCLS_EXITING, true);
            case ENCLV_EXITING: return allowed(SecondaryProcBasedControl.ENABLE_ENCLV_EXITING, true);
            case SPP: return allowed(SecondaryProcBasedControl.SUB_PAGE_WRITE_PERMISSIONS_FOR_EPT, true);
            case PCONFIG: return allowed(SecondaryProcBasedControl.ENABLE_PCONFIG, true);
            case PASID_TRANSLATION: return allowed(SecondaryProcBasedControl.PASID_TRANSLATION, true);
            case HLAT: return allowed(TertiaryProcBasedControl.ENABLE_HLAT, true);
            case IPI_VIRTUALIZATION: return allowed(TertiaryProcBasedControl.IPI_VIRTUALIZATION, true);
            case SPEC_CTRL_VIRTUALIZATION: return allowed(TertiaryProcBasedControl.VIRTUALIZE_IA32_SPEC_CTRL, true);
            case SECONDARY_EXIT_CONTROLS: return allowed(ExitControl.ACTIVATE_SECONDARY_CONTROLS, true);
            case INSTRUCTION_TIMEOUT: return allowed(SecondaryProcBasedControl.INSTRUCTION_TIMEOUT, true);
            case USER_INTERRUPTS:
                return allowed(EntryControl.LOAD_UINV, true) || allowed(ExitControl.CLEAR_UINV, true);
            case FRED:
                return allowed(EntryControl.LOAD_FRED, true) || allowed(SecondaryExitControl.SAVE_FRED, true)
                        || allowed(SecondaryExitControl.LOAD_FRED, true);
            case MSR_LIST: return allowed(TertiaryProcBasedControl.ENABLE_MSR_LIST_INSTRUCTIONS, true);
            case APIC_TIMER_VIRTUALIZATION: return allowed(TertiaryProcBasedControl.APIC_TIMER_VIRTUALIZATION, true);
            case LOAD_SPEC_CTRL:
                return allowed(EntryControl.LOAD_IA32_SPEC_CTRL, true)
                        || allowed(SecondaryExitControl.LOAD_IA32_SPEC_CTRL, true);
            case SEAM: return false;
            case MSR_BITMAPS: return allowed(PrimaryProcBasedControl.USE_MSR_BITMAPS, true);
            case TPR_SHADOW: return allowed(PrimaryProcBasedControl.USE_TPR_SHADOW, true);
            case APIC_ACCESS: return allowed(SecondaryProcBasedControl.VIRTUALIZE_APIC_ACCESSES, true);
            case VM_FUNCTIONS: return allowed(SecondaryProcBasedControl.ENABLE_VM_FUNCTIONS, true);
            case PAUSE_LOOP_EXITING: return allowed(SecondaryProcBasedControl.PAUSE_LOOP_EXITING, true);
            case PREEMPTION_TIMER: return allowed(PinBasedControl.ACTIVATE_VMX_PREEMPTION_TIMER, true);
            case LOAD_PAT:
                return allowed(EntryControl.LOAD_IA32_PAT, true) || allowed(ExitControl.SAVE_IA32_PAT, true)
                        || allowed(ExitControl.LOAD_IA32_PAT, true);
            case LOAD_EFER:
                return allowed(EntryControl.LOAD_IA32_EFER, true) || allowed(ExitControl.SAVE_IA32_EFER, true)
                        || allowed(ExitControl.LOAD_IA32_EFER, true);
            case LOAD_PERF_GLOBAL_CTRL:
                return allowed(EntryControl.LOAD_IA32_PERF_GLOBAL_CTRL, true)
                        || allowed(ExitControl.LOAD_IA32_PERF_GLOBAL_CTRL, true)
                        || allowed(ExitControl.SAVE_IA32_PERF_GLOBAL_CTL, true);
            case BNDCFGS:
                return allowed(EntryControl.LOAD_IA32_BNDCFGS, true) || allowed(ExitControl.CLEAR_IA32_BNDCFGS, true);
            case RTIT:
                return allowed(EntryControl.LOAD_IA32_RTIT_CTL, true) || allowed(ExitControl.CLEAR_IA32_RTIT_CTL, true);
            case CET: return allowed(EntryControl.LOAD_CET_STATE, true) || allowed(ExitControl.LOAD_CET_STATE, true);
            case PKRS: return allowed(EntryControl.LOAD_PKRS, true) || allowed(ExitControl.LOAD_PKRS, true);
            case LBR:
                return allowed(EntryControl.LOAD_GUEST_IA32_LBR_CTL, true)
                        || allowed(ExitControl.CLEAR_IA32_LBR_CTL, true);
            default:
                throw new IllegalStateException("feature without a rule: " + feature);
        }
    }

    @Override
    public String toString() {
        return supported ? String.format("VmxCapabilities[revision 0x%x, TRUE controls %s]", vmcsRevisionId(),
                trueControls()) : "VmxCapabilities[no VMX]";
    }
}
