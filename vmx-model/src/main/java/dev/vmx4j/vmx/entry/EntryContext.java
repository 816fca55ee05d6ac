package dev.vmx4j.vmx.entry;

import dev.vmx4j.mmu.PhysicalMemory;

/**
 * The little processor state the VM-entry checks need besides the VMCS: which instruction
 * enters, the launch state of the current VMCS, blocking by MOV SS, whether the processor is in
 * IA-32e mode, x2APIC mode or SMM, the current-VMCS and VMXON pointers, physical memory (for the
 * virtual-APIC page, the PDPT, the VMCS link pointer and the MSR-load list) and the WRMSR rule
 * for MSR-load entries. Immutable; build one with {@link #builder()}.
 *
 * <p>What is not known stays unknown: without a launch state the launch-state checks are not
 * run, without a current-VMCS (VMXON) pointer the link-pointer comparison is not run, and without memory
 * every check that would read memory is reported undecided.
 */
public final class EntryContext {

    /** The VM-entry instruction. */
    public enum Instruction { VMLAUNCH, VMRESUME }

    /** The launch state of the current VMCS (SDM "VMCS Status"). */
    public enum LaunchState { CLEAR, LAUNCHED, UNKNOWN }

    /** Whether WRMSR at CPL 0 would raise #GP for an MSR-load entry (the emulator's MSR rules). */
    @FunctionalInterface
    public interface MsrWriteRule {
        boolean wouldFault(int msr, long value);
    }

    // PERF: a class, not a lambda: a lambda's first use spins method handles and a class, which
    // for the first VM entry is inside the run (docs/PERFORMANCE.md, "Session 6: one-time costs
    // in the run").
    private static final MsrWriteRule NO_FAULTS = new NoFaults();

    /** The default rule: no MSR-load entry faults on the MSR's value. */
    private static final class NoFaults implements MsrWriteRule {
        @Override
        public boolean wouldFault(int msr, long value) {
            return false;
        }
    }

    final Instruction instruction;
    final LaunchState launchState;
    final boolean eventsBlockedByMovSs;
    final boolean ia32eMode;
    final boolean x2apicMode;
    final boolean inSmm;
    final long currentVmcsPointer;
    final long vmxonPointer;
    final PhysicalMemory memory;
    final MsrWriteRule msrWriteRule;

    private EntryContext(Builder b) {
        instruction = b.instruction;
        launchState = b.launchState;
        eventsBlockedByMovSs = b.eventsBlockedByMovSs;
        ia32eMode = b.ia32eMode;
        x2apicMode = b.x2apicMode;
        inSmm = b.inSmm;
        currentVmcsPointer = b.currentVmcsPointer;
        vmxonPointer = b.vmxonPointer;
        memory = b.memory;
        msrWriteRule = b.msrWriteRule;
    }

    /**
     * VMLAUNCH, launch state unknown, no MOV-SS blocking, IA-32e mode (IA32_EFER.LMA = 1), not
     * in x2APIC mode, not in SMM, current-VMCS and VMXON pointers unknown, no memory, no WRMSR faults.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Instruction instruction() {
        return instruction;
    }

    public LaunchState launchState() {
        return launchState;
    }

    public boolean eventsBlockedByMovSs() {
        return eventsBlockedByMovSs;
    }

    public boolean ia32eMode() {
        return ia32eMode;
    }

    public boolean x2apicMode() {
        return x2apicMode;
    }

    public boolean inSmm() {
        return inSmm;
    }

    /** The current-VMCS pointer, -1 if unknown. */
    public long currentVmcsPointer() {
        return currentVmcsPointer;
    }

    /** The VMXON pointer, -1 if unknown. */
    public long vmxonPointer() {
        return vmxonPointer;
    }

    /** Physical memory, null if not available. */
    public PhysicalMemory memory() {
        return memory;
    }

    /** A builder starting from this context's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.instruction = instruction;
        b.launchState = launchState;
        b.eventsBlockedByMovSs = eventsBlockedByMovSs;
        b.ia32eMode = ia32eMode;
        b.x2apicMode = x2apicMode;
        b.inSmm = inSmm;
        b.currentVmcsPointer = currentVmcsPointer;
        b.vmxonPointer = vmxonPointer;
        b.memory = memory;
        b.msrWriteRule = msrWriteRule;
        return b;
    }

    /** Builds an {@link EntryContext}. */
    public static final class Builder {
        private Instruction instruction = Instruction.VMLAUNCH;
        private LaunchState launchState = LaunchState.UNKNOWN;
        private boolean eventsBlockedByMovSs;
        private boolean ia32eMode = true;
        private boolean x2apicMode;
        private boolean inSmm;
        private long currentVmcsPointer = -1;
        private long vmxonPointer = -1;
        private PhysicalMemory memory;
        private MsrWriteRule msrWriteRule = NO_FAULTS;

        private Builder() {
        }

        public Builder instruction(Instruction instruction) {
            if (instruction == null) {
                throw new IllegalArgumentException("instruction must be VMLAUNCH or VMRESUME, was null");
            }
            this.instruction = instruction;
            return this;
        }

        public Builder launchState(LaunchState launchState) {
            if (launchState == null) {
                throw new IllegalArgumentException("launchState must be CLEAR, LAUNCHED or UNKNOWN, was null");
            }
            this.launchState = launchState;
            return this;
        }

        public Builder eventsBlockedByMovSs(boolean blocked) {
            this.eventsBlockedByMovSs = blocked;
            return this;
        }

        /** IA32_EFER.LMA of the processor executing VMLAUNCH/VMRESUME. */
        public Builder ia32eMode(boolean lma) {
            this.ia32eMode = lma;
            return this;
        }

        /** IA32_APIC_BASE[11:10] = 11b: the local APIC is in x2APIC mode. */
        public Builder x2apicMode(boolean x2apic) {
            this.x2apicMode = x2apic;
            return this;
        }

        public Builder inSmm(boolean smm) {
            this.inSmm = smm;
            return this;
        }

        /** The current-VMCS pointer (a physical address), -1 if unknown. */
        public Builder currentVmcsPointer(long pointer) {
            this.currentVmcsPointer = pointer;
            return this;
        }

        /** The VMXON pointer (a physical address), -1 if unknown. */
        public Builder vmxonPointer(long pointer) {
            this.vmxonPointer = pointer;
            return this;
        }

        /** Physical memory, or null when not available (memory checks become undecided). */
        public Builder memory(PhysicalMemory memory) {
            this.memory = memory;
            return this;
        }

        public Builder msrWriteRule(MsrWriteRule rule) {
            if (rule == null) {
                throw new IllegalArgumentException("msrWriteRule must not be null");
            }
            this.msrWriteRule = rule;
            return this;
        }

        public EntryContext build() {
            return new EntryContext(this);
        }
    }
}
