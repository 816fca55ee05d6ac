package dev.vmx4j.core.decoder;

import static dev.vmx4j.core.decoder.OpcodeTables.F_CC;
import static dev.vmx4j.core.decoder.OpcodeTables.F_D64;
import static dev.vmx4j.core.decoder.OpcodeTables.F_F64;
import static dev.vmx4j.core.decoder.OpcodeTables.F_I64;
import static dev.vmx4j.core.decoder.OpcodeTables.F_LOCK;
import static dev.vmx4j.core.decoder.OpcodeTables.F_MANDATORY;
import static dev.vmx4j.core.decoder.OpcodeTables.F_MARKER;
import static dev.vmx4j.core.decoder.OpcodeTables.F_MEMW;
import static dev.vmx4j.core.decoder.OpcodeTables.F_MODRM;
import static dev.vmx4j.core.decoder.OpcodeTables.F_O64;
import static dev.vmx4j.core.decoder.OpcodeTables.F_PUSHIMM;
import static dev.vmx4j.core.decoder.OpcodeTables.F_STR;
import static dev.vmx4j.core.decoder.OpcodeTables.F_UIMM;

/**
 * Decodes one x86 instruction from bytes into a caller-owned {@link DecodedInstruction}.
 *
 * <p>Decoding is table look-up in {@link OpcodeTables}: prefixes, then the opcode map and byte
 * (0F, 0F 38, 0F 3A escapes, or a VEX prefix), then the row selected by the mandatory prefix and
 * ModRM, then ModRM/SIB/displacement and the immediates in the order the row's operands say.
 * {@link #decode} never throws on any byte values and never allocates. An instance keeps scratch
 * state between the steps of one call, so it must not be shared between threads.
 */
public final class Decoder {

    // Scratch state of the instruction being decoded.
    private byte[] buf;
    private int start;
    private int limit;
    private int pos;
    private int rexR;
    private int rexX;
    private int rexB;
    private boolean anyRex;
    private int vexV;
    private int vexVRaw;

    /**
     * Decodes the instruction at {@code buf[offset]}.
     *
     * @param available how many bytes starting at {@code offset} may be read (more than 15 are never read)
     * @param mode 16, 32 (code-segment default size) or 64 (64-bit mode)
     * @return a {@link DecodeStatus} constant; {@code out} is complete only for {@link DecodeStatus#OK}
     */
    public int decode(byte[] buf, int offset, int available, int mode, DecodedInstruction out) {
        if (mode != 16 && mode != 32 && mode != 64) {
            throw new IllegalArgumentException("mode must be 16, 32 or 64, was " + mode);
        }
        if (offset < 0 || available < 0 || offset > buf.length || available > buf.length - offset) {
            throw new IllegalArgumentException("offset " + offset + " and available " + available
                    + " must lie within the buffer of " + buf.length + " bytes");
        }
        this.buf = buf;
        this.start = offset;
        this.limit = Math.min(available, DecodedInstruction.MAX_LENGTH);
        this.pos = 0;
        out.clear();
        out.mode = mode;
        int status = decodePrefixesAndOpcode(mode, out);
        this.buf = null;
        if (status == DecodeStatus.OK) {
            Form.classify(out);
        }
        return status;
    }

    /** Status when the instruction needs {@code needed} bytes but fewer are available. */
    private static int shortStatus(int needed) {
        return needed > DecodedInstruction.MAX_LENGTH ? DecodeStatus.TOO_LONG : DecodeStatus.NEED_MORE_BYTES;
    }

    private int peek(int at) {
        return buf[start + at] & 0xFF;
    }

