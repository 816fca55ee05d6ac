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

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per flag or value rule, each run in lazy and eager mode. */
class AluTest {

    private LazyFlags flags;
    private Alu alu;

    private void init(boolean eager, long flagsIn) {
        flags = new LazyFlags(eager);
        alu = new Alu(flags);
        flags.set(flagsIn);
    }

    // ---------------------------------------------------------------- add / sub

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void addWithCarryOutOfBit63_setsCfAndClearsOf(boolean eager) {
        init(eager, 0);
        assertThat(alu.add(8, -1L, 2)).isEqualTo(1);
        assertThat(flags.get()).isEqualTo(CF | AF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void addOfTwoPositivesIntoSignBit_setsOfAndSfNotCf(boolean eager) {
        init(eager, 0);
        assertThat(alu.add(1, 0x7F, 1)).isEqualTo(0x80);
        assertThat(flags.get()).isEqualTo(OF | SF | AF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void adcWithCarryIn_propagatesThroughAllOnes(boolean eager) {
        init(eager, CF);
        assertThat(alu.adc(4, 0xFFFF_FFFFL, 0)).isZero();
        assertThat(flags.get()).isEqualTo(CF | ZF | AF | PF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void operandsAboveTheSize_areIgnoredAndResultIsZeroExtended(boolean eager) {
        init(eager, 0);
        assertThat(alu.add(2, 0xABCD_FFFFL, 0x1234_0001L)).isZero();
        assertThat(flags.cf()).isTrue();
        assertThat(flags.zf()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sbbWithBorrowInOnEqualOperands_setsCfAndSf(boolean eager) {
        init(eager, CF);
        assertThat(alu.sbb(2, 5, 5)).isEqualTo(0xFFFF);
        assertThat(flags.get()).isEqualTo(CF | SF | PF | AF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void subOfMinimumByOne_overflowsToPositive(boolean eager) {
        init(eager, 0);
        assertThat(alu.sub(8, Long.MIN_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(flags.get()).isEqualTo(OF | AF | PF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void cmpOfEqualValues_setsZfAndConditionE(boolean eager) {
        init(eager, CF);
        alu.cmp(4, 0x1234, 0x1234);
        assertThat(flags.get()).isEqualTo(ZF | PF);
        assertThat(flags.condition(4)).isTrue();
        assertThat(flags.condition(7)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void negOfZero_clearsCfAndNegOfMinimum_setsOf(boolean eager) {
        init(eager, CF);
        assertThat(alu.neg(4, 0)).isZero();
        assertThat(flags.cf()).isFalse();
        assertThat(flags.zf()).isTrue();
        assertThat(alu.neg(2, 0x8000)).isEqualTo(0x8000);
        assertThat(flags.get()).isEqualTo(CF | OF | SF | PF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void incAfterCarryingAdd_keepsCf(boolean eager) {
        init(eager, 0);
        alu.add(1, 0xFF, 1); // CF = 1, lazily recorded
        assertThat(alu.inc(1, 0x7F)).isEqualTo(0x80);
        assertThat(flags.get()).isEqualTo(CF | OF | SF | AF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decToZero_setsZfAndKeepsClearCf(boolean eager) {
        init(eager, 0);
        assertThat(alu.dec(8, 1)).isZero();
        assertThat(flags.get()).isEqualTo(ZF | PF);
        assertThat(alu.dec(2, 0)).isEqualTo(0xFFFF);
        assertThat(flags.get()).isEqualTo(SF | PF | AF);
    }

    // ---------------------------------------------------------------- logic

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void logicOps_clearCfOfAndAf(boolean eager) {
        init(eager, ARITHMETIC);
        assertThat(alu.xor(4, 0x8000_0001L, 0x0000_0001L)).isEqualTo(0x8000_0000L);
        assertThat(flags.get()).isEqualTo(SF | PF);
        alu.test(1, 0xF0, 0x0F);
        assertThat(flags.get()).isEqualTo(ZF | PF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void parityFlag_looksOnlyAtTheLowByte(boolean eager) {
        init(eager, 0);
        alu.or(2, 0x0100, 0);
        assertThat(flags.pf()).as("low byte 0x00 has an even number (0) of ones").isTrue();
        alu.or(2, 0x0001, 0);
        assertThat(flags.pf()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void not_changesNoFlag(boolean eager) {
        init(eager, CF | OF | PF);
        assertThat(alu.not(1, 0x0F)).isEqualTo(0xF0);
        assertThat(flags.get()).isEqualTo(CF | OF | PF);
    }

    // ---------------------------------------------------------------- shifts and rotates

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shiftCountZero_leavesFlagsUntouched(boolean eager) {
        for (int size : new int[] {1, 2, 4, 8}) {
            init(eager, CF | ZF | OF);
            assertThat(alu.shl(size, 0x81, 0)).isEqualTo(0x81);
            assertThat(alu.shr(size, 0x81, size == 8 ? 64 : 32)).as("masked to 0").isEqualTo(0x81);
            assertThat(alu.sar(size, 0x81, 0)).isEqualTo(0x81);
            assertThat(alu.rol(size, 0x81, 0)).isEqualTo(0x81);
            assertThat(alu.rcr(size, 0x81, 0)).isEqualTo(0x81);
            assertThat(flags.get()).isEqualTo(CF | ZF | OF);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shiftCount_isMaskedToFiveBitsOrSixWithRexW(boolean eager) {
        init(eager, 0);
        assertThat(alu.shl(4, 1, 33)).isEqualTo(2);
        assertThat(alu.shl(8, 1, 65)).isEqualTo(2);
        assertThat(alu.shl(8, 1, 33)).isEqualTo(1L << 33);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shl8ByCountAboveWidth_givesZeroWithZf(boolean eager) {
        init(eager, 0);
        assertThat(alu.shl(1, 0xFF, 12)).isZero();
        assertThat(flags.zf()).isTrue();
        assertThat(UndefinedFlags.shift(1, 12, false) & CF).as("CF undefined there").isEqualTo(CF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shlByOne_setsCfFromBitOutAndOfFromSignChange(boolean eager) {
        init(eager, 0);
        assertThat(alu.shl(1, 0x40, 1)).isEqualTo(0x80);
        assertThat(flags.cf()).isFalse();
        assertThat(flags.of()).isTrue();
        assertThat(alu.shl(1, 0xC0, 1)).isEqualTo(0x80);
        assertThat(flags.cf()).isTrue();
        assertThat(flags.of()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shrByOne_setsOfToOriginalSignBit(boolean eager) {
        init(eager, 0);
        assertThat(alu.shr(2, 0x8001, 1)).isEqualTo(0x4000);
        assertThat(flags.cf()).isTrue();
        assertThat(flags.of()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sar8ByLargeCount_fillsWithSignAndCfIsSign(boolean eager) {
        init(eager, 0);
        assertThat(alu.sar(1, 0x80, 20)).isEqualTo(0xFF);
        assertThat(flags.cf()).isTrue();
        assertThat(flags.of()).isFalse();
        assertThat(UndefinedFlags.shift(1, 20, true) & CF).as("SAR keeps CF defined").isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rcl8_countModNine(boolean eager) {
        init(eager, CF);
        assertThat(alu.rcl(1, 0x01, 9)).as("9 mod 9 = 0: unchanged").isEqualTo(0x01);
        assertThat(flags.cf()).isTrue();
        assertThat(alu.rcl(1, 0x80, 10)).as("10 mod 9 = 1").isEqualTo(0x01);
        assertThat(flags.cf()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rcr16_countModSeventeen(boolean eager) {
        init(eager, 0);
        assertThat(alu.rcr(2, 0x0001, 18)).as("18 mod 17 = 1").isEqualTo(0);
        assertThat(flags.cf()).isTrue();
        assertThat(alu.rcr(2, 0x0000, 1)).as("CF enters at the top").isEqualTo(0x8000);
        assertThat(flags.cf()).isFalse();
        assertThat(flags.of()).as("MSB(dest) XOR CF before the rotate").isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rcl64_rotatesThroughCarryAcross65Bits(boolean eager) {
        init(eager, CF);
        assertThat(alu.rcl(8, 0x8000_0000_0000_0000L, 1)).isEqualTo(1);
        assertThat(flags.cf()).isTrue();
        assertThat(alu.rcr(8, 1, 63)).isEqualTo(6);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rotates_changeOnlyCfAndOf(boolean eager) {
        init(eager, ZF | SF | AF | PF);
        assertThat(alu.rol(1, 0x81, 1)).isEqualTo(0x03);
        assertThat(flags.get()).isEqualTo(ZF | SF | AF | PF | CF | OF);
        assertThat(alu.ror(4, 0x1, 1)).isEqualTo(0x8000_0000L);
        assertThat(flags.get()).isEqualTo(ZF | SF | AF | PF | CF | OF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rol8ByMultipleOfEight_keepsValueButSetsCfFromLsb(boolean eager) {
        init(eager, 0);
        assertThat(alu.rol(1, 0x01, 16)).isEqualTo(0x01);
        assertThat(flags.cf()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shldAndShrd_shiftInBitsOfTheSource(boolean eager) {
        init(eager, 0);
        assertThat(alu.shld(4, 0x8000_0001L, 0xF000_0000L, 4)).isEqualTo(0x0000_001FL);
        assertThat(flags.cf()).isFalse();
        assertThat(alu.shrd(8, 1, 0xF, 4)).isEqualTo(0xF000_0000_0000_0000L);
        assertThat(flags.cf()).isFalse();
        assertThat(flags.sf()).isTrue();
        assertThat(UndefinedFlags.shiftDoubleResultUndefined(2, 17)).isTrue();
        assertThat(UndefinedFlags.shiftDoubleResultUndefined(4, 31)).isFalse();
    }

    // ---------------------------------------------------------------- multiply and divide

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mul64_returnsUnsignedHighHalfAndSetsCfOf(boolean eager) {
        init(eager, 0);
        assertThat(alu.mul(8, -1L, -1L)).isEqualTo(1);
        assertThat(alu.high).isEqualTo(-2L);
        assertThat(flags.get() & (CF | OF)).isEqualTo(CF | OF);
        assertThat(alu.mul(8, 1L << 31, 2)).isEqualTo(1L << 32);
        assertThat(alu.high).isZero();
        assertThat(flags.get() & (CF | OF)).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void imul8_signedProductSetsHighAndOverflow(boolean eager) {
        init(eager, 0);
        assertThat(alu.imul(1, 0x80, 0xFF)).as("-128 * -1 = 128 = 0x0080").isEqualTo(0x80);
        assertThat(alu.high).isZero();
        assertThat(flags.cf()).isTrue();
        assertThat(alu.imulTruncated(2, 0xFFFF, 0x7FFF)).isEqualTo(0x8001);
        assertThat(flags.cf()).isFalse();
        assertThat(flags.of()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void divByZeroAndQuotientOverflow_reportDivideError(boolean eager) {
        init(eager, ZF);
        assertThat(alu.div(4, 0, 5, 0)).isFalse();
        assertThat(alu.div(8, 7, 0, 7)).as("quotient needs 65 bits").isFalse();
        assertThat(alu.div(1, 1, 0, 1)).as("0x100 / 1 does not fit AL").isFalse();
        assertThat(alu.idiv(8, -1L, Long.MIN_VALUE, -1)).as("-2^63 / -1").isFalse();
        assertThat(alu.idiv(2, 0xFFFF, 0x8000, 0xFFFF)).as("-32768 / -1").isFalse();
        assertThat(flags.get()).as("flags untouched").isEqualTo(ZF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void idiv_remainderTakesTheSignOfTheDividend(boolean eager) {
        init(eager, 0);
        assertThat(alu.idiv(4, 0xFFFF_FFFFL, 0xFFFF_FFF9L, 2)).isTrue(); // -7 / 2
        assertThat(alu.quotient).isEqualTo(0xFFFF_FFFDL);
        assertThat(alu.remainder).isEqualTo(0xFFFF_FFFFL);
        assertThat(alu.idiv(8, -1L, -7L, -2L)).isTrue();
        assertThat(alu.quotient).isEqualTo(3);
        assertThat(alu.remainder).isEqualTo(-1L);
        assertThat(alu.idiv(8, -1L, Long.MIN_VALUE, 1)).as("-2^63 fits").isTrue();
        assertThat(alu.quotient).isEqualTo(Long.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void div128By64_matchesBigIntegerOnRandomOperands(boolean eager) {
        init(eager, 0);
        SplittableRandom rnd = new SplittableRandom(64);
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (int i = 0; i < 20_000; i++) {
            long d = LazyFlagsTest.edgeOrRandom(rnd);
            long hi = LazyFlagsTest.edgeOrRandom(rnd);
            long lo = rnd.nextLong();
            BigInteger dividend = new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64)
                    .add(new BigInteger(Long.toUnsignedString(lo)));
            BigInteger divisor = new BigInteger(Long.toUnsignedString(d));
            boolean expectOk = d != 0 && dividend.divide(divisor).compareTo(two64) < 0;
            assertThat(alu.div(8, hi, lo, d)).as("%x:%x / %x", hi, lo, d).isEqualTo(expectOk);
            if (expectOk) {
                BigInteger[] qr = dividend.divideAndRemainder(divisor);
                assertThat(alu.quotient).isEqualTo(qr[0].longValue());
                assertThat(alu.remainder).isEqualTo(qr[1].longValue());
            }
            // signed: a sign-extended dividend most of the time
            long shi = i % 3 == 0 ? hi : lo >> 63;
            BigInteger sdividend = BigInteger.valueOf(shi).shiftLeft(64)
                    .add(new BigInteger(Long.toUnsignedString(lo)));
            boolean sok = d != 0;
            if (sok) {
                BigInteger[] qr = sdividend.divideAndRemainder(BigInteger.valueOf(d));
                sok = qr[0].bitLength() <= 63;
                if (sok) {
                    assertThat(alu.idiv(8, shi, lo, d)).as("idiv %x:%x / %x", shi, lo, d).isTrue();
                    assertThat(alu.quotient).isEqualTo(qr[0].longValue());
                    assertThat(alu.remainder).isEqualTo(qr[1].longValue());
                }
            }
            if (!sok) {
                assertThat(alu.idiv(8, shi, lo, d)).as("idiv %x:%x / %x", shi, lo, d).isFalse();
            }
        }
    }

    // ---------------------------------------------------------------- bits

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void btRegisterForm_takesIndexModuloWidthAndSetsOnlyCf(boolean eager) {
        init(eager, ZF | SF);
        alu.bt(2, 0x0002, 17);
        assertThat(flags.get()).isEqualTo(ZF | SF | CF);
        assertThat(alu.bts(4, 0, 33)).isEqualTo(2);
        assertThat(flags.cf()).isFalse();
        assertThat(alu.btr(8, -1L, 63)).isEqualTo(Long.MAX_VALUE);
        assertThat(flags.cf()).isTrue();
        assertThat(alu.btc(2, 0x8000, 15)).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bsfZeroSource_setsZfAndKeepsDestination(boolean eager) {
        init(eager, 0);
        assertThat(alu.bsf(4, 0x1234, 0)).isEqualTo(0x1234);
        assertThat(flags.zf()).isTrue();
        assertThat(alu.bsr(4, 0x1234, 0x0001_0010)).isEqualTo(16);
        assertThat(flags.zf()).isFalse();
        assertThat(alu.bsf(8, 0, 1L << 63)).isEqualTo(63);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void popcnt_clearsEveryFlagButZf(boolean eager) {
        init(eager, ARITHMETIC);
        assertThat(alu.popcnt(2, 0xF0F0F)).isEqualTo(8);
        assertThat(flags.get()).isZero();
        assertThat(alu.popcnt(8, 0)).isZero();
        assertThat(flags.get()).isEqualTo(ZF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void lzcntAndTzcntOfZero_returnWidthAndSetCf(boolean eager) {
        init(eager, 0);
        assertThat(alu.lzcnt(2, 0)).isEqualTo(16);
        assertThat(flags.cf()).isTrue();
        assertThat(flags.zf()).isFalse();
        assertThat(alu.tzcnt(4, 0)).isEqualTo(32);
        assertThat(alu.lzcnt(4, 0x8000_0000L)).isZero();
        assertThat(flags.zf()).isTrue();
        assertThat(flags.cf()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bzhiIndexBeyondWidth_keepsSourceAndSetsCf(boolean eager) {
        init(eager, 0);
        assertThat(alu.bzhi(4, 0xFFFF_FFFFL, 0x120)).isEqualTo(0xFFFF_FFFFL);
        assertThat(flags.cf()).isTrue();
        assertThat(alu.bzhi(8, -1L, 0x104)).as("index is the low byte only").isEqualTo(0xF);
        assertThat(flags.cf()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void blsFamily_setCfFromSourceZero(boolean eager) {
        init(eager, 0);
        assertThat(alu.blsi(4, 0b1011000)).isEqualTo(0b1000);
        assertThat(flags.cf()).isTrue();
        assertThat(alu.blsr(4, 0)).isZero();
        assertThat(flags.cf()).isTrue();
        assertThat(flags.zf()).isTrue();
        assertThat(alu.blsmsk(8, 0)).isEqualTo(-1L);
        assertThat(flags.cf()).isTrue();
        assertThat(flags.zf()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pdepThenPext_roundTripsUnderTheSameMask(boolean eager) {
        init(eager, OF);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            long mask = rnd.nextLong() & rnd.nextLong();
            long src = rnd.nextLong();
            long low = src & (Long.bitCount(mask) == 64 ? -1L : (1L << Long.bitCount(mask)) - 1);
            assertThat(alu.pext(8, alu.pdep(8, src, mask), mask)).isEqualTo(low);
        }
        assertThat(flags.get()).as("BMI2 moves set no flags").isEqualTo(OF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void adcxAndAdox_useAndWriteOnlyTheirOwnCarry(boolean eager) {
        init(eager, OF | ZF);
        assertThat(alu.adox(4, 0xFFFF_FFFFL, 0)).isZero();
        assertThat(flags.get()).isEqualTo(OF | ZF);
        assertThat(alu.adcx(4, 0xFFFF_FFFFL, 1)).isZero();
        assertThat(flags.get()).isEqualTo(CF | OF | ZF);
        assertThat(alu.adcx(8, 1, 1)).isEqualTo(3);
        assertThat(flags.get()).isEqualTo(OF | ZF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mulxAndShiftxForms_setNoFlags(boolean eager) {
        init(eager, CF | SF);
        assertThat(alu.mulx(4, 0xFFFF_FFFFL, 0xFFFF_FFFFL)).isEqualTo(1);
        assertThat(alu.high).isEqualTo(0xFFFF_FFFEL);
        assertThat(alu.sarx(4, 0x8000_0000L, 35)).isEqualTo(0xF000_0000L);
        assertThat(alu.shlx(8, 1, 64)).isEqualTo(1);
        assertThat(alu.shrx(4, 0x8000_0000L, 31)).isEqualTo(1);
        assertThat(alu.rorx(8, 1, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(flags.get()).isEqualTo(CF | SF);
    }

    // ---------------------------------------------------------------- BCD

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void daaAfterPackedAdd_adjustsBothDigitsAndSetsCf(boolean eager) {
        init(eager, 0);
        long al = alu.add(1, 0x79, 0x35); // 79 + 35 = 114 decimal
        assertThat(alu.daa(al)).isEqualTo(0x14);
        assertThat(flags.cf()).isTrue();
        assertThat(flags.af()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dasAfterPackedSub_borrowsAcrossDigits(boolean eager) {
        init(eager, 0);
        long al = alu.sub(1, 0x35, 0x47); // 35 - 47 = -12 -> 88 with borrow
        assertThat(alu.das(al)).isEqualTo(0x88);
        assertThat(flags.cf()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aaaAndAas_adjustAxAndClearHighNibble(boolean eager) {
        init(eager, 0);
        assertThat(alu.aaa(0x010F)).isEqualTo(0x0205);
        assertThat(flags.get() & (CF | AF)).isEqualTo(CF | AF);
        assertThat(alu.aas(0x02FF)).isEqualTo(0x0109);
        assertThat(flags.get() & (CF | AF)).isEqualTo(CF | AF);
        flags.set(0);
        assertThat(alu.aas(0x0234)).isEqualTo(0x0204);
        assertThat(flags.get() & (CF | AF)).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aamZero_isDivideErrorAndAadBaseTen_packsDigits(boolean eager) {
        init(eager, CF);
        assertThat(alu.aam(0x1234, 0)).isEqualTo(Alu.DIVIDE_ERROR);
        assertThat(flags.get()).isEqualTo(CF);
        assertThat(alu.aam(0x0063, 10)).isEqualTo(0x0909);
        assertThat(alu.aad(0x0909, 10)).isEqualTo(0x63);
        assertThat(flags.get()).isEqualTo(PF);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 16})
    void invalidOperandSize_isRejectedWithTheAllowedValues(int size) {
        init(false, 0);
        assertThatThrownBy(() -> alu.add(size, 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1, 2, 4 or 8");
    }
}
