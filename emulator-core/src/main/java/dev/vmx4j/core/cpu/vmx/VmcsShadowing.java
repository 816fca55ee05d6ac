package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.VMCS_LINK_POINTER;
import static dev.vmx4j.vmx.vmcs.VmcsField.VMREAD_BITMAP_ADDRESS;
import static dev.vmx4j.vmx.vmcs.VmcsField.VMWRITE_BITMAP_ADDRESS;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;

/**
 * SDM "VMCS Shadowing": with the "VMCS shadowing" VM-execution control 1, VMREAD and VMWRITE
 * in VMX non-root operation access the shadow VMCS referenced by the VMCS link pointer instead
 * of causing a VM exit, for the fields whose bit in the VMREAD or VMWRITE bitmap is 0. The
 * control, the two bitmap addresses and the link pointer are copied at VM entry
 * ({@link #loadOnEntry}); the guest cannot change them while it runs.
 */
final class VmcsShadowing {

    private final Vmx vmx;
    private final Cpu c;

    /** "VMCS shadowing" in effect for the running guest ("activate secondary controls" = 1 too). */
    boolean enabled;
    long vmreadBitmap;
    long vmwriteBitmap;
    long linkPointer = -1L;
    /** The shadow VMCS, resolved at the first access after VM entry (PERF: no map look-up per VMREAD). */
    private Vmcs resolved;

    VmcsShadowing(Vmx vmx, Cpu c) {
        this.vmx = vmx;
        this.c = c;
    }

    /** Copies the shadowing controls of {@code v}; {@code secondary} is the secondary controls in effect. */
    void loadOnEntry(Vmcs v, int secondary) {
        resolved = null;
        enabled = (secondary & PROC2_VMCS_SHADOWING) != 0;
        if (enabled) {
            vmreadBitmap = v.get(VMREAD_BITMAP_ADDRESS);
            vmwriteBitmap = v.get(VMWRITE_BITMAP_ADDRESS);
            linkPointer = v.get(VMCS_LINK_POINTER);
        }
    }

    /**
     * SDM "VMREAD" / "VMWRITE" (VMX non-root operation): true if the access to field
     * {@code encoding} (the register operand, zero-extended from the operand size) does not
     * cause a VM exit: "VMCS shadowing" is 1, the operand sets no bit in 63:15 and the field's
     * bit (bits 14:0 of the operand as a bit index) in the VMREAD bitmap ({@code write} false)
     * or VMWRITE bitmap is 0.
     */
    boolean serves(long encoding, boolean write) {
        if (!enabled || (encoding >>> 15) != 0) {
            return false;
        }
        int bit = (int) encoding;
        long bitmap = write ? vmwriteBitmap : vmreadBitmap;
        return (c.memory().read8(bitmap + (bit >>> 3)) >>> (bit & 7) & 1) == 0;
    }

    /**
     * The shadow VMCS: the VMCS referenced by the VMCS link pointer, or null when the pointer
     * is FFFFFFFF_FFFFFFFFH ("VMCS link pointer is not valid": VMfailInvalid). VM entry checked
     * any other value (aligned, within the physical-address width, revision identifier, shadow-
     * VMCS indicator 1). MANUAL: a shadow VMCS that is not active is read from its region and
     * becomes active (not current), so VMCLEAR later writes what VMWRITE stored in it back to
     * memory; the SDM allows the processor to cache an active VMCS's data this way.
     */
    Vmcs shadow() {
        if (linkPointer == -1L) {
            return null;
        }
        if (resolved == null) {
            Vmcs v = vmx.active.get(linkPointer);
            if (v == null) {
                v = Vmcs.readFrom(c.memory(), linkPointer);
                vmx.active.put(linkPointer, v);
            }
            resolved = v;
        }
        return resolved;
    }
}
