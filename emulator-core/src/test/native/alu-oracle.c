/*
 * alu-oracle: executes real integer instructions on the host CPU and prints test vectors for
 * dev.vmx4j.core.cpu.alu (see src/test/scripts/gen-alu-vectors.sh and docs/FLAGS.md).
 *
 * Build 64-bit for everything but BCD, and with -m32 for the BCD family (DAA, DAS, AAA, AAS,
 * AAM, AAD are invalid in 64-bit mode). Usage: alu-oracle FAMILY, FAMILY one of
 * arith shift muldiv bits bmi (64-bit build) or bcd (32-bit build).
 *
 * Line format (one vector per line, '#' lines are comments):
 *   OP SIZE a=0x.. b=0x.. [c=0x..] flags_in=0x.. -> r=0x.. [high=0x..] flags=0x.. undef=0x.. [rundef]
 *   OP SIZE a=.. b=.. [c=..] flags_in=.. -> #DE
 * Inputs per family are described in the Java reader (AluVectorTest). undef is the mask of
 * flags the SDM calls undefined for this instruction and case; rundef marks a result the SDM
 * leaves undefined. Only the six arithmetic flags are printed.
 *
 * Deterministic: operands come from a fixed-seed splitmix64 generator.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define F_CF 0x1ULL
#define F_PF 0x4ULL
#define F_AF 0x10ULL
#define F_ZF 0x40ULL
#define F_SF 0x80ULL
#define F_OF 0x800ULL
#define F_ALL (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

static u64 rng_state = 0x5eed0a1u;

static u64 rnd(void) {
    u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static u64 size_mask(int size) { return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1; }

/* Input flag images cycled through the vectors: none, CF, AF, CF|AF, OF, all six, random. */
static u64 flags_in(unsigned i) {
    static const u64 fixed[] = {0, F_CF, F_AF, F_CF | F_AF, F_OF, F_ALL};
    unsigned k = i % 7;
    return k < 6 ? fixed[k] : rnd() & F_ALL;
}

/* Edge values at a size: zero, one, nibble and sign boundaries, all ones, patterns. */
__attribute__((unused)) static int edges(int size, u64 *out) {
    u64 m = size_mask(size);
    u64 smin = 1ULL << (size * 8 - 1);
    u64 v[] = {0, 1, 2, 0xF, 0x10, smin - 1, smin, smin + 1, m, m - 1,
               0x5555555555555555ULL, 0xAAAAAAAAAAAAAAAAULL, 0x99, 0x7E};
    int n = (int) (sizeof v / sizeof v[0]);
    for (int i = 0; i < n; i++) out[i] = v[i] & m;
    return n;
}

/* A random operand: full width, small, or near a sign boundary. */
__attribute__((unused)) static u64 rand_operand(int size) {
    u64 m = size_mask(size);
    u64 r = rnd();
    switch (rnd() % 4) {
        case 0: return r & 0xFF & m;
        case 1: return ((1ULL << (size * 8 - 1)) + (r & 0xF) - 8) & m;
        default: return r & m;
    }
}

#ifdef __x86_64__

/* ------------------------------------------------------------------ 64-bit instruction stubs */

typedef int (*insn_fn)(u64 a, u64 b, u64 c, u64 *fl, u64 *r, u64 *h);

#define PRE "push %[fl]\n\tpopfq\n\t"
#define POST "\n\tpushfq\n\tpop %[fl]"

/* dst = dst OP src */
#define BIN(NAME, INS, T)                                                                    \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T x = (T) a, y = (T) b; u64 fl = *f; (void) c; (void) h;                           \
        __asm__ volatile(PRE INS " %[y], %[x]" POST : [x] "+q"(x), [fl] "+r"(fl)          \
                         : [y] "q"(y) : "cc");                                              \
        *f = fl; *r = x; return 0;                                                          \
    }
#define BIN4(INS) BIN(INS##_1, #INS, u8) BIN(INS##_2, #INS, u16) BIN(INS##_4, #INS, u32) BIN(INS##_8, #INS, u64)
#define BIN3(INS) BIN(INS##_2, #INS, u16) BIN(INS##_4, #INS, u32) BIN(INS##_8, #INS, u64)
#define BIN2(INS) BIN(INS##_4, #INS, u32) BIN(INS##_8, #INS, u64)

