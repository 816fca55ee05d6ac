package dev.vmx4j.core.cpu;

import dev.vmx4j.core.memory.GuestMemory;
import dev.vmx4j.mmu.PhysicalMemory;
import dev.vmx4j.mmu.ept.EptAccess;
import dev.vmx4j.mmu.ept.EptCapabilities;
import dev.vmx4j.mmu.ept.EptMisconfiguration;
import dev.vmx4j.mmu.ept.EptWalkOutcome;
import dev.vmx4j.mmu.ept.EptWalkResult;
import dev.vmx4j.mmu.ept.EptWalker;
import dev.vmx4j.mmu.ept.PageModificationLog;
import dev.vmx4j.mmu.ept.VirtualizationExceptionInfo;

/**
 * The second translation stage in VMX non-root operation with "enable EPT" = 1: turns every
 * guest-physical address the CPU produces (data accesses, instruction fetches, guest
 * paging-structure accesses, addresses with CR0.PG = 0) into a host-physical address through
 * ept-mmu's {@link EptWalker}, or raises the VM exit the walk calls for (SDM "EPT Violations",
 * "EPT Misconfigurations", "Page-Modification Logging").
 *
 * <p>Active between a VM entry that enables EPT and the next VM exit; the {@link Mmu} holds it
 * only while active, so the EPT-off path pays one null test.
 */
final class EptStage {

    /** Basic exit reasons (SDM appendix "VMX Basic Exit Reasons"). */
    static final int EXIT_EPT_VIOLATION = 48;
    static final int EXIT_EPT_MISCONFIGURATION = 49;
    static final int EXIT_PML_FULL = 62;

    private final EptWalker walker;
    private final EptWalkResult result = new EptWalkResult();
    private final PageModificationLog pml;
    /** Guest paging-structure accesses of the current linear walk, seen through EPT. */
    final PhysicalMemory pagingMemory;
    /** The linear address being translated by the guest page walk ({@link #pagingMemory} reports it). */
    long walkLinear;
    /** True while the guest page walk has a linear address (false for PDPTE loads). */
    boolean walkLinearValid;
    private boolean pmlEnabled;
    private EptMisconfiguration lastMisconfiguration = EptMisconfiguration.NONE;
    private final Cpu cpu;
    private final GuestMemory memory;
    /** "EPT-violation #VE", the virtualization-exception information address and the EPTP index. */
    private boolean virtualizationExceptions;
    private long veInformationAddress;
    private int eptpIndex;

    EptStage(Cpu cpu, GuestMemory memory, long eptVpidCap, int maxPhysicalAddressBits) {
        this.cpu = cpu;
        this.memory = memory;
        this.walker = new EptWalker(memory).configure(EptCapabilities.of(eptVpidCap), maxPhysicalAddressBits);
        this.pml = new PageModificationLog(memory, 0, 0);
        this.pagingMemory = new PagingMemory(this, memory);
    }

    /**
     * Loads the EPTP (already checked by VM entry) and the controls that shape the walk. SDM
     * "Page-Modification Logging": with "enable PML" the log starts at {@code pmlAddress} and
     * {@code pmlIndex}.
     */
    void load(long eptp, boolean modeBasedExecute, boolean pmlOn, long pmlAddress, int pmlIndex) {
        walker.eptp(eptp).modeBasedExecuteControl(modeBasedExecute).eptViolationVirtualizationException(false);
        virtualizationExceptions = false;
        pmlEnabled = pmlOn;
        if (pmlOn) {
            pml.reset(pmlAddress & ~0xFFFL, pmlIndex & 0xFFFF);
            walker.pageModificationLog(pml);
        } else {
            walker.pageModificationLog(null);
        }
    }

    /**
     * SDM "Virtualization Exceptions": with "EPT-violation #VE" convertible EPT violations may
     * become #VE; the information goes to {@code informationAddress} with {@code eptpIndex}.
     */
    void loadVirtualizationExceptions(boolean on, long informationAddress, int eptpIndex) {
        virtualizationExceptions = on;
        walker.eptViolationVirtualizationException(on);
        veInformationAddress = informationAddress;
        this.eptpIndex = eptpIndex & 0xFFFF;
    }

