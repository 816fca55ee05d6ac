package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.ExecutionControlCheck.*;
import static dev.vmx4j.vmx.entry.ExitControlCheck.*;
import static dev.vmx4j.vmx.entry.EntryControlCheck.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.mmu.PhysicalMemory;
import dev.vmx4j.mmu.ept.EptpCheck;

/** SDM "Checks on VMX Controls": the VM-execution, VM-exit and VM-entry control fields, in SDM order. */
final class ControlChecks {

    private ControlChecks() {
    }

    /** Bits of {@code value} (32 bits) that break allowed-0 (must be 1) or allowed-1 (may be 1). */
    static long badBits(long value, long allowed0, long allowed1) {
        return ((allowed0 & ~value) | (value & ~allowed1)) & 0xFFFF_FFFFL;
    }

    static boolean run(Run r) {
        return execution(r) || exit(r) || entry(r);
    }

    // SDM "VM-Execution Control Fields"
    private static boolean execution(Run r) {
        Caps c = r.caps;
        long pin = r.pin();
        long pri = r.primary();
        long sec = r.secondary();
        long ter = r.tertiary();
        long bad;
        // SDM "VM-Execution Control Fields": reserved bits of each control vector are set as the capability MSRs report.
        if ((bad = badBits(pin, c.pin0, c.pin1)) != 0
                && r.failControls(PIN_BASED_CONTROLS_RESERVED, PIN_BASED_VM_EXECUTION_CONTROLS, pin, bad, c.pin0, c.pin1)) {
            return true;
        }
        if ((bad = badBits(pri, c.proc0, c.proc1)) != 0 && r.failControls(PRIMARY_PROC_BASED_CONTROLS_RESERVED,
                PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, pri, bad, c.proc0, c.proc1)) {
            return true;
        }
        if ((bad = badBits(sec, 0, c.sec1)) != 0 && r.failControls(SECONDARY_PROC_BASED_CONTROLS_RESERVED,
                SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, bad, 0, c.sec1)) {
            return true;
        }
        if ((bad = ter & ~c.ter1) != 0 && r.failControls(TERTIARY_PROC_BASED_CONTROLS_RESERVED,
                TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, ter, bad, 0, c.ter1)) {
            return true;
        }
        long cr3Count = r.r(CR3_TARGET_COUNT);
        if (cr3Count > c.cr3TargetCount() && r.fail(CR3_TARGET_COUNT_TOO_LARGE, CR3_TARGET_COUNT, cr3Count, 0)) {
            return true;
        }
        // SDM "VM-Execution Control Fields": "use I/O bitmaps" (primary bit 25): both addresses 4-KByte aligned, within MAXPHYADDR.
        if ((pri >>> 25 & 1) != 0) {
            if (page(r, IO_BITMAP_A_NOT_ALIGNED, IO_BITMAP_A_BEYOND_PHYSICAL_ADDRESS_WIDTH, ADDRESS_OF_IO_BITMAP_A, 0xFFF)
                    || page(r, IO_BITMAP_B_NOT_ALIGNED, IO_BITMAP_B_BEYOND_PHYSICAL_ADDRESS_WIDTH, ADDRESS_OF_IO_BITMAP_B, 0xFFF)) {
                return true;
            }
        }
        // SDM "VM-Execution Control Fields": "use MSR bitmaps" (primary bit 28).
        if ((pri >>> 28 & 1) != 0 && page(r, MSR_BITMAPS_NOT_ALIGNED, MSR_BITMAPS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                ADDRESS_OF_MSR_BITMAPS, 0xFFF)) {
            return true;
        }
        boolean tprShadow = (pri >>> 21 & 1) != 0;
        boolean apicAccesses = (sec & 1) != 0;
        boolean x2apicMode = (sec >>> 4 & 1) != 0;
        boolean registerVirtualization = (sec >>> 8 & 1) != 0;
        boolean vid = (sec >>> 9 & 1) != 0;
        if (tprShadow) {
            // SDM "VM-Execution Control Fields": "use TPR shadow": the virtual-APIC address, the TPR threshold.
            if (page(r, VIRTUAL_APIC_ADDRESS_NOT_ALIGNED, VIRTUAL_APIC_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                    VIRTUAL_APIC_ADDRESS, 0xFFF)) {
                return true;
            }
            long threshold = r.r(TPR_THRESHOLD);
            if (!vid && (threshold & ~0xFL) != 0
                    && r.fail(TPR_THRESHOLD_RESERVED, TPR_THRESHOLD, threshold, threshold & ~0xFL)) {
                return true;
            }
            if (!vid && !apicAccesses && tprAboveVtpr(r, threshold)) {
                return true;
            }
        } else {
            // SDM "VM-Execution Control Fields": without "use TPR shadow", none of the APIC virtualization controls.
            if (x2apicMode && r.fail(VIRTUALIZE_X2APIC_MODE_WITHOUT_TPR_SHADOW,
                    SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 4)) {
                return true;
            }
            if (registerVirtualization && r.fail(APIC_REGISTER_VIRTUALIZATION_WITHOUT_TPR_SHADOW,
                    SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 8)) {
                return true;
            }
            if (vid && r.fail(VIRTUAL_INTERRUPT_DELIVERY_WITHOUT_TPR_SHADOW,
                    SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 9)) {
                return true;
            }
        }
        // SDM "VM-Execution Control Fields": NMI exiting (pin 3), virtual NMIs (pin 5), NMI-window exiting (primary 22).
        if ((pin >>> 3 & 1) == 0 && (pin >>> 5 & 1) != 0
                && r.fail(VIRTUAL_NMIS_WITHOUT_NMI_EXITING, PIN_BASED_VM_EXECUTION_CONTROLS, pin, 1L << 5)) {
            return true;
        }
        if ((pin >>> 5 & 1) == 0 && (pri >>> 22 & 1) != 0 && r.fail(NMI_WINDOW_EXITING_WITHOUT_VIRTUAL_NMIS,
                PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, pri, 1L << 22)) {
            return true;
        }
        if (apicAccesses && page(r, APIC_ACCESS_ADDRESS_NOT_ALIGNED, APIC_ACCESS_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                APIC_ACCESS_ADDRESS, 0xFFF)) {
            return true;
        }
        if (x2apicMode && apicAccesses && r.fail(VIRTUALIZE_X2APIC_MODE_WITH_VIRTUALIZE_APIC_ACCESSES,
                SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L)) {
            return true;
        }
        if (vid && (pin & 1) == 0 && r.fail(VIRTUAL_INTERRUPT_DELIVERY_WITHOUT_EXTERNAL_INTERRUPT_EXITING,
                PIN_BASED_VM_EXECUTION_CONTROLS, pin, 1L)) {
            return true;
        }
        // SDM "VM-Execution Control Fields": "process posted interrupts" (pin 7).
        if ((pin >>> 7 & 1) != 0) {
            if (!vid && r.fail(POSTED_INTERRUPTS_WITHOUT_VIRTUAL_INTERRUPT_DELIVERY,
                    SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 9)) {
                return true;
            }
            long exit = r.exitControls();
            if ((exit >>> 15 & 1) == 0 && r.fail(POSTED_INTERRUPTS_WITHOUT_ACKNOWLEDGE_INTERRUPT_ON_EXIT,
                    PRIMARY_VM_EXIT_CONTROLS, exit, 1L << 15)) {
                return true;
            }
            long vector = r.r(POSTED_INTERRUPT_NOTIFICATION_VECTOR);
            if ((vector & 0xFF00) != 0 && r.fail(POSTED_INTERRUPT_NOTIFICATION_VECTOR_RESERVED,
                    POSTED_INTERRUPT_NOTIFICATION_VECTOR, vector, vector & 0xFF00)) {
                return true;
            }
            if (page(r, POSTED_INTERRUPT_DESCRIPTOR_NOT_ALIGNED, POSTED_INTERRUPT_DESCRIPTOR_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                    POSTED_INTERRUPT_DESCRIPTOR_ADDRESS, 0x3F)) {
                return true;
            }
        }
        // SDM "VM-Execution Control Fields": "enable VPID" (secondary 5).
        if ((sec >>> 5 & 1) != 0) {
            long vpid = r.r(VIRTUAL_PROCESSOR_IDENTIFIER);
            if (vpid == 0 && r.fail(VPID_ZERO, VIRTUAL_PROCESSOR_IDENTIFIER, 0, 0)) {
                return true;
            }
        }
        boolean ept = (sec >>> 1 & 1) != 0;
        // SDM "VM-Execution Control Fields": "enable EPT" (secondary 1): the EPTP rules, as ept-mmu's EptpValidator names them.
        if (ept && eptp(r)) {
            return true;
        }
        // SDM "VM-Execution Control Fields": "enable PML" (secondary 17).
        if ((sec >>> 17 & 1) != 0) {
            if (!ept && r.fail(PML_WITHOUT_EPT, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 17)) {
                return true;
            }
            if (page(r, PML_ADDRESS_NOT_ALIGNED, PML_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH, PML_ADDRESS, 0xFFF)) {
                return true;
            }
        }
        // SDM "VM-Execution Control Fields": "unrestricted guest" (7) and "mode-based execute control for EPT" (22) need EPT.
        if (!ept && (sec >>> 7 & 1) != 0 && r.fail(UNRESTRICTED_GUEST_WITHOUT_EPT,
                SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 7)) {
            return true;
        }
        if (!ept && (sec >>> 22 & 1) != 0 && r.fail(MODE_BASED_EXECUTE_CONTROL_WITHOUT_EPT,
                SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 22)) {
            return true;
        }
        // SDM "VM-Execution Control Fields": "sub-page write permissions for EPT" (23).
        if ((sec >>> 23 & 1) != 0) {
            if (!ept && r.fail(SUB_PAGE_WRITE_PERMISSIONS_WITHOUT_EPT,
                    SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 23)) {
                return true;
            }
            if (page(r, SPPTP_NOT_ALIGNED, SPPTP_BEYOND_PHYSICAL_ADDRESS_WIDTH, SUB_PAGE_PERMISSION_TABLE_POINTER, 0xFFF)) {
                return true;
            }
        }
        // SDM "VM-Execution Control Fields": "enable VM functions" (13): allowed functions, EPTP switching needs EPT and an EPTP list.
        if ((sec >>> 13 & 1) != 0) {
            long functions = r.r(VM_FUNCTION_CONTROLS);
            if ((functions & ~c.vmfunc) != 0 && r.fail(VM_FUNCTION_CONTROLS_RESERVED, VM_FUNCTION_CONTROLS, functions,
                    functions & ~c.vmfunc)) {
                return true;
            }
            if ((functions & 1) != 0) {
                if (!ept && r.fail(EPTP_SWITCHING_WITHOUT_EPT, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 1)) {
                    return true;
                }
                if (page(r, EPTP_LIST_ADDRESS_NOT_ALIGNED, EPTP_LIST_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                        EPTP_LIST_ADDRESS, 0xFFF)) {
                    return true;
                }
            }
        }
        // SDM "VM-Execution Control Fields": "VMCS shadowing" (14): the VMREAD and VMWRITE bitmaps.
        if ((sec >>> 14 & 1) != 0) {
            if (page(r, VMREAD_BITMAP_NOT_ALIGNED, VMREAD_BITMAP_BEYOND_PHYSICAL_ADDRESS_WIDTH, VMREAD_BITMAP_ADDRESS, 0xFFF)
                    || page(r, VMWRITE_BITMAP_NOT_ALIGNED, VMWRITE_BITMAP_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                            VMWRITE_BITMAP_ADDRESS, 0xFFF)) {
                return true;
            }
        }
        // SDM "VM-Execution Control Fields": "EPT-violation #VE" (18): the virtualization-exception information address.
        if ((sec >>> 18 & 1) != 0 && page(r, VE_INFORMATION_ADDRESS_NOT_ALIGNED,
                VE_INFORMATION_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH, VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS, 0xFFF)) {
            return true;
        }
        // SDM "VM-Execution Control Fields": "Intel PT uses guest physical addresses" (24).
        if ((sec >>> 24 & 1) != 0) {
            if (!ept && r.fail(PT_GUEST_PHYSICAL_WITHOUT_EPT, SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, sec, 1L << 24)) {
                return true;
            }
            long exit = r.exitControls();
            if ((exit >>> 25 & 1) == 0 && r.fail(PT_GUEST_PHYSICAL_WITHOUT_CLEAR_IA32_RTIT_CTL, PRIMARY_VM_EXIT_CONTROLS,
                    exit, 1L << 25)) {
                return true;
            }
            long entry = r.entryControls();
            if ((entry >>> 18 & 1) == 0 && r.fail(PT_GUEST_PHYSICAL_WITHOUT_LOAD_IA32_RTIT_CTL, VM_ENTRY_CONTROLS,
                    entry, 1L << 18)) {
                return true;
            }
        }
        // SDM "VM-Execution Control Fields": "enable HLAT" (tertiary 1) needs EPT.
        return (ter >>> 1 & 1) != 0 && !ept
                && r.fail(HLAT_WITHOUT_EPT, TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, ter, 1L << 1);
    }

