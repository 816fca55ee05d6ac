package dev.vmx4j.core.gdb;

import dev.vmx4j.core.Machine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GDB remote stub for one {@link Machine}, listening on the loopback interface only.
 *
 * <pre>
 * try (GdbServer gdb = GdbServer.bind(machine, 1234)) {   // 0 picks a free port
 *     GdbOutcome how = gdb.serve();                      // blocks: one session, to its end
 * }
 * </pre>
 *
 * <p>{@link #serve()} accepts one connection and runs the machine on the calling thread when gdb
 * says continue or step, in slices of {@link #instructionsPerSlice(long)} instructions, reading
 * the socket between slices for Ctrl-C (nothing reads host time). See docs/GDB.md for the
 * packets supported, the register layout and the {@code monitor} commands.
 */
public final class GdbServer implements AutoCloseable {

    private final Machine machine;
    private final ServerSocket socket;
    private final Map<String, Registered> monitors = new LinkedHashMap<>();
    private long slice = 100_000;
    private long maxInstructions = Long.MAX_VALUE;
    private final dev.vmx4j.core.ListenerHandle vmxListener;

    /** A monitor command with its one-line help. */
    record Registered(String help, MonitorCommand command) {
    }

    private GdbServer(Machine machine, ServerSocket socket) {
        this.machine = machine;
        this.socket = socket;
        BuiltInMonitors.register(this);
        this.vmxListener = VmxMonitors.register(this, machine);
    }

    /**
     * Listens on 127.0.0.1:{@code port} ({@code 0}: an ephemeral port, see {@link #port()}).
     *
     * @throws IOException if the port cannot be bound
     */
    public static GdbServer bind(Machine machine, int port) throws IOException {
        if (machine == null) {
            throw new IllegalArgumentException("machine must not be null");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
        }
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new GdbServer(machine, s);
    }

    /** The port listened on. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Instructions per run slice between two polls of the socket (default 100,000; at least 1). */
    public GdbServer instructionsPerSlice(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("instructionsPerSlice must be in [1, 2^63-1], was " + n);
        }
        this.slice = n;
        return this;
    }

    /**
     * Retired-instruction budget of the machine (counted by {@link Machine#instructionsRetired()});
     * reaching it stops the machine and reports SIGXCPU to gdb. Default: none.
     */
    public GdbServer maxInstructions(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxInstructions must be in [1, 2^63-1], was " + n);
        }
        this.maxInstructions = n;
        return this;
    }

    /**
     * Adds (or replaces) a {@code monitor NAME ...} command. {@code name} is one word;
     * {@code help} is the line {@code monitor help} shows.
     */
    public GdbServer monitor(String name, String help, MonitorCommand command) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("monitor command name must be one word of [A-Za-z0-9_.-], was " + name);
        }
        if (command == null) {
            throw new IllegalArgumentException("command must not be null");
        }
        monitors.put(name, new Registered(help == null ? "" : help, command));
        return this;
    }

    Map<String, Registered> monitors() {
        return monitors;
    }

    /**
     * Waits for gdb to connect, then serves the session until gdb detaches or kills, the guest
     * exits through a device, or the connection closes. Breakpoints and watchpoints are removed
     * when it returns.
     *
     * @throws IOException on a socket error
     */
    public GdbOutcome serve() throws IOException {
        try (Socket s = socket.accept()) {
            s.setTcpNoDelay(true);
            PacketIo io = new PacketIo(new BufferedInputStream(s.getInputStream()),
                    new BufferedOutputStream(s.getOutputStream()));
            return new GdbSession(machine, io, monitors, slice, maxInstructions).serve();
        }
    }

    @Override
    public void close() throws IOException {
        vmxListener.remove();
        socket.close();
    }
}
