package dev.vmx4j.core.audit;

import static dev.vmx4j.vmx.vmcs.VmcsField.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.vmx.print.VmcsPrinter;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.controls.VmxCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DumpReaderTest {

    static String resource(String name) throws IOException {
        try (InputStream in = DumpReaderTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void kvm6x_readsEveryPrintedFieldOfTheThreeBlocks() throws Exception {
        VmcsDump d = DumpReader.read(resource("kvm-6x-baseline.txt"));
        assertThat(d.format()).isEqualTo("KVM dump_vmcs");
        assertThat(d.read(GUEST_CR0)).isEqualTo(0x80050033L);
        assertThat(d.read(CR0_READ_SHADOW)).isEqualTo(0x80050033L);
        assertThat(d.read(CR0_GUEST_HOST_MASK)).isEqualTo(0xfffffffffffefff7L);
        assertThat(d.read(GUEST_CR4)).isEqualTo(0x3026e0L);
        assertThat(d.read(CR4_READ_SHADOW)).isEqualTo(0x3006e0L);
        assertThat(d.read(GUEST_RIP)).isEqualTo(0xffffffff81e00b40L);
        assertThat(d.read(GUEST_RSP)).isEqualTo(0xffffc90000013f28L);
        assertThat(d.read(GUEST_RFLAGS)).isEqualTo(0x246);
        assertThat(d.read(GUEST_IA32_SYSENTER_CS)).isEqualTo(0x10);
        assertThat(d.read(GUEST_CS_ACCESS_RIGHTS)).isEqualTo(0xa09b);
        assertThat(d.read(GUEST_TR_LIMIT)).isEqualTo(0x4087);
        assertThat(d.read(GUEST_TR_BASE)).isEqualTo(0xfffffe0000003000L);
        assertThat(d.read(GUEST_LDTR_ACCESS_RIGHTS)).isEqualTo(0x10000);
        assertThat(d.read(GUEST_GDTR_LIMIT)).isEqualTo(0x7f);
        assertThat(d.read(GUEST_IDTR_BASE)).isEqualTo(0xfffffe0000000000L);
        assertThat(d.read(GUEST_IA32_PAT)).isEqualTo(0x0407050600070106L);
        assertThat(d.read(HOST_RIP)).isEqualTo(0xffffffffc0a3c0e0L);
        assertThat(d.read(HOST_TR_SELECTOR)).isEqualTo(0x40);
        assertThat(d.read(HOST_CR3)).isEqualTo(0x122f42005L);
        assertThat(d.read(HOST_IA32_SYSENTER_EIP)).isEqualTo(0xffffffff81e01670L);
        assertThat(d.read(HOST_IA32_PAT)).isEqualTo(0x0407050600070106L);
        assertThat(d.read(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS)).isEqualTo(0x84006172L);
        assertThat(d.read(TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS)).isZero();
        assertThat(d.read(VM_ENTRY_CONTROLS)).isEqualTo(0x53fb);
        assertThat(d.read(PRIMARY_VM_EXIT_CONTROLS)).isEqualTo(0x36ffb);
        assertThat(d.read(EXCEPTION_BITMAP)).isEqualTo(0x60042);
        assertThat(d.read(VM_EXIT_INSTRUCTION_LENGTH)).isEqualTo(3);
        assertThat(d.read(EXIT_REASON)).isEqualTo(0x80000021L);
        assertThat(d.read(TSC_OFFSET)).isEqualTo(0xfffffc7c1d3ab2f1L);
        assertThat(d.read(EPT_POINTER)).isEqualTo(0x11a3f205eL);
        assertThat(d.read(VIRTUAL_PROCESSOR_IDENTIFIER)).isEqualTo(1);
    }

    @Test
    void kvm_fieldsTheDumpLacksAreAbsentNotZero() throws Exception {
        VmcsDump d = DumpReader.read(resource("kvm-6x-baseline.txt"));
        assertThat(d.isPresent(VMCS_LINK_POINTER)).isFalse();
        assertThat(d.isPresent(CR3_TARGET_COUNT)).isFalse();
        assertThat(d.isPresent(VM_ENTRY_MSR_LOAD_COUNT)).isFalse();
        // "EFER= ... (effective)" is KVM's value, not the VMCS field.
        assertThat(d.isPresent(GUEST_IA32_EFER)).isFalse();
        assertThat(d.notes()).anySatisfy(n -> assertThat(n).contains("EFER").contains("effective"));
        // The host section's RIP line is not the guest's.
        assertThat(d.read(GUEST_RIP)).isNotEqualTo(d.read(HOST_RIP));
    }

    @Test
    void kvm5x_readsTheOlderControlLinesTheCombinedEferLineAndTheApicLines() throws Exception {
        VmcsDump d = DumpReader.read(resource("kvm-5x-older-format.txt"));
        assertThat(d.read(PIN_BASED_VM_EXECUTION_CONTROLS)).isEqualTo(0x7f);
        assertThat(d.read(PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS)).isEqualTo(0xb5a06dfaL);
        assertThat(d.read(SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS)).isEqualTo(0x237e2);
        assertThat(d.isPresent(TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS)).isFalse();
        assertThat(d.read(VM_ENTRY_CONTROLS)).isEqualTo(0xd1ff);
        assertThat(d.read(PRIMARY_VM_EXIT_CONTROLS)).isEqualTo(0x2befff);
        assertThat(d.read(GUEST_IA32_EFER)).isZero();
        assertThat(d.isPresent(GUEST_IA32_EFER)).isTrue();
        assertThat(d.read(GUEST_IA32_PAT)).isEqualTo(0x0007040600070406L);
        assertThat(d.read(HOST_IA32_EFER)).isEqualTo(0xd01);
        assertThat(d.read(HOST_IA32_PAT)).isEqualTo(0x0407050600070106L);
        assertThat(d.read(GUEST_CS_BASE)).isEqualTo(0xffff0000L);
        assertThat(d.read(GUEST_INTERRUPT_STATUS)).isZero();
        assertThat(d.isPresent(GUEST_INTERRUPT_STATUS)).isTrue();
        assertThat(d.read(TPR_THRESHOLD)).isZero();
        assertThat(d.read(APIC_ACCESS_ADDRESS)).isEqualTo(0x10c3c1000L);
        assertThat(d.read(VIRTUAL_APIC_ADDRESS)).isEqualTo(0x11e1ae000L);
        assertThat(d.read(POSTED_INTERRUPT_NOTIFICATION_VECTOR)).isEqualTo(0xf2);
        assertThat(d.read(PLE_GAP)).isEqualTo(0x80);
        assertThat(d.read(PLE_WINDOW)).isEqualTo(0x1000);
    }

    @Test
    void yamlAndJsonMaps_takeNamesOrEncodingsAndNumbersOrStrings() {
        VmcsDump y = DumpReader.read("GUEST_CR0: 0x80000031\nguest_cr3: \"0x1000\"\n0x6804: 0x2020\n"
                + "VMCS_LINK_POINTER: -1\n");
        assertThat(y.format()).isEqualTo("JSON/YAML map");
        assertThat(y.read(GUEST_CR0)).isEqualTo(0x80000031L);
        assertThat(y.read(GUEST_CR3)).isEqualTo(0x1000);
        assertThat(y.read(GUEST_CR4)).isEqualTo(0x2020);
        assertThat(y.read(VMCS_LINK_POINTER)).isEqualTo(-1L);
        VmcsDump j = DumpReader.read("{\"GUEST_RIP\": \"0xffffffff81000000\", \"0x4826\": 1, \"EXIT_REASON\": 12}");
        assertThat(j.read(GUEST_RIP)).isEqualTo(0xffffffff81000000L);
        assertThat(j.read(GUEST_ACTIVITY_STATE)).isEqualTo(1);
        assertThat(j.size()).isEqualTo(3);
    }

    @Test
    void maps_rejectUnknownNamesHighEncodingsAndValuesWiderThanTheField() {
        assertThatThrownBy(() -> DumpReader.read("GUEST_CRX: 1\n")).hasMessageContaining("GUEST_CRX");
        assertThatThrownBy(() -> DumpReader.read("\"0x2801\": 1\n")).hasMessageContaining("high-access");
        assertThatThrownBy(() -> DumpReader.read("GUEST_CS_SELECTOR: 0x10000\n")).hasMessageContaining("wider");
        assertThatThrownBy(() -> DumpReader.read("just some text\n")).hasMessageContaining("not a VMCS dump");
    }

    @Test
    void printedVmcs_readsBackWhatVmcsPrinterWrites() throws Exception {
        VmcsDump d = DumpReader.read(resource("kvm-6x-baseline.txt"));
        String printed = VmcsPrinter.print(d.values());
        assertThat(printed).contains("# Guest-state area")
                .containsPattern("GUEST_CR0 +0x6800 = 0x0000000080050033")
                .containsPattern("PIN_BASED_VM_EXECUTION_CONTROLS +0x4000 = 0x0000000000000016  \\[.*\\]")
                .containsPattern("EXIT_REASON +0x4402 = 0x0000000080000021  \\[VM_ENTRY_FAILURE_INVALID_GUEST_STATE "
                        + "\\(VM-entry failure\\)\\]");
        VmcsDump back = DumpReader.read(printed);
        assertThat(back.format()).isEqualTo("vmx4j VMCS print");
        assertThat(back.values()).isEqualTo(d.values());
    }

    @Test
    void vmcsPrinterDiff_listsChangedAndMissingFields() {
        Map<dev.vmx4j.vmx.vmcs.VmcsField, Long> a = Map.of(GUEST_CR0, 0x31L, GUEST_RIP, 0x1000L);
        Map<dev.vmx4j.vmx.vmcs.VmcsField, Long> b = Map.of(GUEST_CR0, 0x80000031L, GUEST_CR3, 0x2000L,
                GUEST_RIP, 0x1000L);
        String diff = VmcsPrinter.diff(a, b);
        assertThat(diff).containsPattern("- GUEST_CR0 +0x6800 = 0x0000000000000031")
                .containsPattern("\\+ GUEST_CR0 +0x6800 = 0x0000000080000031")
                .contains("- GUEST_CR3 (absent)")
                .doesNotContain("GUEST_RIP");
        assertThat(VmcsPrinter.diff(a, a)).isEmpty();
    }

    @Test
    void capabilities_msrOptionsAndRdmsrFilesReplaceTheProfilesMsrs() {
        CpuProfile base = CpuProfile.builtIn("corei7_icelake_u");
        Map<Integer, Long> m = CapabilitySource.parseRdmsr("# captured on the host\n0x481 0x0000007f00000016\n"
                + "486: 80000021\n0x487=ffffffff\n");
        assertThat(m).containsEntry(0x481, 0x7f00000016L).containsEntry(0x486, 0x80000021L)
                .containsEntry(0x487, 0xffffffffL);
        Map.Entry<Integer, Long> o = CapabilitySource.parseOption("0x486=0x80000031");
        CpuProfile p = CapabilitySource.withMsrs(base, Map.of(o.getKey(), o.getValue()));
        assertThat(VmxCapabilities.of(p).supported()).isTrue();
        assertThat(p.msr(0x486)).isEqualTo(0x80000031L);
        assertThat(p.msr(0x480)).isEqualTo(base.msr(0x480));
        assertThat(p.maxPhysicalAddressBits()).isEqualTo(base.maxPhysicalAddressBits());
        assertThatThrownBy(() -> CapabilitySource.parseOption("0x480")).hasMessageContaining("INDEX=VALUE");
        assertThatThrownBy(() -> CapabilitySource.parseRdmsr("0x480\n")).hasMessageContaining("line 1");
    }
}
