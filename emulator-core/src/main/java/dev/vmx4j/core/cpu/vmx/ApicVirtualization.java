package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.core.cpu.vmx.ControlBits.*;
import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuException;
import dev.vmx4j.core.cpu.PendingEvents;
import dev.vmx4j.core.cpu.VmExitEvent;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.exit.ApicAccessQualification;
import dev.vmx4j.vmx.exit.ExitReason;

/**
 * APIC virtualization of the running guest (SDM "APIC Virtualization and Virtual Interrupts"):
 * the TPR shadow and the TPR threshold, accesses to the APIC-access page, "virtualize x2APIC
 * mode", and virtual-interrupt delivery with RVI/SVI and the EOI-exit bitmap. The controls are
 * copied at VM entry ({@link #onEntry}); the virtualized registers live on the
 * {@link VirtualApicPage}; RVI and SVI live here while the guest runs and go back to the guest
 * interrupt status at VM exit.
 *
 * <p>Trap-like VM exits (TPR below threshold, EOI-induced, APIC write) are made pending in the
 * core's events model ({@link PendingEvents#APIC_TRAP}) and taken at the next instruction
 * boundary, so the guest RIP they save is that of the next instruction. A recognized virtual
 * interrupt is the events model's {@link PendingEvents#VIRTUAL_INTERRUPT}, delivered at the
 * priority of interrupt-window exits ({@link #deliverVirtualInterrupt}).
 */
final class ApicVirtualization {

    private final Vmx vmx;
    private final Cpu c;
    final VirtualApicPage page;
    final PostedInterrupts posted;

    // The controls of the running guest (copied at VM entry).
    boolean tprShadow;
    boolean virtualizeApicAccesses;
    boolean virtualizeX2apicMode;
    boolean registerVirtualization;
    boolean virtualInterruptDelivery;
    boolean interruptWindowExiting;
    int tprThreshold;
    final long[] eoiExitBitmap = new long[4];
    /** The APIC-access page's frame number, or -1 without "virtualize APIC accesses". */
    long apicAccessFrame = -1;

    /** SDM "Guest Interrupt Status": requesting virtual interrupt and servicing virtual interrupt. */
    int rvi;
    int svi;

    /** The trap-like VM exit made pending by the instruction that just ran (reason 0: none). */
    private int trapReason;
    private long trapQualification;

    ApicVirtualization(Vmx vmx, Cpu c) {
        this.vmx = vmx;
        this.c = c;
        this.page = new VirtualApicPage(c.memory());
        this.posted = new PostedInterrupts(this, c);
    }

    // ---------------------------------------------------------------- VM entry and exit

    /** After guest state is loaded and before event injection (SDM "VM Entries"). */
    void onEntry(Vmcs v) {
        int proc = (int) v.get(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS);
        int proc2 = (proc & PROC_ACTIVATE_SECONDARY_CONTROLS) != 0
                ? (int) v.get(SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS) : 0;
        tprShadow = (proc & PROC_USE_TPR_SHADOW) != 0;
        interruptWindowExiting = (proc & PROC_INTERRUPT_WINDOW_EXITING) != 0;
        virtualizeApicAccesses = (proc2 & PROC2_VIRTUALIZE_APIC_ACCESSES) != 0;
        virtualizeX2apicMode = tprShadow && (proc2 & PROC2_VIRTUALIZE_X2APIC_MODE) != 0;
        registerVirtualization = tprShadow && (proc2 & PROC2_APIC_REGISTER_VIRTUALIZATION) != 0;
        virtualInterruptDelivery = tprShadow && (proc2 & PROC2_VIRTUAL_INTERRUPT_DELIVERY) != 0;
        trapReason = 0;
        posted.onEntry(v);
        if (tprShadow) {
            page.base = v.get(VIRTUAL_APIC_ADDRESS);
            tprThreshold = (int) v.get(TPR_THRESHOLD) & 0xF;
        }
        long frame = virtualizeApicAccesses ? v.get(APIC_ACCESS_ADDRESS) >>> 12 : -1;
        if (frame != apicAccessFrame || frame >= 0) {
            // The software TLB and the current code page must not hold the APIC-access page as RAM.
            apicAccessFrame = frame;
            VmxCpuAccess.setApicAccessFrame(c, frame);
        }
        if (virtualInterruptDelivery) {
            eoiExitBitmap[0] = v.get(EOI_EXIT_BITMAP_0);
            eoiExitBitmap[1] = v.get(EOI_EXIT_BITMAP_1);
            eoiExitBitmap[2] = v.get(EOI_EXIT_BITMAP_2);
            eoiExitBitmap[3] = v.get(EOI_EXIT_BITMAP_3);
            int status = (int) v.get(GUEST_INTERRUPT_STATUS);
            rvi = status & 0xFF;
            svi = status >>> 8 & 0xFF;
            // SDM "Updating Non-Register State" (VM entry): PPR virtualization and the evaluation
            // of pending virtual interrupts.
            pprVirtualization();
            evaluate();
        } else if (tprShadow && tprThreshold > page.vtpr() >>> 4) {
            // SDM "VM Exits Induced by the TPR Threshold": with "use TPR shadow" 1 and
            // "virtual-interrupt delivery" 0, a VM exit immediately after VM entry if TPR
            // threshold[3:0] > VTPR[7:4]; it follows any event injection and is not blocked by
            // RFLAGS.IF or the interruptibility state.
            trap(ExitReason.TPR_BELOW_THRESHOLD, 0);
        }
    }

