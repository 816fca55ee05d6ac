package dev.vmx4j.core.cpu.alu;

import static dev.vmx4j.core.cpu.alu.LazyFlags.AF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.ARITHMETIC;
import static dev.vmx4j.core.cpu.alu.LazyFlags.CF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.OF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.PF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.SF;
import static dev.vmx4j.core.cpu.alu.LazyFlags.ZF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LazyFlagsTest {

    private static final long[] SIX = {CF, PF, AF, ZF, SF, OF};

    /** Every combination of the six flags as an RFLAGS image. */
    private static long combination(int bits) {
        long f = 0;
        for (int i = 0; i < 6; i++) {
            if ((bits & (1 << i)) != 0) {
                f |= SIX[i];
            }
        }
        return f;
    }

    @Test
    void sixteenConditions_followTheSdmDefinitionForEveryFlagCombination() {
        for (boolean eager : new boolean[] {false, true}) {
            LazyFlags flags = new LazyFlags(eager);
            for (int bits = 0; bits < 64; bits++) {
                long f = combination(bits);
                flags.set(f);
                boolean cf = (f & CF) != 0;
                boolean zf = (f & ZF) != 0;
                boolean sf = (f & SF) != 0;
                boolean of = (f & OF) != 0;
                boolean pf = (f & PF) != 0;
                boolean[] expected = {
                    of, !of, cf, !cf, zf, !zf, cf || zf, !cf && !zf,
                    sf, !sf, pf, !pf, sf != of, sf == of, zf || sf != of, !zf && sf == of,
                };
                for (int t = 0; t < 16; t++) {
                    assertThat(flags.condition(t)).as("tttn %x flags %x", t, f).isEqualTo(expected[t]);
                }
            }
        }
    }

    @Test
    void conditionAfterCmp_fastPathAgreesWithFlagDefinitionForAllSizes() {
        SplittableRandom rnd = new SplittableRandom(11);
        LazyFlags lazy = new LazyFlags(false);
        LazyFlags eager = new LazyFlags(true);
        Alu la = new Alu(lazy);
        Alu ea = new Alu(eager);
        int[] sizes = {1, 2, 4, 8};
        for (int i = 0; i < 20_000; i++) {
            int size = sizes[i & 3];
            long a = edgeOrRandom(rnd);
            long b = (i % 5 == 0) ? a : edgeOrRandom(rnd);
            la.cmp(size, a, b);
            ea.cmp(size, a, b);
            for (int t = 0; t < 16; t++) {
                assertThat(lazy.condition(t)).as("cmp%d %x,%x tttn %x", size, a, b, t)
                        .isEqualTo(eager.condition(t))
                        .isEqualTo(AluVectorTest.conditionOf(t, eager.get()));
            }
        }
    }

    @Test
    void conditionSignedLess_afterCmpOfMinAndMax_isTrue() {
        LazyFlags flags = new LazyFlags(false);
        new Alu(flags).cmp(4, 0x8000_0000L, 0x7FFF_FFFFL);
        assertThat(flags.condition(0xC)).isTrue(); // L: SF != OF
        assertThat(flags.condition(0x2)).isFalse(); // B: unsigned 0x80000000 is above
        assertThat(flags.of()).isTrue();
    }

    @Test
    void conditionOutsideZeroToFifteen_throwsIllegalArgument() {
        LazyFlags flags = new LazyFlags(false);
        assertThatThrownBy(() -> flags.condition(16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..15");
    }

    @Test
    void setAndGet_keepOnlyTheSixArithmeticFlags() {
        LazyFlags flags = new LazyFlags(false);
        flags.set(-1L);
        assertThat(flags.get()).isEqualTo(ARITHMETIC).isEqualTo(0x8D5L);
        flags.set(0x202L); // IF and the reserved bit 1
        assertThat(flags.get()).isZero();
    }

    @Test
    void singleFlagSetters_afterLazyAdd_changeOnlyTheirBit() {
        for (int i = 0; i < 6; i++) {
            LazyFlags flags = new LazyFlags(false);
            new Alu(flags).add(1, 0xFF, 0x01); // CF ZF AF PF set, SF OF clear
            long before = flags.get();
            assertThat(before).isEqualTo(CF | ZF | AF | PF);
            long bit = SIX[i];
            boolean newValue = (before & bit) == 0;
            switch (i) {
                case 0: flags.setCf(newValue); break;
                case 1: flags.setPf(newValue); break;
                case 2: flags.setAf(newValue); break;
                case 3: flags.setZf(newValue); break;
                case 4: flags.setSf(newValue); break;
                default: flags.setOf(newValue); break;
            }
            assertThat(flags.get()).as("toggling bit %x", bit).isEqualTo(before ^ bit);
        }
    }

    @Test
    void readingFlags_doesNotChangeTheLazyRecord() {
        LazyFlags flags = new LazyFlags(false);
        Alu alu = new Alu(flags);
        alu.sub(2, 0x10, 0x20);
        long first = flags.get();
        for (int t = 0; t < 16; t++) {
            flags.condition(t);
        }
        flags.cf();
        flags.of();
        assertThat(flags.get()).isEqualTo(first).isEqualTo(CF | SF | PF);
    }

    @Test
    void eagerMode_reportsItself() {
        assertThat(new LazyFlags(true).isEager()).isTrue();
        assertThat(new LazyFlags(false).isEager()).isFalse();
    }

    // ---------------------------------------------------------------- property: lazy == eager

    static long edgeOrRandom(SplittableRandom rnd) {
        switch (rnd.nextInt(8)) {
            case 0: return 0;
            case 1: return -1;
            case 2: return 1L << rnd.nextInt(64);
            case 3: return (1L << rnd.nextInt(64)) - 1;
            case 4: return rnd.nextInt(256);
            default: return rnd.nextLong();
        }
    }

    /** Applies operation {@code op} to {@code alu}; returns the result (or a digest of it). */
    static long apply(Alu alu, int op, int size, long a, long b, long c) {
        int bmiSize = size < 4 ? 4 : size;
        switch (op) {
            case 0: return alu.add(size, a, b);
            case 1: return alu.adc(size, a, b);
            case 2: return alu.sub(size, a, b);
            case 3: return alu.sbb(size, a, b);
            case 4: alu.cmp(size, a, b); return 0;
            case 5: return alu.and(size, a, b);
            case 6: return alu.or(size, a, b);
            case 7: return alu.xor(size, a, b);
            case 8: alu.test(size, a, b); return 0;
            case 9: return alu.inc(size, a);
            case 10: return alu.dec(size, a);
            case 11: return alu.neg(size, a);
            case 12: return alu.not(size, a);
            case 13: return alu.shl(size, a, b & 0x7F);
            case 14: return alu.shr(size, a, b & 0x7F);
            case 15: return alu.sar(size, a, b & 0x7F);
            case 16: return alu.rol(size, a, b & 0x7F);
            case 17: return alu.ror(size, a, b & 0x7F);
            case 18: return alu.rcl(size, a, b & 0x7F);
            case 19: return alu.rcr(size, a, b & 0x7F);
            case 20: return size == 1 ? 0 : alu.shld(size, a, b, c & 0x7F);
            case 21: return size == 1 ? 0 : alu.shrd(size, a, b, c & 0x7F);
            case 22: return alu.mul(size, a, b) ^ alu.high;
            case 23: return alu.imul(size, a, b) ^ alu.high;
            case 24: return alu.div(size, c, a, b) ? alu.quotient ^ alu.remainder : 1;
            case 25: return alu.idiv(size, c, a, b) ? alu.quotient ^ alu.remainder : 1;
            case 26: return alu.bts(size, a, b);
            case 27: return alu.bsf(size, c, a);
            case 28: return alu.bsr(size, c, a);
            case 29: return alu.popcnt(size, a);
            case 30: return alu.lzcnt(size, a);
            case 31: return alu.tzcnt(size, a);
            case 32: return alu.andn(bmiSize, a, b);
            case 33: return alu.bextr(bmiSize, a, b);
            case 34: return alu.blsr(bmiSize, a);
            case 35: return alu.bzhi(bmiSize, a, b);
            case 36: return alu.adcx(bmiSize, a, b);
            case 37: return alu.adox(bmiSize, a, b);
            case 38: return alu.daa(a);
            case 39: return alu.das(a);
            case 40: return alu.aaa(a);
            case 41: return alu.aas(a);
            case 42: return alu.aam(a, (int) b);
            case 43: return alu.aad(a, (int) b);
            case 44: alu.flags().setCf(!alu.flags().cf()); return 0; // CMC
            case 45: alu.flags().set(a); return 0;
            case 46: return alu.imulTruncated(size, a, b);
            default: alu.flags().setOf((b & 1) != 0); return 0;
        }
    }

    static final int OPERATIONS = 48;

    @Test
    void lazyAndEager_agreeAfterRandomOperationSequences() {
        SplittableRandom rnd = new SplittableRandom(20261124);
        int[] sizes = {1, 2, 4, 8};
        for (int seq = 0; seq < 400; seq++) {
            LazyFlags lazy = new LazyFlags(false);
            LazyFlags eager = new LazyFlags(true);
            Alu la = new Alu(lazy);
            Alu ea = new Alu(eager);
            long start = rnd.nextLong();
            lazy.set(start);
            eager.set(start);
            StringBuilder trace = new StringBuilder();
            for (int step = 0; step < 60; step++) {
                int op = rnd.nextInt(OPERATIONS);
                int size = sizes[rnd.nextInt(4)];
                long a = edgeOrRandom(rnd);
                long b = edgeOrRandom(rnd);
                long c = edgeOrRandom(rnd);
                trace.append(String.format("op%d/%d(%x,%x,%x) ", op, size, a, b, c));
                long rl = apply(la, op, size, a, b, c);
                long re = apply(ea, op, size, a, b, c);
                assertThat(rl).as(trace.toString()).isEqualTo(re);
                if (rnd.nextInt(3) == 0) {
                    // Reading some flags in lazy mode only must not change what follows.
                    lazy.cf();
                    lazy.condition(rnd.nextInt(16));
                }
                if (rnd.nextInt(4) == 0) {
                    assertThat(lazy.get()).as(trace.toString()).isEqualTo(eager.get());
                    for (int t = 0; t < 16; t++) {
                        assertThat(lazy.condition(t)).as(trace + " tttn " + t)
                                .isEqualTo(eager.condition(t));
                    }
                }
            }
            assertThat(lazy.get()).as(trace.toString()).isEqualTo(eager.get());
            assertThat(lazy.cf()).isEqualTo(eager.cf());
            assertThat(lazy.pf()).isEqualTo(eager.pf());
            assertThat(lazy.af()).isEqualTo(eager.af());
            assertThat(lazy.zf()).isEqualTo(eager.zf());
            assertThat(lazy.sf()).isEqualTo(eager.sf());
            assertThat(lazy.of()).isEqualTo(eager.of());
        }
    }

    /**
     * Every recorded kind (ADD, ADC, SUB, SBB, CMP, NEG, logic, INC, DEC, SHL, SHR, SAR) followed
     * by each instruction that replaces only some flags (CMC, an OF write, BSF's ZF, the four
     * rotates, LZCNT, BTS, DAA, AAA) and then a second partial write: lazy and eager agree on every
     * flag and condition. The partial writes leave the record in place and mark the flags they
     * wrote as explicit (SHL's OF must still use the shift's own CF after CLC).
     */
    @Test
    void partialFlagWritesAfterEveryRecordedKind_agreeWithTheEagerReference() {
        SplittableRandom rnd = new SplittableRandom(20261207);
        int[] records = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15};
        int[] partial = {16, 17, 18, 19, 26, 27, 30, 38, 40, 44, 47};
        int[] sizes = {1, 2, 4, 8};
        for (int round = 0; round < 40; round++) {
            for (int r : records) {
                for (int p : partial) {
                    for (int size : sizes) {
                        LazyFlags lazy = new LazyFlags(false);
                        LazyFlags eager = new LazyFlags(true);
                        Alu la = new Alu(lazy);
                        Alu ea = new Alu(eager);
                        long start = rnd.nextLong();
                        lazy.set(start);
                        eager.set(start);
                        long a = edgeOrRandom(rnd);
                        long b = rnd.nextInt(4) == 0 ? 1 : edgeOrRandom(rnd);
                        long c = edgeOrRandom(rnd);
                        int second = partial[rnd.nextInt(partial.length)];
                        String what = String.format("op%d then op%d then op%d, size %d, %x %x %x", r, p, second,
                                size, a, b, c);
                        apply(la, r, size, a, b, c);
                        apply(ea, r, size, a, b, c);
                        assertThat(apply(la, p, size, b, a, c)).as(what).isEqualTo(apply(ea, p, size, b, a, c));
                        assertSame(lazy, eager, what);
                        apply(la, second, size, c, b, a);
                        apply(ea, second, size, c, b, a);
                        assertSame(lazy, eager, what);
                    }
                }
            }
        }
    }

    private static void assertSame(LazyFlags lazy, LazyFlags eager, String what) {
        assertThat(lazy.cf()).as(what + ": CF").isEqualTo(eager.cf());
        assertThat(lazy.pf()).as(what + ": PF").isEqualTo(eager.pf());
        assertThat(lazy.af()).as(what + ": AF").isEqualTo(eager.af());
        assertThat(lazy.zf()).as(what + ": ZF").isEqualTo(eager.zf());
        assertThat(lazy.sf()).as(what + ": SF").isEqualTo(eager.sf());
        assertThat(lazy.of()).as(what + ": OF").isEqualTo(eager.of());
        assertThat(lazy.get()).as(what).isEqualTo(eager.get());
        for (int t = 0; t < 16; t++) {
            assertThat(lazy.condition(t)).as(what + ": tttn " + t).isEqualTo(eager.condition(t));
        }
    }

    @Test
    void shlThenClc_keepsTheOverflowFlagOfTheShift() {
        for (boolean eagerMode : new boolean[] {false, true}) {
            LazyFlags flags = new LazyFlags(eagerMode);
            Alu alu = new Alu(flags);
            alu.shl(1, 0x40, 1); // 80H: CF = 0, OF = MSB XOR CF = 1
            flags.setCf(true); // STC
            assertThat(flags.get() & (CF | OF | SF)).as("eager %s", eagerMode).isEqualTo(CF | OF | SF);
            alu.ror(8, 1, 1); // 8000..0: CF = 1, OF = 1 XOR 0 = 1; PF ZF SF AF still from the SHL
            assertThat(flags.get()).as("eager %s", eagerMode).isEqualTo(CF | OF | SF);
        }
    }
}
