package dev.vmx4j.core.cpu;

import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;

/**
 * LAR, LSL, VERR, VERW: questions about a selector answered in ZF, never by a fault on the
 * selector itself (SDM "LAR—Load Access Rights Byte": "if the selector is null, beyond the
 * table limit, or the descriptor is not valid or not accessible, ZF is cleared").
 */
final class DescriptorQueries {

    private DescriptorQueries() {
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        if (!c.protectedMode()) {
            throw CpuException.ud();
        }
        Mnemonic m = d.mnemonic;
        int selector = (int) x.read(d, m == Mnemonic.VERR || m == Mnemonic.VERW ? 0 : 1) & 0xFFFF;
        long desc = descriptor(c, selector);
        boolean ok = desc != 0 && valid(c, m, selector, desc);
        c.flags.setZf(ok);
        if (!ok) {
            return;
        }
        if (m == Mnemonic.LAR) {
            long ar = (desc >>> 32) & (d.size[0] == 2 ? 0xFF00L : 0x00F0FF00L);
            x.write(d, 0, ar);
        } else if (m == Mnemonic.LSL) {
            x.write(d, 0, EventDelivery.limitFromDescriptor(desc) & 0xFFFFFFFFL);
        }
    }

    /** The descriptor, or 0 for a null selector or one beyond the GDT/LDT limit. */
    private static long descriptor(Cpu c, int selector) {
        if ((selector & 0xFFFC) == 0) {
            return 0;
        }
        long limit = (selector & 4) != 0 ? c.seg[Cpu.SEG_LDTR].limit & 0xFFFFFFFFL : c.gdtrLimit & 0xFFFFL;
        if ((selector & 4) != 0 && (c.seg[Cpu.SEG_LDTR].ar & SegmentState.AR_UNUSABLE) != 0) {
            return 0;
        }
        if ((selector & 0xFFF8) + 7L > limit) {
            return 0;
        }
        return c.events.readDescriptor(selector, 0);
    }

    private static boolean valid(Cpu c, Mnemonic m, int selector, long desc) {
        int ar = EventDelivery.arFromDescriptor(desc);
        int type = ar & 0xF;
        int dpl = ar >>> 5 & 3;
        boolean system = (ar & SegmentState.AR_S) == 0;
        boolean code = !system && (type & 8) != 0;
        boolean conformingCode = code && (type & 4) != 0;
        if (system) {
            if (m == Mnemonic.VERR || m == Mnemonic.VERW) {
                return false;
            }
            // SDM "LAR"/"LSL" valid system types: LDT, TSSs (and call/task gates for LAR outside IA-32e mode).
            boolean ia32e = c.longModeActive();
            boolean typeOk = ia32e ? (type == 2 || type == 9 || type == 11 || (m == Mnemonic.LAR && type == 12))
                    : (type == 1 || type == 2 || type == 3 || type == 9 || type == 11
                    || (m == Mnemonic.LAR && (type == 4 || type == 5 || type == 12)));
            if (!typeOk) {
                return false;
            }
        } else if (m == Mnemonic.VERR && code && (type & 2) == 0) {
            return false;
        } else if (m == Mnemonic.VERW && (code || (type & 2) == 0)) {
            return false;
        }
        if (!conformingCode && dpl < Math.max(c.cpl, selector & 3)) {
            return false;
        }
        return true;
    }
}
