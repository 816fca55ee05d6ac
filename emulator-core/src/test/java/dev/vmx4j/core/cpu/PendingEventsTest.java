package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events model between instructions: blocking, NMI blocking, pending debug exceptions, activity, INIT/SIPI, injection. */
class PendingEventsTest {

    private static final int HANDLER = 0x1000_0100; // IVT entry: CS 0x1000, IP 0x100 (linear 0x10100)

    @Test
    void movSsAfterSti_extendsTheBlockingWindowToTheInstructionAfterMovSs() {
        Guest g = Guest.real("FB8ED0BB0200F4"); // sti; mov ss,ax; mov bx,2; hlt
        g.m.memory().load(0x10100, Guest.bytes("CF"));
        g.m.memory().write32(0x21 * 4, HANDLER);
        g.m.raiseInterrupt(0x21);
        List<Long> ripsAtDelivery = new ArrayList<>();
        g.m.addInterruptListener(v -> ripsAtDelivery.add(g.m.rip()));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        // SDM "Interruptibility State": MOV SS blocks until the end of the instruction after it.
        assertThat(ripsAtDelivery).containsExactly(6L);
    }

    @Test
    void singleStepTrapAfterMovSs_isHeldUntilAfterTheNextInstruction() {
        // pushfq; or qword [rsp],0x100; popfq; mov ax,ss; mov ss,ax; nop; pushfq; and qword [rsp],~0x100; popfq; hlt
        Machine m = Fixtures.long64(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("9C48810C24000100009D 8CD0 8ED0 90 9C48812424FFFEFFFF9D F4"));
        long h = 0x7200;
        m.memory().load(h, Guest.bytes("49FFC448CF")); // inc r12; iretq
        m.memory().write64(Fixtures.IDT + 16, (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47));
        List<Long> ripsAtDb = new ArrayList<>();
        m.addExceptionListener((v, e, has) -> {
            if (v == CpuException.DB) {
                ripsAtDb.add(m.rip());
            }
        });
        assertThat(m.run(RunLimits.unlimited().maxInstructions(100)).reason()).isEqualTo(StopReason.HALTED);
        // Trap after MOV AX,SS (at 12); none after MOV SS (14); one after the NOP (15); then PUSHFQ (16).
        assertThat(ripsAtDb.subList(0, 3)).containsExactly(Fixtures.CODE + 12, Fixtures.CODE + 15, Fixtures.CODE + 16);
        assertThat(m.dr(6) & PendingEvents.PENDING_DEBUG_BS).isNotZero();
    }

    @Test
    void nmiIsBlockedUntilIret() {
        Guest g = Guest.real("9090F4"); // nop; nop; hlt
        g.m.memory().load(0x10100, Guest.bytes("4390CF")); // inc bx; nop; iret
        g.m.memory().write32(2 * 4, HANDLER);
        PendingEvents p = Cpu.of(g.m).pendingEvents();
        List<String> deliveries = new ArrayList<>();
        g.m.addInterruptListener(v -> {
            deliveries.add(v + "@" + g.m.rip() + " bx=" + (g.reg(Reg.RBX) & 0xFFFF));
            if (deliveries.size() == 1) {
                p.raiseNmi(); // arrives while the first handler runs
            }
        });
        p.raiseNmi();
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(deliveries).containsExactly("2@0 bx=0", "2@0 bx=1");
        assertThat(g.reg(Reg.RBX) & 0xFFFF).isEqualTo(2);
        assertThat(p.interruptibility() & PendingEvents.BLOCKING_BY_NMI).as("unblocked by the last IRET").isZero();
    }