/* dst = OP dst */
#define UN(NAME, INS, T)                                                                     \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T x = (T) a; u64 fl = *f; (void) b; (void) c; (void) h;                             \
        __asm__ volatile(PRE INS " %[x]" POST : [x] "+q"(x), [fl] "+r"(fl) : : "cc");     \
        *f = fl; *r = x; return 0;                                                          \
    }
#define UN4(INS) UN(INS##_1, #INS, u8) UN(INS##_2, #INS, u16) UN(INS##_4, #INS, u32) UN(INS##_8, #INS, u64)

/* dst = OP src (dst preset to b's "old destination" c) */
#define SRC(NAME, INS, T)                                                                    \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T x = (T) b, y = (T) a; u64 fl = *f; (void) c; (void) h;                           \
        __asm__ volatile(PRE INS " %[y], %[x]" POST : [x] "+r"(x), [fl] "+r"(fl)          \
                         : [y] "r"(y) : "cc");                                              \
        *f = fl; *r = x; return 0;                                                          \
    }
#define SRC3(INS) SRC(INS##_2, #INS, u16) SRC(INS##_4, #INS, u32) SRC(INS##_8, #INS, u64)
#define SRC2(INS) SRC(INS##_4, #INS, u32) SRC(INS##_8, #INS, u64)

/* dst = a OP(count in CL) */
#define SH(NAME, INS, T)                                                                     \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T x = (T) a; u8 n = (u8) b; u64 fl = *f; (void) c; (void) h;                       \
        __asm__ volatile(PRE INS " %%cl, %[x]" POST : [x] "+q"(x), [fl] "+r"(fl)          \
                         : "c"(n) : "cc");                                                  \
        *f = fl; *r = x; return 0;                                                          \
    }
#define SH4(INS) SH(INS##_1, #INS, u8) SH(INS##_2, #INS, u16) SH(INS##_4, #INS, u32) SH(INS##_8, #INS, u64)

/* dst = SHxD(dst a, src b, count c in CL) */
#define SHD(NAME, INS, T)                                                                    \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T x = (T) a, y = (T) b; u8 n = (u8) c; u64 fl = *f; (void) h;                      \
        __asm__ volatile(PRE INS " %%cl, %[y], %[x]" POST : [x] "+r"(x), [fl] "+r"(fl)    \
                         : [y] "r"(y), "c"(n) : "cc");                                      \
        *f = fl; *r = x; return 0;                                                          \
    }
#define SHD3(INS) SHD(INS##_2, #INS, u16) SHD(INS##_4, #INS, u32) SHD(INS##_8, #INS, u64)

/* VEX three-operand: dst = OP(a, b), AT&T "ins b, a, dst" (b is the VEX.vvvv/ModRM.rm per insn) */
#define V3(NAME, INS, T)                                                                     \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T x, y = (T) a, z = (T) b; u64 fl = *f; (void) c; (void) h;                        \
        __asm__ volatile(PRE INS " %[z], %[y], %[x]" POST : [x] "=&r"(x), [fl] "+r"(fl)   \
                         : [y] "r"(y), [z] "r"(z) : "cc");                                  \
        *f = fl; *r = x; return 0;                                                          \
    }
#define V3_2(INS) V3(INS##_4, #INS, u32) V3(INS##_8, #INS, u64)

/* one-operand multiply: rDX:rAX = rAX * b */
#define MUL1(NAME, INS, T)                                                                   \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T lo = (T) a, hi, y = (T) b; u64 fl = *f; (void) c;                                \
        __asm__ volatile(PRE INS " %[y]" POST : "+a"(lo), "=d"(hi), [fl] "+r"(fl)         \
                         : [y] "r"(y) : "cc");                                              \
        *f = fl; *r = lo; *h = hi; return 0;                                                \
    }
#define MUL8(NAME, INS)                                                                      \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        u16 ax = (u8) a; u8 y = (u8) b; u64 fl = *f; (void) c;                             \
        __asm__ volatile(PRE INS " %[y]" POST : "+a"(ax), [fl] "+r"(fl) : [y] "q"(y) : "cc"); \
        *f = fl; *r = ax & 0xFF; *h = ax >> 8; return 0;                                    \
    }

static sigjmp_buf de_jump;
static void on_sigfpe(int sig) { (void) sig; siglongjmp(de_jump, 1); }

