package dev.vmx4j.bench;

import dev.vmx4j.core.Machine;
import dev.vmx4j.mmu.paging.PageWalker;
import dev.vmx4j.mmu.paging.PagingAccess;
import dev.vmx4j.mmu.paging.PagingState;
import dev.vmx4j.mmu.paging.WalkResult;
import dev.vmx4j.mmu.tlb.CachedTranslator;
import dev.vmx4j.mmu.tlb.Tlb;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Linear-to-physical translations per microsecond through ept-mmu: 4-level paging over the
 * identity map {@link Machine#enterLongMode} builds (2 MiB pages), 64 addresses spread over
 * 16 MiB. {@code warmTlb} hits the TLB every time (after the first pass); {@code walk} is the
 * page walker alone, reading four levels of entries from guest memory every time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TranslationBenchmark {

    static final int ADDRESSES = 64;

    private final long[] linear = new long[ADDRESSES];
    private final WalkResult result = new WalkResult();
    private PagingState state;
    private PageWalker walker;
    private CachedTranslator cached;

    @Setup
    public void setUp() {
        Machine m = Machine.builder().memorySize(32L << 20).build();
        m.enterLongMode(0x10000);
        state = new PagingState()
                .setCr0(m.cr(0))
                .setCr3(m.cr(3))
                .setCr4(m.cr(4))
                .setEfer(m.efer());
        walker = new PageWalker(m.memory());
        cached = new CachedTranslator(walker, new Tlb(256));
        for (int i = 0; i < ADDRESSES; i++) {
            linear[i] = (long) i * (16L << 20) / ADDRESSES + 0x123;
        }
        for (long l : linear) {
            if (!cached.translate(state, l, PagingAccess.READ, 0, Tlb.NO_EPT, result) || result.physicalAddress != l) {
                throw new IllegalStateException("identity translation failed for 0x" + Long.toHexString(l));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public long warmTlb() {
        long sum = 0;
        for (long l : linear) {
            cached.translate(state, l, PagingAccess.READ, 0, Tlb.NO_EPT, result);
            sum += result.physicalAddress;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public long walk() {
        long sum = 0;
        for (long l : linear) {
            walker.walk(state, l, PagingAccess.READ, result);
            sum += result.physicalAddress;
        }
        return sum;
    }
}
