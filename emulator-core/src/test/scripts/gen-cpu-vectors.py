#!/usr/bin/env python3
# Regenerates src/test/resources/dev/vmx4j/core/cpu/integer-vectors.txt: assembles each row's
# source with nasm (the only tool needed); the expected values are written here by hand from the SDM.
# Usage (from emulator-core/): python3 src/test/scripts/gen-cpu-vectors.py
import os, subprocess, tempfile
TMP = tempfile.mkdtemp()
def h(bits, src):
    open(os.path.join(TMP, 'v.s'),'w').write('bits %d\n' % bits + src.replace(';','\n') + '\n')
    subprocess.check_call(['nasm','-f','bin','-o',os.path.join(TMP, 'v.bin'),os.path.join(TMP, 'v.s')])
    return open(os.path.join(TMP, 'v.bin'),'rb').read().hex().upper()
rows = [
 # name, mode, asm, initial, expected, undefined
 ("add_r64_r64_carry", 64, "add rax,rbx", "rax=0xffffffffffffffff rbx=1", "rax=0 flags=0x57", ""),
 ("add_r32_zero_extends", 64, "add eax,ebx", "rax=0xffffffff00000001 rbx=1", "rax=2 flags=0x2", ""),
 ("add_r8_high", 64, "add ah,bl", "rax=0x7f00 rbx=1", "rax=0x8000 flags=0x892", ""),
 ("sub_borrow", 64, "sub ecx,edx", "rcx=1 rdx=2", "rcx=0xffffffff flags=0x97", ""),
 ("cmp_equal", 64, "cmp rsi,rdi", "rsi=5 rdi=5", "flags=0x46", ""),
 ("inc_keeps_cf", 64, "inc r8b", "r8=0xff flags=0x3", "r8=0 flags=0x57", ""),
 ("dec_overflow", 64, "dec r9w", "r9=0x8000", "r9=0x7fff flags=0x816", ""),
 ("neg_nonzero_sets_cf", 64, "neg rax", "rax=1", "rax=0xffffffffffffffff flags=0x97", ""),
 ("and_clears_cf_of", 64, "and eax,0xf0", "rax=0x1ff flags=0x801", "rax=0xf0 flags=0x6", "0x10"),
 ("or_mem", 64, "or qword [0x3000],rbx", "rbx=0x100 m64[0x3000]=1", "m64[0x3000]=0x101 flags=0x2", "0x10"),
 ("xor_self", 64, "xor r10d,r10d", "r10=0x123456789", "r10=0 flags=0x46", "0x10"),
 ("adc_with_carry", 64, "adc rax,rbx", "rax=1 rbx=1 flags=0x3", "rax=3 flags=0x6", ""),
 ("sbb_with_borrow", 64, "sbb eax,0", "rax=0 flags=0x3", "rax=0xffffffff flags=0x97", ""),
 ("mul_r64_high", 64, "mul rbx", "rax=0x8000000000000000 rbx=4", "rax=0 rdx=2 flags=0x803", "0xd4"),
 ("imul_r16_3op", 64, "imul cx,dx,-3", "rdx=0x100 rcx=0xffff0000", "rcx=0xfffffd00 flags=0x2", "0xd4"),
 ("div_r8", 64, "div bl", "rax=0x0107 rbx=2", "rax=0x0183", "0x8d5"),
 ("idiv_r32_negative", 64, "idiv ecx", "rax=0xfffffff9 rdx=0xffffffff rcx=2", "rax=0xfffffffd rdx=0xffffffff", "0x8d5"),
 ("div_overflow_is_de", 64, "div cl", "rax=0x200 rcx=1", "exc=0", ""),
 ("shl_by_cl_masked", 64, "shl eax,cl", "rax=1 rcx=33", "rax=2 flags=0x2", "0x10"),
 ("shr_count_zero_keeps_flags", 64, "shr rax,cl", "rax=8 rcx=0 flags=0x8d5", "", ""),
 ("sar_negative", 64, "sar bl,1", "rbx=0x81", "rbx=0xc0 flags=0x87", "0x10"),
 ("rol_one", 64, "rol al,1", "rax=0x80", "rax=0x01 flags=0x803", ""),
 ("rcr_one", 64, "rcr al,1", "rax=0x01 flags=0x1", "rax=0x80 flags=0x803", ""),
 ("movzx_word", 64, "movzx rax,word [0x3000]", "rax=-1 m64[0x3000]=0x1234ffff", "rax=0xffff", ""),
 ("movsx_byte_to_16", 64, "movsx ax,bl", "rax=0x55555555 rbx=0x80", "rax=0x5555ff80", ""),
 ("mov_moffs_64", 64, "mov rax,[qword 0x3008]", "m64[0x3008]=0x1122334455667788", "rax=0x1122334455667788", ""),
 ("mov_rip_relative_store", 64, "mov [rel $+0x100],ecx", "rcx=0xabcd", "m32[0x10100]=0xabcd", ""),
 ("lea_32bit_address_size_wraps", 64, "lea eax,[ebx+ecx*2+1]", "rbx=0xffffffff rcx=1", "rax=2", ""),
 ("xchg_mem", 64, "xchg [0x3000],dl", "rdx=0x12 m64[0x3000]=0x34", "rdx=0x34 m64[0x3000]=0x12", ""),
 ("cmpxchg8b_mismatch", 64, "cmpxchg8b [0x3000]", "rax=0 rdx=0 m64[0x3000]=0x200000001", "rax=1 rdx=2 flags=0x2", ""),
 ("cmpxchg16b_match", 64, "cmpxchg16b [0x3000]", "rax=1 rdx=2 rbx=3 rcx=4 m64[0x3000]=1 m64[0x3008]=2", "m64[0x3000]=3 m64[0x3008]=4 flags=0x42", ""),
 ("cmpxchg16b_misaligned_gp", 64, "cmpxchg16b [0x3008]", "", "exc=13", ""),
 ("push_imm8_sign_extends", 64, "push -2", "", "rsp=0x7fff8 m64[0x7fff8]=0xfffffffffffffffe", ""),
 ("pop_mem_rsp_based", 64, "pop qword [rsp]", "m64[0x80000]=7", "rsp=0x80008 m64[0x80008]=7", ""),
 ("setcc_byte_mem", 64, "setnz byte [0x3000]", "m64[0x3000]=0xff", "m64[0x3000]=1", ""),
 ("bsf_zero_source_keeps_dest", 64, "bsf eax,ebx", "rax=0x1234 rbx=0", "flags=0x42", "0x895"),
 ("bt_mem_negative_offset", 64, "bt [0x3008],rcx", "rcx=-1 m64[0x3000]=0x8000000000000000", "flags=0x3", "0x8d4"),
 ("jrcxz_taken", 64, "jrcxz $+0x20", "rcx=0", "rip=0x10020", ""),
 ("loopne_exit_on_zf", 64, "loopne $", "rcx=5 flags=0x42", "rcx=4", ""),
 ("call_indirect_mem", 64, "call [0x3000]", "m64[0x3000]=0x10080", "rip=0x10080 rsp=0x7fff8 m64[0x7fff8]=0x10007", ""),
 ("ret_non_canonical_gp", 64, "ret", "m64[0x80000]=0x8000000000000000", "exc=13", ""),
 ("movbe_store", 64, "movbe [0x3000],eax", "rax=0x11223344", "m64[0x3000]=0x44332211", ""),
 ("xlat_32bit_address", 32, "xlatb", "rbx=0x3000 rax=0x10 m64[0x3010]=0x7e", "rax=0x7e", ""),
 ("pusha_popa_roundtrip", 32, "pusha;popa", "rax=1 rbx=2 rcx=3 rdx=4 rbp=5 rsi=6 rdi=7", "m32[0x7ffe0]=7 m32[0x7ffe4]=6 m32[0x7ffe8]=5 m32[0x7ffec]=0x80000 m32[0x7fff0]=2 m32[0x7fff4]=4 m32[0x7fff8]=3 m32[0x7fffc]=1 steps=2", ""),
 ("aam_zero_is_de", 32, "aam 0", "rax=5", "exc=0", ""),
 ("cwd_16", 16, "cwd", "rax=0x8000", "rdx=0xffff", ""),
 ("real_push_pop_sp_wraps", 16, "push ax", "rax=0x1234 rsp=0", "rsp=0xfffe m16[0xfffe]=0x1234", ""),
]
out = ["# Single-instruction vectors: name | mode | bytes | initial | expected (changed state only) | undefined-flags mask",
       "# Registers not named start at 0 (RSP at 0x80000, real mode SP as given); memory m8/m16/m32/m64[linear];",
       "# flags= is the whole RFLAGS; exc=N expects exception N (state otherwise unchanged); steps=N runs N instructions.",
       "# Code at 0x10000 (real mode: CS=0x1000, IP=0). Bytes assembled with nasm; expected values from the SDM."]
for name, mode, asm, ini, exp, undef in rows:
    out.append("%s | %d | %s | %s | %s | %s" % (name, mode, h(mode, asm), ini, exp, undef))
open('src/test/resources/dev/vmx4j/core/cpu/integer-vectors.txt', 'w').write("\n".join(out) + "\n")
