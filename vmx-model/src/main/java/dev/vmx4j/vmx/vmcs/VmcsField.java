package dev.vmx4j.vmx.vmcs;

import static dev.vmx4j.vmx.vmcs.VmcsFeature.*;

/**
 * Every VMCS field of the SDM's appendix "Field Encoding in VMCS", one constant per field, named
 * as the SDM names it. A 64-bit field is one constant (its "full" encoding); the "high" access
 * encoding ({@code encoding | 1}, the upper 32 bits) maps to the same constant through
 * {@link #byEncoding(int)} and is recognised by {@link #isHighAccess(int)}.
 *
 * <p>Width, type and index are not stored: they are decoded from the encoding (SDM "VMREAD,
 * VMWRITE, and Encodings of VMCS Fields": bit 0 access type, bits 9:1 index, bits 11:10 type,
 * bits 14:13 width). Each field also names the {@link VmcsFeature} it depends on.
 *
 * <p>Naming: encoding 0x400C is {@link #PRIMARY_VM_EXIT_CONTROLS} (the name of the current SDM,
 * which also defines {@link #SECONDARY_VM_EXIT_CONTROLS}); older editions call it "VM-exit
 * controls". The newest fields (FRED, MSR lists, IA32_SPEC_CTRL virtualization, APIC-timer
 * virtualization) follow the Intel specifications that introduce them (FRED specification,
 * ISE), which the SDM takes over; Bochs' current cpu/vmx.h agrees on every one of them. {@link #denseId()} numbers the constants 0..{@code values().length - 1} for array-indexed
 * storage; it is not an SDM number.
 */
public enum VmcsField {
    // SDM "16-Bit Control Fields"
    VIRTUAL_PROCESSOR_IDENTIFIER(0x0000, VPID, "Virtual-processor identifier (VPID)"),
    POSTED_INTERRUPT_NOTIFICATION_VECTOR(0x0002, POSTED_INTERRUPTS, "Posted-interrupt notification vector"),
    EPTP_INDEX(0x0004, EPT_VIOLATION_VE, "EPTP index"),
    HLAT_PREFIX_SIZE(0x0006, HLAT, "HLAT prefix size"),
    LAST_PID_POINTER_INDEX(0x0008, IPI_VIRTUALIZATION, "Last PID-pointer index"),
    VIRTUAL_TIMER_VECTOR(0x000A, APIC_TIMER_VIRTUALIZATION, "Virtual timer vector"),

    // SDM "16-Bit Guest-State Fields"
    GUEST_ES_SELECTOR(0x0800, ALWAYS, "Guest ES selector"),
    GUEST_CS_SELECTOR(0x0802, ALWAYS, "Guest CS selector"),
    GUEST_SS_SELECTOR(0x0804, ALWAYS, "Guest SS selector"),
    GUEST_DS_SELECTOR(0x0806, ALWAYS, "Guest DS selector"),
    GUEST_FS_SELECTOR(0x0808, ALWAYS, "Guest FS selector"),
    GUEST_GS_SELECTOR(0x080A, ALWAYS, "Guest GS selector"),
    GUEST_LDTR_SELECTOR(0x080C, ALWAYS, "Guest LDTR selector"),
    GUEST_TR_SELECTOR(0x080E, ALWAYS, "Guest TR selector"),
    GUEST_INTERRUPT_STATUS(0x0810, VIRTUAL_INTERRUPT_DELIVERY, "Guest interrupt status"),
    PML_INDEX(0x0812, PML, "PML index"),
    GUEST_UINV(0x0814, USER_INTERRUPTS, "Guest UINV"),