    /** The two address rules: {@code alignMask} bits 0, no bit at or above MAXPHYADDR. */
    static boolean page(Run r, EntryCheck aligned, EntryCheck width, dev.vmx4j.vmx.vmcs.VmcsField field, long alignMask) {
        long a = r.r(field);
        if ((a & alignMask) != 0 && r.fail(aligned, field, a, a & alignMask)) {
            return true;
        }
        return r.beyondWidth(a) && r.fail(width, field, a, r.bitsBeyondWidth(a));
    }

    private static boolean tprAboveVtpr(Run r, long threshold) {
        // SDM "VM-Execution Control Fields": TPR threshold bits 3:0 must not exceed VTPR bits 7:4 (byte 80H of the virtual-APIC page).
        PhysicalMemory m = r.memory(TPR_THRESHOLD_ABOVE_VTPR);
        if (m == null) {
            return false;
        }
        long vtpr = m.read8(r.r(VIRTUAL_APIC_ADDRESS) + 0x80) & 0xFF;
        return (threshold & 0xF) > (vtpr >>> 4) && r.fail(TPR_THRESHOLD_ABOVE_VTPR, TPR_THRESHOLD, threshold, threshold & 0xF);
    }

    private static boolean eptp(Run r) {
        long eptp = r.r(EPT_POINTER);
        EptpCheck check = r.caps.eptp.check(eptp);
        if (check.isOk()) {
            return false;
        }
        EntryCheck id;
        switch (check) {
            case MEMORY_TYPE_NOT_SUPPORTED:
                id = EPTP_MEMORY_TYPE_NOT_SUPPORTED;
                break;
            case PAGE_WALK_LENGTH_NOT_SUPPORTED:
                id = EPTP_PAGE_WALK_LENGTH_NOT_SUPPORTED;
                break;
            case ACCESSED_DIRTY_NOT_SUPPORTED:
                id = EPTP_ACCESSED_DIRTY_NOT_SUPPORTED;
                break;
            case SUPERVISOR_SHADOW_STACK_NOT_SUPPORTED:
                id = EPTP_SUPERVISOR_SHADOW_STACK_NOT_SUPPORTED;
                break;
            default:
                id = EPTP_RESERVED_BITS;
                break;
        }
        return r.fail(id, EPT_POINTER, eptp, r.caps.eptp.validate(eptp).offendingBits());
    }

