package dev.vmx4j.mmu.ept;

import dev.vmx4j.mmu.PhysicalMemory;

/**
 * The virtualization-exception information area: the 4-KByte page named by the VMCS field
 * "virtualization-exception information address", written when a convertible EPT violation is
 * delivered as #VE instead of causing a VM exit.
 *
 * <p>SDM "Virtualization-Exception Information", table "Format of the Virtualization-Exception
 * Information Area":
 * <pre>
 *  offset 0   exit reason the VM exit would have saved (48, EPT violation)
 *  offset 4   FFFFFFFFH (software must clear it to 0 to allow the next #VE)
 *  offset 8   exit qualification
 *  offset 16  guest-linear address
 *  offset 24  guest-physical address
 *  offset 32  current EPTP index (16 bits)
 * </pre>
 * SDM "Convertible EPT Violations": a convertible violation becomes #VE only if CR0.PE = 1, no
 * event is being delivered through the IDT, and the 32 bits at offset 4 are 0. The first two are
 * the CPU's; {@link #isArmed} checks the third.
 */
public final class VirtualizationExceptionInfo {

    /** Exit reason stored for an EPT violation. */
    public static final int EXIT_REASON_EPT_VIOLATION = 48;
    public static final int OFFSET_EXIT_REASON = 0;
    public static final int OFFSET_BUSY = 4;
    public static final int OFFSET_EXIT_QUALIFICATION = 8;
    public static final int OFFSET_GUEST_LINEAR_ADDRESS = 16;
    public static final int OFFSET_GUEST_PHYSICAL_ADDRESS = 24;
    public static final int OFFSET_EPTP_INDEX = 32;

    private VirtualizationExceptionInfo() {
    }

    /** True when the 32 bits at offset 4 are 0, so a #VE may be delivered. */
    public static boolean isArmed(PhysicalMemory memory, long area) {
        return memory.read32(area + OFFSET_BUSY) == 0;
    }

    /**
     * Saves the information of a convertible EPT violation and sets offset 4 to FFFFFFFFH.
     *
     * @param exitQualification the full qualification (including bit 12, which is the CPU's)
     * @param eptpIndex         the "EPTP index" VM-execution control field, 0..0xFFFF
     */
    public static void write(PhysicalMemory memory, long area, long exitQualification,
            long guestLinearAddress, long guestPhysicalAddress, int eptpIndex) {
        if (eptpIndex < 0 || eptpIndex > 0xFFFF) {
            throw new IllegalArgumentException("eptpIndex must be 0..0xFFFF: " + eptpIndex);
        }
        memory.write32(area + OFFSET_EXIT_REASON, EXIT_REASON_EPT_VIOLATION);
        memory.write32(area + OFFSET_BUSY, 0xFFFF_FFFF);
        memory.write64(area + OFFSET_EXIT_QUALIFICATION, exitQualification);
        memory.write64(area + OFFSET_GUEST_LINEAR_ADDRESS, guestLinearAddress);
        memory.write64(area + OFFSET_GUEST_PHYSICAL_ADDRESS, guestPhysicalAddress);
        memory.write16(area + OFFSET_EPTP_INDEX, eptpIndex);
    }

    /** {@link #write} from a walk that ended in a convertible violation. */
    public static void write(PhysicalMemory memory, long area, EptWalkResult violation,
            boolean nmiUnblockingDueToIret, int eptpIndex) {
        if (violation.outcome() != EptWalkOutcome.VIOLATION) {
            throw new IllegalArgumentException("walk result must be a VIOLATION: " + violation.outcome());
        }
        long q = violation.exitQualification()
                | (nmiUnblockingDueToIret ? EptViolationQualification.NMI_UNBLOCKING_DUE_TO_IRET : 0);
        write(memory, area, q, violation.guestLinearAddress(), violation.guestPhysicalAddress(), eptpIndex);
    }
}
