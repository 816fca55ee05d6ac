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
import dev.vmx4j.vmx.vmcs.VmcsField;
import dev.vmx4j.vmx.vmcs.VmcsFieldType;

/**
 * The VMX instructions, each with the checks of its SDM instruction page in their order: #UD,
 * then the VM exit in VMX non-root operation, then #GP(0), then the memory operand, then
 * VMfailInvalid/VMfailValid. The outcome of a completed instruction is a {@link VmxResult},
 * applied to RFLAGS (and the VM-instruction error field) in one place, {@link #complete}.
 */
final class VmxInstructions {

    private final Vmx vmx;
    private final Cpu c;

    VmxInstructions(Vmx vmx, Cpu c) {
        this.vmx = vmx;
        this.c = c;
    }

    /**
     * Executes VMX instruction {@code d}. Each instruction method also serves the Java host API
     * ({@code d == null}): the operand the instruction would read from memory or a register is
     * then passed as a value, and everything else runs the same way.
     */
    void execute(DecodedInstruction d) {
        switch (d.mnemonic) {
            case VMXON:
                vmxon(d, 0);
                break;
            case VMXOFF:
                vmxoff(d);
                break;
            case VMCLEAR:
                vmclear(d, 0);
                break;
            case VMPTRLD:
                vmptrld(d, 0);
                break;
            case VMPTRST:
                vmptrst(d);
                break;
            case VMREAD:
                vmread(d, 0);
                break;
            case VMWRITE:
                vmwrite(d, 0, 0);
                break;
            case VMLAUNCH:
            case VMRESUME:
                vmlaunchOrResume(d, d.mnemonic == dev.vmx4j.core.decoder.Mnemonic.VMLAUNCH);
                break;
            case VMCALL:
                vmcall(d);
                break;
            case INVEPT:
                InvalidationInstructions.invept(vmx, c, d);
                break;
            case INVVPID:
                InvalidationInstructions.invvpid(vmx, c, d);
                break;
            case VMFUNC:
                vmfunc(d);
                break;
            default:
                throw new IllegalArgumentException("not a VMX instruction: " + d.mnemonic);
        }
    }

    // ---------------------------------------------------------------- common checks

    /** IA32_EFER.LMA = 1 and CS.L = 0. */
    boolean compatibilityMode() {
        return (c.efer & Cpu.EFER_LMA) != 0 && !c.is64BitMode();
    }

    boolean virtual8086() {
        return VmxCpuAccess.virtual8086(c);
    }

    /**
     * The #UD line shared by VMCLEAR, VMPTRLD, VMPTRST, VMLAUNCH, VMRESUME, VMXOFF, INVEPT and
     * INVVPID: "IF (not in VMX operation) or (CR0.PE = 0) or (RFLAGS.VM = 1) or (IA32_EFER.LMA =
     * 1 and CS.L = 0) THEN #UD".
     */
    void requireVmxOperationMode() {
        if (!vmx.inOperation || (c.cr0 & Cpu.CR0_PE) == 0 || virtual8086() || compatibilityMode()) {
            throw CpuException.ud();
        }
    }

    /** "ELSIF in VMX non-root operation THEN VM exit" for an unconditionally exiting instruction. */
    void exitIfNonRoot(ExitReason reason, DecodedInstruction d) {
        if (vmx.nonRoot) {
            if (d == null) {
                throw new IllegalStateException("the host API cannot execute " + reason
                        + " while the guest runs (VMX non-root operation)");
            }
            throw vmx.instructionExit(reason, d);
        }
    }

    void requireCpl0() {
        if (c.cpl != 0) {
            throw CpuException.gp(0);
        }
    }

    /** SDM "Conventions": VMfail(ErrorNumber) is VMfailValid with a current VMCS, else VMfailInvalid. */
    VmxResult fail(VmInstructionError error) {
        return vmx.current != null ? VmFailValid.of(error) : VmFailInvalid.INSTANCE;
    }