    /** SDM "EPTP Switching": VMFUNC leaf 0 makes {@code eptp} (already checked) the EPTP. */
    void switchEptp(long eptp, int index) {
        walker.eptp(eptp);
        eptpIndex = index & 0xFFFF;
    }

    /** The PML index to store back into the VMCS at VM exit. */
    int pmlIndex() {
        return pml.index();
    }

    boolean pmlEnabled() {
        return pmlEnabled;
    }

    long eptp() {
        return walker.eptp();
    }

    /** The EPT memory type (leaf bits 5:3) of the last successful walk. */
    dev.vmx4j.mmu.MemoryType lastMemoryType() {
        return result.memoryType();
    }

    /** The "ignore PAT" bit (leaf bit 6) of the last successful walk. */
    boolean lastIgnorePat() {
        return result.ignorePat();
    }

        /** The reason of the last EPT misconfiguration this stage reported. */
    EptMisconfiguration lastMisconfiguration() {
        return lastMisconfiguration;
    }

    /**
     * Guest-physical {@code gpa} to host-physical for an access of kind {@code access}
     * ({@link PageTranslator} bits) at linear address {@code gla}, a user-mode address if
     * {@code userAddress}.
     *
     * @throws VmExitEvent EPT violation, EPT misconfiguration or PML full
     * @throws CpuException a virtualization exception (#VE) for a convertible EPT violation
     */
    long translate(long gpa, long gla, int access, boolean userAddress) {
        int a = (access & PageTranslator.FETCH) != 0 ? EptAccess.FETCH
                : (access & PageTranslator.WRITE) != 0 ? EptAccess.WRITE : EptAccess.READ;
        // SDM "Exit Qualification for EPT Violations", bit 7: every access through a linear address.
        a |= EptAccess.LINEAR_ADDRESS_VALID;
        // The linear address's mode (its guest paging U/S bits), not the CPL, selects bit 2 or
        // bit 10 under mode-based execute control.
        if (userAddress) {
            a |= EptAccess.USER_MODE_LINEAR;
        }
        return walk(gpa, gla, a);
    }

    /** A guest paging-structure access (SDM: "the access was to a paging-structure entry"). */
    long translatePagingEntry(long gpa, boolean write) {
        // SDM "Accessed and Dirty Flags": the processor sets a guest paging-structure entry's
        // accessed or dirty flag with a locked read-modify-write, so the EPT access is a read and
        // a write (qualification bits 0 and 1, as hardware reports; kvm-unit-tests'
        // ept_access_test_paddr_* expect it) even with EPT A/D disabled.
        int a = (write ? EptAccess.READ | EptAccess.WRITE : EptAccess.READ) | EptAccess.GUEST_PAGING_ENTRY;
        if (walkLinearValid) {
            a |= EptAccess.LINEAR_ADDRESS_VALID;
        }
        long hpa = walk(gpa, walkLinear, a);
        // SDM "Guest-Physical Accesses to the APIC-Access Page": reads of the guest paging
        // structures, their A/D updates and PDPTE loads by MOV to CR are guest-physical accesses;
        // one whose EPT translation lands on the APIC-access page (the APIC-access address is
        // compared with the host-physical result) is an APIC-access VM exit, never virtualized,
        // below any EPT violation of the same access in priority (the walk came first).
        if ((hpa >>> 12) == cpu.mmu.apicAccessFrame()) {
            throw cpu.vmx.apicAccessGuestPhysicalExit(gpa);
        }
        return hpa;
    }

    private long walk(long gpa, long gla, int access) {
        EptWalkResult r = result;
        if (walker.translate(gpa, gla, access, r)) {
            return r.hostPhysicalAddress();
        }
        throw exitFor(r);
    }