    private int decodePrefixesAndOpcode(int mode, DecodedInstruction out) {
        int prefixes = 0;
        int rex = 0;
        int seg = SegmentRegister.NONE;
        // SDM "Instruction Prefixes": any order, repeats allowed; the last segment override and
        // the last of F2/F3 win. A REX prefix counts only immediately before the opcode.
        while (true) {
            if (pos >= limit) {
                return shortStatus(pos + 1);
            }
            int b = peek(pos);
            switch (b) {
                case 0xF0: prefixes |= Prefix.LOCK; break;
                case 0xF2: prefixes = (prefixes & ~Prefix.REP) | Prefix.REPNE; break;
                case 0xF3: prefixes = (prefixes & ~Prefix.REPNE) | Prefix.REP; break;
                case 0x66: prefixes |= Prefix.OPERAND_SIZE; break;
                case 0x67: prefixes |= Prefix.ADDRESS_SIZE; break;
                // MANUAL: in 64-bit mode the ES, CS, SS and DS overrides are ignored (SDM
                // "Segmentation in IA-32e Mode"); like binutils we let them leave an earlier FS/GS
                // override in force.
                case 0x26: seg = mode == 64 ? seg : SegmentRegister.ES; break;
                case 0x2E: seg = mode == 64 ? seg : SegmentRegister.CS; break;
                case 0x36: seg = mode == 64 ? seg : SegmentRegister.SS; break;
                case 0x3E: seg = mode == 64 ? seg : SegmentRegister.DS; break;
                case 0x64: seg = SegmentRegister.FS; break;
                case 0x65: seg = SegmentRegister.GS; break;
                default:
                    if (mode == 64 && (b & 0xF0) == 0x40) {
                        rex = b;
                        pos++;
                        continue;
                    }
                    return decodeOpcode(mode, out, prefixes, rex, seg, b);
            }
            rex = 0;
            pos++;
        }
    }

