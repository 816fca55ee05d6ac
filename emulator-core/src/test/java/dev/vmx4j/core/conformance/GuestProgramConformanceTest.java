package dev.vmx4j.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.boot.MultibootImage;
import dev.vmx4j.core.boot.MultibootLoader;
import dev.vmx4j.core.devices.StandardDevices;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every guest program of {@code src/guests/MANIFEST.txt} on vmx4j and compares what it
 * writes to port 0xE9 and COM1 with the output recorded from Bochs 2.7, byte for byte.
 */
class GuestProgramConformanceTest {

    /**
     * Programs that need a feature vmx4j does not have yet, with the reason. Such a program is
     * reported as aborted (skipped), not passed; if it starts matching, the test fails so the
     * entry is removed.
     */
    static final Map<String, String> NOT_YET_SUPPORTED = Map.of();

    static final long MAX_INSTRUCTIONS = 200_000_000L;

    @TestFactory
    Stream<DynamicTest> everyGuestProgram_matchesTheBochsRecordingByteForByte() throws Exception {
        List<GuestPrograms.Entry> programs = GuestPrograms.manifest();
        assertThat(programs).isNotEmpty();
        return programs.stream().flatMap(p -> Stream.of(
                DynamicTest.dynamicTest(p.name, () -> check(p, Engine.INTERPRETER)),
                DynamicTest.dynamicTest(p.name + " (translator)", () -> check(p, Engine.TRANSLATOR))));
    }

    private static void check(GuestPrograms.Entry p, Engine engine) throws Exception {
        byte[] bochs = Files.readAllBytes(p.output("bochs"));
        java.nio.file.Path sdm = p.outputs.stream().filter(o -> o.getFileName().toString().equals("sdm.txt"))
                .findFirst().orElse(null);
        byte[] expected = bochs;
        if (sdm != null) {
            // Where Bochs departs from the SDM the program marks the case "[Bochs]"; the SDM's
            // answer (expected/sdm.txt) replaces Bochs' there and nowhere else.
            expected = Files.readAllBytes(sdm);
            String[] b = new String(bochs, StandardCharsets.ISO_8859_1).split("\n", -1);
            String[] s = new String(expected, StandardCharsets.ISO_8859_1).split("\n", -1);
            assertThat(s.length).as("%s: sdm.txt has Bochs' lines", p.name).isEqualTo(b.length);
            for (int i = 0; i < b.length; i++) {
                if (!b[i].equals(s[i])) {
                    assertThat(b[i]).as("%s: sdm.txt line %d differs from Bochs on an unmarked case", p.name, i + 1)
                            .startsWith("[Bochs]");
                }
            }
        }
        ByteArrayOutputStream e9 = new ByteArrayOutputStream();
        ByteArrayOutputStream com1 = new ByteArrayOutputStream();
        // Side by side with Bochs: the profile Bochs' model was recorded from.
        Machine m = Machine.builder().memorySize(256L << 20).pcInterruptControllers().engine(engine)
                .profile(dev.vmx4j.vmx.profile.CpuProfile.builtIn("corei7_icelake_u"))
                .device(StandardDevices.debugConsole(e9))
                .device(StandardDevices.com1(com1))
                .device(StandardDevices.isaDebugExit())
                .device(StandardDevices.bochsShutdownPort())
                .build();
        MultibootLoader.boot(m, MultibootImage.parse(Files.readAllBytes(p.image)), "", List.of());
        RunResult r = m.run(RunLimits.unlimited().maxInstructions(MAX_INSTRUCTIONS));

        boolean matches = r.reason() == StopReason.DEVICE_REQUEST
                && r.exitStatus() == ((p.exitStatus << 1) | 1)
                && java.util.Arrays.equals(e9.toByteArray(), expected);
        String gap = NOT_YET_SUPPORTED.get(p.name);
        if (gap != null) {
            assertThat(matches).as("%s now matches its reference: remove it from NOT_YET_SUPPORTED", p.name).isFalse();
            Assumptions.abort(p.name + ": " + gap);
        }
        assertThat(e9.toString(StandardCharsets.ISO_8859_1))
                .as("%s: port 0xE9 output (stopped: %s at RIP 0x%x)", p.name, r, m.rip())
                .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
        assertThat(com1.toByteArray()).as("%s: COM1 carries the same bytes", p.name).isEqualTo(expected);
        assertThat(r.reason()).as("%s: stop reason", p.name).isEqualTo(StopReason.DEVICE_REQUEST);
        assertThat(r.exitStatus()).as("%s: isa-debug-exit status", p.name).isEqualTo((p.exitStatus << 1) | 1);
    }
}