    /**
     * SDM "Conventions": the one place where an outcome reaches RFLAGS; VMfailValid also stores
     * the error number in the VM-instruction error field of the current VMCS.
     */
    void complete(VmxResult r) {
        if (r == VmSucceed.INSTANCE) {
            succeed();
            return;
        }
        if (r instanceof VmFailValid) {
            vmx.current.set(VmcsField.VM_INSTRUCTION_ERROR, ((VmFailValid) r).error().number());
        }
        c.setRflags(r.applyTo(c.rflags()));
        vmx.hostApi.completed(r);
    }

    /** {@link #complete} of VMsucceed (PERF: RFLAGS stays as it is but for the arithmetic flags). */
    void succeed() {
        VmxCpuAccess.vmSucceed(c);
        vmx.hostApi.completed(VmSucceed.INSTANCE);
    }

    /** A VMXON/VMCLEAR/VMPTRLD address: 4 KiB aligned and within the physical-address width. */
    boolean validRegionAddress(long addr) {
        return (addr & 0xFFF) == 0 && (addr >>> vmx.physicalAddressWidth()) == 0;
    }

    // ---------------------------------------------------------------- the instructions

    /** SDM "VMXON—Enter VMX Operation". */
    void vmxon(DecodedInstruction d, long pointer) {
        if ((d != null && !VmxOperands.isMemory(d, 0)) || (c.cr0 & Cpu.CR0_PE) == 0 || (c.cr4 & Vmx.CR4_VMXE) == 0
                || virtual8086() || compatibilityMode()) {
            throw CpuException.ud();
        }
        if (!vmx.inOperation) {
            // MANUAL: vmx4j has no A20M signal and no SMX operation (GETSEC is not offered), so
            // the A20M and the "in SMX operation" conditions are never true.
            long fc = c.msr(Vmx.IA32_FEATURE_CONTROL);
            if (c.cpl > 0 || !vmx.fixedBitsHold(c.cr0, c.cr4) || (fc & Vmx.FEATURE_CONTROL_LOCK) == 0
                    || (fc & Vmx.FEATURE_CONTROL_VMX_OUTSIDE_SMX) == 0) {
                throw CpuException.gp(0);
            }
            long addr = d != null ? VmxOperands.readPointer(c, d) : pointer;
            if (!validRegionAddress(addr)) {
                complete(VmFailInvalid.INSTANCE);
                return;
            }
            int rev = c.memory().read32(addr);
            if ((rev & 0x7FFFFFFF) != vmx.revisionId() || rev < 0) {
                complete(VmFailInvalid.INSTANCE);
                return;
            }
            vmx.enterVmxOperation(addr);
            complete(VmSucceed.INSTANCE);
            return;
        }
        exitIfNonRoot(ExitReason.VMXON, d);
        requireCpl0();
        complete(fail(VmInstructionError.VMXON_EXECUTED_IN_VMX_ROOT_OPERATION));
    }

    /** SDM "VMXOFF—Leave VMX Operation". */
    void vmxoff(DecodedInstruction d) {
        requireVmxOperationMode();
        exitIfNonRoot(ExitReason.VMXOFF, d);
        requireCpl0();
        // MANUAL: the dual-monitor treatment of SMIs and SMM is never active in vmx4j.
        vmx.leaveVmxOperation();
        complete(VmSucceed.INSTANCE);
    }

    /** SDM "VMCLEAR—Clear Virtual-Machine Control Structure". */
    void vmclear(DecodedInstruction d, long pointer) {
        if (d != null && !VmxOperands.isMemory(d, 0)) {
            throw CpuException.ud();
        }
        requireVmxOperationMode();
        exitIfNonRoot(ExitReason.VMCLEAR, d);
        requireCpl0();
        long addr = d != null ? VmxOperands.readPointer(c, d) : pointer;
        if (!validRegionAddress(addr)) {
            complete(fail(VmInstructionError.VMCLEAR_WITH_INVALID_PHYSICAL_ADDRESS));
        } else if (addr == vmx.vmxonPointer) {
            complete(fail(VmInstructionError.VMCLEAR_WITH_VMXON_POINTER));
        } else {
            vmx.clear(addr);
            complete(VmSucceed.INSTANCE);
        }
    }

