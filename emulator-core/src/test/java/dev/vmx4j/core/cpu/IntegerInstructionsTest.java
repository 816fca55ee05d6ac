package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.RunResult;
import dev.vmx4j.core.StopReason;
import org.junit.jupiter.api.Test;

/**
 * Integer instructions in 64-bit mode from hand-assembled bytes (nasm, source in each comment).
 * Every program ends in HLT; the test asserts the registers, flags and memory it changes.
 */
class IntegerInstructionsTest {

    private static Guest halted(String hex) {
        Guest g = Guest.long64(hex);
        RunResult r = g.run();
        assertThat(r.reason()).as("stop reason").isEqualTo(StopReason.HALTED);
        return g;
    }

    private static long mem64(Guest g, long a) {
        return g.m.memory().read64(a);
    }

    private static boolean cf(Guest g) {
        return (g.m.rflags() & 1) != 0;
    }

    private static boolean zf(Guest g) {
        return (g.m.rflags() & 0x40) != 0;
    }

    @Test
    void registerWidths_32BitWritesZeroExtend_8And16BitWritesMerge() {
        // mov rax,-1; mov al,0x12; mov ah,0x34; mov rbx,-1; mov bx,0x5678; mov rcx,-1; mov ecx,0x9abc;
        // mov rdx,-1; mov spl,1; mov dl,2; mov sil,3; hlt
        Guest g = halted("48C7C0FFFFFFFFB012B43448C7C3FFFFFFFF66BB785648C7C1FFFFFFFFB9BC9A000048C7C2FFFFFFFF40B401B20240B603F4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(0xFFFFFFFFFFFF3412L);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0xFFFFFFFFFFFF5678L);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x9ABCL);
        assertThat(g.reg(Reg.RDX)).isEqualTo(0xFFFFFFFFFFFFFF02L);
        assertThat(g.reg(Reg.RSP)).isEqualTo(Guest.STACK | 1);
        assertThat(g.reg(Reg.RSI)).isEqualTo(3);
    }

    @Test
    void movzxMovsx_extendFromSourceWidth() {
        // mov rax,0x80; movzx ebx,al; movsx rcx,al; movsx di,al; hlt
        Guest g = halted("B8800000000FB6D8480FBEC8660FBEF8F4");
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x80);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0xFFFFFFFFFFFFFF80L);
        assertThat(g.reg(Reg.RDI)).isEqualTo(0xFF80);
    }

    @Test
    void movsxd_signExtendsDoubleword() {
        // mov edx,0x80000000; movsxd rsi,edx; hlt
        Guest g = halted("BA000000804863F2F4");
        assertThat(g.reg(Reg.RSI)).isEqualTo(0xFFFFFFFF80000000L);
    }

    @Test
    void xchg_swapsRegistersAndMemory() {
        // mov rax,1; mov rbx,2; xchg rax,rbx; mov qword [0x3000],7; xchg rax,[0x3000]; hlt
        Guest g = halted("B801000000BB02000000489348C7042500300000070000004887042500300000F4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(7);
        assertThat(g.reg(Reg.RBX)).isEqualTo(1);
        assertThat(mem64(g, 0x3000)).isEqualTo(2);
    }

    @Test
    void cmpxchg_equalStoresSourceElseLoadsAccumulator() {
        // mov qword [0x3000],5; mov eax,5; mov ecx,9; cmpxchg [0x3000],ecx; setz bl; mov eax,1;
        // cmpxchg [0x3000],ecx; setz bh; hlt
        Guest g = halted("48C704250030000005000000B805000000B9090000000FB10C25003000000F94C3B8010000000FB10C25003000000F94C7F4");
        assertThat(g.reg(Reg.RBX) & 0xFFFF).isEqualTo(0x0001);
        assertThat(mem64(g, 0x3000)).isEqualTo(9);
        assertThat(g.reg(Reg.RAX)).isEqualTo(9);
    }

    @Test
    void xadd_exchangesAndAdds() {
        // mov eax,3; mov dword [0x3000],10; xadd [0x3000],eax; mov ecx,[0x3000]; hlt
        Guest g = halted("B803000000C70425003000000A0000000FC10425003000008B0C2500300000F4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(10);
        assertThat(g.reg(Reg.RCX)).isEqualTo(13);
    }

    @Test
    void pushPop_64BitAnd16BitOperandSizes() {
        // mov rax,0x1122334455667788; push rax; push 0x7f; pop rbx; pop rcx; push word 0x1234; pop dx; hlt
        Guest g = halted("48B88877665544332211506A7F5B5966683412665AF4");
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x7F);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x1122334455667788L);
        assertThat(g.reg(Reg.RDX) & 0xFFFF).isEqualTo(0x1234);
        assertThat(g.reg(Reg.RSP)).isEqualTo(Guest.STACK);
        assertThat(mem64(g, Guest.STACK - 16)).isEqualTo(0x7F);
        assertThat(g.m.memory().read16(Guest.STACK - 2)).isEqualTo(0x1234);
    }

    @Test
    void callAndRet_returnToTheNextInstruction() {
        // call f; mov ebx,1; hlt; f: mov eax,7; ret
        Guest g = halted("E806000000BB01000000F4B807000000C3");
        assertThat(g.reg(Reg.RAX)).isEqualTo(7);
        assertThat(g.reg(Reg.RBX)).isEqualTo(1);
        assertThat(g.reg(Reg.RSP)).isEqualTo(Guest.STACK);
    }

    @Test
    void retImm16_releasesParameterBytes() {
        // push 1; push 2; call f; hlt; f: ret 16
        Guest g = halted("6A016A02E801000000F4C21000");
        assertThat(g.reg(Reg.RSP)).isEqualTo(Guest.STACK);
        assertThat(g.m.rip()).isEqualTo(Guest.CODE + 10);
    }

    @Test
    void enterAndLeave_buildAndReleaseAFrame() {
        // mov rbp,0x1234; enter 32,0; mov rbx,rbp; mov rcx,rsp; leave; hlt
        Guest g = halted("BD34120000C82000004889EB4889E1C9F4");
        assertThat(g.reg(Reg.RBX)).isEqualTo(Guest.STACK - 8);
        assertThat(g.reg(Reg.RCX)).isEqualTo(Guest.STACK - 40);
        assertThat(g.reg(Reg.RBP)).isEqualTo(0x1234);
        assertThat(g.reg(Reg.RSP)).isEqualTo(Guest.STACK);
    }

    @Test
    void loop_decrementsRcxUntilZero() {
        // mov ecx,10; xor eax,eax; l: add eax,ecx; loop l; hlt
        Guest g = halted("B90A00000031C001C8E2FCF4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(55);
        assertThat(g.reg(Reg.RCX)).isZero();
    }

    @Test
    void jcc_signedConditionsAfterCmp() {
        // mov eax,5; cmp eax,7; jl a; mov ebx,1; hlt; a: mov ebx,2; cmp eax,3; jg b; hlt; b: mov ecx,3; hlt
        Guest g = halted("B80500000083F8077C06BB01000000F4BB0200000083F8037F01F4B903000000F4");
        assertThat(g.reg(Reg.RBX)).isEqualTo(2);
        assertThat(g.reg(Reg.RCX)).isEqualTo(3);
    }

    @Test
    void cmovAndSetcc_followTheCondition() {
        // mov eax,1; mov ebx,2; cmp eax,ebx; cmovl ecx,ebx; cmovg edx,ebx; setb sil; seta dil; hlt
        Guest g = halted("B801000000BB0200000039D80F4CCB0F4FD3400F92C6400F97C7F4");
        assertThat(g.reg(Reg.RCX)).isEqualTo(2);
        assertThat(g.reg(Reg.RDX)).as("EDX keeps its reset value, the processor signature").isEqualTo(0x706E5);
        assertThat(g.reg(Reg.RSI)).isEqualTo(1);
        assertThat(g.reg(Reg.RDI)).isZero();
    }

    @Test
    void cmovFalseWith32BitDestination_stillZeroExtends() {
        // mov rcx,-1; xor eax,eax (ZF=1); cmovnz ecx,eax; hlt
        Guest g = halted("48C7C1FFFFFFFF31C00F45C8F4");
        assertThat(g.reg(Reg.RCX)).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void mulDivIdivImul_produceQuotientsRemaindersAndProducts() {
        // mov eax,7; mov ecx,6; mul ecx; mov r8,rax; mov rax,100; xor edx,edx; mov rcx,7; div rcx; mov r9,rax;
        // mov r10,rdx; mov rax,-100; cqo; idiv rcx; imul r11,rax,3; hlt
        Guest g = halted("B807000000B906000000F7E14989C0B86400000031D2B90700000048F7F14989C14989D248C7C09CFFFFFF489948F7F94C6BD803F4");
        assertThat(g.reg(Reg.R8)).isEqualTo(42);
        assertThat(g.reg(Reg.R9)).isEqualTo(14);
        assertThat(g.reg(Reg.R10)).isEqualTo(2);
        assertThat(g.reg(Reg.RAX)).isEqualTo(-14);
        assertThat(g.reg(Reg.RDX)).isEqualTo(-2);
        assertThat(g.reg(Reg.R11)).isEqualTo(-42);
    }

    @Test
    void shiftsAndRotates_includingClCountAndShld() {
        // mov eax,0x81; shl eax,4; mov ebx,0x80000001; ror ebx,1; mov ecx,3; mov edx,1; shl edx,cl;
        // mov esi,0xf0; sar sil,2; shld eax,ebx,8; hlt
        Guest g = halted("B881000000C1E004BB01000080D1CBB903000000BA01000000D3E2BEF000000040C0FE020FA4D808F4");
        assertThat(g.reg(Reg.RBX)).isEqualTo(0xC0000000L);
        assertThat(g.reg(Reg.RDX)).isEqualTo(8);
        assertThat(g.reg(Reg.RSI)).isEqualTo(0xFC);
        assertThat(g.reg(Reg.RAX)).isEqualTo(0x810C0);
    }

    @Test
    void repStosRepMovsLods_copyAndFillForward() {
        // cld; mov rdi,0x3000; mov eax,0x41; mov ecx,8; rep stosb; mov rsi,0x3000; mov rdi,0x3100; mov ecx,2;
        // rep movsd; mov rsi,0x3000; lodsw; hlt
        Guest g = halted("FCBF00300000B841000000B908000000F3AABE00300000BF00310000B902000000F3A5BE0030000066ADF4");
        assertThat(mem64(g, 0x3000)).isEqualTo(0x4141414141414141L);
        assertThat(mem64(g, 0x3100)).isEqualTo(0x4141414141414141L);
        assertThat(g.reg(Reg.RAX)).isEqualTo(0x4141);
        assertThat(g.reg(Reg.RSI)).isEqualTo(0x3002);
        assertThat(g.reg(Reg.RDI)).isEqualTo(0x3108);
        assertThat(g.reg(Reg.RCX)).isZero();
    }

    @Test
    void repneScasb_stopsAtTheFirstMatch() {
        // mov rdi,0x3000; mov dword [rdi],0x00414141; cld; mov ecx,16; xor eax,eax; repne scasb; hlt
        Guest g = halted("BF00300000C70741414100FCB91000000031C0F2AEF4");
        assertThat(g.reg(Reg.RDI)).isEqualTo(0x3004);
        assertThat(g.reg(Reg.RCX)).isEqualTo(12);
        assertThat(zf(g)).isTrue();
    }

    @Test
    void repeCmpsb_stopsAtTheFirstDifference() {
        // mov rsi,0x3000; mov rdi,0x3100; mov dword [rsi],0x44434241; mov dword [rdi],0x45434241; cld; mov ecx,4;
        // repe cmpsb; hlt
        Guest g = halted("BE00300000BF00310000C70641424344C70741424345FCB904000000F3A6F4");
        assertThat(g.reg(Reg.RSI)).isEqualTo(0x3004);
        assertThat(g.reg(Reg.RDI)).isEqualTo(0x3104);
        assertThat(zf(g)).isFalse();
        assertThat(cf(g)).isTrue();
    }

    @Test
    void repStosbWithDf_fillsBackward() {
        // std; mov rdi,0x3007; mov al,0x55; mov ecx,4; rep stosb; cld; hlt
        Guest g = halted("FDBF07300000B055B904000000F3AAFCF4");
        assertThat(mem64(g, 0x3000)).isEqualTo(0x5555555500000000L);
        assertThat(g.reg(Reg.RDI)).isEqualTo(0x3003);
        assertThat(g.m.rflags() & 0x400).isZero();
    }

    @Test
    void repStringWithRcxZero_doesNothing() {
        // xor ecx,ecx; mov rdi,0x3000; mov al,0x77; rep stosb; hlt
        Guest g = halted("31C9BF00300000B077F3AAF4");
        assertThat(mem64(g, 0x3000)).isZero();
        assertThat(g.reg(Reg.RDI)).isEqualTo(0x3000);
    }

    @Test
    void signExtensionFamily_cbwCwdeCdqeCwd() {
        // mov eax,0x80; cbw; mov ebx,eax; mov eax,0x8000; cwde; mov ecx,eax; mov eax,0x80000000; cdqe; mov rsi,rax;
        // mov eax,0x8000; cwd; mov edi,edx; hlt
        Guest g = halted("B880000000669889C3B8008000009889C1B80000008048984889C6B800800000669989D7F4");
        assertThat(g.reg(Reg.RBX)).isEqualTo(0xFF80);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0xFFFF8000L);
        assertThat(g.reg(Reg.RSI)).isEqualTo(0xFFFFFFFF80000000L);
        assertThat(g.reg(Reg.RDI)).as("DX = 0xFFFF merged into reset EDX 0x706E5").isEqualTo(0x7FFFF);
    }

    @Test
    void lahfSahf_transferSfZfAfPfCf() {
        // stc; lahf; mov bl,ah; mov ah,0xd5; sahf; pushfq; pop rcx; hlt
        Guest g = halted("F99F88E3B4D59E9C59F4");
        assertThat(g.reg(Reg.RBX) & 0xFF).isEqualTo(0x03);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0xD7);
    }

    @Test
    void bswap_reversesBytesIn32And64Bits() {
        // mov eax,0x11223344; bswap eax; mov rbx,0x0102030405060708; bswap rbx; hlt
        Guest g = halted("B8443322110FC848BB0807060504030201480FCBF4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(0x44332211L);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x0807060504030201L);
    }

    @Test
    void lea_computesAddressesWithoutAccess_includingRipRelative() {
        // mov rbx,0x1000; mov rsi,3; lea rax,[rbx+rsi*8+0x10]; lea ecx,[rbx-1]; lea rdx,[rel $]; hlt
        Guest g = halted("BB00100000BE03000000488D44F3108D4BFF488D15F9FFFFFFF4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(0x1028);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0xFFF);
        assertThat(g.reg(Reg.RDX)).isEqualTo(Guest.CODE + 18);
    }

    @Test
    void xlat_loadsTableByte() {
        // mov rbx,0x3000; mov byte [0x3005],0x99; mov eax,5; xlatb; hlt
        Guest g = halted("BB00300000C604250530000099B805000000D7F4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(0x99);
    }

    @Test
    void cpuidLeaf0_returnsProfileVendorAndMaxLeaf() {
        // xor eax,eax; cpuid; hlt
        Guest g = halted("31C00FA2F4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(0x1B);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x756E6547L);
        assertThat(g.reg(Reg.RDX)).isEqualTo(0x49656E69L);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x6C65746EL);
    }

    @Test
    void rdtsc_readsCyclesSoFar() {
        // rdtsc; mov r8,rax; nop; rdtsc; hlt   (rdtsc costs 20, mov and nop 1 each)
        Guest g = halted("0F314989C0900F31F4");
        assertThat(g.reg(Reg.R8)).isZero();
        assertThat(g.reg(Reg.RAX)).isEqualTo(22);
        assertThat(g.reg(Reg.RDX)).isZero();
    }

    @Test
    void rdrand_isDeterministicPerSeedAndSetsCf() {
        // rdrand rax; rdrand ebx; hlt
        Guest a = halted("480FC7F00FC7F3F4");
        Guest b = halted("480FC7F00FC7F3F4");
        assertThat(a.reg(Reg.RAX)).isEqualTo(b.reg(Reg.RAX)).isNotZero();
        assertThat(a.reg(Reg.RBX) >>> 32).isZero();
        assertThat(cf(a)).isTrue();
    }

    @Test
    void pushfPopf_loadsArithmeticFlags() {
        // pushfq; pop rax; or rax,0x801; push rax; popfq; pushfq; pop rbx; hlt
        Guest g = halted("9C58480D01080000509D9C5BF4");
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x803);
    }

    @Test
    void negNotIncDec_onRegisters() {
        // mov eax,5; neg eax; not rbx; inc ecx; dec edx; hlt
        Guest g = halted("B805000000F7D848F7D3FFC1FFCAF4");
        assertThat(g.reg(Reg.RAX)).isEqualTo(0xFFFFFFFBL);
        assertThat(g.reg(Reg.RBX)).isEqualTo(-1);
        assertThat(g.reg(Reg.RCX)).isEqualTo(1);
        assertThat(g.reg(Reg.RDX)).as("reset EDX 0x706E5 minus 1").isEqualTo(0x706E4);
    }

    @Test
    void readModifyWriteOnMemory_allSizes() {
        // mov dword [0x3000],1; add dword [0x3000],2; sub byte [0x3000],1; or word [0x3000],0x100; hlt
        Guest g = halted("C7042500300000010000008304250030000002802C25003000000166810C25003000000001F4");
        assertThat(mem64(g, 0x3000)).isEqualTo(0x102);
    }

    @Test
    void jmpThroughRegister_reachesTarget() {
        // lea rax,[rel t]; jmp rax; hlt; t: mov ebx,9; hlt
        Guest g = halted("488D0503000000FFE0F4BB09000000F4");
        assertThat(g.reg(Reg.RBX)).isEqualTo(9);
    }

    @Test
    void divideByZeroWithEmptyIdt_shutsDown() {
        // xor ecx,ecx; div ecx; hlt  -- IDT limit 0xFFFF at 0: zero gates -> #GP -> #DF -> triple fault
        Guest g = Guest.long64("31C9F7F1F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.SHUTDOWN);
        assertThat(g.m.rip()).isEqualTo(Guest.CODE + 2);
    }

    @Test
    void ud2_raisesInvalidOpcode() {
        Guest g = Guest.long64("0F0B");
        java.util.List<Integer> vectors = new java.util.ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        assertThat(g.run().reason()).isEqualTo(StopReason.SHUTDOWN);
        assertThat(vectors).startsWith(6, 13, 8);
    }
}
