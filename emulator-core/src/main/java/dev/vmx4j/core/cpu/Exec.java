package dev.vmx4j.core.cpu;

import dev.vmx4j.core.cpu.alu.Alu;
import dev.vmx4j.core.cpu.alu.LazyFlags;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Mnemonic;
import dev.vmx4j.core.decoder.OperandKind;
import dev.vmx4j.core.decoder.Prefix;

/**
 * The semantics of the general-purpose instructions: one {@code switch} on the mnemonic, each
 * case a few lines or a call to a small method. Arithmetic goes through {@link Alu}; operands
 * through {@link #read}/{@link #write}; memory through the CPU's segmented access path. Sets
 * {@link Cpu#nextRip} for control transfers and {@link #cost} for the cycle model.
 *
 * <p>PERF: the switch compiles to a tableswitch on the mnemonic's ordinal; each rarely used
 * instruction lives in its own method so the hot {@link #execute} stays small for the JIT.
 */
final class Exec {

    private static final int RAX = 0;
    private static final int RCX = 1;
    private static final int RDX = 2;
    private static final int RBX = 3;
    private static final int RSP = 4;
    private static final int RBP = 5;
    private static final int RSI = 6;
    private static final int RDI = 7;

    private final Cpu c;
    private final Alu alu;
    private final LazyFlags flags;

    /** Cycles of the instruction just executed (see {@link CycleTable}). */
    int cost;
    /** True when a REP string instruction has iterations left: RIP stays on it. */
    boolean repeating;

    Exec(Cpu c) {
        this.c = c;
        this.alu = c.alu;
        this.flags = c.flags;
        this.cpuid = new Cpuid(c);
    }

    /** CPUID with its scratch array. */
    private final Cpuid cpuid;

    private EventDelivery ev() {
        return c.events;
    }

    // ---------------------------------------------------------------- operands

    /** The effective address (offset) of the memory operand, truncated to the address size. */
    long ea(DecodedInstruction d) {
        long a = d.memDisplacement;
        int base = d.memBase;
        if (base >= 0) {
            a += base == DecodedInstruction.BASE_RIP ? c.nextRip : c.gpr[base];
        }
        if (d.memIndex >= 0) {
            a += c.gpr[d.memIndex] * d.memScale;
        }
        switch (d.addressSize) {
            case 2:
                return a & 0xFFFFL;
            case 4:
                return a & 0xFFFFFFFFL;
            default:
                return a;
        }
    }

    /**
     * Operand {@code i} zero-extended from its size (immediates as decoded: sign-extended).
     *
     * <p>PERF: the register case is tested first and the rest lives in {@link #readOther}, so
     * this method stays under HotSpot's MaxInlineSize-ish budgets and inlines at every hot site.
     */
    long read(DecodedInstruction d, int i) {
        int k = d.kind[i];
        if (k == OperandKind.REG) {
            return c.reg(d.reg[i], d.size[i]);
        }
        return readOther(d, i, k);
    }

    private long readOther(DecodedInstruction d, int i, int k) {
        switch (k) {
            case OperandKind.REG8_HIGH:
                return c.regHigh8(d.reg[i]);
            case OperandKind.MEM:
                return c.readMem(d.memSegment, ea(d), d.size[i]);
            case OperandKind.IMM:
            case OperandKind.REL:
                return d.immediate;
            default:
                throw new IllegalStateException("operand kind " + d.kind[i] + " is not readable as an integer for "
                        + d.mnemonic);
        }
    }

    /** Writes operand {@code i} (PERF: register case first, as in {@link #read}). */
    void write(DecodedInstruction d, int i, long v) {
        int k = d.kind[i];
        if (k == OperandKind.REG) {
            c.setReg(d.reg[i], d.size[i], v);
            return;
        }
        writeOther(d, i, k, v);
    }

    private void writeOther(DecodedInstruction d, int i, int k, long v) {
        switch (k) {
            case OperandKind.REG8_HIGH:
                c.setRegHigh8(d.reg[i], v);
                break;
            case OperandKind.MEM:
                c.writeMem(d.memSegment, ea(d), d.size[i], v);
                break;
            default:
                throw new IllegalStateException("operand kind " + d.kind[i] + " is not writable for " + d.mnemonic);
        }
    }

    private static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    private static long signExtend(int size, long v) {
        int shift = 64 - size * 8;
        return v << shift >> shift;
    }

    private static boolean isMem(DecodedInstruction d, int i) {
        return d.kind[i] == OperandKind.MEM;
    }

    // ---------------------------------------------------------------- hot groups

    // PERF: the commonest ALU instructions each get a dispatch group and a tiny method, so they
    // cost one indirect jump (the group switch) instead of two (group, then mnemonic).

    private void add(DecodedInstruction d) {
        write(d, 0, alu.add(d.size[0], read(d, 0), read(d, 1)));
    }

    private void sub(DecodedInstruction d) {
        write(d, 0, alu.sub(d.size[0], read(d, 0), read(d, 1)));
    }

    private void and(DecodedInstruction d) {
        write(d, 0, alu.and(d.size[0], read(d, 0), read(d, 1)));
    }

    private void or(DecodedInstruction d) {
        write(d, 0, alu.or(d.size[0], read(d, 0), read(d, 1)));
    }