    /** At VM exit, while guest state is saved: the guest interrupt status; the APIC-access page is RAM again. */
    void onExit(Vmcs v) {
        if (virtualInterruptDelivery) {
            // SDM "Saving Non-Register State": the guest interrupt status (RVI, SVI).
            v.set(GUEST_INTERRUPT_STATUS, rvi | svi << 8);
        }
        trapReason = 0;
        if (apicAccessFrame >= 0) {
            apicAccessFrame = -1;
            VmxCpuAccess.setApicAccessFrame(c, -1);
        }
        tprShadow = false;
        virtualizeApicAccesses = false;
        virtualizeX2apicMode = false;
        registerVirtualization = false;
        virtualInterruptDelivery = false;
        posted.onExit();
    }

    // ---------------------------------------------------------------- trap-like VM exits

    private void trap(ExitReason reason, long qualification) {
        if (trapReason == 0) {
            trapReason = reason.number();
            trapQualification = qualification;
            c.pendingEvents().set(PendingEvents.APIC_TRAP);
        }
    }

    /** The pending trap-like VM exit, taken by the events model after the instruction completed. */
    VmExitEvent trapExit() {
        int reason = trapReason;
        trapReason = 0;
        if (reason == 0) {
            throw new IllegalStateException("no trap-like APIC VM exit is pending");
        }
        return VmExitEvent.of(reason, trapQualification);
    }

    // ---------------------------------------------------------------- SDM "Virtualizing CR8-Based TPR Accesses"

    /** MOV from CR8 with "use TPR shadow" 1 (no CR8-store exit): VTPR[7:4]. */
    long readCr8() {
        return page.vtpr() >>> 4;
    }

    /**
     * MOV to CR8 with "use TPR shadow" 1 (no CR8-load exit): bits 3:0 of the source to
     * VTPR[7:4], VTPR[3:0] and bytes 81H-83H cleared, then TPR virtualization.
     */
    void writeCr8(long value) {
        page.write32(VirtualApicPage.VTPR, (int) (value & 0xF) << 4);
        tprVirtualization();
    }

    // ---------------------------------------------------------------- SDM "Virtualizing Register Accesses"

    /**
     * SDM "TPR Virtualization": without virtual-interrupt delivery, a trap-like VM exit if
     * VTPR[7:4] is below the TPR threshold; with it, PPR virtualization and the evaluation of
     * pending virtual interrupts.
     */
    void tprVirtualization() {
        if (!virtualInterruptDelivery) {
            if (page.vtpr() >>> 4 < tprThreshold) {
                trap(ExitReason.TPR_BELOW_THRESHOLD, 0);
            }
        } else {
            pprVirtualization();
            evaluate();
        }
    }

    /** SDM "PPR Virtualization": VPPR = VTPR if VTPR[7:4] &gt;= SVI[7:4], else SVI &amp; F0H. */
    void pprVirtualization() {
        int vtpr = page.vtpr();
        page.write32(VirtualApicPage.VPPR, (vtpr & 0xF0) >= (svi & 0xF0) ? vtpr : svi & 0xF0);
    }

