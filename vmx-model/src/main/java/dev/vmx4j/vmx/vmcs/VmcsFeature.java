package dev.vmx4j.vmx.vmcs;

/**
 * The processor feature a VMCS field depends on: the SDM's appendix "Field Encoding in VMCS"
 * says, field by field, "This field is supported only on processors that support the 1-setting
 * of the ... control" (or a CPUID feature). A field of an unsupported feature makes VMREAD and
 * VMWRITE fail with error 12; {@code VmxCapabilities.hasField} decides it from the capability
 * MSRs.
 *
 * <p>Where the SDM names several controls ("either the 1-setting of the 'load IA32_PAT' VM-entry
 * control or that of the 'save IA32_PAT' VM-exit control"), the feature is present when any of
 * them may be 1.
 */
public enum VmcsFeature {
    /** Present on every processor that supports VMX. */
    ALWAYS,
    /** Secondary control "enable VPID". */
    VPID,
    /** Pin-based control "process posted interrupts". */
    POSTED_INTERRUPTS,
    /** Secondary control "enable EPT". */
    EPT,
    /** EPTP switching: secondary control "enable VM functions" and IA32_VMX_VMFUNC[0]. */
    EPTP_SWITCHING,
    /** Secondary control "enable PML". */
    PML,
    /** Secondary control "virtual-interrupt delivery". */
    VIRTUAL_INTERRUPT_DELIVERY,
    /** Secondary control "VMCS shadowing". */
    VMCS_SHADOWING,
    /** Secondary control "EPT-violation #VE". */
    EPT_VIOLATION_VE,
    /** Secondary control "enable XSAVES/XRSTORS". */
    XSAVES,
    /** Secondary control "use TSC scaling". */
    TSC_SCALING,
    /** Primary control "activate tertiary controls". */
    TERTIARY_CONTROLS,
    /** Secondary control "enable ENCLS exiting". */
    ENCLS_EXITING,
    /** Secondary control "enable ENCLV exiting". */
    ENCLV_EXITING,
    /** Secondary control "sub-page write permissions for EPT". */
    SPP,
    /** Secondary control "enable PCONFIG". */
    PCONFIG,
    /** Secondary control "PASID translation". */
    PASID_TRANSLATION,
    /** Tertiary control "enable HLAT". */
    HLAT,
    /** Tertiary control "IPI virtualization". */
    IPI_VIRTUALIZATION,
    /** Tertiary control "virtualize IA32_SPEC_CTRL". */
    SPEC_CTRL_VIRTUALIZATION,
    /** Primary VM-exit control "activate secondary controls". */
    SECONDARY_EXIT_CONTROLS,
    /** Secondary control "instruction timeout" (Linux: notify VM exits). */
    INSTRUCTION_TIMEOUT,
    /** User interrupts: "load UINV" entry control or "clear UINV" exit control. */
    USER_INTERRUPTS,
    /** FRED: "load FRED" entry control, or "save FRED"/"load FRED" secondary exit controls. */
    FRED,
    /** Tertiary control "enable MSR-list instructions". */
    MSR_LIST,
    /** Tertiary control "APIC-timer virtualization". */
    APIC_TIMER_VIRTUALIZATION,
    /** "load IA32_SPEC_CTRL" entry control or secondary exit control. */
    LOAD_SPEC_CTRL,
    /** Fields used only by the Intel TDX module in SEAM VMX operation; never supported here. */
    SEAM,
    /** Primary control "use MSR bitmaps". */
    MSR_BITMAPS,
    /** Primary control "use TPR shadow". */
    TPR_SHADOW,
    /** Secondary control "virtualize APIC accesses". */
    APIC_ACCESS,
    /** Secondary control "enable VM functions". */
    VM_FUNCTIONS,
    /** Secondary control "PAUSE-loop exiting". */
    PAUSE_LOOP_EXITING,
    /** Pin-based control "activate VMX-preemption timer". */
    PREEMPTION_TIMER,
    /** "load IA32_PAT" entry control, or "save/load IA32_PAT" exit controls. */
    LOAD_PAT,
    /** "load IA32_EFER" entry control, or "save/load IA32_EFER" exit controls. */
    LOAD_EFER,
    /** "load IA32_PERF_GLOBAL_CTRL" entry or exit control, or "save IA32_PERF_GLOBAL_CTL". */
    LOAD_PERF_GLOBAL_CTRL,
    /** "load IA32_BNDCFGS" entry control or "clear IA32_BNDCFGS" exit control. */
    BNDCFGS,
    /** "load IA32_RTIT_CTL" entry control or "clear IA32_RTIT_CTL" exit control. */
    RTIT,
    /** "load CET state" entry or exit control. */
    CET,
    /** "load PKRS" entry or exit control. */
    PKRS,
    /** "load guest IA32_LBR_CTL" entry control or "clear IA32_LBR_CTL" exit control. */
    LBR
}
