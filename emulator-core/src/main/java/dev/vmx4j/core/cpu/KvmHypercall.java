package dev.vmx4j.core.cpu;

import dev.vmx4j.core.devices.apic.LocalApic;

/**
 * KVM's paravirtual hypercall ABI, for machines that present themselves as KVM guests (the
 * {@code run} command's machine with QEMU's pc-testdev, as kvm-unit-tests expects "with the test
 * device"). VMCALL outside VMX operation takes the hypercall number from RAX and up to four
 * arguments from RBX, RCX, RDX and RSI, writes the result to RAX and changes nothing else
 * (Linux, Documentation/virt/kvm/x86/hypercalls.rst).
 *
 * <p>MANUAL: bare hardware raises #UD for VMCALL outside VMX operation (SDM "VMCALL—Call to VM
 * Monitor"); a KVM guest's VMCALL is a VM exit that KVM serves instead. vmx4j models only that
 * documented ABI and only the hypercall kvm-unit-tests issues: {@link #KVM_HC_SEND_IPI}; every
 * other number returns {@code -KVM_ENOSYS}. The document names no privilege rule, so none is
 * applied. On a machine without the test device VMCALL keeps the SDM's #UD.
 */
public final class KvmHypercall {

    /** KVM_HC_SEND_IPI: a0/a1 bitmap of destination APIC IDs (low, high), a2 the lowest APIC ID, a3 the ICR. */
    public static final int KVM_HC_SEND_IPI = 10;
    /** KVM_ENOSYS: returned negated for a hypercall number that is not implemented. */
    public static final long KVM_ENOSYS = 1000;

    private static final int DELIVERY_FIXED = 0;
    private static final int DELIVERY_LOWEST_PRIORITY = 1;
    private static final int DELIVERY_NMI = 4;
    private static final int DELIVERY_INIT = 5;
    private static final int DELIVERY_STARTUP = 6;

    private final Cpu[] cpus;

    private KvmHypercall(Cpu[] cpus) {
        this.cpus = cpus;
    }

    /** Makes VMCALL outside VMX operation a KVM hypercall on each of the owner's {@code processors}. */
    public static void install(CpuOwner owner, int processors) {
        if (processors < 1) {
            throw new IllegalArgumentException("processors must be at least 1, was " + processors);
        }
        Cpu[] cpus = new Cpu[processors];
        for (int i = 0; i < processors; i++) {
            cpus[i] = owner.cpu(i);
        }
        KvmHypercall h = new KvmHypercall(cpus);
        for (Cpu c : cpus) {
            c.kvmHypercall = h;
        }
    }

    /** Serves the hypercall of processor {@code c} (its VMCALL, outside VMX operation). */
    void call(Cpu c) {
        // "op_64_bit": in 64-bit mode the registers are 64 bits wide, else 32 (EAX ... ESI).
        int size = c.mode64 ? 8 : 4;
        long nr = c.reg(0, size);
        long result;
        if (nr == KVM_HC_SEND_IPI) {
            result = sendIpi(c.reg(3, size), c.reg(1, size), c.reg(2, size), (int) c.reg(6, size), size * 8);
        } else {
            result = -KVM_ENOSYS;
        }
        c.setReg(0, size, result);
    }

    /**
     * KVM_HC_SEND_IPI: bit {@code i} of the {@code 2 * width}-bit bitmap {@code low:high} names
     * APIC ID {@code min + i}; the IPI is the one the ICR value {@code icr} describes (vector,
     * delivery mode; destination mode and shorthand do not apply). Returns the number of
     * processors it was delivered to. MANUAL: an APIC that is globally disabled, or (fixed and
     * lowest-priority interrupts) software disabled or given a vector below 16, does not count.
     */
    private long sendIpi(long low, long high, long min, int icr, int width) {
        long count = 0;
        for (int i = 0; i < 2 * width; i++) {
            long word = i < width ? low : high;
            if (((word >>> (i % width)) & 1) == 0) {
                continue;
            }
            long id = (min + i) & (width == 64 ? -1L : 0xFFFFFFFFL);
            Cpu target = processorWithApicId(id);
            if (target != null && deliver(target, icr)) {
                count++;
            }
        }
        return count;
    }

    /** The processor whose local APIC has physical ID {@code id} (x2APIC ID in x2APIC mode, else the xAPIC ID register). */
    private Cpu processorWithApicId(long id) {
        for (Cpu c : cpus) {
            LocalApic a = c.localApic;
            if (a == null || !a.isGloballyEnabled()) {
                continue;
            }
            long apicId = a.isX2ApicMode() ? a.initialApicId() & 0xFFFFFFFFL : a.read(LocalApic.REG_ID, 4) >>> 24;
            if (apicId == id) {
                return c;
            }
        }
        return null;
    }

    private static boolean deliver(Cpu target, int icr) {
        int vector = icr & 0xFF;
        boolean delivered;
        switch ((icr >>> 8) & 7) {
            case DELIVERY_FIXED:
            case DELIVERY_LOWEST_PRIORITY:
                delivered = target.localApic.acceptFixed(vector, (icr & (1 << 15)) != 0);
                break;
            case DELIVERY_NMI:
                target.localApic.acceptNmi();
                delivered = true;
                break;
            case DELIVERY_INIT:
                target.pending.raiseInit();
                delivered = true;
                break;
            case DELIVERY_STARTUP:
                target.pending.raiseSipi(vector);
                delivered = true;
                break;
            default:
                delivered = false; // SMI and the reserved modes are not modelled
                break;
        }
        target.pending.controllerChanged();
        return delivered;
    }
}
