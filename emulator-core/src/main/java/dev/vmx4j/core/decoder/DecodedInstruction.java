package dev.vmx4j.core.decoder;

/**
 * One decoded instruction as a small flat value: primitive fields and three fixed arrays, no
 * pointers to other objects except the mnemonic constant. The decoder fills a caller-owned
 * instance (or a cache slot) in place and never allocates.
 *
 * <p>Operands are in Intel order (destination first). Memory operands use the {@code mem*}
 * fields; string instructions have no explicit memory operand (their operands are implicit:
 * [rSI]/[rDI] with {@link #addressSize} and, for the source, {@link #memSegment}).
 *
 * <h2>Operand conventions (what {@code Decoder} fills)</h2>
 * <ul>
 * <li>Operands are listed as the SDM's Intel syntax lists them; implicit operands the SDM's
 *     syntax does not show are not listed (MUL/DIV's rAX/rDX, CPUID, PUSHF, CBW, LEAVE...).
 *     Fixed registers the syntax does show are listed: {@code ADD AL, imm8} has REG 0 size 1.</li>
 * <li>General registers: {@link OperandKind#REG} with {@code reg} 0-15 and the size in bytes;
 *     byte registers are REG size 1 (with any REX prefix 4-7 are SPL/BPL/SIL/DIL) or
 *     {@link OperandKind#REG8_HIGH} with {@code reg} 0-3 for AH/CH/DH/BH (no REX).</li>
 * <li>Memory: {@link OperandKind#MEM}; {@code size[i]} is the access size (0 when the SDM gives
 *     none: LEA, FXSAVE/XSAVE areas). {@link #memBase} is 0-15, {@link #BASE_RIP} for
 *     RIP-relative (with a 32-bit {@link #addressSize} in 64-bit mode it is EIP-relative) or
 *     {@link #NO_REGISTER}; 16-bit forms use BX=3, BP=5, SI=6, DI=7. {@link #memSegment} is the
 *     override if any, else SS for rBP/rSP bases (BP forms in 16-bit addressing), else DS. In
 *     64-bit mode ES/CS/SS/DS overrides are ignored (not recorded, and an earlier FS/GS
 *     override stays in force), so {@link #segmentOverride} is FS, GS or NONE there.
 *     moffs (A0-A3): base and index {@link #NO_REGISTER}, {@link #memDisplacement} = the whole
 *     absolute offset, zero-extended from the address size.</li>
 * <li>Immediates: {@link OperandKind#IMM}; {@code size[i]} is the encoded size (1, 2, 4, 8),
 *     except PUSH imm whose size is the operand size. {@link #immediate} is sign-extended to 64
 *     bits (Ib, Iz, Id, Iv) except where the value is unsigned (Iw, port numbers, vectors, shift
 *     and bit counts, ENTER, AAM/AAD, PSHUFD/RORX controls: zero-extended). A second immediate
 *     (ENTER's nesting level, operand 1, IMM size 1) is in {@link #immediate2}.</li>
 * <li>Shifts and rotates: operand 1 is the count: IMM (value 1 for D0/D1) or REG 1 (CL) size 1.</li>
 * <li>Relative branches (Jcc, JMP, CALL, LOOPcc, JrCXZ): {@link OperandKind#REL}, {@link #immediate}
 *     = the sign-extended displacement, {@code size[i]} its encoded size; Jcc/SETcc/CMOVcc carry
 *     tttn in {@link #condition}. Near branches have operand size 8 in 64-bit mode (Intel
 *     ignores 66 there).</li>
 * <li>Far pointers (9A, EA outside 64-bit mode): {@link OperandKind#FAR_PTR}, offset in
 *     {@link #immediate}, selector in {@link #immediate2}, size 4 or 6. Indirect far
 *     transfers and LDS/LES/LFS/LGS/LSS take a MEM operand of size 4, 6 or 10.</li>
 * <li>String instructions (MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS): {@link #operandCount} 0,
 *     element size (1, 2, 4, 8) in {@code size[0]}, REP/REPNE in {@link #prefixes} (the last of
 *     F2/F3 wins, the other flag is cleared), {@link #memSegment} = the source segment (override
 *     or DS). XLAT: {@link #operandCount} 0, {@link #memSegment} set likewise.</li>
 * <li>IN/OUT: AL/AX/EAX as REG 0 with its size; the port as IMM size 1 or REG 2 (DX) size 2.</li>
 * <li>ENTER: IMM size 2 (frame size) then IMM size 1 whose value is in {@link #immediate2}.</li>
 * <li>IMUL with three operands: reg, r/m, IMM. CMPXCHG8B/16B: MEM size 8 or 16.</li>
 * <li>MOV Sreg, SLDT, STR, SMSW, LAR, LSL: the register form has the operand size, the memory
 *     form is 2 bytes. MOV CR/DR: the r/m operand is always a register (mod ignored), 8 bytes
 *     in 64-bit mode, else 4.</li>
 * <li>VEX (BMI1/BMI2): {@link Prefix#VEX} is set, VEX.vvvv is a REG operand where the SDM
 *     writes it; {@link #operandSize} is 8 with VEX.W in 64-bit mode, else 4. The decoder does
 *     not know whether a 16/32-bit code segment runs in real-address or virtual-8086 mode,
 *     where VEX instructions are #UD: the CPU checks that.</li>
 * <li>Mode-dependent validity the decoder cannot see (CPL, CR4 bits, VMX operation, CPUID
 *     features, DR4/DR5 aliasing) is the executor's: a decoded instruction may still #UD.</li>
 * <li>{@link #prefixes} records the prefixes present, including a mandatory 66/F2/F3 that is
 *     part of the opcode; {@link #operandSize} already accounts for it.</li>
 * <li>x87 (D8-DF): {@link Mnemonic#X87}, {@link #operandCount} 0, {@link #modrm} set, and the
 *     memory fields filled when ModRM names memory.</li>
 * </ul>
 */