    private int decodeOpcode(int mode, DecodedInstruction out, int prefixes, int rex, int seg, int b) {
        if (seg != SegmentRegister.NONE) {
            prefixes |= Prefix.SEGMENT;
        }
        if (rex != 0) {
            prefixes |= Prefix.REX;
        }
        out.segmentOverride = seg;
        out.rex = rex;
        anyRex = rex != 0;
        rexR = (rex >> 2) & 1;
        rexX = (rex >> 1) & 1;
        rexB = rex & 1;
        int rexW = (rex >> 3) & 1;
        vexV = 0;
        vexVRaw = 0;
        int map;
        int op;
        int pfx;
        if (b == 0x0F) {
            if (pos + 1 >= limit) {
                return shortStatus(pos + 2);
            }
            int b2 = peek(pos + 1);
            if (b2 == 0x38 || b2 == 0x3A) {
                if (pos + 2 >= limit) {
                    return shortStatus(pos + 3);
                }
                map = b2 == 0x38 ? OpcodeTables.MAP_0F38 : OpcodeTables.MAP_0F3A;
                op = peek(pos + 2);
                out.opcode = (b2 == 0x38 ? 0x0F3800 : 0x0F3A00) | op;
                pos += 3;
            } else {
                map = OpcodeTables.MAP_0F;
                op = b2;
                out.opcode = 0x0F00 | op;
                pos += 2;
            }
            pfx = legacyPrefixSelector(prefixes);
        } else if (b == 0xC4 || b == 0xC5) {
            // SDM "VEX Prefix": outside 64-bit mode C4/C5 are LES/LDS unless the next byte has
            // mod = 11b (LES/LDS with a register operand would be #UD anyway).
            if (pos + 1 >= limit) {
                return shortStatus(pos + 2);
            }
            int v1 = peek(pos + 1);
            if (mode != 64 && (v1 & 0xC0) != 0xC0) {
                map = OpcodeTables.MAP_ONE_BYTE;
                op = b;
                out.opcode = op;
                pos++;
                pfx = legacyPrefixSelector(prefixes);
            } else {
                // SDM "VEX and the LOCK prefix", "VEX and the 66H, F2H, and F3H prefixes",
                // "VEX and the REX prefix": any of them before VEX is #UD.
                if ((prefixes & (Prefix.LOCK | Prefix.REP | Prefix.REPNE | Prefix.OPERAND_SIZE)) != 0 || rex != 0) {
                    return DecodeStatus.INVALID;
                }
                int mmmmm;
                int v2;
                if (b == 0xC5) {
                    mmmmm = 1;
                    v2 = v1 & 0x7F;
                    rexR = ((v1 >> 7) & 1) ^ 1;
                    rexX = 0;
                    rexB = 0;
                    pos += 2;
                } else {
                    if (pos + 2 >= limit) {
                        return shortStatus(pos + 3);
                    }
                    v2 = peek(pos + 2);
                    mmmmm = v1 & 0x1F;
                    rexR = ((v1 >> 7) & 1) ^ 1;
                    rexX = ((v1 >> 6) & 1) ^ 1;
                    rexB = ((v1 >> 5) & 1) ^ 1;
                    rexW = (v2 >> 7) & 1;
                    pos += 3;
                }
                if (mode != 64) {
                    rexR = 0;
                    rexX = 0;
                    rexB = 0;
                    rexW = 0;
                }
                // MANUAL: outside 64-bit mode the high bit of VEX.vvvv is ignored when it names a
                // register, but an unused VEX.vvvv must still be all ones (as binutils checks it).
                vexVRaw = (~v2 >> 3) & 15;
                vexV = vexVRaw & (mode == 64 ? 15 : 7);
                if ((v2 & 4) != 0) {
                    return DecodeStatus.INVALID; // every VEX row here is VEX.LZ
                }
                pfx = v2 & 3;
                if (mmmmm == 1) {
                    map = OpcodeTables.MAP_VEX_0F;
                } else if (mmmmm == 2) {
                    map = OpcodeTables.MAP_VEX_0F38;
                } else if (mmmmm == 3) {
                    map = OpcodeTables.MAP_VEX_0F3A;
                } else {
                    return DecodeStatus.INVALID;
                }
                if (pos >= limit) {
                    return shortStatus(pos + 1);
                }
                op = peek(pos);
                pos++;
                out.opcode = (map == OpcodeTables.MAP_VEX_0F ? 0x0F00 : map == OpcodeTables.MAP_VEX_0F38 ? 0x0F3800 : 0x0F3A00) | op;
                prefixes |= Prefix.VEX;
                out.rex = 0;
                anyRex = false;
                out.prefixes = prefixes;
                int opSize = rexW == 1 ? 8 : 4;
                return decodeEntry(mode, out, map, op, pfx, opSize, true);
            }
        } else {
            map = OpcodeTables.MAP_ONE_BYTE;
            op = b;
            out.opcode = op;
            pos++;
            pfx = legacyPrefixSelector(prefixes);
        }
        out.prefixes = prefixes;
        int opSize;
        if (rexW == 1) {
            opSize = 8;
        } else if (mode == 64) {
            opSize = (prefixes & Prefix.OPERAND_SIZE) != 0 ? 2 : 4;
        } else {
            boolean o16 = (mode == 16) != ((prefixes & Prefix.OPERAND_SIZE) != 0);
            opSize = o16 ? 2 : 4;
        }
        return decodeEntry(mode, out, map, op, pfx, opSize, false);
    }

    /**
     * The mandatory-prefix selector. MANUAL: the SDM ("Instruction Prefixes") leaves more than one
     * prefix of a group unspecified; as on current Intel processors and in binutils, F2/F3 select
     * before 66, and of F2 and F3 the last one counts.
     */
    private static int legacyPrefixSelector(int prefixes) {
        if ((prefixes & Prefix.REP) != 0) {
            return OpcodeTables.PFX_F3;
        }
        if ((prefixes & Prefix.REPNE) != 0) {
            return OpcodeTables.PFX_F2;
        }
        if ((prefixes & Prefix.OPERAND_SIZE) != 0) {
            return OpcodeTables.PFX_66;
        }
        return OpcodeTables.PFX_NONE;
    }

