/*
 * semantics-harness: runs single x86-64 instructions natively on the host CPU and reports the
 * resulting state. Used only by gen-semantics-vectors.py (through gen-semantics-vectors.sh) to
 * produce the committed semantics vectors; nothing at test time needs it.
 *
 * Fixed host addresses (identical to the guest addresses the Java runner uses):
 *   DATA_BASE   0x10000000, 64 KiB   data area: memory operands, stacks, string buffers
 *   CODE_BASE   0x10020000, 4 KiB    generated stub; the instruction under test at INSN_ADDR
 *   STATE_BASE  0x10030000, 4 KiB    register blocks read/written by the stub
 *
 * Protocol (all little-endian), stdin:
 *   u32 ncases; then per case:
 *     u8 len; u8 code[64] (one instruction, or a short sequence of them);
 *     u64 regs[16] (RAX..R15, SDM register numbers); u64 rflags;
 *     u64 target (a branch target in the code page, or 0; bit 63 set: run in 32-bit
 *     compatibility mode, see below);
 *     u32 nregions; per region: u32 offset (from DATA_BASE), u32 length, u8 bytes[length]
 * stdout, per case, two runs (background byte 0x00, then 0xFF outside the declared regions):
 *     u32 status (0, or the signal number if the instruction faulted); u64 regs[16]; u64 rflags;
 *     u64 rip (where execution continued: INSN_ADDR + len, or the branch target);
 *     u32 nchanged; per changed byte: u32 offset, u8 value
 *
 * The stub: saves the host's callee-saved registers and RSP, loads RFLAGS with PUSH [abs]/POPFQ,
 * loads all 16 GPRs with MOV r64,[abs] (RSP last) and jumps to INSN_ADDR. The instruction under
 * test is followed by a JMP to landing pad A; a branch target gets a JMP to landing pad B. Each
 * pad stores all 16 GPRs (MOV [abs],r64), the address it stands for (MOV [abs],imm32), RFLAGS
 * (PUSHFQ/POP [abs]), then CLD and the host-register restore. MOV, JMP and PUSH/POP do not
 * change the arithmetic flags.
 *
 * Compatibility mode (target bit 63; COMPAT_BASE page): the 64-bit prologue also loads DS/ES with
 * the 32-bit user data selector, sets RSP to a scratch stack and enters the 32-bit user code
 * segment with RETFQ; a 32-bit stub loads ESP and jumps to the instruction, which is followed by
 * a JMP to a 32-bit pad that stores EAX..EDI, EIP and EFLAGS and far-jumps back to 64-bit code
 * (a branch target gets a JMP to a second such pad).
 * The upper register halves and R8-R15 are not reported in this mode.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define DATA_BASE 0x10000000UL
#define DATA_SIZE 0x10000UL
#define CODE_BASE 0x10020000UL
#define INSN_ADDR 0x10020800UL
#define STATE_BASE 0x10030000UL
#define IN_REGS (STATE_BASE + 0x000)
#define IN_FLAGS (STATE_BASE + 0x080)
#define OUT_REGS (STATE_BASE + 0x100)
#define OUT_FLAGS (STATE_BASE + 0x180)
#define HOST_SAVE (STATE_BASE + 0x200)
#define OUT_RIP (STATE_BASE + 0x240)
#define PAD_A (CODE_BASE + 0xC00)
#define PAD_B (CODE_BASE + 0xE00)
#define BRANCH_AREA_LO (CODE_BASE + 0x100) /* the prologue ends below; pads start at 0xC00 */
#define BRANCH_AREA_HI (CODE_BASE + 0xC00)
#define COMPAT_BASE 0x10021000UL /* 64-bit entry; 32-bit stub at +0x100; 32-bit pad at +0x200 */
#define COMPAT_STUB32 (COMPAT_BASE + 0x100)
#define COMPAT_PAD32 (COMPAT_BASE + 0x200)
#define COMPAT_BACK64 (COMPAT_BASE + 0x300)
#define COMPAT_PAD32_B (COMPAT_BASE + 0x400)
#define COMPAT_FLAG (1UL << 63)
#define SCRATCH_STACK (STATE_BASE + 0xF00)
#define USER32_CS 0x23 /* Linux x86-64 GDT: __USER32_CS, __USER_DS, __USER_CS */
#define USER_DS 0x2B
#define USER64_CS 0x33

#define MAX_REGIONS 64