    // SDM "16-Bit Host-State Fields"
    HOST_ES_SELECTOR(0x0C00, ALWAYS, "Host ES selector"),
    HOST_CS_SELECTOR(0x0C02, ALWAYS, "Host CS selector"),
    HOST_SS_SELECTOR(0x0C04, ALWAYS, "Host SS selector"),
    HOST_DS_SELECTOR(0x0C06, ALWAYS, "Host DS selector"),
    HOST_FS_SELECTOR(0x0C08, ALWAYS, "Host FS selector"),
    HOST_GS_SELECTOR(0x0C0A, ALWAYS, "Host GS selector"),
    HOST_TR_SELECTOR(0x0C0C, ALWAYS, "Host TR selector"),

    // SDM "64-Bit Control Fields"
    ADDRESS_OF_IO_BITMAP_A(0x2000, ALWAYS, "Address of I/O bitmap A"),
    ADDRESS_OF_IO_BITMAP_B(0x2002, ALWAYS, "Address of I/O bitmap B"),
    ADDRESS_OF_MSR_BITMAPS(0x2004, MSR_BITMAPS, "Address of MSR bitmaps"),
    VM_EXIT_MSR_STORE_ADDRESS(0x2006, ALWAYS, "VM-exit MSR-store address"),
    VM_EXIT_MSR_LOAD_ADDRESS(0x2008, ALWAYS, "VM-exit MSR-load address"),
    VM_ENTRY_MSR_LOAD_ADDRESS(0x200A, ALWAYS, "VM-entry MSR-load address"),
    EXECUTIVE_VMCS_POINTER(0x200C, ALWAYS, "Executive-VMCS pointer"),
    PML_ADDRESS(0x200E, PML, "PML address"),
    TSC_OFFSET(0x2010, ALWAYS, "TSC offset"),
    VIRTUAL_APIC_ADDRESS(0x2012, TPR_SHADOW, "Virtual-APIC address"),
    APIC_ACCESS_ADDRESS(0x2014, APIC_ACCESS, "APIC-access address"),
    POSTED_INTERRUPT_DESCRIPTOR_ADDRESS(0x2016, POSTED_INTERRUPTS, "Posted-interrupt descriptor address"),
    VM_FUNCTION_CONTROLS(0x2018, VM_FUNCTIONS, "VM-function controls"),
    EPT_POINTER(0x201A, EPT, "EPT pointer (EPTP)"),
    EOI_EXIT_BITMAP_0(0x201C, VIRTUAL_INTERRUPT_DELIVERY, "EOI-exit bitmap 0 (EOI_EXIT0)"),
    EOI_EXIT_BITMAP_1(0x201E, VIRTUAL_INTERRUPT_DELIVERY, "EOI-exit bitmap 1 (EOI_EXIT1)"),
    EOI_EXIT_BITMAP_2(0x2020, VIRTUAL_INTERRUPT_DELIVERY, "EOI-exit bitmap 2 (EOI_EXIT2)"),
    EOI_EXIT_BITMAP_3(0x2022, VIRTUAL_INTERRUPT_DELIVERY, "EOI-exit bitmap 3 (EOI_EXIT3)"),
    EPTP_LIST_ADDRESS(0x2024, EPTP_SWITCHING, "EPTP-list address"),
    VMREAD_BITMAP_ADDRESS(0x2026, VMCS_SHADOWING, "VMREAD-bitmap address"),
    VMWRITE_BITMAP_ADDRESS(0x2028, VMCS_SHADOWING, "VMWRITE-bitmap address"),
    VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS(0x202A, EPT_VIOLATION_VE,
            "Virtualization-exception information address"),
    XSS_EXITING_BITMAP(0x202C, XSAVES, "XSS-exiting bitmap"),
    ENCLS_EXITING_BITMAP(0x202E, ENCLS_EXITING, "ENCLS-exiting bitmap"),
    SUB_PAGE_PERMISSION_TABLE_POINTER(0x2030, SPP, "Sub-page-permission-table pointer (SPPTP)"),
    TSC_MULTIPLIER(0x2032, TSC_SCALING, "TSC multiplier"),
    TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS(0x2034, TERTIARY_CONTROLS,
            "Tertiary processor-based VM-execution controls"),
    ENCLV_EXITING_BITMAP(0x2036, ENCLV_EXITING, "ENCLV-exiting bitmap"),
    LOW_PASID_DIRECTORY_ADDRESS(0x2038, PASID_TRANSLATION, "Low PASID directory address"),
    HIGH_PASID_DIRECTORY_ADDRESS(0x203A, PASID_TRANSLATION, "High PASID directory address"),
    SHARED_EPT_POINTER(0x203C, SEAM, "Shared EPT pointer"),
    PCONFIG_EXITING_BITMAP(0x203E, PCONFIG, "PCONFIG-exiting bitmap"),
    HYPERVISOR_MANAGED_LINEAR_ADDRESS_TRANSLATION_POINTER(0x2040, HLAT,
            "Hypervisor-managed linear-address translation pointer (HLATP)"),
    PID_POINTER_TABLE_ADDRESS(0x2042, IPI_VIRTUALIZATION, "PID-pointer table address"),
    SECONDARY_VM_EXIT_CONTROLS(0x2044, SECONDARY_EXIT_CONTROLS, "Secondary VM-exit controls"),
    IA32_SPEC_CTRL_MASK(0x204A, SPEC_CTRL_VIRTUALIZATION, "IA32_SPEC_CTRL mask"),
    IA32_SPEC_CTRL_SHADOW(0x204C, SPEC_CTRL_VIRTUALIZATION, "IA32_SPEC_CTRL shadow"),
    GUEST_DEADLINE_SHADOW(0x204E, APIC_TIMER_VIRTUALIZATION, "Guest deadline shadow"),
    INJECTED_EVENT_DATA(0x2052, FRED, "Injected-event data"),