    private void xor(DecodedInstruction d) {
        write(d, 0, alu.xor(d.size[0], read(d, 0), read(d, 1)));
    }

    private void cmp(DecodedInstruction d) {
        alu.cmp(d.size[0], read(d, 0), read(d, 1));
    }

    private void test(DecodedInstruction d) {
        alu.test(d.size[0], read(d, 0), read(d, 1));
    }

    private void inc(DecodedInstruction d) {
        write(d, 0, alu.inc(d.size[0], read(d, 0)));
    }

    private void dec(DecodedInstruction d) {
        write(d, 0, alu.dec(d.size[0], read(d, 0)));
    }

    private void shl(DecodedInstruction d) {
        write(d, 0, alu.shl(d.size[0], read(d, 0), read(d, 1)));
    }

    private void shr(DecodedInstruction d) {
        write(d, 0, alu.shr(d.size[0], read(d, 0), read(d, 1)));
    }

    /**
     * ADC, SBB, NEG, NOT (the commoner ALU instructions have their own groups above).
     *
     * <p>PERF: the hottest instruction groups live in their own small methods: inside the big
     * switch their operand accessors exhausted C2's inlining budget (DesiredMethodLimit) and
     * became real calls.
     */
    private void arith(DecodedInstruction d) {
        // PERF: the destination is read once and written once; only the source read stays per
        // case. Java evaluates left to right, so the reads happen in the same order as before
        // (destination, then source) and every write follows both reads.
        int size = d.size[0];
        long a = read(d, 0);
        long r;
        switch (d.mnemonic) {
            case ADC:
                r = alu.adc(size, a, read(d, 1));
                break;
            case SBB:
                r = alu.sbb(size, a, read(d, 1));
                break;
            case NEG:
                r = alu.neg(size, a);
                break;
            case NOT:
                r = ~a;
                break;
            default:
                throw new IllegalStateException("not an arithmetic instruction: " + d.mnemonic);
        }
        write(d, 0, r);
    }

    /** SAL, SAR, ROL, ROR, RCL, RCR, SHLD, SHRD (PERF: one read and one write, as {@link #arith}). */
    private void shiftRotate(DecodedInstruction d) {
        int size = d.size[0];
        long a = read(d, 0);
        long n = read(d, 1);
        long r;
        switch (d.mnemonic) {
            case SAL:
                r = alu.sal(size, a, n);
                break;
            case SAR:
                r = alu.sar(size, a, n);
                break;
            case ROL:
                r = alu.rol(size, a, n);
                break;
            case ROR:
                r = alu.ror(size, a, n);
                break;
            case RCL:
                r = alu.rcl(size, a, n);
                break;
            case RCR:
                r = alu.rcr(size, a, n);
                break;
            case SHLD:
                r = alu.shld(size, a, n, read(d, 2));
                break;
            case SHRD:
                r = alu.shrd(size, a, n, read(d, 2));
                break;
            default:
                throw new IllegalStateException("not a shift or rotate: " + d.mnemonic);
        }
        write(d, 0, r);
    }

    // ---------------------------------------------------------------- dispatch

    // Dispatch groups (internal numbers, not architectural).
    private static final byte G_OTHER = 0;
    private static final byte G_MOVE = 1;
    private static final byte G_ARITH = 2;
    private static final byte G_SHIFT = 3;
    private static final byte G_JCC = 4;
    private static final byte G_ADD = 5;
    private static final byte G_SUB = 6;
    private static final byte G_AND = 7;
    private static final byte G_OR = 8;
    private static final byte G_XOR = 9;
    private static final byte G_CMP = 10;
    private static final byte G_TEST = 11;
    private static final byte G_INC = 12;
    private static final byte G_DEC = 13;
    private static final byte G_SHL = 14;
    private static final byte G_SHR = 15;
    private static final byte G_JMP = 16;
    private static final byte G_LEA = 17;
    private static final byte G_PUSH = 18;
    private static final byte G_POP = 19;
    private static final byte G_CALL = 20;
    private static final byte G_RET = 21;

    /** Dispatch group per mnemonic (indexed by our own enum's ordinal: an internal table). */
    private static final byte[] GROUP = new byte[Mnemonic.values().length];

    static {
        for (Mnemonic m : Mnemonic.values()) {
            GROUP[m.ordinal()] = group(m);
        }
    }

    private static byte group(Mnemonic m) {
        switch (m) {
            case MOV:
            case MOVNTI:
            case MOVZX:
                return G_MOVE;
            case ADD:
                return G_ADD;
            case SUB:
                return G_SUB;
            case AND:
                return G_AND;
            case OR:
                return G_OR;
            case XOR:
                return G_XOR;
            case CMP:
                return G_CMP;
            case TEST:
                return G_TEST;
            case INC:
                return G_INC;
            case DEC:
                return G_DEC;
            case SHL:
                return G_SHL;
            case SHR:
                return G_SHR;
            case ADC:
            case SBB:
            case NEG:
            case NOT:
                return G_ARITH;
            case SAL:
            case SAR:
            case ROL:
            case ROR:
            case RCL:
            case RCR:
            case SHLD:
            case SHRD:
                return G_SHIFT;
            case JCC:
                return G_JCC;
            case JMP:
                return G_JMP;
            case LEA:
                return G_LEA;
            case PUSH:
                return G_PUSH;
            case POP:
                return G_POP;
            case CALL:
                return G_CALL;
            case RET:
                return G_RET;
            default:
                return G_OTHER;
        }
    }

