package dev.vmx4j.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MemoryImageTest {

    private static byte[] all(GuestMemory m) {
        return m.dump(0, 4 << 20);
    }

    @Test
    void restore_putsBackEveryWrittenPage_andDropsPagesFirstWrittenAfterTheImage() {
        GuestMemory m = GuestMemory.withRam(4 << 20);
        m.write64(0x1000, 0x1111);
        m.write64(0x3FF000, 0x2222);
        byte[] before = all(m);
        MemoryImage image = m.image();
        assertThat(image.pages()).isEqualTo(2);

        m.write64(0x1000, 0x9999);
        m.write8(0x200000, 7);                 // a page never written before the image
        m.write32(0x3FFFFE, 0xAABBCCDD);       // crosses into nothing: last bytes of RAM page 0x3FF
        assertThat(m.allocatedPages()).isEqualTo(3);
        assertThat(m.pagesWrittenSinceImage()).isEqualTo(3);

        m.restore(image);
        assertThat(all(m)).isEqualTo(before);
        assertThat(m.allocatedPages()).isEqualTo(2);
        assertThat(m.pagesWrittenSinceImage()).isZero();
    }

    @Test
    void restoringTheSameImageAgain_copiesOnlyThePagesWrittenSince() {
        GuestMemory m = GuestMemory.withRam(4 << 20);
        for (long a = 0; a < (4 << 20); a += 4096) {
            m.write64(a, a);
        }
        MemoryImage image = m.image();
        m.write64(0x5000, -1);
        assertThat(m.pagesWrittenSinceImage()).isEqualTo(1);
        m.write64(0x5008, -1);                  // same page: counted once
        assertThat(m.pagesWrittenSinceImage()).isEqualTo(1);
        m.restore(image);
        assertThat(m.read64(0x5000)).isEqualTo(0x5000);
        assertThat(m.read64(0x5008)).isZero();
        m.write8(0x7000, 1);
        assertThat(m.pagesWrittenSinceImage()).isEqualTo(1);
        m.restore(image);
        assertThat(m.read8(0x7000)).isZero();
    }

    @Test
    void successiveImagesShareUnchangedPages_andEachRestoresItsOwnContent() {
        GuestMemory m = GuestMemory.withRam(4 << 20);
        m.write64(0x1000, 1);
        m.write64(0x2000, 2);
        MemoryImage first = m.image();
        m.write64(0x2000, 3);
        MemoryImage second = m.image();
        m.write64(0x1000, 4);
        m.restore(first);
        assertThat(m.read64(0x1000)).isEqualTo(1);
        assertThat(m.read64(0x2000)).isEqualTo(2);
        m.restore(second);
        assertThat(m.read64(0x1000)).isEqualTo(1);
        assertThat(m.read64(0x2000)).isEqualTo(3);
        m.restore(first);
        assertThat(m.read64(0x2000)).isEqualTo(2);
    }

    @Test
    void anImageIsImmutable_writesAfterItNeverReachItsPages() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        m.write64(0x1000, 5);
        MemoryImage image = m.image();
        byte[] page = m.pageForWrite(0x1000);   // the live array, never the image's
        Arrays.fill(page, (byte) 0x55);
        m.restore(image);
        assertThat(m.read64(0x1000)).isEqualTo(5);
        assertThat(m.read64(0x1008)).isZero();
    }

    @Test
    void restoringAPageThatHeldDecodedCode_tellsTheCodeWriteListener() {
        GuestMemory m = GuestMemory.withRam(1 << 20);
        long[] heard = {-1};
        m.setCodeWriteListener(frame -> heard[0] = frame);
        m.write8(0x3000, 0x90);
        MemoryImage image = m.image();
        m.write8(0x3000, 0xF4);
        m.markCodePage(0x3000);
        m.restore(image);
        assertThat(heard[0]).isEqualTo(3);
        assertThat(m.read8(0x3000)).isEqualTo(0x90);
    }

    @Test
    void randomWritesAndRestores_alwaysGiveBackTheImagesContent() {
        SplittableRandom r = new SplittableRandom(13);
        GuestMemory m = GuestMemory.withRam(4 << 20);
        MemoryImage[] images = new MemoryImage[3];
        byte[][] contents = new byte[3][];
        for (int round = 0; round < 200; round++) {
            for (int w = r.nextInt(20); w > 0; w--) {
                m.write64(r.nextLong(4 << 20) & ~7L, r.nextLong());
            }
            int k = r.nextInt(3);
            if (images[k] == null || r.nextBoolean()) {
                images[k] = m.image();
                contents[k] = all(m);
            } else {
                m.restore(images[k]);
                assertThat(all(m)).as("round %d image %d", round, k).isEqualTo(contents[k]);
            }
        }
    }

    @Test
    void anImageOfAnotherLayout_isRefused() {
        GuestMemory small = GuestMemory.withRam(1 << 20);
        GuestMemory big = GuestMemory.withRam(8 << 20);
        MemoryImage image = small.image();
        assertThatThrownBy(() -> big.restore(image)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("laid out differently");
        assertThatThrownBy(() -> big.restore(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
