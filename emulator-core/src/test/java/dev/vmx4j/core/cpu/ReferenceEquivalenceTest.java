package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.Seg;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast engine (decoded-instruction cache, software TLB, lazy flags) and the reference
 * configuration (none of them) must end in identical registers, flags, memory, retired
 * instructions and cycles on the same guest.
 */
class ReferenceEquivalenceTest {

    /** Programs from the instruction tests plus loops that reuse decoded instructions and TLB entries. */
    static final String[] PROGRAMS = {
        // mov ecx,1000; xor eax,eax; l: add eax,ecx; imul ebx,eax,3; mov [0x3000+rcx*8],rbx; loop l; hlt
        "B9E803000031C001C86BD80348891CCD00300000E2F1F4",
        // strings forward and backward
        "FCBF00300000B841000000B908000000F3AABE00300000BF00310000B902000000F3A5BE0030000066ADF4",
        "FDBF07300000B055B904000000F3AAFCF4",
        "BE00300000BF00310000C70641424344C70741424345FCB904000000F3A6F4",
        // self-modifying loop
        "B902000000B80000000001C3C605F3FFFFFF05FFC975EEF4",
        // calls, enter/leave, mul/div, shifts, flags
        "E806000000BB01000000F4B807000000C3",
        "BD34120000C82000004889EB4889E1C9F4",
        "B807000000B906000000F7E14989C0B86400000031D2B90700000048F7F14989C14989D248C7C09CFFFFFF489948F7F94C6BD803F4",
        "B881000000C1E004BB01000080D1CBB903000000BA01000000D3E2BEF000000040C0FE020FA4D808F4",
        "F99F88E3B4D59E9C59F4",
        // faults delivered through the skip handlers: div by zero, ud2, non-canonical load
        "31C9F7F1F4",
        "0F0B90F4",
        "48B80000000000000080488B1890F4",
    };

    private static final String LOOP_1000 = PROGRAMS[0];

    @Test
    void loopProgram_computesExpectedSum() {
        Machine m = Fixtures.long64(false);
        m.memory().load(Fixtures.CODE, Guest.bytes(LOOP_1000));
        m.run(RunLimits.unlimited().maxInstructions(100_000));
        assertThat(m.reg(Reg.RAX)).isEqualTo(500500);
        assertThat(m.memory().read64(0x3008)).isEqualTo(500500L * 3);
    }

    @Test
    void fixedPrograms_fastAndReferenceEndIdentical() {
        for (String hex : PROGRAMS) {
            compare(hex, Guest.bytes(hex), 64, RunLimits.unlimited().maxInstructions(100_000));
        }
    }

    @Test
    void seededRandomPrograms_fastAndReferenceEndIdentical() {
        SplittableRandom rnd = new SplittableRandom(0xE0_1A_11L);
        byte[] code = new byte[64];
        RunLimits limits = RunLimits.unlimited().maxInstructions(300);
        for (int i = 0; i < 450; i++) {
            rnd.nextBytes(code);
            compare("random #" + i + " " + HexFormat.of().formatHex(code), code, i % 3 == 0 ? 64 : i % 3 == 1 ? 32 : 16, limits);
        }
    }

    private static Machine machine(int mode, boolean reference) {
        return mode == 64 ? Fixtures.long64(reference) : mode == 32 ? Fixtures.prot32(reference) : Fixtures.real16(reference);
    }

    private static void compare(String name, byte[] code, int mode, RunLimits limits) {
        Machine fast = machine(mode, false);
        Machine ref = machine(mode, true);
        fast.memory().load(Fixtures.CODE, code);
        ref.memory().load(Fixtures.CODE, code);
        RunResult a = fast.run(limits);
        RunResult b = ref.run(limits);
        assertThat(a.reason()).as(name + " stop reason").isEqualTo(b.reason());
        assertThat(a.instructions()).as(name + " instructions").isEqualTo(b.instructions());
        assertThat(a.cycles()).as(name + " cycles").isEqualTo(b.cycles());
        for (Reg r : Reg.values()) {
            assertThat(fast.reg(r)).as(name + " " + r).isEqualTo(ref.reg(r));
        }
        assertThat(fast.rip()).as(name + " rip").isEqualTo(ref.rip());
        assertThat(fast.rflags()).as(name + " rflags").isEqualTo(ref.rflags());
        for (Seg s : Seg.values()) {
            assertThat(fast.segment(s).selector()).as(name + " " + s).isEqualTo(ref.segment(s).selector());
            assertThat(fast.segment(s).base()).as(name + " " + s + " base").isEqualTo(ref.segment(s).base());
        }
        for (int n : new int[] {0, 2, 3, 4}) {
            assertThat(fast.cr(n)).as(name + " cr" + n).isEqualTo(ref.cr(n));
        }
        byte[] ma = new byte[1 << 20];
        byte[] mb = new byte[1 << 20];
        fast.memory().read(0, ma, 0, ma.length);
        ref.memory().read(0, mb, 0, mb.length);
        if (!Arrays.equals(ma, mb)) {
            int at = Arrays.mismatch(ma, mb);
            throw new AssertionError(name + ": memory differs first at 0x" + Integer.toHexString(at));
        }
    }
}
