package dev.vmx4j.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.boot.MultibootImage;
import dev.vmx4j.core.boot.MultibootLoader;
import dev.vmx4j.core.devices.StandardDevices;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Three-way equivalence on whole guest programs, VMX ones included: the reference configuration,
 * the interpreter and the translating engine (translating every block start on first sight, so
 * VMX non-root code is translated too) must end every program of {@code src/guests/MANIFEST.txt}
 * and the VM exit/entry benchmark with the same output, stop reason, retired instructions,
 * cycles, registers, segments, control registers and memory.
 */
class GuestProgramEngineEquivalenceTest {

    /** Most programs end before; the longer ones stop inside their work (still compared). */
    private static final long MAX_INSTRUCTIONS = 400_000;
    private static final int MEMORY = 256 << 20;
    /** The first bytes of memory compared (the programs, their page tables, stacks and data). */
    private static final int COMPARED = 16 << 20;

    private static Machine machine(int kind, ByteArrayOutputStream e9) {
        Machine.Builder b = Machine.builder().memorySize(MEMORY).pcInterruptControllers()
                .profile(dev.vmx4j.vmx.profile.CpuProfile.builtIn("corei7_icelake_u"))
                .device(StandardDevices.debugConsole(e9))
                .device(StandardDevices.isaDebugExit())
                .device(StandardDevices.bochsShutdownPort());
        switch (kind) {
            case 0:
                b.referenceMode(true);
                break;
            case 1:
                b.engine(Engine.INTERPRETER);
                break;
            default:
                b.engine(Engine.TRANSLATOR).translationThreshold(1);
                break;
        }
        return b.build();
    }

    /** Runs {@code image} on the three configurations; returns the translator's machine. */
    private static Machine compare(String name, Path image, RunLimits limits) throws Exception {
        MultibootImage mb = MultibootImage.parse(Files.readAllBytes(image));
        Machine[] ms = new Machine[3];
        RunResult[] rs = new RunResult[3];
        byte[][] out = new byte[3][];
        for (int k = 0; k < 3; k++) {
            ByteArrayOutputStream e9 = new ByteArrayOutputStream();
            ms[k] = machine(k, e9);
            MultibootLoader.boot(ms[k], mb, "", List.of());
            rs[k] = ms[k].run(limits);
            out[k] = e9.toByteArray();
        }
        for (int k = 1; k < 3; k++) {
            String what = name + (k == 1 ? " (interpreter vs reference)" : " (translator vs reference)");
            Machine a = ms[k];
            Machine r = ms[0];
            assertThat(new String(out[k], java.nio.charset.StandardCharsets.ISO_8859_1)).as(what + ": output")
                    .isEqualTo(new String(out[0], java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(rs[k].reason()).as(what + ": stop reason").isEqualTo(rs[0].reason());
            assertThat(rs[k].instructions()).as(what + ": instructions").isEqualTo(rs[0].instructions());
            assertThat(rs[k].cycles()).as(what + ": cycles").isEqualTo(rs[0].cycles());
            for (Reg g : Reg.values()) {
                assertThat(a.reg(g)).as(what + ": " + g).isEqualTo(r.reg(g));
            }
            assertThat(a.rip()).as(what + ": rip").isEqualTo(r.rip());
            assertThat(a.rflags()).as(what + ": rflags").isEqualTo(r.rflags());
            for (Seg s : Seg.values()) {
                assertThat(a.segment(s).selector()).as(what + ": " + s).isEqualTo(r.segment(s).selector());
                assertThat(a.segment(s).base()).as(what + ": " + s + " base").isEqualTo(r.segment(s).base());
                assertThat(a.segment(s).accessRights()).as(what + ": " + s + " ar").isEqualTo(r.segment(s).accessRights());
            }
            for (int n : new int[] {0, 3, 4}) {
                assertThat(a.cr(n)).as(what + ": cr" + n).isEqualTo(r.cr(n));
            }
            assertThat(a.efer()).as(what + ": efer").isEqualTo(r.efer());
            byte[] ma = new byte[COMPARED];
            byte[] mr = new byte[COMPARED];
            a.memory().read(0, ma, 0, COMPARED);
            r.memory().read(0, mr, 0, COMPARED);
            assertThat(Arrays.mismatch(ma, mr)).as(what + ": first differing memory byte").isEqualTo(-1);
        }
        return ms[2];
    }

    @TestFactory
    Stream<DynamicTest> everyGuestProgram_threeEnginesEndIdentical() throws Exception {
        return GuestPrograms.manifest().stream().map(p -> DynamicTest.dynamicTest(p.name,
                () -> compare(p.name, p.image, RunLimits.unlimited().maxInstructions(MAX_INSTRUCTIONS))));
    }

    /**
     * bench-vmexit: a VM exit and entry every 303 guest instructions, the guest code (VMX
     * non-root operation) translated; budgets that end inside the guest's blocks, in the
     * host's handler and in the entry and exit.
     */
    @Test
    void vmExitBenchmark_threeEnginesEndIdentical() throws Exception {
        Path image = GuestPrograms.root().resolve("src/bench/bench-vmexit/bench-vmexit.bin");
        Machine t = compare("bench-vmexit", image, RunLimits.unlimited().maxInstructions(250_000));
        assertThat(t.blocksTranslated()).as("blocks translated").isPositive();
        for (long n : new long[] {150_037, 150_340}) {
            compare("bench-vmexit, " + n + " instructions", image, RunLimits.unlimited().maxInstructions(n));
        }
        for (long n : new long[] {163_333}) {
            compare("bench-vmexit, " + n + " cycles", image, RunLimits.unlimited().maxCycles(n));
        }
    }
}