    /**
     * SDM "EOI Virtualization": clears the VISR bit of SVI, SVI becomes the highest VISR bit,
     * PPR virtualization; then an EOI-induced VM exit (trap-like, the vector as qualification)
     * if the vector's EOI-exit bitmap bit is 1, else the evaluation of pending virtual interrupts.
     */
    void eoiVirtualization() {
        int vector = svi;
        page.setBit(VirtualApicPage.VISR, vector, false);
        svi = Math.max(page.highest(VirtualApicPage.VISR), 0);
        pprVirtualization();
        if ((eoiExitBitmap[vector >>> 6] >>> (vector & 63) & 1) != 0) {
            trap(ExitReason.VIRTUALIZED_EOI, vector);
        } else {
            evaluate();
        }
    }

    /** SDM "Self-IPI Virtualization": VIRR[vector] = 1, RVI = max(RVI, vector), evaluation. */
    void selfIpiVirtualization(int vector) {
        page.setBit(VirtualApicPage.VIRR, vector, true);
        rvi = Math.max(rvi, vector);
        evaluate();
    }

    /**
     * SDM "Evaluation of Pending Virtual Interrupts": a virtual interrupt is recognized if
     * "interrupt-window exiting" is 0 and RVI[7:4] &gt; VPPR[7:4].
     */
    void evaluate() {
        PendingEvents p = c.pendingEvents();
        if (!interruptWindowExiting && (rvi & 0xF0) > (page.vppr() & 0xF0)) {
            p.set(PendingEvents.VIRTUAL_INTERRUPT);
        } else {
            p.clear(PendingEvents.VIRTUAL_INTERRUPT);
        }
    }

    /**
     * SDM "Virtual-Interrupt Delivery": VISR[RVI] = 1, SVI = RVI, VPPR = RVI &amp; F0H, VIRR[RVI] = 0,
     * RVI = the highest VIRR bit (or 0); returns the vector to deliver through the IDT. The
     * events model ceases recognition and delivers it.
     */
    int deliverVirtualInterrupt() {
        int vector = rvi;
        page.setBit(VirtualApicPage.VISR, vector, true);
        svi = vector;
        page.write32(VirtualApicPage.VPPR, vector & 0xF0);
        page.setBit(VirtualApicPage.VIRR, vector, false);
        rvi = Math.max(page.highest(VirtualApicPage.VIRR), 0);
        return vector;
    }

    // ---------------------------------------------------------------- SDM "Virtualizing Memory-Mapped APIC Accesses"

    private long accessQualification(int offset, ApicAccessQualification.AccessType type) {
        if (type != ApicAccessQualification.AccessType.LINEAR_INSTRUCTION_FETCH && c.delivering().valid) {
            type = ApicAccessQualification.AccessType.LINEAR_ACCESS_DURING_EVENT_DELIVERY;
        }
        return ApicAccessQualification.of(offset, type, false).encode();
    }

    /**
     * An APIC-access VM exit (fault-like) for an access at {@code offset}. MANUAL: a data access
     * by an instruction (not during event delivery) reports the instruction's length, as
     * processors do (kvm-unit-tests' apic_reg_virt_test skips the instruction with it).
     */
    VmExitEvent accessExit(int offset, ApicAccessQualification.AccessType type) {
        long q = accessQualification(offset, type);
        if (q >>> ApicAccessQualification.ACCESS_TYPE_SHIFT <= 1) {
            int length = (int) (c.nextRip() - c.rip) & 0xF;
            if (length != 0) {
                return VmExitEvent.instruction(ExitReason.APIC_ACCESS.number(), q, length);
            }
        }
        return VmExitEvent.of(ExitReason.APIC_ACCESS.number(), q);
    }