    private int decodeEntry(int mode, DecodedInstruction out, int map, int op, int pfx, int opSize, boolean vex) {
        int strides = OpcodeTables.STRIDES[map][op];
        int slot = OpcodeTables.BASE[map][op];
        int modrm = -1;
        if (strides != 0) {
            slot += pfx * (strides & 0xFF);
            if ((strides & 0xFFFFFF00) != 0) {
                if (pos >= limit) {
                    return shortStatus(pos + 1);
                }
                modrm = peek(pos);
                pos++;
                slot += ((modrm >> 3) & 7) * ((strides >>> 8) & 0xFF)
                        + ((modrm >> 6) == 3 ? 1 : 0) * ((strides >>> 16) & 0xFF)
                        + (modrm & 7) * (strides >>> 24);
            }
        }
        int desc = OpcodeTables.SLOTS[slot];
        if (map == OpcodeTables.MAP_ONE_BYTE && op == 0x90 && rexB != 0 && pfx != OpcodeTables.PFX_F3) {
            // SDM "XCHG": 90 with REX.B is XCHG r8, rAX, not NOP.
            desc = OpcodeTables.SLOTS[OpcodeTables.BASE[map][0x91]];
        }
        int flags = OpcodeTables.FLAGS[desc];
        if (mode == 64 && (flags & F_I64) != 0 && OpcodeTables.ALT64[desc] != 0) {
            desc = OpcodeTables.ALT64[desc];
            flags = OpcodeTables.FLAGS[desc];
        }
        if (desc == 0 || (flags & F_MARKER) != 0) {
            return DecodeStatus.INVALID;
        }
        if (mode == 64 ? (flags & F_I64) != 0 : (flags & F_O64) != 0) {
            return DecodeStatus.INVALID;
        }
        if (!vex) {
            boolean has66 = (out.prefixes & Prefix.OPERAND_SIZE) != 0;
            if ((flags & F_MANDATORY) != 0 && pfx == OpcodeTables.PFX_66) {
                has66 = false; // the 66 is part of the opcode
            }
            if (mode == 64) {
                if (out.rex >= 0x48 || (flags & F_F64) != 0) {
                    opSize = 8;
                } else if (has66) {
                    opSize = 2;
                } else {
                    opSize = (flags & F_D64) != 0 ? 8 : 4;
                }
            } else {
                opSize = (mode == 16) != has66 ? 2 : 4;
            }
        } else if (mode != 64) {
            opSize = 4;
        }
        out.operandSize = opSize;
        boolean a67 = (out.prefixes & Prefix.ADDRESS_SIZE) != 0;
        out.addressSize = mode == 64 ? (a67 ? 4 : 8) : ((mode == 16) != a67 ? 2 : 4);
        out.mnemonic = OpcodeTables.mnemonic(desc, opSize);
        if ((flags & F_CC) != 0) {
            out.condition = op & 0xF;
        }
        if ((flags & F_MODRM) != 0 && modrm < 0) {
            if (pos >= limit) {
                return shortStatus(pos + 1);
            }
            modrm = peek(pos);
            pos++;
        }
        out.modrm = modrm;
        if (vex && vexVRaw != 0 && (flags & OpcodeTables.F_VEX_REG) == 0) {
            // SDM "Instruction Operand Encoding and VEX.vvvv, ModR/M": an unused VEX.vvvv must be 1111b.
            return DecodeStatus.INVALID;
        }
        int status = decodeOperands(mode, out, desc, flags, op, modrm);
        if (status != DecodeStatus.OK) {
            return status;
        }
        if ((out.prefixes & Prefix.LOCK) != 0
                && ((flags & F_LOCK) == 0 || out.kind[0] != OperandKind.MEM)) {
            // SDM "LOCK-Assert LOCK# Signal Prefix": #UD unless a lockable instruction with a memory destination.
            return DecodeStatus.INVALID_LOCK;
        }
        out.length = pos;
        return DecodeStatus.OK;
    }

