package dev.vmx4j.bench;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.vmx.VmxHost;
import dev.vmx4j.core.vmx.VmxOutcome;
import dev.vmx4j.fixtures.vmx.GuestMode;
import dev.vmx4j.fixtures.vmx.Scenario;
import dev.vmx4j.vmx.controls.PrimaryProcBasedControl;
import dev.vmx4j.vmx.exit.ExitReason;
import dev.vmx4j.vmx.profile.CpuProfile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full VM entry to VM exit round trips per second through the Java host API: a test-fixtures
 * {@code Scenario} (64-bit guest, HLT exiting) is launched once; each operation is one VMRESUME
 * (every entry check, guest-state load) that runs the guest's HLT and takes the HLT VM exit
 * (guest-state save, host-state load), back in the host.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VmxRoundTripBenchmark {

    private VmxHost host;

    @Setup
    public void setUp() {
        Scenario s = Scenario.builder(CpuProfile.defaultProfile()).guest(GuestMode.LONG_64)
                .primary(PrimaryProcBasedControl.HLT_EXITING).build();
        Machine m = Machine.builder().memorySize(Scenario.memorySize()).build();
        VmxOutcome o = s.launch(m);
        if (o.exit() == null || o.exit().reason() != ExitReason.HLT) {
            throw new IllegalStateException("the scenario did not exit on its HLT: " + o);
        }
        host = m.vmx();
    }

    @Benchmark
    public VmxOutcome vmresumeToHltExit() {
        return host.vmresume();
    }
}