    /**
     * Executes {@code d}: sets {@link #cost}, clears {@link #repeating}, runs the semantics.
     *
     * <p>PERF: a small front that HotSpot inlines into the step loop; the hottest groups (moves,
     * ALU, shifts, JMP, Jcc, LEA, PUSH, POP, CALL, RET) go straight to small methods, everything
     * else to the big switch in {@link #executeOther}, whose size (and frame) no longer taxes the
     * common instructions.
     */
    void execute(DecodedInstruction d) {
        int ord = d.mnemonic.ordinal();
        cost = CycleTable.BASE[ord];
        repeating = false;
        switch (GROUP[ord]) {
            case G_MOVE:
                // MOV, MOVNTI, MOVZX: read zero-extends the source; write applies the width rules.
                write(d, 0, read(d, 1));
                return;
            case G_ARITH:
                arith(d);
                return;
            case G_SHIFT:
                shiftRotate(d);
                return;
            case G_JCC:
                jcc(d);
                return;
            case G_ADD:
                add(d);
                return;
            case G_SUB:
                sub(d);
                return;
            case G_AND:
                and(d);
                return;
            case G_OR:
                or(d);
                return;
            case G_XOR:
                xor(d);
                return;
            case G_CMP:
                cmp(d);
                return;
            case G_TEST:
                test(d);
                return;
            case G_INC:
                inc(d);
                return;
            case G_DEC:
                dec(d);
                return;
            case G_SHL:
                shl(d);
                return;
            case G_SHR:
                shr(d);
                return;
            case G_JMP:
                jmp(d);
                return;
            case G_LEA:
                c.setReg(d.reg[0], d.size[0], ea(d));
                return;
            case G_PUSH:
                push(d);
                return;
            case G_POP:
                pop(d);
                return;
            case G_CALL:
                call(d);
                return;
            case G_RET:
                ret(d);
                return;
            default:
                executeOther(d);
                return;
        }
    }

    private void jmp(DecodedInstruction d) {
        c.nextRip = branchTarget(d, d.kind[0] == OperandKind.REL ? c.nextRip + d.immediate : read(d, 0));
        cost += CycleTable.TAKEN_BRANCH;
    }

    private void jcc(DecodedInstruction d) {
        if (flags.condition(d.condition)) {
            c.nextRip = branchTarget(d, c.nextRip + d.immediate);
            cost += CycleTable.TAKEN_BRANCH;
        }
    }