    @Test
    void nmiDuringMovSsBlocking_waitsOneInstruction() {
        Guest g = Guest.real("8ED0BB0200F4"); // mov ss,ax; mov bx,2; hlt
        g.m.memory().load(0x10100, Guest.bytes("CF"));
        g.m.memory().write32(2 * 4, HANDLER);
        List<Long> rips = new ArrayList<>();
        g.m.addInterruptListener(v -> rips.add(g.m.rip()));
        g.m.addInstructionListener((mach, rip, insn) -> {
            if (rip == 0) {
                Cpu.of(mach).pendingEvents().raiseNmi();
            }
        });
        g.run();
        assertThat(rips).containsExactly(5L);
    }

    @Test
    void nmiDuringStiBlocking_waitsOneInstruction() {
        // MANUAL in PendingEvents.next: blocking by STI also blocks NMIs (kvm-unit-tests nmi-after-sti).
        Guest g = Guest.real("FAFBBB0200F4"); // cli; sti; mov bx,2; hlt
        g.m.memory().load(0x10100, Guest.bytes("CF"));
        g.m.memory().write32(2 * 4, HANDLER);
        List<Long> rips = new ArrayList<>();
        g.m.addInterruptListener(v -> rips.add(g.m.rip()));
        g.m.addInstructionListener((mach, rip, insn) -> {
            if (rip == 1) {
                Cpu.of(mach).pendingEvents().raiseNmi();
            }
        });
        g.run();
        assertThat(rips).as("not at 2 (the boundary after STI) but after MOV BX").containsExactly(5L);
    }

