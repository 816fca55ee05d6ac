package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.entry.MsrLoadCheck.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.mmu.PhysicalMemory;

/**
 * SDM "Loading MSRs" (VM entry): the entries of the VM-entry MSR-load area, 16 bytes each
 * (bits 31:0 the MSR index, bits 63:32 reserved, bits 127:64 the value), in order; the first
 * failing entry ends the VM entry with exit 34 and its number (from 1) as the qualification.
 */
final class MsrLoadChecks {

    static final int IA32_FS_BASE = 0xC000_0100;
    static final int IA32_GS_BASE = 0xC000_0101;
    static final int IA32_SMM_MONITOR_CTL = 0x9B;
    static final int IA32_BIOS_UPDT_TRIG = 0x79;
    static final int IA32_BIOS_SIGN_ID = 0x8B;

    private MsrLoadChecks() {
    }

    static boolean run(Run r) {
        long count = r.r(VM_ENTRY_MSR_LOAD_COUNT);
        if (count == 0) {
            return false;
        }
        PhysicalMemory m = null;
        for (MsrLoadCheck c : MsrLoadCheck.values()) {
            if (c.readsMemory()) {
                m = r.memory(c);
            }
        }
        long limit = r.caps.maxMsrListLength();
        long address = r.r(VM_ENTRY_MSR_LOAD_ADDRESS);
        // The entries of an area that fails its address checks (SDM "Checks on VM-Entry Control
        // Fields": 16-byte aligned, every byte within the physical-address width) are not read: in
        // the architectural mode that failure ended the entry; in the diagnostic mode it is the
        // one failure of the list, not the contents of memory that is not there.
        if ((address & 0xF) != 0 || r.beyondWidth(address) || r.beyondWidth(address + 16 * count - 1)) {
            return false;
        }
        for (long i = 0; i < count; i++) {
            int number = (int) (i + 1);
            // MANUAL: the SDM calls 512 * (IA32_VMX_MISC[27:25] + 1) the recommended maximum and leaves
            // longer lists undefined; vmx4j fails the first entry beyond it, as KVM does and
            // kvm-unit-tests expects.
            if (i >= limit) {
                return r.failMsrEntry(MSR_LOAD_COUNT_ABOVE_LIMIT, number, count, 0);
            }
            if (m == null) {
                return false;
            }
            long low = m.read64(address + 16 * i);
            long value = m.read64(address + 16 * i + 8);
            int msr = (int) low;
            if ((low >>> 32) != 0) {
                return r.failMsrEntry(MSR_LOAD_ENTRY_RESERVED, number, low, low & 0xFFFF_FFFF_0000_0000L);
            }
            if ((msr == IA32_FS_BASE || msr == IA32_GS_BASE)) {
                return r.failMsrEntry(MSR_LOAD_FS_OR_GS_BASE, number, low, 0);
            }
            if (r.ctx.x2apicMode && (msr >>> 8) == 8) {
                return r.failMsrEntry(MSR_LOAD_X2APIC_MSR_IN_X2APIC_MODE, number, low, 0);
            }
            if (msr == IA32_SMM_MONITOR_CTL && !r.ctx.inSmm) {
                return r.failMsrEntry(MSR_LOAD_SMM_ONLY_MSR, number, low, 0);
            }
            if (msr == IA32_BIOS_UPDT_TRIG || msr == IA32_BIOS_SIGN_ID) {
                return r.failMsrEntry(MSR_LOAD_MODEL_SPECIFIC, number, low, 0);
            }
            if (r.ctx.msrWriteRule.wouldFault(msr, value)) {
                return r.failMsrEntry(MSR_LOAD_WRITE_WOULD_FAULT, number, value, 0);
            }
        }
        return false;
    }
}