    /** Every instruction outside the hot groups of {@link #execute}. */
    private void executeOther(DecodedInstruction d) {
        switch (d.mnemonic) {
            case MOVSX:
            case MOVSXD:
                write(d, 0, signExtend(d.size[1], read(d, 1)));
                break;
            case MOVBE:
                movbe(d);
                break;
            case XCHG:
                xchg(d);
                break;
            case XADD:
                xadd(d);
                break;
            case CMPXCHG:
                cmpxchg(d);
                break;
            case CMPXCHG8B:
            case CMPXCHG16B:
                cmpxchgWide(d);
                break;
            case BSWAP:
                bswap(d);
                break;
            case PUSHA:
                pusha(d);
                break;
            case POPA:
                popa(d);
                break;
            case PUSHF:
                pushf(d);
                break;
            case POPF:
                popf(d);
                break;
            case ENTER:
                enter(d);
                break;
            case LEAVE:
                leave(d);
                break;
            case CBW:
                c.setReg(RAX, 2, signExtend(1, c.gpr[RAX]));
                break;
            case CWDE:
                c.setReg(RAX, 4, signExtend(2, c.gpr[RAX]));
                break;
            case CDQE:
                c.gpr[RAX] = signExtend(4, c.gpr[RAX]);
                break;
            case CWD:
                c.setReg(RDX, 2, signExtend(2, c.gpr[RAX]) >> 63);
                break;
            case CDQ:
                c.setReg(RDX, 4, signExtend(4, c.gpr[RAX]) >> 63);
                break;
            case CQO:
                c.gpr[RDX] = c.gpr[RAX] >> 63;
                break;
            case XLAT:
                xlat(d);
                break;
            case LAHF:
                lahf(d);
                break;
            case SAHF:
                sahf(d);
                break;
            case CMOVCC:
                cmov(d);
                break;
            case SETCC:
                write(d, 0, flags.condition(d.condition) ? 1 : 0);
                break;

            case MUL:
                mul(d, false);
                break;
            case IMUL:
                imul(d);
                break;
            case DIV:
                div(d, false);
                break;
            case IDIV:
                div(d, true);
                break;

            // ------------------------------------------------ bits, BMI, ADX, BCD
            case BT:
            case BTS:
            case BTR:
            case BTC:
                bitTest(d);
                break;
            case BSF:
                write(d, 0, alu.bsf(d.size[0], read(d, 0), read(d, 1)));
                break;
            case BSR:
                write(d, 0, alu.bsr(d.size[0], read(d, 0), read(d, 1)));
                break;
            case POPCNT:
            case LZCNT:
            case TZCNT:
            case ANDN:
            case BEXTR:
            case BLSI:
            case BLSMSK:
            case BLSR:
            case BZHI:
            case MULX:
            case PDEP:
            case PEXT:
            case RORX:
            case SARX:
            case SHLX:
            case SHRX:
            case ADCX:
            case ADOX:
                BitOps.execute(c, this, d);
                break;
            case DAA:
                c.setReg(RAX, 1, alu.daa(c.gpr[RAX] & 0xFF));
                break;
            case DAS:
                c.setReg(RAX, 1, alu.das(c.gpr[RAX] & 0xFF));
                break;
            case AAA:
                c.setReg(RAX, 2, alu.aaa(c.gpr[RAX] & 0xFFFF));
                break;
            case AAS:
                c.setReg(RAX, 2, alu.aas(c.gpr[RAX] & 0xFFFF));
                break;
            case AAM: {
                long r = alu.aam(c.gpr[RAX] & 0xFFFF, (int) d.immediate & 0xFF);
                if (r == Alu.DIVIDE_ERROR) {
                    throw CpuException.de();
                }
                c.setReg(RAX, 2, r);
                break;
            }
            case AAD:
                c.setReg(RAX, 2, alu.aad(c.gpr[RAX] & 0xFFFF, (int) d.immediate & 0xFF));
                break;
            case SALC:
                // Undocumented D6: AL = CF ? FFH : 00H (legacy modes only; the decoder rejects it in 64-bit mode).
                c.setReg(RAX, 1, flags.cf() ? 0xFF : 0);
                break;

            // ------------------------------------------------ control transfer
            case LOOP:
            case LOOPE:
            case LOOPNE:
                loop(d);
                break;
            case JRCXZ:
                if (c.reg(RCX, d.addressSize) == 0) {
                    c.nextRip = branchTarget(d, c.nextRip + d.immediate);
                    cost += CycleTable.TAKEN_BRANCH;
                }
                break;
            case JMP_FAR:
            case CALL_FAR:
            case RET_FAR:
                Far.execute(c, this, d);
                break;
            case INT:
                softwareInterrupt(d, (int) d.immediate & 0xFF);
                break;
            case INT3:
                softwareException(d, CpuException.BP, InterruptionType.SOFTWARE_EXCEPTION);
                break;
            case INTO:
                if (flags.of()) {
                    softwareException(d, CpuException.OF, InterruptionType.SOFTWARE_EXCEPTION);
                }
                break;
            case INT1:
                softwareException(d, CpuException.DB, InterruptionType.PRIVILEGED_SOFTWARE_EXCEPTION);
                break;
            case IRET:
                ev().iret(d.operandSize);
                break;

            // ------------------------------------------------ strings
            case MOVS:
            case CMPS:
            case STOS:
            case LODS:
            case SCAS:
            case INS:
            case OUTS:
                string(d);
                break;

            // ------------------------------------------------ flags
            case CLC:
                flags.setCf(false);
                break;
            case STC:
                flags.setCf(true);
                break;
            case CMC:
                flags.setCf(!flags.cf());
                break;
            case CLD:
                c.rflagsRest &= ~Cpu.RF_DF;
                break;
            case STD:
                c.rflagsRest |= Cpu.RF_DF;
                break;
            case CLI:
                checkIopl();
                c.rflagsRest &= ~Cpu.RF_IF;
                break;
            case STI:
                checkIopl();
                // SDM "STI": if IF was 0, interrupts stay blocked until after the next instruction.
                if ((c.rflagsRest & Cpu.RF_IF) == 0) {
                    c.pending.blockBySti();
                }
                c.rflagsRest |= Cpu.RF_IF;
                break;

            // ------------------------------------------------ misc
            case NOP:
            case HINT_NOP:
            case ENDBR32:
            case ENDBR64:
            case LFENCE:
            case MFENCE:
            case SFENCE:
            case PREFETCH:
                break;
            case PAUSE:
                if (c.vmx.nonRoot) {
                    c.vmx.pause(d);
                }
                break;
            case CLFLUSH:
            case CLFLUSHOPT:
                // SDM "CLFLUSH": faults like a byte load; the cache is not modelled.
                c.mmu.translate(c.linear(d.memSegment, ea(d), 1, false), c.userAccess);
                break;
            case CPUID:
                // SDM "Instructions That Cause VM Exits Unconditionally": CPUID.
                if (c.vmx.nonRoot) {
                    c.vmx.cpuid(d);
                }
                cpuid.execute();
                break;
            case RDTSC:
            case RDTSCP:
                TimeStampOps.rdtsc(c, d);
                break;
            case RDRAND:
            case RDSEED:
                rdrand(d);
                break;
            case RDPID:
                TimeStampOps.rdpid(c, d);
                break;
            case HLT:
                if (c.cpl != 0) {
                    throw CpuException.gp(0);
                }
                if (c.vmx.nonRoot) {
                    c.vmx.hlt(d);
                }
                c.pending.setActivity(ActivityState.HLT);
                break;
            case UD0:
            case UD1:
            case UD2:
                throw CpuException.ud();

            // ------------------------------------------------ system
            case IN:
            case OUT:
                PortIo.inOut(c, d);
                break;
            default:
                SystemOps.execute(c, this, d);
                break;
        }
    }

