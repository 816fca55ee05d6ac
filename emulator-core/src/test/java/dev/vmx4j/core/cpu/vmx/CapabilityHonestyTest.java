package dev.vmx4j.core.cpu.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.controls.VmxCapabilities;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A shipped profile advertises (allowed-1) only the VMX controls vmx4j implements
 * ({@link ImplementedControls}) plus the default1 bits its allowed-0 settings force. The one
 * exception is the Bochs-recorded {@code corei7_icelake_u}, kept bit for bit for side-by-side
 * runs (docs/VMX.md lists what it advertises beyond vmx4j).
 */
class CapabilityHonestyTest {

    static final String BOCHS_RECORDED = "corei7_icelake_u";

    /** The allowed-1 bits of a vector that are neither implemented nor forced to 1. */
    static long unimplemented(long allowed0, long allowed1, long implemented) {
        return allowed1 & ~allowed0 & ~implemented;
    }

    static List<String> problems(CpuProfile p) {
        VmxCapabilities c = VmxCapabilities.of(p);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        if (!c.supported()) {
            return out;
        }
        check(out, "pin-based", unimplemented(c.pinAllowed0(), c.pinAllowed1(), ImplementedControls.PIN_BASED));
        check(out, "primary", unimplemented(c.primaryAllowed0(), c.primaryAllowed1(), ImplementedControls.PRIMARY));
        if (c.allowed(PrimaryProcBasedControl.ACTIVATE_SECONDARY_CONTROLS, true)) {
            check(out, "secondary", unimplemented(c.secondaryAllowed0(), c.secondaryAllowed1(),
                    ImplementedControls.SECONDARY));
        }
        check(out, "tertiary", unimplemented(c.tertiaryAllowed0(), c.tertiaryAllowed1(), ImplementedControls.TERTIARY));
        check(out, "exit", unimplemented(c.exitAllowed0(), c.exitAllowed1(), ImplementedControls.EXIT));
        check(out, "entry", unimplemented(c.entryAllowed0(), c.entryAllowed1(), ImplementedControls.ENTRY));
        if (!c.allowed(SecondaryProcBasedControl.ENABLE_EPT, true)) {
            // SDM "VPID and EPT Capabilities": without EPT only the VPID/INVVPID bits mean anything.
            check(out, "IA32_VMX_EPT_VPID_CAP EPT bits", c.eptVpidCapMsr() & ~(1L << 32 | 0xFL << 40));
        }
        // kvm-unit-tests' test_vmcs_high and the SDM: IA32_VMX_VMCS_ENUM[9:1] is the highest index of
        // any supported field.
        if (c.highestVmcsIndex() != c.impliedHighestVmcsIndex()) {
            out.add(String.format("IA32_VMX_VMCS_ENUM index 0x%x, the controls support fields up to 0x%x",
                    c.highestVmcsIndex(), c.impliedHighestVmcsIndex()));
        }
        return out;
    }

    private static void check(List<String> out, String what, long bits) {
        if (bits != 0) {
            out.add(String.format("%s advertises unimplemented bits 0x%x", what, bits));
        }
    }

    @Test
    void everyShippedProfileButTheBochsRecordedOne_advertisesOnlyImplementedControls() {
        List<String> checked = CpuProfile.BUILT_IN.stream().filter(n -> !n.equals(BOCHS_RECORDED))
                .collect(Collectors.toList());
        assertThat(checked).as("an honest default profile is shipped").isNotEmpty();
        for (String name : checked) {
            assertThat(problems(CpuProfile.builtIn(name))).as(name).isEmpty();
        }
    }

    @Test
    void theBochsRecordedProfile_isTheDocumentedException_itAdvertisesMore() {
        assertThat(problems(CpuProfile.builtIn(BOCHS_RECORDED))).isNotEmpty();
    }

    @Test
    void theDefaultProfileSupportsVmx_withTheControlsTheTestsUse() {
        VmxCapabilities c = VmxCapabilities.of(CpuProfile.defaultProfile());
        assertThat(c.supported()).isTrue();
        assertThat(c.allowed(PrimaryProcBasedControl.HLT_EXITING, true)).isTrue();
        assertThat(c.allowed(PrimaryProcBasedControl.USE_MSR_BITMAPS, true)).isTrue();
        // EPT, unrestricted guests and PML run under the CPU's EPT stage (EptUnderTheCpuTest,
        // PmlUnderTheCpuTest, vmx-ept), #VE (VirtualizationExceptionTest) and VMFUNC EPTP switching
        // (VmFunctionsUnderTheCpuTest).
        assertThat(c.allowed(SecondaryProcBasedControl.ENABLE_EPT, true)).isTrue();
        assertThat(c.allowed(SecondaryProcBasedControl.UNRESTRICTED_GUEST, true)).isTrue();
        assertThat(c.allowed(SecondaryProcBasedControl.ENABLE_PML, true)).isTrue();
        assertThat(c.allowed(SecondaryProcBasedControl.ENABLE_VPID, true)).isTrue();
        assertThat(c.allowed(SecondaryProcBasedControl.EPT_VIOLATION_VE, true)).isTrue();
        assertThat(c.allowed(SecondaryProcBasedControl.ENABLE_VM_FUNCTIONS, true)).isTrue();
        assertThat(c.vmfunc()).as("IA32_VMX_VMFUNC: EPTP switching only").isEqualTo(1);
    }
}
