package dev.vmx4j.core.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import java.io.BufferedInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stub over a real loopback socket, driven packet by packet (gdb's side played by PacketIo). */
@Timeout(20)
class GdbSessionTest {

    private static final long CODE = 0x100000;
    private static final long DATA = 0x200000;
    /** loop: inc rax; mov [0x200000], rax; jmp loop. */
    private static final String LOOP = "48ffc0" + "48890425" + "00002000" + "ebf3";

    private final ExecutorService exec = Executors.newSingleThreadExecutor();
    private Machine machine;
    private GdbServer server;
    private Future<GdbOutcome> outcome;
    private Socket socket;
    private OutputStream raw;
    private PacketIo gdb;

    @BeforeEach
    void start() throws Exception {
        machine = Machine.builder().memorySize(16 << 20).build();
        machine.memory().load(CODE, HexFormat.of().parseHex(LOOP));
        machine.enterLongMode(0x10000);
        machine.setRip(CODE);
        server = GdbServer.bind(machine, 0).instructionsPerSlice(1000);
        outcome = exec.submit(server::serve);
        socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        raw = socket.getOutputStream();
        gdb = new PacketIo(new BufferedInputStream(socket.getInputStream()), raw);
    }

    @AfterEach
    void stop() throws Exception {
        socket.close();
        server.close();
        exec.shutdownNow();
        exec.awaitTermination(5, TimeUnit.SECONDS);
    }

    private String ask(String packet) throws Exception {
        gdb.write(packet);
        return gdb.read();
    }

    private long register(int number) throws Exception {
        return Hex.parseLe(ask("p" + Integer.toHexString(number)), 0, 8);
    }

    @Test
    void gPacket_holdsEveryRegisterInTheX8664Layout() throws Exception {
        machine.setReg(Reg.RBX, 0x1122334455667788L);
        String g = ask("g");
        int total = 0;
        for (GdbRegister r : GdbRegister.all()) {
            total += r.bytes();
        }
        assertThat(g).hasSize(2 * total);
        assertThat(Hex.parseLe(g, 16, 8)).isEqualTo(0x1122334455667788L); // rbx is register 1
        assertThat(Hex.parseLe(g, 16 * 16, 8)).isEqualTo(CODE);          // rip is register 16
        assertThat(Hex.parseLe(g, 17 * 16 + 8, 4)).isEqualTo(8);         // cs selector after eflags
    }

    @Test
    void pAndP_readAndWriteSingleRegisters() throws Exception {
        assertThat(ask("P0=efbeadde00000000")).isEqualTo("OK");
        assertThat(machine.reg(Reg.RAX)).isEqualTo(0xdeadbeefL);
        assertThat(register(GdbRegister.CR3.number())).isEqualTo(0x10000);
        assertThat(register(GdbRegister.EFER.number()) & (1L << 10)).isNotZero(); // LMA
        assertThat(ask("p" + Integer.toHexString(GdbRegister.count()))).isEqualTo("E00");
    }

    @Test
    void step_executesOneInstruction() throws Exception {
        assertThat(ask("s")).isEqualTo("T05thread:01;");
        assertThat(machine.rip()).isEqualTo(CODE + 3);
        assertThat(machine.reg(Reg.RAX)).isEqualTo(1);
        assertThat(ask("vCont;s:1")).isEqualTo("T05thread:01;");
        assertThat(machine.rip()).isEqualTo(CODE + 11);
        assertThat(ask("?")).isEqualTo("T05thread:01;");
    }

    @Test
    void softwareBreakpoint_stopsBeforeTheInstructionAndResumesFromIt() throws Exception {
        assertThat(ask("Z0,100003,1")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05swbreak:;thread:01;");
        assertThat(machine.rip()).isEqualTo(CODE + 3);
        assertThat(machine.reg(Reg.RAX)).isEqualTo(1);
        assertThat(ask("vCont;c")).isEqualTo("T05swbreak:;thread:01;");
        assertThat(machine.reg(Reg.RAX)).isEqualTo(2);
        assertThat(ask("z0,100003,1")).isEqualTo("OK");
        assertThat(ask("Z1,100000,1")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05hwbreak:;thread:01;");
        assertThat(machine.rip()).isEqualTo(CODE);
    }

    @Test
    void breakpointReachedAtASliceBoundary_stillStops() throws Exception {
        // One-instruction slices: the breakpoint is always met at the start of a new slice, where
        // the run loop's own breakpoint check does not fire.
        server.instructionsPerSlice(1);
        assertThat(ask("Z0,10000b,1")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05swbreak:;thread:01;");
        assertThat(machine.rip()).isEqualTo(CODE + 11);
    }

    @Test
    void writeWatchpoint_stopsAfterTheStoringInstruction() throws Exception {
        assertThat(ask("Z2,200000,8")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05watch:200000;thread:01;");
        assertThat(machine.rip()).isEqualTo(CODE + 11); // after the MOV
        assertThat(ask("m200000,8")).isEqualTo("0100000000000000");
        assertThat(ask("z2,200000,8")).isEqualTo("OK");
        assertThat(ask("Z3,200004,4")).isEqualTo("OK"); // read watch: the loop never reads memory
        assertThat(ask("Z1,100000,1")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05hwbreak:;thread:01;");
    }

    @Test
    void ctrlC_interruptsARunningMachine() throws Exception {
        gdb.write("c");
        Thread.sleep(100); // let it run some slices (the emulation itself reads no clock)
        raw.write(0x03);
        raw.flush();
        assertThat(gdb.read()).isEqualTo("T02thread:01;");
        assertThat(machine.reg(Reg.RAX)).isGreaterThan(0);
        assertThat(ask("?")).isEqualTo("T02thread:01;");
    }

    @Test
    void memory_isReadThroughPagingWithoutSettingAccessedBits() throws Exception {
        // Map linear 1 GiB (PD of GiB 1, entry 0) to physical 0x200000, a 2 MiB page with A = 0.
        long pde = 0x10000 + 0x1000 + 0x1000 + 0x1000;
        machine.memory().write64(pde, DATA | 0x83);
        machine.memory().write64(DATA, 0x0807060504030201L);
        assertThat(ask("m40000000,8")).isEqualTo("0102030405060708");
        assertThat(machine.memory().read64(pde)).isEqualTo(DATA | 0x83);
        assertThat(ask("M40000001,2:aabb")).isEqualTo("OK");
        assertThat(machine.memory().read64(DATA)).isEqualTo(0x08070605_04bbaa01L);
        // Not mapped: the PDPT has no entry for 512 GiB.
        assertThat(ask("m8000000000,4")).isEqualTo("E14");
        assertThat(Hex.decodeText(ask("qRcmd," + Hex.encodeText("translate 0x40000010"))))
                .isEqualTo("linear 0x40000010 -> physical 0x200010\n");
        assertThat(Hex.decodeText(ask("qRcmd," + Hex.encodeText("phys 0x200000 4"))))
                .isEqualTo("0000000000200000: 01 aa bb 04\n");
    }

    @Test
    void queries_describeTheTargetAndItsOneThread() throws Exception {
        assertThat(ask("qSupported:multiprocess+;swbreak+")).contains("qXfer:features:read+");
        StringBuilder xml = new StringBuilder();
        String chunk;
        int off = 0;
        do {
            chunk = ask(String.format("qXfer:features:read:target.xml:%x,%x", off, 200));
            xml.append(chunk, 1, chunk.length());
            off += chunk.length() - 1;
        } while (chunk.startsWith("m"));
        assertThat(xml.toString()).isEqualTo(TargetDescription.xml());
        assertThat(ask("qfThreadInfo")).isEqualTo("m01");
        assertThat(ask("qsThreadInfo")).isEqualTo("l");
        assertThat(ask("qC")).isEqualTo("QC01");
        assertThat(ask("Hg1")).isEqualTo("OK");
        assertThat(ask("Hg2")).isEqualTo("E01");
        assertThat(ask("T1")).isEqualTo("OK");
        assertThat(ask("T2")).isEqualTo("E01");
        assertThat(ask("vCont?")).startsWith("vCont;c;C;s;S");
        assertThat(ask("vMustReplyEmpty")).isEmpty();
        assertThat(Hex.decodeText(ask("qThreadExtraInfo,1"))).isEqualTo("CPU 0, 64-bit code, CPL 0");
    }

    @Test
    void noAckMode_andDetach() throws Exception {
        assertThat(ask("QStartNoAckMode")).isEqualTo("OK");
        gdb.setNoAck(true);
        assertThat(ask("s")).isEqualTo("T05thread:01;");
        assertThat(ask("D")).isEqualTo("OK");
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(new GdbOutcome(GdbOutcome.Kind.DETACHED, 0));
    }

    @Test
    void kill_endsTheSession() throws Exception {
        gdb.write("k");
        assertThat(outcome.get(5, TimeUnit.SECONDS).kind()).isEqualTo(GdbOutcome.Kind.KILLED);
    }

    @Test
    void malformedPackets_getErrorRepliesNotExceptions() throws Exception {
        assertThat(ask("mzz,4")).isEqualTo("E01");
        assertThat(ask("P0")).isEqualTo("E01");
        assertThat(ask("M100000,2:abc")).isEqualTo("E01");
        assertThat(ask("Z9,0,1")).isEmpty();
        assertThat(Hex.decodeText(ask("qRcmd," + Hex.encodeText("nosuch")))).startsWith("unknown monitor command");
        assertThat(ask("s")).isEqualTo("T05thread:01;");
    }

    @Test
    void x87Registers_showTheStackTopAfterFld1() throws Exception {
        machine.memory().load(0x100800, HexFormat.of().parseHex("dbe3d9e8")); // FNINIT; FLD1
        machine.setRip(0x100800);
        assertThat(ask("s")).isEqualTo("T05thread:01;");
        assertThat(ask("s")).isEqualTo("T05thread:01;");
        assertThat(machine.rip()).isEqualTo(0x100804);
        // ST(0) = 1.0: significand 8000000000000000, sign/exponent 3fff, little-endian.
        assertThat(ask("p" + Integer.toHexString(GdbRegister.ST0.number()))).isEqualTo("0000000000000080ff3f");
        assertThat(Hex.parseLe(ask("p" + Integer.toHexString(GdbRegister.FCTRL.number())), 0, 4)).isEqualTo(0x37f);
        // Full tag word: ST(0) (physical register 7) valid (00), the others empty (11).
        assertThat(Hex.parseLe(ask("p" + Integer.toHexString(GdbRegister.FTAG.number())), 0, 4)).isEqualTo(0x3fff);
    }

    @Test
    void realMode_sameRegisterLayoutLinearAddressesAndSixteenBitSteps() throws Exception {
        Machine rm = Machine.builder().memorySize(1 << 20).build(); // reset: real mode
        rm.setSegment(dev.vmx4j.core.Seg.CS, 0x1000, 0x10000, 0xFFFF, 0x9B);
        rm.setRip(0x100);
        rm.memory().load(0x10100, HexFormat.of().parseHex("40ebfe")); // inc ax; jmp $
        ExecutorService ex2 = Executors.newSingleThreadExecutor();
        try (GdbServer s = GdbServer.bind(rm, 0)) {
            Future<GdbOutcome> o = ex2.submit(s::serve);
            try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
                PacketIo c = new PacketIo(new BufferedInputStream(sock.getInputStream()), sock.getOutputStream());
                c.write("g");
                String g = c.read();
                int total = 0;
                for (GdbRegister r : GdbRegister.all()) {
                    total += r.bytes();
                }
                assertThat(g).hasSize(2 * total);
                assertThat(Hex.parseLe(g, 16 * 16, 8)).isEqualTo(0x100);        // rip = IP
                assertThat(Hex.parseLe(g, 17 * 16 + 8, 4)).isEqualTo(0x1000);   // cs selector
                c.write("m10100,3"); // linear = CS.base + IP
                assertThat(c.read()).isEqualTo("40ebfe");
                c.write("qThreadExtraInfo,1");
                assertThat(Hex.decodeText(c.read())).isEqualTo("CPU 0, 16-bit code, CPL 0");
                c.write("s");
                assertThat(c.read()).isEqualTo("T05thread:01;");
                assertThat(rm.rip()).isEqualTo(0x101);
                assertThat(rm.reg(Reg.RAX)).isEqualTo(1);
                c.write("D");
                assertThat(c.read()).isEqualTo("OK");
            }
            assertThat(o.get(5, TimeUnit.SECONDS).kind()).isEqualTo(GdbOutcome.Kind.DETACHED);
        } finally {
            ex2.shutdownNow();
        }
    }

    @Test
    void physw_writesPhysicalMemory() throws Exception {
        assertThat(Hex.decodeText(ask("qRcmd," + Hex.encodeText("physw 0x200010 cafe")))).isEqualTo("wrote 2 bytes at physical 0x200010\n");
        assertThat(machine.memory().read16(0x200010)).isEqualTo(0xfeca);
        assertThat(Hex.decodeText(ask("qRcmd," + Hex.encodeText("physw 0xfffffff000 00")))).contains("not RAM");
    }
}
