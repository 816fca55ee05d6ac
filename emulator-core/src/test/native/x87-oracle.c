/*
 * x87-oracle: runs x87 and MMX instructions natively on the host CPU and prints test vectors
 * (emulator-core/src/test/resources/dev/vmx4j/core/cpu/x87-vectors.txt). Only
 * gen-x87-vectors.sh needs it; the tests replay the committed file.
 *
 * Every vector runs the same 64-bit byte sequence natively and in the emulator (X87VectorTest
 * builds the identical program). RDI points at a 256-byte data block:
 *   +0  FCW to load            +2 FSW after the instruction   +4 FSW at the end
 *   +8  RFLAGS after it         +16 value A (m80)              +32 value B (m80)
 *   +48 the memory operand (16 bytes, also the store target)   +64/+80 ST(0)/ST(1) stored after
 *   +96 MM0 result (MMX)        +104 MM1 (MMX)                 +112 FNSTENV image (28 bytes)
 *   +144 RFLAGS to load (FCMOVcc, FCOMI tests)
 * x87 program: FNINIT; FLDCW [rdi]; DEPTH loads (depth 8: six FLD1 then A then B; depth 2: A
 * then B, so B is ST(0); depth 1: B; depth 0: nothing); PUSH [rdi+144]; POPFQ; the instruction;
 * FNSTSW [rdi+2]; PUSHFQ; POP [rdi+8]; FNSTENV [rdi+112]; FSTP m80 [rdi+64]; FSTP m80 [rdi+80];
 * FNSTSW [rdi+4]; FNINIT; RET (the emulator ends with HLT instead).
 * MMX program: FNINIT; eight FLDZ; FNINIT (all registers +0, empty); MOVQ MM0,[rdi+16]; MOVQ MM1,[rdi+32]; the instruction; MOVQ [rdi+96],MM0;
 * MOVQ [rdi+104],MM1; FNSTENV [rdi+112]; EMMS; RET.
 * SSE2 program (names sse_*): MOVDQU XMM0,[rdi+16]; MOVDQU XMM1,[rdi+32]; the instruction;
 * MOVDQU [rdi+160],XMM0; MOVDQU [rdi+176],XMM1; RET.
 * Every exception is masked (the control words differ in rounding and precision only), except
 * in the u_* lines: there the masks are random, and after the instruction the program stores
 * FNSTSW [rdi+2], RFLAGS and FNSAVE [rdi+256] (both non-waiting, so a pending unmasked exception
 * never traps), then returns; the line lists FCW, FSW, the tag word, FOP and the non-empty
 * registers s0-s7 (ST order) of that image.
 *
 * Usage: x87-oracle SEED  > x87-vectors.txt   (deterministic for a seed on a given host CPU)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct {
    uint16_t se;
    uint64_t sig;
} f80;

enum { M_NONE, M_F32, M_F64, M_F80, M_I16, M_I32, M_I64, M_BCD, M_MMX };
enum { F_EFL = 1, F_TRANS = 2, F_CC = 4, F_MMX = 8, F_C1 = 16, F_PE = 32, F_SMALL = 64, F_UNIT = 128, F_PREM = 256, F_SSE = 512, F_UNMASK = 1024 };

typedef struct {
    const char *name;
    const char *hex; /* instruction bytes; memory operand is [rdi+48] */
    int mem;
    int flags;
    int count;
} Op;

/* mask notes: F_CC: C0/C2/C3 undefined after the instruction (SDM); F_TRANS: ULP comparison;
   F_C1/F_PE: C1/PE not compared. */