/* divide: (c:a) / b -> quotient r, remainder h; #DE caught */
#define DIV1(NAME, INS, T)                                                                   \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        volatile T lo = (T) a, hi = (T) c; T y = (T) b; u64 fl = *f;                       \
        if (sigsetjmp(de_jump, 1)) return 1;                                                \
        T l = lo, d = hi;                                                                   \
        __asm__ volatile(PRE INS " %[y]" POST : "+a"(l), "+d"(d), [fl] "+r"(fl)           \
                         : [y] "r"(y) : "cc");                                              \
        *f = fl; *r = l; *h = d; return 0;                                                  \
    }
#define DIV8(NAME, INS)                                                                      \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        volatile u16 ax0 = (u16) (((c & 0xFF) << 8) | (a & 0xFF)); u8 y = (u8) b;          \
        u64 fl = *f;                                                                        \
        if (sigsetjmp(de_jump, 1)) return 1;                                                \
        u16 ax = ax0;                                                                       \
        __asm__ volatile(PRE INS " %[y]" POST : "+a"(ax), [fl] "+r"(fl) : [y] "q"(y) : "cc"); \
        *f = fl; *r = ax & 0xFF; *h = ax >> 8; return 0;                                    \
    }

/* MULX: hi:lo = rDX(a) * b, no flags */
#define MULX(NAME, T)                                                                        \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T d = (T) a, y = (T) b, lo, hi; u64 fl = *f; (void) c;                             \
        __asm__ volatile(PRE "mulx %[y], %[lo], %[hi]" POST                                 \
                         : [lo] "=&r"(lo), [hi] "=&r"(hi), [fl] "+r"(fl)                    \
                         : "d"(d), [y] "r"(y) : "cc");                                      \
        *f = fl; *r = lo; *h = hi; return 0;                                                \
    }

BIN4(add) BIN4(adc) BIN4(sub) BIN4(sbb) BIN4(cmp) BIN4(and) BIN4(or) BIN4(xor) BIN4(test)
UN4(inc) UN4(dec) UN4(neg) UN4(not)
SH4(shl) SH4(shr) SH4(sar) SH4(rol) SH4(ror) SH4(rcl) SH4(rcr)
SHD3(shld) SHD3(shrd)
MUL8(mul_1, "mul") MUL1(mul_2, "mul", u16) MUL1(mul_4, "mul", u32) MUL1(mul_8, "mul", u64)
MUL8(imul_1, "imul") MUL1(imul_2, "imul", u16) MUL1(imul_4, "imul", u32) MUL1(imul_8, "imul", u64)
BIN(imul2_2, "imul", u16) BIN(imul2_4, "imul", u32) BIN(imul2_8, "imul", u64)
DIV8(div_1, "div") DIV1(div_2, "div", u16) DIV1(div_4, "div", u32) DIV1(div_8, "div", u64)
DIV8(idiv_1, "idiv") DIV1(idiv_2, "idiv", u16) DIV1(idiv_4, "idiv", u32) DIV1(idiv_8, "idiv", u64)
BIN3(bt) BIN3(bts) BIN3(btr) BIN3(btc)
SRC3(bsf) SRC3(bsr) SRC3(popcnt) SRC3(lzcnt) SRC3(tzcnt)
V3_2(andn) V3_2(pdep) V3_2(pext)
SRC2(blsi) SRC2(blsmsk) SRC2(blsr)
BIN2(adcx) BIN2(adox)
MULX(mulx_4, u32) MULX(mulx_8, u64)

/* BEXTR/BZHI/SARX/SHLX/SHRX: Intel "OP dst, r/m(src), vvvv(ctl)", AT&T "OP ctl, src, dst" */
#define V3R(NAME, INS, T)                                                                    \
    static int NAME(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) {                         \
        T x, y = (T) a, z = (T) b; u64 fl = *f; (void) c; (void) h;                        \
        __asm__ volatile(PRE INS " %[z], %[y], %[x]" POST : [x] "=&r"(x), [fl] "+r"(fl)   \
                         : [y] "r"(y), [z] "r"(z) : "cc");                                  \
        *f = fl; *r = x; return 0;                                                          \
    }
V3R(bextr_4, "bextr", u32) V3R(bextr_8, "bextr", u64)
V3R(bzhi_4, "bzhi", u32) V3R(bzhi_8, "bzhi", u64)
V3R(sarx_4, "sarx", u32) V3R(sarx_8, "sarx", u64)
V3R(shlx_4, "shlx", u32) V3R(shlx_8, "shlx", u64)
V3R(shrx_4, "shrx", u32) V3R(shrx_8, "shrx", u64)

