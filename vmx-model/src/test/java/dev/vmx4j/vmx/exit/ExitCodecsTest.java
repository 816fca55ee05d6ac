package dev.vmx4j.vmx.exit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** Every exit-qualification and instruction-information codec: seeded round trips and SDM examples. */
class ExitCodecsTest {

    private static final int ROUNDS = 2_000;

    /** decode(v).encode() == v for every v within the defined bits; other bits are dropped. */
    private static void roundTrips(String name, long definedBits, LongUnaryOperator decodeEncode, long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < ROUNDS; i++) {
            long v = rnd.nextLong() & definedBits;
            assertThat(decodeEncode.applyAsLong(v)).as("%s 0x%x", name, v).isEqualTo(v);
            long any = rnd.nextLong();
            assertThat(decodeEncode.applyAsLong(any)).as("%s any 0x%x", name, any).isEqualTo(any & definedBits);
        }
        assertThat(decodeEncode.applyAsLong(definedBits)).as(name + " all defined bits").isEqualTo(definedBits);
    }

    @Test
    void everyCodec_roundTripsItsDefinedBits_seeded() {
        roundTrips("debug", DebugExceptionQualification.DEFINED_BITS,
                v -> DebugExceptionQualification.decode(v).encode(), 1);
        roundTrips("task switch", TaskSwitchQualification.DEFINED_BITS,
                v -> TaskSwitchQualification.decode(v).encode(), 2);
        roundTrips("CR access", ControlRegisterAccessQualification.DEFINED_BITS,
                v -> ControlRegisterAccessQualification.decode(v).encode(), 3);
        roundTrips("MOV DR", MovDrQualification.DEFINED_BITS, v -> MovDrQualification.decode(v).encode(), 4);
        roundTrips("I/O", IoInstructionQualification.DEFINED_BITS,
                v -> IoInstructionQualification.decode(v).encode(), 5);
        roundTrips("APIC access", ApicAccessQualification.DEFINED_BITS,
                v -> ApicAccessQualification.decode(v).encode(), 6);
        roundTrips("SIPI", SipiQualification.DEFINED_BITS, v -> SipiQualification.decode(v).encode(), 7);
        roundTrips("memory operand", MemoryOperandInfo.DEFINED_BITS, v -> MemoryOperandInfo.decode(v).encode(), 8);
        roundTrips("INS/OUTS", InsOutsInstructionInfo.DEFINED_BITS, v -> InsOutsInstructionInfo.decode(v).encode(), 9);
        roundTrips("INVEPT/INVPCID/INVVPID", InvalidationInstructionInfo.DEFINED_BITS,
                v -> InvalidationInstructionInfo.decode(v).encode(), 10);
        roundTrips("LIDT/LGDT/SIDT/SGDT", DescriptorTableInstructionInfo.DEFINED_BITS,
                v -> DescriptorTableInstructionInfo.decode(v).encode(), 11);
        roundTrips("LLDT/LTR/SLDT/STR", LdtrTrInstructionInfo.DEFINED_BITS,
                v -> LdtrTrInstructionInfo.decode(v).encode(), 12);
        roundTrips("RDRAND/RDSEED/TPAUSE/UMWAIT", RegisterInstructionInfo.DEFINED_BITS,
                v -> RegisterInstructionInfo.decode(v).encode(), 13);
        roundTrips("VMCLEAR/VMPTRLD/...", MemoryOperandInstructionInfo.DEFINED_BITS,
                v -> MemoryOperandInstructionInfo.decode(v).encode(), 14);
        roundTrips("VMREAD/VMWRITE", VmreadVmwriteInstructionInfo.DEFINED_BITS,
                v -> VmreadVmwriteInstructionInfo.decode(v).encode(), 15);
    }

    @Test
    void definedBits_areTheSdmBitRanges() {
        assertThat(MemoryOperandInfo.DEFINED_BITS).isEqualTo(0b0000_1111_1111_1111_1000_0011_1000_0011L);
        assertThat(ControlRegisterAccessQualification.DEFINED_BITS & 0xFF00_0000_0000L).isZero();
        assertThat(IoInstructionQualification.DEFINED_BITS).isEqualTo(0xFFFF_007FL);
        assertThat(InvalidationInstructionInfo.DEFINED_BITS & (1L << 10)).as("bit 10 cleared to 0").isZero();
    }

    @Test
    void controlRegisterAccess_examples() {
        assertThat(ControlRegisterAccessQualification.movToCr(3, 0).encode()).isEqualTo(0x3);
        assertThat(ControlRegisterAccessQualification.movFromCr(3, 3).encode()).isEqualTo(0x313);
        assertThat(ControlRegisterAccessQualification.movToCr(8, 15).encode()).isEqualTo(0xF08);
        assertThat(ControlRegisterAccessQualification.clts().encode()).isEqualTo(0x20);
        assertThat(ControlRegisterAccessQualification.lmsw(true, 0x1).encode()).isEqualTo(0x10070);
        ControlRegisterAccessQualification d = ControlRegisterAccessQualification.decode(0xABCD_0030L);
        assertThat(d.accessType()).isEqualTo(ControlRegisterAccessQualification.AccessType.LMSW);
        assertThat(d.lmswSourceData()).isEqualTo(0xABCD);
        assertThat(d.lmswMemoryOperand()).isFalse();
    }

    @Test
    void ioInstruction_examples() {
        // OUT DX, AL to port 0x3F8.
        assertThat(new IoInstructionQualification(1, false, false, false, false, 0x3F8).encode())
                .isEqualTo(0x03F8_0000L);
        // IN EAX, 0x60.
        assertThat(new IoInstructionQualification(4, true, false, false, true, 0x60).encode()).isEqualTo(0x0060_004BL);
        // REP OUTSB to port 0xE9.
        IoInstructionQualification q = IoInstructionQualification.decode(0x00E9_0030L);
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.in()).isFalse();
        assertThat(q.string()).isTrue();
        assertThat(q.rep()).isTrue();
        assertThat(q.port()).isEqualTo(0xE9);
        assertThat(IoInstructionQualification.decode(1).size()).isEqualTo(2);
        assertThatThrownBy(() -> new IoInstructionQualification(0, false, false, false, false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
    }

    @Test
    void otherQualification_examples() {
        assertThat(new TaskSwitchQualification(0x28, TaskSwitchQualification.Source.IRET).encode())
                .isEqualTo(0x4000_0028L);
        assertThat(TaskSwitchQualification.decode(0xC000_0010L).source())
                .isEqualTo(TaskSwitchQualification.Source.TASK_GATE_IN_IDT);
        assertThat(new MovDrQualification(7, true, 1).encode()).isEqualTo(0x117);
        assertThat(ApicAccessQualification.of(0xB0, ApicAccessQualification.AccessType.LINEAR_DATA_WRITE, false)
                .encode()).isEqualTo(0x10B0);
        assertThat(ApicAccessQualification.decode(0xF000).accessType())
                .isEqualTo(ApicAccessQualification.AccessType.GUEST_PHYSICAL_ACCESS_FOR_INSTRUCTION_FETCH_OR_EXECUTION);
        assertThat(ApicAccessQualification.decode(0x5000).accessType()).as("undefined type 5").isNull();
        assertThat(new DebugExceptionQualification(0, false, true, false).encode()).isEqualTo(0x4000);
        DebugExceptionQualification db = DebugExceptionQualification.decode(0x2001);
        assertThat(db.breakpoint(0)).isTrue();
        assertThat(db.breakpoint(1)).isFalse();
        assertThat(db.bd()).isTrue();
        assertThat(new SipiQualification(0x9A).encode()).isEqualTo(0x9A);
    }

    @Test
    void instructionInformation_examples() {
        // VMREAD RBX, RAX (register form, 64-bit address size): reg1 = RBX, reg2 = RAX.
        assertThat(VmreadVmwriteInstructionInfo.registerForm(MemoryOperandInfo.ADDRESS_SIZE_64, 3, 0).encode())
                .isEqualTo(0x518);
        // VMPTRLD [RAX] in 64-bit mode: DS, base RAX, no index.
        assertThat(new MemoryOperandInstructionInfo(MemoryOperandInfo.baseOnly(MemoryOperandInfo.ADDRESS_SIZE_64,
                MemoryOperandInfo.DS, 0)).encode()).isEqualTo(0x41_8100L);
        // INVEPT RCX, [RDX + RSI*8].
        assertThat(new InvalidationInstructionInfo(MemoryOperandInfo.of(MemoryOperandInfo.ADDRESS_SIZE_64,
                MemoryOperandInfo.DS, 2, 6, 3), 1).encode()).isEqualTo(0x1119_8103L);
        // LGDT [RBX].
        assertThat(new DescriptorTableInstructionInfo(MemoryOperandInfo.baseOnly(MemoryOperandInfo.ADDRESS_SIZE_64,
                MemoryOperandInfo.DS, 3), false, DescriptorTableInstructionInfo.Instruction.LGDT).encode())
                .isEqualTo(0x21C1_8100L);
        // LTR AX.
        assertThat(new LdtrTrInstructionInfo(MemoryOperandInfo.decode(0), 0, true,
                LdtrTrInstructionInfo.Instruction.LTR).encode()).isEqualTo(0x3000_0400L);
        // RDRAND EAX; RDSEED R9.
        assertThat(new RegisterInstructionInfo(0, RegisterInstructionInfo.OPERAND_SIZE_32).encode()).isEqualTo(0x800);
        assertThat(new RegisterInstructionInfo(9, RegisterInstructionInfo.OPERAND_SIZE_64).encode()).isEqualTo(0x1048);
        // OUTSB with a 32-bit address size and DS.
        assertThat(new InsOutsInstructionInfo(MemoryOperandInfo.ADDRESS_SIZE_32, MemoryOperandInfo.DS).encode())
                .isEqualTo(0x1_8080L);
        MemoryOperandInfo m = MemoryOperandInfo.decode(0x1119_8103L);
        assertThat(m.scaling()).isEqualTo(3);
        assertThat(m.addressSizeBits()).isEqualTo(64);
        assertThat(m.segment()).isEqualTo(MemoryOperandInfo.DS);
        assertThat(m.indexRegister()).isEqualTo(6);
        assertThat(m.baseRegister()).isEqualTo(2);
        assertThat(m.indexInvalid()).isFalse();
        assertThat(m.baseInvalid()).isFalse();
    }

    @Test
    void outOfRangeParts_areRejectedWithTheirName() {
        assertThatThrownBy(() -> new MovDrQualification(8, false, 0)).hasMessageContaining("debugRegister");
        assertThatThrownBy(() -> new MemoryOperandInfo(4, 0, 0, 0, false, 0, false)).hasMessageContaining("scaling");
        assertThatThrownBy(() -> new SipiQualification(256)).hasMessageContaining("vector");
        assertThatThrownBy(() -> ControlRegisterAccessQualification.movToCr(16, 0))
                .hasMessageContaining("controlRegister");
    }
}