    // SDM "VM-Exit Control Fields"
    private static boolean exit(Run r) {
        Caps c = r.caps;
        long exit = r.exitControls();
        long bad;
        if ((bad = badBits(exit, c.exit0, c.exit1)) != 0
                && r.failControls(EXIT_CONTROLS_RESERVED, PRIMARY_VM_EXIT_CONTROLS, exit, bad, c.exit0, c.exit1)) {
            return true;
        }
        if ((exit >>> 31 & 1) != 0) {
            long exit2 = r.r(SECONDARY_VM_EXIT_CONTROLS);
            if ((exit2 & ~c.exit2One) != 0 && r.failControls(SECONDARY_EXIT_CONTROLS_RESERVED, SECONDARY_VM_EXIT_CONTROLS,
                    exit2, exit2 & ~c.exit2One, 0, c.exit2One)) {
                return true;
            }
        }
        // SDM "VM-Exit Control Fields": "save VMX-preemption timer value" (exit 22) needs "activate VMX-preemption timer" (pin 6).
        if ((exit >>> 22 & 1) != 0 && (r.pin() >>> 6 & 1) == 0
                && r.fail(SAVE_PREEMPTION_TIMER_WITHOUT_ACTIVATE, PRIMARY_VM_EXIT_CONTROLS, exit, 1L << 22)) {
            return true;
        }
        return msrArea(r, VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_STORE_ADDRESS, EXIT_MSR_STORE_ADDRESS_NOT_ALIGNED,
                EXIT_MSR_STORE_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH, EXIT_MSR_STORE_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH)
                || msrArea(r, VM_EXIT_MSR_LOAD_COUNT, VM_EXIT_MSR_LOAD_ADDRESS, EXIT_MSR_LOAD_ADDRESS_NOT_ALIGNED,
                        EXIT_MSR_LOAD_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH,
                        EXIT_MSR_LOAD_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH);
    }