/* RORX needs an immediate: one stub per count. */
#define RORX_CASE(N)                                                                         \
    case N:                                                                                 \
        if (size == 4) {                                                                    \
            u32 x, y = (u32) a;                                                              \
            __asm__ volatile(PRE "rorx $" #N ", %[y], %[x]" POST : [x] "=&r"(x), [fl] "+r"(fl) \
                             : [y] "r"(y) : "cc");                                          \
            *r = x;                                                                         \
        } else {                                                                            \
            u64 x, y = a;                                                                   \
            __asm__ volatile(PRE "rorx $" #N ", %[y], %[x]" POST : [x] "=&r"(x), [fl] "+r"(fl) \
                             : [y] "r"(y) : "cc");                                          \
            *r = x;                                                                         \
        }                                                                                   \
        break;
#define R8(B) RORX_CASE(B + 0) RORX_CASE(B + 1) RORX_CASE(B + 2) RORX_CASE(B + 3) \
              RORX_CASE(B + 4) RORX_CASE(B + 5) RORX_CASE(B + 6) RORX_CASE(B + 7)
static int rorx_any(int size, u64 a, u64 b, u64 *f, u64 *r) {
    u64 fl = *f;
    switch ((int) b) {
        R8(0) R8(8) R8(16) R8(24) R8(32) R8(40) R8(48) R8(56)
        default: abort();
    }
    *f = fl;
    return 0;
}
static int rorx_4(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) { (void) c; (void) h; return rorx_any(4, a, b, f, r); }
static int rorx_8(u64 a, u64 b, u64 c, u64 *f, u64 *r, u64 *h) { (void) c; (void) h; return rorx_any(8, a, b, f, r); }

/* ------------------------------------------------------------------ undefined-flag masks (SDM) */

static u64 count_mask(int size) { return size == 8 ? 0x3F : 0x1F; }

static u64 undef_shift(const char *op, int size, u64 count) {
    u64 m = count & count_mask(size);
    if (m == 0) return 0;
    int rot = op[0] == 'r';
    if (rot) return m == 1 ? 0 : F_OF;                /* RCL/RCR/ROL/ROR */
    u64 u = F_AF | (m != 1 ? F_OF : 0);
    if (strcmp(op, "sar") != 0 && m >= (u64) size * 8) u |= F_CF;
    return u;
}

/* ------------------------------------------------------------------ printing */

static void emit(const char *op, int size, insn_fn fn, u64 a, u64 b, u64 c, int has_c, u64 fin,
                 u64 undef, int has_r, int has_high, int rundef) {
    u64 fl = fin | 0x2, r = 0, h = 0;
    int de = fn(a, b, c, &fl, &r, &h);
    printf("%s %d a=0x%llx b=0x%llx", op, size, (unsigned long long) a, (unsigned long long) b);
    if (has_c) printf(" c=0x%llx", (unsigned long long) c);
    printf(" flags_in=0x%llx ->", (unsigned long long) fin);
    if (de) {
        printf(" #DE\n");
        return;
    }
    if (has_r) printf(" r=0x%llx", (unsigned long long) r);
    if (has_high) printf(" high=0x%llx", (unsigned long long) h);
    printf(" flags=0x%llx undef=0x%llx%s\n", (unsigned long long) (fl & F_ALL),
           (unsigned long long) undef, rundef ? " rundef" : "");
}

struct entry { const char *op; insn_fn fn[9]; };

#define E4(OP) {#OP, {0, OP##_1, OP##_2, 0, OP##_4, 0, 0, 0, OP##_8}}
#define E3(OP) {#OP, {0, 0, OP##_2, 0, OP##_4, 0, 0, 0, OP##_8}}
#define E2(OP) {#OP, {0, 0, 0, 0, OP##_4, 0, 0, 0, OP##_8}}

/* Binary ops: all pairs of edge values plus random pairs, flags_in cycling. */
static void gen_binary(const struct entry *e, u64 undef, int has_r, int nrand) {
    for (int size = 1; size <= 8; size *= 2) {
        insn_fn fn = e->fn[size];
        if (!fn) continue;
        u64 ev[16];
        int n = edges(size, ev);
        unsigned k = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++, k++)
                emit(e->op, size, fn, ev[i], ev[j], 0, 0, flags_in(k), undef, has_r, 0, 0);
        for (int i = 0; i < nrand; i++, k++)
            emit(e->op, size, fn, rand_operand(size), rand_operand(size), 0, 0, flags_in(k), undef,
                 has_r, 0, 0);
    }
}

