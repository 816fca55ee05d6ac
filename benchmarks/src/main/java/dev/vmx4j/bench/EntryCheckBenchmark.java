package dev.vmx4j.bench;

import dev.vmx4j.fixtures.vmx.VmcsDraw;
import dev.vmx4j.fixtures.vmx.VmcsGenerator;
import dev.vmx4j.vmx.entry.EntryCheckReport;
import dev.vmx4j.vmx.entry.EntryChecker;
import dev.vmx4j.vmx.entry.EntryContext;
import dev.vmx4j.vmx.entry.VmcsValues;
import dev.vmx4j.vmx.profile.CpuProfile;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.SplittableRandom;
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
 * VM-entry checks per second on generated VMCSs (test-fixtures' {@code VmcsGenerator}): 1,024
 * seeded draws of the default profile, valid ones ({@code broken=false}) or each with one to
 * three random fields replaced ({@code broken=true}, nearly all failing), checked in turn. One
 * operation is one run of the checker; the score is in checks per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EntryCheckBenchmark {

    @Param({"false", "true"})
    public boolean broken;

    private static final int DRAWS = 1024;
    private EntryChecker[] checkers;
    private VmcsValues[] vmcs;
    private EntryContext[] contexts;
    private int next;

    @Setup
    public void setUp() {
        VmcsGenerator g = new VmcsGenerator(CpuProfile.defaultProfile());
        SplittableRandom rnd = new SplittableRandom(0xBE7C4);
        VmcsField[] fields = VmcsField.values();
        checkers = new EntryChecker[DRAWS];
        vmcs = new VmcsValues[DRAWS];
        contexts = new EntryContext[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            VmcsDraw d = g.valid(i);
            VmcsValues v = d.vmcs().copy();
            if (broken) {
                int n = 1 + rnd.nextInt(3);
                for (int k = 0; k < n; k++) {
                    VmcsField f = fields[rnd.nextInt(fields.length)];
                    v.set(f, rnd.nextBoolean() ? rnd.nextLong() : v.read(f) ^ 1L << rnd.nextInt(64));
                }
            }
            checkers[i] = d.scenario().checker();
            vmcs[i] = v;
            contexts[i] = d.context();
        }
    }

    /** The architectural mode: stops at the first failure, as VMLAUNCH does. */
    @Benchmark
    public EntryCheckReport firstFailure() {
        int i = next++ & (DRAWS - 1);
        return checkers[i].firstFailure(vmcs[i], contexts[i]);
    }

    /** The diagnostic mode: every group, every failure. */
    @Benchmark
    public EntryCheckReport allFailures() {
        int i = next++ & (DRAWS - 1);
        return checkers[i].allFailures(vmcs[i], contexts[i]);
    }
}
