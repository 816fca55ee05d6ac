package dev.vmx4j.core.snapshot;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.memory.GuestMemory;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What one run of a machine produced: everything the replay tests compare. */
final class Outcome {

    final String result;
    final long[] counters;
    final long[] registers;
    final long memoryHash;
    final byte[] console;
    final List<String> exits;

    private Outcome(String result, long[] counters, long[] registers, long memoryHash, byte[] console, List<String> exits) {
        this.result = result;
        this.counters = counters;
        this.registers = registers;
        this.memoryHash = memoryHash;
        this.console = console;
        this.exits = exits;
    }

    /** Runs {@code m} within {@code limits}; {@code console} may be null, {@code exits} collects the VM exits of the run. */
    static Outcome run(Machine m, RunLimits limits, ByteArrayOutputStream console, List<String> exitLog) {
        int consoleStart = console == null ? 0 : console.size();
        int exitStart = exitLog.size();
        RunResult r = m.run(limits);
        long[] counters = new long[2 * m.cpuCount() + 1];
        for (int i = 0; i < m.cpuCount(); i++) {
            counters[2 * i] = m.instructionsRetired(i);
            counters[2 * i + 1] = m.cpu(i).cycles();
        }
        counters[counters.length - 1] = m.tsc();
        long[] regs = new long[Reg.values().length + 4];
        for (Reg reg : Reg.values()) {
            regs[reg.ordinal()] = m.reg(reg);
        }
        regs[regs.length - 4] = m.rip();
        regs[regs.length - 3] = m.rflags();
        regs[regs.length - 2] = m.cr(0);
        regs[regs.length - 1] = m.cr(3);
        byte[] out = console == null ? new byte[0]
                : Arrays.copyOfRange(console.toByteArray(), consoleStart, console.size());
        return new Outcome(r.toString(), counters, regs, hash(m.memory(), m.memorySize()), out,
                new ArrayList<>(exitLog.subList(exitStart, exitLog.size())));
    }

    private static final byte[] NEVER_WRITTEN = GuestMemory.withRam(GuestMemory.PAGE_SIZE).pageForRead(0);

    /** A hash over every RAM page that was ever written, with its address. */
    static long hash(GuestMemory mem, long size) {
        long h = 0xcbf29ce484222325L;
        for (long a = 0; a < size; a += GuestMemory.PAGE_SIZE) {
            byte[] p = mem.pageForRead(a);
            if (p == NEVER_WRITTEN) {
                continue;
            }
            h = (h ^ a) * 0x100000001b3L;
            for (int i = 0; i < GuestMemory.PAGE_SIZE; i += 8) {
                h = (h ^ (long) GuestMemory.LE64.get(p, i)) * 0x100000001b3L;
            }
        }
        return h;
    }

    void assertSameAs(Outcome first, String what) {
        org.assertj.core.api.Assertions.assertThat(result).as("%s: run result", what).isEqualTo(first.result);
        org.assertj.core.api.Assertions.assertThat(counters).as("%s: instructions and cycles per CPU, TSC", what)
                .containsExactly(first.counters);
        org.assertj.core.api.Assertions.assertThat(registers).as("%s: registers", what).containsExactly(first.registers);
        org.assertj.core.api.Assertions.assertThat(exits).as("%s: VM exits", what).isEqualTo(first.exits);
        org.assertj.core.api.Assertions.assertThat(console).as("%s: console bytes", what).isEqualTo(first.console);
        org.assertj.core.api.Assertions.assertThat(memoryHash).as("%s: memory hash", what).isEqualTo(first.memoryHash);
    }
}
