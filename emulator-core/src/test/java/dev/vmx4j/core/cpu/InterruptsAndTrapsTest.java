package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** External interrupts (raiseInterrupt), the STI shadow, HLT wake-up, and the TF single-step trap. */
class InterruptsAndTrapsTest {

    @Test
    void pendingInterrupt_wakesHlt_runsTheHandler_andReturnsAfterHlt() {
        Guest g = Guest.real("FBF4BB0100F4"); // sti; hlt; mov bx,1; hlt
        g.m.memory().load(0x10100, Guest.bytes("BA0500CF")); // mov dx,5; iret
        g.m.memory().write32(0x20 * 4, 0x1000_0100);
        List<Integer> seen = new ArrayList<>();
        g.m.addInterruptListener(seen::add);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.m.rip()).isEqualTo(2);
        g.m.raiseInterrupt(0x20);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RDX) & 0xFFFF).isEqualTo(5);
        assertThat(g.reg(Reg.RBX) & 0xFFFF).isEqualTo(1);
        assertThat(g.m.rip()).isEqualTo(6);
        assertThat(seen).containsExactly(0x20);
    }

    @Test
    void interruptWithIfClear_staysPending() {
        Guest g = Guest.real("F4"); // hlt with IF = 0
        g.m.raiseInterrupt(0x20);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.run().instructions()).isZero();
    }

    @Test
    void stiShadow_delaysDeliveryByOneInstruction() {
        Guest g = Guest.real("FBBB0200F4"); // sti; mov bx,2; hlt
        g.m.memory().load(0x10100, Guest.bytes("BA0500CF"));
        g.m.memory().write32(0x21 * 4, 0x1000_0100);
        g.m.raiseInterrupt(0x21);
        List<Long> ripsAtDelivery = new ArrayList<>();
        g.m.addInterruptListener(v -> ripsAtDelivery.add(g.m.rip()));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(ripsAtDelivery).as("delivered after the instruction following STI").containsExactly(4L);
        assertThat(g.reg(Reg.RBX) & 0xFFFF).isEqualTo(2);
    }

    @Test
    void highestPendingVectorIsDeliveredFirst() {
        Guest g = Guest.real("FB90F4"); // sti; nop; hlt
        for (int v : new int[] {0x30, 0x31}) {
            g.m.memory().write32(v * 4, 0x1000_0100);
        }
        g.m.memory().load(0x10100, Guest.bytes("CF")); // iret
        List<Integer> seen = new ArrayList<>();
        g.m.addInterruptListener(seen::add);
        g.m.raiseInterrupt(0x30);
        g.m.raiseInterrupt(0x31);
        g.run();
        assertThat(seen).containsExactly(0x31, 0x30);
    }

    @Test
    void trapFlag_raisesDebugTrapAfterEachInstructionThatStartedWithTf() {
        // pushfq; or qword [rsp],0x100; popfq; nop; nop; pushfq; and qword [rsp],~0x100; popfq; hlt
        Machine m = Fixtures.long64(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("9C48810C24000100009D90909C48812424FFFEFFFF9DF4"));
        long h = 0x7200;
        m.memory().load(h, Guest.bytes("49FFC448CF")); // inc r12; iretq
        long lo = (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47);
        m.memory().write64(Fixtures.IDT + 16, lo);
        assertThat(m.run(RunLimits.unlimited().maxInstructions(100)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.reg(Reg.R12)).as("after nop, nop, pushfq, and, popfq").isEqualTo(5);
        assertThat(m.dr(6) & (1L << 14)).as("DR6.BS").isNotZero();
    }

    @Test
    void instructionBreakpointFaults_rfResumes_dataBreakpointTrapsAfterTheWrite() {
        Machine m = Fixtures.long64(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("90C704250030000001000000F4")); // nop; mov dword [0x3000],1; hlt
        long h = 0x7200;
        m.memory().load(h, Guest.bytes("49FFC448814C24100000010048CF")); // inc r12; or qword [rsp+16],0x10000 (RF); iretq
        m.memory().write64(Fixtures.IDT + 16, (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47));
        List<Long> ripsAtDb = new ArrayList<>();
        m.addExceptionListener((v, e, has) -> {
            if (v == 1) {
                ripsAtDb.add(m.rip());
            }
        });
        m.setDr(0, Fixtures.CODE + 1);   // execute breakpoint on the MOV
        m.setDr(1, 0x3000);              // write breakpoint, 4 bytes
        m.setDr(7, 0x00D00405L);         // L0, L1; R/W1 = 01, LEN1 = 11
        assertThat(m.run(RunLimits.unlimited().maxInstructions(50)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.reg(Reg.R12)).isEqualTo(2);
        assertThat(ripsAtDb).as("fault at the MOV, then trap after it").containsExactly(Fixtures.CODE + 1, Fixtures.CODE + 12);
        assertThat(m.dr(6) & 0xF).as("DR6.B1 of the last hit").isEqualTo(2);
        assertThat(m.memory().read32(0x3000)).isEqualTo(1);
    }

    @Test
    void ioBreakpointWithCr4De_trapsAfterTheOut() {
        Machine m = Fixtures.long64(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("B001E68090F4")); // mov al,1; out 0x80,al; nop; hlt
        long h = 0x7200;
        m.memory().load(h, Guest.bytes("49FFC448814C24100000010048CF")); // inc r12; set RF in the image; iretq
        m.memory().write64(Fixtures.IDT + 16, (h & 0xFFFF) | (0x08L << 16) | (0xEL << 40) | (1L << 47));
        List<Long> ripsAtDb = new ArrayList<>();
        m.addExceptionListener((v, e, has) -> {
            if (v == 1) {
                ripsAtDb.add(m.rip());
            }
        });
        m.setDr(0, 0x80);
        m.setDr(7, 0x20401);      // L0, R/W0 = 10 (I/O), LEN0 = 1 byte
        m.setCr(4, m.cr(4) | 8);  // CR4.DE
        assertThat(m.run(RunLimits.unlimited().maxInstructions(20)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.reg(Reg.R12)).isEqualTo(1);
        assertThat(ripsAtDb).containsExactly(Fixtures.CODE + 4);
        assertThat(m.dr(6) & 1).isEqualTo(1);
    }
}
