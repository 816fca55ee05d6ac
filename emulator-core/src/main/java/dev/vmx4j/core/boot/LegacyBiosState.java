package dev.vmx4j.core.boot;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.devices.Pit8254;
import dev.vmx4j.core.devices.apic.PcInterruptController;

/**
 * What a PC BIOS leaves running when it hands over to a boot loader, for kernels that go back to
 * real mode and rely on it (kvm-unit-tests' {@code realmode.flat} ends a test with
 * {@code sti; hlt} and counts on the BIOS timer to wake it):
 * <ul>
 * <li>the real-mode IVT (0-0x3FF): every vector points to {@link #IRET_STUB} (F000:FF53, an
 *     {@code IRET}, where PC BIOSes keep their dummy handler);</li>
 * <li>the 8259A pair initialized to vectors 08H/70H with only IRQ 0 (timer) and IRQ 2 (cascade)
 *     unmasked, reaching the CPU through the local APIC in virtual-wire mode (LINT0 ExtINT);</li>
 * <li>the PIT's channel 0 in mode 3 with count 0 (about 18.2 Hz), if the machine has a PIT.</li>
 * </ul>
 * Apply it after {@link MultibootLoader#boot}; the Multiboot entry state (IF = 0) is unchanged,
 * so a kernel that never sets IF sees none of this. MANUAL: the IMR and the IVT follow what
 * SeaBIOS leaves under QEMU for the timer; other BIOS services are not provided.
 */
public final class LegacyBiosState {

    /** Physical address of the dummy interrupt handler: F000:FF53. */
    public static final long IRET_STUB = 0xFFF53;
    /** PIC mask left by the BIOS: IRQ 0 and IRQ 2 enabled on the master, the slave all masked. */
    public static final int MASTER_IMR = 0xFA;
    public static final int SLAVE_IMR = 0xFF;

    private LegacyBiosState() {
    }

    public static void applyTo(Machine machine) {
        if (machine == null) {
            throw new IllegalArgumentException("machine must not be null");
        }
        machine.memory().write8(IRET_STUB, 0xCF);
        int farPointer = 0xF000_0000 | (int) (IRET_STUB - 0xF0000);
        for (int v = 0; v < 256; v++) {
            machine.memory().write32(4L * v, farPointer);
        }
        PcInterruptController ic = machine.interruptController();
        if (ic == null) {
            return;
        }
        ic.pic().initialize(0x08, 0x70);
        ic.localApic().configureVirtualWire();
        machine.io().out(0x21, 1, MASTER_IMR);
        machine.io().out(0xA1, 1, SLAVE_IMR);
        Pit8254 pit = ic.pit();
        if (pit != null) {
            pit.programBiosDefault();
        }
    }
}
