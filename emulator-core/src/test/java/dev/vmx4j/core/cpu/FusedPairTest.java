package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.decoder.DecodedInstruction;
import org.junit.jupiter.api.Test;

/**
 * Fused pairs in the interpreter's page run ({@link FusedExec}) end in the state, cycles and
 * instruction counts of the reference configuration (one instruction at a time through
 * {@code Exec}): every pair kind in a loop, every instruction and cycle budget that ends between
 * the two instructions of a pair, a 16-bit Jcc (run the ordinary way after its fused first), and
 * code that rewrites the second of a pair.
 */
class FusedPairTest {

    private static final long CODE = 0x10000;
    private static final long STACK = 0x80000;

    /**
     * <pre>
     *         mov ecx, 50
     * L:      mov rdx, rax / shl rdx, 13 / xor rax, rdx      ; MOV_RR_SHL_RI at 05h
     *         mov rdx, rax / shr rdx, 7 / xor rax, rdx       ; MOV_RR_SHR_RI at 0Fh
     *         mov rsi, rax / and esi, 0FFF8h                 ; MOV_RR_AND_RI at 19h
     *         add rdi, rsi
     *         test al, 1 / jz a1 / add r8, rdx               ; TEST_RI_JCC at 25h
     * a1:     cmp rsi, rdi / jb a2 / add r9, rdx             ; CMP_RR_JCC at 2Ch
     * a2:     cmp rsi, 100h / ja a3 / inc r10                ; CMP_RI_JCC at 34h
     * a3:     test esi, edi / jnz a4 / dec r11               ; TEST_RR_JCC at 40h
     * a4:     sub r12, 1 / js a5                             ; SUB_RI_JCC at 47h
     * a5:     dec ecx / jnz L                                ; DEC_JCC at 4Dh
     *         hlt
     * </pre>
     */
    private static final String LOOP = "b9320000004889c248c1e20d4831d04889c248c1ea074831d04889c681e6f8ff0000"
            + "4801f7a80174034901d04839fe72034901d14881fe00010000770349ffc285fe750349ffcb4983ec017800ffc975b4f4";

    private static final Reg[] REGS = {Reg.RAX, Reg.RCX, Reg.RDX, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10,
        Reg.R11, Reg.R12, Reg.RSP};

    private static Machine machine(String hex, boolean reference) {
        Machine m = Machine.builder().memorySize(8L << 20).engine(Engine.INTERPRETER).referenceMode(reference).build();
        m.enterLongMode(0x200000);
        m.memory().load(CODE, Guest.bytes(hex));
        m.setRip(CODE);
        m.setReg(Reg.RSP, STACK);
        m.setReg(Reg.RAX, 0x123456789ABCDEF1L);
        m.setReg(Reg.R12, 3);
        return m;
    }

    private static Machine assertSameAsReference(String hex, RunLimits limits) {
        Machine fast = machine(hex, false);
        RunResult fr = fast.run(limits);
        Machine ref = machine(hex, true);
        RunResult rr = ref.run(limits);
        assertThat(fr.reason()).isEqualTo(rr.reason());
        assertThat(fr.instructions()).as("instructions").isEqualTo(rr.instructions());
        assertThat(fr.cycles()).as("cycles").isEqualTo(rr.cycles());
        assertThat(fast.rip()).as("rip").isEqualTo(ref.rip());
        assertThat(fast.rflags()).as("rflags").isEqualTo(ref.rflags());
        for (Reg g : REGS) {
            assertThat(fast.reg(g)).as(g.name()).isEqualTo(ref.reg(g));
        }
        return fast;
    }

