package dev.vmx4j.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.vmx.entry.EntryContext;
import dev.vmx4j.vmx.entry.EntryDiagnostic;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * vmx4j audit on dump_vmcs texts: a valid baseline (kvm-6x-baseline.txt, written in the format
 * of the kernel's dump_vmcs for the corei7_icelake_u capabilities) and one broken rule per check
 * category.
 */
class AuditTest {

    /** The fields a KVM dump never prints, given as KVM sets them. */
    private static final String[][] NOT_PRINTED = {{"VMCS_LINK_POINTER", "0xffffffffffffffff"},
        {"CR3_TARGET_COUNT", "0"}, {"VM_EXIT_MSR_STORE_COUNT", "0"}, {"VM_EXIT_MSR_LOAD_COUNT", "0"},
        {"VM_ENTRY_MSR_LOAD_COUNT", "0"}};

    private static Audit audit(String from, String to) throws Exception {
        String text = DumpReaderTest.resource("kvm-6x-baseline.txt");
        if (from != null) {
            assertThat(text).contains(from);
            text = text.replace(from, to);
        }
        VmcsDump d = DumpReader.read(text);
        for (String[] f : NOT_PRINTED) {
            d.set(f[0], f[1]);
        }
        return Audit.run(d, CpuProfile.builtIn("corei7_icelake_u"), EntryContext.Instruction.VMLAUNCH);
    }

    private static EntryDiagnostic only(Audit a) {
        assertThat(a.failures()).hasSize(1);
        assertThat(a.exitStatus()).isEqualTo(Audit.FAILS);
        EntryDiagnostic d = a.failures().get(0);
        assertThat(a.hardwareReports(d)).isTrue();
        return d;
    }

    @Test
    void baseline_wouldEnter() throws Exception {
        Audit a = audit(null, null);
        assertThat(a.failures()).isEmpty();
        assertThat(a.undecided()).isEmpty();
        assertThat(a.exitStatus()).isEqualTo(Audit.WOULD_ENTER);
        assertThat(AuditText.format(a)).contains("VM entry would succeed");
    }

    @Test
    void baselineWithoutTheUnprintedFields_isUndecidedNotAssumed() throws Exception {
        VmcsDump d = DumpReader.read(DumpReaderTest.resource("kvm-6x-baseline.txt"));
        Audit a = Audit.run(d, CpuProfile.builtIn("corei7_icelake_u"), EntryContext.Instruction.VMLAUNCH);
        assertThat(a.failures()).isEmpty();
        assertThat(a.exitStatus()).isEqualTo(Audit.UNDECIDED);
        assertThat(a.undecided()).anySatisfy(u -> assertThat(u.check().name()).isEqualTo("CR3_TARGET_COUNT_TOO_LARGE"));
        assertThat(AuditText.format(a)).contains("VMCS_LINK_POINTER not in the dump").contains("--field");
    }

    @Test
    void controls_pinBasedReservedBitClear_isVmFailValid7WithTheAllowedMasks() throws Exception {
        EntryDiagnostic d = only(audit("PinBased=0x00000016", "PinBased=0x00000006"));
        assertThat(d.check().name()).isEqualTo("PIN_BASED_CONTROLS_RESERVED");
        assertThat(d.check().sdmSection()).isEqualTo("VM-Execution Control Fields");
        assertThat(d.outcome().vmInstructionError()).isEqualTo(7);
        assertThat(d.value()).isEqualTo(6);
        assertThat(d.offendingBits()).isEqualTo(0x10);
        assertThat(d.allowed0()).isEqualTo(0x16);
        assertThat(d.allowed1()).isEqualTo(0x7f);
    }

    @Test
    void controls_eventInjection_isVmFailValid7() throws Exception {
        EntryDiagnostic d = only(audit("VMEntry: intr_info=00000000", "VMEntry: intr_info=80000e0e"));
        assertThat(d.check().name()).isEqualTo("DELIVER_ERROR_CODE_NOT_ALLOWED");
        assertThat(d.outcome().vmInstructionError()).isEqualTo(7);
    }

    @Test
    void hostState_cr0WithoutNe_isVmFailValid8() throws Exception {
        EntryDiagnostic d = only(audit("CR0=0000000080050033 CR3", "CR0=0000000080050013 CR3"));
        assertThat(d.check().name()).isEqualTo("HOST_CR0_FIXED0_BIT_CLEAR");
        assertThat(d.field().name()).isEqualTo("HOST_CR0");
        assertThat(d.offendingBits()).isEqualTo(0x20);
        assertThat(d.outcome().vmInstructionError()).isEqualTo(8);
    }

    @Test
    void guestControlRegisters_cr4WithoutVmxe_isExit33() throws Exception {
        EntryDiagnostic d = only(audit("CR4: actual=0x00000000003026e0", "CR4: actual=0x00000000003006e0"));
        assertThat(d.check().name()).isEqualTo("GUEST_CR4_FIXED0_BIT_CLEAR");
        assertThat(d.offendingBits()).isEqualTo(0x2000);
        assertThat(d.outcome().exitReason()).isEqualTo(33);
    }

    @Test
    void guestSegments_ssDplThree_failsBothSegmentRules() throws Exception {
        Audit a = audit("SS:   sel=0x0018, attr=0x0c093", "SS:   sel=0x0018, attr=0x0c0f3");
        assertThat(a.failures()).extracting(f -> f.check().name())
                .containsExactly("GUEST_CS_DPL_NOT_SS_DPL", "GUEST_SS_DPL_NOT_RPL");
        assertThat(a.hardwareReports(a.failures().get(0))).isTrue();
        assertThat(a.hardwareReports(a.failures().get(1))).isFalse();
    }

    @Test
    void guestDescriptorTables_nonCanonicalGdtrBase_isExit33() throws Exception {
        EntryDiagnostic d = only(audit("base=0xfffffe0000001000", "base=0x8000fe0000001000"));
        assertThat(d.check().name()).isEqualTo("GUEST_GDTR_BASE_NOT_CANONICAL");
        assertThat(d.check().sdmSection()).contains("Descriptor-Table");
    }

    @Test
    void guestRipRflags_bit1Clear_isExit33() throws Exception {
        EntryDiagnostic d = only(audit("RFLAGS=0x00000246", "RFLAGS=0x00000244"));
        assertThat(d.check().name()).isEqualTo("GUEST_RFLAGS_BIT_1_CLEAR");
        assertThat(d.offendingBits()).isEqualTo(2);
    }

    @Test
    void guestNonRegisterState_activityStateFive_isExit33() throws Exception {
        EntryDiagnostic d = only(audit("ActivityState = 00000000", "ActivityState = 00000005"));
        assertThat(d.check().name()).isEqualTo("ACTIVITY_STATE_OUT_OF_RANGE");
        assertThat(d.check().sdmSection()).isEqualTo("Checks on Guest Non-Register State");
    }

    @Test
    void msrLoading_needsTheListInMemory_soItIsUndecidedForADump() throws Exception {
        String text = DumpReaderTest.resource("kvm-6x-baseline.txt");
        VmcsDump d = DumpReader.read(text);
        for (String[] f : NOT_PRINTED) {
            d.set(f[0], f[1]);
        }
        d.set("VM_ENTRY_MSR_LOAD_COUNT", "1");
        d.set("VM_ENTRY_MSR_LOAD_ADDRESS", "0x10000");
        Audit a = Audit.run(d, CpuProfile.builtIn("corei7_icelake_u"), EntryContext.Instruction.VMLAUNCH);
        assertThat(a.failures()).isEmpty();
        assertThat(a.undecided()).anySatisfy(u -> {
            assertThat(u.check().name()).isEqualTo("MSR_LOAD_ENTRY_RESERVED");
            assertThat(u.missingField()).isNull();
        });
        assertThat(a.exitStatus()).isEqualTo(Audit.UNDECIDED);
    }

    @Test
    void hardwareOrder_controlsBeforeHostBeforeGuest_andTheFirstIsMarked() throws Exception {
        String text = DumpReaderTest.resource("kvm-6x-baseline.txt")
                .replace("RFLAGS=0x00000246", "RFLAGS=0x00000244")
                .replace("ActivityState = 00000000", "ActivityState = 00000005");
        VmcsDump d = DumpReader.read(text);
        for (String[] f : NOT_PRINTED) {
            d.set(f[0], f[1]);
        }
        Audit a = Audit.run(d, CpuProfile.builtIn("corei7_icelake_u"), EntryContext.Instruction.VMLAUNCH);
        assertThat(a.failures()).extracting(f -> f.check().name())
                .containsExactly("GUEST_RFLAGS_BIT_1_CLEAR", "ACTIVITY_STATE_OUT_OF_RANGE");
        String t = AuditText.format(a);
        assertThat(t).contains("* 1. GUEST_RFLAGS_BIT_1_CLEAR -> exit 33 (qualification 0)")
                .contains("  2. ACTIVITY_STATE_OUT_OF_RANGE");
    }

    @Test
    void undecidedCheckBeforeTheFirstFailure_leavesTheReportedOneOpen() throws Exception {
        String text = DumpReaderTest.resource("kvm-6x-baseline.txt").replace("RFLAGS=0x00000246", "RFLAGS=0x00000244");
        Audit a = Audit.run(DumpReader.read(text), CpuProfile.builtIn("corei7_icelake_u"), EntryContext.Instruction.VMLAUNCH);
        assertThat(a.failures()).hasSize(1);
        assertThat(a.hardwareReports(a.failures().get(0))).isFalse();
        assertThat(a.firstFailureUncertain()).isTrue();
        assertThat(AuditText.format(a)).contains("unless an undecided check before it fails first");
    }

    @Test
    void json_isValidAndCarriesIdSectionFieldValueBitsMasksAndOutcome() throws Exception {
        Audit a = audit("PinBased=0x00000016", "PinBased=0x00000006");
        Object parsed = new Yaml().load(AuditJson.format(a)); // JSON is YAML
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) parsed;
        assertThat(root).containsEntry("wouldEnter", false).containsEntry("exitStatus", 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> f = ((java.util.List<Map<String, Object>>) root.get("failures")).get(0);
        assertThat(f).containsEntry("id", "PIN_BASED_CONTROLS_RESERVED")
                .containsEntry("sdmSection", "VM-Execution Control Fields")
                .containsEntry("field", "PIN_BASED_VM_EXECUTION_CONTROLS")
                .containsEntry("encoding", "0x4000")
                .containsEntry("value", "0x6")
                .containsEntry("offendingBits", "0x10")
                .containsEntry("allowed0", "0x16")
                .containsEntry("allowed1", "0x7f")
                .containsEntry("outcome", "VMfailValid(7)")
                .containsEntry("vmInstructionError", 7)
                .containsEntry("hardwareReports", true);
    }

    @Test
    void olderKernelFormat_isAuditedToo() throws Exception {
        String text = DumpReaderTest.resource("kvm-5x-older-format.txt");
        Audit ok = Audit.run(DumpReader.read(text), CpuProfile.builtIn("corei7_icelake_u"), EntryContext.Instruction.VMLAUNCH);
        // A guest with "unrestricted guest": nothing fails; no kernel prints the link pointer or the
        // MSR-list counts. Kernels of that age print no tertiary controls, which the checks do not
        // need while "activate tertiary controls" is 0.
        assertThat(ok.failures()).isEmpty();
        assertThat(ok.exitStatus()).isEqualTo(Audit.UNDECIDED);
        assertThat(ok.undecided()).anySatisfy(u -> assertThat(u.missingField())
                .isEqualTo(dev.vmx4j.vmx.vmcs.VmcsField.VMCS_LINK_POINTER));
        assertThat(ok.undecided()).noneSatisfy(u -> assertThat(u.missingField())
                .isEqualTo(dev.vmx4j.vmx.vmcs.VmcsField.TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS));
        Audit bad = Audit.run(DumpReader.read(text.replace("RFLAGS=0x00000002", "RFLAGS=0x00000000")),
                CpuProfile.builtIn("corei7_icelake_u"), EntryContext.Instruction.VMLAUNCH);
        assertThat(bad.failures()).extracting(f -> f.check().name()).containsExactly("GUEST_RFLAGS_BIT_1_CLEAR");
        assertThat(bad.exitStatus()).isEqualTo(Audit.FAILS);
    }
}
