package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.EntryFixtures.Variant.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.vmx.entry.EntryFixtures.Variant;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * For every check id: how to break exactly that rule on a valid baseline. A case names the
 * profile ("icelake", "max" or "lowered"), the baseline variant, the change to the VMCS, memory
 * and context, and the ids the SDM makes fail together with it (only where one change cannot
 * break one rule alone; empty otherwise).
 */
final class BreakOneRuleCases {

    /** What a case may change. */
    static final class Setup {
        final VmcsValues v;
        final SparseMemory memory;
        final EntryContext.Builder context;

        Setup(VmcsValues v, SparseMemory memory, EntryContext.Builder context) {
            this.v = v;
            this.memory = memory;
            this.context = context;
        }

        Setup set(VmcsField f, long value) {
            v.set(f, value);
            return this;
        }

        Setup or(VmcsField f, long bits) {
            v.set(f, v.read(f) | bits);
            return this;
        }

        Setup clear(VmcsField f, long bits) {
            v.set(f, v.read(f) & ~bits);
            return this;
        }

        Setup secondary(long bits) {
            or(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, 1L << 31);
            return or(SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, bits);
        }

        Setup ept() {
            return secondary(1L << 1);
        }

        Setup msrEntry(int n, long low, long value) {
            memory.write64(EntryFixtures.MSR_LIST + 16L * n, low);
            memory.write64(EntryFixtures.MSR_LIST + 16L * n + 8, value);
            return this;
        }
    }

    record Case(EntryCheck check, String profile, Variant variant, Consumer<Setup> breaker, List<EntryCheck> alsoFailing) {
        @Override
        public String toString() {
            return check.name();
        }
    }

    private static final Map<EntryCheck, Case> CASES = new LinkedHashMap<>();

    static Map<EntryCheck, Case> all() {
        return Collections.unmodifiableMap(CASES);
    }

    private static void on(EntryCheck id, String profile, Variant variant, Consumer<Setup> breaker, EntryCheck... also) {
        if (CASES.put(id, new Case(id, profile, variant, breaker, List.of(also))) != null) {
            throw new IllegalStateException("two cases for " + id);
        }
    }

    private static void on(EntryCheck id, Consumer<Setup> breaker, EntryCheck... also) {
        on(id, "icelake", GUEST_64, breaker, also);
    }

    private static void max(EntryCheck id, Consumer<Setup> breaker, EntryCheck... also) {
        on(id, "max", GUEST_64, breaker, also);
    }

    private static final long TPR = 1L << 21;
    private static final VmcsField PRI = PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
    private static final VmcsField PINF = PIN_BASED_VM_EXECUTION_CONTROLS;
    private static final VmcsField EXIT = PRIMARY_VM_EXIT_CONTROLS;
    private static final VmcsField ENTRY = VM_ENTRY_CONTROLS;
    private static final VmcsField INFO = VM_ENTRY_INTERRUPTION_INFORMATION_FIELD;
    private static final long BEYOND = 1L << 40; // Ice Lake MAXPHYADDR is 40
    private static final long NONCANONICAL = 1L << 47;

    private static void address(EntryCheck aligned, EntryCheck width, String profile, VmcsField f, long misaligned,
            Consumer<Setup> enable) {
        on(aligned, profile, GUEST_64, s -> {
            enable.accept(s);
            s.set(f, misaligned);
        });
        on(width, profile, GUEST_64, s -> {
            enable.accept(s);
            s.set(f, BEYOND);
        });
    }