    // SDM "64-Bit Read-Only Data Field"
    GUEST_PHYSICAL_ADDRESS(0x2400, EPT, "Guest-physical address"),
    MSR_DATA(0x2402, MSR_LIST, "MSR data"),
    ORIGINAL_EVENT_DATA(0x2404, FRED, "Original-event data"),

    // SDM "64-Bit Guest-State Fields"
    VMCS_LINK_POINTER(0x2800, ALWAYS, "VMCS link pointer"),
    GUEST_IA32_DEBUGCTL(0x2802, ALWAYS, "Guest IA32_DEBUGCTL"),
    GUEST_IA32_PAT(0x2804, LOAD_PAT, "Guest IA32_PAT"),
    GUEST_IA32_EFER(0x2806, LOAD_EFER, "Guest IA32_EFER"),
    GUEST_IA32_PERF_GLOBAL_CTRL(0x2808, LOAD_PERF_GLOBAL_CTRL, "Guest IA32_PERF_GLOBAL_CTRL"),
    GUEST_PDPTE0(0x280A, EPT, "Guest PDPTE0"),
    GUEST_PDPTE1(0x280C, EPT, "Guest PDPTE1"),
    GUEST_PDPTE2(0x280E, EPT, "Guest PDPTE2"),
    GUEST_PDPTE3(0x2810, EPT, "Guest PDPTE3"),
    GUEST_IA32_BNDCFGS(0x2812, BNDCFGS, "Guest IA32_BNDCFGS"),
    GUEST_IA32_RTIT_CTL(0x2814, RTIT, "Guest IA32_RTIT_CTL"),
    GUEST_IA32_LBR_CTL(0x2816, LBR, "Guest IA32_LBR_CTL"),
    GUEST_IA32_PKRS(0x2818, PKRS, "Guest IA32_PKRS"),
    GUEST_IA32_FRED_CONFIG(0x281A, FRED, "Guest IA32_FRED_CONFIG"),
    GUEST_IA32_FRED_RSP1(0x281C, FRED, "Guest IA32_FRED_RSP1"),
    GUEST_IA32_FRED_RSP2(0x281E, FRED, "Guest IA32_FRED_RSP2"),
    GUEST_IA32_FRED_RSP3(0x2820, FRED, "Guest IA32_FRED_RSP3"),
    GUEST_IA32_FRED_STKLVLS(0x2822, FRED, "Guest IA32_FRED_STKLVLS"),
    GUEST_IA32_FRED_SSP1(0x2824, FRED, "Guest IA32_FRED_SSP1"),
    GUEST_IA32_FRED_SSP2(0x2826, FRED, "Guest IA32_FRED_SSP2"),
    GUEST_IA32_FRED_SSP3(0x2828, FRED, "Guest IA32_FRED_SSP3"),
    GUEST_IA32_SPEC_CTRL(0x282E, LOAD_SPEC_CTRL, "Guest IA32_SPEC_CTRL"),
    GUEST_DEADLINE(0x2830, APIC_TIMER_VIRTUALIZATION, "Guest deadline"),

