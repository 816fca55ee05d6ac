package dev.vmx4j.core.cpu.vmx;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;

import dev.vmx4j.core.cpu.Cpu;
import dev.vmx4j.core.cpu.VmxCpuAccess;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;

/**
 * VM functions (SDM "VM Functions", "VMFUNC—Invoke VM Function"): VMFUNC in VMX non-root
 * operation with "enable VM functions" = 1 runs the function EAX names if its bit in the
 * VM-function controls is 1; function 0 is EPTP switching. Anything else is a VM exit with
 * reason 59 (VMFUNC), which the caller raises when {@link #invoke} returns false.
 */
final class VmFunctions {

    /** VM function 0 (SDM "EPTP Switching"). */
    static final int EPTP_SWITCHING = 0;
    /** Entries in the EPTP list (a 4-KByte page of 8-byte EPTPs). */
    static final int EPTP_LIST_ENTRIES = 512;

    private VmFunctions() {
    }

    /**
     * Runs the VM function EAX selects; false when the SDM calls for a VM exit instead:
     * "IF EAX > 63 OR VM-function control[EAX] = 0 THEN VM exit" and the function's own failures.
     */
    static boolean invoke(Vmx vmx, Cpu c, long vmFunctionControls) {
        long eax = c.gpr[0] & 0xFFFFFFFFL;
        if (eax > 63 || (vmFunctionControls >>> eax & 1) == 0) {
            return false;
        }
        if (eax == EPTP_SWITCHING) {
            return eptpSwitching(vmx, c);
        }
        // MANUAL: IA32_VMX_VMFUNC allows only function 0, so VM entry never leaves another
        // function's control set; were it set, the function does not exist: VM exit.
        return false;
    }

    /**
     * SDM "EPTP Switching": "IF ECX ≥ 512 THEN VM exit; ELSE tent_EPTP ← 8 bytes from EPTP-list
     * address + 8 * ECX; IF tent_EPTP is not a valid EPTP value (as would be detected if it were
     * used as the EPTP by VM entry) THEN VM exit; ELSE write tent_EPTP to the EPTP field in the
     * current VMCS; use tent_EPTP as the new EPTP value for address translation." MANUAL: the
     * PDPTEs of a PAE guest are not reloaded (SDM "EPTP Switching" says so).
     */
    private static boolean eptpSwitching(Vmx vmx, Cpu c) {
        Vmcs v = vmx.current;
        long ecx = c.gpr[1] & 0xFFFFFFFFL;
        if (ecx >= EPTP_LIST_ENTRIES) {
            return false;
        }
        long eptp = c.memory().read64(v.get(EPTP_LIST_ADDRESS) + 8 * ecx);
        if (!vmx.validEptp(eptp)) {
            return false;
        }
        v.set(EPT_POINTER, eptp);
        // "If the processor supports the 1-setting of the 'EPT-violation #VE' VM-execution
        // control, an EPTP-switching VMFUNC loads the value in ECX[15:0] into the EPTP-index field."
        boolean veSupported = vmx.caps.allowed(SecondaryProcBasedControl.EPT_VIOLATION_VE, true);
        if (veSupported) {
            v.set(EPTP_INDEX, ecx & 0xFFFF);
        }
        VmxCpuAccess.switchEptp(c, eptp, veSupported ? (int) ecx & 0xFFFF : (int) v.get(EPTP_INDEX));
        return true;
    }
}