    private ArchitecturalEvent exitFor(EptWalkResult r) {
        EptWalkOutcome o = r.outcome();
        if (o == EptWalkOutcome.MISCONFIGURATION) {
            lastMisconfiguration = r.misconfiguration();
            // SDM "Information for VM Exits Due to EPT Misconfigurations": the guest-physical
            // address only; the exit qualification is undefined (MANUAL: 0, as hardware).
            return new VmExitEvent(EXIT_EPT_MISCONFIGURATION, 0, 0, r.guestPhysicalAddress(), 0, 0,
                    VmExitEvent.GUEST_PHYSICAL);
        }
        if (o == EptWalkOutcome.PML_LOG_FULL) {
            // SDM "Page-Modification Logging": a page-modification log-full event, exit reason 62,
            // qualification 0 apart from NMI unblocking (bit 12, added by the VMX unit's VmExit).
            return new VmExitEvent(EXIT_PML_FULL, 0, 0, 0, 0, 0, 0);
        }
        boolean linear = r.linearAddressValid();
        // SDM "Convertible EPT Violations": a convertible violation (the walker checked the control
        // and the suppress-#VE bit of the deciding entry) is a #VE if CR0.PE = 1, no event is
        // being delivered through the IDT and the 32 bits at offset 4 of the information area are 0.
        if (virtualizationExceptions && r.convertibleToVirtualizationException() && (cpu.cr0 & Cpu.CR0_PE) != 0
                && !cpu.delivering().valid && VirtualizationExceptionInfo.isArmed(memory, veInformationAddress)) {
            // SDM "Virtualization-Exception Information": exit reason 48, FFFFFFFFH at offset 4,
            // the qualification, guest-linear and guest-physical addresses, the EPTP index. The
            // qualification is the one a VM exit would save, bit 12 ("NMI unblocking due to
            // IRET") included: the IRET in progress has already ended the blocking.
            VirtualizationExceptionInfo.write(memory, veInformationAddress,
                    r.exitQualification() | cpu.vmx.virtualizationExceptionNmiUnblocking(),
                    linear ? r.guestLinearAddress() : 0, r.guestPhysicalAddress(), eptpIndex);
            // SDM "Delivery of Virtualization Exceptions": a fault with vector 20, no error code.
            return new CpuException(CpuException.VE, 0, false);
        }
        // SDM "Information for VM Exits Due to EPT Violations": qualification, guest-physical
        // address, and the guest-linear address when bit 7 of the qualification is 1.
        return new VmExitEvent(EXIT_EPT_VIOLATION, r.exitQualification(), linear ? r.guestLinearAddress() : 0,
                r.guestPhysicalAddress(), 0, 0,
                VmExitEvent.GUEST_PHYSICAL | (linear ? VmExitEvent.GUEST_LINEAR : 0));
    }

    /**
     * Physical memory as the guest page walker sees it under EPT: every entry read or A/D
     * write is first translated through EPT as a paging-structure access.
     */
    private static final class PagingMemory implements PhysicalMemory {
        private final EptStage stage;
        private final GuestMemory memory;

        PagingMemory(EptStage stage, GuestMemory memory) {
            this.stage = stage;
            this.memory = memory;
        }

        @Override
        public int read8(long address) {
            return memory.read8(stage.translatePagingEntry(address, false));
        }

        @Override
        public int read16(long address) {
            return memory.read16(stage.translatePagingEntry(address, false));
        }

        @Override
        public int read32(long address) {
            return memory.read32(stage.translatePagingEntry(address, false));
        }

        @Override
        public long read64(long address) {
            return memory.read64(stage.translatePagingEntry(address, false));
        }

        @Override
        public void write8(long address, int value) {
            memory.write8(stage.translatePagingEntry(address, true), value);
        }

        @Override
        public void write16(long address, int value) {
            memory.write16(stage.translatePagingEntry(address, true), value);
        }

        @Override
        public void write32(long address, int value) {
            memory.write32(stage.translatePagingEntry(address, true), value);
        }

        @Override
        public void write64(long address, long value) {
            memory.write64(stage.translatePagingEntry(address, true), value);
        }

        @Override
        public void read(long address, byte[] dst, int offset, int length) {
            for (int i = 0; i < length; i++) {
                dst[offset + i] = (byte) read8(address + i);
            }
        }

        @Override
        public void write(long address, byte[] src, int offset, int length) {
            for (int i = 0; i < length; i++) {
                write8(address + i, src[offset + i]);
            }
        }
    }
}
