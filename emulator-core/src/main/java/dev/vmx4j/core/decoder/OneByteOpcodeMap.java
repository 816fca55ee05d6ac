package dev.vmx4j.core.decoder;

/**
 * SDM "One-byte Opcode Map" (Appendix A, Table A-2) as data. Group rows (Grp1..Grp5, Grp11)
 * live in {@link GroupOpcodeMaps}, x87 escapes in {@link X87OpcodeMap}.
 *
 * <p>Row syntax (parsed once by {@link OpcodeTables}): {@code KEY MNEMONIC OPERANDS FLAGS...}.
 * KEY is {@code [pNP:|p66:|pF3:|pF2:]HH[/reg][m|r][.rm]}: the opcode byte in hex, optionally a
 * mandatory prefix, a ModRM.reg value, memory ({@code m}) or register ({@code r}) form, and a
 * ModRM.rm value for register forms. MNEMONIC is a {@link Mnemonic} name, {@code A|B|C} for one
 * mnemonic per operand size 16|32|64, {@code INVALID}, or {@code PREFIX}/{@code ESCAPE} for bytes
 * the decoder handles before table look-up. OPERANDS is the SDM's notation ({@link OperandSpec}),
 * comma-separated, or {@code -}. FLAGS: {@code lock} (LOCK allowed with a memory destination),
 * {@code d64} (64-bit default operand size in 64-bit mode), {@code f64} (operand size forced to
 * 64 in 64-bit mode), {@code i64} (invalid in 64-bit mode), {@code o64} (valid only in 64-bit
 * mode), {@code cc} (condition = low opcode nibble), {@code modrm} (has a ModRM byte without a
 * ModRM operand), {@code memw} (memory form is a word whatever the operand size: MOV Sreg, SLDT,
 * LAR...), {@code uimm} (immediate is zero-extended), {@code str} (string instruction: no explicit
 * operands), {@code pushimm} (the immediate's size is the operand size).
 */
final class OneByteOpcodeMap {
    private OneByteOpcodeMap() {
    }

