package dev.vmx4j.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded properties of the decoder over random bytes (our own generator, no oracle needed). */
class DecoderPropertyTest {

    private static final int[] MODES = {16, 32, 64};
    /** Bytes that make random sequences hit prefixes, escapes and VEX more often. */
    private static final int[] INTERESTING = {0x0F, 0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x2E, 0x64, 0x48, 0x41,
        0xC4, 0xC5, 0x38, 0x3A, 0x01, 0xC7, 0xAE, 0x8F, 0xFF};

    private static byte[] randomInstructionBytes(SplittableRandom r) {
        byte[] b = new byte[15];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (r.nextInt(3) == 0 ? INTERESTING[r.nextInt(INTERESTING.length)] : r.nextInt(256));
        }
        return b;
    }

    @Test
    void fewerBytesThanTheInstruction_alwaysNeedMore_andMoreBytesChangeNothing() {
        SplittableRandom r = new SplittableRandom(0xD0C0DEL);
        Decoder decoder = new Decoder();
        DecodedInstruction full = new DecodedInstruction();
        DecodedInstruction part = new DecodedInstruction();
        List<String> failures = new ArrayList<>();
        int ok = 0;
        for (int i = 0; i < 30_000 && failures.size() < 20; i++) {
            byte[] b = randomInstructionBytes(r);
            int mode = MODES[i % 3];
            int st = decoder.decode(b, 0, 15, mode, full);
            if (st == DecodeStatus.OK) {
                ok++;
                for (int k = 0; k < 15; k++) {
                    int s = decoder.decode(b, 0, k, mode, part);
                    int want = k < full.length ? DecodeStatus.NEED_MORE_BYTES : DecodeStatus.OK;
                    if (s != want || (s == DecodeStatus.OK && !sameDecode(full, part))) {
                        failures.add(DecoderObjdumpCrossCheckTest.hexOf(b) + " mode " + mode + " with " + k
                                + " bytes: " + DecoderObjdumpCrossCheckTest.statusName(s));
                        break;
                    }
                }
            } else {
                // an invalid or too-long instruction never turns valid with fewer bytes
                for (int k = 0; k < 15; k++) {
                    int s = decoder.decode(b, 0, k, mode, part);
                    if (s == DecodeStatus.OK) {
                        failures.add(DecoderObjdumpCrossCheckTest.hexOf(b) + " mode " + mode + " OK with " + k
                                + " bytes but " + DecoderObjdumpCrossCheckTest.statusName(st) + " with 15");
                        break;
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(ok).isGreaterThan(10_000);
    }

    @Test
    void decodingIntoAUsedInstance_givesTheSameResultAsIntoAFreshOne() {
        SplittableRandom r = new SplittableRandom(7);
        Decoder decoder = new Decoder();
        DecodedInstruction reused = new DecodedInstruction();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 20_000 && failures.size() < 20; i++) {
            byte[] b = randomInstructionBytes(r);
            int mode = MODES[r.nextInt(3)];
            DecodedInstruction fresh = new DecodedInstruction();
            int s1 = decoder.decode(b, 0, 15, mode, fresh);
            int s2 = decoder.decode(b, 0, 15, mode, reused);
            if (s1 != s2 || (s1 == DecodeStatus.OK && !sameDecode(fresh, reused))) {
                failures.add(DecoderObjdumpCrossCheckTest.hexOf(b) + " mode " + mode);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void anyOffsetAndAvailableCount_neverThrows() {
        SplittableRandom r = new SplittableRandom(99);
        byte[] code = new byte[4096];
        for (int i = 0; i < code.length; i++) {
            code[i] = (byte) (r.nextInt(3) == 0 ? INTERESTING[r.nextInt(INTERESTING.length)] : r.nextInt(256));
        }
        Decoder decoder = new Decoder();
        DecodedInstruction d = new DecodedInstruction();
        int[] seen = new int[5];
        for (int i = 0; i < 100_000; i++) {
            int offset = r.nextInt(code.length);
            int available = r.nextInt(Math.min(20, code.length - offset) + 1);
            int st = decoder.decode(code, offset, available, MODES[i % 3], d);
            seen[st]++;
            if (st == DecodeStatus.OK) {
                assertThat(d.length).isBetween(1, Math.min(available, DecodedInstruction.MAX_LENGTH));
                assertThat(d.toString()).isNotEmpty();
            }
        }
        // TOO_LONG needs 15 prefixes in a row, which random bytes almost never give (DecoderTest covers it)
        for (int st : new int[] {DecodeStatus.OK, DecodeStatus.NEED_MORE_BYTES, DecodeStatus.INVALID,
            DecodeStatus.INVALID_LOCK}) {
            assertThat(seen[st]).as("status %s seen", DecoderObjdumpCrossCheckTest.statusName(st)).isPositive();
        }
    }

    private static boolean sameDecode(DecodedInstruction a, DecodedInstruction b) {
        if (a.mnemonic != b.mnemonic || a.length != b.length || a.operandSize != b.operandSize
                || a.addressSize != b.addressSize || a.prefixes != b.prefixes || a.rex != b.rex
                || a.segmentOverride != b.segmentOverride || a.condition != b.condition
                || a.operandCount != b.operandCount || a.memBase != b.memBase || a.memIndex != b.memIndex
                || a.memScale != b.memScale || a.memDisplacement != b.memDisplacement
                || a.memSegment != b.memSegment || a.immediate != b.immediate || a.immediate2 != b.immediate2
                || a.opcode != b.opcode || a.modrm != b.modrm || a.sib != b.sib || a.mode != b.mode) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (a.kind[i] != b.kind[i] || a.reg[i] != b.reg[i] || a.size[i] != b.size[i]) {
                return false;
            }
        }
        return true;
    }
}
