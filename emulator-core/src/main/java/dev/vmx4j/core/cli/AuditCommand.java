package dev.vmx4j.core.cli;

import dev.vmx4j.core.audit.Audit;
import dev.vmx4j.core.audit.AuditJson;
import dev.vmx4j.core.audit.AuditText;
import dev.vmx4j.core.audit.CapabilitySource;
import dev.vmx4j.core.audit.DumpReader;
import dev.vmx4j.core.audit.VmcsDump;
import dev.vmx4j.vmx.entry.EntryContext;
import dev.vmx4j.vmx.print.VmcsPrinter;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmx4j audit}: names the VM-entry checks a VMCS dump fails. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Runs every VM-entry check on a VMCS dump and names each failed check: its id, SDM section, "
                + "field, value, offending bits and allowed masks, in hardware order, the one hardware reports marked.",
            "DUMP: KVM's dump_vmcs output (dmesg), a JSON or YAML map of SDM field names or encodings to values, "
                + "or a VMCS printed by vmx4j; '-' reads stdin.",
            "Exit status: 0 the VMCS would enter, 1 a check fails, 3 no check fails but some are not decided "
                + "(fields not in the dump), 2 bad input."})
final class AuditCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DUMP", description = "The VMCS dump file, or - for stdin.")
    String dump;

    @Option(names = "--cpu", paramLabel = "PROFILE", defaultValue = "corei7_icelake_u",
            description = "Built-in CPU profile name or profile file giving the IA32_VMX_* MSRs (default: ${DEFAULT-VALUE}).")
    String cpu;

    @Option(names = "--msr", paramLabel = "INDEX=VALUE",
            description = "Replace a capability MSR of the profile, hex, e.g. --msr 0x480=0xda040000000012 (repeatable).")
    List<String> msrs = List.of();

    @Option(names = "--msr-file", paramLabel = "FILE",
            description = "Capability MSRs from rdmsr output: one 'INDEX VALUE' line per MSR, hex.")
    Path msrFile;

    @Option(names = "--field", paramLabel = "NAME=VALUE",
            description = "Give (or replace) a field the dump lacks, e.g. --field VMCS_LINK_POINTER=0xffffffffffffffff (repeatable).")
    List<String> fields = List.of();

    @Option(names = "--vmresume", description = "Check as for VMRESUME (default: VMLAUNCH).")
    boolean vmresume;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--print", description = "Also print the VMCS as read (every field by name, decoded).")
    boolean print;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        try {
            if (!format.equals("text") && !format.equals("json")) {
                throw new IllegalArgumentException("--format must be text or json, was '" + format + "'");
            }
            String text = dump.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(dump), StandardCharsets.UTF_8);
            VmcsDump d = DumpReader.read(text);
            for (String f : fields) {
                int eq = f.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("--field must be NAME=VALUE, was '" + f + "'");
                }
                d.set(f.substring(0, eq), f.substring(eq + 1));
            }
            CpuProfile profile = profile();
            Audit a = Audit.run(d, profile, vmresume ? EntryContext.Instruction.VMRESUME : EntryContext.Instruction.VMLAUNCH);
            if (print && format.equals("text")) {
                out.print(VmcsPrinter.print(d.values()));
                out.println();
            }
            out.print(format.equals("json") ? AuditJson.format(a) : AuditText.format(a));
            out.flush();
            return a.exitStatus();
        } catch (IllegalArgumentException e) {
            System.err.println("vmx4j audit: " + e.getMessage());
            return 2;
        }
    }

    private CpuProfile profile() throws IOException {
        CpuProfile base = CpuProfile.BUILT_IN.contains(cpu) ? CpuProfile.builtIn(cpu) : CpuProfile.load(Path.of(cpu));
        Map<Integer, Long> overrides = new LinkedHashMap<>();
        if (msrFile != null) {
            overrides.putAll(CapabilitySource.parseRdmsr(Files.readString(msrFile, StandardCharsets.UTF_8)));
        }
        for (String m : msrs) {
            Map.Entry<Integer, Long> e = CapabilitySource.parseOption(m);
            overrides.put(e.getKey(), e.getValue());
        }
        return CapabilitySource.withMsrs(base, overrides);
    }
}
