package dev.vmx4j.vmx.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlsTest {

    private static void bitsUnique(VmxControl[] controls, int width) {
        Set<Integer> bits = new HashSet<>();
        for (VmxControl c : controls) {
            assertThat(c.bit()).isBetween(0, width - 1);
            assertThat(bits.add(c.bit())).as("duplicate bit %s", c).isTrue();
            assertThat(c.mask()).isEqualTo(1L << c.bit());
        }
    }

    @Test
    void everyVector_hasDistinctBitsInItsWidth() {
        bitsUnique(PinBasedControl.values(), 32);
        bitsUnique(PrimaryProcBasedControl.values(), 32);
        bitsUnique(SecondaryProcBasedControl.values(), 32);
        bitsUnique(TertiaryProcBasedControl.values(), 64);
        bitsUnique(ExitControl.values(), 32);
        bitsUnique(EntryControl.values(), 32);
        bitsUnique(SecondaryExitControl.values(), 64);
    }

    @Test
    void bitNumbers_areTheSdms() {
        assertThat(PinBasedControl.PROCESS_POSTED_INTERRUPTS.bit()).isEqualTo(7);
        assertThat(PrimaryProcBasedControl.HLT_EXITING.bit()).isEqualTo(7);
        assertThat(PrimaryProcBasedControl.ACTIVATE_TERTIARY_CONTROLS.bit()).isEqualTo(17);
        assertThat(PrimaryProcBasedControl.MONITOR_TRAP_FLAG.bit()).isEqualTo(27);
        assertThat(SecondaryProcBasedControl.UNRESTRICTED_GUEST.bit()).isEqualTo(7);
        assertThat(SecondaryProcBasedControl.ENABLE_ENCLV_EXITING.bit()).isEqualTo(28);
        assertThat(TertiaryProcBasedControl.VIRTUALIZE_IA32_SPEC_CTRL.bit()).isEqualTo(7);
        assertThat(ExitControl.HOST_ADDRESS_SPACE_SIZE.bit()).isEqualTo(9);
        assertThat(ExitControl.ACTIVATE_SECONDARY_CONTROLS.bit()).isEqualTo(31);
        assertThat(EntryControl.IA32E_MODE_GUEST.bit()).isEqualTo(9);
        assertThat(EntryControl.LOAD_PKRS.bit()).isEqualTo(22);
    }

    @Test
    void names_decodeSetBits_lowestFirst_unknownAsBitN() {
        assertThat(PinBasedControl.names(0x16 | 1 | 1 << 7)).containsExactly("EXTERNAL_INTERRUPT_EXITING", "bit 1",
                "bit 2", "bit 4", "PROCESS_POSTED_INTERRUPTS");
        assertThat(EntryControl.names(0x11FB)).containsExactly("bit 0", "bit 1", "bit 3", "bit 4", "bit 5", "bit 6",
                "bit 7", "bit 8", "bit 12");
        assertThat(TertiaryProcBasedControl.names(1L << 63 | 1)).containsExactly("LOADIWKEY_EXITING", "bit 63");
        assertThat(ExitControl.names(0)).isEmpty();
        assertThat(SecondaryProcBasedControl.names(0x82)).containsExactly("ENABLE_EPT", "UNRESTRICTED_GUEST");
    }
}
