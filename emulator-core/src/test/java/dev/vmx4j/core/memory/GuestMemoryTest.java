package dev.vmx4j.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GuestMemoryTest {

    @Test
    void sixtyFourGibOfRam_isAddressableWithoutAllocatingPages() {
        GuestMemory m = GuestMemory.withRam(64L << 30);
        assertThat(m.read64((64L << 30) - 8)).isZero();
        m.write32((64L << 30) - 4, 0xCAFEBABE);
        assertThat(m.read32((64L << 30) - 4)).isEqualTo(0xCAFEBABE);
        assertThat(m.allocatedPages()).isEqualTo(1);
    }

    @Test
    void ramRanges_coverExactlyTheirPages_acrossWordAndChunkBoundaries() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int round = 0; round < 40; round++) {
            GuestMemory m = new GuestMemory(OpenBusPolicy.ALL_ONES);
            boolean[] expected = new boolean[3 * 512 + 100]; // pages: a little more than three 2 MiB chunks
            for (int r = 0; r < 3; r++) {
                int first = rnd.nextInt(expected.length - 1);
                int count = 1 + rnd.nextInt(Math.min(700, expected.length - first));
                m.addRam((long) first << 12, (long) count << 12);
                for (int p = first; p < first + count; p++) {
                    expected[p] = true;
                }
            }
            for (int p = 0; p < expected.length; p++) {
                assertThat(m.isRam((long) p << 12)).as("round %d page %d", round, p).isEqualTo(expected[p]);
                assertThat(m.isRam(((long) p << 12) + 0xFFF)).isEqualTo(expected[p]);
            }
        }
    }

    @Test
    void readsOfNeverWrittenRam_returnZeroAndAllocateNothing() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        assertThat(m.read64(0x1234)).isZero();
        assertThat(m.read8(0xFFFFF)).isZero();
        assertThat(m.allocatedPages()).isZero();
    }

    @Test
    void accessesAreLittleEndianInEverySize() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        m.write64(0x100, 0x0807060504030201L);
        assertThat(m.read8(0x100)).isEqualTo(0x01);
        assertThat(m.read16(0x101)).isEqualTo(0x0302);
        assertThat(m.read32(0x104)).isEqualTo(0x08070605);
        long[] out = new long[2];
        m.write128(0x200, 0x1111111111111111L, 0x2222222222222222L);
        m.read128(0x200, out);
        assertThat(out).containsExactly(0x1111111111111111L, 0x2222222222222222L);
        assertThat(m.read8(0x208)).isEqualTo(0x22);
    }

    @Test
    void pageCrossingAccesses_matchBytewiseComposition() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        SplittableRandom r = new SplittableRandom(42);
        for (int size : new int[] {2, 4, 8}) {
            for (int off = 4096 - size + 1; off < 4096; off++) {
                long value = r.nextLong();
                long a = 0x3000 + off;
                switch (size) {
                    case 2: m.write16(a, (int) value); break;
                    case 4: m.write32(a, (int) value); break;
                    default: m.write64(a, value); break;
                }
                long composed = 0;
                for (int i = 0; i < size; i++) {
                    composed |= (long) m.read8(a + i) << (8 * i);
                }
                long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
                assertThat(composed).as("size %d at 0x%x", size, a).isEqualTo(value & mask);
                long read = size == 2 ? m.read16(a) : size == 4 ? m.read32(a) & 0xFFFFFFFFL : m.read64(a);
                assertThat(read & mask).isEqualTo(value & mask);
            }
        }
    }

    @Test
    void unbackedAddresses_followTheOpenBusPolicy() {
        GuestMemory ones = GuestMemory.withRam(1 << 20);
        assertThat(ones.read8(0x200000)).isEqualTo(0xFF);
        assertThat(ones.read32(0x200000)).isEqualTo(-1);
        assertThat(ones.read64(1L << 40)).isEqualTo(-1L);
        ones.write64(0x200000, 0);   // dropped, no exception
        assertThat(ones.read64(0x200000)).isEqualTo(-1L);

        GuestMemory zeros = new GuestMemory(OpenBusPolicy.ZEROS);
        zeros.addRam(0, 1 << 20);
        assertThat(zeros.read32(0x200000)).isZero();
    }

    @Test
    void accessStraddlingRamAndUnbacked_combinesBothPerByte() {
        GuestMemory m = GuestMemory.withRam(0x1000);
        m.write16(0xFFE, 0xABCD);
        assertThat(m.read32(0xFFE)).isEqualTo(0xFFFFABCD);
    }

    @Test
    void mmioRegion_receivesOffsetSizeAndValue_andTakesPrecedenceOverRam() {
        GuestMemory m = GuestMemory.withRam(16 << 20);
        List<String> log = new ArrayList<>();
        m.addMmio(0x100000, 0x1000, new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                log.add("r" + size + "@" + offset);
                return 0x1122334455667788L;
            }

            @Override
            public void write(long offset, int size, long value) {
                log.add("w" + size + "@" + offset + "=" + Long.toHexString(value));
            }
        });
        assertThat(m.isRam(0x100000)).isFalse();
        assertThat(m.read32(0x100010)).isEqualTo(0x55667788);
        m.write16(0x100020, 0xBEEF);
        assertThat(log).containsExactly("r4@16", "w2@32=beef");
        assertThat(m.pageForRead(0x100000)).isNull();
    }

    @Test
    void overlappingMmio_isRejectedNamingBothRanges() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        MmioHandler h = new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        };
        m.addMmio(0xFEE00000L, 0x1000, h);
        assertThatThrownBy(() -> m.addMmio(0xFEE00000L, 0x2000, h))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0xfee00000");
    }

    @Test
    void writeToMarkedCodePage_notifiesOnceAndClearsTheMark() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        List<Long> frames = new ArrayList<>();
        m.setCodeWriteListener(frames::add);
        m.markCodePage(0x5123);
        assertThat(m.isCodePage(0x5000)).isTrue();
        m.write8(0x5FFF, 1);
        m.write8(0x5000, 2);
        assertThat(frames).containsExactly(5L);
        assertThat(m.isCodePage(0x5000)).isFalse();
        m.write8(0x6000, 3);
        assertThat(frames).containsExactly(5L);
    }

    @Test
    void pageCrossingWriteIntoCodePage_notifies() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        List<Long> frames = new ArrayList<>();
        m.setCodeWriteListener(frames::add);
        m.markCodePage(0x7000);
        m.write64(0x6FFC, -1L);
        assertThat(frames).containsExactly(7L);
    }

    @Test
    void loadAndDump_roundTrip_andRejectRangesOutsideRam() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        byte[] data = {1, 2, 3, 4, 5};
        m.load(0xFFFFB, data);
        assertThat(m.dump(0xFFFFB, 5)).containsExactly(data);
        assertThatThrownBy(() -> m.load(0xFFFFE, data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not entirely RAM")
                .hasMessageContaining("[0x0, 0x100000)");
        assertThatThrownBy(() -> m.dump(0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length");
        assertThatThrownBy(() -> m.dump(-5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badConfiguration_isRejectedNamingTheArgument() {
        GuestMemory m = new GuestMemory(OpenBusPolicy.ALL_ONES);
        assertThatThrownBy(() -> m.addRam(0x10, 0x1000)).hasMessageContaining("base");
        assertThatThrownBy(() -> m.addRam(0, 0)).hasMessageContaining("size");
        assertThatThrownBy(() -> m.addRam(0, 1L << 53)).hasMessageContaining("2^52");
        assertThatThrownBy(() -> new GuestMemory(null)).isInstanceOf(IllegalArgumentException.class);
        byte[] b = new byte[4];
        assertThatThrownBy(() -> m.read(0, b, 2, 3)).hasMessageContaining("length 3");
    }

    @Test
    void bulkCopies_crossPagesAndSkipUnbackedBytes() {
        GuestMemory m = GuestMemory.withRam(0x3000);
        byte[] src = new byte[0x2100];
        new SplittableRandom(7).nextBytes(src);
        m.write(0xF00, src, 0, src.length);
        byte[] back = new byte[src.length];
        m.read(0xF00, back, 0, back.length);
        assertThat(back).isEqualTo(src);
        byte[] edge = new byte[4];
        m.read(0x2FFE, edge, 0, 4);
        assertThat(edge[2]).isEqualTo((byte) 0xFF);
        assertThat(edge[3]).isEqualTo((byte) 0xFF);
    }
}
