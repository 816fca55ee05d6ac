package dev.vmx4j.mmu.paging;

import static dev.vmx4j.mmu.AliasedMemory.le;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.util.SplittableRandom;
import dev.vmx4j.mmu.AliasedMemory;
import dev.vmx4j.mmu.tlb.CachedTranslator;
import dev.vmx4j.mmu.tlb.Tlb;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of the paging walker and the TLB in front of it (Jazzer; see
 * docs/FUZZING.md), over fuzzer-filled paging structures, control registers and accesses.
 *
 * <p>Contract checked for every access: the walk never throws and its return value matches
 * {@code faulted}; a permitted access yields a physical address below 2^MAXPHYADDR inside the
 * reported frame; a faulting walk writes nothing (SDM "Accessed and Dirty Flags": the walker
 * sets A/D only for a permitted access, see the MANUAL note in PageWalker); a permitted walk
 * only sets accessed/dirty bits (bits 5 and 6 of an entry); and {@link CachedTranslator} with a
 * small TLB agrees with the uncached walker on every result and leaves memory identical.
 *
 * <p>Input layout (little-endian, zeros past the end): byte 0 mode (mod 5: none, 32-bit, PAE,
 * 4-level, 5-level); byte 1 CR0.WP (bit 0) and CR4 PSE, PGE, PCIDE, SMEP, SMAP, PKE, PKS (bits
 * 1-7); byte 2 EFER.NXE (bit 0), 1-GByte pages (bit 1); byte 3 MAXPHYADDR (32 + n mod 21);
 * bytes 4-11 CR3; 12-15 PKRU; 16-19 PKRS; 20-51 the four PDPTE registers; 52-131 eight accesses
 * (8-byte linear address, 2-byte {@link PagingAccess} flags); the rest fills the 32-KiB memory
 * pool that every physical address aliases.
 */
class PageWalkerFuzzTest {

    private static final int POOL = 32 << 10;
    private static final int ACCESSES = 8;
    private static final int HEADER = 52;
    private static final long[] CR4_BITS = {PagingState.CR4_PSE, PagingState.CR4_PGE, PagingState.CR4_PCIDE,
        PagingState.CR4_SMEP, PagingState.CR4_SMAP, PagingState.CR4_PKE, PagingState.CR4_PKS};

    /** Outcome counts, so the seeded test can show its generator reaches both. */
    private int permitted;
    private int faults;