    // ---------------------------------------------------------------- data movement

    private void movbe(DecodedInstruction d) {
        // SDM "MOVBE": #UD if CPUID.01H:ECX.MOVBE[bit 22] = 0.
        if (!c.features.movbe) {
            throw CpuException.ud();
        }
        int size = d.size[0];
        long v = read(d, 1);
        long r = size == 2 ? Short.reverseBytes((short) v) & 0xFFFFL
                : size == 4 ? Integer.reverseBytes((int) v) & 0xFFFFFFFFL : Long.reverseBytes(v);
        write(d, 0, r);
    }

    private void xchg(DecodedInstruction d) {
        long a = read(d, 0);
        long b = read(d, 1);
        // Memory first, so a fault leaves the register unchanged.
        if (isMem(d, 1)) {
            write(d, 1, a);
            write(d, 0, b);
        } else {
            write(d, 0, b);
            write(d, 1, a);
        }
    }

    private void xadd(DecodedInstruction d) {
        int size = d.size[0];
        long dst = read(d, 0);
        long src = read(d, 1);
        long sum = alu.add(size, dst, src);
        // SDM "XADD": TEMP = SRC + DEST; SRC = DEST; DEST = TEMP.
        if (isMem(d, 0)) {
            write(d, 0, sum);
            write(d, 1, dst);
        } else {
            write(d, 1, dst);
            write(d, 0, sum);
        }
    }

    private void cmpxchg(DecodedInstruction d) {
        int size = d.size[0];
        long dst = read(d, 0);
        long acc = c.reg(RAX, size);
        alu.cmp(size, acc, dst);
        if ((acc & mask(size)) == (dst & mask(size))) {
            write(d, 0, read(d, 1));
        } else {
            // SDM "CMPXCHG": the destination is written back with its own value, then the accumulator is loaded.
            write(d, 0, dst);
            c.setReg(RAX, size, dst);
        }
    }

    private void cmpxchgWide(DecodedInstruction d) {
        if (d.mnemonic == Mnemonic.CMPXCHG16B) {
            long off = ea(d);
            long lin = c.linear(d.memSegment, off, 16, true);
            // SDM "CMPXCHG8B/CMPXCHG16B": m128 must be 16-byte aligned, else #GP(0).
            if ((lin & 15) != 0) {
                throw CpuException.gp(0);
            }
            long lo = c.readMem(d.memSegment, off, 8);
            long hi = c.readMem(d.memSegment, off + 8, 8);
            if (lo == c.gpr[RAX] && hi == c.gpr[RDX]) {
                c.writeMem(d.memSegment, off, 8, c.gpr[RBX]);
                c.writeMem(d.memSegment, off + 8, 8, c.gpr[RCX]);
                flags.setZf(true);
            } else {
                c.writeMem(d.memSegment, off, 8, lo);
                c.writeMem(d.memSegment, off + 8, 8, hi);
                c.gpr[RAX] = lo;
                c.gpr[RDX] = hi;
                flags.setZf(false);
            }
            return;
        }
        long off = ea(d);
        long m = c.readMem(d.memSegment, off, 8);
        long expected = (c.gpr[RDX] << 32) | (c.gpr[RAX] & 0xFFFFFFFFL);
        if (m == expected) {
            c.writeMem(d.memSegment, off, 8, (c.gpr[RCX] << 32) | (c.gpr[RBX] & 0xFFFFFFFFL));
            flags.setZf(true);
        } else {
            c.writeMem(d.memSegment, off, 8, m);
            c.setReg(RAX, 4, m);
            c.setReg(RDX, 4, m >>> 32);
            flags.setZf(false);
        }
    }

    private void bswap(DecodedInstruction d) {
        int r = d.reg[0];
        switch (d.size[0]) {
            case 8:
                c.gpr[r] = Long.reverseBytes(c.gpr[r]);
                break;
            case 4:
                c.setReg(r, 4, Integer.reverseBytes((int) c.gpr[r]));
                break;
            default:
                // MANUAL: BSWAP with a 16-bit operand is undefined; Intel processors clear the low word.
                c.setReg(r, 2, 0);
                break;
        }
    }

    private void xlat(DecodedInstruction d) {
        long off = c.gpr[RBX] + (c.gpr[RAX] & 0xFF);
        off &= mask(d.addressSize);
        c.setReg(RAX, 1, c.readMem(d.memSegment, off, 1));
    }

    private void lahf(DecodedInstruction d) {
        requireLahfSahf();
        c.setRegHigh8(RAX, (flags.get() & 0xD5) | 2);
    }

    private void sahf(DecodedInstruction d) {
        requireLahfSahf();
        long ah = c.regHigh8(RAX);
        flags.set((flags.get() & ~0xD5L) | (ah & 0xD5));
    }

    private void requireLahfSahf() {
        // SDM "LAHF": in 64-bit mode valid only if CPUID.80000001H:ECX.LAHF-SAHF[bit 0] = 1.
        if (c.mode64 && !c.features.lahfSahf64) {
            throw CpuException.ud();
        }
    }

