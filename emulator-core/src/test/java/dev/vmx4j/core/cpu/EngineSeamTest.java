package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import org.junit.jupiter.api.Test;

/** The execution-engine seam: the builder's choice, its default and its argument check. */
class EngineSeamTest {

    @Test
    void defaultEngine_isTheInterpreter() {
        assertThat(Machine.builder().build().engine()).isEqualTo(Engine.INTERPRETER);
    }

    @Test
    void nullEngine_isRejectedNamingTheChoices() {
        assertThatThrownBy(() -> Machine.builder().engine(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("engine").hasMessageContaining("INTERPRETER");
    }
}
