package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.vmx.controls.PinBasedControl;

/**
 * Posted-interrupt processing (SDM "Posted-Interrupt Processing"): with "process posted
 * interrupts" 1, an external interrupt that arrives in VMX non-root operation with the
 * posted-interrupt notification vector does not cause a VM exit; the processor moves the
 * posted-interrupt requests (PIR) of the 64-byte posted-interrupt descriptor into the VIRR and
 * evaluates pending virtual interrupts.
 *
 * <p>SDM "Posted-Interrupt Descriptor": bits 255:0 PIR, bit 256 outstanding notification (ON);
 * the rest is for software. A notification already pending in the local APIC at VM entry is
 * taken as an external interrupt right after the entry, so it is processed then.
 */
final class PostedInterrupts {

    /** Byte 32, bit 0: the outstanding-notification bit. */
    private static final int ON_BYTE = 32;

    private final ApicVirtualization apic;
    private final Cpu c;
    /** "process posted interrupts" of the running guest. */
    boolean enabled;
    int notificationVector;
    long descriptor;

    PostedInterrupts(ApicVirtualization apic, Cpu c) {
        this.apic = apic;
        this.c = c;
    }

    void onEntry(Vmcs v) {
        enabled = (v.get(PIN_BASED_VM_EXECUTION_CONTROLS) & PIN_PROCESS_POSTED_INTERRUPTS) != 0;
        if (enabled) {
            notificationVector = (int) v.get(POSTED_INTERRUPT_NOTIFICATION_VECTOR) & 0xFF;
            descriptor = v.get(POSTED_INTERRUPT_DESCRIPTOR_ADDRESS);
        }
    }

    void onExit() {
        enabled = false;
    }

    /** True if the acknowledged external interrupt {@code vector} is the posted-interrupt notification. */
    boolean isNotification(int vector) {
        return enabled && vector == notificationVector;
    }

    /**
     * SDM "Posted-Interrupt Processing", the steps after the local APIC was acknowledged with the
     * notification vector: clear ON, write 0 to the local APIC's EOI register, OR the PIR into
     * the VIRR and clear it, RVI = max(RVI, highest PIR bit), evaluate pending virtual interrupts.
     */
    void process() {
        GuestMemory m = c.memory();
        m.write8(descriptor + ON_BYTE, m.read8(descriptor + ON_BYTE) & ~1);
        VmxCpuAccess.localApicEoi(c);
        int highest = -1;
        for (int i = 0; i < 8; i++) {
            long addr = descriptor + 4L * i;
            int bits = m.read32(addr);
            if (bits != 0) {
                m.write32(addr, 0);
                apic.page.orWord(VirtualApicPage.VIRR, i, bits);
                highest = i * 32 + 31 - Integer.numberOfLeadingZeros(bits);
            }
        }
        if (highest >= 0) {
            apic.rvi = Math.max(apic.rvi, highest);
        }
        apic.evaluate();
    }
}