    @FuzzTest(maxDuration = "30s")
    void anyTablesAndState_walkKeepsItsContractAndTlbAgrees(byte[] input) {
        this.input = input;
        PagingState s = state(input);
        AliasedMemory plain = new AliasedMemory(POOL).fill(input, HEADER + 10 * ACCESSES);
        AliasedMemory cachedMemory = new AliasedMemory(POOL).fill(input, HEADER + 10 * ACCESSES);
        PageWalker walker = new PageWalker(plain);
        CachedTranslator cached = new CachedTranslator(new PageWalker(cachedMemory), new Tlb(16));
        WalkResult r = new WalkResult();
        WalkResult c = new WalkResult();
        String name = s.mode().toString();
        for (int i = 0; i < ACCESSES; i++) {
            long linear = le(input, HEADER + 10 * i, 8);
            int access = (int) le(input, HEADER + 10 * i + 8, 2) & PagingAccess.ALL;
            String where = name + " access " + i;
            byte[] before = plain.snapshot();
            boolean ok;
            boolean okCached;
            try {
                ok = walker.walk(s, linear, access, r);
                okCached = cached.translate(s, linear, access, 0, Tlb.NO_EPT, c);
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": threw; input " + HexFormat.of().formatHex(input), e);
            }
            check(ok == !r.faulted, where, () -> "walk returned " + ok + " with " + r);
            byte[] after = plain.snapshot();
            if (ok) {
                permitted++;
                checkTranslation(s, linear, r, where);
                int entryBytes = s.mode() == PagingMode.BITS_32 ? 4 : 8;
                String bad = AliasedMemory.onlyFlagsSet(before, after, entryBytes, 0, 0x60);
                check(bad == null, where, () -> "a permitted walk wrote more than A/D: " + bad);
            } else {
                faults++;
                check(java.util.Arrays.equals(before, after), where, () -> "a faulting walk wrote memory: "
                        + AliasedMemory.onlyFlagsSet(before, after, 1, 0, 0));
            }
            check(okCached == ok, where, () -> "cached " + okCached + " vs walker " + ok);
            check(same(r, c), where, () -> "cached result " + c + " vs walker " + r);
            check(plain.contentEquals(cachedMemory), where, () -> "memory differs after the cached translation");
        }
    }

    private static PagingState state(byte[] in) {
        int mode = (int) (le(in, 0, 1) % 5);
        int bits = (int) le(in, 1, 1);
        long cr0 = mode == 0 ? 0 : PagingState.CR0_PG;
        cr0 |= (bits & 1) != 0 ? PagingState.CR0_WP : 0;
        long cr4 = 0;
        for (int i = 0; i < CR4_BITS.length; i++) {
            cr4 |= (bits & (2 << i)) != 0 ? CR4_BITS[i] : 0;
        }
        long efer = 0;
        if (mode >= 2) {
            cr4 |= PagingState.CR4_PAE;
        }
        if (mode >= 3) {
            efer |= PagingState.EFER_LME | PagingState.EFER_LMA;
        }
        if (mode == 4) {
            cr4 |= PagingState.CR4_LA57;
        }
        int flags = (int) le(in, 2, 1);
        efer |= (flags & 1) != 0 ? PagingState.EFER_NXE : 0;
        PagingState s = new PagingState().setCr0(cr0).setCr4(cr4).setEfer(efer).setCr3(le(in, 4, 8))
                .setPkru((int) le(in, 12, 4)).setPkrs((int) le(in, 16, 4))
                .setMaxPhysicalAddressBits(32 + (int) (le(in, 3, 1) % 21))
                .setPages1GSupported((flags & 2) != 0);
        for (int i = 0; i < 4; i++) {
            s.setPdpte(i, le(in, 20 + 8 * i, 8));
        }
        return s;
    }

    private void checkTranslation(PagingState s, long linear, WalkResult r, String where) {
        long limit = 1L << s.maxPhysicalAddressBits();
        check(Long.compareUnsigned(r.physicalAddress, limit) < 0, where,
                () -> "physical address 0x" + Long.toHexString(r.physicalAddress) + " not below 2^MAXPHYADDR");
        long size = r.pageSize;
        check(size == WalkResult.PAGE_4K || size == WalkResult.PAGE_2M || size == WalkResult.PAGE_4M
                || size == WalkResult.PAGE_1G || s.mode() == PagingMode.NONE, where,
                () -> "page size 0x" + Long.toHexString(size));
        if (s.mode() != PagingMode.NONE) {
            check((r.frameBase & (size - 1)) == 0 && r.physicalAddress == (r.frameBase | (linear & (size - 1))),
                    where, () -> "address not in its frame: " + r);
        }
    }

    /**
     * Every field but {@code dirty}: the TLB keeps the dirty flag of the walk that filled it, and
     * a walk through aliased tables may set D afterwards (a write through a clean cached entry
     * re-walks, so the difference is never observable as a missed D update).
     */
    private static boolean same(WalkResult a, WalkResult b) {
        return a.faulted == b.faulted && a.errorCode == b.errorCode && (a.faulted
                || (a.physicalAddress == b.physicalAddress && a.pageSize == b.pageSize && a.frameBase == b.frameBase
                        && a.writable == b.writable && a.user == b.user && a.executable == b.executable
                        && a.global == b.global && a.patIndex == b.patIndex && a.protectionKey == b.protectionKey));
    }

    /** The input being run, for failure messages (built only when a check fails). */
    private byte[] input = new byte[0];

    private void check(boolean condition, String where, Supplier<String> what) {
        if (!condition) {
            throw new AssertionError(where + ": " + what.get() + "\ninput " + HexFormat.of().formatHex(input));
        }
    }

    /**
     * Seeded property test (runs in every build): 400 generated inputs whose memory pool holds
     * plausible entries (a pool frame, random low flag bits, now and then random high bits).
     */
    @Test
    void seededRandomTables_walkKeepsItsContractAndTlbAgrees() {
        SplittableRandom random = new SplittableRandom(0x9A61_46L);
        int header = HEADER + 10 * ACCESSES;
        for (int n = 0; n < 400; n++) {
            byte[] input = new byte[header + POOL];
            random.nextBytes(input);
            input[0] = (byte) (n % 5);
            for (int i = 0; i < ACCESSES; i++) {
                // Linear addresses inside the first few GiB and both canonical halves.
                long linear = random.nextBoolean() ? random.nextLong(1L << 33) : -random.nextLong(1L << 33);
                for (int b = 0; b < 8; b++) {
                    input[HEADER + 10 * i + b] = (byte) (linear >>> (8 * b));
                }
            }
            for (int at = header; at + 8 <= input.length; at += 8) {
                long e = ((long) random.nextInt(POOL >>> 12) << 12) | random.nextInt(0x1000);
                if (random.nextInt(8) == 0) {
                    e |= random.nextLong() & 0xFFF0_0000_0000_0000L;
                }
                for (int b = 0; b < 8; b++) {
                    input[at + b] = (byte) (e >>> (8 * b));
                }
            }
            anyTablesAndState_walkKeepsItsContractAndTlbAgrees(input);
        }
        check(permitted > 100 && faults > 100, "generator", () -> permitted + " permitted, " + faults + " faults");
    }
}
