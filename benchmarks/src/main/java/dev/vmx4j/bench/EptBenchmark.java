package dev.vmx4j.bench;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.vmx.VmxHost;
import dev.vmx4j.core.vmx.VmxOutcome;
import dev.vmx4j.fixtures.vmx.GuestMode;
import dev.vmx4j.fixtures.vmx.Scenario;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.controls.SecondaryProcBasedControl;
import dev.vmx4j.vmx.entry.VmcsValues;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 64-bit guest in VMX non-root operation with "enable EPT" off or on (identity EPT, 2 MiB
 * leaves) and "enable VPID" off or on: each operation is one VMRESUME that runs
 * {@link #iterations} iterations of a loop reading eight data pages and updating one
 * ({@code mov eax,[rbx]; add [rbx+8],eax; mov eax,[rbx+0x1000]; ... [rbx+0x7000]; dec ecx; jnz}),
 * then the HLT exit. With few iterations per exit the software TLB's refill after each VM
 * entry and exit dominates (without VPID the entry and exit invalidate VPID 0000H; with VPID the
 * tagged contexts keep both sides' translations); with many it measures the loop itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EptBenchmark {

    @Param({"false", "true"})
    public boolean ept;

    @Param({"false", "true"})
    public boolean vpid;

    /** Loop iterations per VM entry (11 instructions each). */
    @Param({"20", "20000"})
    public int iterations;

    private VmxHost host;
    private long resumeRip;

    private static byte[] code(int iterations) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0xBB, 0, 0, 0x60, 0});                 // mov ebx, 0x600000
        int top = b.size();
        b.writeBytes(new byte[] {(byte) 0xB9, (byte) iterations, (byte) (iterations >>> 8),
            (byte) (iterations >>> 16), (byte) (iterations >>> 24)});           // mov ecx, iterations
        int loop = b.size();
        b.writeBytes(new byte[] {(byte) 0x8B, 0x03, 0x01, 0x43, 0x08});         // mov eax,[rbx]; add [rbx+8],eax
        for (int p = 1; p < 8; p++) {
            b.writeBytes(new byte[] {(byte) 0x8B, (byte) 0x83, 0, (byte) (p << 4), 0, 0}); // mov eax,[rbx+p*0x1000]
        }
        b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC9});                    // dec ecx
        int rel = loop - (b.size() + 2);
        b.writeBytes(new byte[] {0x75, (byte) rel});                           // jnz loop
        b.write(0xF4);                                                          // hlt
        int back = top - (b.size() + 2);
        b.writeBytes(new byte[] {(byte) 0xEB, (byte) back});                    // jmp top
        return b.toByteArray();
    }

    @Setup
    public void setUp() {
        CpuProfile profile = CpuProfile.defaultProfile();
        Scenario.Builder sb = Scenario.builder(profile).guest(GuestMode.LONG_64).guestCode(code(iterations))
                .primary(PrimaryProcBasedControl.HLT_EXITING);
        if (ept && vpid) {
            sb = sb.secondary(SecondaryProcBasedControl.ENABLE_EPT, SecondaryProcBasedControl.ENABLE_VPID);
        } else if (ept) {
            sb = sb.secondary(SecondaryProcBasedControl.ENABLE_EPT);
        } else if (vpid) {
            sb = sb.secondary(SecondaryProcBasedControl.ENABLE_VPID);
        }
        Scenario s = sb.build();
        VmcsValues v = s.vmcs();
        Machine m = Machine.builder().profile(profile).memorySize(Scenario.memorySize()).build();
        // Written pages only: RAM never written is read through the slow path (never cached).
        VmxOutcome o = s.launch(m, v, mm -> {
            for (int p = 0; p < 8; p++) {
                mm.memory().write64(0x600000 + 0x1000L * p, p + 1);
            }
        });
        if (o.exit() == null || o.exit().reason() != ExitReason.HLT) {
            throw new IllegalStateException("the scenario did not exit on its HLT: " + o);
        }
        host = m.vmx();
        resumeRip = o.exit().guestRip() + 1;
    }

    @Benchmark
    public VmxOutcome vmresumeRunLoopToHltExit() {
        host.vmwrite(VmcsField.GUEST_RIP, resumeRip);
        return host.vmresume();
    }
}
