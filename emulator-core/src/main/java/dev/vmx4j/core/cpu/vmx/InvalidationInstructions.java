package dev.vmx4j.core.cpu.vmx;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.CpuException;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.insn.VmInstructionError;
import dev.vmx4j.vmx.insn.VmFailInvalid;
import dev.vmx4j.vmx.insn.VmFailValid;
import dev.vmx4j.vmx.insn.VmSucceed;
import dev.vmx4j.vmx.insn.VmxResult;

/**
 * INVEPT and INVVPID: their checks in SDM order and the invalidation of the software TLB's
 * tagged contexts (SDM "Invalidation of TLBs and Paging-Structure Caches"). MANUAL: PCIDs and
 * global pages are not tagged, so single-context-retaining-globals invalidates like
 * single-context (the SDM allows invalidating more than asked).
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
        invept(vmx, c, d, 0, 0);
    }

    /**
     * INVEPT; with {@code d} null (the host API) the type is {@code hostType} and the
     * descriptor's EPTP {@code hostEptp} instead of the register and memory operands.
     */
    static void invept(Vmx vmx, Cpu c, DecodedInstruction d, long hostType, long hostEptp) {
        VmxInstructions in = vmx.instructions;
        // SDM "INVEPT", Protected Mode Exceptions: #UD "If the logical processor does not support
        // EPT" or "does not support the INVEPT instruction".
        if (!vmx.eptSupported() || (vmx.eptVpidCap() & CAP_INVEPT) == 0) {
            throw CpuException.ud();
        }
        in.requireVmxOperationMode();
        in.exitIfNonRoot(ExitReason.INVEPT, d);
        in.requireCpl0();
        long type = d == null ? hostType : c.reg(d.reg[0], VmxOperands.operandSize(c));
        long cap = vmx.eptVpidCap();
        boolean supported = (type == 1 && (cap & CAP_INVEPT_SINGLE_CONTEXT) != 0)
                || (type == 2 && (cap & CAP_INVEPT_ALL_CONTEXT) != 0);
        if (!supported) {
            in.complete(in.fail(VmInstructionError.INVALID_OPERAND_TO_INVEPT_INVVPID));
            return;
        }
        long eptp = hostEptp;
        if (d != null) {
            long off = VmxOperands.ea(c, d);
            eptp = c.readMem(d.memSegment, off, 8);
            c.readMem(d.memSegment, off + 8, 8);
        }
        if (type == 1 && !vmx.validEptp(eptp)) {
            in.complete(in.fail(VmInstructionError.INVALID_OPERAND_TO_INVEPT_INVVPID));
            return;
        }
        // SDM "INVEPT": single-context invalidates the mappings derived from the descriptor's
        // EPTP (its EP4TA) for all VPIDs and PCIDs; all-context those of every EPTP.
        if (type == 1) {
            VmxCpuAccess.invalidateEptp(c, eptp);
        } else {
            VmxCpuAccess.invalidateAllEptps(c);
        }
        in.complete(VmSucceed.INSTANCE);
    }

    /** SDM "INVVPID—Invalidate Translations Based on VPID". */
    static void invvpid(Vmx vmx, Cpu c, DecodedInstruction d) {
        invvpid(vmx, c, d, 0, 0, 0);
    }

    /**
     * INVVPID; with {@code d} null (the host API) the type is {@code hostType} and the
     * descriptor {@code hostLow} (VPID in bits 15:0) and {@code hostLinear}.
     */
    static void invvpid(Vmx vmx, Cpu c, DecodedInstruction d, long hostType, long hostLow, long hostLinear) {
        VmxInstructions in = vmx.instructions;
        if (!vmx.vpidSupported() || (vmx.eptVpidCap() & CAP_INVVPID) == 0) {
            throw CpuException.ud();
        }
        in.requireVmxOperationMode();
        in.exitIfNonRoot(ExitReason.INVVPID, d);
        in.requireCpl0();
        long type = d == null ? hostType : c.reg(d.reg[0], VmxOperands.operandSize(c));
        long cap = vmx.eptVpidCap();
        boolean supported = (type == 0 && (cap & CAP_INVVPID_INDIVIDUAL_ADDRESS) != 0)
                || (type == 1 && (cap & CAP_INVVPID_SINGLE_CONTEXT) != 0)
                || (type == 2 && (cap & CAP_INVVPID_ALL_CONTEXT) != 0)
                || (type == 3 && (cap & CAP_INVVPID_SINGLE_CONTEXT_RETAINING_GLOBALS) != 0);
        if (!supported) {
            in.complete(in.fail(VmInstructionError.INVALID_OPERAND_TO_INVEPT_INVVPID));
            return;
        }
        long low = hostLow;
        long linear = hostLinear;
        if (d != null) {
            long off = VmxOperands.ea(c, d);
            low = c.readMem(d.memSegment, off, 8);
            linear = c.readMem(d.memSegment, off + 8, 8);
        }
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
        // SDM "INVVPID": individual-address, single-context (with or without globals) and
        // all-context (every VPID but 0000H).
        switch ((int) type) {
            case 0 -> VmxCpuAccess.invalidateVpidAddress(c, vpid, linear);
            case 2 -> VmxCpuAccess.invalidateAllVpids(c);
            case 3 -> VmxCpuAccess.invalidateVpidNonGlobal(c, vpid);
            default -> VmxCpuAccess.invalidateVpid(c, vpid);
        }
        in.complete(VmSucceed.INSTANCE);
    }
}