static const int callee_saved[] = {3, 5, 12, 13, 14, 15, 4}; /* rbx rbp r12 r13 r14 r15 rsp */
#define N_SAVED 7

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig, siginfo_t *info, void *ctx) {
    (void) info;
    (void) ctx;
    fault_sig = sig;
    siglongjmp(fault_jmp, 1);
}

static void *map_fixed(unsigned long addr, unsigned long size, int prot) {
    void *p = mmap((void *) addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || p != (void *) addr) {
        fprintf(stderr, "semantics-harness: cannot map 0x%lx (+0x%lx)\n", addr, size);
        exit(2);
    }
    return p;
}

/* MOV r64, [disp32] (load) or MOV [disp32], r64 (store), absolute addressing through SIB. */
static uint8_t *emit_mov_abs(uint8_t *p, int store, int reg, uint32_t addr) {
    *p++ = (uint8_t) (0x48 | (reg >= 8 ? 4 : 0));
    *p++ = store ? 0x89 : 0x8B;
    *p++ = (uint8_t) (((reg & 7) << 3) | 4);
    *p++ = 0x25;
    memcpy(p, &addr, 4);
    return p + 4;
}

static uint8_t *emit_abs_op(uint8_t *p, uint8_t opcode, int ext, uint32_t addr) {
    *p++ = opcode;
    *p++ = (uint8_t) ((ext << 3) | 4);
    *p++ = 0x25;
    memcpy(p, &addr, 4);
    return p + 4;
}

static void build_prologue(void) {
    uint8_t *p = (uint8_t *) CODE_BASE;
    memset(p, 0xCC, 0x1000);
    for (int i = 0; i < N_SAVED; i++) {
        p = emit_mov_abs(p, 1, callee_saved[i], (uint32_t) (HOST_SAVE + 8 * i));
    }
    p = emit_abs_op(p, 0xFF, 6, (uint32_t) IN_FLAGS); /* push qword [IN_FLAGS] */
    *p++ = 0x9D;                                      /* popfq */
    for (int r = 0; r < 16; r++) {
        if (r != 4) {
            p = emit_mov_abs(p, 0, r, (uint32_t) (IN_REGS + 8 * r));
        }
    }
    p = emit_mov_abs(p, 0, 4, (uint32_t) (IN_REGS + 8 * 4));
    int32_t rel = (int32_t) (INSN_ADDR - ((unsigned long) p + 5));
    *p++ = 0xE9; /* jmp rel32 */
    memcpy(p, &rel, 4);
}

static uint8_t *emit_jmp(uint8_t *p, unsigned long to) {
    int32_t rel = (int32_t) (to - ((unsigned long) p + 5));
    *p++ = 0xE9;
    memcpy(p, &rel, 4);
    return p + 4;
}

/* A landing pad: records the GPRs, `rip` and RFLAGS, restores the host registers, returns. */
static void build_pad(unsigned long at, unsigned long rip) {
    uint8_t *p = (uint8_t *) at;
    for (int r = 0; r < 16; r++) {
        p = emit_mov_abs(p, 1, r, (uint32_t) (OUT_REGS + 8 * r));
    }
    p = emit_abs_op(p, 0xC7, 0, (uint32_t) OUT_RIP); /* mov dword [OUT_RIP], imm32 (upper half stays 0) */
    uint32_t imm = (uint32_t) rip;
    memcpy(p, &imm, 4);
    p += 4;
    p = emit_mov_abs(p, 0, 4, (uint32_t) (HOST_SAVE + 8 * 6));
    *p++ = 0x9C;                                       /* pushfq */
    p = emit_abs_op(p, 0x8F, 0, (uint32_t) OUT_FLAGS); /* pop qword [OUT_FLAGS] */
    *p++ = 0xFC;                                       /* cld */
    for (int i = 0; i < N_SAVED - 1; i++) {
        p = emit_mov_abs(p, 0, callee_saved[i], (uint32_t) (HOST_SAVE + 8 * i));
    }
    *p++ = 0xC3; /* ret */
}

static uint8_t *emit_u32(uint8_t *p, uint32_t v) {
    memcpy(p, &v, 4);
    return p + 4;
}

