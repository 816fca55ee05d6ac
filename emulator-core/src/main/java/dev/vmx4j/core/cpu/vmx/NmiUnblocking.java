package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.InterruptionType;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * The "NMI unblocking due to IRET" bit (bit 12) a VM exit records when IRET ended NMI blocking
 * (or virtual-NMI blocking) and then faulted or caused the exit: in the VM-exit
 * interruption-information field of exits due to exceptions, and in the exit qualification of
 * EPT violations and page-modification log-full events. The VMM uses it to set blocking by NMI
 * again before it re-enters the guest to re-execute the IRET (the core already cleared the
 * blocking when IRET began: {@code PendingEvents.iret}).
 */
final class NmiUnblocking {

    static final int BIT = 1 << 12;

    private static final int VECTOR_DB = 1;
    private static final int VECTOR_DF = 8;

    private NmiUnblocking() {
    }

    /** Bit 12 for the exit qualification of an exit with basic reason {@code reason}, or 0. */
    static long qualificationBit(Vmx vmx, Cpu c, int reason) {
        // SDM "Exit Qualification for EPT Violations" and "Page-Modification Logging" (the
        // log-full event): bit 12 as for an exception, when the access was part of IRET.
        if (reason != ExitReason.EPT_VIOLATION.number() && reason != ExitReason.PAGE_MODIFICATION_LOG_FULL.number()) {
            return 0;
        }
        return defined(vmx, c) ? BIT : 0;
    }

    /**
     * Bit 12 for the exit qualification a virtualization exception saves in the #VE information
     * area, asked while the faulting instruction still runs. SDM "Virtualization-Exception
     * Information": offset 8 holds the exit qualification a VM exit for the EPT violation would
     * have saved, so bit 12 follows the same rule (undefined, 0 here, under "NMI exiting" without
     * "virtual NMIs"; #VE is never raised during event delivery).
     */
    static long virtualizationExceptionBit(Vmx vmx, Cpu c) {
        if (vmx.nmiExiting && !vmx.virtualNmis) {
            return 0;
        }
        return c.pendingEvents().nmiUnblockedByIretInProgress() ? BIT : 0;
    }

    /** Bit 12 for the VM-exit interruption information {@code info} (0 when not valid), or 0. */
    static int interruptionInfoBit(Vmx vmx, Cpu c, int info) {
        if (info >= 0) {
            return 0;
        }
        int vector = info & 0xFF;
        int type = info >>> 8 & 7;
        // SDM "Information for VM Exits Due to Vectored Events": only a fault on IRET; not a
        // debug exception (a code breakpoint comes before IRET runs, a data breakpoint is a trap
        // after it), not an NMI. MANUAL: bit 12 is undefined for a double fault; vmx4j writes 0.
        if (type != InterruptionType.HARDWARE_EXCEPTION || vector == VECTOR_DB || vector == VECTOR_DF) {
            return 0;
        }
        return defined(vmx, c) ? BIT : 0;
    }

    /**
     * SDM "Information for VM Exits Due to Vectored Events": the bit is set when the exit is
     * caused by the IRET in progress and IRET ended NMI blocking ("virtual NMIs" = 0) or
     * virtual-NMI blocking ("virtual NMIs" = 1) that was in effect before it. MANUAL: where the
     * SDM leaves bit 12 undefined ("NMI exiting" = 1 with "virtual NMIs" = 0; an exit that sets
     * the valid bit of the IDT-vectoring information) vmx4j writes 0.
     */
    private static boolean defined(Vmx vmx, Cpu c) {
        if (vmx.nmiExiting && !vmx.virtualNmis) {
            return false;
        }
        if (c.delivering().valid) {
            return false;
        }
        return c.pendingEvents().nmiUnblockedByCurrentIret();
    }
}
