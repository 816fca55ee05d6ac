package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Decoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The architectural-event family (faults and VM exits caught once in the step loop) and the
 * VMX seam outside VMX non-root operation.
 */
class ArchitecturalEventTest {

    @Test
    void vmxInstructionsOutsideVmxOperation_areInvalidOpcode() {
        Guest g = Guest.long64("0F01C4F4"); // vmxoff; hlt
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run(3);
        // SDM "VMXOFF": #UD outside VMX operation.
        assertThat(vectors).first().isEqualTo(CpuException.UD);
        assertThat(Cpu.of(g.m).vmx.nonRoot).isFalse();
    }

    @Test
    void vmExitDuringFaultDelivery_goesToTheVmxUnit_neverToDoubleFault() {
        Guest g = Guest.long64("0F0BF4"); // ud2; hlt (no IDT: #UD, #GP, #DF, then shutdown)
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> {
            vectors.add(v);
            if (v == CpuException.UD) {
                throw VmExitEvent.of(0, 0); // as the exception bitmap would
            }
        });
        // Outside non-root operation a VM exit is an emulator defect: Vmx.exit says so, and the
        // loop lets it escape instead of delivering anything else.
        assertThatThrownBy(() -> g.m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside VMX non-root operation");
        assertThat(vectors).containsExactly(CpuException.UD);
        assertThat(Cpu.of(g.m).isShutdown()).isFalse();
        assertThat(g.m.rip()).isEqualTo(Guest.CODE);
    }

    @Test
    void withoutVmx_theSameNestedFaultsEndInShutdown() {
        Guest g = Guest.long64("0F0BF4");
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        assertThat(g.m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(5)).reason())
                .isEqualTo(StopReason.SHUTDOWN);
        assertThat(vectors).containsExactly(CpuException.UD, CpuException.GP, CpuException.DF);
        assertThat(Cpu.of(g.m).delivering().valid).as("no delivery in progress after shutdown").isFalse();
    }

    @Test
    void nestedFault_seesTheEventWhoseDeliveryRaisedIt() {
        Guest g = Guest.long64("0F0BF4");
        Cpu cpu = Cpu.of(g.m);
        List<String> seen = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> {
            EventRecord r = cpu.delivering();
            seen.add(v + (r.valid ? " during " + r.type + "/" + r.vector : " first"));
        });
        g.m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(5));
        // #UD is raised by the instruction; its delivery raises #GP; #GP's delivery raises #DF.
        assertThat(seen).containsExactly("6 first",
                "13 during " + InterruptionType.HARDWARE_EXCEPTION + "/6",
                "8 during " + InterruptionType.HARDWARE_EXCEPTION + "/13");
    }

    @Test
    void softwareInterruptDelivery_isRecordedWithItsTypeAndLength() {
        Guest g = Guest.long64("CD21F4"); // int 0x21 (no IDT: #GP during delivery); hlt
        Cpu cpu = Cpu.of(g.m);
        List<String> seen = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> {
            EventRecord r = cpu.delivering();
            seen.add(v + ":" + (r.valid ? r.type + "/" + r.vector + "/" + r.instructionLength : "-"));
        });
        g.m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(3));
        assertThat(seen).first().isEqualTo("13:" + InterruptionType.SOFTWARE_INTERRUPT + "/33/2");
    }

    @Test
    void unconditionalExits_carryTheirReasonAndInstructionLength() {
        Guest g = Guest.long64("F4");
        Cpu cpu = Cpu.of(g.m);
        DecodedInstruction d = new DecodedInstruction();
        new Decoder().decode(new byte[] {0x0F, (byte) 0xA2}, 0, 2, 64, d); // cpuid
        assertThatThrownBy(() -> cpu.vmx.cpuid(d)).isInstanceOfSatisfying(VmExitEvent.class, e -> {
            assertThat(e.reason).isEqualTo(10);
            assertThat(e.has(VmExitEvent.INSTRUCTION_LENGTH)).isTrue();
            assertThat(e.instructionLength).isEqualTo(2);
            assertThat(e.getStackTrace()).as("events carry no stack trace").isEmpty();
        });
        // SDM "Exit Qualification for Task Switches": selector in 15:0, source in 31:30 (3 = IDT task gate).
        assertThatThrownBy(() -> cpu.vmx.taskSwitch(0x28, 3, 0)).isInstanceOfSatisfying(VmExitEvent.class, e -> {
            assertThat(e.reason).isEqualTo(9);
            assertThat(e.qualification).isEqualTo(0xC0000028L);
            assertThat(e.has(VmExitEvent.INSTRUCTION_LENGTH)).isFalse();
        });
        assertThatThrownBy(() -> cpu.vmx.tripleFault()).isInstanceOfSatisfying(VmExitEvent.class,
                e -> assertThat(e.reason).isEqualTo(2));
    }

    @Test
    void exitReasonOutsideSixteenBits_isRejected() {
        assertThatThrownBy(() -> VmExitEvent.of(0x10000, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..65535");
    }
}
