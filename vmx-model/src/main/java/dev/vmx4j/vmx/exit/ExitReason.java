package dev.vmx4j.vmx.exit;

/**
 * The basic exit reasons (bits 15:0 of the exit-reason field) of the SDM's appendix "VMX Basic
 * Exit Reasons": 80 reasons in 0..85; 35, 38, 42, 71, 82 and 83 are not defined.
 *
 * <p>MANUAL: 84 and 85 (RDMSR and WRMSRNS with an immediate MSR operand) are the newest
 * reasons; their names follow the instruction forms, as the SDM's table describes them.
 */
public enum ExitReason {
    EXCEPTION_OR_NMI(0, "Exception or non-maskable interrupt (NMI)"),
    EXTERNAL_INTERRUPT(1, "External interrupt"),
    TRIPLE_FAULT(2, "Triple fault"),
    INIT_SIGNAL(3, "INIT signal"),
    SIPI(4, "Start-up IPI (SIPI)"),
    IO_SMI(5, "I/O system-management interrupt (SMI)"),
    OTHER_SMI(6, "Other SMI"),
    INTERRUPT_WINDOW(7, "Interrupt window"),
    NMI_WINDOW(8, "NMI window"),
    TASK_SWITCH(9, "Task switch"),
    CPUID(10, "CPUID"),
    GETSEC(11, "GETSEC"),
    HLT(12, "HLT"),
    INVD(13, "INVD"),
    INVLPG(14, "INVLPG"),
    RDPMC(15, "RDPMC"),
    RDTSC(16, "RDTSC"),
    RSM(17, "RSM"),
    VMCALL(18, "VMCALL"),
    VMCLEAR(19, "VMCLEAR"),
    VMLAUNCH(20, "VMLAUNCH"),
    VMPTRLD(21, "VMPTRLD"),
    VMPTRST(22, "VMPTRST"),
    VMREAD(23, "VMREAD"),
    VMRESUME(24, "VMRESUME"),
    VMWRITE(25, "VMWRITE"),
    VMXOFF(26, "VMXOFF"),
    VMXON(27, "VMXON"),
    CONTROL_REGISTER_ACCESSES(28, "Control-register accesses"),
    MOV_DR(29, "MOV DR"),
    IO_INSTRUCTION(30, "I/O instruction"),
    RDMSR(31, "RDMSR"),
    WRMSR(32, "WRMSR"),
    VM_ENTRY_FAILURE_INVALID_GUEST_STATE(33, "VM-entry failure due to invalid guest state"),
    VM_ENTRY_FAILURE_MSR_LOADING(34, "VM-entry failure due to MSR loading"),
    MWAIT(36, "MWAIT"),
    MONITOR_TRAP_FLAG(37, "Monitor trap flag"),
    MONITOR(39, "MONITOR"),
    PAUSE(40, "PAUSE"),
    VM_ENTRY_FAILURE_MACHINE_CHECK_EVENT(41, "VM-entry failure due to machine-check event"),
    TPR_BELOW_THRESHOLD(43, "TPR below threshold"),
    APIC_ACCESS(44, "APIC access"),
    VIRTUALIZED_EOI(45, "Virtualized EOI"),
    ACCESS_TO_GDTR_OR_IDTR(46, "Access to GDTR or IDTR"),
    ACCESS_TO_LDTR_OR_TR(47, "Access to LDTR or TR"),
    EPT_VIOLATION(48, "EPT violation"),
    EPT_MISCONFIGURATION(49, "EPT misconfiguration"),
    INVEPT(50, "INVEPT"),
    RDTSCP(51, "RDTSCP"),
    VMX_PREEMPTION_TIMER_EXPIRED(52, "VMX-preemption timer expired"),
    INVVPID(53, "INVVPID"),
    WBINVD_OR_WBNOINVD(54, "WBINVD or WBNOINVD"),
    XSETBV(55, "XSETBV"),
    APIC_WRITE(56, "APIC write"),
    RDRAND(57, "RDRAND"),
    INVPCID(58, "INVPCID"),
    VMFUNC(59, "VMFUNC"),
    ENCLS(60, "ENCLS"),
    RDSEED(61, "RDSEED"),
    PAGE_MODIFICATION_LOG_FULL(62, "Page-modification log full"),
    XSAVES(63, "XSAVES"),
    XRSTORS(64, "XRSTORS"),
    PCONFIG(65, "PCONFIG"),
    SPP_RELATED_EVENT(66, "SPP-related event"),
    UMWAIT(67, "UMWAIT"),
    TPAUSE(68, "TPAUSE"),
    LOADIWKEY(69, "LOADIWKEY"),
    ENCLV(70, "ENCLV"),
    ENQCMD_PASID_TRANSLATION_FAILURE(72, "ENQCMD PASID translation failure"),
    ENQCMDS_PASID_TRANSLATION_FAILURE(73, "ENQCMDS PASID translation failure"),
    BUS_LOCK(74, "Bus lock"),
    INSTRUCTION_TIMEOUT(75, "Instruction timeout"),
    SEAMCALL(76, "SEAMCALL"),
    TDCALL(77, "TDCALL"),
    RDMSRLIST(78, "RDMSRLIST"),
    WRMSRLIST(79, "WRMSRLIST"),
    URDMSR(80, "URDMSR"),
    UWRMSR(81, "UWRMSR"),
    RDMSR_WITH_IMMEDIATE(84, "RDMSR with immediate operand"),
    WRMSRNS_WITH_IMMEDIATE(85, "WRMSRNS with immediate operand");

    /** One above the highest defined basic exit reason. */
    public static final int LIMIT = 86;
    private static final ExitReason[] BY_NUMBER = new ExitReason[LIMIT];

    static {
        for (ExitReason r : values()) {
            BY_NUMBER[r.number] = r;
        }
    }

    private final int number;
    private final String sdmName;

    ExitReason(int number, String sdmName) {
        this.number = number;
        this.sdmName = sdmName;
    }

    /** The basic exit reason number (exit-reason field bits 15:0). */
    public int number() {
        return number;
    }

    /** The reason's name in the SDM's table. */
    public String sdmName() {
        return sdmName;
    }

    /** The reason with basic number {@code number}, or null if the SDM defines none. */
    public static ExitReason byNumber(int number) {
        return number >= 0 && number < LIMIT ? BY_NUMBER[number] : null;
    }

    /** True for the reasons that report a failed VM entry (33, 34, 41). */
    public boolean isEntryFailure() {
        return this == VM_ENTRY_FAILURE_INVALID_GUEST_STATE || this == VM_ENTRY_FAILURE_MSR_LOADING
                || this == VM_ENTRY_FAILURE_MACHINE_CHECK_EVENT;
    }
}
