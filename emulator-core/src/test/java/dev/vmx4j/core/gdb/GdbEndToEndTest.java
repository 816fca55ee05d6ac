package dev.vmx4j.core.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.boot.MultibootImage;
import dev.vmx4j.core.boot.MultibootLoader;
import dev.vmx4j.core.devices.StandardDevices;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's gdb against the stub: attach to the shipped guest hello32, read registers, break,
 * step, read memory, watch, continue to the guest's exit. Skipped only when no gdb is installed
 * (CI's .ci/run installs it).
 */
@Timeout(120)
class GdbEndToEndTest {

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("src/guests/MANIFEST.txt"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("src/guests/MANIFEST.txt not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static String gdbExecutable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path g = Path.of(dir, "gdb");
            if (Files.isExecutable(g)) {
                return g.toString();
            }
        }
        return null;
    }

    /** Runs gdb in batch mode with {@code commands} (each an -ex) and returns its whole output. */
    static String runGdb(String gdb, List<String> commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(gdb, "-batch", "-nx"));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("gdb finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void gdbAttachesBreaksStepsReadsMemoryWatchesAndContinuesToTheGuestsExit() throws Exception {
        String gdb = gdbExecutable();
        Assumptions.assumeTrue(gdb != null, "gdb is not installed (CI installs it: .ci/run); skipping the gdb session");
        Path elf = repoRoot().resolve("src/guests/hello32/hello32.elf");
        ByteArrayOutputStream e9 = new ByteArrayOutputStream();
        Machine m = Machine.builder().memorySize(32 << 20).pcInterruptControllers()
                .device(StandardDevices.debugConsole(e9))
                .device(StandardDevices.isaDebugExit())
                .device(StandardDevices.bochsShutdownPort())
                .build();
        MultibootLoader.boot(m, MultibootImage.parse(Files.readAllBytes(elf)), "", List.of());
        byte[] fibBytes = m.memory().dump(0x100174, 2);
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try (GdbServer server = GdbServer.bind(m, 0)) {
            Future<GdbOutcome> outcome = exec.submit(server::serve);
            String out = runGdb(gdb, List.of(
                    "set architecture i386:x86-64",
                    "symbol-file " + elf,
                    "target remote :" + server.port(),
                    "info registers rip cs",
                    "break _start.fib",
                    "continue",
                    "p $ecx",
                    "stepi",
                    "x/2xb 0x100174",
                    "delete",
                    "watch *(unsigned char*)((char*)&buffer+5)",
                    "continue",
                    "delete",
                    "p/x $cr0",
                    "info threads",
                    "continue"));
            assertThat(out)
                    .containsPattern("rip\\s+0x1000ed\\s+0x1000ed <_start>")
                    .containsPattern("cs\\s+0x8\\s+8")
                    .contains("Breakpoint 1 at 0x100174")
                    .contains("Breakpoint 1, 0x0000000000100174 in _start.fib ()")
                    .contains("$1 = 47")
                    .contains("0x0000000000100176 in _start.fib ()")
                    .contains(String.format("0x100174 <_start.fib>:\t0x%02x\t0x%02x", fibBytes[0] & 0xFF, fibBytes[1] & 0xFF))
                    .contains("Old value = 0 '\\000'")
                    .contains("New value = 38 '&'")
                    .contains("$2 = 0x11")
                    .contains("Thread 1 (CPU 0, 32-bit code, CPL 0)")
                    .contains("[Inferior 1 (Remote target) exited with code 01]");
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new GdbOutcome(GdbOutcome.Kind.EXITED, 1));
            assertThat(e9.toString(StandardCharsets.ISO_8859_1)).startsWith("Hello from vmx4j").contains("Goodbye");
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void gdbBreaksOnAVmExitOfAShippedHypervisorReadsTheVmcsStepsAndContinuesToTheEnd() throws Exception {
        String gdb = gdbExecutable();
        Assumptions.assumeTrue(gdb != null, "gdb is not installed (CI installs it: .ci/run); skipping the gdb session");
        Path bin = repoRoot().resolve("src/guests/vmx-exits/vmx-exits.bin");
        ByteArrayOutputStream e9 = new ByteArrayOutputStream();
        Machine m = Machine.builder().memorySize(32 << 20).profile(dev.vmx4j.vmx.profile.CpuProfile.builtIn("corei7_icelake_u"))
                .pcInterruptControllers()
                .device(StandardDevices.debugConsole(e9))
                .device(StandardDevices.isaDebugExit())
                .device(StandardDevices.bochsShutdownPort())
                .build();
        MultibootLoader.boot(m, MultibootImage.parse(Files.readAllBytes(bin)), "", List.of());
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try (GdbServer server = GdbServer.bind(m, 0)) {
            Future<GdbOutcome> outcome = exec.submit(server::serve);
            String out = runGdb(gdb, List.of(
                    "target remote :" + server.port(),
                    "monitor vmx",
                    "monitor break-exit CPUID IO_INSTRUCTION",
                    "continue",
                    "monitor vmx",
                    "monitor vmcs",
                    "monitor exits 2",
                    "monitor diag",
                    "stepi",
                    "continue",
                    "monitor break-exit off",
                    "continue"));
            assertThat(out)
                    .contains("not in VMX operation")
                    .contains("break on VM exits: CPUID IO_INSTRUCTION")
                    .contains("vmx4j: VM exit CPUID guest rip=")
                    .contains("Program received signal SIGTRAP")
                    .contains("VMX root operation")
                    .containsPattern("EXIT_REASON +0x4402 = 0x000000000000000a  \\[CPUID\\]")
                    .containsPattern("PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS +0x4002 = .*HLT_EXITING.*UNCONDITIONAL_IO_EXITING")
                    .containsPattern("VM-entry failure VM_ENTRY_FAILURE_INVALID_GUEST_STATE guest rip=0x[0-9a-f]+ len=0 qual=0x0\\n"
                            + "VM exit CPUID")
                    .contains("every VM-entry check passes")
                    .contains("vmx4j: VM exit IO_INSTRUCTION guest rip=")
                    .contains("[Inferior 1 (Remote target) exited with code 01]");
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new GdbOutcome(GdbOutcome.Kind.EXITED, 1));
            assertThat(e9.toString(StandardCharsets.ISO_8859_1)).contains("exit 0000000a").endsWith("done\n");
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void gdbShowsOneThreadPerProcessor_andStopsOnTheThreadThatHitTheBreakpoint() throws Exception {
        String gdb = gdbExecutable();
        Assumptions.assumeTrue(gdb != null, "gdb is not installed (CI installs it: .ci/run); skipping the gdb session");
        Machine m = GdbSmpSessionTest.twoCpus();
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try (GdbServer server = GdbServer.bind(m, 0)) {
            Future<GdbOutcome> outcome = exec.submit(server::serve);
            String out = runGdb(gdb, List.of(
                    "set architecture i386:x86-64",
                    "target remote :" + server.port(),
                    "info threads",
                    "thread 2",
                    "info registers rip cs",
                    "break *0x" + Long.toHexString(GdbSmpSessionTest.AP_HLT),
                    "continue",
                    "info threads",
                    "x/2xb 0x5000",
                    "detach"));
            assertThat(out)
                    .contains("Thread 1 (CPU 0, 16-bit code, CPL 0)")
                    .contains("Thread 2 (CPU 1, wait-for-SIPI)")
                    .containsPattern("rip\\s+0xfff0\\s+0xfff0")
                    .containsPattern("cs\\s+0xf000\\s+61440")
                    .contains("Thread 2 hit Breakpoint 1, 0x0000000000000038 in ?? ()")
                    .containsPattern("\\* 2\\s+Thread 2 \\(CPU 1, 16-bit code, CPL 0\\)\\s+0x0+38")
                    .containsPattern("Thread 1 \\(CPU 0, halted, 16-bit code, CPL 0\\)")
                    .doesNotContain("without sending a thread-id")
                    .contains("0x5000:\t0xef\t0xbe");
            assertThat(outcome.get(10, TimeUnit.SECONDS).kind()).isEqualTo(GdbOutcome.Kind.DETACHED);
        } finally {
            exec.shutdownNow();
        }
    }
}
