package dev.vmx4j.vmx.insn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmxResultTest {

    private static final long CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, OF = 1 << 11;
    private static final long OTHERS = ~(CF | PF | AF | ZF | SF | OF);

    @Test
    void vmSucceed_clearsTheSixFlagsAndKeepsTheRest() {
        assertThat(VmxResult.succeed().applyTo(-1L)).isEqualTo(OTHERS);
        assertThat(VmxResult.succeed().applyTo(0x2L)).isEqualTo(0x2L);
        assertThat(VmxResult.succeed().succeeded()).isTrue();
    }

    @Test
    void vmFailInvalid_setsCfOnly() {
        assertThat(VmxResult.failInvalid().applyTo(-1L)).isEqualTo(OTHERS | CF);
        assertThat(VmxResult.failInvalid().applyTo(0x202L)).isEqualTo(0x203L);
        assertThat(VmxResult.failInvalid().succeeded()).isFalse();
    }

    @Test
    void vmFailValid_setsZfOnly_andCarriesTheError() {
        VmFailValid r = VmxResult.failValid(VmInstructionError.VMLAUNCH_WITH_NON_CLEAR_VMCS);
        assertThat(r.applyTo(-1L)).isEqualTo(OTHERS | ZF);
        assertThat(r.applyTo(0x2L | CF | OF)).isEqualTo(0x2L | ZF);
        assertThat(r.error().number()).isEqualTo(4);
        assertThat(r).isSameAs(VmFailValid.of(VmInstructionError.VMLAUNCH_WITH_NON_CLEAR_VMCS));
        assertThat(r).isEqualTo(new VmFailValid(VmInstructionError.VMLAUNCH_WITH_NON_CLEAR_VMCS));
    }

    @Test
    void errorNumbers_areTheSdmTable() {
        Set<Integer> numbers = new HashSet<>();
        for (VmInstructionError e : VmInstructionError.values()) {
            assertThat(numbers.add(e.number())).as("duplicate %s", e).isTrue();
            assertThat(VmInstructionError.byNumber(e.number())).isSameAs(e);
            assertThat(e.sdmText()).isNotBlank();
        }
        assertThat(numbers).hasSize(25);
        for (int gap : new int[] {0, 14, 21, 27, 29, -1, 1000}) {
            assertThat(VmInstructionError.byNumber(gap)).as("error %d", gap).isNull();
        }
        assertThat(VmInstructionError.VMREAD_VMWRITE_FROM_TO_UNSUPPORTED_VMCS_COMPONENT.number()).isEqualTo(12);
        assertThat(VmInstructionError.VMXON_EXECUTED_IN_VMX_ROOT_OPERATION.number()).isEqualTo(15);
        assertThat(VmInstructionError.VM_ENTRY_WITH_EVENTS_BLOCKED_BY_MOV_SS.number()).isEqualTo(26);
        assertThat(VmInstructionError.INVALID_OPERAND_TO_INVEPT_INVVPID.number()).isEqualTo(28);
    }
}
