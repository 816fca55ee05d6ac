package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.ListenerHandle;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import dev.vmx4j.core.io.IoDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public Machine API: reset state, run limits and stop reasons, listeners, argument checks. */
class MachineApiTest {

    @Test
    void powerOn_matchesSdmResetState() {
        Machine m = Machine.builder().build();
        // SDM "Processor State After Reset".
        assertThat(m.rip()).isEqualTo(0xFFF0);
        assertThat(m.segment(Seg.CS).selector()).isEqualTo(0xF000);
        assertThat(m.segment(Seg.CS).base()).isEqualTo(0xFFFF0000L);
        assertThat(m.segment(Seg.CS).limit()).isEqualTo(0xFFFF);
        assertThat(m.segment(Seg.DS).accessRights()).isEqualTo(0x93);
        assertThat(m.rflags()).isEqualTo(2);
        assertThat(m.cr(0)).isEqualTo(0x60000010L);
        assertThat(m.reg(Reg.RDX)).as("processor signature").isEqualTo(0x706E5);
        assertThat(m.dr(6)).isEqualTo(0xFFFF0FF0L);
        assertThat(m.dr(7)).isEqualTo(0x400);
        assertThat(m.gdtrLimit()).isEqualTo(0xFFFF);
        assertThat(m.efer()).isZero();
        assertThat(m.msr(0x277)).as("IA32_PAT").isEqualTo(0x0007040600070406L);
        assertThat(m.cpl()).isZero();
    }

    @Test
    void instructionLimit_stopsAfterExactlyN() {
        Guest g = Guest.long64("FFC0EBFC"); // l: inc eax; jmp l
        RunResult r = g.run(101);
        assertThat(r.reason()).isEqualTo(StopReason.INSTRUCTION_LIMIT);
        assertThat(r.instructions()).isEqualTo(101);
        assertThat(g.reg(Reg.RAX)).isEqualTo(51);
        assertThat(g.m.instructionsRetired()).isEqualTo(101);
    }

    @Test
    void cycleLimit_stopsOnceTheBudgetIsSpent() {
        Guest g = Guest.long64("FFC0EBFC");
        RunResult r = g.m.run(RunLimits.unlimited().maxCycles(30));
        assertThat(r.reason()).isEqualTo(StopReason.CYCLE_LIMIT);
        // inc = 1 cycle, taken jmp = 1 + 1: three cycles per iteration.
        assertThat(r.cycles()).isEqualTo(30);
        assertThat(g.reg(Reg.RAX)).isEqualTo(10);
        assertThat(g.m.tsc()).isEqualTo(g.m.cycles());
    }

    @Test
    void breakpoint_stopsBeforeTheInstruction_andRunResumesFromIt() {
        Guest g = Guest.long64("FFC0EBFC");
        RunLimits bp = RunLimits.unlimited().maxInstructions(1000).breakpoint(Guest.CODE + 2);
        RunResult r = g.m.run(bp);
        assertThat(r.reason()).isEqualTo(StopReason.BREAKPOINT);
        assertThat(g.m.rip()).isEqualTo(Guest.CODE + 2);
        assertThat(g.reg(Reg.RAX)).isEqualTo(1);
        r = g.m.run(bp);
        assertThat(r.reason()).isEqualTo(StopReason.BREAKPOINT);
        assertThat(r.instructions()).isEqualTo(2);
        assertThat(g.reg(Reg.RAX)).isEqualTo(2);
    }

    @Test
    void step_executesOneInstruction() {
        Guest g = Guest.long64("FFC0EBFC");
        RunResult r = g.m.step();
        assertThat(r.instructions()).isEqualTo(1);
        assertThat(g.m.rip()).isEqualTo(Guest.CODE + 2);
        assertThat(g.reg(Reg.RAX)).isEqualTo(1);
    }