    // SDM "64-Bit Host-State Fields"
    HOST_IA32_PAT(0x2C00, LOAD_PAT, "Host IA32_PAT"),
    HOST_IA32_EFER(0x2C02, LOAD_EFER, "Host IA32_EFER"),
    HOST_IA32_PERF_GLOBAL_CTRL(0x2C04, LOAD_PERF_GLOBAL_CTRL, "Host IA32_PERF_GLOBAL_CTRL"),
    HOST_IA32_PKRS(0x2C06, PKRS, "Host IA32_PKRS"),
    HOST_IA32_FRED_CONFIG(0x2C08, FRED, "Host IA32_FRED_CONFIG"),
    HOST_IA32_FRED_RSP1(0x2C0A, FRED, "Host IA32_FRED_RSP1"),
    HOST_IA32_FRED_RSP2(0x2C0C, FRED, "Host IA32_FRED_RSP2"),
    HOST_IA32_FRED_RSP3(0x2C0E, FRED, "Host IA32_FRED_RSP3"),
    HOST_IA32_FRED_STKLVLS(0x2C10, FRED, "Host IA32_FRED_STKLVLS"),
    HOST_IA32_FRED_SSP1(0x2C12, FRED, "Host IA32_FRED_SSP1"),
    HOST_IA32_FRED_SSP2(0x2C14, FRED, "Host IA32_FRED_SSP2"),
    HOST_IA32_FRED_SSP3(0x2C16, FRED, "Host IA32_FRED_SSP3"),
    HOST_IA32_SPEC_CTRL(0x2C1A, LOAD_SPEC_CTRL, "Host IA32_SPEC_CTRL"),

    // SDM "32-Bit Control Fields"
    PIN_BASED_VM_EXECUTION_CONTROLS(0x4000, ALWAYS, "Pin-based VM-execution controls"),
    PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS(0x4002, ALWAYS, "Primary processor-based VM-execution controls"),
    EXCEPTION_BITMAP(0x4004, ALWAYS, "Exception bitmap"),
    PAGE_FAULT_ERROR_CODE_MASK(0x4006, ALWAYS, "Page-fault error-code mask"),
    PAGE_FAULT_ERROR_CODE_MATCH(0x4008, ALWAYS, "Page-fault error-code match"),
    CR3_TARGET_COUNT(0x400A, ALWAYS, "CR3-target count"),
    PRIMARY_VM_EXIT_CONTROLS(0x400C, ALWAYS, "Primary VM-exit controls"),
    VM_EXIT_MSR_STORE_COUNT(0x400E, ALWAYS, "VM-exit MSR-store count"),
    VM_EXIT_MSR_LOAD_COUNT(0x4010, ALWAYS, "VM-exit MSR-load count"),
    VM_ENTRY_CONTROLS(0x4012, ALWAYS, "VM-entry controls"),
    VM_ENTRY_MSR_LOAD_COUNT(0x4014, ALWAYS, "VM-entry MSR-load count"),
    VM_ENTRY_INTERRUPTION_INFORMATION_FIELD(0x4016, ALWAYS, "VM-entry interruption-information field"),
    VM_ENTRY_EXCEPTION_ERROR_CODE(0x4018, ALWAYS, "VM-entry exception error code"),
    VM_ENTRY_INSTRUCTION_LENGTH(0x401A, ALWAYS, "VM-entry instruction length"),
    TPR_THRESHOLD(0x401C, TPR_SHADOW, "TPR threshold"),
    SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS(0x401E, ALWAYS,
            "Secondary processor-based VM-execution controls"),
    PLE_GAP(0x4020, PAUSE_LOOP_EXITING, "PLE_Gap"),
    PLE_WINDOW(0x4022, PAUSE_LOOP_EXITING, "PLE_Window"),
    INSTRUCTION_TIMEOUT_CONTROL(0x4024, INSTRUCTION_TIMEOUT, "Instruction-timeout control"),