    @Test
    void activityState_followsHltAndShutdown_withTheSdmEncodings() {
        Guest g = Guest.long64("F4");
        assertThat(Cpu.of(g.m).activity()).isEqualTo(ActivityState.ACTIVE);
        g.run();
        assertThat(Cpu.of(g.m).activity()).isEqualTo(ActivityState.HLT);
        assertThat(ActivityState.HLT.encoding).isEqualTo(1);
        Guest t = Guest.long64("0F0B"); // ud2 without an IDT: triple fault
        assertThat(t.run().reason()).isEqualTo(StopReason.SHUTDOWN);
        assertThat(Cpu.of(t.m).activity().encoding).isEqualTo(2);
        assertThat(ActivityState.of(3)).isEqualTo(ActivityState.WAIT_FOR_SIPI);
        assertThatThrownBy(() -> ActivityState.of(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void initOnAnApplicationProcessor_waitsForSipi_whichStartsItAtVectorTimes4K() {
        Guest g = Guest.real("90F4");
        Cpu cpu = Cpu.of(g.m);
        cpu.bootstrapProcessor = false;
        g.m.setReg(Reg.RBX, 0x1234);
        cpu.xmm[0] = 0x55;
        cpu.pendingEvents().raiseSipi(0x08); // ignored: the processor is not waiting for one
        cpu.pendingEvents().raiseInit();
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(cpu.activity()).isEqualTo(ActivityState.WAIT_FOR_SIPI);
        assertThat(g.reg(Reg.RBX)).as("INIT clears the general registers").isZero();
        assertThat(cpu.xmm[0]).as("INIT keeps SSE state").isEqualTo(0x55);
        g.m.memory().load(0x8000, Guest.bytes("BB0700F4")); // mov bx,7; hlt
        cpu.pendingEvents().raiseSipi(0x08);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.segment(Seg.CS).selector()).isEqualTo(0x0800);
        assertThat(g.reg(Reg.RBX) & 0xFFFF).isEqualTo(7);
        assertThat(g.m.rip()).isEqualTo(4);
    }

    @Test
    void initOnTheBootstrapProcessor_restartsAtTheResetVector() {
        Guest g = Guest.real("90F4");
        Cpu cpu = Cpu.of(g.m);
        g.m.memory().load(0xFFFFFFF0L - 0xFFFF0000L + 0xF0000L, Guest.bytes("F4")); // unused: no memory there
        cpu.pendingEvents().raiseInit();
        cpu.stepOnce();
        assertThat(cpu.activity()).isEqualTo(ActivityState.ACTIVE);
        assertThat(g.m.rip()).isEqualTo(0xFFF0);
        assertThat(g.m.segment(Seg.CS).base()).isEqualTo(0xFFFF0000L);
    }

    @Test
    void injectedSoftwareInterrupt_returnsAfterTheInstructionLength() {
        Guest g = Guest.real("90F4");
        g.m.memory().load(0x10100, Guest.bytes("F4"));
        g.m.memory().write32(0x30 * 4, HANDLER);
        Cpu cpu = Cpu.of(g.m);
        cpu.inject(InterruptionType.SOFTWARE_INTERRUPT, 0x30, 0, false, 2);
        assertThat(g.m.rip()).isEqualTo(0x100);
        assertThat(g.m.memory().read16(0x8000 - 6)).as("pushed IP = RIP + 2").isEqualTo(2);
        assertThat(cpu.delivering().valid).isFalse();
        assertThatThrownBy(() -> cpu.inject(1, 0, 0, false, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interruption type 1");
    }

    @Test
    void pendingDebugExceptions_areDeliveredBeforeTheNextInstruction() {
        Guest g = Guest.real("BB0100F4"); // mov bx,1; hlt
        g.m.memory().load(0x10100, Guest.bytes("F4"));
        g.m.memory().write32(1 * 4, HANDLER);
        Cpu cpu = Cpu.of(g.m);
        cpu.pendingEvents().setPendingDebug(PendingEvents.PENDING_DEBUG_BS | 1);
        g.run();
        assertThat(g.m.rip()).as("in the #DB handler").isEqualTo(0x101);
        assertThat(g.reg(Reg.RBX)).isZero();
        assertThat(g.m.dr(6) & 0x400F).isEqualTo(0x4001);
        assertThat(cpu.pendingEvents().pendingDebug()).isZero();
    }

    @Test
    void loadedMovSsBlocking_holdsAnInterruptForOneInstruction() {
        Guest g = Guest.real("BB0200F4"); // mov bx,2; hlt
        g.m.memory().load(0x10100, Guest.bytes("CF"));
        g.m.memory().write32(0x21 * 4, HANDLER);
        g.m.setRflags(0x202);
        Cpu cpu = Cpu.of(g.m);
        cpu.pendingEvents().setInterruptibility(PendingEvents.BLOCKING_BY_MOV_SS);
        g.m.raiseInterrupt(0x21);
        List<Long> rips = new ArrayList<>();
        g.m.addInterruptListener(v -> rips.add(g.m.rip()));
        g.run();
        assertThat(rips).containsExactly(3L);
        assertThatThrownBy(() -> cpu.pendingEvents().setInterruptibility(0x10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nothingPending_meansTheLoopTestsOnlyTheDeadline() {
        Guest g = Guest.long64("90F4");
        Cpu cpu = Cpu.of(g.m);
        g.run(1);
        assertThat(cpu.pendingEvents().mask()).isZero();
        assertThat(cpu.eventCheck).as("no controller, no timer").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void vmxEventsOutsideNonRootOperation_areDroppedAtTheNextBoundary() {
        Guest g = Guest.long64("9090F4");
        Cpu cpu = Cpu.of(g.m);
        cpu.pendingEvents().set(PendingEvents.INTERRUPT_WINDOW | PendingEvents.NMI_WINDOW);
        cpu.pendingEvents().armPreemptionTimer(cpu.cycles() + 1);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.instructionsRetired()).isEqualTo(3);
        assertThat(cpu.pendingEvents().mask() & PendingEvents.VMX_EVENTS).isZero();
        assertThat(cpu.pendingEvents().preemptionDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    /**
     * SDM "Event Blocking": in VMX non-root operation without "external-interrupt exiting",
     * RFLAGS.IF = 0 holds a maskable interrupt back as outside it, so the loop does not poll
     * before every instruction (and translated blocks may run); with "external-interrupt
     * exiting" the interrupt is a VM exit whatever IF says, so the loop polls.
     */
    @Test
    void interruptHeldBackByIfInNonRootOperation_makesTheLoopPollOnlyWithExternalInterruptExiting() {
        Guest g = Guest.long64("90F4");
        Cpu cpu = Cpu.of(g.m);
        assertThat(cpu.rflags() & Cpu.RF_IF).as("IF").isZero();
        g.m.raiseInterrupt(0x40);
        PendingEvents p = cpu.pendingEvents();
        p.update();
        assertThat(cpu.eventCheck).as("root operation, IF = 0").isNotEqualTo(Long.MIN_VALUE);
        cpu.vmx.nonRoot = true;
        cpu.vmx.externalInterruptExiting = false;
        p.update();
        assertThat(p.onlyMaskedInterruptsPending()).isTrue();
        assertThat(cpu.eventCheck).as("non-root operation, IF = 0, no external-interrupt exiting")
                .isNotEqualTo(Long.MIN_VALUE);
        cpu.vmx.externalInterruptExiting = true;
        p.update();
        assertThat(p.onlyMaskedInterruptsPending()).isFalse();
        assertThat(cpu.eventCheck).as("non-root operation with external-interrupt exiting").isEqualTo(Long.MIN_VALUE);
        cpu.vmx.nonRoot = false;
        cpu.vmx.externalInterruptExiting = false;
        p.update();
    }

    /** A controller that counts how often the CPU asks it, with one programmable line and a timer. */
    private static final class CountingController implements dev.vmx4j.core.devices.apic.InterruptController {
        int asked;
        boolean line;
        int vector = 0x40;
        long timer = Long.MAX_VALUE;

        @Override
        public boolean hasPendingInterrupt() {
            asked++;
            return line;
        }

        @Override
        public int acknowledgeInterrupt() {
            line = false;
            return vector;
        }

        @Override
        public boolean hasPendingNmi() {
            asked++;
            return false;
        }

        @Override
        public void acknowledgeNmi() {
        }

        @Override
        public void advanceTo(long cycle) {
            if (cycle >= timer) {
                timer = Long.MAX_VALUE;
                line = true;
            }
        }

        @Override
        public long nextEventCycle() {
            return timer;
        }
    }

    @Test
    void theControllerIsAskedOnlyWhenItsAnswerMayHaveChanged_notPerInstruction() {
        // mov ecx,1000; loop: dec ecx; jnz loop; hlt  (no I/O, no MMIO)
        Guest g = Guest.long64("B9E8030000FFC975FCF4");
        CountingController ic = new CountingController();
        g.m.setInterruptController(ic, null);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.instructionsRetired()).isEqualTo(2002);
        assertThat(ic.asked).as("asked at the start of the run and when halting, not 2002 times").isLessThan(10);
    }

    @Test
    void theControllersTimerDeadline_bringsItsInterruptAtTheFirstBoundaryAfterIt() {
        Machine m = Fixtures.long64(false);
        // sti; mov ecx,1000; loop: dec ecx; jnz loop; hlt
        m.memory().load(Fixtures.CODE, Guest.bytes("FBB9E8030000FFC975FCF4"));
        long h = 0x7200;
        m.memory().load(h, Guest.bytes("49FFC448CF")); // inc r12; iretq
        m.memory().write64(Fixtures.IDT + 0x40 * 16, (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47));
        CountingController ic = new CountingController();
        m.setInterruptController(ic, null);
        Cpu cpu = Cpu.of(m);
        long deadline = cpu.cycles() + 500;
        ic.timer = deadline;
        long[] cyclesAtDelivery = {-1};
        m.addInterruptListener(v -> cyclesAtDelivery[0] = cpu.cycles());
        assertThat(m.run(RunLimits.unlimited().maxInstructions(10_000)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.reg(Reg.R12)).as("the handler ran once").isEqualTo(1);
        assertThat(cyclesAtDelivery[0]).as("the first instruction boundary at or after the deadline")
                .isBetween(deadline, deadline + 10);
        assertThat(ic.asked).isLessThan(20);
    }
}