    @Test
    void everyPairKind_inALoop_sameAsReference_andLinked() {
        Machine m = assertSameAsReference(LOOP, RunLimits.unlimited().maxInstructions(10_000));
        assertThat(m.reg(Reg.RCX)).isZero();
        DecodeCache.CodePage p = m.cpu().decodeCache.pageIfPresent(CODE, 64);
        assertThat(p).isNotNull();
        int[][] expected = {
            {0x05, FusedExec.MOV_RR_SHL_RI}, {0x0F, FusedExec.MOV_RR_SHR_RI}, {0x19, FusedExec.MOV_RR_AND_RI},
            {0x25, FusedExec.TEST_RI_JCC}, {0x2C, FusedExec.CMP_RR_JCC}, {0x34, FusedExec.CMP_RI_JCC},
            {0x40, FusedExec.TEST_RR_JCC}, {0x47, FusedExec.SUB_RI_JCC}, {0x4D, FusedExec.DEC_JCC},
        };
        for (int[] e : expected) {
            DecodedInstruction d = p.live[e[0]];
            assertThat(d.fusion).as("kind at %x", e[0]).isEqualTo(e[1]);
            assertThat(d.fused).as("second at %x", e[0]).isSameAs(p.live[e[0] + d.length]);
        }
        // not pairs: XOR after SHL, ADD after AND
        assertThat(p.live[0x08].fused).isNull();
        assertThat(p.live[0x1C].fused).isNull();
    }

    /**
     * <pre>
     *         mov ecx, 20
     * L:      add rdi, rcx / jmp M / nop          ; REG_JMP at 05h
     * M:      lea rsi, [rdi+rcx*2] / jmp N        ; REG_JMP at 0Bh
     * N:      rol rsi, 3 / jmp P                  ; REG_JMP at 11h
     * P:      dec ecx / jnz L                     ; DEC_JCC at 17h
     *         hlt
     * </pre>
     */
    private static final String JUMPS = "b9140000004801cfeb0190488d344feb0048c1c603eb00ffc975eaf4";

    @Test
    void registerFormThenJmp_sameAsReference_andLinked() {
        Machine m = assertSameAsReference(JUMPS, RunLimits.unlimited().maxInstructions(1_000));
        assertThat(m.reg(Reg.RCX)).isZero();
        DecodeCache.CodePage p = m.cpu().decodeCache.pageIfPresent(CODE, 64);
        for (int off : new int[] {0x05, 0x0B, 0x11}) {
            assertThat(p.live[off].fusion).as("kind at %x", off).isEqualTo(FusedExec.REG_JMP);
        }
        for (int k = 1; k <= 40; k++) {
            assertSameAsReference(JUMPS, RunLimits.unlimited().maxInstructions(k));
        }
        for (int cy = 1; cy <= 60; cy++) {
            assertSameAsReference(JUMPS, RunLimits.unlimited().maxCycles(cy).maxInstructions(1_000));
        }
    }

    @Test
    void budgetsEndingInsideAPair_sameAsReference() {
        for (int k = 1; k <= 70; k++) {
            assertSameAsReference(LOOP, RunLimits.unlimited().maxInstructions(k));
        }
        for (int cy = 1; cy <= 90; cy++) {
            assertSameAsReference(LOOP, RunLimits.unlimited().maxCycles(cy).maxInstructions(10_000));
        }
    }

    @Test
    void sixteenBitJccAfterAFusedFirst_sameAsReference() {
        // mov ecx, 5; L: dec ecx; jnz L with a 66h prefix (o16); hlt
        assertSameAsReference("b905000000" + "ffc9" + "6675fb" + "f4", RunLimits.unlimited().maxInstructions(1_000));
    }

    @Test
    void codeRewritingTheSecondOfAPair_sameAsReference() {
        // xor ebx, ebx
        // top: mov rdx, rax / S: shl rdx, 13 / add rdi, rdx
        //      mov byte [rel S+3], 5 / inc ebx / cmp ebx, 3 / jb top / hlt
        String hex = "31db" + "4889c2" + "48c1e20d" + "4801d7" + "c605f5ffffff05" + "ffc3" + "83fb03" + "72e8" + "f4";
        Machine m = assertSameAsReference(hex, RunLimits.unlimited().maxInstructions(1_000));
        long rax = 0x123456789ABCDEF1L;
        assertThat(m.reg(Reg.RDI)).isEqualTo((rax << 13) + 2 * (rax << 5));
    }
}