    private void cmov(DecodedInstruction d) {
        long v = read(d, 1);
        if (flags.condition(d.condition)) {
            write(d, 0, v);
        } else if (d.size[0] == 4) {
            // SDM "CMOVcc": in 64-bit mode a 32-bit destination is zero-extended even if the condition is false.
            write(d, 0, read(d, 0));
        }
    }

    // ---------------------------------------------------------------- stack

    private void push(DecodedInstruction d) {
        int size = d.operandSize;
        if (d.kind[0] == OperandKind.SEG) {
            // MANUAL: pushing a segment register with a 32/64-bit operand size writes only the
            // low 16 bits on current Intel processors; RSP still moves by the operand size.
            long mask = c.stackMask();
            long sp = (c.gpr[RSP] - size) & mask;
            c.writeMem(Cpu.SEG_SS, sp, 2, c.seg[d.reg[0]].selector);
            c.gpr[RSP] = (c.gpr[RSP] & ~mask) | sp;
            return;
        }
        c.push(read(d, 0), size);
    }

    private void pop(DecodedInstruction d) {
        int size = d.operandSize;
        if (d.kind[0] == OperandKind.SEG) {
            long saved = c.gpr[RSP];
            long v = c.pop(size) & 0xFFFF;
            try {
                loadSegment(d.reg[0], (int) v);
            } catch (ArchitecturalEvent e) {
                c.gpr[RSP] = saved;
                throw e;
            }
            return;
        }
        long saved = c.gpr[RSP];
        long v = c.pop(size);
        if (d.kind[0] == OperandKind.MEM) {
            // SDM "POP": a memory operand using RSP as base is computed after the increment.
            try {
                write(d, 0, v);
            } catch (ArchitecturalEvent e) {
                c.gpr[RSP] = saved;
                throw e;
            }
        } else {
            c.setReg(d.reg[0], size, v);
        }
    }

    private void pusha(DecodedInstruction d) {
        int size = d.operandSize;
        long saved = c.gpr[RSP];
        long oldSp = c.reg(RSP, size);
        try {
            for (int r = 0; r < 8; r++) {
                c.push(r == RSP ? oldSp : c.reg(r, size), size);
            }
        } catch (ArchitecturalEvent e) {
            c.gpr[RSP] = saved;
            throw e;
        }
    }

    private void popa(DecodedInstruction d) {
        int size = d.operandSize;
        long[] vals = scratch8;
        for (int i = 0; i < 8; i++) {
            vals[7 - i] = c.peek((long) i * size, size);
        }
        long mask = c.stackMask();
        c.gpr[RSP] = (c.gpr[RSP] & ~mask) | ((c.gpr[RSP] + 8L * size) & mask);
        for (int r = 0; r < 8; r++) {
            if (r != RSP) {
                c.setReg(r, size, vals[r]);
            }
        }
    }

    private final long[] scratch8 = new long[8];

    private void pushf(DecodedInstruction d) {
        if ((c.rflagsRest & Cpu.RF_VM) != 0 && c.iopl() < 3) {
            throw CpuException.gp(0);
        }
        // SDM "PUSHF": the image has VM and RF cleared.
        c.push(c.rflags() & ~(Cpu.RF_VM | Cpu.RF_RF), d.operandSize);
    }

    private void popf(DecodedInstruction d) {
        if ((c.rflagsRest & Cpu.RF_VM) != 0 && c.iopl() < 3) {
            throw CpuException.gp(0);
        }
        long v = c.pop(d.operandSize);
        ev().writeFlagsPrivileged(v, d.operandSize, c.cpl, false);
    }

    private void enter(DecodedInstruction d) {
        int size = d.operandSize;
        long allocSize = d.immediate & 0xFFFF;
        int level = (int) d.immediate2 & 31;
        long mask = c.stackMask();
        long saved = c.gpr[RSP];
        long savedRbp = c.gpr[RBP];
        try {
            c.push(c.reg(RBP, size), size);
            long frameTemp = c.gpr[RSP] & mask;
            if (level > 0) {
                long bp = c.gpr[RBP];
                for (int i = 1; i < level; i++) {
                    bp = (bp & ~mask) | ((bp - size) & mask);
                    c.push(c.readMem(Cpu.SEG_SS, bp & mask, size), size);
                }
                c.push(frameTemp, size);
            }
            long newSp = (c.gpr[RSP] - allocSize) & mask;
            // SDM "ENTER": the final stack pointer must be writable (#SS otherwise).
            c.linear(Cpu.SEG_SS, newSp, 1, true);
            c.setReg(RBP, size, frameTemp);
            c.gpr[RSP] = (c.gpr[RSP] & ~mask) | newSp;
        } catch (ArchitecturalEvent e) {
            c.gpr[RSP] = saved;
            c.gpr[RBP] = savedRbp;
            throw e;
        }
        cost += level * 2;
    }

    private void leave(DecodedInstruction d) {
        long mask = c.stackMask();
        long saved = c.gpr[RSP];
        c.gpr[RSP] = (c.gpr[RSP] & ~mask) | (c.gpr[RBP] & mask);
        try {
            long v = c.pop(d.operandSize);
            c.setReg(RBP, d.operandSize, v);
        } catch (ArchitecturalEvent e) {
            c.gpr[RSP] = saved;
            throw e;
        }
    }

    // ---------------------------------------------------------------- bit test

