package dev.vmx4j.mmu.ept;

import static dev.vmx4j.mmu.AliasedMemory.le;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.util.SplittableRandom;
import dev.vmx4j.mmu.AliasedMemory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of the EPT walker, the EPTP validator and the EPT-violation exit
 * qualification (Jazzer; see docs/FUZZING.md).
 */
class EptFuzzTest {

    private static final int POOL = 32 << 10;
    private static final int ACCESSES = 8;
    private static final int HEADER = 19;
    private static final int ACCESS_BYTES = 20;

    /** A PML sink whose fullness the fuzzer picks; counts logged pages. */
    private static final class Pml implements PmlSink {
        final boolean full;
        int logged;

        Pml(boolean full) {
            this.full = full;
        }

        @Override
        public boolean isFull() {
            return full;
        }

        @Override
        public void log(long guestPhysicalPage) {
            logged++;
        }
    }

    /**
     * Any EPT tables, capabilities, MAXPHYADDR, EPTP flags, controls and accesses: the walk never
     * throws; its return value matches the outcome; a translation gives a host-physical address
     * below 2^MAXPHYADDR with the guest-physical page offset; only a translation writes memory,
     * and only EPT accessed/dirty bits (bits 8, 9) when A/D flags are enabled in the EPTP; a
     * violation's exit qualification round-trips through {@link EptViolationQualification}.
     *
     * <p>Input layout (little-endian, zeros past the end): bytes 0-7 IA32_VMX_EPT_VPID_CAP;
     * byte 8 MAXPHYADDR (36 + n mod 17); byte 9 flags: 5-level walk (bit 0), EPT A/D (1),
     * mode-based execute (2), EPT-violation #VE (3), a PML sink (4) that is full (5); byte 10
     * the EPTP memory type; bytes 11-18 the root-table address; then eight accesses of 20 bytes
     * (guest-physical address, guest linear address, 4 bytes of {@link EptAccess} flags); the
     * rest fills the 32-KiB pool that every physical address aliases.
     */
    /** Outcome counts, by {@link EptWalkOutcome} ordinal (test bookkeeping only). */
    private final int[] outcomes = new int[EptWalkOutcome.values().length];

