package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuException;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.insn.VmInstructionError;
import dev.vmx4j.vmx.insn.VmFailInvalid;
import dev.vmx4j.vmx.insn.VmFailValid;
import dev.vmx4j.vmx.insn.VmSucceed;
import dev.vmx4j.vmx.insn.VmxResult;

/**
 * INVEPT and INVVPID: their checks in SDM order and the invalidation. MANUAL: the software TLB
 * is tagged neither by EPTP nor by VPID, so every valid invalidation flushes all of it: the SDM
 * always allows invalidating more than asked.
 */
final class InvalidationInstructions {

    /** IA32_VMX_EPT_VPID_CAP bits (SDM appendix "VPID and EPT Capabilities"). */
    static final long CAP_INVEPT = 1L << 20;
    static final long CAP_INVEPT_SINGLE_CONTEXT = 1L << 25;
    static final long CAP_INVEPT_ALL_CONTEXT = 1L << 26;
    static final long CAP_INVVPID = 1L << 32;
    static final long CAP_INVVPID_INDIVIDUAL_ADDRESS = 1L << 40;
    static final long CAP_INVVPID_SINGLE_CONTEXT = 1L << 41;
    static final long CAP_INVVPID_ALL_CONTEXT = 1L << 42;
    static final long CAP_INVVPID_SINGLE_CONTEXT_RETAINING_GLOBALS = 1L << 43;

    private InvalidationInstructions() {
    }

    /** SDM "INVEPT—Invalidate Translations Derived from EPT". */
    static void invept(Vmx vmx, Cpu c, DecodedInstruction d) {
        VmxInstructions in = vmx.instructions;
        // SDM "INVEPT", Protected Mode Exceptions: #UD "If the logical processor does not support
        // EPT" or "does not support the INVEPT instruction".
        if (!vmx.eptSupported() || (vmx.eptVpidCap() & CAP_INVEPT) == 0) {
            throw CpuException.ud();
        }
        in.requireVmxOperationMode();
        in.exitIfNonRoot(ExitReason.INVEPT, d);
        in.requireCpl0();
        long type = c.reg(d.reg[0], VmxOperands.operandSize(c));
        long cap = vmx.eptVpidCap();
        boolean supported = (type == 1 && (cap & CAP_INVEPT_SINGLE_CONTEXT) != 0)
                || (type == 2 && (cap & CAP_INVEPT_ALL_CONTEXT) != 0);
        if (!supported) {
            in.complete(in.fail(VmInstructionError.INVALID_OPERAND_TO_INVEPT_INVVPID));
            return;
        }
        long off = VmxOperands.ea(c, d);
        long eptp = c.readMem(d.memSegment, off, 8);
        c.readMem(d.memSegment, off + 8, 8);
        if (type == 1 && !vmx.validEptp(eptp)) {
            in.complete(in.fail(VmInstructionError.INVALID_OPERAND_TO_INVEPT_INVVPID));
            return;
        }
        c.flushTlb();
        in.complete(VmSucceed.INSTANCE);
    }

    /** SDM "INVVPID—Invalidate Translations Based on VPID". */
    static void invvpid(Vmx vmx, Cpu c, DecodedInstruction d) {
        VmxInstructions in = vmx.instructions;
        if (!vmx.vpidSupported() || (vmx.eptVpidCap() & CAP_INVVPID) == 0) {
            throw CpuException.ud();
        }
        in.requireVmxOperationMode();
        in.exitIfNonRoot(ExitReason.INVVPID, d);
        in.requireCpl0();
        long type = c.reg(d.reg[0], VmxOperands.operandSize(c));
        long cap = vmx.eptVpidCap();
        boolean supported = (type == 0 && (cap & CAP_INVVPID_INDIVIDUAL_ADDRESS) != 0)
                || (type == 1 && (cap & CAP_INVVPID_SINGLE_CONTEXT) != 0)
                || (type == 2 && (cap & CAP_INVVPID_ALL_CONTEXT) != 0)
                || (type == 3 && (cap & CAP_INVVPID_SINGLE_CONTEXT_RETAINING_GLOBALS) != 0);
        if (!supported) {
            in.complete(in.fail(VmInstructionError.INVALID_OPERAND_TO_INVEPT_INVVPID));
            return;
        }
        long off = VmxOperands.ea(c, d);
        long low = c.readMem(d.memSegment, off, 8);
        long linear = c.readMem(d.memSegment, off + 8, 8);
        int vpid = (int) (low & 0xFFFF);
        // SDM "INVVPID": "IF INVVPID_DESC[63:16] ≠ 0 THEN VMfail(Invalid operand to INVEPT/INVVPID)";
        // type 0 needs a non-zero VPID and a canonical linear address, types 1 and 3 a non-zero VPID.
        boolean invalid = (low >>> 16) != 0
                || (type == 0 && (vpid == 0 || (linear << 16 >> 16) != linear))
                || ((type == 1 || type == 3) && vpid == 0);
        if (invalid) {
            in.complete(in.fail(VmInstructionError.INVALID_OPERAND_TO_INVEPT_INVVPID));
            return;
        }
        c.flushTlb();
        in.complete(VmSucceed.INSTANCE);
    }
}