    static {
        // ---- basic
        on(BasicCheck.EVENTS_BLOCKED_BY_MOV_SS, s -> s.context.eventsBlockedByMovSs(true));
        on(BasicCheck.VMLAUNCH_WITH_NON_CLEAR_VMCS, s -> s.context.launchState(EntryContext.LaunchState.LAUNCHED));
        on(BasicCheck.VMRESUME_WITH_NON_LAUNCHED_VMCS, s -> s.context.instruction(EntryContext.Instruction.VMRESUME));

        // ---- execution controls
        on(ExecutionControlCheck.PIN_BASED_CONTROLS_RESERVED, s -> s.clear(PINF, 1L << 1));
        on(ExecutionControlCheck.PRIMARY_PROC_BASED_CONTROLS_RESERVED, s -> s.clear(PRI, 1L << 1));
        on(ExecutionControlCheck.SECONDARY_PROC_BASED_CONTROLS_RESERVED, s -> s.secondary(1L << 30));
        max(ExecutionControlCheck.TERTIARY_PROC_BASED_CONTROLS_RESERVED,
                s -> s.or(PRI, 1L << 17).set(TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, 1L << 40));
        on(ExecutionControlCheck.CR3_TARGET_COUNT_TOO_LARGE, s -> s.set(CR3_TARGET_COUNT, 5));
        address(ExecutionControlCheck.IO_BITMAP_A_NOT_ALIGNED, ExecutionControlCheck.IO_BITMAP_A_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                "icelake", ADDRESS_OF_IO_BITMAP_A, 0x10800, s -> s.or(PRI, 1L << 25));
        address(ExecutionControlCheck.IO_BITMAP_B_NOT_ALIGNED, ExecutionControlCheck.IO_BITMAP_B_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                "icelake", ADDRESS_OF_IO_BITMAP_B, 0x11001, s -> s.or(PRI, 1L << 25));
        address(ExecutionControlCheck.MSR_BITMAPS_NOT_ALIGNED, ExecutionControlCheck.MSR_BITMAPS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                "icelake", ADDRESS_OF_MSR_BITMAPS, 0x12004, s -> s.or(PRI, 1L << 28));
        address(ExecutionControlCheck.VIRTUAL_APIC_ADDRESS_NOT_ALIGNED,
                ExecutionControlCheck.VIRTUAL_APIC_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH, "icelake", VIRTUAL_APIC_ADDRESS,
                0x13080, s -> s.or(PRI, TPR));
        on(ExecutionControlCheck.TPR_THRESHOLD_RESERVED, s -> s.or(PRI, TPR).set(TPR_THRESHOLD, 0x10));
        on(ExecutionControlCheck.TPR_THRESHOLD_ABOVE_VTPR, s -> s.or(PRI, TPR).set(TPR_THRESHOLD, 3));
        on(ExecutionControlCheck.VIRTUALIZE_X2APIC_MODE_WITHOUT_TPR_SHADOW, s -> s.secondary(1L << 4));
        on(ExecutionControlCheck.APIC_REGISTER_VIRTUALIZATION_WITHOUT_TPR_SHADOW, s -> s.secondary(1L << 8));
        on(ExecutionControlCheck.VIRTUAL_INTERRUPT_DELIVERY_WITHOUT_TPR_SHADOW, s -> s.or(PINF, 1).secondary(1L << 9));
        on(ExecutionControlCheck.VIRTUAL_NMIS_WITHOUT_NMI_EXITING, s -> s.or(PINF, 1L << 5));
        on(ExecutionControlCheck.NMI_WINDOW_EXITING_WITHOUT_VIRTUAL_NMIS, s -> s.or(PRI, 1L << 22));
        address(ExecutionControlCheck.APIC_ACCESS_ADDRESS_NOT_ALIGNED,
                ExecutionControlCheck.APIC_ACCESS_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH, "icelake", APIC_ACCESS_ADDRESS,
                0x14FF0, s -> s.secondary(1));
        on(ExecutionControlCheck.VIRTUALIZE_X2APIC_MODE_WITH_VIRTUALIZE_APIC_ACCESSES,
                s -> s.or(PRI, TPR).secondary(1 | 1L << 4));
        on(ExecutionControlCheck.VIRTUAL_INTERRUPT_DELIVERY_WITHOUT_EXTERNAL_INTERRUPT_EXITING,
                s -> s.or(PRI, TPR).secondary(1L << 9));
        Consumer<Setup> posted = s -> s.or(PINF, 1 | 1L << 7).or(EXIT, 1L << 15).or(PRI, TPR).secondary(1L << 9);
        max(ExecutionControlCheck.POSTED_INTERRUPTS_WITHOUT_VIRTUAL_INTERRUPT_DELIVERY,
                s -> s.or(PINF, 1 | 1L << 7).or(EXIT, 1L << 15));
        max(ExecutionControlCheck.POSTED_INTERRUPTS_WITHOUT_ACKNOWLEDGE_INTERRUPT_ON_EXIT,
                s -> s.or(PINF, 1 | 1L << 7).or(PRI, TPR).secondary(1L << 9));
        max(ExecutionControlCheck.POSTED_INTERRUPT_NOTIFICATION_VECTOR_RESERVED,
                posted.andThen(s -> s.set(POSTED_INTERRUPT_NOTIFICATION_VECTOR, 0x1F2)));
        address(ExecutionControlCheck.POSTED_INTERRUPT_DESCRIPTOR_NOT_ALIGNED,
                ExecutionControlCheck.POSTED_INTERRUPT_DESCRIPTOR_BEYOND_PHYSICAL_ADDRESS_WIDTH, "max",
                POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, 0x15008, posted);
        on(ExecutionControlCheck.VPID_ZERO, s -> s.secondary(1L << 5).set(VIRTUAL_PROCESSOR_IDENTIFIER, 0));
        on(ExecutionControlCheck.EPTP_MEMORY_TYPE_NOT_SUPPORTED, s -> s.ept().set(EPT_POINTER, 0x1000 | 3 << 3 | 1));
        on(ExecutionControlCheck.EPTP_PAGE_WALK_LENGTH_NOT_SUPPORTED, s -> s.ept().set(EPT_POINTER, 0x1000 | 2 << 3 | 6));
        max(ExecutionControlCheck.EPTP_ACCESSED_DIRTY_NOT_SUPPORTED,
                s -> s.ept().set(EPT_POINTER, EntryFixtures.EPTP_WB_4 | 1L << 6));
        max(ExecutionControlCheck.EPTP_SUPERVISOR_SHADOW_STACK_NOT_SUPPORTED,
                s -> s.ept().set(EPT_POINTER, EntryFixtures.EPTP_WB_4 | 1L << 7));
        on(ExecutionControlCheck.EPTP_RESERVED_BITS, s -> s.ept().set(EPT_POINTER, EntryFixtures.EPTP_WB_4 | 1L << 8));
        on(ExecutionControlCheck.PML_WITHOUT_EPT, s -> s.secondary(1L << 17));
        address(ExecutionControlCheck.PML_ADDRESS_NOT_ALIGNED, ExecutionControlCheck.PML_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                "icelake", PML_ADDRESS, 0x16001, s -> s.secondary(1L << 1 | 1L << 17));
        on(ExecutionControlCheck.UNRESTRICTED_GUEST_WITHOUT_EPT, s -> s.secondary(1L << 7));
        max(ExecutionControlCheck.MODE_BASED_EXECUTE_CONTROL_WITHOUT_EPT, s -> s.secondary(1L << 22));
        on(ExecutionControlCheck.SUB_PAGE_WRITE_PERMISSIONS_WITHOUT_EPT, s -> s.secondary(1L << 23));
        address(ExecutionControlCheck.SPPTP_NOT_ALIGNED, ExecutionControlCheck.SPPTP_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                "icelake", SUB_PAGE_PERMISSION_TABLE_POINTER, 0x16008, s -> s.secondary(1L << 1 | 1L << 23));
        on(ExecutionControlCheck.VM_FUNCTION_CONTROLS_RESERVED, s -> s.secondary(1L << 13).set(VM_FUNCTION_CONTROLS, 2));
        on(ExecutionControlCheck.EPTP_SWITCHING_WITHOUT_EPT, s -> s.secondary(1L << 13).set(VM_FUNCTION_CONTROLS, 1));
        address(ExecutionControlCheck.EPTP_LIST_ADDRESS_NOT_ALIGNED,
                ExecutionControlCheck.EPTP_LIST_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH, "icelake", EPTP_LIST_ADDRESS,
                0x17010, s -> s.secondary(1L << 1 | 1L << 13).set(VM_FUNCTION_CONTROLS, 1));
        address(ExecutionControlCheck.VMREAD_BITMAP_NOT_ALIGNED,
                ExecutionControlCheck.VMREAD_BITMAP_BEYOND_PHYSICAL_ADDRESS_WIDTH, "icelake", VMREAD_BITMAP_ADDRESS,
                0x1A100, s -> s.secondary(1L << 14));
        address(ExecutionControlCheck.VMWRITE_BITMAP_NOT_ALIGNED,
                ExecutionControlCheck.VMWRITE_BITMAP_BEYOND_PHYSICAL_ADDRESS_WIDTH, "icelake", VMWRITE_BITMAP_ADDRESS,
                0x1B002, s -> s.secondary(1L << 14));
        address(ExecutionControlCheck.VE_INFORMATION_ADDRESS_NOT_ALIGNED,
                ExecutionControlCheck.VE_INFORMATION_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH, "icelake",
                VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS, 0x1C040, s -> s.secondary(1L << 18));
        max(ExecutionControlCheck.PT_GUEST_PHYSICAL_WITHOUT_EPT,
                s -> s.secondary(1L << 24).or(EXIT, 1L << 25).or(ENTRY, 1L << 18));
        max(ExecutionControlCheck.PT_GUEST_PHYSICAL_WITHOUT_CLEAR_IA32_RTIT_CTL,
                s -> s.secondary(1L << 1 | 1L << 24).or(ENTRY, 1L << 18));
        max(ExecutionControlCheck.PT_GUEST_PHYSICAL_WITHOUT_LOAD_IA32_RTIT_CTL,
                s -> s.secondary(1L << 1 | 1L << 24).or(EXIT, 1L << 25));
        max(ExecutionControlCheck.HLAT_WITHOUT_EPT,
                s -> s.or(PRI, 1L << 17).set(TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, 1L << 1));

        // ---- exit controls
        on(ExitControlCheck.EXIT_CONTROLS_RESERVED, s -> s.clear(EXIT, 1));
        max(ExitControlCheck.SECONDARY_EXIT_CONTROLS_RESERVED, s -> s.or(EXIT, 1L << 31).set(SECONDARY_VM_EXIT_CONTROLS, 1L << 5));
        on(ExitControlCheck.SAVE_PREEMPTION_TIMER_WITHOUT_ACTIVATE, s -> s.or(EXIT, 1L << 22));
        on(ExitControlCheck.EXIT_MSR_STORE_ADDRESS_NOT_ALIGNED, s -> s.set(VM_EXIT_MSR_STORE_COUNT, 1).set(VM_EXIT_MSR_STORE_ADDRESS, 0x1D008));
        on(ExitControlCheck.EXIT_MSR_STORE_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                s -> s.set(VM_EXIT_MSR_STORE_COUNT, 1).set(VM_EXIT_MSR_STORE_ADDRESS, BEYOND));
        on(ExitControlCheck.EXIT_MSR_STORE_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                s -> s.set(VM_EXIT_MSR_STORE_COUNT, 2).set(VM_EXIT_MSR_STORE_ADDRESS, BEYOND - 16));
        on(ExitControlCheck.EXIT_MSR_LOAD_ADDRESS_NOT_ALIGNED, s -> s.set(VM_EXIT_MSR_LOAD_COUNT, 1).set(VM_EXIT_MSR_LOAD_ADDRESS, 0x1E001));
        on(ExitControlCheck.EXIT_MSR_LOAD_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                s -> s.set(VM_EXIT_MSR_LOAD_COUNT, 1).set(VM_EXIT_MSR_LOAD_ADDRESS, BEYOND));
        on(ExitControlCheck.EXIT_MSR_LOAD_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                s -> s.set(VM_EXIT_MSR_LOAD_COUNT, 3).set(VM_EXIT_MSR_LOAD_ADDRESS, BEYOND - 32));

        // ---- entry controls
        on(EntryControlCheck.ENTRY_CONTROLS_RESERVED, s -> s.clear(ENTRY, 1));
        on(EntryControlCheck.INTERRUPTION_TYPE_RESERVED, s -> s.set(INFO, 0x8000_0100L));
        on(EntryControlCheck.INTERRUPTION_TYPE_OTHER_EVENT_NOT_SUPPORTED, "lowered", GUEST_64, s -> s.set(INFO, 0x8000_0700L));
        on(EntryControlCheck.NMI_VECTOR_NOT_2, s -> s.set(INFO, 0x8000_0203L));
        on(EntryControlCheck.HARDWARE_EXCEPTION_VECTOR_ABOVE_31, s -> s.set(INFO, 0x8000_0320L));
        on(EntryControlCheck.OTHER_EVENT_VECTOR_NOT_0, s -> s.set(INFO, 0x8000_0701L));
        max(EntryControlCheck.NESTED_EXCEPTION_NOT_HARDWARE_EXCEPTION, s -> s.set(INFO, 0x8000_2202L));
        max(EntryControlCheck.FRED_SYSCALL_INSTRUCTION_LENGTH_OUT_OF_RANGE,
                s -> s.or(GUEST_CR4, 1L << 32).set(INFO, 0x8000_0701L).set(VM_ENTRY_INSTRUCTION_LENGTH, 16));
        on(EntryControlCheck.DELIVER_ERROR_CODE_NOT_ALLOWED, s -> s.set(INFO, 0x8000_0B06L));
        on(EntryControlCheck.DELIVER_ERROR_CODE_REQUIRED, s -> s.set(INFO, 0x8000_030DL));
        on(EntryControlCheck.INTERRUPTION_INFORMATION_RESERVED, s -> s.set(INFO, 0x8000_1306L));
        on(EntryControlCheck.EXCEPTION_ERROR_CODE_RESERVED, s -> s.set(INFO, 0x8000_0B0DL).set(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x10000));
        on(EntryControlCheck.INSTRUCTION_LENGTH_OUT_OF_RANGE, s -> s.set(INFO, 0x8000_0430L).set(VM_ENTRY_INSTRUCTION_LENGTH, 16));
        on(EntryControlCheck.ENTRY_MSR_LOAD_ADDRESS_NOT_ALIGNED, s -> s.set(VM_ENTRY_MSR_LOAD_COUNT, 1).set(VM_ENTRY_MSR_LOAD_ADDRESS, 0x19004));
        on(EntryControlCheck.ENTRY_MSR_LOAD_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                s -> s.set(VM_ENTRY_MSR_LOAD_COUNT, 1).set(VM_ENTRY_MSR_LOAD_ADDRESS, BEYOND));
        on(EntryControlCheck.ENTRY_MSR_LOAD_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                s -> s.set(VM_ENTRY_MSR_LOAD_COUNT, 2).set(VM_ENTRY_MSR_LOAD_ADDRESS, BEYOND - 16));
        on(EntryControlCheck.ENTRY_TO_SMM_OUTSIDE_SMM, s -> s.or(ENTRY, 1L << 10),
                GuestNonRegisterCheck.SMI_BLOCKING_CLEAR_WITH_ENTRY_TO_SMM);
        on(EntryControlCheck.DEACTIVATE_DUAL_MONITOR_OUTSIDE_SMM, s -> s.or(ENTRY, 1L << 11));

        // ---- host control registers, MSRs, SSP
        on(HostRegisterCheck.HOST_CR0_FIXED0_BIT_CLEAR, s -> s.clear(HOST_CR0, 0x20));
        on(HostRegisterCheck.HOST_CR0_FIXED1_BIT_SET, s -> s.or(HOST_CR0, 1L << 32));
        on(HostRegisterCheck.HOST_CR4_FIXED0_BIT_CLEAR, s -> s.clear(HOST_CR4, 0x2000));
        on(HostRegisterCheck.HOST_CR4_FIXED1_BIT_SET, s -> s.or(HOST_CR4, 1L << 24));
        max(HostRegisterCheck.HOST_CR4_CET_WITHOUT_CR0_WP, s -> s.or(HOST_CR4, 1L << 23).clear(HOST_CR0, 1L << 16));
        on(HostRegisterCheck.HOST_CR3_BEYOND_PHYSICAL_ADDRESS_WIDTH, s -> s.set(HOST_CR3, BEYOND));
        on(HostRegisterCheck.HOST_SYSENTER_ESP_NOT_CANONICAL, s -> s.set(HOST_IA32_SYSENTER_ESP, NONCANONICAL));
        on(HostRegisterCheck.HOST_SYSENTER_EIP_NOT_CANONICAL, s -> s.set(HOST_IA32_SYSENTER_EIP, NONCANONICAL));
        max(HostRegisterCheck.HOST_S_CET_RESERVED, s -> s.or(EXIT, 1L << 28).set(HOST_IA32_S_CET, 1L << 6));
        max(HostRegisterCheck.HOST_S_CET_SUPPRESS_WITH_TRACKER, s -> s.or(EXIT, 1L << 28).set(HOST_IA32_S_CET, 0xC00));
        max(HostRegisterCheck.HOST_S_CET_NOT_CANONICAL, s -> s.or(EXIT, 1L << 28).set(HOST_IA32_S_CET, NONCANONICAL));
        max(HostRegisterCheck.HOST_INTERRUPT_SSP_TABLE_ADDR_NOT_CANONICAL,
                s -> s.or(EXIT, 1L << 28).set(HOST_IA32_INTERRUPT_SSP_TABLE_ADDR, NONCANONICAL));
        max(HostRegisterCheck.HOST_SSP_LOW_BITS, s -> s.or(EXIT, 1L << 28).set(HOST_SSP, 0x8002));
        on(HostRegisterCheck.HOST_SSP_UPPER_BITS, "max", HOST_32, s -> s.or(EXIT, 1L << 28).set(HOST_SSP, 1L << 32));
        max(HostRegisterCheck.HOST_SSP_NOT_CANONICAL, s -> s.or(EXIT, 1L << 28).set(HOST_SSP, NONCANONICAL));
        on(HostRegisterCheck.HOST_PERF_GLOBAL_CTRL_RESERVED, s -> s.or(EXIT, 1L << 12).set(HOST_IA32_PERF_GLOBAL_CTRL, 1L << 40));
        on(HostRegisterCheck.HOST_PAT_INVALID, s -> s.or(EXIT, 1L << 19).set(HOST_IA32_PAT, 0x0007040600070402L));
        on(HostRegisterCheck.HOST_EFER_RESERVED, s -> s.or(EXIT, 1L << 21).set(HOST_IA32_EFER, 0xD03));
        on(HostRegisterCheck.HOST_EFER_LMA_MISMATCH, s -> s.or(EXIT, 1L << 21).set(HOST_IA32_EFER, 0x901));
        on(HostRegisterCheck.HOST_EFER_LME_MISMATCH, s -> s.or(EXIT, 1L << 21).set(HOST_IA32_EFER, 0xC01));
        max(HostRegisterCheck.HOST_PKRS_UPPER_BITS, s -> s.or(EXIT, 1L << 29).set(HOST_IA32_PKRS, 1L << 32));
        Consumer<Setup> hostFred = s -> s.or(EXIT, 1L << 31).set(SECONDARY_VM_EXIT_CONTROLS, 1L << 1);
        max(HostRegisterCheck.HOST_FRED_CONFIG_RESERVED, hostFred.andThen(s -> s.set(HOST_IA32_FRED_CONFIG, 1L << 11)));
        fredStacks("HOST", hostFred);
        max(HostRegisterCheck.HOST_SPEC_CTRL_RESERVED,
                s -> s.or(EXIT, 1L << 31).set(SECONDARY_VM_EXIT_CONTROLS, 1L << 2).set(HOST_IA32_SPEC_CTRL, 1L << 9));

        // ---- host segment and descriptor-table registers
        VmcsField[] hostSel = {HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR, HOST_DS_SELECTOR, HOST_FS_SELECTOR,
            HOST_GS_SELECTOR, HOST_TR_SELECTOR};
        HostSegmentCheck[] hostSelIds = {HostSegmentCheck.HOST_ES_SELECTOR_RPL_OR_TI, HostSegmentCheck.HOST_CS_SELECTOR_RPL_OR_TI,
            HostSegmentCheck.HOST_SS_SELECTOR_RPL_OR_TI, HostSegmentCheck.HOST_DS_SELECTOR_RPL_OR_TI,
            HostSegmentCheck.HOST_FS_SELECTOR_RPL_OR_TI, HostSegmentCheck.HOST_GS_SELECTOR_RPL_OR_TI,
            HostSegmentCheck.HOST_TR_SELECTOR_RPL_OR_TI};
        for (int i = 0; i < hostSel.length; i++) {
            VmcsField f = hostSel[i];
            long bits = i % 2 == 0 ? 3 : 4; // RPL or TI
            on(hostSelIds[i], s -> s.or(f, bits));
        }
        on(HostSegmentCheck.HOST_CS_SELECTOR_NULL, s -> s.set(HOST_CS_SELECTOR, 0));
        on(HostSegmentCheck.HOST_TR_SELECTOR_NULL, s -> s.set(HOST_TR_SELECTOR, 0));
        on(HostSegmentCheck.HOST_SS_SELECTOR_NULL, "icelake", HOST_32, s -> s.set(HOST_SS_SELECTOR, 0));
        on(HostSegmentCheck.HOST_FS_BASE_NOT_CANONICAL, s -> s.set(HOST_FS_BASE, NONCANONICAL));
        on(HostSegmentCheck.HOST_GS_BASE_NOT_CANONICAL, s -> s.set(HOST_GS_BASE, NONCANONICAL));
        on(HostSegmentCheck.HOST_GDTR_BASE_NOT_CANONICAL, s -> s.set(HOST_GDTR_BASE, NONCANONICAL));
        on(HostSegmentCheck.HOST_IDTR_BASE_NOT_CANONICAL, s -> s.set(HOST_IDTR_BASE, NONCANONICAL));
        on(HostSegmentCheck.HOST_TR_BASE_NOT_CANONICAL, s -> s.set(HOST_TR_BASE, NONCANONICAL));

        // ---- address-space size
        on(AddressSpaceSizeCheck.IA32E_MODE_GUEST_OUTSIDE_IA32E_MODE, "icelake", HOST_32, s -> s.or(ENTRY, 1L << 9),
                AddressSpaceSizeCheck.IA32E_MODE_GUEST_WITH_32_BIT_HOST);
        on(AddressSpaceSizeCheck.HOST_ADDRESS_SPACE_SIZE_OUTSIDE_IA32E_MODE, "icelake", HOST_32, s -> s.or(EXIT, 1L << 9));
        on(AddressSpaceSizeCheck.HOST_ADDRESS_SPACE_SIZE_CLEAR_IN_IA32E_MODE, "icelake", GUEST_PAE, s -> s.clear(EXIT, 1L << 9));
        // SDM: on a 64-bit processor this rule is reached only together with the LMA rule above.
        on(AddressSpaceSizeCheck.IA32E_MODE_GUEST_WITH_32_BIT_HOST, "icelake", HOST_32, s -> s.or(ENTRY, 1L << 9),
                AddressSpaceSizeCheck.IA32E_MODE_GUEST_OUTSIDE_IA32E_MODE);
        on(AddressSpaceSizeCheck.HOST_CR4_PCIDE_WITH_32_BIT_HOST, "icelake", HOST_32, s -> s.or(HOST_CR4, 1L << 17));
        on(AddressSpaceSizeCheck.HOST_RIP_UPPER_BITS_WITH_32_BIT_HOST, "icelake", HOST_32, s -> s.set(HOST_RIP, 1L << 32));
        on(AddressSpaceSizeCheck.HOST_CR4_PAE_CLEAR_WITH_64_BIT_HOST, s -> s.clear(HOST_CR4, 0x20));
        on(AddressSpaceSizeCheck.HOST_RIP_NOT_CANONICAL, s -> s.set(HOST_RIP, NONCANONICAL));

        guestCases();
    }

