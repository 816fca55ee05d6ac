package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import org.junit.jupiter.api.Test;

/**
 * PUSH/POP/CALL/RET in the interpreter's page run (FormExec's 64-bit stack paths) end in the
 * state, cycles and instruction counts of the reference configuration (one instruction at a
 * time through {@code Exec}), including a RET to a non-canonical target, which faults before RSP
 * moves, and 16-bit operand sizes, which move RSP by two.
 */
class PageRunStackFormsTest {

    private static final long CODE = 0x10000;
    private static final long STACK = 0x80000;

    private static Machine run(String hex, boolean reference) {
        Machine m = Machine.builder().memorySize(8L << 20).engine(Engine.INTERPRETER).referenceMode(reference).build();
        m.enterLongMode(0x200000);
        m.memory().load(CODE, Guest.bytes(hex));
        m.setRip(CODE);
        m.setReg(Reg.RSP, STACK);
        m.setReg(Reg.RAX, 0x1122334455667788L);
        results.put(m, m.run(RunLimits.unlimited().maxInstructions(1_000)));
        return m;
    }

    private static final java.util.Map<Machine, RunResult> results = new java.util.IdentityHashMap<>();

    private static void assertSameAsReference(String hex) {
        Machine fast = run(hex, false);
        RunResult fr = results.get(fast);
        Machine ref = run(hex, true);
        RunResult rr = results.get(ref);
        assertThat(fr.reason()).isEqualTo(rr.reason());
        assertThat(fr.instructions()).isEqualTo(rr.instructions());
        assertThat(fr.cycles()).isEqualTo(rr.cycles());
        assertThat(fast.rip()).isEqualTo(ref.rip());
        for (Reg g : new Reg[] {Reg.RAX, Reg.RCX, Reg.RDX, Reg.RSP}) {
            assertThat(fast.reg(g)).as(g.name()).isEqualTo(ref.reg(g));
        }
        assertThat(fast.memory().read64(STACK - 8)).isEqualTo(ref.memory().read64(STACK - 8));
        assertThat(fast.memory().read64(STACK - 16)).isEqualTo(ref.memory().read64(STACK - 16));
    }

    @Test
    void pushPopCallRet_sameAsReference() {
        // push rax; pop rcx; call +1; hlt; (f:) push rcx; pop rdx; ret
        String hex = "50" + "59" + "E801000000" + "F4" + "51" + "5A" + "C3";
        assertSameAsReference(hex);
        Machine m = run(hex, false);
        assertThat(m.reg(Reg.RCX)).isEqualTo(0x1122334455667788L);
        assertThat(m.reg(Reg.RDX)).isEqualTo(0x1122334455667788L);
        assertThat(m.reg(Reg.RSP)).isEqualTo(STACK);
        assertThat(m.memory().read64(STACK - 8)).isEqualTo(CODE + 7); // the return address
    }

    @Test
    void retToNonCanonicalTarget_faultsBeforeRspMoves_sameAsReference() {
        // mov rax, 0000800000000000h; push rax; ret  (#GP(0): no IDT, so the machine shuts down)
        String hex = "48B80000000000800000" + "50" + "C3";
        assertSameAsReference(hex);
        Machine m = run(hex, false);
        assertThat(m.reg(Reg.RSP)).isEqualTo(STACK - 8);
    }

    @Test
    void sixteenBitPushPop_moveRspByTwo_sameAsReference() {
        // push ax (66 50); pop cx (66 59); push ax; hlt
        String hex = "6650" + "6659" + "6650" + "F4";
        assertSameAsReference(hex);
        Machine m = run(hex, false);
        assertThat(m.reg(Reg.RSP)).isEqualTo(STACK - 2);
        assertThat(m.reg(Reg.RCX) & 0xFFFF).isEqualTo(0x7788);
    }
}