    /** SDM: a non-empty MSR area is 16-byte aligned and lies below MAXPHYADDR, last byte included. */
    private static boolean msrArea(Run r, dev.vmx4j.vmx.vmcs.VmcsField count, dev.vmx4j.vmx.vmcs.VmcsField address,
            EntryCheck aligned, EntryCheck width, EntryCheck lastByte) {
        long n = r.r(count);
        if (n == 0) {
            return false;
        }
        long a = r.r(address);
        if ((a & 0xF) != 0 && r.fail(aligned, address, a, a & 0xF)) {
            return true;
        }
        if (r.beyondWidth(a)) {
            return r.fail(width, address, a, r.bitsBeyondWidth(a)); // the last byte is beyond too: one failure
        }
        long last = a + n * 16 - 1;
        return r.beyondWidth(last) && r.fail(lastByte, address, a, r.bitsBeyondWidth(last));
    }

    // SDM "VM-Entry Control Fields"
    private static boolean entry(Run r) {
        Caps c = r.caps;
        long entry = r.entryControls();
        long bad;
        if ((bad = badBits(entry, c.entry0, c.entry1)) != 0
                && r.failControls(ENTRY_CONTROLS_RESERVED, VM_ENTRY_CONTROLS, entry, bad, c.entry0, c.entry1)) {
            return true;
        }
        if (injection(r)) {
            return true;
        }
        if (msrArea(r, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDRESS, ENTRY_MSR_LOAD_ADDRESS_NOT_ALIGNED,
                ENTRY_MSR_LOAD_ADDRESS_BEYOND_PHYSICAL_ADDRESS_WIDTH, ENTRY_MSR_LOAD_LAST_BYTE_BEYOND_PHYSICAL_ADDRESS_WIDTH)) {
            return true;
        }
        // SDM "VM-Entry Control Fields": outside SMM, "entry to SMM" (10) and "deactivate dual-monitor treatment" (11) are 0.
        if (!r.ctx.inSmm && (entry >>> 10 & 1) != 0
                && r.fail(ENTRY_TO_SMM_OUTSIDE_SMM, VM_ENTRY_CONTROLS, entry, 1L << 10)) {
            return true;
        }
        return !r.ctx.inSmm && (entry >>> 11 & 1) != 0
                && r.fail(DEACTIVATE_DUAL_MONITOR_OUTSIDE_SMM, VM_ENTRY_CONTROLS, entry, 1L << 11);
    }

