package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import org.junit.jupiter.api.Test;

/** BT*, bit scans, POPCNT/LZCNT/TZCNT, BMI1/BMI2, ADX and BCD adjustments (nasm source in comments). */
class BitInstructionsTest {

    private static Guest halted(Guest g) {
        assertThat(g.run().reason()).as("stop reason").isEqualTo(StopReason.HALTED);
        return g;
    }

    @Test
    void btFamily_registerOffsetAddressesBeyondTheMemoryOperand() {
        // mov eax,0x10; bt eax,4; setc bl; mov dword [0x3000],0; mov ecx,35; bts [0x3000],ecx; mov edx,[0x3004];
        // btr eax,4; btc eax,0; hlt
        Guest g = halted(Guest.long64("B8100000000FBAE0040F92C3C704250030000000000000B9230000000FAB0C25003000008B1425043000000FBAF0040FBAF800F4"));
        assertThat(g.reg(Reg.RBX) & 0xFF).isEqualTo(1);
        assertThat(g.reg(Reg.RDX)).as("bit 35 = bit 3 of the dword at +4").isEqualTo(8);
        assertThat(g.reg(Reg.RAX)).isEqualTo(1);
    }

    @Test
    void scansAndCounts_bsfBsrPopcntLzcntTzcnt() {
        // mov eax,0x50; bsf ecx,eax; bsr edx,eax; popcnt esi,eax; lzcnt edi,eax; tzcnt r8d,eax; hlt
        Guest g = halted(Guest.long64("B8500000000FBCC80FBDD0F30FB8F0F30FBDF8F3440FBCC0F4"));
        assertThat(g.reg(Reg.RCX)).isEqualTo(4);
        assertThat(g.reg(Reg.RDX)).isEqualTo(6);
        assertThat(g.reg(Reg.RSI)).isEqualTo(2);
        assertThat(g.reg(Reg.RDI)).isEqualTo(25);
        assertThat(g.reg(Reg.R8)).isEqualTo(4);
    }

    @Test
    void bmi1AndBmi2_vexForms() {
        // mov eax,0xF0; mov ebx,0x3C; andn ecx,eax,ebx; blsi edx,eax; blsr esi,eax; mov edi,0x0804; bextr r8d,eax,edi;
        // mov edx,5; mov eax,7; mulx r10,r9,rax; pdep r11,rax,rbx; rorx r12d,eax,1; hlt
        Guest g = halted(Guest.long64(
                "B8F0000000BB3C000000C4E278F2CBC4E268F3D8C4E248F3C8BF04080000C46240F7C0BA05000000B807000000C462B3F6D0C462FBF5DBC4637BF0E001F4"));
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x0C);
        assertThat(g.reg(Reg.RSI)).isEqualTo(0xE0);
        assertThat(g.reg(Reg.R8)).isEqualTo(0x0F);
        assertThat(g.reg(Reg.R9)).as("MULX low").isEqualTo(35);
        assertThat(g.reg(Reg.R10)).as("MULX high").isZero();
        assertThat(g.reg(Reg.R11)).isEqualTo(0x1C);
        assertThat(g.reg(Reg.R12)).isEqualTo(0x80000003L);
    }

    @Test
    void adcx_addsWithCarryAndWritesOnlyCf() {
        // stc; mov eax,-1; mov ebx,1; adcx eax,ebx; setc cl; seto dl; hlt
        Guest g = halted(Guest.long64("F9B8FFFFFFFFBB01000000660F38F6C30F92C10F90C2F4"));
        assertThat(g.reg(Reg.RAX)).isEqualTo(1);
        assertThat(g.reg(Reg.RCX) & 0xFF).isEqualTo(1);
        assertThat(g.reg(Reg.RDX) & 0xFF).isZero();
    }

    @Test
    void bcdAdjustments_daaAamAad_inProtectedMode() {
        // bits 32: mov al,0x19; add al,0x28; daa; mov bl,al; mov ax,0x0037; aam; mov cx,ax; mov ax,0x0307; aad; hlt
        Guest g = halted(Guest.prot32("B01904282788C366B83700D40A6689C166B80703D50AF4"));
        assertThat(g.reg(Reg.RBX) & 0xFF).isEqualTo(0x47);
        assertThat(g.reg(Reg.RCX) & 0xFFFF).isEqualTo(0x0505);
        assertThat(g.reg(Reg.RAX) & 0xFFFF).isEqualTo(0x25);
    }
}