    static final String[] ROWS = {
        "00 ADD Eb,Gb lock", "01 ADD Ev,Gv lock", "02 ADD Gb,Eb", "03 ADD Gv,Ev", "04 ADD AL,Ib", "05 ADD rAX,Iz",
        "06 PUSH ES i64", "07 POP ES i64",
        "08 OR Eb,Gb lock", "09 OR Ev,Gv lock", "0A OR Gb,Eb", "0B OR Gv,Ev", "0C OR AL,Ib", "0D OR rAX,Iz",
        "0E PUSH CS i64", "0F ESCAPE -",
        "10 ADC Eb,Gb lock", "11 ADC Ev,Gv lock", "12 ADC Gb,Eb", "13 ADC Gv,Ev", "14 ADC AL,Ib", "15 ADC rAX,Iz",
        "16 PUSH SS i64", "17 POP SS i64",
        "18 SBB Eb,Gb lock", "19 SBB Ev,Gv lock", "1A SBB Gb,Eb", "1B SBB Gv,Ev", "1C SBB AL,Ib", "1D SBB rAX,Iz",
        "1E PUSH DS i64", "1F POP DS i64",
        "20 AND Eb,Gb lock", "21 AND Ev,Gv lock", "22 AND Gb,Eb", "23 AND Gv,Ev", "24 AND AL,Ib", "25 AND rAX,Iz",
        "26 PREFIX -", "27 DAA - i64",
        "28 SUB Eb,Gb lock", "29 SUB Ev,Gv lock", "2A SUB Gb,Eb", "2B SUB Gv,Ev", "2C SUB AL,Ib", "2D SUB rAX,Iz",
        "2E PREFIX -", "2F DAS - i64",
        "30 XOR Eb,Gb lock", "31 XOR Ev,Gv lock", "32 XOR Gb,Eb", "33 XOR Gv,Ev", "34 XOR AL,Ib", "35 XOR rAX,Iz",
        "36 PREFIX -", "37 AAA - i64",
        "38 CMP Eb,Gb", "39 CMP Ev,Gv", "3A CMP Gb,Eb", "3B CMP Gv,Ev", "3C CMP AL,Ib", "3D CMP rAX,Iz",
        "3E PREFIX -", "3F AAS - i64",
        // 40-4F are REX prefixes in 64-bit mode (the decoder consumes them before look-up).
        "40 INC Zv i64", "41 INC Zv i64", "42 INC Zv i64", "43 INC Zv i64",
        "44 INC Zv i64", "45 INC Zv i64", "46 INC Zv i64", "47 INC Zv i64",
        "48 DEC Zv i64", "49 DEC Zv i64", "4A DEC Zv i64", "4B DEC Zv i64",
        "4C DEC Zv i64", "4D DEC Zv i64", "4E DEC Zv i64", "4F DEC Zv i64",
        "50 PUSH Zv d64", "51 PUSH Zv d64", "52 PUSH Zv d64", "53 PUSH Zv d64",
        "54 PUSH Zv d64", "55 PUSH Zv d64", "56 PUSH Zv d64", "57 PUSH Zv d64",
        "58 POP Zv d64", "59 POP Zv d64", "5A POP Zv d64", "5B POP Zv d64",
        "5C POP Zv d64", "5D POP Zv d64", "5E POP Zv d64", "5F POP Zv d64",
        "60 PUSHA - i64", "61 POPA - i64",
        // 62 with mod = 11b is EVEX outside 64-bit mode; BOUND takes only a memory operand.
        "62 BOUND Gv,Ma i64",
        "63 ARPL Ew,Gw i64", "63 MOVSXD Gv,Ez o64",
        "64 PREFIX -", "65 PREFIX -", "66 PREFIX -", "67 PREFIX -",
        "68 PUSH Iz d64 pushimm", "69 IMUL Gv,Ev,Iz", "6A PUSH Ib d64 pushimm", "6B IMUL Gv,Ev,Ib",
        "6C INS Yb,DX str", "6D INS Yz,DX str", "6E OUTS DX,Xb str", "6F OUTS DX,Xz str",
        "70 JCC Jb cc f64", "71 JCC Jb cc f64", "72 JCC Jb cc f64", "73 JCC Jb cc f64",
        "74 JCC Jb cc f64", "75 JCC Jb cc f64", "76 JCC Jb cc f64", "77 JCC Jb cc f64",
        "78 JCC Jb cc f64", "79 JCC Jb cc f64", "7A JCC Jb cc f64", "7B JCC Jb cc f64",
        "7C JCC Jb cc f64", "7D JCC Jb cc f64", "7E JCC Jb cc f64", "7F JCC Jb cc f64",
        "84 TEST Eb,Gb", "85 TEST Ev,Gv", "86 XCHG Eb,Gb lock", "87 XCHG Ev,Gv lock",
        "88 MOV Eb,Gb", "89 MOV Ev,Gv", "8A MOV Gb,Eb", "8B MOV Gv,Ev",
        "8C MOV_SREG Ev,Sw memw", "8D LEA Gv,M", "8E MOV_SREG Sw,Ev memw",
        // 90: NOP; with REX.B it is XCHG r8,rAX (the decoder redirects to the 91-97 row).
        "90 NOP -", "pF3:90 PAUSE -",
        "91 XCHG Zv,rAX", "92 XCHG Zv,rAX", "93 XCHG Zv,rAX", "94 XCHG Zv,rAX",
        "95 XCHG Zv,rAX", "96 XCHG Zv,rAX", "97 XCHG Zv,rAX",
        "98 CBW|CWDE|CDQE -", "99 CWD|CDQ|CQO -", "9A CALL_FAR Ap i64", "9B FWAIT -",
        "9C PUSHF - d64", "9D POPF - d64", "9E SAHF -", "9F LAHF -",
        "A0 MOV AL,Ob", "A1 MOV rAX,Ov", "A2 MOV Ob,AL", "A3 MOV Ov,rAX",
        "A4 MOVS Yb,Xb str", "A5 MOVS Yv,Xv str", "A6 CMPS Xb,Yb str", "A7 CMPS Xv,Yv str",
        "A8 TEST AL,Ib", "A9 TEST rAX,Iz",
        "AA STOS Yb,AL str", "AB STOS Yv,rAX str", "AC LODS AL,Xb str", "AD LODS rAX,Xv str",
        "AE SCAS AL,Yb str", "AF SCAS rAX,Yv str",
        "B0 MOV Zb,Ib", "B1 MOV Zb,Ib", "B2 MOV Zb,Ib", "B3 MOV Zb,Ib",
        "B4 MOV Zb,Ib", "B5 MOV Zb,Ib", "B6 MOV Zb,Ib", "B7 MOV Zb,Ib",
        "B8 MOV Zv,Iv", "B9 MOV Zv,Iv", "BA MOV Zv,Iv", "BB MOV Zv,Iv",
        "BC MOV Zv,Iv", "BD MOV Zv,Iv", "BE MOV Zv,Iv", "BF MOV Zv,Iv",
        "C2 RET Iw f64 uimm", "C3 RET - f64",
        // C4/C5 are VEX prefixes in 64-bit mode and, elsewhere, when ModRM.mod = 11b.
        "C4 LES Gz,Mp i64", "C5 LDS Gz,Mp i64",
        "C8 ENTER Iw,Ib d64 uimm", "C9 LEAVE - d64", "CA RET_FAR Iw uimm", "CB RET_FAR -",
        "CC INT3 -", "CD INT Ib uimm", "CE INTO - i64", "CF IRET -",
        "D4 AAM Ib i64 uimm", "D5 AAD Ib i64 uimm",
        // MANUAL: D6 is reserved in the SDM's map; Intel hardware executes it as SALC outside 64-bit mode.
        "D6 SALC - i64", "D7 XLAT -",
        "E0 LOOPNE Jb f64", "E1 LOOPE Jb f64", "E2 LOOP Jb f64", "E3 JRCXZ Jb f64",
        "E4 IN AL,Ib uimm", "E5 IN eAX,Ib uimm", "E6 OUT Ib,AL uimm", "E7 OUT Ib,eAX uimm",
        "E8 CALL Jz f64", "E9 JMP Jz f64", "EA JMP_FAR Ap i64", "EB JMP Jb f64",
        "EC IN AL,DX", "ED IN eAX,DX", "EE OUT DX,AL", "EF OUT DX,eAX",
        "F0 PREFIX -", "F1 INT1 -", "F2 PREFIX -", "F3 PREFIX -", "F4 HLT -", "F5 CMC -",
        "F8 CLC -", "F9 STC -", "FA CLI -", "FB STI -", "FC CLD -", "FD STD -",
    };
}