public final class DecodedInstruction {

    /** Maximum instruction length (SDM "Instruction Format": 15 bytes). */
    public static final int MAX_LENGTH = 15;
    /** {@link #memBase} value meaning RIP-relative addressing (64-bit mode, mod=00 r/m=101). */
    public static final int BASE_RIP = 16;
    /** {@link #memBase}/{@link #memIndex} value meaning "none". */
    public static final int NO_REGISTER = -1;

    public Mnemonic mnemonic = Mnemonic.INVALID;
    /** Bytes used, 1..15. */
    public int length;
    /** Decoding mode: 16, 32 or 64 (the code-segment default size, or 64 in 64-bit mode). */
    public int mode;
    /** Effective operand-size attribute in bytes: 2, 4 or 8 (byte forms still say 2/4/8 here). */
    public int operandSize;
    /** Effective address-size attribute in bytes: 2, 4 or 8. */
    public int addressSize;

    /** {@link Prefix} bit flags. */
    public int prefixes;
    /** The REX byte in effect (0x40-0x4F), or 0. */
    public int rex;
    /** Segment-override prefix as a {@link SegmentRegister} index, or {@link SegmentRegister#NONE}. */
    public int segmentOverride;
    /** Condition code tttn (0-15) for Jcc, SETcc, CMOVcc; otherwise 0. */
    public int condition;

    /** Number of explicit operands, 0..4. */
    public int operandCount;
    /** {@link OperandKind} of each operand. */
    public final int[] kind = new int[4];
    /** Register number of each register operand (meaning depends on the kind). */
    public final int[] reg = new int[4];
    /** Size in bytes of each operand (1, 2, 4, 8, 10, 16, ...; a far pointer's size is 4 or 6). */
    public final int[] size = new int[4];

    /** Base register 0-15, {@link #BASE_RIP}, or {@link #NO_REGISTER}. */
    public int memBase;
    /** Index register 0-15, or {@link #NO_REGISTER}. */
    public int memIndex;
    /** Scale: 1, 2, 4 or 8. */
    public int memScale;
    /** Displacement, sign-extended to 64 bits. */
    public long memDisplacement;
    /** Segment of the memory operand: the override if any, else the SDM default (SS for rBP/rSP bases). */
    public int memSegment;