/* Unary ops (a is the operand; for SRC-style ops a is the source, b the old destination). */
static void gen_unary(const struct entry *e, u64 undef, int nrand) {
    for (int size = 1; size <= 8; size *= 2) {
        insn_fn fn = e->fn[size];
        if (!fn) continue;
        u64 ev[16];
        int n = edges(size, ev);
        unsigned k = 0;
        for (int i = 0; i < n; i++)
            for (int t = 0; t < 3; t++, k++)
                emit(e->op, size, fn, ev[i], rand_operand(size), 0, 0, flags_in(k), undef, 1, 0, 0);
        for (int i = 0; i < nrand; i++, k++) {
            u64 v = rand_operand(size);
            if (i % 4 == 0) v &= v >> (rnd() % (size * 8)); /* sparse bits for scans/counts */
            emit(e->op, size, fn, v, rand_operand(size), 0, 0, flags_in(k), undef, 1, 0, 0);
        }
    }
}

static void gen_arith(void) {
    static const struct entry bins[] = {E4(add), E4(adc), E4(sub), E4(sbb), E4(and), E4(or), E4(xor)};
    for (unsigned i = 0; i < sizeof bins / sizeof bins[0]; i++) {
        int logic = bins[i].op[0] == 'a' && bins[i].op[1] == 'n';
        logic |= strcmp(bins[i].op, "or") == 0 || strcmp(bins[i].op, "xor") == 0;
        gen_binary(&bins[i], logic ? F_AF : 0, 1, 30);
    }
    static const struct entry cmp = E4(cmp), test = E4(test);
    gen_binary(&cmp, 0, 0, 30);
    gen_binary(&test, F_AF, 0, 30);
    static const struct entry uns[] = {E4(inc), E4(dec), E4(neg), E4(not)};
    for (unsigned i = 0; i < sizeof uns / sizeof uns[0]; i++) gen_unary(&uns[i], 0, 40);
}

static void gen_shift(void) {
    static const struct entry sh[] = {E4(shl), E4(shr), E4(sar), E4(rol), E4(ror), E4(rcl), E4(rcr)};
    for (unsigned i = 0; i < sizeof sh / sizeof sh[0]; i++) {
        for (int size = 1; size <= 8; size *= 2) {
            u64 m = size_mask(size), smin = 1ULL << (size * 8 - 1);
            u64 vals[] = {smin | 1, m, 0x5555555555555555ULL & m, rnd() & m};
            unsigned k = 0;
            for (unsigned v = 0; v < sizeof vals / sizeof vals[0]; v++)
                for (u64 cnt = 0; cnt <= 70; cnt++, k++)
                    emit(sh[i].op, size, sh[i].fn[size], vals[v], cnt, 0, 0, flags_in(k),
                         undef_shift(sh[i].op, size, cnt), 1, 0, 0);
        }
    }
    static const struct entry shd[] = {E3(shld), E3(shrd)};
    for (unsigned i = 0; i < 2; i++) {
        for (int size = 2; size <= 8; size *= 2) {
            u64 m = size_mask(size);
            unsigned k = 0;
            for (int v = 0; v < 3; v++) {
                u64 a = v == 0 ? (0x8001ULL & m) | (1ULL << (size * 8 - 1)) : rnd() & m;
                u64 b = v == 0 ? 0x5555555555555555ULL & m : rnd() & m;
                for (u64 cnt = 0; cnt <= 70; cnt++, k++) {
                    u64 mc = cnt & count_mask(size);
                    u64 u = mc == 0 ? 0 : mc > (u64) size * 8 ? F_ALL : F_AF | (mc != 1 ? F_OF : 0);
                    emit(shd[i].op, size, shd[i].fn[size], a, b, cnt, 1, flags_in(k), u, 1, 0,
                         mc > (u64) size * 8);
                }
            }
        }
    }
}

