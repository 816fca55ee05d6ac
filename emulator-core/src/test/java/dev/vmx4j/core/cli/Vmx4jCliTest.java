package dev.vmx4j.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vmx4jCliTest {

    @TempDir
    Path dir;

    /** A Multiboot a.out-kludge image at 0x100000: prints "ok" to 0xE9, then OUT 0xF4 with value 3. */
    private Path kernel(String codeHex) throws Exception {
        byte[] code = HexFormat.of().parseHex(codeHex);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32 + code.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int flags = 1 << 16;
        b.putInt(0x1BADB002).putInt(flags).putInt(-(0x1BADB002 + flags));
        b.putInt(0x100000).putInt(0x100000).putInt(0).putInt(0).putInt(0x100020);
        b.put(code);
        Path k = dir.resolve("k.bin");
        Files.write(k, b.array());
        return k;
    }

    @Test
    void run_copiesDebugConsoleOutputAndReturnsIsaDebugExitStatus() throws Exception {
        // mov al,'o'; out 0xe9,al; mov al,'k'; out 0xe9,al; mov al,3; out 0xf4,al
        Path k = kernel("b06fe6e9b06be6e9b003e6f4");
        Path out = dir.resolve("e9.txt");
        int status = Vmx4jCli.execute("run", "--debugcon", out.toString(), "--serial", "none", k.toString());
        assertThat(status).isEqualTo((3 << 1) | 1);
        assertThat(Files.readString(out)).isEqualTo("ok");
    }

    @Test
    void run_stopsAtTheInstructionLimitWithItsOwnStatus() throws Exception {
        Path k = kernel("ebfe"); // jmp $
        int status = Vmx4jCli.execute("run", "--max-instructions", "1000", "--debugcon", "none", k.toString());
        assertThat(status).isEqualTo(Vmx4jCli.EXIT_INSTRUCTION_LIMIT);
    }

    @Test
    void run_reportsTripleFaultAsShutdownStatus() throws Exception {
        Path k = kernel("0f0b"); // ud2 with no IDT: #UD, #DF, triple fault
        int status = Vmx4jCli.execute("run", "--debugcon", "none", k.toString());
        assertThat(status).isEqualTo(Vmx4jCli.EXIT_SHUTDOWN);
    }

    /** Prints the Multiboot command line, '|', module 0's string, '|', module 0's first byte; exits with 0. */
    private static final String PRINT_CMDLINE_AND_MODULE = "8b7310" + "8a0684c07405e6e946ebf5" + "b07ce6e9"
            + "8b73188b7608" + "8a0684c07405e6e946ebf5" + "b07ce6e9" + "8b73188b368a06e6e9" + "b000e6f4";

    @Test
    void run_passesKernelNameAndAppendAsCommandLine_andInitrdModulesAsQemuDoes() throws Exception {
        Path k = kernel(PRINT_CMDLINE_AND_MODULE);
        Path mod = dir.resolve("env");
        Files.writeString(mod, "Zdata");
        Path out = dir.resolve("e9.txt");
        int status = Vmx4jCli.execute("run", "--debugcon", out.toString(), "--serial", "none",
                "--append", "-a b", "--initrd", mod + " x y," + mod, k.toString());
        assertThat(status).isEqualTo(1);
        assertThat(Files.readString(out)).isEqualTo(k + " -a b|" + mod + " x y|Z");
    }

    @Test
    void run_moduleOption_takesAnExplicitStringOrTheFileName() throws Exception {
        Path k = kernel(PRINT_CMDLINE_AND_MODULE);
        Path mod = dir.resolve("m.bin");
        Files.writeString(mod, "Q");
        Path out = dir.resolve("e9.txt");
        assertThat(Vmx4jCli.execute("run", "--debugcon", out.toString(), "--serial", "none",
                "--module", mod + ",NR_CPUS=1", k.toString())).isEqualTo(1);
        assertThat(Files.readString(out)).isEqualTo(k + " |NR_CPUS=1|Q");
        assertThat(Vmx4jCli.execute("run", "--debugcon", out.toString(), "--serial", "none",
                "--module", mod.toString(), k.toString())).isEqualTo(1);
        assertThat(Files.readString(out)).isEqualTo(k + " |" + mod + "|Q");
    }

    @Test
    void initrdSyntax_splitsOnCommasWithDoubledCommaAsLiteral() {
        assertThat(ModuleArgs.splitInitrd("a x,,y,b")).containsExactly("a x,y", "b");
        assertThatThrownBy(() -> ModuleArgs.splitInitrd("a,,,")).hasMessageContaining("empty entry");
    }

    @Test
    void run_smp_buildsThatManyProcessors_andReportsThemThroughFwCfg() throws Exception {
        // mov dx,0x510; mov ax,5; out dx,ax; inc dx; in al,dx; out 0xf4,al  (exit status = (count << 1) | 1)
        Path k = kernel("66ba100566b8050066ef42ece6f4");
        assertThat(Vmx4jCli.execute("run", "--smp", "3", "--debugcon", "none", k.toString())).isEqualTo((3 << 1) | 1);
        assertThat(Vmx4jCli.execute("run", "--debugcon", "none", k.toString())).isEqualTo((1 << 1) | 1);
        assertThat(Vmx4jCli.execute("run", "--smp", "0", "--debugcon", "none", k.toString())).isEqualTo(2);
    }

    @Test
    void faultChain_listsTheExceptionsBeforeTheShutdown() {
        Vmx4jCli.FaultChain chain = new Vmx4jCli.FaultChain();
        assertThat(chain.toString()).isEqualTo("none recorded");
        chain.add(6, 0, false, 0x100020);
        chain.add(8, 0, true, 0x100020);
        assertThat(chain.toString()).isEqualTo("#UD at 0x100020 -> #DF(0x0) at 0x100020 -> shutdown");
        for (int i = 0; i < 10; i++) {
            chain.add(13, 8 * i, true, i);
        }
        assertThat(chain.toString()).startsWith("#GP(0x10) at 0x2 -> ").endsWith("#GP(0x48) at 0x9 -> shutdown");
    }

    @Test
    void run_reportsHaltWithInterruptsOffAsHalted() throws Exception {
        Path k = kernel("f4"); // hlt with IF=0
        int status = Vmx4jCli.execute("run", "--debugcon", "none", k.toString());
        assertThat(status).isEqualTo(Vmx4jCli.EXIT_HALTED);
    }

    @Test
    void run_profileOption_selectsTheAmdProfile_cpuIsTheSameOption() throws Exception {
        // xor eax,eax; cpuid; cmp ebx,"Auth"; mov al,1; je +2; mov al,2; out 0xf4,al
        Path k = kernel("31c00fa281fb41757468b0017402b002e6f4");
        assertThat(Vmx4jCli.execute("run", "--profile", "opteron_g1", "--debugcon", "none", k.toString()))
                .as("AuthenticAMD").isEqualTo((1 << 1) | 1);
        assertThat(Vmx4jCli.execute("run", "--cpu", "opteron_g1", "--debugcon", "none", k.toString()))
                .isEqualTo((1 << 1) | 1);
        assertThat(Vmx4jCli.execute("run", "--debugcon", "none", k.toString())).as("default: GenuineIntel")
                .isEqualTo((2 << 1) | 1);
    }

    @Test
    void profilesAndHelp_succeed() {
        assertThat(Vmx4jCli.execute("profiles")).isZero();
        assertThat(Vmx4jCli.execute("--help")).isZero();
        assertThat(Vmx4jCli.execute("run", "--help")).isZero();
    }

    @Test
    void memorySize_isParsedAndRangeChecked() {
        assertThat(Vmx4jCli.parseSize("256M")).isEqualTo(256L << 20);
        assertThat(Vmx4jCli.parseSize("1g")).isEqualTo(1L << 30);
        assertThat(Vmx4jCli.parseSize("4096K")).isEqualTo(4L << 20);
        assertThatThrownBy(() -> Vmx4jCli.parseSize("12Q")).hasMessageContaining("256M");
        assertThatThrownBy(() -> Vmx4jCli.parseSize("1M")).hasMessageContaining("between 2M and 64G");
    }

    /** Connects to the CLI's gdb port, retrying until the command has bound it. */
    private static java.net.Socket connect(int port) throws Exception {
        for (int i = 0; ; i++) {
            try {
                return new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
            } catch (java.net.ConnectException e) {
                if (i > 200) {
                    throw e;
                }
                Thread.sleep(25);
            }
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String gdbExchange(java.net.Socket s, String packet) throws Exception {
        java.io.OutputStream out = s.getOutputStream();
        out.write(frame(packet).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.flush();
        java.io.InputStream in = s.getInputStream();
        StringBuilder reply = new StringBuilder();
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                return null;
            }
        }
        while ((c = in.read()) != '#') {
            reply.append((char) c);
        }
        in.read();
        in.read();
        out.write('+');
        out.flush();
        return reply.toString();
    }

    private static String frame(String payload) {
        int sum = 0;
        for (char ch : payload.toCharArray()) {
            sum += ch;
        }
        return String.format("$%s#%02x", payload, sum & 0xFF);
    }

    @org.junit.jupiter.api.Timeout(30)
    @Test
    void runWithGdb_reportsTheGuestsExitToGdbAndReturnsItsStatus() throws Exception {
        Path k = kernel("b06fe6e9b06be6e9b003e6f4");
        int port = freePort();
        java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Integer> status = exec.submit(() -> Vmx4jCli.execute("run", "--gdb",
                    Integer.toString(port), "--debugcon", "none", "--serial", "none", k.toString()));
            try (java.net.Socket s = connect(port)) {
                assertThat(gdbExchange(s, "p10")).isEqualTo("2000100000000000"); // rip = the entry, 0x100020
                assertThat(gdbExchange(s, "c")).isEqualTo("W07"); // isa-debug-exit: (3 << 1) | 1
            }
            assertThat(status.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(7);
        } finally {
            exec.shutdownNow();
        }
    }

    @org.junit.jupiter.api.Timeout(30)
    @Test
    void runWithGdb_goesOnRunningAfterADetach() throws Exception {
        Path k = kernel("b06fe6e9b06be6e9b003e6f4");
        Path out = dir.resolve("e9.txt");
        int port = freePort();
        java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Integer> status = exec.submit(() -> Vmx4jCli.execute("run", "--gdb",
                    Integer.toString(port), "--debugcon", out.toString(), "--serial", "none", k.toString()));
            try (java.net.Socket s = connect(port)) {
                assertThat(gdbExchange(s, "s")).isEqualTo("T05thread:01;");
                assertThat(gdbExchange(s, "D")).isEqualTo("OK");
            }
            assertThat(status.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(Files.readString(out)).isEqualTo("ok");
        } finally {
            exec.shutdownNow();
        }
    }

    private static Path auditResource(String name) throws Exception {
        return Path.of(Vmx4jCliTest.class.getResource("/dev/vmx4j/core/audit/" + name).toURI());
    }

    private static final String[] UNPRINTED = {"--field", "VMCS_LINK_POINTER=0xffffffffffffffff", "--field",
        "CR3_TARGET_COUNT=0", "--field", "VM_EXIT_MSR_STORE_COUNT=0", "--field", "VM_EXIT_MSR_LOAD_COUNT=0", "--field",
        "VM_ENTRY_MSR_LOAD_COUNT=0"};

    private static String[] auditArgs(String... args) {
        String[] all = new String[1 + args.length + UNPRINTED.length];
        all[0] = "audit";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(UNPRINTED, 0, all, 1 + args.length, UNPRINTED.length);
        return all;
    }

    @Test
    void audit_exitStatusSaysWhetherTheVmcsWouldEnter() throws Exception {
        Path ok = auditResource("kvm-6x-baseline.txt");
        assertThat(Vmx4jCli.execute(auditArgs(ok.toString()))).isEqualTo(0);
        assertThat(Vmx4jCli.execute("audit", ok.toString())).isEqualTo(3); // fields not in the dump
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, Files.readString(ok).replace("PinBased=0x00000016", "PinBased=0x00000006"));
        assertThat(Vmx4jCli.execute(auditArgs(bad.toString()))).isEqualTo(1);
        assertThat(Vmx4jCli.execute(auditArgs(bad.toString(), "--format", "json"))).isEqualTo(1);
        Path junk = dir.resolve("junk.txt");
        Files.writeString(junk, "hello\n");
        assertThat(Vmx4jCli.execute("audit", junk.toString())).isEqualTo(2);
    }

    @Test
    void audit_msrOptionsChangeTheVerdict() throws Exception {
        Path ok = auditResource("kvm-6x-baseline.txt");
        // IA32_VMX_CR0_FIXED0 requiring CR0.CD (bit 30): the guest and host CR0 lack it.
        assertThat(Vmx4jCli.execute(auditArgs(ok.toString(), "--msr", "0x486=0xc0000021"))).isEqualTo(1);
        Path rdmsr = dir.resolve("msrs.txt");
        Files.writeString(rdmsr, "0x486 c0000021\n");
        assertThat(Vmx4jCli.execute(auditArgs(ok.toString(), "--msr-file", rdmsr.toString()))).isEqualTo(1);
        assertThat(Vmx4jCli.execute(auditArgs(ok.toString(), "--msr", "0x486=0x80000021"))).isEqualTo(0);
    }

    @Test
    void anOptionValueOutsideItsRange_isOneLineAndTheUsage_status2_noStackTrace() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        int status;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            status = Vmx4jCli.execute("run", "--memory", "128", "no-such-kernel.elf");
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(2);
        assertThat(text).contains("vmx4j run: --memory must be a multiple of 4K between 2M and 64G, was '128'")
                .contains("Usage:").doesNotContain("IllegalArgumentException").doesNotContain("\tat ");
    }

    @Test
    void aKernelFileThatDoesNotExist_isOneLine_status2_noStackTrace() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        int status;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            status = Vmx4jCli.execute("run", "no-such-kernel.elf");
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(2);
        assertThat(text).isEqualTo("vmx4j run: cannot read no-such-kernel.elf: no such file" + System.lineSeparator());
    }
}
