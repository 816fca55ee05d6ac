package dev.vmx4j.core.decoder;

/**
 * The SDM's operand notation ("Appendix A: Opcode Map", "Codes for Addressing Method" and
 * "Codes for Operand Type") packed into one {@code int}: addressing method in bits 0-7, operand
 * type in bits 8-15, a fixed register number in bits 16-23.
 *
 * <p>Besides the SDM's letter pairs ({@code Eb}, {@code Gv}, {@code Iz}, {@code Jb}, {@code Ov},
 * {@code Sw}, {@code Mp}, ...), the tables use {@code Zb}/{@code Zv}/{@code Zy} for a register in
 * the low three opcode bits (the SDM writes {@code rAX/r8}), fixed registers ({@code AL},
 * {@code CL}, {@code DX}, {@code rAX}, {@code eAX}), segment registers ({@code ES} ... {@code GS}),
 * the constant {@code 1} of the D0/D1 shifts and {@code Mcx} for CMPXCHG8B/16B's m64/m128.
 */
final class OperandSpec {
    private OperandSpec() {
    }

    // Addressing methods (SDM "Codes for Addressing Method").
    static final int A = 1;   // direct far pointer in the instruction
    static final int B = 2;   // VEX.vvvv selects a general register
    static final int C = 3;   // ModRM.reg selects a control register
    static final int D = 4;   // ModRM.reg selects a debug register
    static final int E = 5;   // ModRM r/m: general register or memory
    static final int G = 6;   // ModRM.reg: general register
    static final int I = 7;   // immediate
    static final int J = 8;   // relative offset
    static final int M = 9;   // ModRM r/m: memory only
    static final int N = 10;  // ModRM r/m: MMX register (mod = 11b)
    static final int O = 11;  // moffs: absolute offset, no ModRM
    static final int P = 12;  // ModRM.reg: MMX register
    static final int Q = 13;  // ModRM r/m: MMX register or memory
    static final int R = 14;  // ModRM r/m: general register, mod ignored (MOV CR/DR)
    static final int S = 15;  // ModRM.reg: segment register
    static final int U = 16;  // ModRM r/m: XMM register (mod = 11b)
    static final int V = 17;  // ModRM.reg: XMM register
    static final int W = 18;  // ModRM r/m: XMM register or memory
    static final int X = 19;  // DS:rSI string source
    static final int Y = 20;  // ES:rDI string destination
    static final int Z = 21;  // general register in opcode bits 2:0 (+ REX.B)
    static final int FIXED_REG = 22; // AL, CL, DX, rAX, eAX: register number in bits 16-23
    static final int FIXED_SEG = 23; // ES..GS: segment register number in bits 16-23
    static final int ONE = 24;       // the constant 1 (D0/D1 shifts)

    // Operand types (SDM "Codes for Operand Type").
    static final int T_NONE = 0;
    static final int T_B = 1;
    static final int T_W = 2;
    static final int T_D = 3;
    static final int T_Q = 4;
    static final int T_V = 5;   // word, dword or qword by operand size
    static final int T_Z = 6;   // word for 16-bit operand size, else dword
    static final int T_Y = 7;   // dword, or qword with 64-bit operand size
    static final int T_DQ = 8;  // 16 bytes
    static final int T_X = 9;   // 16 bytes (no VEX.L = 1 forms here)
    static final int T_P = 10;  // far pointer: 32, 48 or 80 bits
    static final int T_S = 11;  // pseudo-descriptor: 6 bytes, 10 in 64-bit mode
    static final int T_A = 12;  // BOUND's pair of words or dwords
    static final int T_CX = 13; // CMPXCHG8B/16B: 8 bytes, 16 with REX.W
    static final int T_SS = 14; // scalar single: 4 bytes
    static final int T_SD = 15; // scalar double: 8 bytes
    // MANUAL: not an SDM code: a register of the address size (UMONITOR's r16/r32/r64 operand,
    // an effective address), written "addr" in the tables.
    static final int T_ADDR = 16;