    private int decodeOperands(int mode, DecodedInstruction out, int desc, int flags, int op, int modrm) {
        int count = OpcodeTables.OPERAND_COUNT[desc];
        int base = desc * 4;
        boolean hasMem = false;
        if (modrm >= 0 && (modrm >> 6) != 3) {
            if ((flags & OpcodeTables.F_REG_ONLY) != 0) {
                return DecodeStatus.INVALID;
            }
            if ((flags & OpcodeTables.F_RM_ALWAYS_REG) == 0) { // MOV CR/DR: mod ignored, always a register
                int s = decodeMemory(mode, out, modrm);
                if (s != DecodeStatus.OK) {
                    return s;
                }
                hasMem = true;
            }
        } else if (modrm >= 0 && (flags & OpcodeTables.F_MEM_ONLY) != 0) {
            return DecodeStatus.INVALID;
        }
        if (!hasMem && out.segmentOverride != SegmentRegister.NONE) {
            out.memSegment = out.segmentOverride; // string source, XLAT
        }
        int immCount = 0;
        for (int i = 0; i < count; i++) {
            int spec = OpcodeTables.OPERANDS[base + i];
            int s = decodeOperand(mode, out, i, spec, flags, op, modrm, immCount);
            if (s != DecodeStatus.OK) {
                return s;
            }
            if (out.kind[i] == OperandKind.IMM && OperandSpec.method(spec) == OperandSpec.I) {
                immCount++;
            }
        }
        out.operandCount = count;
        if ((flags & F_STR) != 0) {
            int elem = 0;
            for (int i = 0; i < count && elem == 0; i++) {
                int spec = OpcodeTables.OPERANDS[base + i];
                int m = OperandSpec.method(spec);
                if (m == OperandSpec.X || m == OperandSpec.Y) {
                    elem = OperandSpec.size(OperandSpec.type(spec), out.operandSize, mode);
                }
            }
            for (int i = 0; i < 4; i++) {
                out.kind[i] = OperandKind.NONE;
                out.reg[i] = 0;
                out.size[i] = 0;
            }
            out.immediate = 0;
            out.size[0] = elem;
            out.operandCount = 0;
        }
        return DecodeStatus.OK;
    }

