package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * LOADIWKEY (SDM "LOADIWKEY—Load Internal Wrapping Key with Key Locker"): the processor's
 * internal wrapping key (IWKey: a 256-bit encryption key, a 128-bit integrity key, KeySource and
 * NoBackup), which software can write but never read. Layout of {@code Cpu.iwKey}: words 0-3
 * the encryption key (low word first), 4-5 the integrity key, 6 KeySource (bits 4:1) and
 * NoBackup (bit 0) as EAX gave them.
 *
 * <p>MANUAL: vmx4j advertises Key Locker (CPUID.7.0:ECX.KL[bit 23], CR4.KL) with CPUID.19H all
 * zero: AESKLE (EBX[0]) = 0, so ENCODEKEY128/256 and the AES*KL instructions are #UD, which the
 * SDM and the Key Locker specification allow (AESKLE reports whether they are enabled, and is 0
 * when the platform has not enabled them); no NoBackup (ECX[0]), no random KeySource (ECX[1]),
 * no IWKey backup MSRs (EBX[4]). LOADIWKEY itself, its faults and its VM exit are complete.
 */
final class KeyLocker {

    static final long CR4_KL = 1L << 19;
    private static final long CR4_OSFXSR = 1L << 9;

    private KeyLocker() {
    }

    static void loadIwKey(Cpu c, DecodedInstruction d) {
        // SDM "LOADIWKEY" Exceptions: #UD if CPUID.7.0:ECX.KL = 0, CR4.KL = 0, CR0.EM = 1,
        // CR4.OSFXSR = 0 (LOCK and a memory operand: the decoder).
        if (!c.features.keyLocker || (c.cr4 & CR4_KL) == 0 || (c.cr0 & Cpu.CR0_EM) != 0
                || (c.cr4 & CR4_OSFXSR) == 0) {
            throw CpuException.ud();
        }
        // #NM if CR0.TS = 1; #GP(0) if CPL > 0.
        if ((c.cr0 & Cpu.CR0_TS) != 0) {
            throw new CpuException(CpuException.NM, 0, false);
        }
        if (c.cpl > 0) {
            throw CpuException.gp(0);
        }
        if (c.vmx.nonRoot) {
            // SDM "Instructions That Cause VM Exits Conditionally": LOADIWKEY exits if the
            // "LOADIWKEY exiting" tertiary control is 1 (after the #UD, #NM and CPL faults).
            c.vmx.loadIwKey(d);
        }
        int eax = (int) c.gpr[0];
        int keySource = eax >>> 1 & 0xF;
        // SDM "LOADIWKEY" Operation: KeySource above 1 or EAX[31:5] set is #GP(0); NoBackup
        // (EAX[0]) needs CPUID.19H:ECX[0], KeySource 1 needs CPUID.19H:ECX[1]: both 0 here.
        if (keySource > 1 || (eax >>> 5) != 0 || (eax & 1) != 0 || keySource == 1) {
            throw CpuException.gp(0);
        }
        int src1 = d.reg[0];
        int src2 = d.reg[1];
        long[] k = c.iwKey;
        // IWKey.EncryptionKey[127:0] = SRC2, [255:128] = SRC1; IntegrityKey = XMM0.
        k[0] = c.xmm[2 * src2];
        k[1] = c.xmm[2 * src2 + 1];
        k[2] = c.xmm[2 * src1];
        k[3] = c.xmm[2 * src1 + 1];
        k[4] = c.xmm[0];
        k[5] = c.xmm[1];
        k[6] = eax & 0x1F;
        // RFLAGS.ZF = 0 (success); OF, SF, AF, PF, CF = 0.
        c.flags.set(0);
    }
}
