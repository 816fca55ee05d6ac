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
     * mode, the processor active, no event to take now, no listeners, TF, RF, breakpoints or
     * alignment checks, no interrupt shadow.
     */
    static boolean quiet(Cpu c) {
        // cycles >= eventCheck: an event is pending, blocking by STI/MOV SS is in effect, the
        // processor is not active, or a timer is due; instructions may still run while the only
        // pending events are maskable interrupts with RFLAGS.IF = 0 (they do not set IF).
        return c.mode64 && c.activity == ActivityState.ACTIVE
                && (c.cycles < c.eventCheck || c.pending.onlyMaskedInterruptsPending())
                && c.insnHook == null && c.memListeners == null && !c.codeBreakpoints && !c.slowDataChecks
                && (c.rflagsRest & (Cpu.RF_TF | Cpu.RF_RF)) == 0;
    }

    /** {@link #quiet} outside VMX non-root operation: when the translating engine may run a block from RIP. */
    static boolean quietForBlock(Cpu c) {
        return quiet(c) && !c.vmx.nonRoot;
    }
}