    private static void guestCases() {
        on(GuestRegisterCheck.GUEST_CR0_FIXED0_BIT_CLEAR, s -> s.clear(GUEST_CR0, 0x20));
        on(GuestRegisterCheck.GUEST_CR0_FIXED1_BIT_SET, s -> s.or(GUEST_CR0, 1L << 32));
        on(GuestRegisterCheck.GUEST_CR0_PG_WITHOUT_PE, "icelake", UNRESTRICTED, s -> s.set(GUEST_CR0, 0x80000030L));
        on(GuestRegisterCheck.GUEST_CR4_FIXED0_BIT_CLEAR, s -> s.clear(GUEST_CR4, 0x2000));
        on(GuestRegisterCheck.GUEST_CR4_FIXED1_BIT_SET, s -> s.or(GUEST_CR4, 1L << 24));
        max(GuestRegisterCheck.GUEST_CR4_CET_WITHOUT_CR0_WP, s -> s.or(GUEST_CR4, 1L << 23).clear(GUEST_CR0, 1L << 16));
        on(GuestRegisterCheck.GUEST_DEBUGCTL_RESERVED, s -> s.or(ENTRY, 1L << 2).set(GUEST_IA32_DEBUGCTL, 1L << 2));
        on(GuestRegisterCheck.GUEST_IA32E_WITHOUT_CR0_PG, "icelake", UNRESTRICTED,
                s -> s.or(ENTRY, 1L << 9).set(GUEST_CR0, 0x31).set(GUEST_CR4, 0x2020));
        on(GuestRegisterCheck.GUEST_IA32E_WITHOUT_CR4_PAE, s -> s.clear(GUEST_CR4, 0x20));
        on(GuestRegisterCheck.GUEST_CR4_PCIDE_WITHOUT_IA32E, "icelake", GUEST_PAE, s -> s.or(GUEST_CR4, 1L << 17));
        on(GuestRegisterCheck.GUEST_CR3_BEYOND_PHYSICAL_ADDRESS_WIDTH, s -> s.set(GUEST_CR3, BEYOND));
        on(GuestRegisterCheck.GUEST_DR7_UPPER_BITS, s -> s.or(ENTRY, 1L << 2).set(GUEST_DR7, 1L << 32 | 0x400));
        on(GuestRegisterCheck.GUEST_SYSENTER_ESP_NOT_CANONICAL, s -> s.set(GUEST_IA32_SYSENTER_ESP, NONCANONICAL));
        on(GuestRegisterCheck.GUEST_SYSENTER_EIP_NOT_CANONICAL, s -> s.set(GUEST_IA32_SYSENTER_EIP, NONCANONICAL));
        max(GuestRegisterCheck.GUEST_S_CET_RESERVED, s -> s.or(ENTRY, 1L << 20).set(GUEST_IA32_S_CET, 1L << 9));
        max(GuestRegisterCheck.GUEST_S_CET_SUPPRESS_WITH_TRACKER, s -> s.or(ENTRY, 1L << 20).set(GUEST_IA32_S_CET, 0xC00));
        max(GuestRegisterCheck.GUEST_S_CET_NOT_CANONICAL, s -> s.or(ENTRY, 1L << 20).set(GUEST_IA32_S_CET, NONCANONICAL));
        max(GuestRegisterCheck.GUEST_INTERRUPT_SSP_TABLE_ADDR_NOT_CANONICAL,
                s -> s.or(ENTRY, 1L << 20).set(GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR, NONCANONICAL));
        on(GuestRegisterCheck.GUEST_PERF_GLOBAL_CTRL_RESERVED,
                s -> s.or(ENTRY, 1L << 13).set(GUEST_IA32_PERF_GLOBAL_CTRL, 1L << 36));
        on(GuestRegisterCheck.GUEST_PAT_INVALID, s -> s.or(ENTRY, 1L << 14).set(GUEST_IA32_PAT, 0x0807040600070406L));
        on(GuestRegisterCheck.GUEST_EFER_RESERVED, s -> s.or(ENTRY, 1L << 15).set(GUEST_IA32_EFER, 0xD01 | 1L << 4));
        on(GuestRegisterCheck.GUEST_EFER_LMA_MISMATCH, s -> s.or(ENTRY, 1L << 15).set(GUEST_IA32_EFER, 0x901));
        on(GuestRegisterCheck.GUEST_EFER_LME_MISMATCH, s -> s.or(ENTRY, 1L << 15).set(GUEST_IA32_EFER, 0xC01));
        max(GuestRegisterCheck.GUEST_BNDCFGS_RESERVED, s -> s.or(ENTRY, 1L << 16).set(GUEST_IA32_BNDCFGS, 0x4));
        max(GuestRegisterCheck.GUEST_BNDCFGS_NOT_CANONICAL, s -> s.or(ENTRY, 1L << 16).set(GUEST_IA32_BNDCFGS, NONCANONICAL));
        max(GuestRegisterCheck.GUEST_RTIT_CTL_RESERVED, s -> s.or(ENTRY, 1L << 18).set(GUEST_IA32_RTIT_CTL, 1L << 18));
        max(GuestRegisterCheck.GUEST_LBR_CTL_RESERVED, s -> s.or(ENTRY, 1L << 21).set(GUEST_IA32_LBR_CTL, 1L << 4));
        max(GuestRegisterCheck.GUEST_PKRS_UPPER_BITS, s -> s.or(ENTRY, 1L << 22).set(GUEST_IA32_PKRS, 1L << 32));
        max(GuestRegisterCheck.GUEST_UINV_RESERVED, s -> s.or(ENTRY, 1L << 19).set(GUEST_UINV, 0x1F0));
        on(GuestRegisterCheck.GUEST_CR4_FRED_WITHOUT_IA32E, "max", GUEST_PAE, s -> s.or(GUEST_CR4, 1L << 32));
        Consumer<Setup> guestFred = s -> s.or(ENTRY, 1L << 23);
        max(GuestRegisterCheck.GUEST_FRED_CONFIG_RESERVED, guestFred.andThen(s -> s.set(GUEST_IA32_FRED_CONFIG, 0x10)));
        fredStacks("GUEST", guestFred);
        max(GuestRegisterCheck.GUEST_SPEC_CTRL_RESERVED, s -> s.or(ENTRY, 1L << 24).set(GUEST_IA32_SPEC_CTRL, 1L << 11));

        segmentCases();

        on(GuestDescriptorTableCheck.GUEST_GDTR_BASE_NOT_CANONICAL, s -> s.set(GUEST_GDTR_BASE, NONCANONICAL));
        on(GuestDescriptorTableCheck.GUEST_IDTR_BASE_NOT_CANONICAL, s -> s.set(GUEST_IDTR_BASE, NONCANONICAL));
        on(GuestDescriptorTableCheck.GUEST_GDTR_LIMIT_UPPER_BITS, s -> s.set(GUEST_GDTR_LIMIT, 0x10000));
        on(GuestDescriptorTableCheck.GUEST_IDTR_LIMIT_UPPER_BITS, s -> s.set(GUEST_IDTR_LIMIT, 0x1FFFF));

        on(GuestRipRflagsCheck.GUEST_RIP_UPPER_BITS, "icelake", GUEST_PAE, s -> s.set(GUEST_RIP, 1L << 32));
        on(GuestRipRflagsCheck.GUEST_RIP_NOT_CANONICAL, s -> s.set(GUEST_RIP, NONCANONICAL));
        on(GuestRipRflagsCheck.GUEST_RFLAGS_RESERVED, s -> s.or(GUEST_RFLAGS, 1L << 15));
        on(GuestRipRflagsCheck.GUEST_RFLAGS_BIT_1_CLEAR, s -> s.set(GUEST_RFLAGS, 0));
        on(GuestRipRflagsCheck.GUEST_RFLAGS_VM_IN_IA32E_OR_REAL_MODE, "icelake", V86,
                s -> s.secondary(1L << 1 | 1L << 7).set(GUEST_CR0, 0x30));
        on(GuestRipRflagsCheck.GUEST_RFLAGS_IF_CLEAR_WITH_EXTERNAL_INTERRUPT, s -> s.set(INFO, 0x8000_0020L));
        max(GuestRipRflagsCheck.GUEST_RFLAGS_IOPL_AT_CPL3_WITH_FRED,
                s -> cpl3(s).or(GUEST_CR4, 1L << 32).set(GUEST_RFLAGS, 0x3002));
        on(GuestRipRflagsCheck.GUEST_SSP_UPPER_BITS, "max", GUEST_PAE, s -> s.or(ENTRY, 1L << 20).set(GUEST_SSP, 1L << 32));
        max(GuestRipRflagsCheck.GUEST_SSP_NOT_CANONICAL, s -> s.or(ENTRY, 1L << 20).set(GUEST_SSP, NONCANONICAL));
        max(GuestRipRflagsCheck.GUEST_SSP_LOW_BITS, s -> s.or(ENTRY, 1L << 20).set(GUEST_SSP, 0x8001));

        nonRegisterCases();

        for (int i = 0; i < 4; i++) {
            int n = i;
            on(GuestPdpteCheck.values()[i], "icelake", GUEST_PAE, s -> s.memory.write64(EntryFixtures.PDPT + 8L * n, 0x7));
            on(GuestPdpteCheck.values()[4 + i], "icelake", GUEST_PAE, s -> s.ept().set(
                    new VmcsField[] {GUEST_PDPTE0, GUEST_PDPTE1, GUEST_PDPTE2, GUEST_PDPTE3}[n], 0x1000 | 1 | 1L << 5));
        }

        Consumer<Setup> oneEntry = s -> s.set(VM_ENTRY_MSR_LOAD_COUNT, 2).msrEntry(0, 0x10, 0);
        on(MsrLoadCheck.MSR_LOAD_COUNT_ABOVE_LIMIT, s -> s.set(VM_ENTRY_MSR_LOAD_COUNT, 513));
        on(MsrLoadCheck.MSR_LOAD_ENTRY_RESERVED, oneEntry.andThen(s -> s.msrEntry(1, 1L << 32 | 0x10, 0)));
        on(MsrLoadCheck.MSR_LOAD_FS_OR_GS_BASE, oneEntry.andThen(s -> s.msrEntry(1, 0xC000_0101L, 0)));
        on(MsrLoadCheck.MSR_LOAD_X2APIC_MSR_IN_X2APIC_MODE,
                oneEntry.andThen(s -> s.msrEntry(1, 0x808, 0)).andThen(s -> s.context.x2apicMode(true)));
        on(MsrLoadCheck.MSR_LOAD_SMM_ONLY_MSR, oneEntry.andThen(s -> s.msrEntry(1, 0x9B, 0)));
        on(MsrLoadCheck.MSR_LOAD_MODEL_SPECIFIC, oneEntry.andThen(s -> s.msrEntry(1, 0x79, 0)));
        on(MsrLoadCheck.MSR_LOAD_WRITE_WOULD_FAULT, oneEntry.andThen(s -> s.msrEntry(1, 0x10, 5))
                .andThen(s -> s.context.msrWriteRule((msr, value) -> msr == 0x10 && value == 5)));
    }

