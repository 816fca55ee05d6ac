package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;

/**
 * RDTSC, RDTSCP and RDPID: the feature and CR4.TSD checks, then in VMX non-root operation "enable
 * RDTSCP", "RDTSC exiting" and TSC offsetting and scaling (SDM "Changes to Instruction Behavior in
 * VMX Non-Root Operation").
 */
final class TimeStampOps {

    private static final int RAX = 0;
    private static final int RCX = 1;
    private static final int RDX = 2;

    private TimeStampOps() {
    }

    /** RDTSC and RDTSCP. */
    static void rdtsc(Cpu c, DecodedInstruction d) {
        boolean withAux = d.mnemonic == Mnemonic.RDTSCP;
        // SDM "RDTSCP": #UD without CPUID.80000001H:EDX.RDTSCP; in VMX non-root operation also
        // with "enable RDTSCP" = 0 (the #UD has priority over the CR4.TSD #GP and the exit).
        if (withAux && (!c.features.rdtscp || c.vmx.nonRoot && !c.vmx.rdtscpEnabled())) {
            throw CpuException.ud();
        }
        // SDM "RDTSC": #GP(0) if CR4.TSD = 1 and CPL > 0.
        if ((c.cr4 & 4) != 0 && c.cpl > 0) {
            throw CpuException.gp(0);
        }
        // In VMX non-root operation: RDTSC exiting, else TSC offsetting and scaling.
        long t = c.vmx.nonRoot ? c.vmx.rdtsc(d, c.tsc()) : c.tsc();
        c.gpr[RAX] = t & 0xFFFFFFFFL;
        c.gpr[RDX] = t >>> 32;
        if (withAux) {
            c.gpr[RCX] = c.msrs.get(Msrs.IA32_TSC_AUX) & 0xFFFFFFFFL;
        }
    }

    /**
     * SDM "RDPID": #UD without CPUID.(EAX=07H,ECX=0):ECX.RDPID; in VMX non-root operation "If the
     * 'enable RDTSCP' VM-execution control is 0, RDPID causes an invalid-opcode exception".
     */
    static void rdpid(Cpu c, DecodedInstruction d) {
        if (!c.features.rdpid || c.vmx.nonRoot && !c.vmx.rdtscpEnabled()) {
            throw CpuException.ud();
        }
        c.setReg(d.reg[0], c.mode64 ? 8 : 4, c.msrs.get(Msrs.IA32_TSC_AUX));
    }
}