    /**
     * SDM "Guest-Physical Accesses to the APIC-Access Page": every such access is an APIC-access
     * VM exit (fault-like, no instruction length), access type 10 during event delivery (the
     * exit then reports IDT-vectoring information) and 15 otherwise. SDM "Exit Qualification for
     * APIC-Access VM Exits from Linear Accesses and Guest-Physical Accesses": bits 11:0 are
     * undefined for these types; MANUAL: vmx4j writes 0. MANUAL: the guest-physical address
     * field gets the address of the access, as for the EPT violation the access could have
     * caused instead (the SDM gives the field no other meaning for this exit).
     */
    VmExitEvent guestPhysicalAccessExit(long guestPhysicalAddress) {
        ApicAccessQualification.AccessType type = c.delivering().valid
                ? ApicAccessQualification.AccessType.GUEST_PHYSICAL_ACCESS_DURING_EVENT_DELIVERY
                : ApicAccessQualification.AccessType.GUEST_PHYSICAL_ACCESS_FOR_INSTRUCTION_FETCH_OR_EXECUTION;
        return new VmExitEvent(ExitReason.APIC_ACCESS.number(), ApicAccessQualification.of(0, type, false).encode(),
                0, guestPhysicalAddress, 0, 0, VmExitEvent.GUEST_PHYSICAL);
    }

    /**
     * SDM "Virtualizing Reads from the APIC-Access Page": a read exits without "use TPR shadow",
     * if it is wider than 32 bits, follows a virtualized write of the same operation, or is not
     * within the low 4 bytes of a 16-byte-aligned register; otherwise it is virtualized (read
     * from the virtual-APIC page) for 080H-083H, and with "APIC-register virtualization" for
     * every readable register the SDM lists.
     */
    long read(int offset, int size) {
        if (!tprShadow || size > 4 || (offset & 0xF) + size > 4 || trapReason != 0
                || !readVirtualized(offset & 0xFF0)) {
            throw accessExit(offset, ApicAccessQualification.AccessType.LINEAR_DATA_READ);
        }
        return page.read(offset, size);
    }

    private boolean readVirtualized(int register) {
        if (!registerVirtualization) {
            return register == VirtualApicPage.VTPR;
        }
        switch (register) {
            case 0x020: // local APIC ID
            case 0x030: // version
            case 0x080: // TPR
            case 0x0B0: // EOI
            case 0x0D0: // LDR
            case 0x0E0: // DFR
            case 0x0F0: // SVR
            case 0x280: // ESR
            case 0x300: // ICR low
            case 0x310: // ICR high
            case 0x380: // initial count
            case 0x3E0: // divide configuration
                return true;
            default:
                // ISR 100H-170H, TMR 180H-1F0H, IRR 200H-270H, LVT 320H-370H.
                return (register >= 0x100 && register <= 0x270) || (register >= 0x320 && register <= 0x370);
        }
    }

    /**
     * SDM "Virtualizing Writes to the APIC-Access Page": a write exits without "use TPR
     * shadow", if wider than 32 bits or after a virtualized write of the same operation, or at an
     * offset the controls do not virtualize; otherwise the data go to the virtual-APIC page and
     * APIC-write emulation follows.
     */
    void write(int offset, int size, long value) {
        if (!tprShadow || size > 4 || trapReason != 0 || !writeVirtualized(offset, size)) {
            throw accessExit(offset, ApicAccessQualification.AccessType.LINEAR_DATA_WRITE);
        }
        page.write(offset, size, value);
        apicWriteEmulation(offset);
    }

    private boolean writeVirtualized(int offset, int size) {
        if (!registerVirtualization) {
            // "use TPR shadow" alone: 080H; with virtual-interrupt delivery also 0B0H and 300H.
            return offset == VirtualApicPage.VTPR || virtualInterruptDelivery
                    && (offset == VirtualApicPage.VEOI || offset == VirtualApicPage.VICR_LO);
        }
        if ((offset & 0xF) + size > 4) {
            return false;
        }
        int register = offset & 0xFF0;
        switch (register) {
            case 0x020:
            case 0x080:
            case 0x0B0:
            case 0x0D0:
            case 0x0E0:
            case 0x0F0:
            case 0x280:
            case 0x300:
            case 0x310:
            case 0x380:
            case 0x3E0:
                return true;
            default:
                return register >= 0x320 && register <= 0x370;
        }
    }

