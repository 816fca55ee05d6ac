package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.vmx.entry.EntryCheckReport;
import dev.vmx4j.vmx.entry.EntryChecker;
import dev.vmx4j.vmx.entry.EntryContext;
import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.entry.EntryOutcome;
import dev.vmx4j.vmx.insn.VmInstructionError;
import dev.vmx4j.vmx.insn.VmFailValid;
import dev.vmx4j.vmx.insn.VmxResult;

/**
 * Where VM entry runs the named checks of vmx-model's {@code dev.vmx4j.vmx.entry} (SDM "Checks
 * on VMX Controls and Host-State Area", "Checks on Guest State Area", "Loading MSRs") on the
 * current VMCS, and turns the first failure into the architectural outcome: VMfailValid(7) or
 * (8), a VM-entry failure with exit reason 33 and its qualification, or (after guest state is
 * loaded) exit reason 34 with the failing MSR-load entry's number. The diagnostic of the last
 * failed entry is kept for the host API and the tools.
 */
final class EntryChecks {

    /** The outcome: a VMfail, or an entry-failure exit reason (0 if none) with its qualification. */
    static final class Outcome {
        static final Outcome PASS = new Outcome(null, 0, 0);
        final VmxResult vmFail;
        final int exitReason;
        final long exitQualification;

        Outcome(VmxResult vmFail, int exitReason, long exitQualification) {
            this.vmFail = vmFail;
            this.exitReason = exitReason;
            this.exitQualification = exitQualification;
        }
    }

    private final EntryChecker checker;
    /** The diagnostic of the last VM entry that failed a check, or null. */
    EntryDiagnostic lastFailure;

    // PERF: the checks are a pure function of the VMCS's field values, the entry context and the
    // memory they read (the MSR-load list, PDPTEs, the VMCS link pointer's region, the
    // virtual-APIC page). The inputs of the last run that passed without reading memory are
    // kept (the field values as the VMCS store's snapshot, which counts the fields differing
    // from it as they are written); an entry with exactly the same inputs passes again without
    // running the checks (a hypervisor that resumes a guest at the instruction after the same
    // exit, as the VM exit/entry benchmark does). Any difference in any field or in the context
    // runs them all.
    private dev.vmx4j.vmx.vmcs.VmcsStore passedStore;
    private boolean passedValid;
    private boolean passedLaunch;
    private boolean passedLaunched;
    private boolean passedMovSs;
    private boolean passedIa32e;
    private boolean passedX2apic;
    private final ReadTracker tracker = new ReadTracker();
    private final FieldReader fields = new FieldReader();

    EntryChecks(Cpu c) {
        this.checker = EntryChecker.forProfile(c.profile());
    }

    Outcome run(Vmx vmx, Cpu c, Vmcs v, boolean launch) {
        boolean launched = v.launched();
        boolean movSs = vmx.blockedByMovSs();
        boolean ia32e = (c.efer & Cpu.EFER_LMA) != 0;
        boolean x2apic = VmxCpuAccess.x2apicMode(c);
        if (passedValid && passedLaunch == launch && passedLaunched == launched && passedMovSs == movSs
                && passedIa32e == ia32e && passedX2apic == x2apic
                // the same store is the same Vmcs, so the same current-VMCS pointer
                && passedStore == v.store && v.store.equalsSnapshot()) {
            lastFailure = null;
            return Outcome.PASS;
        }
        passedValid = false;
        tracker.memory = c.memory();
        tracker.read = false;
        EntryContext ctx = EntryContext.builder()
                .instruction(launch ? EntryContext.Instruction.VMLAUNCH : EntryContext.Instruction.VMRESUME)
                .launchState(launched ? EntryContext.LaunchState.LAUNCHED : EntryContext.LaunchState.CLEAR)
                .eventsBlockedByMovSs(movSs)
                .ia32eMode(ia32e)
                .x2apicMode(x2apic)
                .inSmm(false)
                .currentVmcsPointer(v.address)
                .memory(tracker)
                .build();
        EntryCheckReport report;
        try {
            fields.vmcs = v;
            report = checker.firstFailure(fields, ctx);
        } finally {
            // no reference to guest memory or the VMCS stays here between entries
            tracker.memory = null;
            fields.vmcs = null;
        }
        if (report.passed()) {
            lastFailure = null;
            if (!tracker.read) {
                v.store.takeSnapshot();
                passedStore = v.store;
                passedLaunch = launch;
                passedLaunched = launched;
                passedMovSs = movSs;
                passedIa32e = ia32e;
                passedX2apic = x2apic;
                passedValid = true;
            }
            return Outcome.PASS;
        }
        EntryDiagnostic d = report.failures().get(0);
        lastFailure = d;
        EntryOutcome o = d.outcome();
        if (o.isVmFail()) {
            return new Outcome(VmFailValid.of(VmInstructionError.byNumber(o.vmInstructionError())), 0, 0);
        }
        return new Outcome(null, o.exitReason(), d.exitQualification());
    }

    /**
     * The current VMCS's fields as the checks read them. PERF: one reused object instead of a
     * method reference ({@code v::get}): a method reference is spun into a class through method
     * handles when it is first met, which for the first VM entry is inside the run.
     */
    private static final class FieldReader implements dev.vmx4j.vmx.entry.VmcsReader {
        Vmcs vmcs;

        @Override
        public long read(dev.vmx4j.vmx.vmcs.VmcsField field) {
            return vmcs.get(field);
        }
    }

    /**
     * The memory the checks see: guest memory, noting whether they read any of it (a run that
     * read memory is not remembered: the memory may change without a VMWRITE). The checks
     * never write memory.
     */
    private static final class ReadTracker implements dev.vmx4j.mmu.PhysicalMemory {
        dev.vmx4j.mmu.PhysicalMemory memory;
        boolean read;

        @Override
        public int read8(long address) {
            read = true;
            return memory.read8(address);
        }

        @Override
        public int read16(long address) {
            read = true;
            return memory.read16(address);
        }

        @Override
        public int read32(long address) {
            read = true;
            return memory.read32(address);
        }

        @Override
        public long read64(long address) {
            read = true;
            return memory.read64(address);
        }

        @Override
        public void read(long address, byte[] dst, int offset, int length) {
            read = true;
            memory.read(address, dst, offset, length);
        }

        @Override
        public void write8(long address, int value) {
            throw new UnsupportedOperationException("the entry checks do not write memory");
        }

        @Override
        public void write16(long address, int value) {
            throw new UnsupportedOperationException("the entry checks do not write memory");
        }

        @Override
        public void write32(long address, int value) {
            throw new UnsupportedOperationException("the entry checks do not write memory");
        }

        @Override
        public void write64(long address, long value) {
            throw new UnsupportedOperationException("the entry checks do not write memory");
        }

        @Override
        public void write(long address, byte[] src, int offset, int length) {
            throw new UnsupportedOperationException("the entry checks do not write memory");
        }
    }
}
