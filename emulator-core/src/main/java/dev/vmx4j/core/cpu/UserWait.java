package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;

/**
 * The WAITPKG instructions (SDM "UMONITOR—User Level Set Up Monitor Address", "UMWAIT—User Level
 * Monitor Wait", "TPAUSE—Timed PAUSE") and IA32_UMWAIT_CONTROL (E1H). A wait is deterministic:
 * the instruction completes at once and the cycle counter (the TSC, docs/CYCLE-MODEL.md) moves
 * to the moment it wakes: the TSC deadline in EDX:EAX, the operating-system limit of
 * IA32_UMWAIT_CONTROL[31:2], or the next event deadline (a timer of the interrupt controller,
 * the VMX-preemption timer), whichever comes first; the events are then taken at the
 * instruction boundary after it.
 */
final class UserWait {

    static final int IA32_UMWAIT_CONTROL = 0xE1;

    /**
     * MANUAL: the SDM lets a wait end "for implementation-specific reasons"; vmx4j ends one after
     * at most 2^32 TSC ticks (so that a deadline of all ones with no limit and no timer cannot
     * run the cycle counter out).
     */
    static final long LONGEST_WAIT = 1L << 32;

    private static final long CR4_TSD = 1L << 2;

    private UserWait() {
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        // SDM "UMONITOR"/"UMWAIT"/"TPAUSE": #UD if CPUID.7.0:ECX.WAITPKG[bit 5] = 0 (LOCK: the decoder).
        if (!c.features.waitpkg) {
            throw CpuException.ud();
        }
        // SDM "Changes to Instruction Behavior in VMX Non-Root Operation": with "enable user wait
        // and pause" = 0, UMONITOR, UMWAIT and TPAUSE cause #UD.
        if (c.vmx.nonRoot && !c.vmx.userWaitEnabled()) {
            throw CpuException.ud();
        }
        if (d.mnemonic == Mnemonic.UMONITOR) {
            umonitor(c, d);
            return;
        }
        // SDM "UMWAIT"/"TPAUSE": #GP(0) if CR4.TSD = 1 and CPL > 0 (a privilege-level fault: it
        // comes before the VM exit, SDM "Relative Priority of Faults and VM Exits").
        if ((c.cr4 & CR4_TSD) != 0 && c.cpl > 0) {
            throw CpuException.gp(0);
        }
        if (c.vmx.nonRoot) {
            // SDM "Instructions That Cause VM Exits Conditionally": UMWAIT and TPAUSE exit if
            // "RDTSC exiting" and "enable user wait and pause" are both 1.
            c.vmx.userWait(d);
        }
        int control = (int) c.reg(d.reg[0], 4);
        // SDM "UMWAIT": "Bits other than bit 0 are reserved and will result in #GP if nonzero."
        if ((control & ~1) != 0) {
            throw CpuException.gp(0);
        }
        boolean armed = c.vmx.monitorArmed;
        if (d.mnemonic == Mnemonic.UMWAIT) {
            // SDM "UMWAIT": it waits "if the monitoring hardware did not trigger beforehand"; the
            // monitor is disarmed when the wait ends. MANUAL: without an armed monitor (no
            // UMONITOR since the last wait) UMWAIT returns at once with CF = 0.
            c.vmx.monitorArmed = false;
        }
        boolean osLimitExpired = (d.mnemonic == Mnemonic.TPAUSE || armed) && sleep(c);
        // SDM "UMWAIT"/"TPAUSE" Flags Affected: CF as above; OF, ZF, SF, AF, PF are cleared.
        c.flags.set(osLimitExpired ? Cpu.RF_CF : 0);
    }

    /**
     * SDM "UMONITOR": arms the address-monitoring hardware at the linear address in the source
     * register (an effective address of the address size, DS unless overridden). MONITOR and
     * UMONITOR share the hardware ({@code Vmx.monitorArmed}). DEVIATION: a store to the range does
     * not trigger it (no processor writes while this one waits, docs/CPU.md).
     */
    private static void umonitor(Cpu c, DecodedInstruction d) {
        long ea = c.reg(d.reg[0], d.addressSize);
        c.linear(d.memSegment, ea, 1, false);
        c.vmx.monitorArmed = true;
    }

    /**
     * Waits; returns true if the operating-system time limit ended the wait (CF = 1). SDM
     * "Changes to Instruction Behavior in VMX Non-Root Operation" (UMWAIT, TPAUSE): the delay is
     * the deadline minus the TSC the guest's RDTSC would return (offsetting, scaling), limited by
     * IA32_UMWAIT_CONTROL; the processor's own wait is that delay divided by the scaling.
     */
    private static boolean sleep(Cpu c) {
        long deadline = (c.gpr[2] << 32) | (c.gpr[0] & 0xFFFFFFFFL);
        long now = c.vmx.nonRoot ? c.vmx.guestTsc(c.tsc()) : c.tsc();
        if (Long.compareUnsigned(deadline, now) <= 0) {
            return false;
        }
        long delay = deadline - now;
        long limit = c.msrs.get(IA32_UMWAIT_CONTROL) & 0xFFFFFFFCL;
        boolean byLimit = limit != 0 && Long.compareUnsigned(limit, delay) < 0;
        if (byLimit) {
            delay = limit;
        }
        if (Long.compareUnsigned(delay, LONGEST_WAIT) > 0) {
            delay = LONGEST_WAIT;
            byLimit = false;
        }
        long cycles = Math.min(c.vmx.nonRoot ? c.vmx.hostTicks(delay) : delay, LONGEST_WAIT);
        // SDM "UMWAIT"/"TPAUSE": an NMI, an external interrupt (even with RFLAGS.IF = 0) and the
        // VMX-preemption timer end the wait; MANUAL: so does any other event already pending.
        long wake = c.pending.wakeFromWait(c.cycles + cycles);
        if (wake < c.cycles + cycles) {
            byLimit = false;
        }
        if (wake > c.cycles) {
            c.cycles = wake;
        }
        return byLimit;
    }
}