/* The fixed parts of the compatibility-mode path (see the header comment). */
static void build_compat(void) {
    uint8_t *p = (uint8_t *) COMPAT_BASE;
    memset(p, 0xCC, 0x1000);
    for (int i = 0; i < N_SAVED; i++) {
        p = emit_mov_abs(p, 1, callee_saved[i], (uint32_t) (HOST_SAVE + 8 * i));
    }
    *p++ = 0xB8; /* mov eax, USER_DS; mov ds, eax; mov es, eax */
    p = emit_u32(p, USER_DS);
    *p++ = 0x8E;
    *p++ = 0xD8;
    *p++ = 0x8E;
    *p++ = 0xC0;
    *p++ = 0x48; /* mov rsp, SCRATCH_STACK */
    *p++ = 0xC7;
    *p++ = 0xC4;
    p = emit_u32(p, (uint32_t) SCRATCH_STACK);
    p = emit_abs_op(p, 0xFF, 6, (uint32_t) IN_FLAGS); /* push qword [IN_FLAGS] */
    *p++ = 0x9D;                                      /* popfq */
    for (int r = 0; r < 16; r++) {
        if (r != 4) {
            p = emit_mov_abs(p, 0, r, (uint32_t) (IN_REGS + 8 * r));
        }
    }
    *p++ = 0x6A; /* push USER32_CS; push COMPAT_STUB32; retfq */
    *p++ = USER32_CS;
    *p++ = 0x68;
    p = emit_u32(p, (uint32_t) COMPAT_STUB32);
    *p++ = 0x48;
    *p++ = 0xCB;

    p = (uint8_t *) COMPAT_STUB32; /* 32-bit: mov esp, [IN_REGS+32]; jmp INSN_ADDR */
    *p++ = 0x8B;
    *p++ = 0x25;
    p = emit_u32(p, (uint32_t) (IN_REGS + 8 * 4));
    emit_jmp(p, INSN_ADDR);

    p = (uint8_t *) COMPAT_BACK64; /* 64-bit again: restore the host and return */
    p = emit_mov_abs(p, 0, 4, (uint32_t) (HOST_SAVE + 8 * 6));
    *p++ = 0xFC;
    for (int i = 0; i < N_SAVED - 1; i++) {
        p = emit_mov_abs(p, 0, callee_saved[i], (uint32_t) (HOST_SAVE + 8 * i));
    }
    *p++ = 0xC3;
}

/* A 32-bit landing pad: EAX..EDI, EIP (`rip`), EFLAGS; then a far jump to COMPAT_BACK64. */
static void build_compat_pad(unsigned long at, unsigned long rip) {
    uint8_t *p = (uint8_t *) at;
    for (int r = 0; r < 8; r++) {
        *p++ = 0x89; /* mov [disp32], r32 */
        *p++ = (uint8_t) ((r << 3) | 5);
        p = emit_u32(p, (uint32_t) (OUT_REGS + 8 * r));
    }
    *p++ = 0xC7; /* mov dword [OUT_RIP], imm32 */
    *p++ = 0x05;
    p = emit_u32(p, (uint32_t) OUT_RIP);
    p = emit_u32(p, (uint32_t) rip);
    *p++ = 0xBC; /* mov esp, SCRATCH_STACK */
    p = emit_u32(p, (uint32_t) SCRATCH_STACK);
    *p++ = 0x9C; /* pushfd; pop dword [OUT_FLAGS] */
    *p++ = 0x8F;
    *p++ = 0x05;
    p = emit_u32(p, (uint32_t) OUT_FLAGS);
    *p++ = 0xEA; /* jmp far USER64_CS:COMPAT_BACK64 */
    p = emit_u32(p, (uint32_t) COMPAT_BACK64);
    *p++ = USER64_CS;
    *p++ = 0;
}

static int build_case(const uint8_t *code, int len, unsigned long target) {
    int compat = (target & COMPAT_FLAG) != 0;
    target &= ~COMPAT_FLAG;
    memset((void *) BRANCH_AREA_LO, 0xCC, CODE_BASE + 0x1000 - BRANCH_AREA_LO);
    memcpy((void *) INSN_ADDR, code, (size_t) len);
    emit_jmp((uint8_t *) INSN_ADDR + len, compat ? COMPAT_PAD32 : PAD_A);
    if (compat) {
        build_compat_pad(COMPAT_PAD32, INSN_ADDR + (unsigned long) len);
    } else {
        build_pad(PAD_A, INSN_ADDR + (unsigned long) len);
    }
    if (target != 0) {
        if (target < BRANCH_AREA_LO || target + 5 > BRANCH_AREA_HI
                || (target + 5 > INSN_ADDR && target < INSN_ADDR + (unsigned long) len + 5)) {
            return -1;
        }
        emit_jmp((uint8_t *) target, compat ? COMPAT_PAD32_B : PAD_B);
        if (compat) {
            build_compat_pad(COMPAT_PAD32_B, target);
        } else {
            build_pad(PAD_B, target);
        }
    }
    return 0;
}

