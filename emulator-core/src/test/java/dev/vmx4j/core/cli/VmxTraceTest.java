package dev.vmx4j.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code run --trace exits} on the shipped guest vmx-exits (its expected/bochs.txt lists the same
 * events): a failed VMRESUME, a VMfailValid(8) entry, an exit-33 entry and eight VM exits.
 */
class VmxTraceTest {

    static Path guest() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("src/guests/MANIFEST.txt"))) {
            p = p.getParent();
        }
        return p.resolve("src/guests/vmx-exits/vmx-exits.bin");
    }

    private static List<String> trace(String what) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            status = Vmx4jCli.execute("run", "--cpu", "corei7_icelake_u", "--serial", "none", "--debugcon", "none",
                    "--trace", what, guest().toString());
        } finally {
            System.setErr(old);
        }
        assertThat(status).isEqualTo(1); // isa-debug-exit (0 << 1) | 1
        return buf.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void text_oneLinePerExitFailedEntryAndFailedVmxInstruction() throws Exception {
        List<String> t = trace("exits");
        assertThat(t).hasSize(11);
        assertThat(t.get(0)).matches("vmx-fail VMRESUME at rip=0x[0-9a-f]+: VMfailValid\\(5\\) "
                + "VMRESUME_WITH_NON_LAUNCHED_VMCS");
        assertThat(t.get(1)).startsWith("vmentry-fail VMLAUNCH at rip=")
                .contains("HOST_CR0_FIXED0_BIT_CLEAR -> VMfailValid(8) HOST_CR0=0x80000030 bits=0x1");
        assertThat(t.get(2)).startsWith("vmentry-fail VM_ENTRY_FAILURE_INVALID_GUEST_STATE rip=")
                .endsWith("check=GUEST_RFLAGS_BIT_1_CLEAR");
        assertThat(t.get(3)).matches("vmexit CPUID rip=0x[0-9a-f]+ cpl=0 len=2 qual=0x0");
        assertThat(t.get(4)).startsWith("vmexit RDMSR ");
        assertThat(t.get(5)).startsWith("vmexit IO_INSTRUCTION ").contains("qual=0x800040")
                .contains("size=1, in=false").contains("immediateOperand=true, port=128");
        assertThat(t.get(6)).contains("qual=0x12340009").contains("size=2, in=true").contains("port=4660");
        assertThat(t.get(7)).startsWith("vmexit EXCEPTION_OR_NMI ")
                .endsWith("intr=0x80000306 [vector 6, HARDWARE_EXCEPTION]");
        assertThat(t.get(8)).startsWith("vmexit INVD ");
        assertThat(t.get(9)).startsWith("vmexit HLT ").contains("len=1");
        assertThat(t.get(10)).startsWith("vmexit VMCALL ").contains("len=3");
    }

    @Test
    void json_oneObjectPerLine() throws Exception {
        List<String> t = trace("exits,json");
        assertThat(t).hasSize(11);
        Yaml y = new Yaml();
        Map<String, Object> fail = y.load(t.get(0));
        assertThat(fail).containsEntry("event", "vmx-fail").containsEntry("instruction", "VMRESUME")
                .containsEntry("error", 5).containsEntry("errorName", "VMRESUME_WITH_NON_LAUNCHED_VMCS");
        Map<String, Object> host = y.load(t.get(1));
        assertThat(host).containsEntry("event", "vmentry-fail").containsEntry("check", "HOST_CR0_FIXED0_BIT_CLEAR")
                .containsEntry("field", "HOST_CR0").containsEntry("outcome", "VMfailValid(8)");
        Map<String, Object> guest = y.load(t.get(2));
        assertThat(guest).containsEntry("reason", "VM_ENTRY_FAILURE_INVALID_GUEST_STATE").containsEntry("basicReason", 33)
                .containsEntry("check", "GUEST_RFLAGS_BIT_1_CLEAR");
        Map<String, Object> io = y.load(t.get(5));
        assertThat(io).containsEntry("event", "vmexit").containsEntry("reason", "IO_INSTRUCTION")
                .containsEntry("qualification", "0x800040").containsEntry("cpl", 0).containsEntry("instructionLength", 2);
        assertThat((String) io.get("decoded")).contains("port=128");
    }

    /** An EPT misconfiguration (exit 49) names the rule the entry broke, in text and JSON. */
    @Test
    void anEptMisconfiguration_namesItsReason() {
        String text = new ExitTrace(false).exit(49, 0, 0x1000, 0, 0, 0, null,
                dev.vmx4j.mmu.ept.EptMisconfiguration.WRITE_WITHOUT_READ);
        assertThat(text).startsWith("vmexit EPT_MISCONFIGURATION rip=0x1000").endsWith(" misconfig=WRITE_WITHOUT_READ");
        String json = new ExitTrace(true).exit(49, 0, 0x1000, 0, 0, 0, null,
                dev.vmx4j.mmu.ept.EptMisconfiguration.INVALID_MEMORY_TYPE);
        assertThat(json).contains("\"eptMisconfiguration\":\"INVALID_MEMORY_TYPE\"");
        assertThat(new ExitTrace(false).exit(48, 0x181, 0x1000, 0, 0, 0, null)).doesNotContain("misconfig");
    }
}
