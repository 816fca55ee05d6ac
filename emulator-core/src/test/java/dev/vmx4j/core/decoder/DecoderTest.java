package dev.vmx4j.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The decoder's rules and the operand conventions documented on {@link DecodedInstruction}. */
class DecoderTest {

    private final Decoder decoder = new Decoder();
    private final DecodedInstruction d = new DecodedInstruction();

    private int status(int mode, String hex) {
        byte[] b = DecoderObjdumpCrossCheckTest.hex(hex.replace(" ", ""));
        return decoder.decode(b, 0, b.length, mode, d);
    }

    private DecodedInstruction ok(int mode, String hex) {
        int st = status(mode, hex);
        assertThat(DecoderObjdumpCrossCheckTest.statusName(st)).as(hex).isEqualTo("OK");
        assertThat(d.length).isEqualTo(hex.replace(" ", "").length() / 2);
        return d;
    }

    private void operand(int i, int kind, int reg, int size) {
        assertThat(d.kind[i]).as("kind[%d]", i).isEqualTo(kind);
        assertThat(d.reg[i]).as("reg[%d]", i).isEqualTo(reg);
        assertThat(d.size[i]).as("size[%d]", i).isEqualTo(size);
    }

    // ---- status rules

    @Test
    void pushEsIn64BitMode_isInvalid_butValidIn32() {
        assertThat(status(64, "06")).isEqualTo(DecodeStatus.INVALID);
        assertThat(ok(32, "06").mnemonic).isEqualTo(Mnemonic.PUSH);
        operand(0, OperandKind.SEG, SegmentRegister.ES, 2);
    }

    @Test
    void opcodesInvalidIn64BitMode_areInvalid() {
        for (String op : new String[] {"06", "07", "0e", "16", "17", "1e", "1f", "27", "2f", "37", "3f", "60", "61",
            "6210", "8200 00", "9a 00000000 0000", "d4 0a", "d5 0a", "d6", "ea 00000000 0000", "ce"}) {
            assertThat(status(64, op)).as(op).isEqualTo(DecodeStatus.INVALID);
        }
    }

    @Test
    void ud2_isAValidInstructionWithMnemonicUd2() {
        assertThat(ok(64, "0f0b").mnemonic).isEqualTo(Mnemonic.UD2);
    }

    @Test
    void truncatedInstruction_needsMoreBytes() {
        byte[] b = DecoderObjdumpCrossCheckTest.hex("48b81122334455667788");
        for (int n = 0; n < b.length; n++) {
            assertThat(decoder.decode(b, 0, n, 64, d)).as("%d bytes", n).isEqualTo(DecodeStatus.NEED_MORE_BYTES);
        }
        assertThat(decoder.decode(b, 0, b.length, 64, d)).isEqualTo(DecodeStatus.OK);
    }

    @Test
    void sixteenBytes_areTooLong_evenWhenFewerAreAvailable() {
        // 11 prefixes + 81 /0 disp8... = 16 bytes
        String fifteen = "6666666666666666666666 81 40 00 00000000";
        assertThat(status(32, "66666666666666666666" + "81400000000000")).isEqualTo(DecodeStatus.OK);
        assertThat(status(32, fifteen.replace(" ", ""))).isEqualTo(DecodeStatus.TOO_LONG);
        byte[] b = DecoderObjdumpCrossCheckTest.hex("666666666666666666666666666666");
        assertThat(decoder.decode(b, 0, 15, 32, d)).isEqualTo(DecodeStatus.TOO_LONG);
        assertThat(decoder.decode(b, 0, 14, 32, d)).isEqualTo(DecodeStatus.NEED_MORE_BYTES);
    }

    @Test
    void lock_onRegisterDestinationOrNonLockable_isInvalidLock() {
        assertThat(status(64, "f0 01 c0")).isEqualTo(DecodeStatus.INVALID_LOCK);
        assertThat(status(64, "f0 8b 00")).isEqualTo(DecodeStatus.INVALID_LOCK);
        assertThat(status(64, "f0 90")).isEqualTo(DecodeStatus.INVALID_LOCK);
        assertThat(status(64, "f0 38 00")).isEqualTo(DecodeStatus.INVALID_LOCK); // CMP is not lockable
        assertThat(ok(64, "f0 01 00").mnemonic).isEqualTo(Mnemonic.ADD);
        assertThat(d.hasPrefix(Prefix.LOCK)).isTrue();
        assertThat(ok(64, "f0 48 0f c7 0e").mnemonic).isEqualTo(Mnemonic.CMPXCHG16B);
        operand(0, OperandKind.MEM, 0, 16);
    }