    private static void segmentCases() {
        on(GuestSegmentCheck.GUEST_TR_SELECTOR_TI, s -> s.or(GUEST_TR_SELECTOR, 4));
        on(GuestSegmentCheck.GUEST_LDTR_SELECTOR_TI, usableLdtr().andThen(s -> s.set(GUEST_LDTR_SELECTOR, 0x24)));
        on(GuestSegmentCheck.GUEST_SS_SELECTOR_RPL_NOT_CS_RPL, s -> s.set(GUEST_CS_SELECTOR, 0x0B));
        String[] six = {"CS", "SS", "DS", "ES", "FS", "GS"};
        for (String r : six) {
            VmcsField base = VmcsField.valueOf("GUEST_" + r + "_BASE");
            VmcsField limit = VmcsField.valueOf("GUEST_" + r + "_LIMIT");
            VmcsField ar = VmcsField.valueOf("GUEST_" + r + "_ACCESS_RIGHTS");
            VmcsField sel = VmcsField.valueOf("GUEST_" + r + "_SELECTOR");
            boolean cs = r.equals("CS");
            on(seg(r, "BASE_NOT_SELECTOR_TIMES_16"), "icelake", V86, s -> s.or(base, 0x8));
            on(seg(r, "LIMIT_NOT_FFFF"), "icelake", V86, s -> s.set(limit, 0xFFFE));
            on(seg(r, "ACCESS_RIGHTS_NOT_F3"), "icelake", V86, s -> s.set(ar, 0xF2));
            on(seg(r, "S_CLEAR"), s -> s.clear(ar, 0x10));
            on(seg(r, "NOT_PRESENT"), s -> s.clear(ar, 0x80));
            on(seg(r, "ACCESS_RIGHTS_RESERVED_11_8"), s -> s.or(ar, 0x200));
            on(seg(r, "G_SET_WITH_SMALL_LIMIT"), s -> s.set(limit, 0xFFFFE));
            on(seg(r, "G_CLEAR_WITH_LARGE_LIMIT"), s -> s.clear(ar, 0x8000));
            on(seg(r, "ACCESS_RIGHTS_RESERVED_31_17"), s -> s.or(ar, 1L << 20));
            if (!cs && !r.equals("SS")) {
                on(seg(r, "TYPE_NOT_ACCESSED"), s -> s.clear(ar, 1));
                on(seg(r, "CODE_NOT_READABLE"), s -> s.set(ar, 0xC099));
                on(seg(r, "DPL_BELOW_RPL"), s -> s.set(sel, 0x13));
            }
            if (r.equals("SS") || r.equals("DS") || r.equals("ES")) {
                on(seg(r, "BASE_UPPER_BITS"), s -> s.set(base, 1L << 32));
            }
        }
        on(GuestSegmentCheck.GUEST_TR_BASE_NOT_CANONICAL, s -> s.set(GUEST_TR_BASE, NONCANONICAL));
        on(GuestSegmentCheck.GUEST_FS_BASE_NOT_CANONICAL, s -> s.set(GUEST_FS_BASE, NONCANONICAL));
        on(GuestSegmentCheck.GUEST_GS_BASE_NOT_CANONICAL, s -> s.set(GUEST_GS_BASE, NONCANONICAL));
        on(GuestSegmentCheck.GUEST_LDTR_BASE_NOT_CANONICAL, usableLdtr().andThen(s -> s.set(GUEST_LDTR_BASE, NONCANONICAL)));
        on(GuestSegmentCheck.GUEST_CS_BASE_UPPER_BITS, s -> s.set(GUEST_CS_BASE, 1L << 32));
        on(GuestSegmentCheck.GUEST_CS_TYPE, s -> s.set(GUEST_CS_ACCESS_RIGHTS, 0xA098));
        on(GuestSegmentCheck.GUEST_SS_TYPE, s -> s.set(GUEST_SS_ACCESS_RIGHTS, 0xC091));
        on(GuestSegmentCheck.GUEST_CS_DPL_NOT_0_FOR_DATA_TYPE, "icelake", UNRESTRICTED, s -> s.set(GUEST_CS_ACCESS_RIGHTS, 0xF3));
        on(GuestSegmentCheck.GUEST_CS_DPL_NOT_SS_DPL, s -> s.set(GUEST_CS_ACCESS_RIGHTS, 0xA0FB));
        on(GuestSegmentCheck.GUEST_CS_DPL_ABOVE_SS_DPL, s -> s.set(GUEST_CS_ACCESS_RIGHTS, 0xA0FF));
        on(GuestSegmentCheck.GUEST_SS_DPL_NOT_RPL, s -> s.set(GUEST_CS_ACCESS_RIGHTS, 0xA09F).set(GUEST_SS_ACCESS_RIGHTS, 0xC0F3));
        on(GuestSegmentCheck.GUEST_SS_DPL_NOT_0, "icelake", UNRESTRICTED,
                s -> s.set(GUEST_CS_ACCESS_RIGHTS, 0x9F).set(GUEST_SS_ACCESS_RIGHTS, 0xF3));
        on(GuestSegmentCheck.GUEST_CS_D_WITH_L, s -> s.or(GUEST_CS_ACCESS_RIGHTS, 0x4000));
        on(GuestSegmentCheck.GUEST_TR_TYPE_IA32E, s -> s.set(GUEST_TR_ACCESS_RIGHTS, 0x83));
        on(GuestSegmentCheck.GUEST_TR_TYPE, "icelake", GUEST_PAE, s -> s.set(GUEST_TR_ACCESS_RIGHTS, 0x89));
        on(GuestSegmentCheck.GUEST_TR_S_SET, s -> s.set(GUEST_TR_ACCESS_RIGHTS, 0x9B));
        on(GuestSegmentCheck.GUEST_TR_NOT_PRESENT, s -> s.set(GUEST_TR_ACCESS_RIGHTS, 0x0B));
        on(GuestSegmentCheck.GUEST_TR_ACCESS_RIGHTS_RESERVED_11_8, s -> s.set(GUEST_TR_ACCESS_RIGHTS, 0x48B));
        on(GuestSegmentCheck.GUEST_TR_G_SET_WITH_SMALL_LIMIT, s -> s.set(GUEST_TR_ACCESS_RIGHTS, 0x808B));
        on(GuestSegmentCheck.GUEST_TR_G_CLEAR_WITH_LARGE_LIMIT, s -> s.set(GUEST_TR_LIMIT, 0x100067));
        on(GuestSegmentCheck.GUEST_TR_UNUSABLE, s -> s.set(GUEST_TR_ACCESS_RIGHTS, 0x1008B));
        on(GuestSegmentCheck.GUEST_TR_ACCESS_RIGHTS_RESERVED_31_17, s -> s.set(GUEST_TR_ACCESS_RIGHTS, 0x2008B));
        on(GuestSegmentCheck.GUEST_LDTR_TYPE, usableLdtr().andThen(s -> s.set(GUEST_LDTR_ACCESS_RIGHTS, 0x83)));
        on(GuestSegmentCheck.GUEST_LDTR_S_SET, usableLdtr().andThen(s -> s.set(GUEST_LDTR_ACCESS_RIGHTS, 0x92)));
        on(GuestSegmentCheck.GUEST_LDTR_NOT_PRESENT, usableLdtr().andThen(s -> s.set(GUEST_LDTR_ACCESS_RIGHTS, 0x02)));
        on(GuestSegmentCheck.GUEST_LDTR_ACCESS_RIGHTS_RESERVED_11_8,
                usableLdtr().andThen(s -> s.set(GUEST_LDTR_ACCESS_RIGHTS, 0x882)));
        on(GuestSegmentCheck.GUEST_LDTR_G_SET_WITH_SMALL_LIMIT, usableLdtr().andThen(s -> s.set(GUEST_LDTR_ACCESS_RIGHTS, 0x8082)));
        on(GuestSegmentCheck.GUEST_LDTR_G_CLEAR_WITH_LARGE_LIMIT, usableLdtr().andThen(s -> s.set(GUEST_LDTR_LIMIT, 0x200000)));
        max(GuestSegmentCheck.GUEST_SS_DPL_NOT_0_OR_3_WITH_FRED, s -> s.or(GUEST_CR4, 1L << 32).set(GUEST_SS_SELECTOR, 0x11)
                .set(GUEST_CS_SELECTOR, 0x09).set(GUEST_CS_ACCESS_RIGHTS, 0xA09F).set(GUEST_SS_ACCESS_RIGHTS, 0xC0B3));
        max(GuestSegmentCheck.GUEST_CPL0_COMPATIBILITY_MODE_WITH_FRED,
                s -> s.or(GUEST_CR4, 1L << 32).set(GUEST_CS_ACCESS_RIGHTS, 0xC09B));
        on(GuestSegmentCheck.GUEST_LDTR_ACCESS_RIGHTS_RESERVED_31_17,
                usableLdtr().andThen(s -> s.set(GUEST_LDTR_ACCESS_RIGHTS, 0x80082)));
    }

