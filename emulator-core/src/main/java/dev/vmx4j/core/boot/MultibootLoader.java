package dev.vmx4j.core.boot;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import java.util.List;

/**
 * Boots a Multiboot v1 kernel the way {@code qemu-system-x86_64 -kernel} does: loads it, writes
 * the information structure, and leaves the machine in the state the Multiboot specification
 * ("Machine state") defines at entry.
 *
 * <p>Multiboot specification "Machine state": EAX = 0x2BADB002; EBX = the physical address of the
 * information structure; CS a 32-bit read/execute code segment with offset 0 and limit
 * 0xFFFFFFFF; DS, ES, FS, GS, SS 32-bit read/write data segments with offset 0 and limit
 * 0xFFFFFFFF; A20 enabled; CR0 PG cleared and PE set; EFLAGS VM and IF cleared. The selector
 * values are undefined by the specification; vmx4j uses 0x08 (code) and 0x10 (data), and
 * GDTR/IDTR keep their reset values (the kernel must load its own, as the specification says).
 * The 8259 PICs, when present, are masked by the machine's device setup. Before that, the
 * {@link FirmwareState} (by default the profile's: IA32_FEATURE_CONTROL, PAT, MTRRs as PC
 * firmware leaves them) is applied, since a Multiboot loader runs after the BIOS.
 */
public final class MultibootLoader {

    private MultibootLoader() {
    }

    /** Top of conventional memory: the extended BIOS data area starts here on a PC. */
    static final long CONVENTIONAL_MEMORY_TOP = 0x9FC00;
    /**
     * The ESP a kernel finds at entry. MANUAL: the Multiboot specification ("Machine state")
     * leaves ESP undefined and says the kernel must set up its own stack; QEMU's and Bochs'
     * loaders leave it pointing into conventional memory. vmx4j sets ESP to the lowest byte the
     * kernel loads, rounded down to 16 and capped at the top of conventional memory (0x9FC00), so
     * that pushes land in free RAM below the kernel: 0x9FC00 for kernels linked at 1 MiB and
     * above, 0x8000 for one linked at 0x8000 (a kernel loaded at the very bottom of memory gets
     * little or no room: it must load its own stack first, as the specification requires).
     */
    public static long initialStackPointer(MultibootImage image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        return Math.min(image.start(), CONVENTIONAL_MEMORY_TOP) & ~0xFL;
    }

    /**
     * Loads {@code image} with {@code cmdline} and {@code modules} into {@code machine} and sets
     * the entry state. Returns the address of the information structure (also in EBX).
     */
    public static long boot(Machine machine, MultibootImage image, String cmdline, List<MultibootInfoWriter.Module> modules) {
        if (machine == null) {
            throw new IllegalArgumentException("machine must not be null");
        }
        return boot(machine, image, cmdline, modules, FirmwareState.fromProfile(machine.profile()));
    }

    /** As {@link #boot(Machine, MultibootImage, String, List)} with an explicit firmware state. */
    public static long boot(Machine machine, MultibootImage image, String cmdline, List<MultibootInfoWriter.Module> modules,
            FirmwareState firmware) {
        if (machine == null || image == null || firmware == null) {
            throw new IllegalArgumentException("machine, image and firmware must not be null");
        }
        firmware.applyTo(machine);
        long ram = machine.memorySize();
        long info = MultibootInfoWriter.write(machine.memory(), ram, image, cmdline, modules);
        dev.vmx4j.core.devices.apic.PcInterruptController ic = machine.interruptController();
        if (ic != null) {
            // As a PC BIOS leaves them (vectors 08H/70H, LAPIC in virtual-wire mode), then masked:
            // the Multiboot entry state has interrupts off and the kernel programs its own.
            ic.pic().initialize(0x08, 0x70);
            ic.localApic().configureVirtualWire();
            ic.pic().maskAll();
        }
        machine.enterProtectedMode();
        machine.setRflags(0x2);
        machine.setReg(Reg.RAX, MultibootImage.BOOTLOADER_MAGIC & 0xFFFFFFFFL);
        machine.setReg(Reg.RBX, info);
        machine.setReg(Reg.RSP, initialStackPointer(image));
        machine.setRip(image.entry());
        return info;
    }
}
