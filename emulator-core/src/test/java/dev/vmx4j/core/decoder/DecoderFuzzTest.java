package dev.vmx4j.core.decoder;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.util.SplittableRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Coverage-guided fuzzing of {@link Decoder#decode} (Jazzer; see docs/FUZZING.md).
 *
 * <p>The input is the instruction bytes (the first 15 are used). Each is decoded in 16-, 32- and
 * 64-bit mode with every number of available bytes from 0 to 15, and the decoder's contract is
 * checked: it never throws; the status is a {@link DecodeStatus} constant; OK means a length in
 * 1..15 that does not exceed the bytes available; NEED_MORE_BYTES only when fewer than 15 bytes
 * are available (and always when none are); decoding is deterministic (a fresh decoder and a
 * fresh result agree with a reused, dirty one); and an instruction does not depend on the bytes
 * after it: once OK, INVALID, INVALID_LOCK or TOO_LONG, more available bytes give the same
 * status and, for OK, the identical instruction.
 */
class DecoderFuzzTest {

    private static final int[] MODES = {16, 32, 64};

    // Reused across inputs on purpose: a decode must not depend on what the previous one left.
    private final Decoder reused = new Decoder();
    private final DecodedInstruction dirty = new DecodedInstruction();

    /** Status counts, so the seeded test can show its generator reaches every status. */
    private final int[] statuses = new int[5];

    @FuzzTest(maxDuration = "30s")
    void anyBytesInAnyMode_decodeKeepsItsContract(byte[] input) {
        byte[] bytes = input.length > DecodedInstruction.MAX_LENGTH
                ? Arrays.copyOf(input, DecodedInstruction.MAX_LENGTH) : input;
        for (int mode : MODES) {
            checkMode(bytes, mode);
        }
    }

    private void checkMode(byte[] bytes, int mode) {
        int settledStatus = -1;
        String settled = null;
        int settledAt = -1;
        for (int available = 0; available <= bytes.length; available++) {
            String where = mode + "-bit, " + available + " of " + HexFormat.of().formatHex(bytes);
            int status = decodeChecked(reused, bytes, available, mode, dirty, where);
            checkStatus(status, available, mode, where);
            statuses[status]++;
            DecodedInstruction fresh = new DecodedInstruction();
            int again = decodeChecked(new Decoder(), bytes, available, mode, fresh, where);
            if (again != status) {
                throw new AssertionError(where + ": status " + status + " then " + again + " on the same bytes");
            }
            if (status == DecodeStatus.OK) {
                String a = describe(dirty);
                String b = describe(fresh);
                if (!a.equals(b)) {
                    throw new AssertionError(where + ": not deterministic:\n  reused " + a + "\n  fresh  " + b);
                }
            }
            if (settledStatus >= 0) {
                // The instruction was complete (or decided) with fewer bytes: bytes after it
                // must not change anything.
                if (status != settledStatus) {
                    throw new AssertionError(where + ": status " + settledStatus + " with " + settledAt
                            + " bytes became " + status + " with more bytes");
                }
                if (status == DecodeStatus.OK && !describe(fresh).equals(settled)) {
                    throw new AssertionError(where + ": the bytes after the instruction changed it:\n  "
                            + settled + "\n  " + describe(fresh));
                }
            } else if (status != DecodeStatus.NEED_MORE_BYTES) {
                settledStatus = status;
                settledAt = available;
                settled = status == DecodeStatus.OK ? describe(fresh) : null;
            }
        }
    }

    private static int decodeChecked(Decoder d, byte[] bytes, int available, int mode, DecodedInstruction out,
            String where) {
        try {
            return d.decode(bytes, 0, available, mode, out);
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": decode threw", e);
        }
    }

    private void checkStatus(int status, int available, int mode, String where) {
        switch (status) {
            case DecodeStatus.OK:
                if (dirty.length < 1 || dirty.length > DecodedInstruction.MAX_LENGTH || dirty.length > available) {
                    throw new AssertionError(where + ": OK with length " + dirty.length);
                }
                if (dirty.mode != mode) {
                    throw new AssertionError(where + ": OK with mode " + dirty.mode);
                }
                break;
            case DecodeStatus.NEED_MORE_BYTES:
                if (available >= DecodedInstruction.MAX_LENGTH) {
                    throw new AssertionError(where + ": NEED_MORE_BYTES with 15 bytes available");
                }
                break;
            case DecodeStatus.INVALID:
            case DecodeStatus.INVALID_LOCK:
            case DecodeStatus.TOO_LONG:
                break;
            default:
                throw new AssertionError(where + ": status " + status + " is not a DecodeStatus constant");
        }
        if (available == 0 && status != DecodeStatus.NEED_MORE_BYTES) {
            throw new AssertionError(where + ": status " + status + " with no bytes available");
        }
    }

    /** Every field of the instruction, for equality and messages. */
    static String describe(DecodedInstruction d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.mnemonic).append(" len=").append(d.length).append(" mode=").append(d.mode)
                .append(" os=").append(d.operandSize).append(" as=").append(d.addressSize)
                .append(" pfx=").append(Integer.toHexString(d.prefixes)).append(" rex=").append(d.rex)
                .append(" seg=").append(d.segmentOverride).append(" cc=").append(d.condition)
                .append(" n=").append(d.operandCount);
        for (int i = 0; i < 4; i++) {
            sb.append(" [").append(d.kind[i]).append(',').append(d.reg[i]).append(',').append(d.size[i]).append(']');
        }
        sb.append(" mem=").append(d.memBase).append('/').append(d.memIndex).append('*').append(d.memScale)
                .append('+').append(Long.toHexString(d.memDisplacement)).append('@').append(d.memSegment)
                .append(" imm=").append(Long.toHexString(d.immediate)).append('/').append(Long.toHexString(d.immediate2))
                .append(" op=").append(Integer.toHexString(d.opcode)).append(" modrm=").append(d.modrm);
        return sb.toString();
    }

    /** Bytes the generator favours: prefixes, REX, escapes, VEX, x87, ModRM/SIB extremes. */
    private static final int[] INTERESTING = {0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65,
        0x40, 0x41, 0x44, 0x48, 0x4F, 0x0F, 0x38, 0x3A, 0xC4, 0xC5, 0x62, 0x8F, 0xD8, 0xDF, 0x04, 0x05, 0x24,
        0x25, 0x44, 0x84, 0xC0, 0xFF, 0x00};

    /**
     * Seeded property test (runs in every build): 20,000 generated byte sequences (every 16th
     * starting with a run of legacy prefixes) keep the contract.
     */
    @Test
    void seededRandomBytes_decodeKeepsItsContract() {
        SplittableRandom random = new SplittableRandom(0xDEC0DEL);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[random.nextInt(DecodedInstruction.MAX_LENGTH + 1)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(3) == 0 ? INTERESTING[random.nextInt(INTERESTING.length)]
                        : random.nextInt(256));
            }
            if (n % 16 == 0) {
                // A long run of prefixes, so instructions reach the 15-byte limit (TOO_LONG).
                int run = Math.min(bytes.length, 8 + random.nextInt(8));
                for (int i = 0; i < run; i++) {
                    bytes[i] = (byte) INTERESTING[random.nextInt(11)];
                }
            }
            anyBytesInAnyMode_decodeKeepsItsContract(bytes);
        }
        for (int s = 0; s < statuses.length; s++) {
            if (statuses[s] == 0) {
                throw new AssertionError("the generator never reached status " + s + ": " + Arrays.toString(statuses));
            }
        }
    }
}