    @Test
    void haltedMachine_staysHaltedUntilRipIsSet() {
        Guest g = Guest.long64("F4F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        RunResult again = g.run();
        assertThat(again.reason()).isEqualTo(StopReason.HALTED);
        assertThat(again.instructions()).isZero();
        assertThat(g.m.halted()).isTrue();
        g.m.setRip(g.m.rip());
        assertThat(g.run().instructions()).isEqualTo(1);
    }

    @Test
    void listenerRequestStop_stopsAfterTheCurrentInstruction() {
        Guest g = Guest.long64("FFC0EBFC");
        List<Long> rips = new ArrayList<>();
        ListenerHandle h = g.m.addInstructionListener((m, rip, insn) -> {
            rips.add(rip);
            if (rips.size() == 5) {
                m.requestStop(42);
            }
        });
        RunResult r = g.run();
        assertThat(r.reason()).isEqualTo(StopReason.LISTENER_REQUEST);
        assertThat(r.exitStatus()).isEqualTo(42);
        assertThat(r.instructions()).isEqualTo(5);
        assertThat(rips).startsWith(Guest.CODE, Guest.CODE + 2, Guest.CODE);
        h.remove();
        assertThat(g.run(10).reason()).isEqualTo(StopReason.INSTRUCTION_LIMIT);
        assertThat(rips).hasSize(5);
    }

    @Test
    void ioInstructions_reachDevicesAndIoListeners_deviceRequestStop() {
        // mov al,0x41; out 0xe9,al; mov dx,0x3f8; mov al,0x42; out dx,al; in al,0x60; hlt
        Guest g = Guest.long64("B041E6E966BAF803B042EEE460F4");
        StringBuilder console = new StringBuilder();
        g.m.io().attach(0xE9, 1, new IoDevice() {
            @Override
            public int in(int port, int size) {
                return 0;
            }

            @Override
            public void out(int port, int size, int value) {
                console.append((char) value);
            }
        });
        g.m.io().attach(0x3F8, 1, new IoDevice() {
            @Override
            public int in(int port, int size) {
                return 0;
            }

            @Override
            public void out(int port, int size, int value) {
                g.m.requestStop(7);
            }
        });
        List<String> seen = new ArrayList<>();
        g.m.addIoListener((port, size, out, value) -> seen.add((out ? "out " : "in ") + Integer.toHexString(port)));
        RunResult r = g.run();
        assertThat(r.reason()).isEqualTo(StopReason.DEVICE_REQUEST);
        assertThat(r.exitStatus()).isEqualTo(7);
        assertThat(console.toString()).isEqualTo("A");
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX) & 0xFF).as("unclaimed port reads all ones").isEqualTo(0xFF);
        assertThat(seen).containsExactly("out e9", "out 3f8", "in 60");
    }

    @Test
    void memoryListener_seesLinearPhysicalSizeAndValue() {
        // mov rax,0x1122334455667788; mov [0x3ffc],rax; mov rbx,[0x3ffc]; hlt  (crosses a page boundary)
        Guest g = Guest.long64("48B8887766554433221148890425FC3F0000488B1C25FC3F0000F4");
        List<String> seen = new ArrayList<>();
        g.m.addMemoryListener((lin, phys, size, write, value, type) ->
                seen.add((write ? "W " : "R ") + Long.toHexString(lin) + " " + size + " " + Long.toHexString(value)));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x1122334455667788L);
        assertThat(g.m.memory().read32(0x4000)).isEqualTo(0x11223344);
        assertThat(seen).containsExactly("W 3ffc 8 1122334455667788", "R 3ffc 8 1122334455667788");
    }

    @Test
    void memoryListenerAddedWhileTheTlbMapsThePage_seesTheNextAccessToIt() {
        // mov rbx,[0x2000]; mov rbx,[0x2000]; hlt: the first load fills the software TLB entry
        Guest g = Guest.long64("488B1C2500200000" + "488B1C2500200000" + "F4");
        g.m.memory().write64(0x2000, 0x55AAL);
        g.run(1);
        List<String> seen = new ArrayList<>();
        g.m.addMemoryListener((lin, phys, size, write, value, type) ->
                seen.add((write ? "W " : "R ") + Long.toHexString(lin) + " " + size + " " + Long.toHexString(value)));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(seen).containsExactly("R 2000 8 55aa");
    }

    @Test
    void apiMisuse_throwsIllegalArgumentNamingTheRange() {
        Machine m = Machine.builder().memorySize(1 << 20).build();
        assertThatThrownBy(() -> m.cr(5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0, 2, 3, 4, 8");
        assertThatThrownBy(() -> m.dr(8)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 7]");
        assertThatThrownBy(() -> m.msr(0x12345)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x12345");
        assertThatThrownBy(() -> m.setMsr(0x12345, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setSegment(Seg.DS, 0x10000, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("selector");
        assertThatThrownBy(() -> m.setGdtr(0, 0x10000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> m.run(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunLimits.unlimited().maxInstructions(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Machine.builder().memorySize(4095)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4096");
        assertThatThrownBy(() -> m.enterLongMode(0x123)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.enterLongMode(0xFF000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RAM");
        assertThatThrownBy(() -> m.addMemoryListener(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void msrs_guestWrmsrRdmsr_andUnknownMsrIsGeneralProtection() {
        // mov ecx,0xC0000100; mov eax,0x1000; xor edx,edx; wrmsr; mov ecx,0x10; rdmsr; mov rbx,fs:[0]; hlt
        Guest g = Guest.long64("B9000100C0B80010000031D20F30B9100000000F3264488B1C2500000000F4");
        g.m.memory().write64(0x1000, 0xFEEDL);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.segment(Seg.FS).base()).isEqualTo(0x1000);
        assertThat(g.m.msr(0xC0000100)).isEqualTo(0x1000);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0xFEED);
        assertThat(g.reg(Reg.RAX)).as("TSC = cycles before the RDMSR: mov, mov, xor, wrmsr (20), mov").isEqualTo(1 + 1 + 1 + 20 + 1);

        Guest bad = Guest.long64("B9452301000F32F4"); // mov ecx,0x12345; rdmsr; hlt
        List<Integer> vectors = new ArrayList<>();
        bad.m.addExceptionListener((v, e, has) -> vectors.add(v));
        bad.run();
        assertThat(vectors).first().isEqualTo(13);
    }

    @Test
    void vmxCapabilityMsrs_areReadOnlyForTheGuest_butSettableThroughTheApi() {
        Machine m = Machine.builder().build();
        assertThat(m.msr(0x480)).isEqualTo(0x00d8100000000004L);
        m.setMsr(0x480, 5);
        assertThat(m.msr(0x480)).isEqualTo(5);
    }

    @Test
    void reset_restoresPowerOnRegistersAndMsrs_keepsMemory() {
        Guest g = Guest.long64("B9030100C0B87700000031D20F30F4"); // wrmsr TSC_AUX = 0x77; hlt
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.msr(0xC0000103)).isEqualTo(0x77);
        g.m.reset();
        assertThat(g.m.rip()).isEqualTo(0xFFF0);
        assertThat(g.m.cr(0)).isEqualTo(0x60000010L);
        assertThat(g.m.efer()).isZero();
        assertThat(g.m.msr(0xC0000103)).isZero();
        assertThat(g.m.halted()).isFalse();
        assertThat(g.m.tsc()).isZero();
        assertThat(g.m.memory().read8(Guest.CODE)).as("memory kept").isEqualTo(0xB9);
    }
}
