package dev.vmx4j.vmx.controls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.insn.VmInstructionError;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.vmcs.VmcsFeature;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VmxCapabilitiesTest {

    private static final VmxCapabilities ICELAKE = VmxCapabilities.of(CpuProfile.builtIn("corei7_icelake_u"));

    /** The built-in icelake profile with one {@code msr} line replaced (or removed if value is null). */
    static CpuProfile icelakeWith(int msr, Long value) throws IOException {
        return icelakeWith(msr, value, "");
    }

    /** Same, with {@code extra} profile lines appended. */
    static CpuProfile icelakeWith(int msr, Long value, String extra) throws IOException {
        String text;
        try (InputStream in = CpuProfile.class.getResourceAsStream("corei7_icelake_u.profile")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String prefix = String.format("msr 0x%x ", msr);
        StringBuilder b = new StringBuilder();
        boolean found = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(prefix)) {
                found = true;
                if (value != null) {
                    b.append(prefix).append(String.format("0x%016x", value)).append('\n');
                }
            } else {
                b.append(line).append('\n');
            }
        }
        assertThat(found).as("profile line %s", prefix).isTrue();
        return CpuProfile.parse(new StringReader(b + extra), "modified");
    }

    @Test
    void icelake_decodesAsOracleMdLists() {
        // ../shared/ORACLE.md: the corei7_icelake_u values Bochs 2.7 reports.
        VmxCapabilities c = ICELAKE;
        assertThat(c.supported()).isTrue();
        assertThat(c.basic()).isEqualTo(0x00d8100000000004L);
        assertThat(c.vmcsRevisionId()).isEqualTo(4);
        assertThat(c.vmcsRegionSize()).isEqualTo(4096);
        assertThat(c.vmcsMemoryType()).isEqualTo(6);
        assertThat(c.physicalAddressesLimitedTo32Bits()).isFalse();
        assertThat(c.dualMonitorTreatment()).isFalse();
        assertThat(c.insOutsInstructionInformation()).isTrue();
        assertThat(c.trueControls()).isTrue();
        assertThat(c.noErrorCodeRequirement()).isFalse();
        // TRUE MSRs are in use (BASIC[55] = 1).
        assertThat(c.pinAllowed0()).isEqualTo(0x16L);
        assertThat(c.pinAllowed1()).isEqualTo(0x7fL);
        assertThat(c.primaryAllowed0()).isEqualTo(0x04006172L);
        assertThat(c.primaryAllowed1()).isEqualTo(0xfff9fffeL);
        assertThat(c.exitAllowed0()).isEqualTo(0x00036dfbL);
        assertThat(c.exitAllowed1()).isEqualTo(0x007fffffL);
        assertThat(c.entryAllowed0()).isEqualTo(0x000011fbL);
        assertThat(c.entryAllowed1()).isEqualTo(0x0000ffffL);
        assertThat(c.secondaryAllowed0()).isZero();
        assertThat(c.secondaryAllowed1()).isEqualTo(0x02977fffL);
        assertThat(c.tertiaryAllowed1()).as("no tertiary controls").isZero();
        assertThat(c.secondaryExitAllowed1()).isZero();
        // MISC 0x600401e0
        assertThat(c.preemptionTimerRate()).isZero();
        assertThat(c.storesEferLmaOnExit()).isTrue();
        assertThat(c.activityStateSupported(0)).isTrue();
        assertThat(c.activityStateSupported(1)).isTrue();
        assertThat(c.activityStateSupported(2)).isTrue();
        assertThat(c.activityStateSupported(3)).isTrue();
        assertThat(c.activityStateSupported(4)).isFalse();
        assertThat(c.cr3TargetCount()).isEqualTo(4);
        assertThat(c.maxMsrListCount()).isEqualTo(512);
        assertThat(c.vmwriteToAnyField()).isTrue();
        assertThat(c.zeroLengthInstructionInjection()).isTrue();
        assertThat(c.cr0Fixed0()).isEqualTo(0x80000021L);
        assertThat(c.cr0Fixed1()).isEqualTo(0xffffffffL);
        assertThat(c.cr4Fixed0()).isEqualTo(0x2000L);
        assertThat(c.cr4Fixed1()).isEqualTo(0x772fffL);
        assertThat(c.highestVmcsIndex()).isEqualTo(0x1A);
        assertThat(c.eptVpidCapMsr()).isEqualTo(0x00000f0106334141L);
        assertThat(c.ept().invept()).isTrue();
        assertThat(c.vmfunc()).isEqualTo(1);
    }

    @Test
    void icelake_allowedSettings() {
        VmxCapabilities c = ICELAKE;
        assertThat(c.allowed(PrimaryProcBasedControl.CR3_LOAD_EXITING, false)).as("TRUE ctls: may be 0").isTrue();
        assertThat(c.allowed(PrimaryProcBasedControl.ACTIVATE_TERTIARY_CONTROLS, true)).isFalse();
        assertThat(c.allowed(PrimaryProcBasedControl.MONITOR_TRAP_FLAG, true)).isTrue();
        assertThat(c.allowed(PinBasedControl.PROCESS_POSTED_INTERRUPTS, true)).isFalse();
        assertThat(c.allowed(PinBasedControl.ACTIVATE_VMX_PREEMPTION_TIMER, true)).isTrue();
        assertThat(c.allowed(SecondaryProcBasedControl.UNRESTRICTED_GUEST, true)).isTrue();
        assertThat(c.allowed(SecondaryProcBasedControl.VIRTUAL_INTERRUPT_DELIVERY, true)).isTrue();
        assertThat(c.allowed(SecondaryProcBasedControl.ENABLE_ENCLV_EXITING, true)).isFalse();
        assertThat(c.allowed(ExitControl.SAVE_DEBUG_CONTROLS, false)).as("TRUE exit ctls").isTrue();
        assertThat(c.allowed(ExitControl.LOAD_PKRS, true)).isFalse();
        assertThat(c.allowed(EntryControl.IA32E_MODE_GUEST, true)).isTrue();
        assertThat(c.allowed(EntryControl.LOAD_CET_STATE, true)).isFalse();
        assertThat(c.canSet(SecondaryProcBasedControl.ENABLE_EPT)).isTrue();
        assertThat(VmxCapabilities.violations(0x16, c.pinAllowed0(), c.pinAllowed1())).isZero();
        assertThat(VmxCapabilities.violations(0x80, c.pinAllowed0(), c.pinAllowed1())).isEqualTo(0x96);
    }

    @Test
    void icelake_fieldSupport_followsControlsAndVmcsEnum() {
        VmxCapabilities c = ICELAKE;
        assertThat(c.hasField(VmcsField.GUEST_RIP)).isTrue();
        assertThat(c.hasField(VmcsField.VIRTUAL_PROCESSOR_IDENTIFIER)).isTrue();
        assertThat(c.hasField(VmcsField.EPT_POINTER)).isTrue();
        assertThat(c.hasField(VmcsField.PML_ADDRESS)).isTrue();
        assertThat(c.hasField(VmcsField.EPTP_LIST_ADDRESS)).isTrue();
        assertThat(c.hasField(VmcsField.VMX_PREEMPTION_TIMER_VALUE)).isTrue();
        assertThat(c.hasField(VmcsField.TSC_MULTIPLIER)).as("index 0x19, TSC scaling").isTrue();
        assertThat(c.hasField(VmcsField.GUEST_IA32_PAT)).isTrue();
        assertThat(c.hasField(VmcsField.POSTED_INTERRUPT_DESCRIPTOR_ADDRESS)).isFalse();
        assertThat(c.hasField(VmcsField.POSTED_INTERRUPT_NOTIFICATION_VECTOR)).isFalse();
        assertThat(c.hasField(VmcsField.TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS)).isFalse();
        assertThat(c.hasField(VmcsField.ENCLV_EXITING_BITMAP)).as("index 0x1B > VMCS_ENUM").isFalse();
        assertThat(c.hasField(VmcsField.GUEST_IA32_PKRS)).isFalse();
        assertThat(c.hasField(VmcsField.GUEST_IA32_BNDCFGS)).isFalse();
        assertThat(c.hasField(VmcsField.GUEST_SSP)).isFalse();
        assertThat(c.hasField(VmcsField.SHARED_EPT_POINTER)).isFalse();
        for (VmcsField f : VmcsField.values()) {
            if (f.feature() == VmcsFeature.ALWAYS && f.index() <= 0x1A) {
                assertThat(c.hasField(f)).as(f.name()).isTrue();
            }
        }
    }

    @Test
    void loweringACapabilityInTheProfile_changesWhatIsAllowed() throws IOException {
        long secondary = 0x02977fff00000000L;
        VmxCapabilities noUnrestricted = VmxCapabilities.of(icelakeWith(0x48b, secondary & ~(1L << (32 + 7))));
        assertThat(noUnrestricted.allowed(SecondaryProcBasedControl.UNRESTRICTED_GUEST, true)).isFalse();
        assertThat(noUnrestricted.allowed(SecondaryProcBasedControl.ENABLE_EPT, true)).isTrue();

        VmxCapabilities noEpt = VmxCapabilities.of(icelakeWith(0x48b, secondary & ~(1L << (32 + 1))));
        assertThat(noEpt.hasField(VmcsField.EPT_POINTER)).isFalse();
        assertThat(noEpt.hasField(VmcsField.GUEST_PDPTE0)).isFalse();
        assertThat(noEpt.hasField(VmcsField.VIRTUAL_PROCESSOR_IDENTIFIER)).isTrue();

        VmxCapabilities smallEnum = VmxCapabilities.of(icelakeWith(0x48a, 0x2EL));
        assertThat(smallEnum.hasField(VmcsField.EPT_POINTER)).as("index 0x0D").isTrue();
        assertThat(smallEnum.hasField(VmcsField.EPTP_LIST_ADDRESS)).as("index 0x12 <= 0x17").isTrue();
        assertThat(smallEnum.hasField(VmcsField.TSC_MULTIPLIER)).as("index 0x19 > 0x17").isFalse();
    }

    @Test
    void withoutTrueControls_theDefault1BitsMustBeOne() throws IOException {
        VmxCapabilities c = VmxCapabilities.of(icelakeWith(0x480, 0x00d8100000000004L & ~(1L << 55)));
        assertThat(c.trueControls()).isFalse();
        assertThat(c.primaryAllowed0()).isEqualTo(0x0401e172L);
        assertThat(c.allowed(PrimaryProcBasedControl.CR3_LOAD_EXITING, false)).isFalse();
        assertThat(c.allowed(ExitControl.SAVE_DEBUG_CONTROLS, false)).isFalse();
        assertThat(c.allowed(EntryControl.LOAD_DEBUG_CONTROLS, false)).isFalse();
    }

    @Test
    void secondaryMsrIgnored_whenActivateSecondaryControlsMayNotBeOne() throws IOException {
        VmxCapabilities c = VmxCapabilities.of(icelakeWith(0x48e, 0x7ff9fffe04006172L));
        assertThat(c.secondaryAllowed1()).isZero();
        assertThat(c.allowed(SecondaryProcBasedControl.ENABLE_EPT, true)).isFalse();
        assertThat(c.eptVpidCapMsr()).isZero();
        assertThat(c.vmfunc()).isZero();
    }

    @Test
    void noVmx_givesNone() throws IOException {
        VmxCapabilities c = VmxCapabilities.of(icelakeWith(0x480, null));
        assertThat(c).isSameAs(VmxCapabilities.none());
        assertThat(c.supported()).isFalse();
        assertThat(c.hasField(VmcsField.GUEST_RIP)).isFalse();
        assertThat(c.allowed(PinBasedControl.NMI_EXITING, true)).isFalse();
        assertThat(c.activityStateSupported(0)).isFalse();
    }

    @Test
    void vmreadVmwriteErrors_followFieldSupportAndMisc29() throws IOException {
        VmxCapabilities c = ICELAKE;
        assertThat(c.vmreadError(0x681E)).as("GUEST_RIP").isNull();
        assertThat(c.vmreadError(0x2001)).as("high half of I/O bitmap A").isNull();
        assertThat(c.vmreadError(0x6801)).as("high access of a natural-width field")
                .isEqualTo(VmInstructionError.VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT);
        assertThat(c.vmreadError(0x2036)).as("ENCLV-exiting bitmap, not supported")
                .isEqualTo(VmInstructionError.VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT);
        assertThat(c.vmreadError(1L << 32 | 0x681E)).as("bits 63:32 set")
                .isEqualTo(VmInstructionError.VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT);
        assertThat(c.vmwriteError(0x4402)).as("EXIT_REASON with MISC[29] = 1").isNull();
        VmxCapabilities noAnyField = VmxCapabilities.of(icelakeWith(0x485, 0x00000000600401e0L & ~(1L << 29)));
        assertThat(noAnyField.vmwriteError(0x4402)).isEqualTo(VmInstructionError.VMWRITE_TO_READ_ONLY_VMCS_COMPONENT);
        assertThat(noAnyField.vmreadError(0x4402)).isNull();
        assertThat(noAnyField.vmwriteError(0x681E)).isNull();
        assertThat(noAnyField.vmwriteError(0x0816))
                .isEqualTo(VmInstructionError.VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT);
    }

    @Test
    void newerFeatures_followTheirControls() throws IOException {
        assertThat(ICELAKE.hasField(VmcsField.GUEST_IA32_FRED_CONFIG)).isFalse();
        assertThat(ICELAKE.hasField(VmcsField.GUEST_UINV)).isFalse();
        // Entry controls allowing "load FRED" (bit 23) and "load UINV" (bit 19).
        VmxCapabilities fred = VmxCapabilities.of(icelakeWith(0x490, 0x0088ffff000011fbL));
        assertThat(fred.allowed(EntryControl.LOAD_FRED, true)).isTrue();
        assertThat(fred.hasFeature(VmcsFeature.FRED)).isTrue();
        assertThat(fred.hasFeature(VmcsFeature.USER_INTERRUPTS)).isTrue();
        assertThat(fred.hasFeature(VmcsFeature.LOAD_SPEC_CTRL)).isFalse();
        assertThat(fred.hasField(VmcsField.GUEST_UINV)).isTrue();
        assertThat(fred.hasField(VmcsField.GUEST_IA32_FRED_CONFIG)).as("index 0x0D").isTrue();
        assertThat(fred.hasField(VmcsField.HOST_IA32_FRED_SSP3)).as("index 0x0B").isTrue();
        // Secondary exit controls: primary exit bit 31 may be 1, IA32_VMX_EXIT_CTLS2 allows bit 2.
        VmxCapabilities spec = VmxCapabilities.of(icelakeWith(0x48f, 0x807fffff00036dfbL, "msr 0x493 0x4\n"));
        assertThat(spec.secondaryExitAllowed1()).isEqualTo(4);
        assertThat(spec.allowed(SecondaryExitControl.LOAD_IA32_SPEC_CTRL, true)).isTrue();
        assertThat(spec.allowed(SecondaryExitControl.SAVE_FRED, true)).isFalse();
        assertThat(spec.hasFeature(VmcsFeature.LOAD_SPEC_CTRL)).isTrue();
        assertThat(spec.hasField(VmcsField.HOST_IA32_SPEC_CTRL)).as("index 0x0D").isTrue();
        assertThat(spec.hasFeature(VmcsFeature.SECONDARY_EXIT_CONTROLS)).isTrue();
        assertThat(spec.hasField(VmcsField.SECONDARY_VM_EXIT_CONTROLS)).as("index 0x22 > VMCS_ENUM").isFalse();
        // Without "activate secondary controls" the MSR is not read.
        VmxCapabilities ignored = VmxCapabilities.of(icelakeWith(0x48f, 0x007fffff00036dfbL, "msr 0x493 0x4\n"));
        assertThat(ignored.secondaryExitAllowed1()).isZero();
    }

    @Test
    void everyFeature_hasARule() {
        for (VmcsFeature f : VmcsFeature.values()) {
            boolean icelake = ICELAKE.hasFeature(f);
            assertThat(VmxCapabilities.none().hasFeature(f)).as(f.name()).isFalse();
            if (f == VmcsFeature.ALWAYS) {
                assertThat(icelake).isTrue();
            }
        }
        assertThat(ICELAKE.hasFeature(VmcsFeature.SEAM)).isFalse();
    }

    @Test
    void impliedHighestIndex_followsTheSupportedFeatures() throws IOException {
        // Bochs' icelake reports VMCS_ENUM index 0x1A (the tertiary controls' index) without
        // allowing "activate tertiary controls"; its supported fields end at 0x19 (TSC multiplier).
        assertThat(ICELAKE.highestVmcsIndex()).isEqualTo(0x1A);
        assertThat(ICELAKE.impliedHighestVmcsIndex()).isEqualTo(0x19);
        long secondaryWithoutTscScaling = 0x02977fff00000000L & ~(1L << (32 + 25));
        assertThat(VmxCapabilities.of(icelakeWith(0x48b, secondaryWithoutTscScaling)).impliedHighestVmcsIndex())
                .as("SPPTP, index 0x18").isEqualTo(0x18);
        assertThat(VmxCapabilities.none().impliedHighestVmcsIndex()).isEqualTo(-1);
    }
}