    /**
     * BT/BTS/BTR/BTC. SDM "BT—Bit Test": with a register bit offset and a memory operand the
     * offset is signed and may address bytes outside the operand: the operand address moves by
     * (offset SAR log2(width)) * size; an immediate offset is taken modulo the width.
     */
    private void bitTest(DecodedInstruction d) {
        int size = d.size[0];
        long index = read(d, 1);
        if (isMem(d, 0) && d.kind[1] != OperandKind.IMM) {
            int shift = size == 2 ? 4 : size == 4 ? 5 : 6;
            long offset = signExtend(size, index);
            long addr = (ea(d) + (offset >> shift) * size) & mask(d.addressSize);
            long v = c.readMem(d.memSegment, addr, size);
            long r = bitOp(d.mnemonic, size, v, index);
            if (d.mnemonic != Mnemonic.BT) {
                c.writeMem(d.memSegment, addr, size, r);
            }
            return;
        }
        long r = bitOp(d.mnemonic, size, read(d, 0), index);
        if (d.mnemonic != Mnemonic.BT) {
            write(d, 0, r);
        }
    }

    private long bitOp(Mnemonic m, int size, long v, long index) {
        switch (m) {
            case BTS:
                return alu.bts(size, v, index);
            case BTR:
                return alu.btr(size, v, index);
            case BTC:
                return alu.btc(size, v, index);
            default:
                alu.bt(size, v, index);
                return v;
        }
    }

    // ---------------------------------------------------------------- multiply and divide

    private void mul(DecodedInstruction d, boolean signed) {
        int size = d.size[0];
        long src = read(d, 0);
        long lo = signed ? alu.imul(size, c.gpr[RAX], src) : alu.mul(size, c.gpr[RAX], src);
        long hi = alu.high;
        if (size == 1) {
            c.setReg(RAX, 2, (hi << 8) | (lo & 0xFF));
        } else {
            c.setReg(RAX, size, lo);
            c.setReg(RDX, size, hi);
        }
    }

    private void imul(DecodedInstruction d) {
        switch (d.operandCount) {
            case 1:
                mul(d, true);
                break;
            case 2:
                write(d, 0, alu.imulTruncated(d.size[0], read(d, 0), read(d, 1)));
                break;
            default:
                write(d, 0, alu.imulTruncated(d.size[0], read(d, 1), read(d, 2)));
                break;
        }
    }

    private void div(DecodedInstruction d, boolean signed) {
        int size = d.size[0];
        long divisor = read(d, 0);
        long hi;
        long lo;
        if (size == 1) {
            hi = c.regHigh8(RAX);
            lo = c.gpr[RAX] & 0xFF;
        } else {
            hi = c.reg(RDX, size);
            lo = c.reg(RAX, size);
        }
        boolean ok = signed ? alu.idiv(size, hi, lo, divisor) : alu.div(size, hi, lo, divisor);
        if (!ok) {
            // SDM "DIV": a zero divisor or a quotient too large for the destination is #DE.
            throw CpuException.de();
        }
        if (size == 1) {
            c.setReg(RAX, 2, ((alu.remainder & 0xFF) << 8) | (alu.quotient & 0xFF));
        } else {
            c.setReg(RAX, size, alu.quotient);
            c.setReg(RDX, size, alu.remainder);
        }
        cost += CycleTable.divExtra(size);
    }

    // ---------------------------------------------------------------- control transfer

    /**
     * A near-branch target truncated to the operand size and checked: SDM "JMP": #GP(0) if the
     * target is beyond the CS limit (legacy modes) or non-canonical (64-bit mode).
     */
    long branchTarget(DecodedInstruction d, long target) {
        int size = d.operandSize;
        if (size == 2) {
            target &= 0xFFFFL;
        } else if (size == 4) {
            target &= 0xFFFFFFFFL;
        }
        if (c.mode64) {
            if (!Cpu.canonical(target)) {
                throw CpuException.gp(0);
            }
        } else if (target > (c.seg[Cpu.SEG_CS].limit & 0xFFFFFFFFL)) {
            throw CpuException.gp(0);
        }
        return target;
    }

    private void call(DecodedInstruction d) {
        long target = branchTarget(d, d.kind[0] == OperandKind.REL ? c.nextRip + d.immediate : read(d, 0));
        c.push(c.nextRip, d.operandSize);
        c.nextRip = target;
        cost += CycleTable.TAKEN_BRANCH;
    }

    private void ret(DecodedInstruction d) {
        int size = d.operandSize;
        long target = branchTarget(d, c.peek(0, size));
        c.pop(size);
        if (d.operandCount > 0 && d.kind[0] == OperandKind.IMM) {
            long mask = c.stackMask();
            c.gpr[RSP] = (c.gpr[RSP] & ~mask) | ((c.gpr[RSP] + (d.immediate & 0xFFFF)) & mask);
        }
        c.nextRip = target;
        cost += CycleTable.TAKEN_BRANCH;
    }

    private void loop(DecodedInstruction d) {
        int as = d.addressSize;
        long count = (c.reg(RCX, as) - 1) & mask(as);
        boolean jump = count != 0;
        if (d.mnemonic == Mnemonic.LOOPE) {
            jump &= flags.zf();
        } else if (d.mnemonic == Mnemonic.LOOPNE) {
            jump &= !flags.zf();
        }
        long target = jump ? branchTarget(d, c.nextRip + d.immediate) : 0;
        c.setReg(RCX, as, count);
        if (jump) {
            c.nextRip = target;
            cost += CycleTable.TAKEN_BRANCH;
        }
    }