static void gen_muldiv(void) {
    static const struct entry mul = E4(mul), imul1 = E4(imul);
    const struct entry *ms[] = {&mul, &imul1};
    for (int t = 0; t < 2; t++) {
        for (int size = 1; size <= 8; size *= 2) {
            u64 ev[16];
            int n = edges(size, ev);
            unsigned k = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++, k++)
                    emit(ms[t]->op, size, ms[t]->fn[size], ev[i], ev[j], 0, 0, flags_in(k),
                         F_SF | F_ZF | F_AF | F_PF, 1, 1, 0);
            for (int i = 0; i < 40; i++, k++)
                emit(ms[t]->op, size, ms[t]->fn[size], rand_operand(size), rand_operand(size), 0, 0,
                     flags_in(k), F_SF | F_ZF | F_AF | F_PF, 1, 1, 0);
        }
    }
    static const struct entry imul2 = E3(imul2);
    gen_binary(&imul2, F_SF | F_ZF | F_AF | F_PF, 1, 60);

    static const struct entry dv = E4(div), idv = E4(idiv);
    const struct entry *ds[] = {&dv, &idv};
    for (int t = 0; t < 2; t++) {
        for (int size = 1; size <= 8; size *= 2) {
            u64 m = size_mask(size), smin = 1ULL << (size * 8 - 1);
            unsigned k = 0;
            /* edge cases: zero divisor, quotient overflow, signed boundaries */
            u64 cases[][3] = {
                {5, 0, 0}, {0, 0, 0}, {m, 1, m}, {0, 1, 1}, {m, m, m - 1}, {0, 2, 1},
                {0, m, smin}, {smin, 1, smin - 1}, {0, m, smin - 1}, {1, m, m},
                {0, 2, smin - 1}, {0, 2, smin}, {smin, m, m}, {smin - 1, 2, 0}, {7, 3, 0},
                {m - 6, 3, m}, {7, m - 2, 0}, {m - 6, m - 2, m}, {0, smin, 0}, {0, smin, m},
            };
            for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++, k++)
                emit(ds[t]->op, size, ds[t]->fn[size], cases[i][0] & m, cases[i][1] & m,
                     cases[i][2] & m, 1, flags_in(k), F_ALL, 1, 1, 0);
            for (int i = 0; i < 70; i++, k++) {
                u64 d = rand_operand(size);
                if (i % 5 == 0) d &= 0xFF;
                u64 lo = rnd() & m;
                u64 hi;
                if (t == 0) {
                    hi = d == 0 ? 0 : (rnd() & m) % d; /* mostly valid */
                    if (i % 7 == 0) hi = rnd() & m;    /* mostly overflow */
                } else {
                    hi = (lo & smin) ? m : 0;           /* sign-extended dividend */
                    if (i % 7 == 0) hi = rnd() & m;
                }
                emit(ds[t]->op, size, ds[t]->fn[size], lo, d, hi, 1, flags_in(k), F_ALL, 1, 1, 0);
            }
        }
    }
}

static void gen_bits(void) {
    static const struct entry bts[] = {E3(bt), E3(bts), E3(btr), E3(btc)};
    for (unsigned i = 0; i < 4; i++) {
        int has_r = strcmp(bts[i].op, "bt") != 0;
        for (int size = 2; size <= 8; size *= 2) {
            u64 m = size_mask(size);
            unsigned k = 0;
            u64 vals[] = {0, m, 0x5555555555555555ULL & m, rnd() & m};
            for (int v = 0; v < 4; v++)
                for (u64 idx = 0; idx < 70; idx += 1 + (idx % 3), k++)
                    emit(bts[i].op, size, bts[i].fn[size], vals[v], idx, 0, 0, flags_in(k),
                         F_OF | F_SF | F_AF | F_PF, has_r, 0, 0);
        }
    }
    static const struct entry sc[] = {E3(bsf), E3(bsr)};
    for (unsigned i = 0; i < 2; i++) gen_unary(&sc[i], F_CF | F_OF | F_SF | F_AF | F_PF, 40);
    static const struct entry pc = E3(popcnt), lz = E3(lzcnt), tz = E3(tzcnt);
    gen_unary(&pc, 0, 40);
    gen_unary(&lz, F_OF | F_SF | F_PF | F_AF, 40);
    gen_unary(&tz, F_OF | F_SF | F_PF | F_AF, 40);
}