    /** SDM: the VM-entry interruption-information field, when valid (bit 31). */
    private static boolean injection(Run r) {
        long info = r.r(VM_ENTRY_INTERRUPTION_INFORMATION_FIELD);
        if ((info >>> 31 & 1) == 0) {
            return false;
        }
        final var f = VM_ENTRY_INTERRUPTION_INFORMATION_FIELD;
        int type = (int) (info >>> 8 & 7);
        int vector = (int) (info & 0xFF);
        boolean deliver = (info >>> 11 & 1) != 0;
        if (type == 1 && r.fail(INTERRUPTION_TYPE_RESERVED, f, info, 7L << 8)) {
            return true;
        }
        // With FRED, type 7 also injects SYSCALL (vector 1) and SYSENTER (vector 2) into a guest
        // with CR4.FRED; vector 0 is the pending MTF VM exit, which needs MTF support.
        boolean fredGuest = r.caps.fred && (r.r(GUEST_CR4) >>> 32 & 1) != 0;
        if (type == 7 && (vector == 0 || !fredGuest) && !r.caps.monitorTrapFlagSupported()
                && r.fail(INTERRUPTION_TYPE_OTHER_EVENT_NOT_SUPPORTED, f, info, 7L << 8)) {
            return true;
        }
        if (type == 2 && vector != 2 && r.fail(NMI_VECTOR_NOT_2, f, info, 0xFF)) {
            return true;
        }
        if (type == 3 && vector > 31 && r.fail(HARDWARE_EXCEPTION_VECTOR_ABOVE_31, f, info, 0xFF)) {
            return true;
        }
        if (type == 7 && vector > (fredGuest ? 2 : 0) && r.fail(OTHER_EVENT_VECTOR_NOT_0, f, info, 0xFF)) {
            return true;
        }
        if (type == 7 && fredGuest && (vector == 1 || vector == 2)) {
            long length = r.r(VM_ENTRY_INSTRUCTION_LENGTH);
            if (length > 15 && r.fail(FRED_SYSCALL_INSTRUCTION_LENGTH_OUT_OF_RANGE, VM_ENTRY_INSTRUCTION_LENGTH, length, 0)) {
                return true;
            }
        }
        // SDM "VM-Entry Control Fields": deliver-error-code is 1 iff (unrestricted guest is 0 or CR0.PE is 1), the type is
        // hardware exception and the vector pushes an error code. With IA32_VMX_BASIC[56] the
        // vector part is not checked (a hardware exception may have either setting).
        boolean protectedOrRestricted = !r.unrestrictedGuest() || (r.r(GUEST_CR0) & 1) != 0;
        boolean vectorRelaxed = r.caps.noHardwareErrorCodeCheck();
        boolean errorCodeVector = pushesErrorCode(r.caps, vector);
        // MANUAL: the one "if and only if" bullet is two ids (bit set when not allowed, clear when required).
        if (deliver && (type != 3 || !protectedOrRestricted || (!vectorRelaxed && !errorCodeVector))
                && r.fail(DELIVER_ERROR_CODE_NOT_ALLOWED, f, info, 1L << 11)) {
            return true;
        }
        if (!deliver && type == 3 && protectedOrRestricted && errorCodeVector && !vectorRelaxed
                && r.fail(DELIVER_ERROR_CODE_REQUIRED, f, info, 1L << 11)) {
            return true;
        }
        // With FRED, bit 13 marks a nested exception and is not reserved.
        long reserved = r.caps.fred ? 0x7FFF_D000L : 0x7FFF_F000L;
        if ((info & reserved) != 0 && r.fail(INTERRUPTION_INFORMATION_RESERVED, f, info, info & reserved)) {
            return true;
        }
        if (r.caps.fred && (info >>> 13 & 1) != 0 && type != 3
                && r.fail(NESTED_EXCEPTION_NOT_HARDWARE_EXCEPTION, f, info, 1L << 13)) {
            return true;
        }
        if (deliver) {
            long code = r.r(VM_ENTRY_EXCEPTION_ERROR_CODE);
            if ((code & 0xFFFF_0000L) != 0 && r.fail(EXCEPTION_ERROR_CODE_RESERVED, VM_ENTRY_EXCEPTION_ERROR_CODE, code,
                    code & 0xFFFF_0000L)) {
                return true;
            }
        }
        if (type >= 4 && type <= 6) {
            long length = r.r(VM_ENTRY_INSTRUCTION_LENGTH);
            return (length > 15 || (length == 0 && !r.caps.zeroLengthInjection()))
                    && r.fail(INSTRUCTION_LENGTH_OUT_OF_RANGE, VM_ENTRY_INSTRUCTION_LENGTH, length, 0);
        }
        return false;
    }

    /**
     * SDM "Exception and Interrupt Reference": #DF, #TS, #NP, #SS, #GP, #PF and #AC push an error
     * code; #CP (21) does on processors with CET.
     */
    // MANUAL: #CP counts as pushing an error code only when the profile enumerates CET (shadow
    // stacks or IBT); kvm-unit-tests leaves vector 21 untested for the same reason.
    static boolean pushesErrorCode(Caps c, int vector) {
        switch (vector) {
            case 8: case 10: case 11: case 12: case 13: case 14: case 17:
                return true;
            case 21:
                return c.cetShadowStack || c.cetIbt;
            default:
                return false;
        }
    }
}
