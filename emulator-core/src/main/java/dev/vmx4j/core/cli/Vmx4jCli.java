package dev.vmx4j.core.cli;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.boot.LegacyBiosState;
import dev.vmx4j.core.boot.MultibootImage;
import dev.vmx4j.core.boot.MultibootInfoWriter;
import dev.vmx4j.core.boot.MultibootLoader;
import dev.vmx4j.core.devices.StandardDevices;
import dev.vmx4j.core.gdb.GdbOutcome;
import dev.vmx4j.core.gdb.GdbServer;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code vmx4j} command line. */
@Command(name = "vmx4j", mixinStandardHelpOptions = true, version = "vmx4j 0.1.0-SNAPSHOT",
        description = "A cycle-level Intel 64 emulator with VMX.")
public final class Vmx4jCli implements Runnable {

    /** Largest --smp value. */
    static final int MAX_CPUS = 255;
    /** Exit status when the CPU shut down (triple fault). */
    public static final int EXIT_SHUTDOWN = 3;
    /** Exit status when the instruction limit was reached. */
    public static final int EXIT_INSTRUCTION_LIMIT = 4;
    /** Exit status when the CPU halted with no way to wake. */
    public static final int EXIT_HALTED = 5;
    /** Exit status when gdb killed the machine ({@code --gdb}). */
    public static final int EXIT_KILLED = 6;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/vmx4j/core/cli/logback-cli.xml");
        }
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (for tests). */
    public static int execute(String... args) {
        return commandLine(args)
                .setExecutionExceptionHandler(Vmx4jCli::badArgument)
                .execute(args);
    }

    /**
     * The command line with its subcommands {@code run}, {@code audit}, {@code profiles} and
     * {@code help}. PERF: picocli reads every subcommand's annotations when it is added, about a
     * third of a short run's start-up; for {@code vmx4j run ...} only {@code run} is added, which
     * parses and reports errors the same way (every other first argument gets all subcommands).
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Vmx4jCli());
        if (args.length > 0 && "run".equals(args[0])) {
            return cl.addSubcommand(new Run());
        }
        return cl.addSubcommand(new Run())
                .addSubcommand(new AuditCommand())
                .addSubcommand(new Profiles())
                .addSubcommand(new CommandLine.HelpCommand());
    }

    /**
     * An option value the commands refuse while running (a size, an engine, a module file) is
     * thrown as {@link IllegalArgumentException} naming the option and the allowed range: print that
     * line and the command's usage, and exit with the usage status 2, as for a parse error. A file it
     * names that cannot be opened (kernel, module, profile) is one line and status 2 too. Any other
     * exception is a bug and keeps its stack trace.
     */
    private static int badArgument(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof java.nio.file.FileSystemException) {
            // a file the command line names (kernel, module, profile) that cannot be opened
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            cmd.getErr().println("vmx4j " + cmd.getCommandName() + ": cannot read " + f.getFile() + ": " + why(f));
            return CommandLine.ExitCode.USAGE;
        }
        if (!(e instanceof IllegalArgumentException)) {
            throw e;
        }
        cmd.getErr().println("vmx4j " + cmd.getCommandName() + ": " + e.getMessage());
        cmd.usage(cmd.getErr());
        return CommandLine.ExitCode.USAGE;
    }

    private static String why(java.nio.file.FileSystemException f) {
        if (f instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (f instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Boots a Multiboot kernel; port 0xE9 and COM1 output go to stdout byte for byte.")
    static final class Run implements Callable<Integer> {

        @Option(names = {"--cpu", "--profile"}, paramLabel = "PROFILE", defaultValue = CpuProfile.DEFAULT_NAME,
                description = "Built-in CPU profile (vmx4j, corei7_icelake_u, opteron_g1: an AMD processor "
                        + "without VMX) or a profile file (default: ${DEFAULT-VALUE}).")
        String cpu;

        @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "256M",
                description = "RAM size, e.g. 256M or 1G (default: ${DEFAULT-VALUE}).")
        String memory;

        @Option(names = "--max-instructions", paramLabel = "N", defaultValue = "1000000000",
                description = "Stop after N instructions (default: ${DEFAULT-VALUE}).")
        long maxInstructions;

        @Option(names = "--append", paramLabel = "CMDLINE", defaultValue = "",
                description = "Kernel command line.")
        String append;

        @Option(names = "--module", paramLabel = "FILE[,STRING]",
                description = "Multiboot module (repeatable, in order): FILE's bytes with STRING as its string "
                        + "(default: FILE).")
        List<String> module = List.of();

        @Option(names = "--initrd", paramLabel = "\"FILE [ARGS],FILE...\"",
                description = "QEMU's spelling of Multiboot modules: comma-separated, each 'FILE ARGS' whose whole "
                        + "text is the module string (',,' is a literal comma). Comes after the --module ones.")
        String initrd;

        @Option(names = "--smp", paramLabel = "N", defaultValue = "1",
                description = "Number of processors, 1-255 (default: ${DEFAULT-VALUE}); reported through fw_cfg; "
                        + "the application processors wait for INIT and SIPI.")
        int smp;

        @Option(names = "--no-testdev", description = "Leave out QEMU's pc-testdev (on by default, as in the "
                + "kvm-unit-tests runner).")
        boolean noTestdev;

        @Option(names = "--trace", paramLabel = "WHAT", split = ",",
                description = "Trace to stderr: exits (VM exits, failed VM entries and VMX instructions; exits,json for one JSON object a line), exceptions, instructions.")
        List<String> trace = List.of();

        @Option(names = "--debugcon", paramLabel = "SINK", defaultValue = "stdout",
                description = "Where port 0xE9 output goes: stdout, stderr, none or a file (default: ${DEFAULT-VALUE}).")
        String debugcon;

        @Option(names = "--serial", paramLabel = "SINK", defaultValue = "stdout",
                description = "Where COM1 output goes: stdout, stderr, none or a file (default: ${DEFAULT-VALUE}).")
        String serial;

        @Option(names = "--engine", paramLabel = "ENGINE",
                description = "Execution engine: interpreter or translator (default: translator; "
                        + "interpreter with --smp above 1).")
        String engine;

        @Option(names = "--stats",
                description = "After the run, print the instruction count, cycles, wall time and MIPS to stderr.")
        boolean stats;

        @Option(names = "--gdb", paramLabel = "PORT",
                description = "Wait for gdb on 127.0.0.1:PORT (0: any free port, printed) before running; "
                        + "after gdb detaches the run goes on.")
        Integer gdbPort;

        @Parameters(paramLabel = "KERNEL", description = "Multiboot kernel (ELF32, ELF64 or a.out-kludge image).")
        Path kernel;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintStream err = System.err;
            long ram = parseSize(memory);
            CpuProfile profile = CpuProfile.BUILT_IN.contains(cpu) ? CpuProfile.builtIn(cpu) : CpuProfile.load(Path.of(cpu));
            if (smp < 1 || smp > MAX_CPUS) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--smp must be in [1, " + MAX_CPUS + "], was " + smp);
            }
            byte[] image = Files.readAllBytes(kernel);
            List<MultibootInfoWriter.Module> modules = ModuleArgs.load(module, initrd);
            OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
            OutputStream e9 = sink(debugcon, stdout);
            OutputStream com1 = sink(serial, stdout);
            // A run stopped from outside (Ctrl-C, SIGTERM from a harness's timeout) still shows its output so far.
            Thread flusher = new Thread(() -> {
                try {
                    e9.flush();
                    com1.flush();
                } catch (IOException ignored) {
                    // the process is ending; nothing more to do
                }
            }, "vmx4j-output-flush");
            Runtime.getRuntime().addShutdownHook(flusher);
            Machine.Builder b = Machine.builder().memorySize(ram).cpus(smp).profile(profile).pcInterruptControllers();
            if (engine != null) {
                b.engine(parseEngine(engine));
            }
            b.device(StandardDevices.debugConsole(e9))
                    .device(StandardDevices.com1(com1))
                    .device(StandardDevices.isaDebugExit())
                    .device(StandardDevices.bochsShutdownPort())
                    .device(StandardDevices.fwCfg(smp))
                    .device(StandardDevices.pit());
            if (!noTestdev) {
                b.device(StandardDevices.pcTestdev());
            }
            Machine m = b.build();
            FaultChain chain = new FaultChain();
            m.addExceptionListener((vector, code, hasCode) -> chain.add(vector, code, hasCode, m.rip()));
            for (String t : trace) {
                switch (t.toLowerCase(Locale.ROOT)) {
                    case "instructions":
                        m.addInstructionListener((mm, rip, insn) -> err.printf("%016x %s%n", rip, insn.mnemonic.text()));
                        break;
                    case "exceptions":
                        m.addExceptionListener((vector, code, hasCode) ->
                                err.printf(hasCode ? "exception %d error code 0x%x%n" : "exception %d%n", vector, code));
                        break;
                    case "exits":
                        // One line per VM exit, failed VM entry and failed VMX instruction (json: one object a line).
                        VmxTrace.attach(m, err, trace.stream().anyMatch(x -> x.equalsIgnoreCase("json")));
                        break;
                    case "json":
                        if (trace.stream().noneMatch(x -> x.equalsIgnoreCase("exits"))) {
                            throw new CommandLine.ParameterException(spec.commandLine(),
                                    "--trace json goes with exits (--trace exits,json)");
                        }
                        break;
                    default:
                        throw new CommandLine.ParameterException(spec.commandLine(),
                                "--trace must be exits (optionally exits,json), exceptions or instructions, was " + t);
                }
            }
            // As QEMU's -kernel: the Multiboot command line is the kernel's file name, a space, --append.
            MultibootLoader.boot(m, MultibootImage.parse(image), kernel + " " + append, modules);
            LegacyBiosState.applyTo(m);
            RunResult r;
            // The CLI may read host time: it measures the run for --stats, the emulation never sees it.
            long start = System.nanoTime();
            try {
                if (gdbPort != null) {
                    GdbOutcome g = debug(m, err);
                    if (g.kind() == GdbOutcome.Kind.KILLED) {
                        return EXIT_KILLED;
                    }
                    if (g.kind() == GdbOutcome.Kind.EXITED) {
                        return g.exitStatus();
                    }
                }
                long left = maxInstructions - m.instructionsRetired();
                r = m.run(RunLimits.unlimited().maxInstructions(Math.max(1, left)));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(flusher);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
                e9.flush();
                com1.flush();
                if (e9 != stdout && e9 != System.err) {
                    e9.close();
                }
                if (com1 != stdout && com1 != System.err && com1 != e9) {
                    com1.close();
                }
            }
            if (stats) {
                double seconds = (System.nanoTime() - start) / 1e9;
                err.printf(Locale.ROOT, "vmx4j: %d instructions, %d cycles in %.3f s: %.1f MIPS (%s, %d blocks translated)%n",
                        r.instructions(), r.cycles(), seconds, r.instructions() / seconds / 1e6,
                        m.engine().name().toLowerCase(Locale.ROOT), m.blocksTranslated());
            }
            switch (r.reason()) {
                case DEVICE_REQUEST:
                    return r.exitStatus();
                case SHUTDOWN:
                    err.printf("vmx4j: triple fault: the CPU shut down after %d instructions at RIP 0x%x%n",
                            r.instructions(), m.rip());
                    err.printf("vmx4j: fault chain: %s%n", chain);
                    return EXIT_SHUTDOWN;
                case INSTRUCTION_LIMIT:
                    err.printf("vmx4j: instruction limit of %d reached at RIP 0x%x%n", maxInstructions, m.rip());
                    return EXIT_INSTRUCTION_LIMIT;
                case HALTED:
                    err.printf("vmx4j: the CPU halted with no interrupt source at RIP 0x%x after %d instructions%n",
                            m.rip(), r.instructions());
                    return EXIT_HALTED;
                default:
                    err.printf("vmx4j: stopped: %s%n", r.reason());
                    return 1;
            }
        }

        private GdbOutcome debug(Machine m, PrintStream err) throws IOException {
            if (gdbPort < 0 || gdbPort > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--gdb must be a port in [0, 65535], was " + gdbPort);
            }
            try (GdbServer server = GdbServer.bind(m, gdbPort).maxInstructions(maxInstructions)) {
                err.printf("vmx4j: waiting for gdb on 127.0.0.1:%d (target remote :%d)%n", server.port(), server.port());
                err.flush();
                GdbOutcome g = server.serve();
                err.printf("vmx4j: gdb session ended: %s%n", g.kind().name().toLowerCase(Locale.ROOT));
                return g;
            }
        }
    }

    /** The last exceptions raised, oldest first, for the triple-fault report. */
    static final class FaultChain {
        private static final String[] NAMES = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF",
            "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP"};
        private static final int KEEP = 8;
        // PERF: called for every exception the guest takes (kvm-unit-tests' access test takes
        // millions of #PF): only the values are kept; the text is made when the report is.
        private final int[] vectors = new int[KEEP];
        private final int[] codes = new int[KEEP];
        private final boolean[] hasCodes = new boolean[KEEP];
        private final long[] rips = new long[KEEP];
        private long count;

        void add(int vector, int code, boolean hasCode, long rip) {
            int i = (int) (count % KEEP);
            vectors[i] = vector;
            codes[i] = code;
            hasCodes[i] = hasCode;
            rips[i] = rip;
            count++;
        }

        @Override
        public String toString() {
            if (count == 0) {
                return "none recorded";
            }
            StringBuilder sb = new StringBuilder();
            for (long n = Math.max(0, count - KEEP); n < count; n++) {
                int i = (int) (n % KEEP);
                int vector = vectors[i];
                String name = vector < NAMES.length ? NAMES[vector] : "vector " + vector;
                sb.append(hasCodes[i] ? String.format("%s(0x%x) at 0x%x", name, codes[i], rips[i])
                        : String.format("%s at 0x%x", name, rips[i])).append(" -> ");
            }
            return sb.append("shutdown").toString();
        }
    }

    /** stdout, stderr, none, or a file path. */
    static OutputStream sink(String name, OutputStream stdout) throws IOException {
        switch (name) {
            case "stdout":
                return stdout;
            case "stderr":
                return System.err;
            case "none":
                return OutputStream.nullOutputStream();
            default:
                return new BufferedOutputStream(Files.newOutputStream(Path.of(name)));
        }
    }

    @Command(name = "profiles", mixinStandardHelpOptions = true, description = "Lists the built-in CPU profiles.")
    static final class Profiles implements Callable<Integer> {
        @Override
        public Integer call() {
            for (String name : CpuProfile.BUILT_IN) {
                CpuProfile p = CpuProfile.builtIn(name);
                System.out.printf("%s  (MAXPHYADDR %d)%n", p.name(), p.maxPhysicalAddressBits());
            }
            return 0;
        }
    }

    /** interpreter, translator (any case). */
    static Engine parseEngine(String s) {
        for (Engine e : Engine.values()) {
            if (e.name().equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("--engine must be one of " + java.util.Arrays.toString(Engine.values())
                .toLowerCase(Locale.ROOT) + ", was '" + s + "'");
    }

    /** Parses 256M, 1G, 4096K or a plain byte count. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1L << 10;
        } else if (t.endsWith("M")) {
            mult = 1L << 20;
        } else if (t.endsWith("G")) {
            mult = 1L << 30;
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        long v;
        try {
            v = Long.parseLong(t) * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--memory must be a size like 256M or 1G, was '" + s + "'");
        }
        if (v < (2 << 20) || v > (64L << 30) || (v & 0xFFF) != 0) {
            throw new IllegalArgumentException("--memory must be a multiple of 4K between 2M and 64G, was '" + s + "'");
        }
        return v;
    }
}
