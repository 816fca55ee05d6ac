package dev.vmx4j.core.decoder;

import java.util.Locale;

/**
 * Formats a {@link DecodedInstruction} as Intel-syntax text the way GNU objdump
 * ({@code -M intel,intel64}) prints it, with a single space between mnemonic and operands:
 * {@code add DWORD PTR [rax+0x10],0x5}. For traces and the objdump cross-check; it allocates and
 * is not meant for the step loop. Prefixes objdump prints as words ({@code lock}, {@code rep},
 * {@code repz}, {@code repnz}) are printed for LOCK and for string instructions only.
 */
public final class InstructionFormatter {
    private InstructionFormatter() {
    }

    private static final String[] REG64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
    private static final String[] REG32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
        "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
    private static final String[] REG16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
        "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
    private static final String[] REG8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
        "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
    private static final String[] REG8_HIGH = {"ah", "ch", "dh", "bh"};
    private static final String[] SEG = {"es", "cs", "ss", "ds", "fs", "gs"};
    /** Condition-code suffixes by tttn, as objdump spells them. */
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a",
        "s", "ns", "p", "np", "l", "ge", "le", "g"};

    /** Formats {@code in}, decoded at address {@code ip} (used for relative branch targets). */
    public static String format(DecodedInstruction in, long ip) {
        StringBuilder sb = new StringBuilder(48);
        appendTo(sb, in, ip);
        return sb.toString();
    }

    /** Appends the text of {@code in}, decoded at address {@code ip}, to {@code sb}. */
    public static void appendTo(StringBuilder sb, DecodedInstruction in, long ip) {
        if (in.mnemonic == Mnemonic.X87) {
            X87Names.append(sb, in);
            return;
        }
        if (in.hasPrefix(Prefix.LOCK)) {
            sb.append("lock ");
        }
        Mnemonic m = in.mnemonic;
        boolean string = isString(m);
        if (string) {
            appendRepPrefix(sb, in);
            sb.append(m.text());
            sb.append(' ');
            appendStringOperands(sb, in);
            return;
        }
        if (m == Mnemonic.NOP && in.opcode == 0x90 && in.hasPrefix(Prefix.OPERAND_SIZE)) {
            String r = gpr(0, in.operandSize);
            sb.append("xchg ").append(r).append(',').append(r); // objdump's name for 66 90
            return;
        }
        sb.append(mnemonicText(in));
        appendSizeSuffix(sb, in);
        if (m == Mnemonic.XLAT) {
            sb.append(" BYTE PTR ").append(SEG[in.memSegment]).append(":[")
                    .append(addrReg(in.addressSize, 3)).append(']');
            return;
        }
        for (int i = 0; i < in.operandCount; i++) {
            sb.append(i == 0 ? ' ' : ',');
            appendOperand(sb, in, i, ip);
        }
    }

    /**
     * objdump's operand-size suffix for instructions whose operands do not show the size
     * (PUSH imm/Sreg, RET, ENTER, LEAVE, near CALL/JMP rel, IRET, PUSHF...): w, d or q when the
     * operand size differs from the mode's default for that instruction.
     */
    private static void appendSizeSuffix(StringBuilder sb, DecodedInstruction in) {
        int os = in.operandSize;
        int def;
        switch (in.mnemonic) {
            case PUSH: case POP:
                if (in.kind[0] != OperandKind.IMM && in.kind[0] != OperandKind.SEG) {
                    return;
                }
                def = in.mode == 64 ? 8 : in.mode / 8;
                break;
            case CALL: case JMP:
                if (in.opcode != 0xE8 && in.opcode != 0xE9) {
                    return;
                }
                def = in.mode == 64 ? 8 : in.mode / 8;
                break;
            case RET: case ENTER: case LEAVE: case PUSHF: case POPF:
                def = in.mode == 64 ? 8 : in.mode / 8;
                break;
            case RET_FAR: case IRET: case PUSHA: case POPA:
                def = in.mode == 64 ? 4 : in.mode / 8;
                break;
            case SYSRET: case SYSEXIT:
                if (in.mode == 64) {
                    sb.append(os == 8 ? 'q' : 'd');
                }
                return;
            case LGDT: case LIDT: case SGDT: case SIDT:
                if (in.mode != 64) {
                    sb.append(os == 2 ? 'w' : 'd');
                }
                return;
            default:
                return;
        }
        if (os != def) {
            sb.append(os == 2 ? 'w' : os == 4 ? 'd' : 'q');
        }
    }

    private static boolean isString(Mnemonic m) {
        switch (m) {
            case MOVS: case CMPS: case STOS: case LODS: case SCAS: case INS: case OUTS:
                return true;
            default:
                return false;
        }
    }

    private static void appendRepPrefix(StringBuilder sb, DecodedInstruction in) {
        boolean cmp = in.mnemonic == Mnemonic.CMPS || in.mnemonic == Mnemonic.SCAS;
        if (in.hasPrefix(Prefix.REP)) {
            sb.append(cmp ? "repz " : "rep ");
        } else if (in.hasPrefix(Prefix.REPNE)) {
            sb.append(cmp ? "repnz " : "repnz ");
        }
    }

    private static void appendStringOperands(StringBuilder sb, DecodedInstruction in) {
        int size = in.size[0];
        String acc = gpr(0, size);
        switch (in.mnemonic) {
            case MOVS:
                stringMem(sb, in, size, false).append(',');
                stringMem(sb, in, size, true);
                break;
            case CMPS:
                stringMem(sb, in, size, true).append(',');
                stringMem(sb, in, size, false);
                break;
            case STOS:
                stringMem(sb, in, size, false).append(',').append(acc);
                break;
            case LODS:
                sb.append(acc).append(',');
                stringMem(sb, in, size, true);
                break;
            case SCAS:
                sb.append(acc).append(',');
                stringMem(sb, in, size, false);
                break;
            case INS:
                stringMem(sb, in, size, false).append(",dx");
                break;
            case OUTS:
                sb.append("dx,");
                stringMem(sb, in, size, true);
                break;
            default:
                break;
        }
    }

    private static StringBuilder stringMem(StringBuilder sb, DecodedInstruction in, int size, boolean source) {
        sb.append(sizeWord(size)).append(" PTR ");
        sb.append(source ? SEG[in.memSegment] : "es").append(":[");
        sb.append(addrReg(in.addressSize, source ? 6 : 7)).append(']');
        return sb;
    }

    private static String addrReg(int addressSize, int reg) {
        return addressSize == 8 ? REG64[reg] : addressSize == 4 ? REG32[reg] : REG16[reg];
    }

    static String gpr(int reg, int size) {
        switch (size) {
            case 8: return REG64[reg];
            case 4: return REG32[reg];
            case 2: return REG16[reg];
            default: return REG8[reg];
        }
    }

    static String sizeWord(int size) {
        switch (size) {
            case 1: return "BYTE";
            case 2: return "WORD";
            case 4: return "DWORD";
            case 6: return "FWORD";
            case 8: return "QWORD";
            case 10: return "TBYTE";
            case 16: return "XMMWORD";
            case 32: return "YMMWORD";
            default: return "";
        }
    }

    private static String mnemonicText(DecodedInstruction in) {
        int os = in.operandSize;
        int mode = in.mode;
        switch (in.mnemonic) {
            case JCC: return "j" + CC[in.condition];
            case SETCC: return "set" + CC[in.condition];
            case CMOVCC: return "cmov" + CC[in.condition];
            case MOV_CR: case MOV_DR: case MOV_SREG: return "mov";
            case JMP_FAR: return "jmp";
            case CALL_FAR: return "call";
            case RET_FAR: return "retf";
            case SAL: return "shl";
            case HINT_NOP: return "nop";
            case JRCXZ: return in.addressSize == 8 ? "jrcxz" : in.addressSize == 4 ? "jecxz" : "jcxz";
            case MOV:
                if ((in.addressSize == 8 && in.opcode >= 0xA0 && in.opcode <= 0xA3)
                        || (in.opcode >= 0xB8 && in.opcode <= 0xBF && os == 8)) {
                    return "movabs";
                }
                return "mov";
            case PREFETCH: return prefetchName(in);
            case FXSAVE: return in.rex >= 0x48 ? "fxsave64" : "fxsave";
            case FXRSTOR: return in.rex >= 0x48 ? "fxrstor64" : "fxrstor";
            case XSAVE: return in.rex >= 0x48 ? "xsave64" : "xsave";
            case XRSTOR: return in.rex >= 0x48 ? "xrstor64" : "xrstor";
            case XSAVEOPT: return in.rex >= 0x48 ? "xsaveopt64" : "xsaveopt";
            case XSAVEC: return in.rex >= 0x48 ? "xsavec64" : "xsavec";
            case XSAVES: return in.rex >= 0x48 ? "xsaves64" : "xsaves";
            case XRSTORS: return in.rex >= 0x48 ? "xrstors64" : "xrstors";
            default: return in.mnemonic.text();
        }
    }

    private static String prefetchName(DecodedInstruction in) {
        int reg = (in.modrm >> 3) & 7;
        if (in.opcode == 0x0F18) {
            switch (reg) {
                case 0: return "prefetchnta";
                case 1: return "prefetcht0";
                case 2: return "prefetcht1";
                default: return "prefetcht2";
            }
        }
        switch (reg) {
            case 1: return "prefetchw";
            case 2: return "prefetchwt1";
            default: return "prefetch";
        }
    }

    private static void appendOperand(StringBuilder sb, DecodedInstruction in, int i, long ip) {
        int size = in.size[i];
        int reg = in.reg[i];
        switch (in.kind[i]) {
            case OperandKind.REG:
                sb.append(gpr(reg, size));
                break;
            case OperandKind.REG8_HIGH:
                sb.append(REG8_HIGH[reg]);
                break;
            case OperandKind.SEG:
                sb.append(SEG[reg]);
                break;
            case OperandKind.CR:
                sb.append("cr").append(reg);
                break;
            case OperandKind.DR:
                sb.append("dr").append(reg);
                break;
            case OperandKind.XMM:
                sb.append("xmm").append(reg);
                break;
            case OperandKind.MMX:
                sb.append("mm").append(reg);
                break;
            case OperandKind.ST:
                sb.append(reg == 0 ? "st" : "st(" + reg + ")");
                break;
            case OperandKind.MEM:
                appendMemory(sb, in, size);
                break;
            case OperandKind.IMM:
                appendImmediate(sb, in, i);
                break;
            case OperandKind.REL:
                appendTarget(sb, in, ip);
                break;
            case OperandKind.FAR_PTR:
                hex(sb, in.immediate2);
                sb.append(':');
                hex(sb, in.immediate);
                break;
            default:
                sb.append('?');
                break;
        }
    }

    private static void appendImmediate(StringBuilder sb, DecodedInstruction in, int i) {
        if (in.opcode >= 0xD0 && in.opcode <= 0xD1) {
            sb.append('1'); // the shift-by-one forms
            return;
        }
        long v = i > 0 && in.kind[i - 1] == OperandKind.IMM && in.mnemonic == Mnemonic.ENTER ? in.immediate2 : in.immediate;
        int width = in.size[i];
        if (i > 0 && in.kind[0] != OperandKind.IMM && in.size[0] > 0) {
            width = in.size[0];
        }
        if (in.mnemonic == Mnemonic.PUSH) {
            width = in.size[i];
        }
        hex(sb, mask(v, width));
    }

    private static void appendTarget(StringBuilder sb, DecodedInstruction in, long ip) {
        long target = ip + in.length + in.immediate;
        // objdump wraps rel16 targets to 16 bits (within ip's 64 KiB in 16-bit code), not rel8 ones
        if (in.mode != 64 && in.operandSize == 2 && in.size[0] == 2) {
            target = in.mode == 16 ? (ip & ~0xFFFFL) | (target & 0xFFFF) : target & 0xFFFF;
        } else if (in.mode != 64) {
            target &= 0xFFFFFFFFL;
        }
        hex(sb, target);
    }

    private static void appendMemory(StringBuilder sb, DecodedInstruction in, int size) {
        String word = in.modrm < 0 ? "" : sizeWord(size); // moffs print without a size
        switch (in.mnemonic) {
            case INVEPT: case INVVPID: case CMPXCHG16B: word = "OWORD"; break;
            case INVPCID: case LGDT: case LIDT: case SGDT: case SIDT: word = ""; break;
            default: break;
        }
        if (!word.isEmpty()) {
            sb.append(word).append(" PTR ");
        }
        boolean hasBase = in.memBase != DecodedInstruction.NO_REGISTER;
        boolean hasIndex = in.memIndex != DecodedInstruction.NO_REGISTER;
        // objdump shows a SIB byte without index as riz/eiz unless it is the plain [rsp]/[r12]
        // form or a 64-bit absolute address
        boolean riz = in.sib >= 0 && !hasIndex && (hasBase ? ((in.memBase & 7) != 4 || in.memScale != 1)
                : (in.memScale != 1 || (in.addressSize == 4 && in.mode != 16)));
        if (in.segmentOverride != SegmentRegister.NONE) {
            sb.append(SEG[in.segmentOverride]).append(':');
        } else if (!hasBase && !hasIndex && !riz) {
            sb.append("ds:");
        }
        if (!hasBase && !hasIndex && !riz) {
            hex(sb, mask(in.memDisplacement, in.addressSize));
            return;
        }
        sb.append('[');
        boolean first = true;
        if (hasBase) {
            if (in.memBase == DecodedInstruction.BASE_RIP) {
                sb.append(in.addressSize == 8 ? "rip" : "eip");
            } else {
                sb.append(addrReg(in.addressSize, in.memBase));
            }
            first = false;
        }
        if (hasIndex || riz) {
            if (!first) {
                sb.append('+');
            }
            sb.append(hasIndex ? addrReg(in.addressSize, in.memIndex) : (in.addressSize == 8 ? "riz" : "eiz"));
            if (in.addressSize != 2) {
                sb.append('*').append(in.memScale);
            } else {
                // 16-bit forms have no scale
                sb.setLength(sb.length());
            }
            first = false;
        }
        long d = in.memDisplacement;
        boolean dispPresent = d != 0 || !hasBase || modHasDisp(in);
        if (dispPresent) {
            if (d < 0 && in.memBase != DecodedInstruction.BASE_RIP) { // objdump: rip+0xffff...
                sb.append('-');
                hex(sb, -d);
            } else {
                sb.append('+');
                hex(sb, d);
            }
        }
        sb.append(']');
    }

    private static boolean modHasDisp(DecodedInstruction in) {
        return in.modrm >= 0 && (in.modrm >> 6) != 0 && (in.modrm >> 6) != 3;
    }

    private static long mask(long v, int bytes) {
        return bytes >= 8 || bytes <= 0 ? v : v & ((1L << (8 * bytes)) - 1);
    }

    private static void hex(StringBuilder sb, long v) {
        sb.append("0x").append(Long.toHexString(v).toLowerCase(Locale.ROOT));
    }
}