static void gen_bmi(void) {
    static const struct entry an = E2(andn);
    gen_binary(&an, F_AF | F_PF, 1, 60);
    static const struct entry bl[] = {E2(blsi), E2(blsmsk), E2(blsr)};
    for (unsigned i = 0; i < 3; i++) gen_unary(&bl[i], F_AF | F_PF, 40);
    /* BEXTR: control = start | len << 8 over a grid; BZHI: index 0..70 and a few high bytes */
    static const struct entry bx = E2(bextr), bz = E2(bzhi);
    for (int size = 4; size <= 8; size *= 2) {
        unsigned k = 0;
        for (int v = 0; v < 2; v++) {
            u64 src = v == 0 ? size_mask(size) : rnd() & size_mask(size);
            for (unsigned start = 0; start <= 70; start += 7)
                for (unsigned len = 0; len <= 70; len += 9, k++)
                    emit("bextr", size, bx.fn[size], src, start | len << 8 | (rnd() & 0xFFFF0000u), 0,
                         0, flags_in(k), F_AF | F_SF | F_PF, 1, 0, 0);
            for (unsigned idx = 0; idx <= 70; idx++, k++)
                emit("bzhi", size, bz.fn[size], src, idx | (idx % 5 == 0 ? 0x100 : 0), 0, 0,
                     flags_in(k), F_AF | F_PF, 1, 0, 0);
            emit("bzhi", size, bz.fn[size], src, 0xFF, 0, 0, F_ALL, F_AF | F_PF, 1, 0, 0);
        }
    }
    static const struct entry pd = E2(pdep), pe = E2(pext);
    gen_binary(&pd, 0, 1, 60);
    gen_binary(&pe, 0, 1, 60);
    static const struct entry mx = E2(mulx);
    for (int size = 4; size <= 8; size *= 2) {
        u64 ev[16];
        int n = edges(size, ev);
        unsigned k = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j += 3, k++)
                emit("mulx", size, mx.fn[size], ev[i], ev[j], 0, 0, flags_in(k), 0, 1, 1, 0);
        for (int i = 0; i < 40; i++, k++)
            emit("mulx", size, mx.fn[size], rand_operand(size), rand_operand(size), 0, 0, flags_in(k),
                 0, 1, 1, 0);
    }
    static const struct entry sx[] = {E2(rorx), E2(sarx), E2(shlx), E2(shrx)};
    for (unsigned i = 0; i < 4; i++) {
        for (int size = 4; size <= 8; size *= 2) {
            u64 m = size_mask(size);
            unsigned k = 0;
            for (int v = 0; v < 2; v++) {
                u64 a = v == 0 ? ((1ULL << (size * 8 - 1)) | 0x81) & m : rnd() & m;
                int limit = i == 0 ? (size * 8 - 1) : 70;
                for (int cnt = 0; cnt <= limit; cnt++, k++)
                    emit(sx[i].op, size, sx[i].fn[size], a, (u64) cnt, 0, 0, flags_in(k), 0, 1, 0, 0);
            }
        }
    }
    static const struct entry ad[] = {E2(adcx), E2(adox)};
    for (unsigned i = 0; i < 2; i++) gen_binary(&ad[i], 0, 1, 60);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s arith|shift|muldiv|bits|bmi\n", argv[0]);
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigfpe;
    sigaction(SIGFPE, &sa, 0);
    printf("# host-CPU vectors (alu-oracle.c, 64-bit mode), family %s\n", argv[1]);
    if (!strcmp(argv[1], "arith")) gen_arith();
    else if (!strcmp(argv[1], "shift")) gen_shift();
    else if (!strcmp(argv[1], "muldiv")) gen_muldiv();
    else if (!strcmp(argv[1], "bits")) gen_bits();
    else if (!strcmp(argv[1], "bmi")) gen_bmi();
    else {
        fprintf(stderr, "unknown family %s\n", argv[1]);
        return 2;
    }
    return 0;
}

#else /* 32-bit build: the BCD family */

static sigjmp_buf de_jump;
static void on_sigfpe(int sig) { (void) sig; siglongjmp(de_jump, 1); }

#define PRE32 "push %[fl]\n\tpopfl\n\t"
#define POST32 "\n\tpushfl\n\tpop %[fl]"

