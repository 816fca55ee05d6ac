package dev.vmx4j.core.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.io.IoBus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {

    private final List<Integer> stops = new ArrayList<>();
    private final IoBus bus = new IoBus();

    @Test
    void debugConsole_copiesEveryByteAndAnswersE9() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bus.attach(DebugConsole.PORT, 1, new DebugConsole(out));
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) {
            bus.out(0xE9, 1, b);
        }
        bus.out(0xE9, 2, 0x4142);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hi\nB");
        assertThat(bus.in(0xE9, 1)).isEqualTo(0xE9);
    }

    @Test
    void isaDebugExit_stopsWithValueShiftedLeftOrOne() {
        bus.attach(IsaDebugExit.PORT, IsaDebugExit.PORT_COUNT, new IsaDebugExit(stops::add));
        bus.out(0xF4, 4, 0);
        bus.out(0xF4, 1, 0x10);
        assertThat(stops).containsExactly(1, 0x21);
    }

    @Test
    void bochsShutdownPort_stopsOnlyAfterTheWholeWord() {
        bus.attach(BochsShutdownPort.PORT, 1, new BochsShutdownPort(stops::add));
        for (byte b : "ShutShutdown".getBytes(StandardCharsets.US_ASCII)) {
            bus.out(0x8900, 1, b);
        }
        assertThat(stops).containsExactly(0);
        for (byte b : "Shutdow".getBytes(StandardCharsets.US_ASCII)) {
            bus.out(0x8900, 1, b);
        }
        assertThat(stops).containsExactly(0);
    }

    @Test
    void uart_transmitsImmediatelyAndReportsReadyInLineStatus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Uart16550 uart = new Uart16550(out);
        bus.attach(Uart16550.COM1, Uart16550.PORT_COUNT, uart);
        assertThat(bus.in(0x3FD, 1) & 0x60).isEqualTo(0x60);
        assertThat(bus.in(0x3FD, 1) & 1).isZero();
        bus.out(0x3F8, 1, 'A');
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("A");
        uart.feed(new byte[] {'x', 'y'});
        assertThat(bus.in(0x3FD, 1) & 1).isEqualTo(1);
        assertThat(bus.in(0x3F8, 1)).isEqualTo('x');
        assertThat(bus.in(0x3F8, 1)).isEqualTo('y');
        assertThat(bus.in(0x3FD, 1) & 1).isZero();
    }

    @Test
    void uartDivisorLatch_isSelectedByDlabAndDoesNotTransmit() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bus.attach(Uart16550.COM1, Uart16550.PORT_COUNT, new Uart16550(out));
        bus.out(0x3FB, 1, 0x80);
        bus.out(0x3F8, 1, 0x01);
        bus.out(0x3F9, 1, 0x00);
        assertThat(bus.in(0x3F8, 1)).isEqualTo(1);
        bus.out(0x3FB, 1, 0x03);
        assertThat(out.size()).isZero();
        assertThat(bus.in(0x3FB, 1)).isEqualTo(3);
        bus.out(0x3FF, 1, 0x5A);
        assertThat(bus.in(0x3FF, 1)).isEqualTo(0x5A);
    }
}