    /** RSP1-3 and SSP1-3 of the host or guest FRED state: not canonical, not aligned. */
    private static void fredStacks(String area, Consumer<Setup> enable) {
        for (String kind : new String[] {"RSP", "SSP"}) {
            for (int n = 1; n <= 3; n++) {
                VmcsField f = VmcsField.valueOf(area + "_IA32_FRED_" + kind + n);
                String prefix = area + "_FRED_" + kind + n;
                EntryCheck canonical = EntryChecks.byName(prefix + "_NOT_CANONICAL");
                EntryCheck aligned = EntryChecks.byName(prefix + "_NOT_ALIGNED");
                max(canonical, enable.andThen(s -> s.set(f, NONCANONICAL)));
                max(aligned, enable.andThen(s -> s.set(f, kind.equals("RSP") ? 0x1020 : 0x1004)));
            }
        }
    }

    /** A guest at CPL 3: SS and CS selectors with RPL 3, SS DPL 3, CS conforming with DPL 0. */
    private static Setup cpl3(Setup s) {
        return s.set(GUEST_SS_SELECTOR, 0x13).set(GUEST_CS_SELECTOR, 0x0B).set(GUEST_CS_ACCESS_RIGHTS, 0xA09F)
                .set(GUEST_SS_ACCESS_RIGHTS, 0xC0F3);
    }

