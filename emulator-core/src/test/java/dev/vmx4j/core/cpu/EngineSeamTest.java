package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmx4j.core.Engine;
import dev.vmx4j.core.Machine;
import org.junit.jupiter.api.Test;

/** The execution-engine seam: the builder's choice, its default and its argument check. */
class EngineSeamTest {

    @Test
    void defaultEngine_isTheTranslator() {
        assertThat(Machine.builder().build().engine()).isEqualTo(Engine.TRANSLATOR);
    }

    @Test
    void defaultEngine_withSeveralProcessors_isTheInterpreter() {
        assertThat(Machine.builder().pcInterruptControllers().cpus(2).build().engine()).isEqualTo(Engine.INTERPRETER);
    }

    @Test
    void translatorWithSeveralProcessors_isRejected() {
        assertThatThrownBy(() -> Machine.builder().pcInterruptControllers().cpus(2).engine(Engine.TRANSLATOR).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("interpreter");
    }

    @Test
    void nullEngine_isRejectedNamingTheChoices() {
        assertThatThrownBy(() -> Machine.builder().engine(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("engine").hasMessageContaining("INTERPRETER");
    }
}
