package dev.vmx4j.core.vmx;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.cpu.vmx.HostApi;
import dev.vmx4j.vmx.vmcs.VmcsField;

/**
 * Java code as the CPL 0 host of a machine's processor: each method executes the VMX
 * instruction of its name, running the same code the instruction runs (every check of its SDM
 * page, in order, against the processor's current state: CR4.VMXE, CPL, IA32_FEATURE_CONTROL,
 * the VMXON and VMCS regions in guest memory...), with the operand it would read from memory or
 * a register given as an argument. RFLAGS and the VM-instruction error field change as the
 * instruction changes them. An exception the instruction would raise is reported in the
 * outcome, not delivered.
 *
 * <pre>{@code
 * VmxHost vmx = machine.vmx();
 * vmx.vmxon(0x200000);                     // VMXON region with the revision identifier
 * vmx.vmclear(0x201000);
 * vmx.vmptrld(0x201000);
 * vmx.vmwrite(VmcsField.GUEST_RIP, 0x100000);
 * ...
 * VmxOutcome o = vmx.vmlaunch();           // runs the guest until its first VM exit
 * o.exit().reason();                       // e.g. ExitReason.CPUID
 * }</pre>
 *
 * <p>{@link #vmlaunch()} and {@link #vmresume()} run the guest with {@link #guestLimits()}
 * (default: 100 million steps) plus "stop at the next VM exit".
 */
public final class VmxHost {

    private final Machine machine;
    private final HostApi api;
    private RunLimits guestLimits = RunLimits.unlimited().maxInstructions(100_000_000L);

    public VmxHost(Machine machine, HostApi api) {
        this.machine = machine;
        this.api = api;
    }

    /** VMXON with the VMXON pointer {@code vmxonRegion} (a physical address). */
    public VmxOutcome vmxon(long vmxonRegion) {
        return simple(HostApi.VMXON, vmxonRegion, 0);
    }

    public VmxOutcome vmxoff() {
        return simple(HostApi.VMXOFF, 0, 0);
    }

    public VmxOutcome vmclear(long vmcs) {
        return simple(HostApi.VMCLEAR, vmcs, 0);
    }

    public VmxOutcome vmptrld(long vmcs) {
        return simple(HostApi.VMPTRLD, vmcs, 0);
    }

    /** VMPTRST: the current-VMCS pointer is the outcome's {@link VmxOutcome#value()}. */
    public VmxOutcome vmptrst() {
        return simple(HostApi.VMPTRST, 0, 0);
    }

    /** VMREAD of {@code field} (the full encoding): the value is the outcome's {@link VmxOutcome#value()}. */
    public VmxOutcome vmread(VmcsField field) {
        return vmread(field.encoding());
    }

    /** VMREAD with a raw encoding (bits 63:32 of a 64-bit operand included), e.g. a "high" access. */
    public VmxOutcome vmread(long encoding) {
        return simple(HostApi.VMREAD, encoding, 0);
    }

    public VmxOutcome vmwrite(VmcsField field, long value) {
        return vmwrite(field.encoding(), value);
    }

    public VmxOutcome vmwrite(long encoding, long value) {
        return simple(HostApi.VMWRITE, encoding, value);
    }

    /** INVEPT of {@code type} (1 single-context, 2 all-context) with descriptor EPTP {@code eptp}. */
    public VmxOutcome invept(long type, long eptp) {
        return simple(HostApi.INVEPT, type, eptp);
    }

    /**
     * INVVPID of {@code type} (0 individual-address, 1 single-context, 2 all-context, 3
     * single-context retaining globals) with descriptor bits 63:0 {@code vpidField} (the VPID in
     * bits 15:0) and the linear address {@code linear}.
     */
    public VmxOutcome invvpid(long type, long vpidField, long linear) {
        api.invvpid(type, vpidField, linear);
        return new VmxOutcome(api.result(), api.value(), api.faultVector(), null, null);
    }

    /** VMLAUNCH, then the guest runs until its first VM exit (the outcome's {@link VmxOutcome#exit()}). */
    public VmxOutcome vmlaunch() {
        return enter(HostApi.VMLAUNCH);
    }

    public VmxOutcome vmresume() {
        return enter(HostApi.VMRESUME);
    }

    /**
     * The named VM-entry check the last failed VM entry broke (VMfailValid 7/8 or exit 33/34),
     * with its field, value and offending bits; null if the last entry passed its checks.
     */
    public dev.vmx4j.vmx.entry.EntryDiagnostic lastEntryFailure() {
        return api.lastEntryFailure();
    }

    /** The limits of the guest runs of {@link #vmlaunch()}/{@link #vmresume()}. */
    public RunLimits guestLimits() {
        return guestLimits;
    }

    public void setGuestLimits(RunLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        this.guestLimits = limits;
    }

    private VmxOutcome simple(int op, long a, long b) {
        api.call(op, a, b);
        return new VmxOutcome(api.result(), api.value(), api.faultVector(), null, null);
    }

    private VmxOutcome enter(int op) {
        long exits = api.call(op, 0, 0);
        if (exits != 0) {
            return new VmxOutcome(null, 0, -1, api.lastExit(), null);
        }
        if (!api.nonRoot()) {
            return new VmxOutcome(api.result(), 0, api.faultVector(), null, null);
        }
        long before = api.exitCount();
        RunResult r = machine.run(guestLimits.stopAtVmExit());
        if (api.exitCount() != before) {
            return new VmxOutcome(null, 0, -1, api.lastExit(), r.reason() == StopReason.VM_EXIT ? null : r.reason());
        }
        return new VmxOutcome(null, 0, -1, null, r.reason());
    }
}