    private void softwareInterrupt(DecodedInstruction d, int vector) {
        if ((c.rflagsRest & Cpu.RF_VM) != 0 && c.iopl() < 3) {
            // DEVIATION: virtual-8086 mode interrupt redirection (VME) is not modelled.
            throw CpuException.gp(0);
        }
        c.notifyInterrupt(vector);
        ev().deliver(InterruptionType.SOFTWARE_INTERRUPT, vector, 0, false, c.nextRip, d.length);
        c.nextRip = c.rip;
    }

    private void softwareException(DecodedInstruction d, int vector, int type) {
        c.notifyException(vector, 0, false);
        ev().deliver(type, vector, 0, false, c.nextRip, d.length);
        c.nextRip = c.rip;
    }

    private void checkIopl() {
        // SDM "CLI"/"STI": in protected mode #GP(0) if CPL > IOPL (VME/PVI not modelled).
        if (c.protectedMode() && c.cpl > c.iopl()) {
            throw CpuException.gp(0);
        }
        if ((c.rflagsRest & Cpu.RF_VM) != 0 && c.iopl() < 3) {
            throw CpuException.gp(0);
        }
    }

    /** Segment-register load by MOV, POP, LDS...: real/virtual-8086 or protected-mode rules. */
    void loadSegment(int s, int selector) {
        if (s == Cpu.SEG_CS) {
            throw CpuException.ud();
        }
        if (c.protectedMode()) {
            ev().loadDataSegment(s, selector);
        } else {
            c.loadSegmentReal(s, selector);
        }
        if (s == Cpu.SEG_SS) {
            // SDM "MOV": loading SS blocks interrupts until after the next instruction.
            c.pending.blockByMovSs();
        }
    }

    // ---------------------------------------------------------------- strings

    private void string(DecodedInstruction d) {
        int es = d.size[0];
        int as = d.addressSize;
        long amask = mask(as);
        boolean rep = (d.prefixes & (Prefix.REP | Prefix.REPNE)) != 0;
        if (rep && c.reg(RCX, as) == 0) {
            return;
        }
        long delta = c.df() ? -es : es;
        long rsi = c.gpr[RSI] & amask;
        long rdi = c.gpr[RDI] & amask;
        boolean compare = false;
        switch (d.mnemonic) {
            case MOVS:
                c.writeMem(Cpu.SEG_ES, rdi, es, c.readMem(d.memSegment, rsi, es));
                c.setReg(RSI, as, rsi + delta);
                c.setReg(RDI, as, rdi + delta);
                break;
            case STOS:
                c.writeMem(Cpu.SEG_ES, rdi, es, c.gpr[RAX]);
                c.setReg(RDI, as, rdi + delta);
                break;
            case LODS:
                c.setReg(RAX, es, c.readMem(d.memSegment, rsi, es));
                c.setReg(RSI, as, rsi + delta);
                break;
            case CMPS: {
                long a = c.readMem(d.memSegment, rsi, es);
                long b = c.readMem(Cpu.SEG_ES, rdi, es);
                alu.cmp(es, a, b);
                c.setReg(RSI, as, rsi + delta);
                c.setReg(RDI, as, rdi + delta);
                compare = true;
                break;
            }
            case SCAS:
                alu.cmp(es, c.gpr[RAX], c.readMem(Cpu.SEG_ES, rdi, es));
                c.setReg(RDI, as, rdi + delta);
                compare = true;
                break;
            case INS:
                PortIo.ins(c, d, es, rdi);
                c.setReg(RDI, as, rdi + delta);
                break;
            default: // OUTS
                PortIo.outs(c, d, es, rsi);
                c.setReg(RSI, as, rsi + delta);
                break;
        }
        if (rep) {
            long count = (c.reg(RCX, as) - 1) & amask;
            c.setReg(RCX, as, count);
            boolean done = count == 0;
            if (compare) {
                // SDM "REP/REPE/REPZ/REPNE/REPNZ": REPE stops when ZF=0, REPNE when ZF=1.
                done |= (d.prefixes & Prefix.REPNE) != 0 ? flags.zf() : !flags.zf();
            }
            if (!done) {
                // One iteration per step: RIP stays on the instruction (an interrupt window).
                c.nextRip = c.rip;
                repeating = true;
            }
            cost = CycleTable.STRING_ITERATION;
        }
    }

    // ---------------------------------------------------------------- misc

    private void rdrand(DecodedInstruction d) {
        boolean seed = d.mnemonic == Mnemonic.RDSEED;
        boolean supported = seed ? c.features.rdseed : c.features.rdrand;
        if (!supported) {
            throw CpuException.ud();
        }
        if (c.vmx.nonRoot) {
            c.vmx.rdrand(d);
        }
        // DEVIATION: always succeeds (CF=1) with the deterministic generator seeded by the builder.
        c.setReg(d.reg[0], d.size[0], c.nextRandom());
        flags.set(LazyFlags.CF);
    }
}