    @Test
    void decode_rejectsBadArguments_butNeverThrowsOnBytes() {
        assertThatThrownBy(() -> decoder.decode(new byte[4], 0, 4, 8, d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode");
        assertThatThrownBy(() -> decoder.decode(new byte[4], 2, 4, 64, d)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- prefixes

    @Test
    void lastSegmentOverride_wins() {
        ok(32, "2e 64 8b 00");
        assertThat(d.segmentOverride).isEqualTo(SegmentRegister.FS);
        assertThat(d.memSegment).isEqualTo(SegmentRegister.FS);
        ok(32, "64 2e 8b 00");
        assertThat(d.memSegment).isEqualTo(SegmentRegister.CS);
    }

    @Test
    void in64BitMode_esCsSsDsOverridesAreIgnored_andLeaveFsOrGsInForce() {
        ok(64, "64 2e 8b 00");
        assertThat(d.segmentOverride).isEqualTo(SegmentRegister.FS);
        ok(64, "26 8b 00");
        assertThat(d.segmentOverride).isEqualTo(SegmentRegister.NONE);
        assertThat(d.memSegment).isEqualTo(SegmentRegister.DS);
        ok(64, "65 a4");
        assertThat(d.memSegment).isEqualTo(SegmentRegister.GS);
    }

    @Test
    void rexNotImmediatelyBeforeOpcode_isIgnored() {
        ok(64, "48 66 01 c0");
        assertThat(d.rex).isZero();
        assertThat(d.operandSize).isEqualTo(2);
        operand(0, OperandKind.REG, 0, 2);
        ok(64, "66 48 01 c0");
        assertThat(d.operandSize).isEqualTo(8);
    }

    @Test
    void operandAndAddressSizePrefixes_combine() {
        ok(32, "66 67 8b 07");
        assertThat(d.operandSize).isEqualTo(2);
        assertThat(d.addressSize).isEqualTo(2);
        assertThat(d.memBase).isEqualTo(3); // [bx]
        ok(16, "66 67 8b 07");
        assertThat(d.operandSize).isEqualTo(4);
        assertThat(d.addressSize).isEqualTo(4);
        assertThat(d.memBase).isEqualTo(7); // [edi]
    }

    @Test
    void lastOfF2AndF3_selectsRepOrRepne() {
        ok(32, "f2 f3 a6");
        assertThat(d.hasPrefix(Prefix.REP)).isTrue();
        assertThat(d.hasPrefix(Prefix.REPNE)).isFalse();
        ok(32, "f3 f2 a6");
        assertThat(d.hasPrefix(Prefix.REPNE)).isTrue();
    }

    // ---- registers and addressing

    @Test
    void byteRegisters_highWithoutRex_uniformWithRex() {
        ok(64, "88 e0"); // mov al, ah
        operand(0, OperandKind.REG, 0, 1);
        operand(1, OperandKind.REG8_HIGH, 0, 1);
        ok(64, "40 88 e0"); // mov al, spl
        operand(1, OperandKind.REG, 4, 1);
        ok(64, "45 88 c8"); // mov r8b, r9b
        operand(0, OperandKind.REG, 8, 1);
        operand(1, OperandKind.REG, 9, 1);
    }

    @Test
    void sixteenBitForms_useBxBpSiDi_andSsForBp() {
        ok(16, "8b 02"); // [bp+si]
        assertThat(d.memBase).isEqualTo(5);
        assertThat(d.memIndex).isEqualTo(6);
        assertThat(d.memSegment).isEqualTo(SegmentRegister.SS);
        ok(16, "8b 46 fe"); // [bp-2]
        assertThat(d.memDisplacement).isEqualTo(-2);
        assertThat(d.memSegment).isEqualTo(SegmentRegister.SS);
        ok(16, "8b 06 34 12"); // [0x1234]
        assertThat(d.memBase).isEqualTo(DecodedInstruction.NO_REGISTER);
        assertThat(d.memDisplacement).isEqualTo(0x1234);
        assertThat(d.memSegment).isEqualTo(SegmentRegister.DS);
        ok(16, "8b 01"); // [bx+di]
        assertThat(d.memBase).isEqualTo(3);
        assertThat(d.memIndex).isEqualTo(7);
        assertThat(d.memSegment).isEqualTo(SegmentRegister.DS);
    }

    @Test
    void sibWithRspOrRbpBase_defaultsToSs_andRexExtendsBaseAndIndex() {
        ok(64, "8b 44 24 08");
        assertThat(d.memBase).isEqualTo(4);
        assertThat(d.memIndex).isEqualTo(DecodedInstruction.NO_REGISTER);
        assertThat(d.memSegment).isEqualTo(SegmentRegister.SS);
        ok(64, "43 8b 04 c8"); // [r8+r9*8]
        assertThat(d.memBase).isEqualTo(8);
        assertThat(d.memIndex).isEqualTo(9);
        assertThat(d.memScale).isEqualTo(8);
        ok(64, "8b 04 25 78 56 34 12"); // absolute disp32
        assertThat(d.memBase).isEqualTo(DecodedInstruction.NO_REGISTER);
        assertThat(d.memDisplacement).isEqualTo(0x12345678);
    }

    @Test
    void ripRelative_usesBaseRip_in64BitModeOnly() {
        ok(64, "8b 05 f0 ff ff ff");
        assertThat(d.memBase).isEqualTo(DecodedInstruction.BASE_RIP);
        assertThat(d.memDisplacement).isEqualTo(-16);
        ok(32, "8b 05 f0 ff ff ff");
        assertThat(d.memBase).isEqualTo(DecodedInstruction.NO_REGISTER);
    }

    @Test
    void moffs_hasNoBaseAndTheFullAbsoluteOffset() {
        ok(64, "48 a1 88 77 66 55 44 33 22 11");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.MOV);
        operand(0, OperandKind.REG, 0, 8);
        operand(1, OperandKind.MEM, 0, 8);
        assertThat(d.memBase).isEqualTo(DecodedInstruction.NO_REGISTER);
        assertThat(d.memIndex).isEqualTo(DecodedInstruction.NO_REGISTER);
        assertThat(d.memDisplacement).isEqualTo(0x1122334455667788L);
        ok(32, "a2 00 00 00 f0");
        assertThat(d.memDisplacement).isEqualTo(0xF0000000L);
    }

    // ---- immediates and operand sizes

    @Test
    void iz_isSignExtendedToOperandSize_andIvIsAFullImm64() {
        ok(64, "48 05 ff ff ff ff");
        assertThat(d.immediate).isEqualTo(-1L);
        operand(1, OperandKind.IMM, 0, 4);
        ok(64, "48 b8 88 77 66 55 44 33 22 11");
        assertThat(d.immediate).isEqualTo(0x1122334455667788L);
        operand(1, OperandKind.IMM, 0, 8);
        ok(64, "b8 ff ff ff ff"); // mov eax, imm32
        operand(1, OperandKind.IMM, 0, 4);
    }

    @Test
    void pushImm_hasTheOperandSize_andDefault64InLongMode() {
        ok(64, "6a ff");
        assertThat(d.operandSize).isEqualTo(8);
        operand(0, OperandKind.IMM, 0, 8);
        assertThat(d.immediate).isEqualTo(-1L);
        ok(64, "66 6a ff");
        operand(0, OperandKind.IMM, 0, 2);
        ok(32, "68 00 10 00 00");
        operand(0, OperandKind.IMM, 0, 4);
    }

    @Test
    void nearBranchesIn64BitMode_haveOperandSize64_evenWith66() {
        ok(64, "66 e9 10 00 00 00");
        assertThat(d.operandSize).isEqualTo(8);
        operand(0, OperandKind.REL, 0, 4);
        assertThat(d.immediate).isEqualTo(16);
        ok(64, "ff e0"); // jmp rax
        operand(0, OperandKind.REG, 0, 8);
    }

    @Test
    void jcc_isRelWithConditionCode() {
        ok(64, "75 fe");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.JCC);
        assertThat(d.condition).isEqualTo(5);
        operand(0, OperandKind.REL, 0, 1);
        assertThat(d.immediate).isEqualTo(-2);
        ok(32, "0f 8c 00 01 00 00");
        assertThat(d.condition).isEqualTo(0xC);
        assertThat(d.immediate).isEqualTo(0x100);
        ok(16, "e3 05");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.JRCXZ);
        operand(0, OperandKind.REL, 0, 1);
    }

    @Test
    void shifts_haveTheCountAsOperandOne() {
        ok(64, "d1 e0"); // shl eax, 1
        assertThat(d.mnemonic).isEqualTo(Mnemonic.SHL);
        operand(1, OperandKind.IMM, 0, 1);
        assertThat(d.immediate).isEqualTo(1);
        ok(64, "48 d3 f8"); // sar rax, cl
        assertThat(d.mnemonic).isEqualTo(Mnemonic.SAR);
        operand(1, OperandKind.REG, 1, 1);
        ok(64, "c0 e8 03"); // shr al, 3
        operand(1, OperandKind.IMM, 0, 1);
        assertThat(d.immediate).isEqualTo(3);
    }

    @Test
    void stringInstructions_haveNoOperands_elementSizeInSize0_andSourceSegment() {
        ok(32, "f3 a5");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.MOVS);
        assertThat(d.operandCount).isZero();
        assertThat(d.size[0]).isEqualTo(4);
        assertThat(d.hasPrefix(Prefix.REP)).isTrue();
        assertThat(d.memSegment).isEqualTo(SegmentRegister.DS);
        ok(32, "26 ac");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.LODS);
        assertThat(d.size[0]).isEqualTo(1);
        assertThat(d.memSegment).isEqualTo(SegmentRegister.ES);
        ok(64, "48 ab");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.STOS);
        assertThat(d.size[0]).isEqualTo(8);
        ok(16, "6d");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.INS);
        assertThat(d.size[0]).isEqualTo(2);
        ok(32, "64 d7");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.XLAT);
        assertThat(d.operandCount).isZero();
        assertThat(d.memSegment).isEqualTo(SegmentRegister.FS);
    }

    @Test
    void inOut_useAccumulatorAndPortOrDx() {
        ok(32, "e5 60");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.IN);
        operand(0, OperandKind.REG, 0, 4);
        operand(1, OperandKind.IMM, 0, 1);
        assertThat(d.immediate).isEqualTo(0x60);
        ok(32, "e6 80"); // port is zero-extended
        assertThat(d.immediate).isEqualTo(0x80);
        ok(16, "ee");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.OUT);
        operand(0, OperandKind.REG, 2, 2);
        operand(1, OperandKind.REG, 0, 1);
    }

    @Test
    void enter_hasFrameSizeAndNestingLevel() {
        ok(64, "c8 10 80 03");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.ENTER);
        operand(0, OperandKind.IMM, 0, 2);
        assertThat(d.immediate).isEqualTo(0x8010);
        operand(1, OperandKind.IMM, 0, 1);
        assertThat(d.immediate2).isEqualTo(3);
    }

    @Test
    void farPointer_hasOffsetAndSelector() {
        ok(32, "ea 78 56 34 12 08 00");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.JMP_FAR);
        operand(0, OperandKind.FAR_PTR, 0, 6);
        assertThat(d.immediate).isEqualTo(0x12345678L);
        assertThat(d.immediate2).isEqualTo(8);
        ok(16, "9a 34 12 00 f0");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.CALL_FAR);
        operand(0, OperandKind.FAR_PTR, 0, 4);
    }

    @Test
    void imulThreeOperands_isRegRmImm() {
        ok(64, "6b c3 fe");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.IMUL);
        assertThat(d.operandCount).isEqualTo(3);
        operand(0, OperandKind.REG, 0, 4);
        operand(1, OperandKind.REG, 3, 4);
        operand(2, OperandKind.IMM, 0, 1);
        assertThat(d.immediate).isEqualTo(-2);
    }

    @Test
    void sizeFromMnemonicRow_cbwCwdeCdqe() {
        assertThat(ok(64, "66 98").mnemonic).isEqualTo(Mnemonic.CBW);
        assertThat(ok(64, "98").mnemonic).isEqualTo(Mnemonic.CWDE);
        assertThat(ok(64, "48 98").mnemonic).isEqualTo(Mnemonic.CDQE);
        assertThat(ok(64, "48 99").mnemonic).isEqualTo(Mnemonic.CQO);
    }

    @Test
    void opcode63_isArplOutside64BitMode_andMovsxdInside() {
        assertThat(ok(32, "63 c8").mnemonic).isEqualTo(Mnemonic.ARPL);
        assertThat(ok(64, "48 63 c8").mnemonic).isEqualTo(Mnemonic.MOVSXD);
        operand(0, OperandKind.REG, 1, 8);
        operand(1, OperandKind.REG, 0, 4);
    }

    @Test
    void rexPrefixBytes40to4F_areIncDecOutside64BitMode() {
        assertThat(ok(32, "40").mnemonic).isEqualTo(Mnemonic.INC);
        assertThat(ok(32, "4f").mnemonic).isEqualTo(Mnemonic.DEC);
        operand(0, OperandKind.REG, 7, 4);
    }

    @Test
    void nop90WithRexB_isXchgR8() {
        assertThat(ok(64, "90").mnemonic).isEqualTo(Mnemonic.NOP);
        assertThat(ok(64, "41 90").mnemonic).isEqualTo(Mnemonic.XCHG);
        operand(0, OperandKind.REG, 8, 4);
        assertThat(ok(64, "f3 90").mnemonic).isEqualTo(Mnemonic.PAUSE);
    }

    // ---- mandatory prefixes

    @Test
    void mandatoryPrefixes_selectTheInstruction() {
        assertThat(ok(64, "f3 0f b8 c1").mnemonic).isEqualTo(Mnemonic.POPCNT);
        assertThat(status(64, "0f b8 c1")).isEqualTo(DecodeStatus.INVALID);
        assertThat(ok(64, "0f bc c1").mnemonic).isEqualTo(Mnemonic.BSF);
        assertThat(ok(64, "f3 0f bc c1").mnemonic).isEqualTo(Mnemonic.TZCNT);
        assertThat(ok(64, "66 f3 0f bd c1").mnemonic).isEqualTo(Mnemonic.LZCNT);
        assertThat(d.operandSize).isEqualTo(2); // 66 is still the operand size here
        assertThat(ok(64, "f3 0f 1e fa").mnemonic).isEqualTo(Mnemonic.ENDBR64);
        assertThat(ok(32, "f3 0f 1e fb").mnemonic).isEqualTo(Mnemonic.ENDBR32);
        assertThat(ok(64, "0f c7 f0").mnemonic).isEqualTo(Mnemonic.RDRAND);
        assertThat(ok(64, "66 0f c7 f0").mnemonic).isEqualTo(Mnemonic.RDRAND);
        operand(0, OperandKind.REG, 0, 2); // 66 is the operand size of RDRAND
        assertThat(status(64, "f2 0f c7 f0")).isEqualTo(DecodeStatus.INVALID);
        assertThat(ok(64, "0f c7 f8").mnemonic).isEqualTo(Mnemonic.RDSEED);
        assertThat(ok(64, "f3 0f c7 f8").mnemonic).isEqualTo(Mnemonic.RDPID);
        operand(0, OperandKind.REG, 0, 8);
        assertThat(ok(64, "66 0f 38 f6 c1").mnemonic).isEqualTo(Mnemonic.ADCX);
        assertThat(ok(64, "f3 0f 38 f6 c1").mnemonic).isEqualTo(Mnemonic.ADOX);
        assertThat(ok(64, "0f 38 f0 00").mnemonic).isEqualTo(Mnemonic.MOVBE);
        assertThat(ok(64, "66 0f 6f c1").mnemonic).isEqualTo(Mnemonic.MOVDQA);
        assertThat(d.operandSize).isEqualTo(4); // the 66 is part of the opcode
        operand(0, OperandKind.XMM, 0, 16);
        assertThat(ok(64, "f3 0f 6f 00").mnemonic).isEqualTo(Mnemonic.MOVDQU);
        operand(1, OperandKind.MEM, 0, 16);
    }

    @Test
    void hintNops_andMultiByteNop() {
        assertThat(ok(64, "0f 1f 44 00 00").mnemonic).isEqualTo(Mnemonic.NOP);
        assertThat(ok(64, "0f 19 00").mnemonic).isEqualTo(Mnemonic.HINT_NOP);
        assertThat(ok(64, "0f 1f c8").mnemonic).isEqualTo(Mnemonic.HINT_NOP);
    }

    // ---- system and VMX

    @Test
    void vmxInstructions_decode() {
        assertThat(ok(64, "f3 0f c7 30").mnemonic).isEqualTo(Mnemonic.VMXON);
        operand(0, OperandKind.MEM, 0, 8);
        assertThat(ok(64, "66 0f c7 30").mnemonic).isEqualTo(Mnemonic.VMCLEAR);
        assertThat(ok(64, "0f c7 30").mnemonic).isEqualTo(Mnemonic.VMPTRLD);
        assertThat(ok(64, "0f c7 38").mnemonic).isEqualTo(Mnemonic.VMPTRST);
        assertThat(ok(64, "0f 78 c8").mnemonic).isEqualTo(Mnemonic.VMREAD);
        operand(0, OperandKind.REG, 0, 8);
        operand(1, OperandKind.REG, 1, 8);
        assertThat(ok(32, "0f 79 c8").mnemonic).isEqualTo(Mnemonic.VMWRITE);
        operand(0, OperandKind.REG, 1, 4);
        assertThat(ok(64, "0f 01 c1").mnemonic).isEqualTo(Mnemonic.VMCALL);
        assertThat(ok(64, "0f 01 c2").mnemonic).isEqualTo(Mnemonic.VMLAUNCH);
        assertThat(ok(64, "0f 01 c3").mnemonic).isEqualTo(Mnemonic.VMRESUME);
        assertThat(ok(64, "0f 01 c4").mnemonic).isEqualTo(Mnemonic.VMXOFF);
        assertThat(ok(64, "0f 01 d4").mnemonic).isEqualTo(Mnemonic.VMFUNC);
        assertThat(ok(64, "66 0f 38 80 08").mnemonic).isEqualTo(Mnemonic.INVEPT);
        operand(0, OperandKind.REG, 1, 8);
        operand(1, OperandKind.MEM, 0, 16);
        assertThat(ok(64, "66 0f 38 81 08").mnemonic).isEqualTo(Mnemonic.INVVPID);
        assertThat(status(64, "f3 0f c7 f0")).isEqualTo(DecodeStatus.INVALID); // VMXON needs memory
    }

    @Test
    void movCr_ignoresMod_andRejectsReservedControlRegisters() {
        ok(64, "0f 22 18"); // mod=00 still means a register: mov cr3, rax
        assertThat(d.mnemonic).isEqualTo(Mnemonic.MOV_CR);
        operand(0, OperandKind.CR, 3, 8);
        operand(1, OperandKind.REG, 0, 8);
        ok(64, "44 0f 20 c0"); // mov rax, cr8
        operand(1, OperandKind.CR, 8, 8);
        assertThat(status(64, "0f 20 c8")).isEqualTo(DecodeStatus.INVALID); // cr1
        ok(32, "0f 21 f8"); // mov eax, dr7
        operand(1, OperandKind.DR, 7, 4);
        assertThat(status(64, "f0 0f 20 c0")).isEqualTo(DecodeStatus.INVALID_LOCK);
    }

    @Test
    void movSreg_rejectsCsDestinationAndReservedRegisters() {
        ok(32, "8e d8");
        assertThat(d.mnemonic).isEqualTo(Mnemonic.MOV_SREG);
        operand(0, OperandKind.SEG, SegmentRegister.DS, 2);
        assertThat(status(32, "8e c8")).isEqualTo(DecodeStatus.INVALID);
        assertThat(status(32, "8c f0")).isEqualTo(DecodeStatus.INVALID);
        ok(32, "8c 18");
        operand(0, OperandKind.MEM, 0, 2);
    }

    @Test
    void systemInstructions_decode() {
        assertThat(ok(64, "0f 01 10").mnemonic).isEqualTo(Mnemonic.LGDT);
        operand(0, OperandKind.MEM, 0, 10);
        assertThat(ok(32, "0f 01 18").mnemonic).isEqualTo(Mnemonic.LIDT);
        operand(0, OperandKind.MEM, 0, 6);
        assertThat(ok(64, "0f 00 d0").mnemonic).isEqualTo(Mnemonic.LLDT);
        assertThat(ok(64, "0f 00 d8").mnemonic).isEqualTo(Mnemonic.LTR);
        assertThat(ok(64, "0f 01 f8").mnemonic).isEqualTo(Mnemonic.SWAPGS);
        assertThat(status(32, "0f 01 f8")).isEqualTo(DecodeStatus.INVALID);
        assertThat(ok(64, "0f 01 38").mnemonic).isEqualTo(Mnemonic.INVLPG);
        assertThat(ok(64, "66 0f 38 82 10").mnemonic).isEqualTo(Mnemonic.INVPCID);
        assertThat(ok(64, "0f 30").mnemonic).isEqualTo(Mnemonic.WRMSR);
        assertThat(ok(64, "0f 32").mnemonic).isEqualTo(Mnemonic.RDMSR);
        assertThat(ok(64, "0f 05").mnemonic).isEqualTo(Mnemonic.SYSCALL);
        assertThat(ok(32, "0f 34").mnemonic).isEqualTo(Mnemonic.SYSENTER);
        assertThat(ok(64, "0f 01 d0").mnemonic).isEqualTo(Mnemonic.XGETBV);
        assertThat(ok(64, "0f ae e8").mnemonic).isEqualTo(Mnemonic.LFENCE);
        assertThat(ok(64, "0f ae f0").mnemonic).isEqualTo(Mnemonic.MFENCE);
        assertThat(ok(64, "0f ae 38").mnemonic).isEqualTo(Mnemonic.CLFLUSH);
        assertThat(ok(64, "f3 48 0f ae c0").mnemonic).isEqualTo(Mnemonic.RDFSBASE);
        operand(0, OperandKind.REG, 0, 8);
        assertThat(ok(64, "48 cb").mnemonic).isEqualTo(Mnemonic.RET_FAR);
        assertThat(ok(64, "48 cf").mnemonic).isEqualTo(Mnemonic.IRET);
        assertThat(d.operandSize).isEqualTo(8);
        assertThat(ok(16, "0f b2 07").mnemonic).isEqualTo(Mnemonic.LSS);
        operand(1, OperandKind.MEM, 0, 4);
        assertThat(ok(64, "f1").mnemonic).isEqualTo(Mnemonic.INT1);
        assertThat(ok(64, "cd 80").immediate).isEqualTo(0x80);
    }

    @Test
    void x87Escapes_decodeAsX87WithTheirLength() {
        assertThat(ok(64, "d9 c9").mnemonic).isEqualTo(Mnemonic.X87);
        assertThat(ok(64, "dd 84 24 00 01 00 00").mnemonic).isEqualTo(Mnemonic.X87);
        assertThat(d.modrm).isEqualTo(0x84);
        assertThat(d.memBase).isEqualTo(4);
    }

    // ---- VEX

    @Test
    void vexBmiInstructions_decodeWithVvvvAsRegisterOperand() {
        ok(64, "c4 e2 f0 f2 c2"); // andn rax, rcx, rdx
        assertThat(d.mnemonic).isEqualTo(Mnemonic.ANDN);
        assertThat(d.hasPrefix(Prefix.VEX)).isTrue();
        assertThat(d.operandSize).isEqualTo(8);
        operand(0, OperandKind.REG, 0, 8);
        operand(1, OperandKind.REG, 1, 8);
        operand(2, OperandKind.REG, 2, 8);
        assertThat(ok(64, "c4 e2 78 f3 d1").mnemonic).isEqualTo(Mnemonic.BLSMSK); // blsmsk eax, ecx
        operand(0, OperandKind.REG, 0, 4);
        assertThat(ok(64, "c4 e3 fb f0 c1 05").mnemonic).isEqualTo(Mnemonic.RORX);
        assertThat(d.immediate).isEqualTo(5);
        assertThat(ok(32, "c4 e2 73 f6 c2").mnemonic).isEqualTo(Mnemonic.MULX);
        assertThat(ok(64, "c4 e2 71 f7 c2").mnemonic).isEqualTo(Mnemonic.SHLX);
        assertThat(status(64, "c4 e2 7c f2 c2")).isEqualTo(DecodeStatus.INVALID); // VEX.L = 1
        assertThat(status(64, "66 c4 e2 70 f2 c2")).isEqualTo(DecodeStatus.INVALID); // 66 before VEX
        assertThat(status(64, "c4 e3 73 f0 c1 05")).isEqualTo(DecodeStatus.INVALID); // RORX needs vvvv=1111b
    }

    @Test
    void outside64BitMode_vvvvHighBitIsIgnoredForRegisters_butUnusedVvvvMustBeAllOnes() {
        ok(32, "c4 e2 38 f2 c2"); // vvvv = 0111b: register 8 & 7 = 0 (eax)
        operand(1, OperandKind.REG, 0, 4);
        assertThat(status(32, "c4 e3 bb f0 c1 05")).isEqualTo(DecodeStatus.INVALID); // RORX, vvvv = 0111b
    }

    @Test
    void c4OutsideLongMode_isLesUnlessModIsRegister() {
        assertThat(ok(32, "c4 06").mnemonic).isEqualTo(Mnemonic.LES);
        assertThat(ok(32, "c4 e2 70 f2 c2").mnemonic).isEqualTo(Mnemonic.ANDN);
    }
}