    private static final String METHODS = "?ABCDEGIJMNOPQRSUVWXYZ";

    static int method(int spec) {
        return spec & 0xFF;
    }

    static int type(int spec) {
        return (spec >>> 8) & 0xFF;
    }

    static int fixedReg(int spec) {
        return (spec >>> 16) & 0xFF;
    }

    /** True if the operand is encoded in the ModRM byte (either field). */
    static boolean usesModrm(int spec) {
        switch (method(spec)) {
            case C: case D: case E: case G: case M: case N: case P: case Q: case R: case S:
            case U: case V: case W:
                return true;
            default:
                return false;
        }
    }

    /** True if the operand is the ModRM r/m operand (register or memory). */
    static boolean isRm(int spec) {
        switch (method(spec)) {
            case E: case M: case N: case Q: case R: case U: case W:
                return true;
            default:
                return false;
        }
    }

    /**
     * Parses one operand in the tables' notation; returns -1 if it is not well-formed.
     * Called only while the tables are built (class initialisation), never per instruction.
     */
    static int parse(String s) {
        switch (s) {
            case "AL": return fixed(FIXED_REG, T_B, 0);
            case "CL": return fixed(FIXED_REG, T_B, 1);
            case "DX": return fixed(FIXED_REG, T_W, 2);
            case "rAX": return fixed(FIXED_REG, T_V, 0);
            case "eAX": return fixed(FIXED_REG, T_Z, 0);
            case "ES": return fixed(FIXED_SEG, T_W, SegmentRegister.ES);
            case "CS": return fixed(FIXED_SEG, T_W, SegmentRegister.CS);
            case "SS": return fixed(FIXED_SEG, T_W, SegmentRegister.SS);
            case "DS": return fixed(FIXED_SEG, T_W, SegmentRegister.DS);
            case "FS": return fixed(FIXED_SEG, T_W, SegmentRegister.FS);
            case "GS": return fixed(FIXED_SEG, T_W, SegmentRegister.GS);
            case "1": return fixed(ONE, T_B, 0);
            case "M": return M;
            default:
                break;
        }
        if (s.length() < 2) {
            return -1;
        }
        int method = METHODS.indexOf(s.charAt(0));
        if (method <= 0 || method > Z) {
            return -1;
        }
        int type = parseType(s.substring(1));
        if (type < 0) {
            return -1;
        }
        return method | (type << 8);
    }

    private static int fixed(int method, int type, int reg) {
        return method | (type << 8) | (reg << 16);
    }

    private static int parseType(String t) {
        switch (t) {
            case "b": return T_B;
            case "w": return T_W;
            case "d": return T_D;
            case "q": return T_Q;
            case "v": return T_V;
            case "z": return T_Z;
            case "y": return T_Y;
            case "dq": return T_DQ;
            case "x": return T_X;
            case "p": return T_P;
            case "s": return T_S;
            case "a": return T_A;
            case "cx": return T_CX;
            case "ss": return T_SS;
            case "sd": return T_SD;
            case "addr": return T_ADDR;
            default: return -1;
        }
    }

    /**
     * Operand size in bytes for {@code type} under the effective operand size {@code opSize}
     * (2, 4 or 8) and decoding {@code mode}; 0 for "no size" (LEA's M, FXSAVE's area).
     */
    static int size(int type, int opSize, int mode) {
        switch (type) {
            case T_B: return 1;
            case T_W: return 2;
            case T_D: return 4;
            case T_Q: return 8;
            case T_V: return opSize;
            case T_Z: return opSize == 2 ? 2 : 4;
            case T_Y: return opSize == 8 ? 8 : 4;
            case T_DQ: case T_X: return 16;
            case T_P: return opSize + 2;
            case T_S: return mode == 64 ? 10 : 6;
            case T_A: return opSize * 2;
            case T_CX: return opSize == 8 ? 16 : 8;
            case T_SS: return 4;
            case T_SD: return 8;
            case T_ADDR: return mode / 8; // the mode's default address size (the decoder applies 67H)
            default: return 0;
        }
    }
}
