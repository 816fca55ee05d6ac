package dev.vmx4j.core.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.Machine;
import dev.vmx4j.core.RunLimits;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardDevicesTest {

    @Test
    void builderAttachesDevicesInOrderToTheBuiltMachine() {
        List<String> order = new ArrayList<>();
        Machine m = Machine.builder()
                .device(mm -> order.add("first " + (mm.io() != null)))
                .device(mm -> order.add("second"))
                .build();
        assertThat(order).containsExactly("first true", "second");
        assertThat(m).isNotNull();
        assertThatThrownBy(() -> Machine.builder().device(null)).hasMessageContaining("device");
    }

    @Test
    void guestWritingToConsoleAndExitPort_printsAndStopsWithStatus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Machine m = Machine.builder()
                .device(StandardDevices.debugConsole(out))
                .device(StandardDevices.isaDebugExit())
                .build();
        m.enterProtectedMode();
        // mov al,'A'; out 0xe9,al; mov al,2; out 0xf4,al; hlt
        m.memory().load(0x1000, HexFormat.of().parseHex("b041e6e9b002e6f4f4"));
        m.setRip(0x1000);
        RunResult r = m.run(RunLimits.unlimited().maxInstructions(100));
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("A");
        assertThat(r.reason()).isEqualTo(StopReason.DEVICE_REQUEST);
        assertThat(r.exitStatus()).isEqualTo(5);
        assertThat(r.instructions()).isEqualTo(4);
    }
}
