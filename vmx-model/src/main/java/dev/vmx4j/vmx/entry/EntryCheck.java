package dev.vmx4j.vmx.entry;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.List;

/**
 * One VM-entry check: a stable id (the enum constant's name), the SDM section title it is in, a
 * one-line paraphrase of its bullet, every VMCS field it may consult (conditions included) and
 * its outcome class. One enum per SDM subsection, constants in SDM order;
 * {@link EntryChecks#all()} lists them in hardware order.
 */
public sealed interface EntryCheck permits BasicCheck, ExecutionControlCheck, ExitControlCheck,
        EntryControlCheck, HostRegisterCheck, HostSegmentCheck, AddressSpaceSizeCheck, GuestRegisterCheck,
        GuestSegmentCheck, GuestDescriptorTableCheck, GuestRipRflagsCheck, GuestNonRegisterCheck,
        GuestPdpteCheck, MsrLoadCheck {

    /** The stable id. */
    String name();

    /** The title of the SDM section the bullet is in. */
    String sdmSection();

    /** The rule, paraphrased in one line. */
    String rule();

    /**
     * Every VMCS field the check may read, including those of its conditions: with one of them
     * absent from a {@link VmcsReader}, the check cannot be decided.
     */
    List<VmcsField> fields();

    /** What VM entry does when the check fails. */
    EntryOutcome outcome();

    /** True if the check reads memory (the virtual-APIC page, the PDPT, the VMCS link, the MSR-load list). */
    boolean readsMemory();
}
