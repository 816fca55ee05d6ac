package dev.vmx4j.core.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.vmx.VmxHost;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.io.BufferedInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The VMX monitor commands over the wire, on a VMCS set up through {@link VmxHost}. */
@Timeout(20)
class GdbVmxMonitorTest {

    private static final long VMXON = 0x200000;
    private static final long VMCS = 0x201000;
    private static final long EPT_PML4 = 0x300000;

    private final ExecutorService exec = Executors.newSingleThreadExecutor();
    private Machine m;
    private GdbServer server;
    private Socket socket;
    private PacketIo gdb;

    @BeforeEach
    void start() throws Exception {
        CpuProfile p = CpuProfile.builtIn("corei7_icelake_u");
        m = Machine.builder().memorySize(32L << 20).profile(p).build();
        m.enterLongMode(0x10000);
        m.setMsr(0x3A, 5);
        m.setCr(4, m.cr(4) | 1L << 13);
        int rev = (int) (p.msr(0x480) & 0x7FFFFFFF);
        m.memory().write32(VMXON, rev);
        m.memory().write32(VMCS, rev);
        server = GdbServer.bind(m, 0);
        exec.submit(server::serve);
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

    private String monitor(String command) throws Exception {
        gdb.write("qRcmd," + Hex.encodeText(command));
        return Hex.decodeText(gdb.read());
    }

    @Test
    void vmxAndVmcs_followVmxonAndVmptrld() throws Exception {
        assertThat(monitor("vmx")).isEqualTo("not in VMX operation\n");
        assertThat(monitor("vmcs")).isEqualTo("no current VMCS\n");
        VmxHost vmx = m.vmx();
        assertThat(vmx.vmxon(VMXON).succeeded()).isTrue();
        assertThat(monitor("vmx")).contains("VMX root operation").contains("VMXON region 0x200000")
                .contains("current VMCS none");
        assertThat(vmx.vmclear(VMCS).succeeded()).isTrue();
        assertThat(vmx.vmptrld(VMCS).succeeded()).isTrue();
        assertThat(vmx.vmwrite(VmcsField.GUEST_RIP, 0x123456).succeeded()).isTrue();
        assertThat(monitor("vmx")).contains("current VMCS 0x201000");
        assertThat(monitor("vmcs")).containsPattern("GUEST_RIP +0x681e = 0x0000000000123456");
        // An all-zero VMCS fails the control checks first: VMfailValid(7), the first marked.
        assertThat(monitor("diag")).startsWith("* PIN_BASED_CONTROLS_RESERVED").contains("VMfailValid(7)");
        assertThat(monitor("exits")).isEqualTo("no VM exit yet\n");
        assertThat(monitor("break-exit EPT_VIOLATION 10")).isEqualTo("break on VM exits: EPT_VIOLATION CPUID\n");
        assertThat(monitor("break-exit NOT_A_REASON")).startsWith("unknown exit reason 'NOT_A_REASON'");
    }

    @Test
    void ept_walksAGuestPhysicalAddressLevelByLevel() throws Exception {
        // EPT: PML4[0] -> PDPT[0] -> PD[1], a 2-MByte page: guest-physical 0x200000 -> host-physical 0x400000, RWX, WB.
        m.memory().write64(EPT_PML4, (EPT_PML4 + 0x1000) | 7);
        m.memory().write64(EPT_PML4 + 0x1000, (EPT_PML4 + 0x2000) | 7);
        m.memory().write64(EPT_PML4 + 0x2000 + 8, 0x400000 | 1L << 7 | 6L << 3 | 7);
        VmxHost vmx = m.vmx();
        assertThat(vmx.vmxon(VMXON).succeeded()).isTrue();
        assertThat(vmx.vmclear(VMCS).succeeded()).isTrue();
        assertThat(vmx.vmptrld(VMCS).succeeded()).isTrue();
        assertThat(monitor("ept 0x200123")).isEqualTo("EPT is not enabled in the current VMCS\n");
        vmx.vmwrite(VmcsField.PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS,
                PrimaryProcBasedControl.ACTIVATE_SECONDARY_CONTROLS.mask());
        vmx.vmwrite(VmcsField.SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS, SecondaryProcBasedControl.ENABLE_EPT.mask());
        vmx.vmwrite(VmcsField.EPT_POINTER, EPT_PML4 | 3 << 3 | 6);
        String walk = monitor("ept 0x200123");
        assertThat(walk).contains("EPTP 0x30001e, guest-physical 0x200123")
                .contains("level 4 entry at 0x300000 = 0x0000000000301007")
                .contains("level 3 entry at 0x301000 = 0x0000000000302007")
                .contains("level 2 entry at 0x302008 = 0x00000000004000b7")
                .contains("-> host-physical 0x400123, RWX, page size 0x200000, memory type WB");
        // The walk is a debugger's: it sets no accessed flag.
        assertThat(m.memory().read64(EPT_PML4)).isEqualTo((EPT_PML4 + 0x1000) | 7);
        assertThat(monitor("ept 0x40000000")).contains("level 3 entry at 0x301008 = 0x0000000000000000").contains("->");
    }
}
