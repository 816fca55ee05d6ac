package dev.vmx4j.core.decoder;

/**
 * Names of the x87 escape instructions for {@link InstructionFormatter}, from SDM "Escape Opcode
 * Instructions" (Tables ). Memory forms: {@code name:size} per (opcode, ModRM.reg).
 * Register forms: per (opcode, reg) either {@code name pattern} where the pattern is
 * {@code st,i} (ST(0), ST(i)), {@code i,st}, {@code i} or empty, or eight names by r/m separated
 * by {@code |}. {@code ?} marks a reserved encoding.
 */
final class X87Names {
    private X87Names() {
    }

    private static final String[] MEMORY = {
        // D8
        "fadd:4", "fmul:4", "fcom:4", "fcomp:4", "fsub:4", "fsubr:4", "fdiv:4", "fdivr:4",
        // D9
        "fld:4", "?", "fst:4", "fstp:4", "fldenv:0", "fldcw:2", "fnstenv:0", "fnstcw:2",
        // DA
        "fiadd:4", "fimul:4", "ficom:4", "ficomp:4", "fisub:4", "fisubr:4", "fidiv:4", "fidivr:4",
        // DB
        "fild:4", "fisttp:4", "fist:4", "fistp:4", "?", "fld:10", "?", "fstp:10",
        // DC
        "fadd:8", "fmul:8", "fcom:8", "fcomp:8", "fsub:8", "fsubr:8", "fdiv:8", "fdivr:8",
        // DD
        "fld:8", "fisttp:8", "fst:8", "fstp:8", "frstor:0", "?", "fnsave:0", "fnstsw:2",
        // DE
        "fiadd:2", "fimul:2", "ficom:2", "ficomp:2", "fisub:2", "fisubr:2", "fidiv:2", "fidivr:2",
        // DF
        "fild:2", "fisttp:2", "fist:2", "fistp:2", "fbld:10", "fild:8", "fbstp:10", "fistp:8",
    };

    private static final String[] REGISTER = {
        // D8
        "fadd st,i", "fmul st,i", "fcom i", "fcomp i", "fsub st,i", "fsubr st,i", "fdiv st,i", "fdivr st,i",
        // D9
        "fld i", "fxch i", "fnop|?|?|?|?|?|?|?", "?",
        "fchs|fabs|?|?|ftst|fxam|?|?", "fld1|fldl2t|fldl2e|fldpi|fldlg2|fldln2|fldz|?",
        "f2xm1|fyl2x|fptan|fpatan|fxtract|fprem1|fdecstp|fincstp",
        "fprem|fyl2xp1|fsqrt|fsincos|frndint|fscale|fsin|fcos",
        // DA
        "fcmovb st,i", "fcmove st,i", "fcmovbe st,i", "fcmovu st,i", "?", "?|fucompp|?|?|?|?|?|?", "?", "?",
        // DB
        "fcmovnb st,i", "fcmovne st,i", "fcmovnbe st,i", "fcmovnu st,i",
        "?|?|fnclex|fninit|?|?|?|?", "fucomi st,i", "fcomi st,i", "?",
        // DC (SDM: C0 FADD, C8 FMUL, E0 FSUBR, E8 FSUB, F0 FDIVR, F8 FDIV, all ST(i),ST(0))
        "fadd i,st", "fmul i,st", "?", "?", "fsubr i,st", "fsub i,st", "fdivr i,st", "fdiv i,st",
        // DD
        "ffree i", "?", "fst i", "fstp i", "fucom i", "fucomp i", "?", "?",
        // DE
        "faddp i,st", "fmulp i,st", "?", "?|fcompp|?|?|?|?|?|?", "fsubrp i,st", "fsubp i,st", "fdivrp i,st", "fdivp i,st",
        // DF
        // MANUAL: DF C0+i is FFREEP (free and pop), absent from the SDM's table but executed by Intel CPUs.
        "ffreep i", "?", "?", "?", "fnstsw ax|?|?|?|?|?|?|?", "fucomip st,i", "fcomip st,i", "?",
    };

    static void append(StringBuilder sb, DecodedInstruction in) {
        int op = in.opcode & 7;
        int modrm = in.modrm;
        int reg = (modrm >> 3) & 7;
        int rm = modrm & 7;
        if ((modrm >> 6) != 3) {
            String e = MEMORY[op * 8 + reg];
            int colon = e.indexOf(':');
            if (colon < 0) {
                sb.append("(bad)");
                return;
            }
            sb.append(e, 0, colon);
            int size = Integer.parseInt(e.substring(colon + 1));
            if (size == 0 && in.mode != 64 && (in.mode == 16) == (in.operandSize == 4)) {
                // the 14/28- and 94/108-byte environment forms: objdump marks the non-default size
                sb.append(in.operandSize == 4 ? 'd' : 'w');
            }
            sb.append(' ');
            // reuse the general memory syntax through a one-operand view
            DecodedInstruction view = new DecodedInstruction();
            view.copyFrom(in);
            view.mnemonic = Mnemonic.NOP;
            view.operandCount = 1;
            view.kind[0] = OperandKind.MEM;
            view.size[0] = size;
            String text = InstructionFormatter.format(view, 0);
            sb.append(text.substring(text.indexOf(' ') + 1));
            return;
        }
        String e = REGISTER[op * 8 + reg];
        if (e.indexOf('|') >= 0) {
            e = e.split("\\|")[rm];
            sb.append(e.equals("?") ? "(bad)" : e);
            return;
        }
        if (e.equals("?")) {
            sb.append("(bad)");
            return;
        }
        int space = e.indexOf(' ');
        String name = space < 0 ? e : e.substring(0, space);
        String pattern = space < 0 ? "" : e.substring(space + 1);
        sb.append(name);
        String sti = "st(" + rm + ")";
        switch (pattern) {
            case "st,i": sb.append(" st,").append(sti); break;
            case "i,st": sb.append(' ').append(sti).append(",st"); break;
            case "i": sb.append(' ').append(sti); break;
            case "": break;
            default: sb.append(' ').append(pattern); break;
        }
    }
}
