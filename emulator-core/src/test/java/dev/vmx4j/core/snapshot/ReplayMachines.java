package dev.vmx4j.core.snapshot;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.boot.MultibootImage;
import dev.vmx4j.core.boot.MultibootLoader;
import dev.vmx4j.core.devices.StandardDevices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Machines for the snapshot tests: a guest program of src/guests booted as {@code vmx4j run} boots it. */
final class ReplayMachines {

    /** A booted machine and its console. */
    static final class Booted {
        final Machine machine;
        final ByteArrayOutputStream console;

        Booted(Machine machine, ByteArrayOutputStream console) {
            this.machine = machine;
            this.console = console;
        }
    }

    private ReplayMachines() {
    }

    static Path guests() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("src/guests/MANIFEST.txt"))) {
                return p.resolve("src/guests");
            }
            p = p.getParent();
        }
        throw new IllegalStateException("src/guests/MANIFEST.txt not found");
    }

    /** Boots {@code src/guests/<image>} with every standard device (console bytes of 0xE9 and COM1 in one stream). */
    static Booted boot(String image, Engine engine) {
        return boot(image, engine, 64L << 20);
    }

    static Booted boot(String image, Engine engine, long memorySize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Machine m = Machine.builder().memorySize(memorySize).pcInterruptControllers().engine(engine)
                .profile(dev.vmx4j.vmx.profile.CpuProfile.builtIn("corei7_icelake_u"))
                .device(StandardDevices.debugConsole(out))
                .device(StandardDevices.com1(out))
                .device(StandardDevices.isaDebugExit())
                .device(StandardDevices.bochsShutdownPort())
                .device(StandardDevices.fwCfg(1))
                .device(StandardDevices.pcTestdev())
                .device(StandardDevices.pit())
                .build();
        try {
            MultibootLoader.boot(m, MultibootImage.parse(Files.readAllBytes(guests().resolve(image))), "", List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Booted(m, out);
    }
}
