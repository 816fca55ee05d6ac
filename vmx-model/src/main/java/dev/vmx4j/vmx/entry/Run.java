package dev.vmx4j.vmx.entry;

import static dev.vmx4j.vmx.vmcs.VmcsField.GUEST_RFLAGS;
import static dev.vmx4j.vmx.vmcs.VmcsField.PIN_BASED_VM_EXECUTION_CONTROLS;
import static dev.vmx4j.vmx.vmcs.VmcsField.PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
import static dev.vmx4j.vmx.vmcs.VmcsField.PRIMARY_VM_EXIT_CONTROLS;
import static dev.vmx4j.vmx.vmcs.VmcsField.SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
import static dev.vmx4j.vmx.vmcs.VmcsField.TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS;
import static dev.vmx4j.vmx.vmcs.VmcsField.VM_ENTRY_CONTROLS;

import dev.vmx4j.mmu.PhysicalMemory;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the checks: the inputs, the small derived predicates every group uses, and the
 * sink each check reports to ({@code if (broken && r.fail(...)) return true;}: true means stop).
 */
final class Run {

    // PERF: VmcsField.values() clones its array on every call.
    private static final VmcsField[] FIELDS = VmcsField.values();

    final VmcsReader v;
    final EntryContext ctx;
    final Caps caps;
    private final boolean all;
    /** Absent fields by dense id; null when the reader knows every field. */
    private final boolean[] missing;
    final List<EntryDiagnostic> failures = new ArrayList<>(2);
    final List<Undecided> undecided = new ArrayList<>(0);

    Run(VmcsReader v, EntryContext ctx, Caps caps, boolean all) {
        this.v = v;
        this.ctx = ctx;
        this.caps = caps;
        boolean[] m = null;
        for (VmcsField f : FIELDS) {
            if (!v.isPresent(f)) {
                if (m == null) {
                    m = new boolean[VmcsField.count()];
                }
                m[f.denseId()] = true;
            }
        }
        this.missing = m;
        // A partial VMCS is checked in full: a failure of an undecided check must not hide later ones.
        this.all = all || m != null;
    }

    boolean partial() {
        return missing != null;
    }

    long r(VmcsField f) {
        return v.read(f);
    }

    // ---- derived values, read through the reader each time (cheap; keeps checks one-liners)

    long pin() {
        return r(PIN_BASED_VM_EXECUTION_CONTROLS);
    }

    long primary() {
        return r(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS);
    }

    /** The secondary controls as VM entry sees them: 0 unless "activate secondary controls". */
    long secondary() {
        return (primary() >>> 31 & 1) != 0 ? r(SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS) : 0;
    }

    /** The tertiary controls as VM entry sees them: 0 unless "activate tertiary controls". */
    long tertiary() {
        return (primary() >>> 17 & 1) != 0 ? r(TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS) : 0;
    }

    long exitControls() {
        return r(PRIMARY_VM_EXIT_CONTROLS);
    }

    long entryControls() {
        return r(VM_ENTRY_CONTROLS);
    }

    boolean unrestrictedGuest() {
        return (secondary() >>> 7 & 1) != 0;
    }

    boolean ia32eGuest() {
        return (entryControls() >>> 9 & 1) != 0;
    }

    boolean hostAddressSpaceSize() {
        return (exitControls() >>> 9 & 1) != 0;
    }

    boolean v86() {
        return (r(GUEST_RFLAGS) >>> 17 & 1) != 0;
    }

    boolean beyondWidth(long address) {
        return (address >>> caps.maxPhys) != 0;
    }

    long bitsBeyondWidth(long address) {
        return address & -(1L << caps.maxPhys);
    }

    // MANUAL: bases, MSRs and FRED stacks are canonical relative to the processor's linear-address
    // width (57 with CPUID LA57, else 48); guest RIP and SSP relative to the guest's CR4.LA57.
    boolean canonical(long address) {
        return canonical(address, caps.linearWidth);
    }

    static boolean canonical(long address, int width) {
        int shift = 64 - width;
        return (address << shift >> shift) == address;
    }

    static long nonCanonicalBits(long address, int width) {
        return address ^ (address << (64 - width) >> (64 - width));
    }

    /** Memory for {@code check}, or null after recording the check as undecided. */
    PhysicalMemory memory(EntryCheck check) {
        PhysicalMemory m = ctx.memory;
        if (m == null) {
            undecided.add(new Undecided(check, null));
        }
        return m;
    }

    // ---- the sink

    boolean fail(EntryCheck check, VmcsField field, long value, long bits) {
        return report(new EntryDiagnostic(check, field, value, bits, false, 0, 0, 0));
    }

    boolean failControls(EntryCheck check, VmcsField field, long value, long bits, long allowed0, long allowed1) {
        return report(new EntryDiagnostic(check, field, value, bits, true, allowed0, allowed1, 0));
    }

    boolean failMsrEntry(EntryCheck check, int entryNumber, long value, long bits) {
        return report(new EntryDiagnostic(check, null, value, bits, false, 0, 0, entryNumber));
    }

    private boolean report(EntryDiagnostic d) {
        if (missing != null && missingField(d.check()) != null) {
            return false; // undecided: listed by undecidedChecks()
        }
        failures.add(d);
        return !all;
    }

    VmcsField missingField(EntryCheck check) {
        if (missing == null) {
            return null;
        }
        List<VmcsField> fields = check.fields();
        for (int i = 0; i < fields.size(); i++) {
            if (missing[fields.get(i).denseId()]) {
                return fields.get(i);
            }
        }
        return null;
    }

    /** Adds every check that may consult an absent field to {@link #undecided}. */
    void addUndecidedChecks() {
        if (missing == null) {
            return;
        }
        for (EntryCheck c : EntryChecks.all()) {
            VmcsField f = missingField(c);
            if (f != null) {
                undecided.add(new Undecided(c, f));
            }
        }
    }
}