    // SDM "32-Bit Read-Only Data Fields"
    VM_INSTRUCTION_ERROR(0x4400, ALWAYS, "VM-instruction error"),
    EXIT_REASON(0x4402, ALWAYS, "Exit reason"),
    VM_EXIT_INTERRUPTION_INFORMATION(0x4404, ALWAYS, "VM-exit interruption information"),
    VM_EXIT_INTERRUPTION_ERROR_CODE(0x4406, ALWAYS, "VM-exit interruption error code"),
    IDT_VECTORING_INFORMATION_FIELD(0x4408, ALWAYS, "IDT-vectoring information field"),
    IDT_VECTORING_ERROR_CODE(0x440A, ALWAYS, "IDT-vectoring error code"),
    VM_EXIT_INSTRUCTION_LENGTH(0x440C, ALWAYS, "VM-exit instruction length"),
    VM_EXIT_INSTRUCTION_INFORMATION(0x440E, ALWAYS, "VM-exit instruction information"),

    // SDM "32-Bit Guest-State Fields"
    GUEST_ES_LIMIT(0x4800, ALWAYS, "Guest ES limit"),
    GUEST_CS_LIMIT(0x4802, ALWAYS, "Guest CS limit"),
    GUEST_SS_LIMIT(0x4804, ALWAYS, "Guest SS limit"),
    GUEST_DS_LIMIT(0x4806, ALWAYS, "Guest DS limit"),
    GUEST_FS_LIMIT(0x4808, ALWAYS, "Guest FS limit"),
    GUEST_GS_LIMIT(0x480A, ALWAYS, "Guest GS limit"),
    GUEST_LDTR_LIMIT(0x480C, ALWAYS, "Guest LDTR limit"),
    GUEST_TR_LIMIT(0x480E, ALWAYS, "Guest TR limit"),
    GUEST_GDTR_LIMIT(0x4810, ALWAYS, "Guest GDTR limit"),
    GUEST_IDTR_LIMIT(0x4812, ALWAYS, "Guest IDTR limit"),
    GUEST_ES_ACCESS_RIGHTS(0x4814, ALWAYS, "Guest ES access rights"),
    GUEST_CS_ACCESS_RIGHTS(0x4816, ALWAYS, "Guest CS access rights"),
    GUEST_SS_ACCESS_RIGHTS(0x4818, ALWAYS, "Guest SS access rights"),
    GUEST_DS_ACCESS_RIGHTS(0x481A, ALWAYS, "Guest DS access rights"),
    GUEST_FS_ACCESS_RIGHTS(0x481C, ALWAYS, "Guest FS access rights"),
    GUEST_GS_ACCESS_RIGHTS(0x481E, ALWAYS, "Guest GS access rights"),
    GUEST_LDTR_ACCESS_RIGHTS(0x4820, ALWAYS, "Guest LDTR access rights"),
    GUEST_TR_ACCESS_RIGHTS(0x4822, ALWAYS, "Guest TR access rights"),
    GUEST_INTERRUPTIBILITY_STATE(0x4824, ALWAYS, "Guest interruptibility state"),
    GUEST_ACTIVITY_STATE(0x4826, ALWAYS, "Guest activity state"),
    GUEST_SMBASE(0x4828, ALWAYS, "Guest SMBASE"),
    GUEST_IA32_SYSENTER_CS(0x482A, ALWAYS, "Guest IA32_SYSENTER_CS"),
    VMX_PREEMPTION_TIMER_VALUE(0x482E, PREEMPTION_TIMER, "VMX-preemption timer value"),