static u32 run_bcd(int which, u32 ax, u32 *fl) {
    u32 f = *fl;
    switch (which) {
        case 0: __asm__ volatile(PRE32 "daa" POST32 : "+a"(ax), [fl] "+r"(f) : : "cc"); break;
        case 1: __asm__ volatile(PRE32 "das" POST32 : "+a"(ax), [fl] "+r"(f) : : "cc"); break;
        case 2: __asm__ volatile(PRE32 "aaa" POST32 : "+a"(ax), [fl] "+r"(f) : : "cc"); break;
        case 3: __asm__ volatile(PRE32 "aas" POST32 : "+a"(ax), [fl] "+r"(f) : : "cc"); break;
        default: abort();
    }
    *fl = f;
    return ax;
}

#define IMM_CASE(INS, N) \
    case N: __asm__ volatile(PRE32 INS " $" #N POST32 : "+a"(ax), [fl] "+r"(f) : : "cc"); break;
#define IMMS(INS) IMM_CASE(INS, 0) IMM_CASE(INS, 1) IMM_CASE(INS, 7) IMM_CASE(INS, 10) \
                  IMM_CASE(INS, 16) IMM_CASE(INS, 255)

static volatile u32 saved_ax;
static int run_imm(int aad, int imm, u32 *axp, u32 *fl) {
    saved_ax = *axp;
    if (sigsetjmp(de_jump, 1)) return 1;
    u32 ax = saved_ax, f = *fl;
    if (aad) {
        switch (imm) { IMMS("aad") default: abort(); }
    } else {
        switch (imm) { IMMS("aam") default: abort(); }
    }
    *axp = ax;
    *fl = f;
    return 0;
}

static void line(const char *op, int size, u64 a, u64 b, int has_b, u64 fin, int de, u64 r, u64 fout, u64 undef) {
    printf("%s %d a=0x%llx", op, size, (unsigned long long) a);
    if (has_b) printf(" b=0x%llx", (unsigned long long) b);
    printf(" flags_in=0x%llx ->", (unsigned long long) fin);
    if (de) { printf(" #DE\n"); return; }
    printf(" r=0x%llx flags=0x%llx undef=0x%llx\n", (unsigned long long) r,
           (unsigned long long) (fout & F_ALL), (unsigned long long) undef);
}

int main(int argc, char **argv) {
    if (argc != 2 || strcmp(argv[1], "bcd")) {
        fprintf(stderr, "usage: %s bcd (32-bit build)\n", argv[0]);
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigfpe;
    sigaction(SIGFPE, &sa, 0);
    printf("# host-CPU vectors (alu-oracle.c, 32-bit protected mode), family bcd\n");
    static const char *names[] = {"daa", "das", "aaa", "aas"};
    static const u64 undefs[] = {F_OF, F_OF, F_OF | F_SF | F_ZF | F_PF, F_OF | F_SF | F_ZF | F_PF};
    for (int w = 0; w < 4; w++) {
        unsigned k = 0;
        for (u32 al = 0; al < 256; al++) {
            for (int fi = 0; fi < 4; fi++, k++) {
                u64 fin = (fi & 1 ? F_CF : 0) | (fi & 2 ? F_AF : 0);
                if (k % 3 == 0) fin |= rnd() & (F_OF | F_SF | F_ZF | F_PF);
                u32 ah = w < 2 ? 0 : (k % 5 == 0 ? 0xFF : (u32) (rnd() & 0xFF));
                u32 ax = ah << 8 | al;
                u32 f = (u32) fin | 2;
                u32 r = run_bcd(w, ax, &f);
                int size = w < 2 ? 1 : 2;
                u64 in = w < 2 ? al : ax;
                line(names[w], size, in, 0, 0, fin, 0, size == 1 ? (r & 0xFF) : (r & 0xFFFF), f, undefs[w]);
            }
        }
    }
    static const int imms[] = {10, 0, 1, 7, 16, 255};
    for (int w = 0; w < 2; w++) {
        unsigned k = 0;
        for (u32 al = 0; al < 256; al++) {
            for (unsigned i = 0; i < sizeof imms / sizeof imms[0]; i++, k++) {
                if (al % 4 != 0 && imms[i] != 10) continue;
                u32 ax = (u32) (rnd() & 0xFF00) | al;
                u64 fin = flags_in(k);
                u32 f = (u32) fin | 2;
                u32 r = ax;
                int de = run_imm(w, imms[i], &r, &f);
                line(w ? "aad" : "aam", 2, ax, (u64) imms[i], 1, fin, de, r & 0xFFFF, f,
                     F_OF | F_AF | F_CF);
            }
        }
    }
    return 0;
}

#endif