static void read_exact(void *dst, size_t n) {
    if (fread(dst, 1, n, stdin) != n) {
        fprintf(stderr, "semantics-harness: truncated input\n");
        exit(2);
    }
}

static void write_all(const void *src, size_t n) {
    if (fwrite(src, 1, n, stdout) != n) {
        fprintf(stderr, "semantics-harness: write failed\n");
        exit(2);
    }
}

int main(void) {
    uint8_t *data = map_fixed(DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE);
    map_fixed(CODE_BASE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    map_fixed(COMPAT_BASE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    uint64_t *state = map_fixed(STATE_BASE, 0x1000, PROT_READ | PROT_WRITE);
    static uint8_t initial[DATA_SIZE];
    static uint8_t altstack[1 << 16];

    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        sigaction(sigs[i], &sa, NULL);
    }

    build_prologue();
    build_compat();
    uint32_t ncases;
    read_exact(&ncases, 4);
    static uint32_t reg_off[MAX_REGIONS], reg_len[MAX_REGIONS];
    static uint8_t reg_bytes[MAX_REGIONS][4096];
    for (uint32_t c = 0; c < ncases; c++) {
        uint8_t len, code[64];
        uint64_t regs[16], rflags, target;
        uint32_t nregions;
        read_exact(&len, 1);
        read_exact(code, 64);
        read_exact(regs, sizeof regs);
        read_exact(&rflags, 8);
        read_exact(&target, 8);
        read_exact(&nregions, 4);
        if (len == 0 || len > 64 || nregions > MAX_REGIONS) {
            fprintf(stderr, "semantics-harness: bad case %u\n", c);
            return 2;
        }
        for (uint32_t r = 0; r < nregions; r++) {
            read_exact(&reg_off[r], 4);
            read_exact(&reg_len[r], 4);
            if (reg_len[r] > sizeof reg_bytes[r] || reg_off[r] + reg_len[r] > DATA_SIZE) {
                fprintf(stderr, "semantics-harness: bad region in case %u\n", c);
                return 2;
            }
            read_exact(reg_bytes[r], reg_len[r]);
        }
        if (build_case(code, len, (unsigned long) target) != 0) {
            fprintf(stderr, "semantics-harness: branch target 0x%lx of case %u overlaps the stub\n",
                    (unsigned long) target, c);
            return 2;
        }
        for (volatile int run = 0; run < 2; run++) {
            memset(initial, run == 0 ? 0x00 : 0xFF, DATA_SIZE);
            for (uint32_t r = 0; r < nregions; r++) {
                memcpy(initial + reg_off[r], reg_bytes[r], reg_len[r]);
            }
            memcpy(data, initial, DATA_SIZE);
            memcpy((void *) IN_REGS, regs, sizeof regs);
            memcpy((void *) IN_FLAGS, &rflags, 8);
            memset((void *) OUT_REGS, 0, 0x88);
            memset((void *) OUT_RIP, 0, 8);
            uint32_t status = 0;
            fault_sig = 0;
            if (sigsetjmp(fault_jmp, 1) == 0) {
                ((void (*)(void))((target & COMPAT_FLAG) ? COMPAT_BASE : CODE_BASE))();
            } else {
                status = (uint32_t) fault_sig;
            }
            write_all(&status, 4);
            write_all((void *) OUT_REGS, 16 * 8);
            write_all((void *) OUT_FLAGS, 8);
            write_all((void *) OUT_RIP, 8);
            uint32_t nchanged = 0;
            for (uint32_t i = 0; i < DATA_SIZE; i++) {
                nchanged += data[i] != initial[i];
            }
            write_all(&nchanged, 4);
            for (uint32_t i = 0; i < DATA_SIZE; i++) {
                if (data[i] != initial[i]) {
                    write_all(&i, 4);
                    write_all(&data[i], 1);
                }
            }
        }
    }
    (void) state;
    fflush(stdout);
    return 0;
}