    private int decodeOperand(int mode, DecodedInstruction out, int i, int spec, int flags, int op, int modrm,
            int immCount) {
        int method = OperandSpec.method(spec);
        int type = OperandSpec.type(spec);
        int opSize = out.operandSize;
        int size = type == OperandSpec.T_ADDR ? out.addressSize : OperandSpec.size(type, opSize, mode);
        int regField = modrm < 0 ? 0 : ((modrm >> 3) & 7);
        int rmField = modrm < 0 ? 0 : (modrm & 7);
        boolean modReg = modrm >= 0 && (modrm >> 6) == 3;
        switch (method) {
            case OperandSpec.E:
            case OperandSpec.M:
            case OperandSpec.Q:
            case OperandSpec.W:
                if (!modReg) {
                    out.kind[i] = OperandKind.MEM;
                    out.size[i] = (flags & F_MEMW) != 0 ? 2 : size;
                } else if (method == OperandSpec.E) {
                    setGpr(out, i, rmField | (rexB << 3), size);
                } else if (method == OperandSpec.Q) {
                    setReg(out, i, OperandKind.MMX, rmField, size);
                } else {
                    setReg(out, i, OperandKind.XMM, rmField | (rexB << 3), size);
                }
                return DecodeStatus.OK;
            case OperandSpec.R:
                setGpr(out, i, rmField | (rexB << 3), size);
                return DecodeStatus.OK;
            case OperandSpec.N:
                setReg(out, i, OperandKind.MMX, rmField, size);
                return DecodeStatus.OK;
            case OperandSpec.U:
                setReg(out, i, OperandKind.XMM, rmField | (rexB << 3), size);
                return DecodeStatus.OK;
            case OperandSpec.G:
                setGpr(out, i, regField | (rexR << 3), size);
                return DecodeStatus.OK;
            case OperandSpec.P:
                setReg(out, i, OperandKind.MMX, regField, size);
                return DecodeStatus.OK;
            case OperandSpec.V:
                setReg(out, i, OperandKind.XMM, regField | (rexR << 3), size);
                return DecodeStatus.OK;
            case OperandSpec.B:
                setReg(out, i, OperandKind.REG, vexV, size);
                return DecodeStatus.OK;
            case OperandSpec.C: {
                int cr = regField | (rexR << 3);
                // SDM "MOV-Move to/from Control Registers": CR1, CR5-CR7, CR9-CR15 are #UD.
                if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8) {
                    return DecodeStatus.INVALID;
                }
                setReg(out, i, OperandKind.CR, cr, size);
                return DecodeStatus.OK;
            }
            case OperandSpec.D:
                // SDM "MOV-Move to/from Debug Registers": REX.R (DR8-DR15) is #UD.
                if (rexR != 0) {
                    return DecodeStatus.INVALID;
                }
                setReg(out, i, OperandKind.DR, regField, size);
                return DecodeStatus.OK;
            case OperandSpec.S:
                // SDM "MOV-Move": Sreg encodings 6 and 7 are reserved; MOV to CS is #UD.
                if (regField > 5 || (i == 0 && regField == SegmentRegister.CS)) {
                    return DecodeStatus.INVALID;
                }
                setReg(out, i, OperandKind.SEG, regField, 2);
                return DecodeStatus.OK;
            case OperandSpec.Z:
                setGpr(out, i, (op & 7) | (rexB << 3), size);
                return DecodeStatus.OK;
            case OperandSpec.FIXED_REG:
                setReg(out, i, OperandKind.REG, OperandSpec.fixedReg(spec), size);
                return DecodeStatus.OK;
            case OperandSpec.FIXED_SEG:
                setReg(out, i, OperandKind.SEG, OperandSpec.fixedReg(spec), 2);
                return DecodeStatus.OK;
            case OperandSpec.ONE:
                out.kind[i] = OperandKind.IMM;
                out.size[i] = 1;
                out.immediate = 1;
                return DecodeStatus.OK;
            case OperandSpec.I:
                return decodeImmediate(out, i, type, flags, immCount);
            case OperandSpec.J: {
                int n = type == OperandSpec.T_B ? 1 : (opSize == 2 ? 2 : 4);
                if (pos + n > limit) {
                    return shortStatus(pos + n);
                }
                out.kind[i] = OperandKind.REL;
                out.size[i] = n;
                out.immediate = readSigned(n);
                return DecodeStatus.OK;
            }
            case OperandSpec.A: {
                int n = opSize == 2 ? 2 : 4;
                if (pos + n + 2 > limit) {
                    return shortStatus(pos + n + 2);
                }
                out.kind[i] = OperandKind.FAR_PTR;
                out.size[i] = n + 2;
                out.immediate = readUnsigned(n);
                out.immediate2 = readUnsigned(2);
                return DecodeStatus.OK;
            }
            case OperandSpec.O: {
                int n = out.addressSize;
                if (pos + n > limit) {
                    return shortStatus(pos + n);
                }
                out.kind[i] = OperandKind.MEM;
                out.size[i] = size;
                out.memBase = DecodedInstruction.NO_REGISTER;
                out.memIndex = DecodedInstruction.NO_REGISTER;
                out.memScale = 1;
                out.memDisplacement = readUnsigned(n);
                out.memSegment = out.segmentOverride != SegmentRegister.NONE ? out.segmentOverride : SegmentRegister.DS;
                return DecodeStatus.OK;
            }
            case OperandSpec.X:
            case OperandSpec.Y:
                out.kind[i] = OperandKind.NONE;
                out.size[i] = size;
                return DecodeStatus.OK;
            default:
                throw new IllegalStateException("operand method " + method + " in descriptor row");
        }
    }

    private int decodeImmediate(DecodedInstruction out, int i, int type, int flags, int immCount) {
        int opSize = out.operandSize;
        int n;
        switch (type) {
            case OperandSpec.T_B: n = 1; break;
            case OperandSpec.T_W: n = 2; break;
            case OperandSpec.T_D: n = 4; break;
            case OperandSpec.T_Z: n = opSize == 2 ? 2 : 4; break;
            case OperandSpec.T_V: n = opSize; break;
            default: n = 4; break;
        }
        if (pos + n > limit) {
            return shortStatus(pos + n);
        }
        long v = ((flags & F_UIMM) != 0 || type == OperandSpec.T_W) ? readUnsigned(n) : readSigned(n);
        out.kind[i] = OperandKind.IMM;
        out.size[i] = (flags & F_PUSHIMM) != 0 ? opSize : n;
        if (immCount == 0) {
            out.immediate = v;
        } else {
            out.immediate2 = v;
        }
        return DecodeStatus.OK;
    }

    private long readSigned(int n) {
        long v = readUnsigned(n);
        int shift = 64 - 8 * n;
        return (v << shift) >> shift;
    }

    private long readUnsigned(int n) {
        long v = 0;
        for (int k = 0; k < n; k++) {
            v |= (long) peek(pos + k) << (8 * k);
        }
        pos += n;
        return v;
    }

    private void setReg(DecodedInstruction out, int i, int kind, int reg, int size) {
        out.kind[i] = kind;
        out.reg[i] = reg;
        out.size[i] = size;
    }

    /** A general register; byte registers 4-7 without any REX prefix are AH, CH, DH, BH. */
    private void setGpr(DecodedInstruction out, int i, int reg, int size) {
        if (size == 1 && !anyRex && reg >= 4 && reg < 8) {
            setReg(out, i, OperandKind.REG8_HIGH, reg - 4, 1);
        } else {
            setReg(out, i, OperandKind.REG, reg, size);
        }
    }

    private int decodeMemory(int mode, DecodedInstruction out, int modrm) {
        int mod = modrm >> 6;
        int rm = modrm & 7;
        out.memScale = 1;
        int defaultSeg = SegmentRegister.DS;
        int dispSize;
        if (out.addressSize == 2) {
            // SDM "16-Bit Addressing Forms with the ModR/M Byte"
            if (mod == 0 && rm == 6) {
                out.memBase = DecodedInstruction.NO_REGISTER;
                out.memIndex = DecodedInstruction.NO_REGISTER;
                dispSize = 2;
            } else {
                out.memBase = BASE16[rm];
                out.memIndex = INDEX16[rm];
                dispSize = mod == 1 ? 1 : mod == 2 ? 2 : 0;
                if (rm == 2 || rm == 3 || rm == 6) {
                    defaultSeg = SegmentRegister.SS;
                }
            }
        } else {
            // SDM "32-Bit Addressing Forms with the ModR/M Byte" and "... with the SIB Byte"
            dispSize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
            if (rm == 4) {
                if (pos >= limit) {
                    return shortStatus(pos + 1);
                }
                int sib = peek(pos);
                out.sib = sib;
                pos++;
                int index = ((sib >> 3) & 7) | (rexX << 3);
                int baseLow = sib & 7;
                out.memScale = 1 << (sib >> 6);
                out.memIndex = index == 4 ? DecodedInstruction.NO_REGISTER : index;
                if (baseLow == 5 && mod == 0) {
                    out.memBase = DecodedInstruction.NO_REGISTER;
                    dispSize = 4;
                } else {
                    out.memBase = baseLow | (rexB << 3);
                }
            } else if (mod == 0 && rm == 5) {
                // SDM "RIP-Relative Addressing": 64-bit mode only; elsewhere disp32 alone.
                out.memBase = mode == 64 ? DecodedInstruction.BASE_RIP : DecodedInstruction.NO_REGISTER;
                out.memIndex = DecodedInstruction.NO_REGISTER;
                dispSize = 4;
            } else {
                out.memBase = rm | (rexB << 3);
                out.memIndex = DecodedInstruction.NO_REGISTER;
            }
            if (out.memBase == 4 || out.memBase == 5) {
                defaultSeg = SegmentRegister.SS;
            }
        }
        if (pos + dispSize > limit) {
            return shortStatus(pos + dispSize);
        }
        out.memDisplacement = dispSize == 0 ? 0 : readSigned(dispSize);
        out.memSegment = out.segmentOverride != SegmentRegister.NONE ? out.segmentOverride : defaultSeg;
        return DecodeStatus.OK;
    }

    // [BX+SI], [BX+DI], [BP+SI], [BP+DI], [SI], [DI], [BP], [BX]
    private static final int[] BASE16 = {3, 3, 5, 5, 6, 7, 5, 3};
    private static final int[] INDEX16 = {6, 7, 6, 7, -1, -1, -1, -1};
}
