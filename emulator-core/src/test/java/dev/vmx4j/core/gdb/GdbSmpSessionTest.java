package dev.vmx4j.core.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.Seg;
import java.io.BufferedInputStream;
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

/** The stub on a two-processor machine: one gdb thread per processor, over a loopback socket. */
@Timeout(20)
class GdbSmpSessionTest {

    // The programs of TwoProcessorsTest. BSP, real mode at 0:7C00: x2APIC on, SVR, INIT then SIPI
    // (vector 8) to APIC 1, sti; hlt until the AP's IPI handler has set [5002H]; hlt.
    private static final String BSP = "66B91B0000000F32660D000C00000F30"
            + "66B90F08000066B8FF0100006631D20F30"
            + "66B93008000066BA0100000066B8004500000F30" + "66B8084600000F30"
            + "FB" + "F4" + "833E025000" + "74F8" + "F4";
    // Vector 40H handler at 0:6000: [5002H] = 1; x2APIC EOI; iret.
    private static final String HANDLER = "C706025001006" + "6B90B0800006631C06631D20F30CF";
    // AP at 0800:0000: x2APIC on, SVR, [5000H] = BEEFH, IPI vector 40H to APIC 0; hlt (at IP 38H).
    private static final String AP = "66B91B0000000F32660D000C00000F30"
            + "66B90F08000066B8FF0100006631D20F30"
            + "C7060050EFBE"
            + "66B9300800006631D266B8400000000F30" + "F4";
    static final long AP_HLT = 0x38;

    private static final int RAX = 0;
    private static final int RIP = 16;
    private static final int CS = 18;
    private static final int CR0 = 59;

    private final ExecutorService exec = Executors.newSingleThreadExecutor();
    private Machine machine;
    private GdbServer server;
    private Future<GdbOutcome> outcome;
    private Socket socket;
    private PacketIo gdb;

    /** The BSP at 0:7C00 about to start the AP (waiting for a SIPI) whose hlt is at 0800:0038. */
    static Machine twoCpus() {
        Machine m = Machine.builder().memorySize(2L << 20).pcInterruptControllers().cpus(2).build();
        HexFormat h = HexFormat.of();
        m.memory().load(0x7C00, h.parseHex(BSP));
        m.memory().load(0x6000, h.parseHex(HANDLER));
        m.memory().load(0x8000, h.parseHex(AP));
        m.memory().write32(0x40 * 4, 0x0000_6000);
        m.setSegment(Seg.CS, 0, 0, 0xFFFF, 0x9B);
        m.setRip(0x7C00);
        m.setReg(Reg.RSP, 0x7000);
        return m;
    }

    @BeforeEach
    void start() throws Exception {
        machine = twoCpus();
        server = GdbServer.bind(machine, 0).instructionsPerSlice(1000);
        outcome = exec.submit(server::serve);
        socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        gdb = new PacketIo(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
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
        String hex = ask("p" + Integer.toHexString(number));
        return Hex.parseLe(hex, 0, hex.length() / 2);
    }

    @Test
    void listsOneThreadPerProcessor_withTheActivityState() throws Exception {
        assertThat(ask("qfThreadInfo")).isEqualTo("m01,02");
        assertThat(ask("qsThreadInfo")).isEqualTo("l");
        assertThat(ask("T1")).isEqualTo("OK");
        assertThat(ask("T2")).isEqualTo("OK");
        assertThat(ask("T3")).isEqualTo("E01");
        assertThat(ask("Hg3")).isEqualTo("E01");
        assertThat(ask("qC")).isEqualTo("QC01");
        assertThat(Hex.decodeText(ask("qThreadExtraInfo,1"))).isEqualTo("CPU 0, 16-bit code, CPL 0");
        assertThat(Hex.decodeText(ask("qThreadExtraInfo,2"))).isEqualTo("CPU 1, wait-for-SIPI");
    }

    @Test
    void hg_selectsTheProcessorWhoseRegistersAreReadAndWritten() throws Exception {
        assertThat(register(RIP)).isEqualTo(0x7C00);
        assertThat(register(CS)).isEqualTo(0);
        assertThat(ask("Hg2")).isEqualTo("OK");
        assertThat(ask("qC")).isEqualTo("QC02");
        // The AP waits for a SIPI in its reset state: CS F000 (base FFFF0000), IP FFF0.
        assertThat(register(RIP)).isEqualTo(0xFFF0);
        assertThat(register(CS)).isEqualTo(0xF000);
        assertThat(register(CR0)).isEqualTo(machine.cpu(1).cr0);
        assertThat(ask("P0=3412000000000000")).isEqualTo("OK");
        assertThat(machine.cpu(1).gpr[0]).isEqualTo(0x1234);
        assertThat(ask("g").substring(0, 16)).isEqualTo("3412000000000000");
        assertThat(ask("Hg1")).isEqualTo("OK");
        assertThat(register(RAX)).as("the BSP's RAX is its own").isEqualTo(machine.reg(Reg.RAX)).isNotEqualTo(0x1234);
        assertThat(register(RIP)).isEqualTo(0x7C00);
    }

    @Test
    void memoryIsReadThroughTheSelectedProcessorsPaging() throws Exception {
        // The BSP gets paging on with an empty PML4 at 0x100000: nothing is mapped for it.
        machine.setCr(4, 1 << 5);
        machine.setEfer(1 << 8);
        machine.setCr(3, 0x100000);
        machine.setCr(0, machine.cr(0) | 0x8000_0001L);
        assertThat(ask("m8000,2")).isEqualTo("E14");
        assertThat(ask("Hg2")).isEqualTo("OK");
        assertThat(ask("m8000,2")).as("the AP has paging off").isEqualTo("66b9");
    }

    @Test
    void aBreakpointHitByTheAp_isReportedOnThread2_andSelectsIt() throws Exception {
        assertThat(ask("Z0," + Long.toHexString(AP_HLT) + ",1")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05swbreak:;thread:02;");
        assertThat(ask("qC")).isEqualTo("QC02");
        assertThat(register(RIP)).isEqualTo(AP_HLT);
        assertThat(register(CS)).isEqualTo(0x800);
        assertThat(Hex.decodeText(ask("qThreadExtraInfo,2"))).isEqualTo("CPU 1, 16-bit code, CPL 0");
        assertThat(ask("m5000,2")).as("written by the AP").isEqualTo("efbe");
        // A step of thread 2 (the AP) runs the schedule until the AP has retired its hlt.
        long apRetired = machine.instructionsRetired(1);
        assertThat(ask("vCont;s:2;c")).isEqualTo("T05thread:02;");
        assertThat(machine.instructionsRetired(1)).isEqualTo(apRetired + 1);
        // Thread 1 (the BSP) steps alone.
        assertThat(ask("Hg1")).isEqualTo("OK");
        long bspRetired = machine.instructionsRetired(0);
        long bspRip = register(RIP);
        assertThat(ask("vCont;s:1;c")).isEqualTo("T05thread:01;");
        assertThat(machine.instructionsRetired(0)).isEqualTo(bspRetired + 1);
        assertThat(register(RIP)).isNotEqualTo(bspRip);
    }
}