    private static Consumer<Setup> usableLdtr() {
        return s -> s.set(GUEST_LDTR_SELECTOR, 0x20).set(GUEST_LDTR_ACCESS_RIGHTS, 0x82).set(GUEST_LDTR_LIMIT, 0x67);
    }

    private static GuestSegmentCheck seg(String reg, String rule) {
        return GuestSegmentCheck.valueOf("GUEST_" + reg + "_" + rule);
    }

    private static void nonRegisterCases() {
        VmcsField act = GUEST_ACTIVITY_STATE;
        VmcsField intr = GUEST_INTERRUPTIBILITY_STATE;
        on(GuestNonRegisterCheck.ACTIVITY_STATE_OUT_OF_RANGE, s -> s.set(act, 4));
        on(GuestNonRegisterCheck.ACTIVITY_STATE_NOT_SUPPORTED, "lowered", GUEST_64, s -> s.set(act, 3));
        on(GuestNonRegisterCheck.ACTIVITY_STATE_HLT_WITH_SS_DPL_NOT_0, s -> s.set(act, 1).set(GUEST_SS_SELECTOR, 0x13)
                .set(GUEST_CS_SELECTOR, 0x0B).set(GUEST_CS_ACCESS_RIGHTS, 0xA09F).set(GUEST_SS_ACCESS_RIGHTS, 0xC0F3));
        on(GuestNonRegisterCheck.ACTIVITY_STATE_INACTIVE_WITH_STI_OR_MOV_SS_BLOCKING, s -> s.set(act, 1).set(intr, 2));
        on(GuestNonRegisterCheck.INJECTION_NOT_ALLOWED_IN_HLT, s -> s.set(act, 1).set(INFO, 0x8000_0306L));
        on(GuestNonRegisterCheck.INJECTION_NOT_ALLOWED_IN_SHUTDOWN,
                s -> s.set(act, 2).set(INFO, 0x8000_0020L).set(GUEST_RFLAGS, 0x202));
        on(GuestNonRegisterCheck.INJECTION_IN_WAIT_FOR_SIPI, s -> s.set(act, 3).set(INFO, 0x8000_0202L));
        on(GuestNonRegisterCheck.WAIT_FOR_SIPI_WITH_ENTRY_TO_SMM,
                s -> s.set(act, 3).or(ENTRY, 1L << 10).set(intr, 4).context.inSmm(true));
        on(GuestNonRegisterCheck.INTERRUPTIBILITY_RESERVED, s -> s.set(intr, 0x20));
        on(GuestNonRegisterCheck.STI_AND_MOV_SS_BLOCKING, s -> s.set(intr, 3).set(GUEST_RFLAGS, 0x202));
        on(GuestNonRegisterCheck.STI_BLOCKING_WITH_IF_CLEAR, s -> s.set(intr, 1));
        on(GuestNonRegisterCheck.BLOCKING_WITH_EXTERNAL_INTERRUPT_INJECTION,
                s -> s.set(intr, 2).set(GUEST_RFLAGS, 0x202).set(INFO, 0x8000_0020L));
        on(GuestNonRegisterCheck.MOV_SS_BLOCKING_WITH_NMI_INJECTION, s -> s.set(intr, 2).set(INFO, 0x8000_0202L));
        on(GuestNonRegisterCheck.SMI_BLOCKING_OUTSIDE_SMM, s -> s.set(intr, 4));
        on(GuestNonRegisterCheck.SMI_BLOCKING_CLEAR_WITH_ENTRY_TO_SMM, s -> s.or(ENTRY, 1L << 10).context.inSmm(true));
        max(GuestNonRegisterCheck.STI_BLOCKING_AT_CPL3_WITH_FRED,
                s -> cpl3(s).or(GUEST_CR4, 1L << 32).set(GUEST_RFLAGS, 0x202).set(intr, 1));
        on(GuestNonRegisterCheck.STI_BLOCKING_WITH_NMI_INJECTION,
                s -> s.set(intr, 1).set(GUEST_RFLAGS, 0x202).set(INFO, 0x8000_0202L));
        on(GuestNonRegisterCheck.NMI_BLOCKING_WITH_VIRTUAL_NMI_INJECTION,
                s -> s.or(PINF, 1L << 3 | 1L << 5).set(intr, 8).set(INFO, 0x8000_0202L));
        max(GuestNonRegisterCheck.ENCLAVE_INTERRUPTION_WITH_MOV_SS_BLOCKING, s -> s.set(intr, 0x12));
        on(GuestNonRegisterCheck.ENCLAVE_INTERRUPTION_WITHOUT_SGX, s -> s.set(intr, 0x10));
        on(GuestNonRegisterCheck.PENDING_DEBUG_EXCEPTIONS_RESERVED, s -> s.set(GUEST_PENDING_DEBUG_EXCEPTIONS, 1L << 13));
        on(GuestNonRegisterCheck.PENDING_DEBUG_BS_CLEAR_WITH_TF, s -> s.set(intr, 1).set(GUEST_RFLAGS, 0x302));
        on(GuestNonRegisterCheck.PENDING_DEBUG_BS_SET_WITHOUT_TF,
                s -> s.set(act, 1).set(GUEST_PENDING_DEBUG_EXCEPTIONS, 1L << 14));
        max(GuestNonRegisterCheck.PENDING_DEBUG_RTM_WITH_OTHER_BITS, s -> s.set(GUEST_PENDING_DEBUG_EXCEPTIONS, 1L << 16));
        max(GuestNonRegisterCheck.PENDING_DEBUG_RTM_WITH_MOV_SS_BLOCKING,
                s -> s.set(GUEST_PENDING_DEBUG_EXCEPTIONS, 1L << 16 | 1L << 12).set(intr, 2));
        on(GuestNonRegisterCheck.VMCS_LINK_POINTER_NOT_ALIGNED, s -> s.set(VMCS_LINK_POINTER, EntryFixtures.LINK | 0x10));
        on(GuestNonRegisterCheck.VMCS_LINK_POINTER_BEYOND_PHYSICAL_ADDRESS_WIDTH, s -> s.set(VMCS_LINK_POINTER, BEYOND));
        on(GuestNonRegisterCheck.VMCS_LINK_POINTER_REVISION_MISMATCH, s -> s.set(VMCS_LINK_POINTER, EntryFixtures.LINK));
        on(GuestNonRegisterCheck.VMCS_LINK_POINTER_SHADOW_INDICATOR_MISMATCH, s -> {
            s.set(VMCS_LINK_POINTER, EntryFixtures.LINK);
            s.memory.write32(EntryFixtures.LINK, s.memory.read32(EntryFixtures.CURRENT_VMCS) | 0x8000_0000);
        });
        on(GuestNonRegisterCheck.VMCS_LINK_POINTER_IS_CURRENT_VMCS, s -> s.set(VMCS_LINK_POINTER, EntryFixtures.CURRENT_VMCS));
        on(GuestNonRegisterCheck.VMCS_LINK_POINTER_IS_VMXON_POINTER, s -> {
            s.set(VMCS_LINK_POINTER, 0x6000);
            s.memory.write32(0x6000, s.memory.read32(EntryFixtures.CURRENT_VMCS));
            s.context.inSmm(true).vmxonPointer(0x6000);
        });
    }

    private BreakOneRuleCases() {
    }

    static List<Case> list() {
        return new ArrayList<>(CASES.values());
    }
}
