package dev.vmx4j.core.cpu;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.util.SplittableRandom;
import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Coverage-guided fuzzing of the run loop (Jazzer; see docs/FUZZING.md): any bytes as code, in
 * 64-bit mode, 32-bit protected mode or real mode, with fuzzer-chosen register values, run for
 * at most {@link #MAX_INSTRUCTIONS} instructions. {@code run()} must never throw (guest input
 * never makes Java throw), and the fast engine (decoded-instruction cache, software TLB, lazy
 * flags) and the reference engine must end in identical state: registers, RIP, RFLAGS,
 * segments, control registers, memory, stop reason, retired instructions and cycles; in 64-bit
 * mode the translating engine (every block translated on first sight) must end identical too.
 *
 * <p>Input layout: byte 0 picks the mode (mod 3: 64-bit, 32-bit, real); byte 1 bit 0 keeps a
 * fuzzer RSP (else the fixture's stack); bytes 2-3 (little-endian) are a mask of the general
 * registers given next, 8 little-endian bytes each in register-number order; then 2 bytes of
 * RFLAGS (masked to the status flags, TF and DF); the rest (at most {@link #MAX_CODE} bytes) is
 * the code. Faults are delivered to handlers that skip one byte and return.
 */
class MachineFuzzTest {

    static final int MAX_INSTRUCTIONS = 200;
    static final int MAX_CODE = 512;
    /** CF PF AF ZF SF TF DF OF. */
    private static final long RFLAGS_MASK = 0x0DD5L;
    private static final RunLimits LIMITS = RunLimits.unlimited().maxInstructions(MAX_INSTRUCTIONS);

    /** Real mode: IVT handler at 0000:REAL_SKIP, code at CS = REAL_CS (base CODE). */
    private static final int REAL_SKIP = 0x500;
    private static final int REAL_CS = (int) (Fixtures.CODE >>> 4);

    /** Runs that ended on HLT and instructions retired, so the seeded test can show programs do run. */
    private int halted;
    private long retired;

    @FuzzTest(maxDuration = "45s")
    void anyCodeAndRegisters_runNeverThrowsAndFastMatchesReference(byte[] input) {
        int mode = (int) (le(input, 0, 1) % 3);
        boolean fuzzRsp = (le(input, 1, 1) & 1) != 0;
        int at = 2;
        int mask = (int) le(input, at, 2);
        at += 2;
        long[] regs = new long[16];
        for (int r = 0; r < 16; r++) {
            if ((mask & (1 << r)) != 0) {
                regs[r] = le(input, at, 8);
                at += 8;
            }
        }
        long rflags = le(input, at, 2) & RFLAGS_MASK;
        at += 2;
        byte[] code = at < input.length
                ? Arrays.copyOfRange(input, at, Math.min(input.length, at + MAX_CODE)) : new byte[0];

        Machine fast = machine(mode, false);
        Machine ref = machine(mode, true);
        Machine translated = mode == 0 ? Fixtures.long64Translated() : null;
        for (Machine m : mode == 0 ? new Machine[] {fast, ref, translated} : new Machine[] {fast, ref}) {
            m.memory().load(Fixtures.CODE, code);
            long rsp = m.reg(Reg.RSP);
            for (Reg r : Reg.values()) {
                if ((mask & (1 << r.number())) != 0) {
                    m.setReg(r, regs[r.number()]);
                }
            }
            if (!fuzzRsp) {
                m.setReg(Reg.RSP, rsp);
            }
            m.setRflags(rflags | 2);
        }
        String name = (mode == 0 ? "64-bit" : mode == 1 ? "32-bit" : "real mode") + " input "
                + HexFormat.of().formatHex(input);
        RunResult a = runChecked(fast, name + " (fast)");
        RunResult b = runChecked(ref, name + " (reference)");
        compare(name, fast, ref, a, b);
        if (translated != null) {
            compare(name + " (translator)", translated, ref, runChecked(translated, name + " (translator)"), b);
        }
        halted += a.reason() == StopReason.HALTED ? 1 : 0;
        retired += a.instructions();
    }

    private static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (at + i < b.length ? b[at + i] & 0xFF : 0);
        }
        return v;
    }

    private static Machine machine(int mode, boolean reference) {
        if (mode == 0) {
            return Fixtures.long64(reference);
        }
        if (mode == 1) {
            return Fixtures.prot32(reference);
        }
        Machine m = Machine.builder().memorySize(4L << 20).referenceMode(reference).build();
        // push bp; mov bp,sp; inc word [bp+2]; pop bp; iret: skip one byte of the faulting instruction.
        m.memory().load(REAL_SKIP, Guest.bytes("5589E5FF46025DCF"));
        for (int v = 0; v < 256; v++) {
            m.memory().write32(v * 4L, REAL_SKIP);
        }
        m.setIdtr(0, 0x3FF);
        m.setSegment(Seg.CS, REAL_CS, Fixtures.CODE, 0xFFFF, 0x9B);
        m.setRip(0);
        m.setReg(Reg.RSP, 0x8000);
        return m;
    }

    private static RunResult runChecked(Machine m, String name) {
        try {
            return m.run(LIMITS);
        } catch (RuntimeException e) {
            throw new AssertionError(name + ": run() threw at rip 0x" + Long.toHexString(m.rip()), e);
        }
    }

    static void compare(String name, Machine fast, Machine ref, RunResult a, RunResult b) {
        StringBuilder diff = new StringBuilder();
        same(diff, "stop reason", a.reason(), b.reason());
        same(diff, "instructions", a.instructions(), b.instructions());
        same(diff, "cycles", a.cycles(), b.cycles());
        for (Reg r : Reg.values()) {
            same(diff, r.name(), fast.reg(r), ref.reg(r));
        }
        same(diff, "rip", fast.rip(), ref.rip());
        same(diff, "rflags", fast.rflags(), ref.rflags());
        for (Seg s : Seg.values()) {
            same(diff, s + ".selector", fast.segment(s).selector(), ref.segment(s).selector());
            same(diff, s + ".base", fast.segment(s).base(), ref.segment(s).base());
            same(diff, s + ".limit", fast.segment(s).limit(), ref.segment(s).limit());
            same(diff, s + ".ar", fast.segment(s).accessRights(), ref.segment(s).accessRights());
        }
        for (int n : new int[] {0, 2, 3, 4, 8}) {
            same(diff, "cr" + n, fast.cr(n), ref.cr(n));
        }
        same(diff, "efer", fast.efer(), ref.efer());
        byte[] ma = new byte[4 << 20];
        byte[] mb = new byte[4 << 20];
        fast.memory().read(0, ma, 0, ma.length);
        ref.memory().read(0, mb, 0, mb.length);
        int at = Arrays.mismatch(ma, mb);
        if (at >= 0) {
            diff.append(String.format(" memory first differs at 0x%x (fast %02x, reference %02x);", at,
                    ma[at] & 0xFF, mb[at] & 0xFF));
        }
        if (diff.length() > 0) {
            throw new AssertionError(name + ": fast and reference engines disagree:" + diff);
        }
    }

    private static void same(StringBuilder diff, String what, Object fast, Object ref) {
        if (!fast.equals(ref)) {
            diff.append(' ').append(what).append(" fast ").append(hex(fast)).append(" reference ").append(hex(ref))
                    .append(';');
        }
    }

    private static String hex(Object v) {
        return v instanceof Long || v instanceof Integer ? "0x" + Long.toHexString(((Number) v).longValue())
                : String.valueOf(v);
    }

    /**
     * Seeded property test (runs in every build): 150 generated inputs, 50 per mode, with random
     * registers and flags and 96 bytes of random code.
     */
    @Test
    void seededRandomInputs_runNeverThrowsAndFastMatchesReference() {
        SplittableRandom random = new SplittableRandom(0xFA57_0E5EL);
        for (int n = 0; n < 150; n++) {
            int mask = random.nextInt(1 << 16);
            byte[] input = new byte[4 + 8 * Integer.bitCount(mask) + 2 + 96];
            random.nextBytes(input);
            input[0] = (byte) (n % 3);
            input[1] = (byte) (random.nextInt(8) == 0 ? 1 : 0);
            input[2] = (byte) mask;
            input[3] = (byte) (mask >>> 8);
            anyCodeAndRegisters_runNeverThrowsAndFastMatchesReference(input);
        }
        if (halted == 0 || retired < 150L * 20) {
            throw new AssertionError("generator too weak: " + halted + " halted, " + retired + " retired");
        }
    }
}