    /** SDM "VMPTRLD—Load Pointer to Virtual-Machine Control Structure". */
    void vmptrld(DecodedInstruction d, long pointer) {
        if (d != null && !VmxOperands.isMemory(d, 0)) {
            throw CpuException.ud();
        }
        requireVmxOperationMode();
        exitIfNonRoot(ExitReason.VMPTRLD, d);
        requireCpl0();
        long addr = d != null ? VmxOperands.readPointer(c, d) : pointer;
        if (!validRegionAddress(addr)) {
            complete(fail(VmInstructionError.VMPTRLD_WITH_INVALID_PHYSICAL_ADDRESS));
            return;
        }
        if (addr == vmx.vmxonPointer) {
            complete(fail(VmInstructionError.VMPTRLD_WITH_VMXON_POINTER));
            return;
        }
        int rev = c.memory().read32(addr);
        if ((rev & 0x7FFFFFFF) != vmx.revisionId() || (rev < 0 && !vmx.vmcsShadowingAllowed())) {
            complete(fail(VmInstructionError.VMPTRLD_WITH_INCORRECT_VMCS_REVISION_IDENTIFIER));
            return;
        }
        vmx.makeCurrent(addr);
        complete(VmSucceed.INSTANCE);
    }

    /** SDM "VMPTRST—Store Pointer to Virtual-Machine Control Structure". */
    long vmptrst(DecodedInstruction d) {
        if (d != null && !VmxOperands.isMemory(d, 0)) {
            throw CpuException.ud();
        }
        requireVmxOperationMode();
        exitIfNonRoot(ExitReason.VMPTRST, d);
        requireCpl0();
        long pointer = vmx.currentVmcsPointer();
        if (d != null) {
            VmxOperands.writePointer(c, d, pointer);
        }
        complete(VmSucceed.INSTANCE);
        return pointer;
    }

    /**
     * SDM "VMREAD—Read Field from Virtual-Machine Control Structure". The destination is written
     * before RFLAGS, so a faulting memory destination leaves RFLAGS as it was.
     */
    long vmread(DecodedInstruction d, long apiEncoding) {
        if (!vmx.inOperation || virtual8086() || compatibilityMode()) {
            throw CpuException.ud();
        }
        Vmcs target = vmx.current;
        long encoding;
        if (vmx.nonRoot) {
            // SDM "VMREAD": "ELSIF in VMX non-root operation AND ("VMCS shadowing" is 0 OR source
            // operand sets bits in range 63:15 OR VMREAD bit corresponding to bits 14:0 of source
            // operand is 1) THEN VMexit"; otherwise the shadow VMCS is read.
            encoding = d != null ? VmxOperands.register(c, d, 1) : apiEncoding;
            if (d == null || !vmx.shadowing.serves(encoding, false)) {
                exitIfNonRoot(ExitReason.VMREAD, d);
            }
            requireCpl0();
            target = vmx.shadowing.shadow();
        } else {
            requireCpl0();
            encoding = d != null ? VmxOperands.register(c, d, 1) : apiEncoding;
        }
        // "(in VMX root operation AND current-VMCS pointer is not valid) OR (in VMX non-root
        // operation AND VMCS link pointer is not valid) THEN VMfailInvalid".
        if (target == null) {
            complete(VmFailInvalid.INSTANCE);
            return 0;
        }
        VmcsField f = vmx.supportedField(encoding);
        if (f == null) {
            complete(fail(VmInstructionError.VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT));
            return 0;
        }
        long value = target.get(f);
        if (VmcsField.isHighAccess((int) encoding)) {
            value >>>= 32;
        }
        if (d != null) {
            VmxOperands.write(c, d, 0, value);
        }
        complete(VmSucceed.INSTANCE);
        return value;
    }