    // SDM "32-Bit Host-State Field"
    HOST_IA32_SYSENTER_CS(0x4C00, ALWAYS, "Host IA32_SYSENTER_CS"),

    // SDM "Natural-Width Control Fields"
    CR0_GUEST_HOST_MASK(0x6000, ALWAYS, "CR0 guest/host mask"),
    CR4_GUEST_HOST_MASK(0x6002, ALWAYS, "CR4 guest/host mask"),
    CR0_READ_SHADOW(0x6004, ALWAYS, "CR0 read shadow"),
    CR4_READ_SHADOW(0x6006, ALWAYS, "CR4 read shadow"),
    CR3_TARGET_VALUE_0(0x6008, ALWAYS, "CR3-target value 0"),
    CR3_TARGET_VALUE_1(0x600A, ALWAYS, "CR3-target value 1"),
    CR3_TARGET_VALUE_2(0x600C, ALWAYS, "CR3-target value 2"),
    CR3_TARGET_VALUE_3(0x600E, ALWAYS, "CR3-target value 3"),

    // SDM "Natural-Width Read-Only Data Fields"
    EXIT_QUALIFICATION(0x6400, ALWAYS, "Exit qualification"),
    IO_RCX(0x6402, ALWAYS, "I/O RCX"),
    IO_RSI(0x6404, ALWAYS, "I/O RSI"),
    IO_RDI(0x6406, ALWAYS, "I/O RDI"),
    IO_RIP(0x6408, ALWAYS, "I/O RIP"),
    GUEST_LINEAR_ADDRESS(0x640A, ALWAYS, "Guest-linear address"),

    // SDM "Natural-Width Guest-State Fields"
    GUEST_CR0(0x6800, ALWAYS, "Guest CR0"),
    GUEST_CR3(0x6802, ALWAYS, "Guest CR3"),
    GUEST_CR4(0x6804, ALWAYS, "Guest CR4"),
    GUEST_ES_BASE(0x6806, ALWAYS, "Guest ES base"),
    GUEST_CS_BASE(0x6808, ALWAYS, "Guest CS base"),
    GUEST_SS_BASE(0x680A, ALWAYS, "Guest SS base"),
    GUEST_DS_BASE(0x680C, ALWAYS, "Guest DS base"),
    GUEST_FS_BASE(0x680E, ALWAYS, "Guest FS base"),
    GUEST_GS_BASE(0x6810, ALWAYS, "Guest GS base"),
    GUEST_LDTR_BASE(0x6812, ALWAYS, "Guest LDTR base"),
    GUEST_TR_BASE(0x6814, ALWAYS, "Guest TR base"),
    GUEST_GDTR_BASE(0x6816, ALWAYS, "Guest GDTR base"),
    GUEST_IDTR_BASE(0x6818, ALWAYS, "Guest IDTR base"),
    GUEST_DR7(0x681A, ALWAYS, "Guest DR7"),
    GUEST_RSP(0x681C, ALWAYS, "Guest RSP"),
    GUEST_RIP(0x681E, ALWAYS, "Guest RIP"),
    GUEST_RFLAGS(0x6820, ALWAYS, "Guest RFLAGS"),
    GUEST_PENDING_DEBUG_EXCEPTIONS(0x6822, ALWAYS, "Guest pending debug exceptions"),
    GUEST_IA32_SYSENTER_ESP(0x6824, ALWAYS, "Guest IA32_SYSENTER_ESP"),
    GUEST_IA32_SYSENTER_EIP(0x6826, ALWAYS, "Guest IA32_SYSENTER_EIP"),
    GUEST_IA32_S_CET(0x6828, CET, "Guest IA32_S_CET"),
    GUEST_SSP(0x682A, CET, "Guest SSP"),
    GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR(0x682C, CET, "Guest IA32_INTERRUPT_SSP_TABLE_ADDR"),

