package dev.vmx4j.bench;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Snapshot;
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
 * Snapshot restores per second, and full VMLAUNCH-to-exit round trips per second with a restore
 * as the reset. A test-fixtures {@code Scenario} (64-bit guest, HLT exiting) is prepared on a
 * machine up to its VMLAUNCH (VMXON, VMCLEAR, VMPTRLD, every VMWRITE: the VMCS current and
 * clear) and a snapshot is taken there.
 * <ul>
 * <li>{@code restore}: one restore after a page was written (the cheapest useful reset: the
 * ~370 recorded fields, the devices' arrays, one page copied back, the TLB flush);</li>
 * <li>{@code restoreAndVmlaunch}: a restore, then VMLAUNCH: every entry check, the guest-state
 * load, the guest's HLT, the HLT VM exit; the next restore puts the VMCS back to clear;</li>
 * <li>{@code snapshot}: taking a snapshot (the object-graph walk; pages written since the last
 * image point are copied).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnapshotBenchmark {

    private Machine machine;
    private Snapshot beforeLaunch;
    private long page;

    @Setup
    public void setUp() {
        Scenario s = Scenario.builder(CpuProfile.defaultProfile()).guest(GuestMode.LONG_64)
                .primary(PrimaryProcBasedControl.HLT_EXITING).build();
        machine = Machine.builder().memorySize(Scenario.memorySize()).build();
        beforeLaunch = s.launchPoint(machine);
        VmxOutcome o = machine.vmx().vmlaunch();
        if (o.exit() == null || o.exit().reason() != ExitReason.HLT) {
            throw new IllegalStateException("the scenario did not exit on its HLT: " + o);
        }
        machine.restore(beforeLaunch);
        page = Scenario.memorySize() - 4096;
    }

    @Benchmark
    public long restore() {
        machine.memory().write64(page, page);
        machine.restore(beforeLaunch);
        return machine.cycles();
    }

    @Benchmark
    public VmxOutcome restoreAndVmlaunch() {
        machine.restore(beforeLaunch);
        return machine.vmx().vmlaunch();
    }

    @Benchmark
    public Snapshot snapshot() {
        return machine.snapshot();
    }
}