    /** SDM "VMWRITE—Write Field to Virtual-Machine Control Structure". */
    void vmwrite(DecodedInstruction d, long apiEncoding, long apiValue) {
        if (!vmx.inOperation || virtual8086() || compatibilityMode()) {
            throw CpuException.ud();
        }
        Vmcs target = vmx.current;
        if (vmx.nonRoot) {
            // SDM "VMWRITE": "ELSIF in VMX non-root operation AND ("VMCS shadowing" is 0 OR
            // secondary source operand sets bits in range 63:15 OR VMWRITE bit corresponding to
            // bits 14:0 of secondary source operand is 1) THEN VMexit"; otherwise the shadow
            // VMCS is written.
            if (d == null || !vmx.shadowing.serves(VmxOperands.register(c, d, 0), true)) {
                exitIfNonRoot(ExitReason.VMWRITE, d);
            }
            requireCpl0();
            target = vmx.shadowing.shadow();
        } else {
            requireCpl0();
        }
        if (target == null) {
            complete(VmFailInvalid.INSTANCE);
            return;
        }
        // MANUAL: the primary source is read before the field checks (as KVM's nested VMX
        // does); a faulting memory source leaves RFLAGS and the VMCS untouched.
        long value = d != null ? VmxOperands.read(c, d, 1) : apiValue;
        long encoding = d != null ? VmxOperands.register(c, d, 0) : apiEncoding;
        VmcsField f = vmx.supportedField(encoding);
        if (f == null) {
            complete(fail(VmInstructionError.VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT));
            return;
        }
        // SDM "VMWRITE": a VM-exit information field without IA32_VMX_MISC[29] ("VMWRITE to
        // any supported field") is "VMfailValid(VMWRITE to read-only VMCS component)", for the
        // shadow VMCS as for the current VMCS.
        if (f.type() == VmcsFieldType.VM_EXIT_INFORMATION && !vmx.vmwriteToAnyField()) {
            complete(fail(VmInstructionError.VMWRITE_TO_READ_ONLY_VMCS_COMPONENT));
            return;
        }
        if (VmcsField.isHighAccess((int) encoding)) {
            // SDM "VMREAD, VMWRITE, and Encodings of VMCS Fields": the high access type writes
            // bits 63:32 of the 64-bit field.
            value = (target.get(f) & 0xFFFFFFFFL) | (value << 32);
        }
        target.set(f, value);
        complete(VmSucceed.INSTANCE);
    }

    /** SDM "VMLAUNCH/VMRESUME—Launch/Resume Virtual Machine": the instruction's own checks. */
    void vmlaunchOrResume(DecodedInstruction d, boolean launch) {
        requireVmxOperationMode();
        exitIfNonRoot(launch ? ExitReason.VMLAUNCH : ExitReason.VMRESUME, d);
        requireCpl0();
        Vmcs v = vmx.current;
        if (v == null || vmx.currentIsShadow()) {
            complete(VmFailInvalid.INSTANCE);
            return;
        }
        if (vmx.blockedByMovSs()) {
            complete(fail(VmInstructionError.VM_ENTRY_WITH_EVENTS_BLOCKED_BY_MOV_SS));
            return;
        }
        if (launch && v.launched()) {
            complete(fail(VmInstructionError.VMLAUNCH_WITH_NON_CLEAR_VMCS));
            return;
        }
        if (!launch && !v.launched()) {
            complete(fail(VmInstructionError.VMRESUME_WITH_NON_LAUNCHED_VMCS));
            return;
        }
        VmxResult r = vmx.entry.enter(v, launch, d);
        if (r != null) {
            complete(r);
        }
    }

    /** SDM "VMCALL—Call to VM Monitor". */
    void vmcall(DecodedInstruction d) {
        if (!vmx.inOperation) {
            throw CpuException.ud();
        }
        exitIfNonRoot(ExitReason.VMCALL, d);
        if (virtual8086() || compatibilityMode()) {
            throw CpuException.ud();
        }
        requireCpl0();
        // SDM "VMCALL": with the dual-monitor treatment not active and IA32_SMM_MONITOR_CTL[0] = 0
        // (vmx4j has no SMM monitor), "VMfail (VMCALL executed in VMX root operation)".
        complete(fail(VmInstructionError.VMCALL_EXECUTED_IN_VMX_ROOT_OPERATION));
    }

    /**
     * SDM "VMFUNC—Invoke VM function": #UD outside VMX non-root operation and when "enable VM
     * functions" is 0; a VM function that is not enabled (or EAX &ge; 64) causes a VM exit.
     */
    private void vmfunc(DecodedInstruction d) {
        if (!vmx.nonRoot || !vmx.vmFunctionsEnabled()) {
            throw CpuException.ud();
        }
        vmx.vmfunc(d);
    }
}
