package dev.vmx4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoBusTest {

    private static final class Recorder implements IoDevice {
        final List<String> log = new ArrayList<>();

        @Override
        public int in(int port, int size) {
            log.add("in " + Integer.toHexString(port) + "/" + size);
            return 0x12345678;
        }

        @Override
        public void out(int port, int size, int value) {
            log.add("out " + Integer.toHexString(port) + "/" + size + "=" + Integer.toHexString(value));
        }
    }

    @Test
    void unclaimedPortReads_returnAllOnesOfTheAccessSize() {
        IoBus bus = new IoBus();
        assertThat(bus.in(0x80, 1)).isEqualTo(0xFF);
        assertThat(bus.in(0x80, 2)).isEqualTo(0xFFFF);
        assertThat(bus.in(0x80, 4)).isEqualTo(-1);
        bus.out(0x80, 1, 5); // dropped
    }

    @Test
    void claimedPorts_seeThePortSizeAndTruncatedValue() {
        IoBus bus = new IoBus();
        Recorder r = new Recorder();
        bus.attach(0x3F8, 8, r);
        assertThat(bus.in(0x3FD, 1)).isEqualTo(0x78);
        bus.out(0x3F8, 1, 0x141);
        assertThat(r.log).containsExactly("in 3fd/1", "out 3f8/1=41");
        assertThat(bus.deviceAt(0x3FF)).isSameAs(r);
        assertThat(bus.deviceAt(0x400)).isNull();
        bus.detach(0x3F8, 8);
        assertThat(bus.deviceAt(0x3F8)).isNull();
    }

    @Test
    void overlappingOrOutOfRangeAttach_isRejected() {
        IoBus bus = new IoBus();
        bus.attach(0xE9, 1, new Recorder());
        assertThatThrownBy(() -> bus.attach(0xE8, 2, new Recorder())).hasMessageContaining("0xe9");
        assertThatThrownBy(() -> bus.attach(0xFFFF, 2, new Recorder())).hasMessageContaining("count");
        assertThatThrownBy(() -> bus.attach(-1, 1, new Recorder())).hasMessageContaining("first port");
        assertThatThrownBy(() -> bus.attach(0, 1, null)).hasMessageContaining("device");
    }
}
