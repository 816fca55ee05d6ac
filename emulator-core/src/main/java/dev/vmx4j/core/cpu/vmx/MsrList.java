package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuException;
import dev.vmx4j.core.cpu.VmxCpuAccess;

/**
 * The MSR lists of VM entry and VM exit (SDM "VM-Entry Control Fields for MSRs", "VM-Exit
 * Control Fields for MSRs", "Saving MSRs", "Loading MSRs"): 16-byte entries, bits 31:0 the MSR
 * index, bits 63:32 reserved, bits 127:64 the data. Loading writes each entry as WRMSR would;
 * storing writes RDMSR's value to bits 127:64. The VM-entry list's rules are first decided by
 * the named checks ({@code dev.vmx4j.vmx.entry.MsrLoadCheck}); the VM-exit lists have no
 * diagnostic: a failure there is a VMX abort.
 */
final class MsrList {

    /** The outcome of processing a list: 0 if every entry was processed, else the failing entry's number (from 1). */
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
    /** The microcode-update MSRs: IA32_BIOS_UPDT_TRIG and IA32_BIOS_SIGN_ID. */
    static final int IA32_BIOS_UPDT_TRIG = 0x79;
    static final int IA32_BIOS_SIGN_ID = 0x8B;

    private MsrList() {
    }

    /**
     * SDM "Loading MSRs": an entry fails if "bits 31:0 is either C0000100H (the IA32_FS_BASE MSR)
     * or C0000101H (the IA32_GS_BASE MSR)", if bits 31:8 are 000008H while the local APIC is in
     * x2APIC mode, if it names an MSR writable only in SMM (IA32_SMM_MONITOR_CTL), one that
     * "cannot be loaded ... for model-specific reasons" (MANUAL: the microcode-update MSRs, as for
     * VM entry), if "bits 63:32 are not all 0", or if WRMSR of bits 127:64 would #GP. MANUAL: the
     * SDM leaves a count above 512 * (IA32_VMX_MISC[27:25] + 1) undefined; vmx4j fails the first
     * entry beyond it (VM entry: exit 34 with that number; VM exit: VMX abort).
     */
    static Result load(Cpu c, long address, int count, int limit) {
        boolean x2apic = VmxCpuAccess.x2apicMode(c);
        for (int i = 0; i < count; i++) {
            if (i >= limit) {
                return new Result(i + 1);
            }
            long entry = address + 16L * i;
            long head = c.memory().read64(entry);
            long data = c.memory().read64(entry + 8);
            int index = (int) head;
            if ((head >>> 32) != 0 || x2apic && (index >>> 8) == 0x8 || index == IA32_FS_BASE
                    || index == IA32_GS_BASE || index == IA32_SMM_MONITOR_CTL || index == IA32_SMBASE
                    || index == IA32_BIOS_UPDT_TRIG || index == IA32_BIOS_SIGN_ID) {
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

    /**
     * SDM "Saving MSRs": an entry fails if bits 31:8 are 000008H while the local APIC is in
     * x2APIC mode, if it names an MSR readable only in SMM (IA32_SMBASE), one that "cannot be
     * saved on VM exits for model-specific reasons" (MANUAL: the microcode-update MSRs), if "bits
     * 63:32 are not all 0", or if RDMSR would #GP; and (MANUAL) beyond the count limit.
     */
    static Result store(Cpu c, long address, int count, int limit) {
        boolean x2apic = VmxCpuAccess.x2apicMode(c);
        for (int i = 0; i < count; i++) {
            if (i >= limit) {
                return new Result(i + 1);
            }
            long entry = address + 16L * i;
            long head = c.memory().read64(entry);
            int index = (int) head;
            if ((head >>> 32) != 0 || x2apic && (index >>> 8) == 0x8 || index == IA32_SMBASE
                    || index == IA32_BIOS_UPDT_TRIG || index == IA32_BIOS_SIGN_ID) {
                return new Result(i + 1);
            }
            try {
                c.memory().write64(entry + 8, VmxCpuAccess.rdmsrChecked(c, index));
            } catch (CpuException ex) {
                return new Result(i + 1);
            }
        }
        return Result.OK;
    }
}
