package dev.vmx4j.core.cpu;

/**
 * When an engine may run instructions back to back without {@link Cpu#stepOnce()}'s per-step
 * work: the one "nothing needs the step loop" test, made of fields their setters maintain (the
 * events model's {@code eventCheck}, the listener arrays, the debug-register flags, RFLAGS).
 */
final class RunConditions {

    private RunConditions() {
    }

    /**
     * True if the next steps need none of {@link Cpu#stepOnce}'s work besides fetch, execute and
     * retire while the instructions run touch only registers, flags, memory and RIP: 64-bit
     * mode, the processor active, no event to take or poll for before the events model's next
     * deadline ({@code cycles < eventCheck}: the step loop would not poll), no listeners, TF, RF,
     * breakpoints or alignment checks, and no "VMM bus-lock detection" in VMX non-root operation.
     */
    static boolean quiet(Cpu c) {
        return c.cycles < c.eventCheck && noStepWork(c);
    }

    /**
     * When the translating engine may run a block from RIP: as {@link #quiet}, and also while the
     * only pending events are maskable interrupts with RFLAGS.IF = 0 (a block cannot set IF). In
     * VMX non-root operation too, except while the APIC-access page is virtualized: a block
     * ends early only after an MMIO access, and a virtualized APIC write may make an APIC-write
     * VM exit pending without one (the page run stops on any change of {@code eventCheck}).
     * Everything else a block's instructions do in non-root operation (EPT violations and
     * misconfigurations, PML, #VE, intercepts of the instructions run through {@code Exec}) is a
     * fault-like event the block raises at the same instruction the interpreter would.
     */
    static boolean quietForBlock(Cpu c) {
        // cycles >= eventCheck: an event is pending, blocking by STI/MOV SS is in effect, the
        // processor is not active, or a timer is due (the VMX-preemption timer included)
        return (c.cycles < c.eventCheck || c.pending.onlyMaskedInterruptsPending()) && noStepWork(c)
                && !(c.vmx.nonRoot && c.mmu.virtualizesApicAccesses());
    }

    private static boolean noStepWork(Cpu c) {
        // "VMM bus-lock detection" (VMX non-root operation): every instruction goes through
        // Cpu.stepOnce, where BusLockDetection looks at it.
        return c.mode64 && c.activity == ActivityState.ACTIVE && c.insnHook == null && c.memListeners == null
                && !c.vmx.busLockDetection
                && !c.codeBreakpoints && !c.slowDataChecks && (c.rflagsRest & (Cpu.RF_TF | Cpu.RF_RF)) == 0;
    }
}
