package dev.vmx4j.vmx.exit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.mmu.ept.EptViolationQualification;
import org.junit.jupiter.api.Test;

class ExitDecodersTest {

    @Test
    void qualification_picksTheReasonsTable() {
        assertThat(ExitDecoders.qualification(ExitReason.IO_INSTRUCTION, 0x00E9_0030L))
                .isEqualTo(new IoInstructionQualification(1, false, true, true, false, 0xE9));
        assertThat(ExitDecoders.qualification(ExitReason.CONTROL_REGISTER_ACCESSES, 0x313))
                .isEqualTo(ControlRegisterAccessQualification.movFromCr(3, 3));
        assertThat(ExitDecoders.qualification(ExitReason.EPT_VIOLATION, 0x182))
                .isInstanceOf(EptViolationQualification.class)
                .satisfies(r -> assertThat(((EptViolationQualification) r).write()).isTrue());
        assertThat(ExitDecoders.qualification(ExitReason.SIPI, 0x9A)).isEqualTo(new SipiQualification(0x9A));
        assertThat(ExitDecoders.qualification(ExitReason.TASK_SWITCH, 0x4000_0028L))
                .isEqualTo(new TaskSwitchQualification(0x28, TaskSwitchQualification.Source.IRET));
        assertThat(ExitDecoders.qualification(ExitReason.MOV_DR, 0x117)).isEqualTo(new MovDrQualification(7, true, 1));
        assertThat(ExitDecoders.qualification(ExitReason.APIC_ACCESS, 0x10B0)).isInstanceOf(ApicAccessQualification.class);
        assertThat(ExitDecoders.qualification(ExitReason.INVLPG, 0xFFFF_8000_0000_0000L)).as("plain address").isNull();
        assertThat(ExitDecoders.qualification(ExitReason.CPUID, 0)).isNull();
        assertThat(ExitDecoders.debugException(0x4000).bs()).isTrue();
    }

    @Test
    void instructionInformation_picksTheReasonsFormat() {
        assertThat(ExitDecoders.instructionInformation(ExitReason.VMREAD, 0x518))
                .isEqualTo(VmreadVmwriteInstructionInfo.registerForm(MemoryOperandInfo.ADDRESS_SIZE_64, 3, 0));
        assertThat(ExitDecoders.instructionInformation(ExitReason.VMPTRLD, 0x41_8100L))
                .isInstanceOf(MemoryOperandInstructionInfo.class);
        assertThat(ExitDecoders.instructionInformation(ExitReason.INVVPID, 0x1119_8103L))
                .isInstanceOf(InvalidationInstructionInfo.class);
        assertThat(ExitDecoders.instructionInformation(ExitReason.ACCESS_TO_GDTR_OR_IDTR, 0x21C1_8100L))
                .isInstanceOf(DescriptorTableInstructionInfo.class);
        assertThat(ExitDecoders.instructionInformation(ExitReason.ACCESS_TO_LDTR_OR_TR, 0x3000_0400L))
                .isInstanceOf(LdtrTrInstructionInfo.class);
        assertThat(ExitDecoders.instructionInformation(ExitReason.RDSEED, 0x1048))
                .isEqualTo(new RegisterInstructionInfo(9, RegisterInstructionInfo.OPERAND_SIZE_64));
        assertThat(ExitDecoders.instructionInformation(ExitReason.IO_INSTRUCTION, 0x1_8080L))
                .isEqualTo(new InsOutsInstructionInfo(1, 3));
        assertThat(ExitDecoders.instructionInformation(ExitReason.HLT, 0)).isNull();
    }
}
