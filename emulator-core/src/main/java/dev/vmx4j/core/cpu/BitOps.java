package dev.vmx4j.core.cpu;

import dev.vmx4j.core.cpu.alu.Alu;
import dev.vmx4j.core.decoder.DecodedInstruction;

/**
 * POPCNT, LZCNT, TZCNT, BMI1, BMI2, ADCX and ADOX: each available only when the profile's CPUID
 * advertises it (SDM: "#UD if CPUID... = 0"). Operands in Intel order: destination first, then
 * the VEX.vvvv and ModRM sources as the SDM's operand column lists them.
 */
final class BitOps {

    private BitOps() {
    }

    // CPUID feature bits: (leaf, subleaf, register 0=EAX..3=EDX, bit).
    private static boolean popcnt(Cpu c) {
        return c.features.popcnt;
    }

    private static boolean abm(Cpu c) {
        return c.features.lzcnt;
    }

    private static boolean bmi1(Cpu c) {
        return c.features.bmi1;
    }

    private static boolean bmi2(Cpu c) {
        return c.features.bmi2;
    }

    private static boolean adx(Cpu c) {
        return c.features.adx;
    }

    static void execute(Cpu c, Exec x, DecodedInstruction d) {
        Alu alu = c.alu;
        int size = d.size[0];
        switch (d.mnemonic) {
            case POPCNT:
                require(popcnt(c));
                x.write(d, 0, alu.popcnt(size, x.read(d, 1)));
                break;
            case LZCNT:
                // SDM "LZCNT": on processors without LZCNT the encoding executes as BSR.
                x.write(d, 0, abm(c) ? alu.lzcnt(size, x.read(d, 1)) : alu.bsr(size, x.read(d, 0), x.read(d, 1)));
                break;
            case TZCNT:
                // SDM "TZCNT": without BMI1 the encoding executes as BSF.
                x.write(d, 0, bmi1(c) ? alu.tzcnt(size, x.read(d, 1)) : alu.bsf(size, x.read(d, 0), x.read(d, 1)));
                break;
            case ANDN:
                require(bmi1(c));
                x.write(d, 0, alu.andn(size, x.read(d, 1), x.read(d, 2)));
                break;
            case BEXTR:
                require(bmi1(c));
                x.write(d, 0, alu.bextr(size, x.read(d, 1), x.read(d, 2)));
                break;
            case BLSI:
                require(bmi1(c));
                x.write(d, 0, alu.blsi(size, x.read(d, 1)));
                break;
            case BLSMSK:
                require(bmi1(c));
                x.write(d, 0, alu.blsmsk(size, x.read(d, 1)));
                break;
            case BLSR:
                require(bmi1(c));
                x.write(d, 0, alu.blsr(size, x.read(d, 1)));
                break;
            case BZHI:
                require(bmi2(c));
                x.write(d, 0, alu.bzhi(size, x.read(d, 1), x.read(d, 2)));
                break;
            case MULX: {
                require(bmi2(c));
                long lo = alu.mulx(size, c.reg(2, size), x.read(d, 2));
                long hi = alu.high;
                // SDM "MULX": dest2 (vvvv) gets the low half, dest1 the high half; if they are the same register, the high half.
                x.write(d, 1, lo);
                x.write(d, 0, hi);
                break;
            }
            case PDEP:
                require(bmi2(c));
                x.write(d, 0, alu.pdep(size, x.read(d, 1), x.read(d, 2)));
                break;
            case PEXT:
                require(bmi2(c));
                x.write(d, 0, alu.pext(size, x.read(d, 1), x.read(d, 2)));
                break;
            case RORX:
                require(bmi2(c));
                x.write(d, 0, alu.rorx(size, x.read(d, 1), x.read(d, 2)));
                break;
            case SARX:
                require(bmi2(c));
                x.write(d, 0, alu.sarx(size, x.read(d, 1), x.read(d, 2)));
                break;
            case SHLX:
                require(bmi2(c));
                x.write(d, 0, alu.shlx(size, x.read(d, 1), x.read(d, 2)));
                break;
            case SHRX:
                require(bmi2(c));
                x.write(d, 0, alu.shrx(size, x.read(d, 1), x.read(d, 2)));
                break;
            case ADCX:
                require(adx(c));
                x.write(d, 0, alu.adcx(size, x.read(d, 0), x.read(d, 1)));
                break;
            case ADOX:
                require(adx(c));
                x.write(d, 0, alu.adox(size, x.read(d, 0), x.read(d, 1)));
                break;
            default:
                throw CpuException.ud();
        }
    }

    private static void require(boolean feature) {
        if (!feature) {
            throw CpuException.ud();
        }
    }
}
