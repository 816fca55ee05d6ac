package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.cpu.x87.X87Unit;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random x87 and MMX programs (random escape bytes D8-DF and 0F MMX opcodes, memory operands
 * in a page of random bytes, random control words, FRSTOR of random images) on both engines:
 * no Java exception escapes, and the fast and reference engines end with identical x87 state,
 * memory, registers and cycle counts.
 */
class X87RobustnessTest {

    private static final int PROGRAMS = 120;
    private static final long DATA = 0x3000;

    @Test
    void randomX87Programs_neverThrow_andBothEnginesAgree() {
        SplittableRandom rnd = new SplittableRandom(0x87_87_87L);
        int halted = 0;
        long retired = 0;
        for (int p = 0; p < PROGRAMS; p++) {
            byte[] code = program(rnd);
            byte[] data = new byte[4096];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) rnd.nextInt(256);
            }
            // sprinkle well-formed 80-bit values and exponent patterns into the data page
            for (int i = 0; i < 64; i++) {
                int off = rnd.nextInt(4096 - 10) & ~1;
                data[off + 9] = (byte) (rnd.nextBoolean() ? 0x3F : rnd.nextBoolean() ? 0x7F : 0x00);
                data[off + 7] |= (byte) (rnd.nextBoolean() ? 0x80 : 0);
            }
            Machine fast = run(code, data, false);
            Machine ref = run(code, data, true);
            String where = "program " + p;
            X87Unit a = Cpu.of(fast).x87;
            X87Unit b = Cpu.of(ref).x87;
            assertThat(a.statusWord()).as(where + " FSW").isEqualTo(b.statusWord());
            assertThat(a.control).as(where + " FCW").isEqualTo(b.control);
            assertThat(a.valid).as(where + " tags").isEqualTo(b.valid);
            assertThat(a.se).as(where + " exponents").isEqualTo(b.se);
            assertThat(a.sig).as(where + " significands").isEqualTo(b.sig);
            assertThat(Cpu.of(fast).xmm).as(where + " XMM").isEqualTo(Cpu.of(ref).xmm);
            for (Reg r : Reg.values()) {
                assertThat(fast.reg(r)).as(where + " " + r).isEqualTo(ref.reg(r));
            }
            assertThat(fast.rip()).as(where + " RIP").isEqualTo(ref.rip());
            assertThat(fast.rflags()).as(where + " RFLAGS").isEqualTo(ref.rflags());
            assertThat(fast.cycles()).as(where + " cycles").isEqualTo(ref.cycles());
            byte[] ma = new byte[4096];
            byte[] mb = new byte[4096];
            fast.memory().read(DATA, ma, 0, 4096);
            ref.memory().read(DATA, mb, 0, 4096);
            assertThat(Arrays.equals(ma, mb)).as(where + " data page").isTrue();
            if (fast.halted()) {
                halted++;
            }
            retired += fast.instructionsRetired();
        }
        // Many programs end early in #UD (reserved encodings) or #MF (random unmasked exceptions)
        // delivered to a shutdown; the rest must still run a fair amount of x87 code.
        assertThat(halted).as("programs that reached HLT").isGreaterThan(PROGRAMS / 20);
        assertThat(retired).as("instructions retired").isGreaterThan(PROGRAMS * 5L);
    }

    private static Machine run(byte[] code, byte[] data, boolean reference) {
        Guest g = Guest.long64("F4", reference);
        g.m.memory().load(Guest.CODE, code);
        g.m.memory().load(DATA, data);
        g.m.setReg(Reg.RBX, DATA + 0x800);
        RunResult r = g.run(2000);
        assertThat(r).isNotNull();
        return g.m;
    }

    /** Up to 40 instructions: x87 escapes with [rbx+disp8] or register operands, some MMX, then HLT. */
    private static byte[] program(SplittableRandom rnd) {
        byte[] out = new byte[400];
        int n = 0;
        // fninit; optionally a random control word (masks, precision, rounding)
        out[n++] = (byte) 0xDB;
        out[n++] = (byte) 0xE3;
        if (rnd.nextBoolean()) {
            // mov word [rbx-0x800], imm16; fldcw [rbx-0x800]
            int cw = rnd.nextBoolean() ? 0x037F : rnd.nextInt(0x10000);
            byte[] set = {0x66, (byte) 0xC7, (byte) 0x83, 0x00, (byte) 0xF8, (byte) 0xFF, (byte) 0xFF,
                (byte) cw, (byte) (cw >>> 8), (byte) 0xD9, (byte) 0xAB, 0x00, (byte) 0xF8, (byte) 0xFF, (byte) 0xFF};
            System.arraycopy(set, 0, out, n, set.length);
            n += set.length;
        }
        int count = 5 + rnd.nextInt(36);
        for (int i = 0; i < count; i++) {
            int kind = rnd.nextInt(10);
            if (kind < 8) {
                out[n++] = (byte) (0xD8 + rnd.nextInt(8));
                if (rnd.nextBoolean()) {
                    out[n++] = (byte) (0xC0 | rnd.nextInt(64));
                } else {
                    // mod 01, r/m 011 (rbx) with a random reg field and disp8
                    out[n++] = (byte) (0x43 | rnd.nextInt(8) << 3);
                    out[n++] = (byte) rnd.nextInt(256);
                }
            } else if (kind == 8) {
                // an MMX operation between registers: 0F 60-6B, 74-76, D1-FE ranges
                int[] ops = {0x60, 0x63, 0x67, 0x6A, 0x6F, 0x74, 0x76, 0xD1, 0xD5, 0xDB, 0xE1, 0xE5, 0xE9, 0xEF,
                    0xF2, 0xF5, 0xFA, 0xFE, 0x77};
                int op = ops[rnd.nextInt(ops.length)];
                out[n++] = 0x0F;
                out[n++] = (byte) op;
                if (op != 0x77) {
                    out[n++] = (byte) (0xC0 | rnd.nextInt(64));
                }
            } else {
                out[n++] = (byte) 0x9B; // fwait
            }
        }
        out[n++] = (byte) 0xF4;
        return Arrays.copyOf(out, n);
    }
}