    /**
     * SDM "APIC-Write Emulation", after the write completed: 080H clears bytes 81H-83H and
     * performs TPR virtualization; with virtual-interrupt delivery, 0B0H clears VEOI and
     * performs EOI virtualization and 300H performs self-IPI virtualization when VICR_LO asks
     * for a fixed, edge-triggered self IPI with a vector of 16 or more; 310H-313H (ICR high)
     * clears VICR_HI[23:0]; everything else is an APIC-write VM exit (trap-like) with the page
     * offset as qualification.
     */
    private void apicWriteEmulation(int offset) {
        if (offset == VirtualApicPage.VTPR) {
            page.write32(VirtualApicPage.VTPR, page.vtpr());
            tprVirtualization();
            return;
        }
        if ((offset & 0xFF0) == VirtualApicPage.VICR_HI) {
            // 310H-313H: only the destination (bits 31:24) is kept; bits 23:0 are cleared, no VM exit.
            page.write32(VirtualApicPage.VICR_HI, page.read32(VirtualApicPage.VICR_HI) & 0xFF00_0000);
            return;
        }
        if (virtualInterruptDelivery && offset == VirtualApicPage.VEOI) {
            page.write32(VirtualApicPage.VEOI, 0);
            eoiVirtualization();
            return;
        }
        if (virtualInterruptDelivery && offset == VirtualApicPage.VICR_LO) {
            int icr = page.read32(VirtualApicPage.VICR_LO);
            // Reserved bits 31:20, 17:16, 13 and delivery status (12) clear; shorthand 01 (self);
            // trigger mode 0 (edge); delivery mode 000 (fixed); vector[7:4] not 0.
            boolean selfIpi = (icr & 0xFFF3_3000) == 0 && (icr >>> 18 & 3) == 1 && (icr & 1 << 15) == 0
                    && (icr >>> 8 & 7) == 0 && (icr & 0xF0) != 0;
            if (selfIpi) {
                selfIpiVirtualization(icr & 0xFF);
                return;
            }
        }
        trap(ExitReason.APIC_WRITE, offset);
    }

    // ---------------------------------------------------------------- SDM "Virtualizing MSR-Based APIC Accesses"

    /**
     * True if RDMSR of x2APIC MSR {@code index} reads the virtual-APIC page (after the MSR
     * bitmap). SDM "Virtualizing MSR-Based APIC Accesses": with "virtualize x2APIC mode", TPR
     * (808H) always; with "APIC-register virtualization", every MSR in 800H-8FFH, registers or not.
     */
    boolean virtualizesRdmsr(int index) {
        if (!virtualizeX2apicMode || (index >>> 8) != 8) {
            return false;
        }
        return registerVirtualization || index == 0x808;
    }

    /** The 8 bytes at offset (ECX &amp; FFH) &lt;&lt; 4 of the virtual-APIC page. */
    long rdmsr(int index) {
        return page.read64((index & 0xFF) << 4);
    }

    /**
     * WRMSR of an x2APIC MSR (after the MSR bitmap): TPR (808H), and with virtual-interrupt
     * delivery EOI (80BH) and SELF IPI (83FH), are virtualized; returns false for every other MSR
     * (the instruction then operates normally). A value with reserved bits set is #GP(0).
     */
    boolean wrmsr(int index, long value) {
        if (!virtualizeX2apicMode) {
            return false;
        }
        switch (index) {
            case 0x808:
                if ((value >>> 8) != 0) {
                    throw CpuException.gp(0);
                }
                page.write64(VirtualApicPage.VTPR, value);
                tprVirtualization();
                return true;
            case 0x80B:
                if (!virtualInterruptDelivery) {
                    return false;
                }
                if (value != 0) {
                    throw CpuException.gp(0);
                }
                page.write64(VirtualApicPage.VEOI, 0);
                eoiVirtualization();
                return true;
            case 0x83F:
                if (!virtualInterruptDelivery) {
                    return false;
                }
                if ((value >>> 8) != 0) {
                    throw CpuException.gp(0);
                }
                page.write64(VirtualApicPage.SELF_IPI, value);
                if ((value & 0xF0) != 0) {
                    selfIpiVirtualization((int) value & 0xFF);
                } else {
                    trap(ExitReason.APIC_WRITE, VirtualApicPage.SELF_IPI);
                }
                return true;
            default:
                return false;
        }
    }
}
