package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuException;
import dev.vmx4j.core.cpu.VmxCpuAccess;

/**
 * The MSR-load lists of VM entry and VM exit (SDM "VM-Entry Control Fields for MSRs", "Loading
 * MSRs"): 16-byte entries, bits 31:0 the MSR index, bits 63:32 reserved, bits 127:64 the data,
 * each loaded as WRMSR would load it.
 */
final class MsrList {

    /** The outcome of loading a list: 0 if every entry loaded, else the failing entry's number (from 1). */
    static final class Result {
        static final Result OK = new Result(0);
        final int failedEntry;

        Result(int failedEntry) {
            this.failedEntry = failedEntry;
        }

        boolean ok() {
            return failedEntry == 0;
        }
    }

    static final int IA32_FS_BASE = 0xC0000100;
    static final int IA32_GS_BASE = 0xC0000101;
    static final int IA32_SMM_MONITOR_CTL = 0x9B;
    static final int IA32_SMBASE = 0x9E;

    private MsrList() {
    }

    /**
     * SDM "VM-Entry Loading MSRs" / "Loading MSRs" (VM exit): an entry fails if "bits 31:0 is
     * either C0000100H (the IA32_FS_BASE MSR) or C0000101H (the IA32_GS_BASE MSR)", if bits 31:8
     * are 000008H (x2APIC MSRs), if it names an MSR writable only in SMM (IA32_SMM_MONITOR_CTL,
     * IA32_SMBASE), if "bits 63:32 are not all 0", or if WRMSR of bits 127:64 would #GP.
     */
    static Result load(Cpu c, long address, int count) {
        for (int i = 0; i < count; i++) {
            long entry = address + 16L * i;
            long head = c.memory().read64(entry);
            long data = c.memory().read64(entry + 8);
            int index = (int) head;
            if ((head >>> 32) != 0 || (index >>> 8) == 0x8 || index == IA32_FS_BASE || index == IA32_GS_BASE
                    || index == IA32_SMM_MONITOR_CTL || index == IA32_SMBASE) {
                return new Result(i + 1);
            }
            try {
                VmxCpuAccess.wrmsrChecked(c, index, data);
            } catch (CpuException e) {
                return new Result(i + 1);
            }
        }
        return Result.OK;
    }
}