    // SDM "Natural-Width Host-State Fields"
    HOST_CR0(0x6C00, ALWAYS, "Host CR0"),
    HOST_CR3(0x6C02, ALWAYS, "Host CR3"),
    HOST_CR4(0x6C04, ALWAYS, "Host CR4"),
    HOST_FS_BASE(0x6C06, ALWAYS, "Host FS base"),
    HOST_GS_BASE(0x6C08, ALWAYS, "Host GS base"),
    HOST_TR_BASE(0x6C0A, ALWAYS, "Host TR base"),
    HOST_GDTR_BASE(0x6C0C, ALWAYS, "Host GDTR base"),
    HOST_IDTR_BASE(0x6C0E, ALWAYS, "Host IDTR base"),
    HOST_IA32_SYSENTER_ESP(0x6C10, ALWAYS, "Host IA32_SYSENTER_ESP"),
    HOST_IA32_SYSENTER_EIP(0x6C12, ALWAYS, "Host IA32_SYSENTER_EIP"),
    HOST_RSP(0x6C14, ALWAYS, "Host RSP"),
    HOST_RIP(0x6C16, ALWAYS, "Host RIP"),
    HOST_IA32_S_CET(0x6C18, CET, "Host IA32_S_CET"),
    HOST_SSP(0x6C1A, CET, "Host SSP"),
    HOST_IA32_INTERRUPT_SSP_TABLE_ADDR(0x6C1C, CET, "Host IA32_INTERRUPT_SSP_TABLE_ADDR");

    /** Bits of an encoding that must be 0: 31:15 and 12 (SDM "Structure of VMCS Component Encoding"). */
    public static final int RESERVED_ENCODING_BITS = 0xFFFF_9000;

    private static final VmcsField[] VALUES = values();
    // PERF: direct lookup by the 15 low bits of the (full) encoding; reserved bits are rejected first.
    private static final VmcsField[] BY_ENCODING = new VmcsField[1 << 15];

    static {
        for (VmcsField f : VALUES) {
            if (BY_ENCODING[f.encoding] != null) {
                throw new IllegalStateException("duplicate VMCS encoding " + f + " / " + BY_ENCODING[f.encoding]);
            }
            BY_ENCODING[f.encoding] = f;
        }
    }

    private final int encoding;
    private final VmcsFeature feature;
    private final String sdmName;
    /**
     * PERF: {@link #denseId()} as a field, read directly by {@link VmcsStore}: a VMCS access on
     * the VM exit/entry path is then one array access, not two calls ({@code denseId()},
     * {@code ordinal()}) while the path still runs in the bytecode interpreter.
     */
    final int dense;

    VmcsField(int encoding, VmcsFeature feature, String sdmName) {
        this.encoding = encoding;
        this.feature = feature;
        this.sdmName = sdmName;
        this.dense = ordinal();
    }

    /** The field's (full) encoding, as VMREAD/VMWRITE take it in their register operand. */
    public int encoding() {
        return encoding;
    }

    /** The width, from encoding bits 14:13. */
    public VmcsFieldWidth width() {
        return VmcsFieldWidth.byCode(encoding >>> 13 & 3);
    }

    /** The type, from encoding bits 11:10. */
    public VmcsFieldType type() {
        return VmcsFieldType.byCode(encoding >>> 10 & 3);
    }

    /** The index, encoding bits 9:1 (what IA32_VMX_VMCS_ENUM[9:1] bounds). */
    public int index() {
        return encoding >>> 1 & 0x1FF;
    }

