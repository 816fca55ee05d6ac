package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writes to a page holding decoded instructions invalidate the decoded-instruction cache. */
class SelfModifyingCodeTest {

    @ParameterizedTest(name = "referenceMode={0}")
    @ValueSource(booleans = {false, true})
    void loopRewritesItsOwnImmediate_secondIterationSeesNewValue(boolean reference) {
        // mov ecx,2; l: mov eax,0; add ebx,eax; mov byte [rel l+1],5; dec ecx; jnz l; hlt
        Guest g = Guest.long64("B902000000B80000000001C3C605F3FFFFFF05FFC975EEF4", reference);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX)).isEqualTo(5);
    }

    @ParameterizedTest(name = "referenceMode={0}")
    @ValueSource(booleans = {false, true})
    void hostWriteBetweenRuns_isSeenByTheNextRun(boolean reference) {
        Guest g = Guest.long64("B801000000F4", reference); // mov eax,1; hlt
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX)).isEqualTo(1);
        g.m.memory().write8(Guest.CODE + 1, 7);
        g.m.setRip(Guest.CODE);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RAX)).isEqualTo(7);
    }

    @ParameterizedTest(name = "referenceMode={0}")
    @ValueSource(booleans = {false, true})
    void repStosOverwritingFollowingCode_executesTheNewBytes(boolean reference) {
        // lea rdi,[rel t]; mov al,0x90; mov ecx,5; rep stosb; t: mov ebx,0x11111111 (overwritten by 5 NOPs); hlt
        Guest g = Guest.long64("488D3D09000000B090B905000000F3AABB11111111F4", reference);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX)).isZero();
    }
}
