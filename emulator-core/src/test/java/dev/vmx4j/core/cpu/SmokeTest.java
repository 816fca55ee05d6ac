package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void movAddHlt_in64BitMode_haltsWithSum() {
        Guest g = Guest.long64("B8 05000000 83C003 F4");
        RunResult r = g.run();
        assertThat(r.reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX)).isEqualTo(8);
        assertThat(r.instructions()).isEqualTo(3);
        assertThat(g.m.rip()).isEqualTo(Guest.CODE + 9);
    }
}