    /** The field's name as the SDM's appendix "Field Encoding in VMCS" writes it. */
    public String sdmName() {
        return sdmName;
    }

    /** The processor feature this field exists with. */
    public VmcsFeature feature() {
        return feature;
    }

    /** True for the VM-exit information fields (the SDM's read-only data fields). */
    public boolean isReadOnly() {
        return type() == VmcsFieldType.VM_EXIT_INFORMATION;
    }

    /** The bits this field holds: its width's mask. */
    public long mask() {
        return width().mask();
    }

    /**
     * The SDM group the field belongs to (SDM "Organization of VMCS Data"): the type decides,
     * except that control fields split into VM-execution, VM-exit (SDM "VM-Exit Control
     * Fields") and VM-entry (SDM "VM-Entry Control Fields") controls.
     */
    public VmcsArea area() {
        switch (type()) {
            case GUEST_STATE: return VmcsArea.GUEST_STATE;
            case HOST_STATE: return VmcsArea.HOST_STATE;
            case VM_EXIT_INFORMATION: return VmcsArea.VM_EXIT_INFORMATION;
            default: break;
        }
        switch (this) {
            case PRIMARY_VM_EXIT_CONTROLS:
            case SECONDARY_VM_EXIT_CONTROLS:
            case VM_EXIT_MSR_STORE_COUNT:
            case VM_EXIT_MSR_STORE_ADDRESS:
            case VM_EXIT_MSR_LOAD_COUNT:
            case VM_EXIT_MSR_LOAD_ADDRESS:
                return VmcsArea.VM_EXIT_CONTROL;
            case VM_ENTRY_CONTROLS:
            case VM_ENTRY_MSR_LOAD_COUNT:
            case VM_ENTRY_MSR_LOAD_ADDRESS:
            case VM_ENTRY_INTERRUPTION_INFORMATION_FIELD:
            case VM_ENTRY_EXCEPTION_ERROR_CODE:
            case VM_ENTRY_INSTRUCTION_LENGTH:
            case INJECTED_EVENT_DATA:
                return VmcsArea.VM_ENTRY_CONTROL;
            default:
                return VmcsArea.VM_EXECUTION_CONTROL;
        }
    }

    /** A dense number 0..{@code count() - 1} for array-indexed storage (not an SDM number). */
    public int denseId() {
        return dense;
    }

    /** The number of fields ({@link #denseId()} is below it). */
    public static int count() {
        return VALUES.length;
    }

    /** The field with dense id {@code id}. */
    public static VmcsField byDenseId(int id) {
        if (id < 0 || id >= VALUES.length) {
            throw new IllegalArgumentException("dense id must be in [0, " + (VALUES.length - 1) + "], was " + id);
        }
        return VALUES[id];
    }

    /**
     * The field an encoding names, or null if the SDM defines none. The "high" access encoding of
     * a 64-bit field ({@code full | 1}) returns the 64-bit field; an access-type bit of 1 on any
     * other width names no field (SDM: "must be full for 16-bit, 32-bit, and natural-width fields").
     */
    public static VmcsField byEncoding(int encoding) {
        if ((encoding & RESERVED_ENCODING_BITS) != 0) {
            return null;
        }
        VmcsField f = BY_ENCODING[encoding & ~1];
        if (f == null) {
            return null;
        }
        if ((encoding & 1) != 0 && (encoding >>> 13 & 3) != VmcsFieldWidth.BITS_64.code()) {
            return null;
        }
        return f;
    }

    /**
     * True if {@code encoding} is the "high" access encoding of a 64-bit field: access type 1
     * (bit 0), width 64-bit. Such an access reads or writes bits 63:32 of the field.
     */
    public static boolean isHighAccess(int encoding) {
        return (encoding & 1) != 0 && (encoding >>> 13 & 3) == VmcsFieldWidth.BITS_64.code();
    }
}
