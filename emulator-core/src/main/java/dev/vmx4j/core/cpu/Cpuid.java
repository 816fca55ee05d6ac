package dev.vmx4j.core.cpu;

/**
 * CPUID: the profile's leaves plus the bits that reflect current state (SDM "CPUID—CPU
 * Identification": OSXSAVE, OSPKE, the APIC bit, SYSCALL in 64-bit mode (Intel profiles only),
 * the processor's own APIC ID in leaves 01H and 0BH).
 */
final class Cpuid {

    private final Cpu c;
    /** Scratch for the profile's answer (no allocation per instruction). */
    private final int[] out = new int[4];

    /** CPUID.0:EAX, the highest basic leaf: leaf 0BH's APIC ID is patched in only if the profile has the leaf. */
    private final long maxBasicLeaf;

    Cpuid(Cpu c) {
        this.c = c;
        c.profile.cpuid(0, 0, out);
        this.maxBasicLeaf = out[0] & 0xFFFFFFFFL;
    }

    void execute() {
        int leaf = (int) c.gpr[0];
        int sub = (int) c.gpr[1];
        int[] o = out;
        c.profile.cpuid(leaf, sub, o);
        if (leaf == 1) {
            // SDM "CPUID": CPUID.1:ECX.OSXSAVE[bit 27] reflects CR4.OSXSAVE.
            o[2] = (o[2] & ~(1 << 27)) | ((c.cr4 & (1L << 18)) != 0 ? 1 << 27 : 0);
            // CPUID.01H:EDX.APIC[bit 9] is clear while IA32_APIC_BASE.EN = 0.
            if (c.localApic != null && !c.localApic.isGloballyEnabled()) {
                o[3] &= ~(1 << 9);
            }
            // CPUID.01H:EBX[31:24]: this processor's initial APIC ID.
            if (c.localApic != null) {
                o[1] = (o[1] & 0x00FFFFFF) | (c.localApic.initialApicId() << 24);
            }
        } else if (leaf == 0xB && c.localApic != null && maxBasicLeaf >= 0xB) {
            // CPUID.0BH:EDX: the x2APIC ID of the current processor.
            o[3] = c.localApic.initialApicId();
        } else if (leaf == 0x80000001 && (o[3] & (1 << 29)) != 0 && !c.features.amd) {
            // SDM "CPUID" (leaf 80000001H EDX bit 11): "SYSCALL/SYSRET available in 64-bit mode".
            // MANUAL: Intel processors report the bit only when CPUID executes in 64-bit mode (Bochs
            // 2.7 does the same); profiles record the value seen outside 64-bit mode. AMD processors,
            // whose SYSCALL runs in every mode, report the profile's bit in every mode.
            o[3] = c.mode64 ? o[3] | (1 << 11) : o[3] & ~(1 << 11);
        }
        if (leaf == 0xD && sub == 1 && c.features.xssWritable != 0) {
            // SDM "CPUID": CPUID.(EAX=0DH,ECX=1):EBX is the size of the XSAVE area for the
            // components enabled in XCR0 | IA32_XSS (the compacted format XSAVES writes).
            o[1] = SupervisorXsave.compactedSize(c.xcr0 | c.msrs.get(SupervisorXsave.IA32_XSS));
        }
        if (leaf == 7 && sub == 0) {
            // SDM "CPUID": CPUID.(EAX=07H,ECX=0):ECX.OSPKE[bit 4] reflects CR4.PKE.
            o[2] = (o[2] & ~(1 << 4)) | ((c.cr4 & Cpu.CR4_PKE) != 0 ? 1 << 4 : 0);
        }
        c.gpr[0] = o[0] & 0xFFFFFFFFL;
        c.gpr[3] = o[1] & 0xFFFFFFFFL;
        c.gpr[1] = o[2] & 0xFFFFFFFFL;
        c.gpr[2] = o[3] & 0xFFFFFFFFL;
    }
}
