package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.PhysicalMemory;

/**
 * Reader of the EPTP list: the 4-KByte page of 512 EPTP values named by the VMCS "EPTP-list
 * address", used by VMFUNC EPTP switching.
 *
 * <p>SDM "EPTP Switching": VMFUNC with EAX = 0 causes a VM exit if ECX is 512 or more, or if the
 * selected entry is not a valid EPTP (it would fail the VM-entry checks on the EPTP); otherwise
 * the entry becomes the EPTP.
 */
public final class EptpList {

    /** Number of entries in the list. */
    public static final int ENTRIES = 512;

    private final PhysicalMemory memory;
    private final EptpValidator validator;

    public EptpList(PhysicalMemory memory, EptpValidator validator) {
        if (memory == null || validator == null) {
            throw new IllegalArgumentException("memory and validator must not be null");
        }
        this.memory = memory;
        this.validator = validator;
    }

    /** The VM-entry checks on the EPTP-list address. */
    public static EptpListCheck checkListAddress(long address, int maxPhysicalAddressWidth) {
        EptEntry.checkMaxPhysicalAddressWidth(maxPhysicalAddressWidth);
        // SDM "Checks on VMX Controls": "Bits 11:0 of the address must be 0."
        if ((address & 0xFFFL) != 0) {
            return EptpListCheck.NOT_PAGE_ALIGNED;
        }
        // SDM "Checks on VMX Controls": no bits beyond the physical-address width.
        if ((address & EptEntry.bitsAtOrAbove(maxPhysicalAddressWidth)) != 0) {
            return EptpListCheck.BEYOND_PHYSICAL_ADDRESS_WIDTH;
        }
        return EptpListCheck.OK;
    }

    /** Reads entry {@code index} (0..511) of the list at {@code listAddress}. */
    public long entry(long listAddress, int index) {
        if (index < 0 || index >= ENTRIES) {
            throw new IllegalArgumentException("index must be 0..511: " + index);
        }
        return memory.read64(listAddress + 8L * index);
    }

    /**
     * VMFUNC leaf 0: selects entry {@code ecx} (the guest's full register value) and validates it.
     */
    public EptpSwitchResult select(long listAddress, long ecx) {
        // SDM "EPTP Switching": "If ECX >= 512, a VM exit occurs".
        if (ecx < 0 || ecx >= ENTRIES) {
            return new EptpSwitchResult(EptpSwitchResult.Status.INDEX_OUT_OF_RANGE, ecx, 0, EptpCheck.OK);
        }
        long eptp = entry(listAddress, (int) ecx);
        EptpCheck check = validator.check(eptp);
        if (check != EptpCheck.OK) {
            return new EptpSwitchResult(EptpSwitchResult.Status.INVALID_EPTP, ecx, eptp, check);
        }
        return new EptpSwitchResult(EptpSwitchResult.Status.SWITCHED, ecx, eptp, EptpCheck.OK);
    }
}
