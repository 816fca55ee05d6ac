package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.boot.MultibootImage;
import dev.vmx4j.core.boot.MultibootLoader;
import dev.vmx4j.core.devices.StandardDevices;
import dev.vmx4j.vmx.vmcs.VmcsField;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The translating engine runs VMX non-root code as translated blocks (equivalence with the other
 * engines: {@code GuestProgramEngineEquivalenceTest}).
 */
class NonRootTranslationTest {

    @Test
    void guestCodeOfTheVmExitBenchmark_isTranslatedBeforeItsFirstVmExit() throws Exception {
        Machine m = Machine.builder().memorySize(256L << 20).pcInterruptControllers().engine(Engine.TRANSLATOR)
                .translationThreshold(1).device(StandardDevices.debugConsole(new ByteArrayOutputStream()))
                .device(StandardDevices.isaDebugExit()).build();
        MultibootLoader.boot(m, MultibootImage.parse(Files.readAllBytes(
                Path.of("../src/bench/bench-vmexit/bench-vmexit.bin"))), "", List.of());
        RunResult r = m.run(RunLimits.unlimited().stopAtVmExit());
        assertThat(r.reason()).isEqualTo(StopReason.VM_EXIT);
        // the guest's CPUID (exit reason 10) follows "mov r10, rax; xor eax, eax" (5 bytes): the
        // block that ends before the CPUID starts there; the guest shares the host's identity map
        assertThat(m.vmx().vmread(VmcsField.EXIT_REASON).value()).isEqualTo(10);
        long cpuid = m.vmx().vmread(VmcsField.GUEST_RIP).value();
        long start = cpuid - 5;
        DecodeCache.CodePage p = m.cpu().decodeCache.pageIfPresent(start, 64);
        assertThat(p).as("decode-cache page of the guest code").isNotNull();
        assertThat(p.blocks).as("translated blocks of the guest code page").isNotNull();
        TranslatedBlock b = p.blocks[(int) start & 0xFFF];
        assertThat(b).as("the block ending before the guest's CPUID").isNotNull().isNotSameAs(TranslatedBlock.NONE);
        assertThat(b.instructions).isEqualTo(2);
    }
}