    @FuzzTest(maxDuration = "30s")
    void anyEptTables_walkKeepsItsContract(byte[] input) {
        this.input = input;
        int maxPhys = 36 + (int) (le(input, 8, 1) % 17);
        int flags = (int) le(input, 9, 1);
        boolean ad = (flags & 2) != 0;
        long eptp = Eptp.of(le(input, 11, 8) & EptEntry.ADDRESS_MASK, (int) le(input, 10, 1) & 7,
                (flags & 1) != 0 ? 5 : 4, ad);
        AliasedMemory memory = new AliasedMemory(POOL).fill(input, HEADER + ACCESS_BYTES * ACCESSES);
        Pml pml = (flags & 0x10) != 0 ? new Pml((flags & 0x20) != 0) : null;
        EptWalker walker = new EptWalker(memory)
                .configure(EptCapabilities.of(le(input, 0, 8)), maxPhys)
                .eptp(eptp)
                .modeBasedExecuteControl((flags & 4) != 0)
                .eptViolationVirtualizationException((flags & 8) != 0)
                .pageModificationLog(pml);
        EptWalkResult r = new EptWalkResult();
        String name = "EPT";
        for (int i = 0; i < ACCESSES; i++) {
            int at = HEADER + ACCESS_BYTES * i;
            long gpa = le(input, at, 8);
            long gla = le(input, at + 8, 8);
            int access = (int) le(input, at + 16, 4);
            if ((access & (EptAccess.READ | EptAccess.WRITE | EptAccess.FETCH)) == 0) {
                access |= EptAccess.READ;
            }
            String where = name + " access " + i;
            byte[] before = memory.snapshot();
            int loggedBefore = pml == null ? 0 : pml.logged;
            boolean ok;
            try {
                ok = walker.translate(gpa, gla, access, r);
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": threw; input " + HexFormat.of().formatHex(input), e);
            }
            byte[] after = memory.snapshot();
            check(ok == r.isTranslated() && r.outcome() != null, where, () -> "returned " + ok + " with " + r);
            outcomes[r.outcome().ordinal()]++;
            switch (r.outcome()) {
                case TRANSLATED: {
                    long hpa = r.hostPhysicalAddress();
                    check(Long.compareUnsigned(hpa, 1L << maxPhys) < 0, where,
                            () -> "host-physical 0x" + Long.toHexString(hpa) + " not below 2^MAXPHYADDR");
                    long pageMask = r.pageSize() - 1;
                    check((hpa & pageMask) == (gpa & pageMask), where, () -> "page offset lost: " + r);
                    check(r.memoryType() != null, where, () -> "no memory type: " + r);
                    String bad = AliasedMemory.onlyFlagsSet(before, after, 8, 1, ad ? 0x3 : 0);
                    check(bad == null, where, () -> "a translation wrote more than EPT A/D: " + bad);
                    break;
                }
                case VIOLATION: {
                    long q = r.exitQualification();
                    check((q & 7) != 0, where, () -> "violation without an access bit: " + r);
                    check(r.violationQualification().encode() == q, where,
                            () -> "qualification 0x" + Long.toHexString(q) + " does not round-trip");
                    check(Arrays.equals(before, after), where, () -> "a violation wrote memory");
                    break;
                }
                case MISCONFIGURATION:
                    check(r.misconfiguration() != EptMisconfiguration.NONE, where, () -> "misconfiguration NONE");
                    check(Arrays.equals(before, after), where, () -> "a misconfiguration wrote memory");
                    break;
                case PML_LOG_FULL:
                    check(pml != null && pml.full && ad, where, () -> "log-full event without a full log");
                    check(Arrays.equals(before, after), where, () -> "a log-full event wrote memory");
                    break;
                default:
                    throw new AssertionError(where + ": outcome " + r.outcome());
            }
            check(pml == null || pml.logged - loggedBefore <= 1, where, () -> "more than one page logged by one access");
        }
    }

    /**
     * Any capabilities, MAXPHYADDR and EPTP: the validator never throws; {@code validate} agrees
     * with {@code check}; OK means no offending bits and an EPTP the walker accepts (page-walk
     * length 4 or 5); a failure names only bits that are set in the EPTP. Any 64-bit
     * qualification: {@code decode} keeps exactly bits 12:0 and {@code decode(encode(x))} is x.
     *
     * <p>Input layout: bytes 0-7 IA32_VMX_EPT_VPID_CAP, byte 8 MAXPHYADDR (36 + n mod 17),
     * bytes 9-16 the EPTP, bytes 17-24 an exit qualification.
     */
    @FuzzTest(maxDuration = "10s")
    void anyEptpAndQualification_validatorAndCodecKeepTheirContract(byte[] input) {
        this.input = input;
        EptCapabilities caps = EptCapabilities.of(le(input, 0, 8));
        int maxPhys = 36 + (int) (le(input, 8, 1) % 17);
        long eptp = le(input, 9, 8);
        String where = caps + " MAXPHYADDR " + maxPhys + " EPTP 0x" + Long.toHexString(eptp);
        EptpValidator validator = new EptpValidator(caps, maxPhys);
        EptpCheck check = validator.check(eptp);
        EptpCheckResult result = validator.validate(eptp);
        check(check != null && result.check() == check, where, () -> "check " + check + " but validate " + result);
        if (check == EptpCheck.OK) {
            check(result.isOk() && result.offendingBits() == 0, where, () -> "OK with offending bits: " + result);
            int length = Eptp.pageWalkLength(eptp);
            check(length == 4 || length == 5, where, () -> "valid EPTP with page-walk length " + length);
            new EptWalker(new AliasedMemory(4096)).configure(caps, maxPhys).eptp(eptp);
        } else {
            check(!result.isOk() && (result.offendingBits() & ~eptp) == 0, where,
                    () -> "offending bits not in the EPTP: " + result);
        }

        long q = le(input, 17, 8);
        EptViolationQualification decoded = EptViolationQualification.decode(q);
        check(decoded.encode() == (q & EptViolationQualification.DEFINED_BITS), "qualification 0x" + Long.toHexString(q),
                () -> "decode/encode keeps 0x" + Long.toHexString(decoded.encode()));
        check(EptViolationQualification.decode(decoded.encode()).equals(decoded), "qualification " + decoded,
                () -> "decode(encode(x)) differs");
    }

    /** The input being run, for failure messages (built only when a check fails). */
    private byte[] input = new byte[0];

    private void check(boolean condition, String where, Supplier<String> what) {
        if (!condition) {
            throw new AssertionError(where + ": " + what.get() + "\ninput " + HexFormat.of().formatHex(input));
        }
    }

    /**
     * Seeded property test (runs in every build): 400 generated EPT configurations whose pool
     * holds plausible entries, and 20,000 random EPTP/capability/qualification triples.
     */
    @Test
    void seededRandomInputs_walkerValidatorAndCodecKeepTheirContracts() {
        SplittableRandom random = new SplittableRandom(0xE9_7E57L);
        int header = HEADER + ACCESS_BYTES * ACCESSES;
        for (int n = 0; n < 400; n++) {
            byte[] input = new byte[header + POOL];
            random.nextBytes(input);
            for (int i = 0; i < ACCESSES; i++) {
                long gpa = random.nextLong(1L << (30 + random.nextInt(20)));
                for (int b = 0; b < 8; b++) {
                    input[HEADER + ACCESS_BYTES * i + b] = (byte) (gpa >>> (8 * b));
                }
            }
            for (int at = header; at + 8 <= input.length; at += 8) {
                // Most of the time valid at any level: a pool frame, readable, random W/X, bits
                // 7:3 clear (memory type UC at a leaf), random A, D, user-execute and bit 11.
                long e = ((long) random.nextInt(POOL >>> 12) << 12) | random.nextInt(0x1000);
                if (random.nextInt(4) != 0) {
                    e = (e & ~0xFFL) | EptEntry.READ | (e & 0x6);
                }
                if (random.nextInt(8) == 0) {
                    e |= random.nextLong() & 0xFFF0_0000_0000_0000L;
                }
                for (int b = 0; b < 8; b++) {
                    input[at + b] = (byte) (e >>> (8 * b));
                }
            }
            anyEptTables_walkKeepsItsContract(input);
        }
        check(outcomes[0] > 50 && outcomes[1] > 50 && outcomes[2] > 50, "generator",
                () -> "translated/violation/misconfiguration/log-full " + Arrays.toString(outcomes));
        byte[] triple = new byte[25];
        for (int n = 0; n < 20_000; n++) {
            random.nextBytes(triple);
            anyEptpAndQualification_validatorAndCodecKeepTheirContract(triple);
        }
    }
}