    /** The immediate (sign- or zero-extended as the SDM's operand notation says), or a relative displacement. */
    public long immediate;
    /** A second immediate: ENTER's nesting level, a far pointer's selector. */
    public long immediate2;

    /** The opcode map and byte: {@code 0x00xx} one-byte, {@code 0x0Fxx}, {@code 0x0F38xx}, {@code 0x0F3Axx}. */
    public int opcode;
    /** The ModRM byte, or -1 if the instruction has none. */
    public int modrm;
    /** The SIB byte, or -1 if the instruction has none. */
    public int sib;

    /**
     * The encoding form ({@link Form}): one id per mnemonic and operand shape that executors
     * dispatch on once, or {@link Form#NONE}. Set by {@link Form#classify} (the decoder calls it
     * after every successful decode), with the flattened operand fields below.
     */
    public int form;
    /** Flattened operands for {@link #form}: {@code reg[0]}, {@code reg[1]}, {@code size[0]}, {@code size[1]}. */
    public int reg0;
    public int reg1;
    public int size0;
    public int size1;
    /**
     * The instruction that follows this one on the same code page when the two run as one
     * fused pair ({@link #fusion} says which), or null. Set by the CPU's decode cache, never by
     * the decoder; {@link #clear()} resets it and {@link #copyFrom} does not copy it (it names a
     * cache slot).
     */
    public DecodedInstruction fused;
    /** The kind of fused pair this instruction starts (0: none); meaningful only with {@link #fused}. */
    public int fusion;

    /** Resets every field to the state of "nothing decoded". */
    public void clear() {
        mnemonic = Mnemonic.INVALID;
        length = 0;
        mode = 0;
        operandSize = 0;
        addressSize = 0;
        prefixes = 0;
        rex = 0;
        segmentOverride = SegmentRegister.NONE;
        condition = 0;
        operandCount = 0;
        for (int i = 0; i < 4; i++) {
            kind[i] = OperandKind.NONE;
            reg[i] = 0;
            size[i] = 0;
        }
        memBase = NO_REGISTER;
        memIndex = NO_REGISTER;
        memScale = 1;
        memDisplacement = 0;
        memSegment = SegmentRegister.DS;
        immediate = 0;
        immediate2 = 0;
        opcode = 0;
        modrm = -1;
        sib = -1;
        form = Form.NONE;
        reg0 = 0;
        reg1 = 0;
        size0 = 0;
        size1 = 0;
        fused = null;
        fusion = 0;
    }

    /** Copies every field of {@code other} into this instance. */
    public void copyFrom(DecodedInstruction other) {
        mnemonic = other.mnemonic;
        length = other.length;
        mode = other.mode;
        operandSize = other.operandSize;
        addressSize = other.addressSize;
        prefixes = other.prefixes;
        rex = other.rex;
        segmentOverride = other.segmentOverride;
        condition = other.condition;
        operandCount = other.operandCount;
        System.arraycopy(other.kind, 0, kind, 0, 4);
        System.arraycopy(other.reg, 0, reg, 0, 4);
        System.arraycopy(other.size, 0, size, 0, 4);
        memBase = other.memBase;
        memIndex = other.memIndex;
        memScale = other.memScale;
        memDisplacement = other.memDisplacement;
        memSegment = other.memSegment;
        immediate = other.immediate;
        immediate2 = other.immediate2;
        opcode = other.opcode;
        modrm = other.modrm;
        sib = other.sib;
        form = other.form;
        reg0 = other.reg0;
        reg1 = other.reg1;
        size0 = other.size0;
        size1 = other.size1;
    }

    public boolean hasPrefix(int prefixFlag) {
        return (prefixes & prefixFlag) != 0;
    }

    /** Intel-syntax text as objdump prints it, with branch targets relative to address 0 (for debugging). */
    @Override
    public String toString() {
        return InstructionFormatter.format(this, 0);
    }
}