static const Op OPS[] = {
    /* arithmetic, register forms */
    {"fadd_st0_st1", "d8c1", M_NONE, F_CC, 600}, {"fmul_st0_st1", "d8c9", M_NONE, F_CC, 600},
    {"fsub_st0_st1", "d8e1", M_NONE, F_CC, 500}, {"fsubr_st0_st1", "d8e9", M_NONE, F_CC, 300},
    {"fdiv_st0_st1", "d8f1", M_NONE, F_CC, 600}, {"fdivr_st0_st1", "d8f9", M_NONE, F_CC, 300},
    {"fadd_st1_st0", "dcc1", M_NONE, F_CC, 150}, {"fmul_st1_st0", "dcc9", M_NONE, F_CC, 150},
    {"fsubr_st1_st0", "dce1", M_NONE, F_CC, 150}, {"fsub_st1_st0", "dce9", M_NONE, F_CC, 150},
    {"fdivr_st1_st0", "dcf1", M_NONE, F_CC, 150}, {"fdiv_st1_st0", "dcf9", M_NONE, F_CC, 150},
    {"faddp", "dec1", M_NONE, F_CC, 150}, {"fmulp", "dec9", M_NONE, F_CC, 150},
    {"fsubrp", "dee1", M_NONE, F_CC, 150}, {"fsubp", "dee9", M_NONE, F_CC, 150},
    {"fdivrp", "def1", M_NONE, F_CC, 150}, {"fdivp", "def9", M_NONE, F_CC, 150},
    {"fadd_st0_st2", "d8c2", M_NONE, F_CC, 60},
    /* arithmetic with memory operands */
    {"fadd_m32", "d84730", M_F32, F_CC, 300}, {"fmul_m32", "d84f30", M_F32, F_CC, 200},
    {"fsub_m32", "d86730", M_F32, F_CC, 200}, {"fsubr_m32", "d86f30", M_F32, F_CC, 200},
    {"fdiv_m32", "d87730", M_F32, F_CC, 200}, {"fdivr_m32", "d87f30", M_F32, F_CC, 200},
    {"fadd_m64", "dc4730", M_F64, F_CC, 300}, {"fmul_m64", "dc4f30", M_F64, F_CC, 200},
    {"fsub_m64", "dc6730", M_F64, F_CC, 200}, {"fdiv_m64", "dc7730", M_F64, F_CC, 200},
    {"fiadd_m32", "da4730", M_I32, F_CC, 150}, {"fimul_m32", "da4f30", M_I32, F_CC, 150},
    {"fisub_m32", "da6730", M_I32, F_CC, 150}, {"fidivr_m32", "da7f30", M_I32, F_CC, 150},
    {"fiadd_m16", "de4730", M_I16, F_CC, 150}, {"fidiv_m16", "de7730", M_I16, F_CC, 150},
    /* compares */
    {"fcom_st1", "d8d1", M_NONE, 0, 300}, {"fcomp_st1", "d8d9", M_NONE, 0, 150},
    {"fcompp", "ded9", M_NONE, 0, 150}, {"fucom_st1", "dde1", M_NONE, 0, 300},
    {"fucomp_st1", "dde9", M_NONE, 0, 150}, {"fucompp", "dae9", M_NONE, 0, 150},
    {"fcomi_st1", "dbf1", M_NONE, 0, 300}, {"fucomi_st1", "dbe9", M_NONE, 0, 300},
    {"fcomip_st1", "dff1", M_NONE, 0, 150}, {"fucomip_st1", "dfe9", M_NONE, 0, 150},
    {"fcom_m32", "d85730", M_F32, 0, 200}, {"fcomp_m64", "dc5f30", M_F64, 0, 200},
    {"ficom_m32", "da5730", M_I32, 0, 150}, {"ficomp_m16", "de5f30", M_I16, 0, 150},
    {"ftst", "d9e4", M_NONE, 0, 200}, {"fxam", "d9e5", M_NONE, 0, 300},
    /* loads and stores */
    {"fld_m32", "d94730", M_F32, F_CC, 300}, {"fld_m64", "dd4730", M_F64, F_CC, 300},
    {"fld_m80", "db6f30", M_F80, F_CC, 200}, {"fld_st1", "d9c1", M_NONE, F_CC, 100},
    {"fst_m32", "d95730", M_NONE, F_CC, 500}, {"fstp_m32", "d95f30", M_NONE, F_CC, 150},
    {"fst_m64", "dd5730", M_NONE, F_CC, 500}, {"fstp_m64", "dd5f30", M_NONE, F_CC, 150},
    {"fstp_m80", "db7f30", M_NONE, F_CC, 100}, {"fst_st1", "ddd1", M_NONE, F_CC, 100},
    {"fstp_st1", "ddd9", M_NONE, F_CC, 100},
    {"fild_m16", "df4730", M_I16, F_CC, 150}, {"fild_m32", "db4730", M_I32, F_CC, 150},
    {"fild_m64", "df6f30", M_I64, F_CC, 200},
    {"fist_m16", "df5730", M_NONE, F_CC, 300}, {"fistp_m16", "df5f30", M_NONE, F_CC, 100},
    {"fist_m32", "db5730", M_NONE, F_CC, 300}, {"fistp_m32", "db5f30", M_NONE, F_CC, 100},
    {"fistp_m64", "df7f30", M_NONE, F_CC, 300},
    {"fisttp_m16", "df4f30", M_NONE, F_CC, 150}, {"fisttp_m32", "db4f30", M_NONE, F_CC, 150},
    {"fisttp_m64", "dd4f30", M_NONE, F_CC, 200},
    {"fbld", "df6730", M_BCD, F_CC, 150}, {"fbstp", "df7730", M_NONE, F_CC, 300},
    /* one-operand functions */
    {"fchs", "d9e0", M_NONE, F_CC, 60}, {"fabs", "d9e1", M_NONE, F_CC, 60},
    {"fsqrt", "d9fa", M_NONE, F_CC, 600}, {"frndint", "d9fc", M_NONE, F_CC, 500},
    {"fscale", "d9fd", M_NONE, F_CC, 400}, {"fxtract", "d9f4", M_NONE, F_CC, 200},
    {"fprem", "d9f8", M_NONE, F_PREM, 500}, {"fprem1", "d9f5", M_NONE, F_PREM, 500},
    {"fld1", "d9e8", M_NONE, F_CC, 24}, {"fldl2t", "d9e9", M_NONE, F_CC, 24},
    {"fldl2e", "d9ea", M_NONE, F_CC, 24}, {"fldpi", "d9eb", M_NONE, F_CC, 24},
    {"fldlg2", "d9ec", M_NONE, F_CC, 24}, {"fldln2", "d9ed", M_NONE, F_CC, 24},
    {"fldz", "d9ee", M_NONE, F_CC, 24},
    {"fxch_st1", "d9c9", M_NONE, F_CC, 60}, {"fxch_st2", "d9ca", M_NONE, F_CC, 40},
    {"ffree_st1", "ddc1", M_NONE, F_CC, 30}, {"fincstp", "d9f7", M_NONE, F_CC, 30},
    {"fdecstp", "d9f6", M_NONE, F_CC, 30}, {"fnop", "d9d0", M_NONE, F_CC, 10},
    {"ffreep_st1", "dfc1", M_NONE, F_CC, 20},
    {"fcmovb", "dac1", M_NONE, F_EFL | F_CC, 40}, {"fcmove", "dac9", M_NONE, F_EFL | F_CC, 40},
    {"fcmovbe", "dad1", M_NONE, F_EFL | F_CC, 40}, {"fcmovu", "dad9", M_NONE, F_EFL | F_CC, 40},
    {"fcmovnb", "dbc1", M_NONE, F_EFL | F_CC, 40}, {"fcmovne", "dbc9", M_NONE, F_EFL | F_CC, 40},
    {"fcmovnbe", "dbd1", M_NONE, F_EFL | F_CC, 40}, {"fcmovnu", "dbd9", M_NONE, F_EFL | F_CC, 40},
    {"fnclex", "dbe2", M_NONE, F_CC, 10}, {"fnstsw_ax", "dfe0", M_NONE, 0, 10},
    /* encodings the SDM's tables leave blank that processors execute as aliases, and the 8087/287 no-ops */
    {"fstp1_st1", "d9d9", M_NONE, F_CC, 20}, {"fcom2_st1", "dcd1", M_NONE, 0, 40},
    {"fcomp3_st1", "dcd9", M_NONE, 0, 40}, {"fxch4_st1", "ddc9", M_NONE, F_CC, 20},
    {"fcomp5_st1", "ded1", M_NONE, 0, 40}, {"fxch7_st1", "dfc9", M_NONE, F_CC, 20},
    {"fstp8_st1", "dfd1", M_NONE, F_CC, 20}, {"fstp9_st1", "dfd9", M_NONE, F_CC, 20},
    {"feni", "dbe0", M_NONE, 0, 6}, {"fdisi", "dbe1", M_NONE, 0, 6}, {"fsetpm", "dbe4", M_NONE, 0, 6},
    /* transcendentals: values near the SDM's domains */
    {"fsin", "d9fe", M_NONE, F_TRANS | F_CC | F_C1 | F_PE | F_SMALL, 300},
    {"fcos", "d9ff", M_NONE, F_TRANS | F_CC | F_C1 | F_PE | F_SMALL, 300},
    {"fsincos", "d9fb", M_NONE, F_TRANS | F_CC | F_C1 | F_PE | F_SMALL, 200},
    {"fptan", "d9f2", M_NONE, F_TRANS | F_CC | F_C1 | F_PE | F_SMALL, 200},
    {"fpatan", "d9f3", M_NONE, F_TRANS | F_CC | F_C1 | F_PE, 300},
    {"f2xm1", "d9f0", M_NONE, F_TRANS | F_CC | F_C1 | F_PE | F_UNIT, 300},
    {"fyl2x", "d9f1", M_NONE, F_TRANS | F_CC | F_C1 | F_PE, 300},
    {"fyl2xp1", "d9f9", M_NONE, F_TRANS | F_CC | F_C1 | F_PE | F_UNIT, 300},
    /* MMX */
    {"movq_mm0_mm1", "0f6fc1", M_MMX, F_MMX, 10}, {"movd_mm0_m32", "0f6e4730", M_MMX, F_MMX, 10},
    {"movd_m32_mm1", "0f7e4f30", M_MMX, F_MMX, 10}, {"movq_m64_mm1", "0f7f4f30", M_MMX, F_MMX, 10},
    {"paddb", "0ffcc1", M_MMX, F_MMX, 20}, {"paddw", "0ffdc1", M_MMX, F_MMX, 20},
    {"paddd", "0ffec1", M_MMX, F_MMX, 20}, {"paddq", "0fd4c1", M_MMX, F_MMX, 20},
    {"paddsb", "0fecc1", M_MMX, F_MMX, 30}, {"paddsw", "0fedc1", M_MMX, F_MMX, 30},
    {"paddusb", "0fdcc1", M_MMX, F_MMX, 30}, {"paddusw", "0fddc1", M_MMX, F_MMX, 30},
    {"psubb", "0ff8c1", M_MMX, F_MMX, 20}, {"psubw", "0ff9c1", M_MMX, F_MMX, 20},
    {"psubd", "0ffac1", M_MMX, F_MMX, 20}, {"psubq", "0ffbc1", M_MMX, F_MMX, 20},
    {"psubsb", "0fe8c1", M_MMX, F_MMX, 30}, {"psubsw", "0fe9c1", M_MMX, F_MMX, 30},
    {"psubusb", "0fd8c1", M_MMX, F_MMX, 30}, {"psubusw", "0fd9c1", M_MMX, F_MMX, 30},
    {"pcmpeqb", "0f74c1", M_MMX, F_MMX, 20}, {"pcmpeqw", "0f75c1", M_MMX, F_MMX, 20},
    {"pcmpeqd", "0f76c1", M_MMX, F_MMX, 20}, {"pcmpgtb", "0f64c1", M_MMX, F_MMX, 20},
    {"pcmpgtw", "0f65c1", M_MMX, F_MMX, 20}, {"pcmpgtd", "0f66c1", M_MMX, F_MMX, 20},
    {"packsswb", "0f63c1", M_MMX, F_MMX, 30}, {"packssdw", "0f6bc1", M_MMX, F_MMX, 30},
    {"packuswb", "0f67c1", M_MMX, F_MMX, 30},
    {"punpcklbw", "0f60c1", M_MMX, F_MMX, 10}, {"punpcklwd", "0f61c1", M_MMX, F_MMX, 10},
    {"punpckldq", "0f62c1", M_MMX, F_MMX, 10}, {"punpckhbw", "0f68c1", M_MMX, F_MMX, 10},
    {"punpckhwd", "0f69c1", M_MMX, F_MMX, 10}, {"punpckhdq", "0f6ac1", M_MMX, F_MMX, 10},
    {"pand", "0fdbc1", M_MMX, F_MMX, 10}, {"pandn", "0fdfc1", M_MMX, F_MMX, 10},
    {"por", "0febc1", M_MMX, F_MMX, 10}, {"pxor", "0fefc1", M_MMX, F_MMX, 10},
    {"psllw", "0ff1c1", M_MMX, F_MMX, 30}, {"pslld", "0ff2c1", M_MMX, F_MMX, 30},
    {"psllq", "0ff3c1", M_MMX, F_MMX, 30}, {"psrlw", "0fd1c1", M_MMX, F_MMX, 30},
    {"psrld", "0fd2c1", M_MMX, F_MMX, 30}, {"psrlq", "0fd3c1", M_MMX, F_MMX, 30},
    {"psraw", "0fe1c1", M_MMX, F_MMX, 30}, {"psrad", "0fe2c1", M_MMX, F_MMX, 30},
    {"psllw_imm", "0f71f005", M_MMX, F_MMX, 5}, {"psrlw_imm", "0f71d00f", M_MMX, F_MMX, 5},
    {"psraw_imm", "0f71e003", M_MMX, F_MMX, 5}, {"pslld_imm", "0f72f01f", M_MMX, F_MMX, 5},
    {"psrld_imm", "0f72d021", M_MMX, F_MMX, 5}, {"psrad_imm", "0f72e010", M_MMX, F_MMX, 5},
    {"psllq_imm", "0f73f03f", M_MMX, F_MMX, 5}, {"psrlq_imm", "0f73d004", M_MMX, F_MMX, 5},
    {"pmullw", "0fd5c1", M_MMX, F_MMX, 20}, {"pmulhw", "0fe5c1", M_MMX, F_MMX, 20},
    {"pmaddwd", "0ff5c1", M_MMX, F_MMX, 20}, {"paddb_m64", "0ffc4730", M_MMX, F_MMX, 10},
    {"emms", "0f77", M_MMX, F_MMX, 3},
    /* SSE2 forms of the MMX operations (XMM0, XMM1) */
    {"sse_paddsb", "660fecc1", M_MMX, F_SSE, 20},
    {"sse_paddsw", "660fedc1", M_MMX, F_SSE, 20},
    {"sse_paddusb", "660fdcc1", M_MMX, F_SSE, 20},
    {"sse_paddusw", "660fddc1", M_MMX, F_SSE, 20},
    {"sse_psubsb", "660fe8c1", M_MMX, F_SSE, 20},
    {"sse_psubsw", "660fe9c1", M_MMX, F_SSE, 20},
    {"sse_psubusb", "660fd8c1", M_MMX, F_SSE, 20},
    {"sse_psubusw", "660fd9c1", M_MMX, F_SSE, 20},
    {"sse_pcmpgtb", "660f64c1", M_MMX, F_SSE, 20},
    {"sse_pcmpgtw", "660f65c1", M_MMX, F_SSE, 20},
    {"sse_pcmpgtd", "660f66c1", M_MMX, F_SSE, 20},
    {"sse_pmullw", "660fd5c1", M_MMX, F_SSE, 20},
    {"sse_pmulhw", "660fe5c1", M_MMX, F_SSE, 20},
    {"sse_pmaddwd", "660ff5c1", M_MMX, F_SSE, 20},
    {"sse_packsswb", "660f63c1", M_MMX, F_SSE, 20},
    {"sse_packssdw", "660f6bc1", M_MMX, F_SSE, 20},
    {"sse_packuswb", "660f67c1", M_MMX, F_SSE, 20},
    {"sse_punpcklbw", "660f60c1", M_MMX, F_SSE, 20},
    {"sse_punpcklwd", "660f61c1", M_MMX, F_SSE, 20},
    {"sse_punpckldq", "660f62c1", M_MMX, F_SSE, 20},
    {"sse_punpckhbw", "660f68c1", M_MMX, F_SSE, 20},
    {"sse_punpckhwd", "660f69c1", M_MMX, F_SSE, 20},
    {"sse_punpckhdq", "660f6ac1", M_MMX, F_SSE, 20},
    {"sse_psllw", "660ff1c1", M_MMX, F_SSE, 20},
    {"sse_pslld", "660ff2c1", M_MMX, F_SSE, 20},
    {"sse_psllq", "660ff3c1", M_MMX, F_SSE, 20},
    {"sse_psrlw", "660fd1c1", M_MMX, F_SSE, 20},
    {"sse_psrld", "660fd2c1", M_MMX, F_SSE, 20},
    {"sse_psrlq", "660fd3c1", M_MMX, F_SSE, 20},
    {"sse_psraw", "660fe1c1", M_MMX, F_SSE, 20},
    {"sse_psrad", "660fe2c1", M_MMX, F_SSE, 20},
    {"sse_paddb", "660ffcc1", M_MMX, F_SSE, 20},
    {"sse_psubq", "660ffbc1", M_MMX, F_SSE, 20},
    {"sse_psllw_imm", "660f71f005", M_MMX, F_SSE, 6},
    {"sse_psraw_imm", "660f71e011", M_MMX, F_SSE, 6},
    {"sse_psrld_imm", "660f72d003", M_MMX, F_SSE, 6},
    {"sse_psrad_imm", "660f72e01f", M_MMX, F_SSE, 6},
    {"sse_psllq_imm", "660f73f021", M_MMX, F_SSE, 6},
    /* unmasked exceptions: the state is read back with the non-waiting FNSTSW and FNSAVE */
    {"u_fadd_st0_st1", "d8c1", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fmul_st0_st1", "d8c9", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fsub_st1_st0", "dce9", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fdiv_st0_st1", "d8f1", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fdivp", "def9", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fadd_m32", "d84730", M_F32, F_UNMASK | F_CC, 100},
    {"u_fdiv_m64", "dc7730", M_F64, F_UNMASK | F_CC, 100},
    {"u_fidiv_m16", "de7730", M_I16, F_UNMASK | F_CC, 100},
    {"u_fcom_st1", "d8d1", M_NONE, F_UNMASK | 0, 100},
    {"u_fucomp_st1", "dde9", M_NONE, F_UNMASK | 0, 100},
    {"u_fcomi_st1", "dbf1", M_NONE, F_UNMASK | 0, 100},
    {"u_fcom_m32", "d85730", M_F32, F_UNMASK | 0, 100},
    {"u_fld_m32", "d94730", M_F32, F_UNMASK | F_CC, 100},
    {"u_fld_m64", "dd4730", M_F64, F_UNMASK | F_CC, 100},
    {"u_fst_m32", "d95730", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fstp_m64", "dd5f30", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fist_m16", "df5730", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fistp_m32", "db5f30", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fisttp_m64", "dd4f30", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fbstp", "df7730", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fsqrt", "d9fa", M_NONE, F_UNMASK | F_CC, 100},
    {"u_frndint", "d9fc", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fscale", "d9fd", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fxtract", "d9f4", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fprem", "d9f8", M_NONE, F_UNMASK | F_PREM, 100},
    {"u_fprem1", "d9f5", M_NONE, F_UNMASK | F_PREM, 100},
    {"u_fld1", "d9e8", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fxch_st1", "d9c9", M_NONE, F_UNMASK | F_CC, 100},
    {"u_fchs", "d9e0", M_NONE, F_UNMASK | F_CC, 100},
    {"u_ftst", "d9e4", M_NONE, F_UNMASK | 0, 100},
    {"u_fxam", "d9e5", M_NONE, F_UNMASK | 0, 100},
    {"u_fsin", "d9fe", M_NONE, F_UNMASK | F_TRANS | F_CC | F_C1 | F_PE | F_SMALL, 100},
    {"u_fyl2x", "d9f1", M_NONE, F_UNMASK | F_TRANS | F_CC | F_C1 | F_PE, 100},
    {"u_fpatan", "d9f3", M_NONE, F_UNMASK | F_TRANS | F_CC | F_C1 | F_PE, 100},
};

/* ---- seeded generator (SplitMix64) */
static uint64_t rng;
static uint64_t next64(void) {
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int below(int n) { return (int)(next64() % (uint64_t)n); }

static f80 special80(void) {
    static const f80 S[] = {
        {0x0000, 0}, {0x8000, 0}, {0x3fff, 0x8000000000000000ULL}, {0xbfff, 0x8000000000000000ULL},
        {0x7fff, 0x8000000000000000ULL}, {0xffff, 0x8000000000000000ULL},
        {0x7fff, 0xc000000000000000ULL}, {0xffff, 0xc000000000000000ULL},
        {0x7fff, 0xc000000000000001ULL}, {0x7fff, 0x8000000000000001ULL}, {0xffff, 0xa000000000000000ULL},
        {0x0000, 0x0000000000000001ULL}, {0x8000, 0x7fffffffffffffffULL}, {0x0000, 0x8000000000000000ULL},
        {0x0001, 0x8000000000000000ULL}, {0x7ffe, 0xffffffffffffffffULL}, {0xfffe, 0xffffffffffffffffULL},
        {0x4000, 0x4000000000000000ULL}, {0x7fff, 0x0000000000000000ULL}, {0x7fff, 0x4000000000000000ULL},
        {0x403e, 0xffffffffffffffffULL}, {0x403d, 0x8000000000000000ULL}, {0x3ffe, 0x8000000000000000ULL},
        {0x3fff, 0xc000000000000000ULL}, {0x401d, 0xfffffffffffffc00ULL}, {0x400e, 0xffff800000000000ULL},
    };
    return S[below(sizeof S / sizeof S[0])];
}

static f80 random80(int flags) {
    f80 v;
    int k = below(10);
    if (flags & F_SMALL) {
        /* |x| up to 2^8, plus a few large and special */
        if (k == 0) {
            /* trigonometric arguments stay below 2^20 (the documented range of the ULP bound) */
            do v = special80(); while ((v.se & 0x7fff) >= 0x3fff + 20 && (v.se & 0x7fff) != 0x7fff);
            return v;
        }
        v.se = (uint16_t)(0x3fff - 20 + below(29)) | (uint16_t)(below(2) << 15);
        v.sig = next64() | 0x8000000000000000ULL;
        return v;
    }
    if (flags & F_UNIT) {
        if (k == 0) return special80();
        v.se = (uint16_t)(0x3fff - 1 - below(40)) | (uint16_t)(below(2) << 15);
        v.sig = next64() | 0x8000000000000000ULL;
        return v;
    }
    if (k < 2) return special80();
    if (k == 2) { /* denormal */
        v.se = (uint16_t)(below(2) << 15);
        v.sig = next64() >> below(64);
        return v;
    }
    if (k == 3) { /* extreme exponents */
        v.se = (uint16_t)(below(2) ? below(70) + 1 : 0x7ffe - below(70)) | (uint16_t)(below(2) << 15);
        v.sig = next64() | 0x8000000000000000ULL;
        return v;
    }
    if (k == 4) { /* few significant bits: exact cases and ties */
        v.se = (uint16_t)(0x3fff + below(70) - 5) | (uint16_t)(below(2) << 15);
        v.sig = (next64() & 0xff00000000000000ULL) | 0x8000000000000000ULL;
        if (below(2)) v.sig |= 1ULL << below(64);
        return v;
    }
    v.se = (uint16_t)(0x3fff + below(128) - 64) | (uint16_t)(below(2) << 15);
    v.sig = next64() | 0x8000000000000000ULL;
    if (below(4) == 0) v.sig |= 0xffffffffff000000ULL >> below(40);
    return v;
}

/* a second operand related to the first (cancellation, equal, nearby exponent) */
static f80 related80(f80 a, int flags) {
    int k = below(6);
    f80 v = random80(flags);
    if (k == 0) return a;
    if (k == 1) { v = a; v.se ^= 0x8000; return v; }
    if (k == 2 && (a.se & 0x7fff) != 0x7fff && (a.se & 0x7fff) > 70) {
        v.se = (uint16_t)((a.se & 0x8000) | ((a.se & 0x7fff) - below(70)));
        v.se ^= (uint16_t)(below(2) << 15);
        v.sig = a.sig ^ (next64() >> below(64));
        v.sig |= 0x8000000000000000ULL;
        return v;
    }
    return v;
}

static void mem_operand(int kind, uint8_t *m) {
    uint64_t r = next64();
    int k = below(8);
    switch (kind) {
    case M_F32: {
        uint32_t x = (uint32_t)r;
        static const uint32_t S[] = {0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x00000001,
                                     0x807fffff, 0x3f800000, 0x7f7fffff, 0x00800000, 0xffc00000, 0x7fa00000};
        if (k == 0) x = S[below(sizeof S / sizeof S[0])];
        else if (k < 6) x = (x & 0x807fffff) | ((uint32_t)(127 - 30 + below(60)) << 23);
        memcpy(m, &x, 4);
        break;
    }
    case M_F64: {
        static const uint64_t S[] = {0, 0x8000000000000000ULL, 0x7ff0000000000000ULL, 0x7ff8000000000000ULL,
                                     0x7ff0000000000001ULL, 1, 0x000fffffffffffffULL, 0x3ff0000000000000ULL,
                                     0x7fefffffffffffffULL, 0xfff8000000000000ULL};
        if (k == 0) r = S[below(sizeof S / sizeof S[0])];
        else if (k < 6) r = (r & 0x800fffffffffffffULL) | ((uint64_t)(1023 - 70 + below(140)) << 52);
        memcpy(m, &r, 8);
        break;
    }
    case M_F80: {
        f80 v = random80(0);
        memcpy(m, &v.sig, 8);
        memcpy(m + 8, &v.se, 2);
        break;
    }
    case M_I16: case M_I32: case M_I64: {
        if (k == 0) r = 0;
        else if (k == 1) r = kind == M_I16 ? 0x8000 : kind == M_I32 ? 0x80000000ULL : 0x8000000000000000ULL;
        else if (k == 2) r = (uint64_t)-1;
        else if (k < 5) r = (uint64_t)(int64_t)(int32_t)(below(2000) - 1000);
        memcpy(m, &r, 8);
        break;
    }
    case M_BCD: {
        uint64_t lo = 0;
        for (int i = 0; i < 16; i++) lo |= (uint64_t)below(10) << (4 * i);
        uint16_t hi = (uint16_t)(below(10) | below(10) << 4);
        if (k == 0) hi = 0;
        if (k == 1) { lo &= 0xff; hi = 0; }
        if (below(2)) hi |= 0x8000;
        memcpy(m, &lo, 8);
        memcpy(m + 8, &hi, 2);
        break;
    }
    default: {
        /* MMX: structured lanes */
        static const uint64_t S[] = {0, ~0ULL, 0x8000800080008000ULL, 0x7fff7fff7fff7fffULL, 0x8080808080808080ULL,
                                     0x7f7f7f7f7f7f7f7fULL, 0x0123456789abcdefULL, 0x00ff00ff00ff00ffULL};
        if (k < 2) r = S[below(8)];
        memcpy(m, &r, 8);
        r = next64();
        memcpy(m + 8, &r, 8);
    }
    }
}

static int hexbytes(const char *h, uint8_t *out) {
    int n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

static uint8_t *code;
static uint8_t data[512] __attribute__((aligned(64)));

static int emit(uint8_t *p, const char *h) { return hexbytes(h, p); }

/* must match X87VectorTest.program */
static int build(const Op *op, int depth) {
    uint8_t *p = code;
    if (op->flags & F_SSE) {
        p += emit(p, "f30f6f4710"); /* movdqu xmm0,[rdi+16] */
        p += emit(p, "f30f6f4f20"); /* movdqu xmm1,[rdi+32] */
        p += hexbytes(op->hex, p);
        p += emit(p, "f30f7f87a0000000"); /* movdqu [rdi+160],xmm0 */
        p += emit(p, "f30f7f8fb0000000"); /* movdqu [rdi+176],xmm1 */
    } else if (op->flags & F_MMX) {
        /* zero all eight registers first: the tag word after an MMX instruction depends on them */
        p += emit(p, "dbe3");
        for (int i = 0; i < 8; i++) p += emit(p, "d9ee");
        p += emit(p, "dbe3");
        p += emit(p, "0f6f4710");   /* movq mm0,[rdi+16] */
        p += emit(p, "0f6f4f20");   /* movq mm1,[rdi+32] */
        p += hexbytes(op->hex, p);
        p += emit(p, "0f7f4760");   /* movq [rdi+96],mm0 */
        p += emit(p, "0f7f4f68");   /* movq [rdi+104],mm1 */
        p += emit(p, "d97770");     /* fnstenv [rdi+112] */
        p += emit(p, "0f77");       /* emms */
    } else {
        p += emit(p, "dbe3");       /* fninit */
        p += emit(p, "d92f");       /* fldcw [rdi] */
        if (depth == 8)
            for (int i = 0; i < 6; i++) p += emit(p, "d9e8");
        if (depth >= 2) p += emit(p, "db6f10");   /* fld tword [rdi+16] */
        if (depth >= 1) p += emit(p, "db6f20");   /* fld tword [rdi+32] */
        p += emit(p, "ffb790000000"); /* push qword [rdi+144] */
        p += emit(p, "9d");         /* popfq */
        p += hexbytes(op->hex, p);
        p += emit(p, "dd7f02");     /* fnstsw [rdi+2] */
        p += emit(p, "9c");         /* pushfq */
        p += emit(p, "8f4708");     /* pop qword [rdi+8] */
        if (op->flags & F_UNMASK) {
            p += emit(p, "ddb700010000"); /* fnsave [rdi+256] (also FNINIT) */
            *p++ = 0xc3;
            return (int)(p - code);
        }
        p += emit(p, "d97770");     /* fnstenv [rdi+112] */
        p += emit(p, "db7f40");     /* fstp tword [rdi+64] */
        p += emit(p, "db7f50");     /* fstp tword [rdi+80] */
        p += emit(p, "dd7f04");     /* fnstsw [rdi+4] */
        p += emit(p, "dbe3");       /* fninit */
    }
    *p++ = 0xc3;
    return (int)(p - code);
}

static void put80(uint8_t *m, f80 v) { memcpy(m, &v.sig, 8); memcpy(m + 8, &v.se, 2); }
static f80 get80(const uint8_t *m) { f80 v; memcpy(&v.sig, m, 8); memcpy(&v.se, m + 8, 2); return v; }
static void hex(const uint8_t *m, int n) { for (int i = n - 1; i >= 0; i--) printf("%02x", m[i]); }
static void p80(const char *k, const uint8_t *m) { f80 v = get80(m); printf(" %s=%04x:%016llx", k, v.se, (unsigned long long)v.sig); }

int main(int argc, char **argv) {
    rng = argc > 1 ? strtoull(argv[1], 0, 0) : 1;
    code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) { perror("mmap"); return 1; }
    char vendor[13] = {0};
    unsigned a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0));
    memcpy(vendor, &b, 4); memcpy(vendor + 4, &d, 4); memcpy(vendor + 8, &c, 4);
    printf("# x87/MMX vectors from the host CPU (vendor %s), x87-oracle seed %llu.\n", vendor,
           (unsigned long long)(argc > 1 ? strtoull(argv[1], 0, 0) : 1));
    printf("# Regenerate: emulator-core/src/test/scripts/gen-x87-vectors.sh (program layout: x87-oracle.c).\n");
    printf("# name|bytes|inputs: cw depth a=ST(1) b=ST(0) (sign-exponent:significand) m=memory f=rflags|"
           "outputs: sw after, fl rflags, tw tag word, r0/r1 ST(0)/ST(1) stored, sw2 final sw, m memory|compare mask\n");
    static const uint16_t PC[] = {0x000, 0x200, 0x300};
    for (size_t o = 0; o < sizeof OPS / sizeof OPS[0]; o++) {
        const Op *op = &OPS[o];
        int usesMem = op->mem != M_NONE || strstr(op->name, "_m") != 0 || strcmp(op->name, "fbstp") == 0;
        int count = (op->count + 1) / 2;
        for (int n = 0; n < count; n++) {
            memset(data, 0, sizeof data);
            int depth = 2;
            if (!(op->flags & (F_MMX | F_SSE))) {
                int r = below(40);
                depth = r == 0 ? 0 : r == 1 ? 1 : r == 2 ? 8 : 2;
            }
            uint16_t cw = (uint16_t)(0x037f & ~0x0f00) | PC[below(3)] | (uint16_t)(below(4) << 10);
            if (below(3) == 0) cw = 0x037f;
            if (op->flags & F_UNMASK) {
                /* random exception masks, half of the time all unmasked */
                cw = (uint16_t)((cw & ~0x3f) | (below(2) ? 0 : below(64)));
            }
            uint64_t fl = 0x202 | (next64() & 0x8d5);
            f80 va, vb;
            if (op->flags & (F_MMX | F_SSE)) {
                mem_operand(M_MMX, data + 16);
                mem_operand(M_MMX, data + 32);
                mem_operand(M_MMX, data + 48);
                if (strstr(op->name, "psll") || strstr(op->name, "psrl") || strstr(op->name, "psra")) {
                    uint64_t cnt = (uint64_t)below(70);
                    if (below(4) == 0) cnt = next64();
                    memcpy(data + 32, &cnt, 8);
                }
            } else {
                vb = random80(op->flags);
                va = related80(vb, op->flags);
                if (op->flags & F_PREM) {
                    if (below(3) == 0) { /* large exponent differences: partial remainders */
                        vb.se = (uint16_t)((vb.se & 0x8000) | (0x3fff + below(400)));
                        vb.sig |= 0x8000000000000000ULL;
                        va.se = (uint16_t)((va.se & 0x8000) | (0x3fff - below(20)));
                        va.sig |= 0x8000000000000000ULL;
                    }
                }
                if (strcmp(op->name, "fpatan") == 0 || strcmp(op->name, "fyl2x") == 0) {
                    if (below(2)) { va = random80(F_SMALL); vb = random80(F_SMALL); }
                    if (strcmp(op->name, "fyl2x") == 0 && below(2)) vb.se &= 0x7fff;
                }
                if (strcmp(op->name, "fyl2xp1") == 0 || strcmp(op->name, "f2xm1") == 0) {
                    /* x is ST(0) (value B), in the SDM's domain; y is ST(1) */
                    vb = random80(F_UNIT);
                    va = random80(F_SMALL);
                }
                put80(data + 16, va);
                put80(data + 32, vb);
                mem_operand(op->mem == M_NONE ? M_F80 : op->mem, data + 48);
                memcpy(data + 0, &cw, 2);
                memcpy(data + 144, &fl, 8);
            }
            uint8_t in[512];
            memcpy(in, data, sizeof in);
            build(op, depth);
            ((void (*)(void *))code)(data);
            /* output */
            printf("%s|%s|", op->name, op->hex);
            if (op->flags & F_SSE) {
                printf("x0=");
                hex(in + 16, 16);
                printf(" x1=");
                hex(in + 32, 16);
                printf("|x0=");
                hex(data + 160, 16);
                printf(" x1=");
                hex(data + 176, 16);
                printf("|\n");
                continue;
            }
            if (op->flags & F_MMX) {
                printf("mm0=%016llx mm1=%016llx m=", *(unsigned long long *)(in + 16), *(unsigned long long *)(in + 32));
                hex(in + 48, 16);
                printf("|mm0=%016llx mm1=%016llx tw=%04x sw=%04x m=", *(unsigned long long *)(data + 96),
                       *(unsigned long long *)(data + 104), *(uint16_t *)(data + 120), *(uint16_t *)(data + 116));
                hex(data + 48, 16);
                printf("|\n");
                continue;
            }
            if (op->flags & F_UNMASK) {
                const uint8_t *sv = data + 256;
                printf("cw=%04x d=%d", cw, depth);
                p80("a", in + 16);
                p80("b", in + 32);
                if (usesMem) {
                    printf(" m=");
                    hex(in + 48, 10);
                }
                printf(" f=%llx|", (unsigned long long)fl);
                uint16_t fsw = *(const uint16_t *)(sv + 4), ftw = *(const uint16_t *)(sv + 8);
                printf("sw=%04x fl=%llx fcw=%04x fsw=%04x ftw=%04x fop=%03x", *(uint16_t *)(data + 2),
                       (unsigned long long)(*(uint64_t *)(data + 8) & 0x8d5), *(const uint16_t *)sv, fsw, ftw,
                       (*(const uint32_t *)(sv + 16) >> 16) & 0x7ff);
                int top = (fsw >> 11) & 7;
                for (int i = 0; i < 8; i++) {
                    if (((ftw >> (2 * ((top + i) & 7))) & 3) != 3) {
                        char k[4] = {'s', (char)('0' + i), 0};
                        p80(k, sv + 28 + 10 * i);
                    }
                }
                if (usesMem) {
                    printf(" m=");
                    hex(data + 48, 10);
                }
                printf("|");
                unsigned um = 0;
                if (op->flags & F_CC) um |= 0x4500;
                if (op->flags & F_C1) um |= 0x0200;
                if (op->flags & F_PE) um |= 0x0020;
                if (depth == 0 && strcmp(op->name, "u_fxam") == 0) um |= 0x0200;
                if (um) printf("sw=%04x", um);
                if (op->flags & F_TRANS) printf(" ulp=1");
                printf("\n");
                continue;
            }
            printf("cw=%04x d=%d", cw, depth);
            p80("a", in + 16);
            p80("b", in + 32);
            if (usesMem) {
                printf(" m=");
                hex(in + 48, 10);
            }
            printf(" f=%llx|", (unsigned long long)fl);
            printf("sw=%04x fl=%llx tw=%04x", *(uint16_t *)(data + 2), (unsigned long long)(*(uint64_t *)(data + 8) & 0x8d5),
                   *(uint16_t *)(data + 120));
            p80("r0", data + 64);
            p80("r1", data + 80);
            printf(" sw2=%04x", *(uint16_t *)(data + 4));
            if (usesMem) {
                printf(" m=");
                hex(data + 48, 10);
            }
            printf("|");
            unsigned swmask = 0;
            if (op->flags & F_CC) swmask |= 0x4500;
            if (op->flags & F_C1) swmask |= 0x0200;
            if (op->flags & F_PE) swmask |= 0x0020;
            /* FXAM of an empty register: C1 is the sign of the stale register contents */
            if (depth == 0 && strcmp(op->name, "fxam") == 0) swmask |= 0x0200;
            if (swmask) printf("sw=%04x", swmask);
            if (op->flags & F_TRANS) printf(" ulp=1");
            printf("\n");
        }
    }
    return 0;
}
