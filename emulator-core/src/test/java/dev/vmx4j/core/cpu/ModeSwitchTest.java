package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.Seg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A boot path executed by the guest itself: real mode, LGDT, CR0.PE, far JMP to 32-bit code,
 * segment loads from the GDT, CR4.PAE, CR3, EFER.LME through WRMSR, CR0.PG (EFER.LMA), far JMP
 * to 64-bit code (SDM "Initializing IA-32e Mode").
 */
class ModeSwitchTest {

    // nasm source: cli; mov ax,0x1000; mov ds,ax; lgdt [gdtr]; mov eax,cr0; or eax,1; mov cr0,eax;
    // jmp dword 0x08:pm32; pm32 (bits 32): mov ax,0x10; mov ds,ax; mov es,ax; mov ss,ax; mov esp,0x9000;
    // mov eax,cr4; or eax,0x20; mov cr4,eax; mov eax,0x20000; mov cr3,eax; mov ecx,0xC0000080; rdmsr;
    // or eax,0x100; wrmsr; mov eax,cr0; or eax,0x80000000; mov cr0,eax; jmp 0x18:lm64;
    // lm64 (bits 64): mov rax,0x123456789; push rax; pop rbx; hlt;
    // gdt: null, 0x08 32-bit code, 0x10 data, 0x18 64-bit code; gdtr: dw 31, dd gdt
    private static final String BOOT = "FAB800108ED80F011690000F20C06683C8010F22C066EA1D000100080066B810008ED88EC08ED0"
            + "BC009000000F20E083C8200F22E0B8000002000F22D8B9800000C00F320D000100000F300F20C00D000000800F22C0EA5D000100"
            + "180048B88967452301000000505BF49090909090900000000000000000FFFF0000009ACF00FFFF00000092CF0000000000009A20"
            + "001F0070000100";

    @Test
    void realToProtectedToLongMode_byTheGuest() {
        Guest g = Guest.real(BOOT);
        // Identity map of the first 8 MiB with 2 MiB pages: PML4 0x20000, PDPT 0x21000, PD 0x22000.
        g.m.memory().write64(0x20000, 0x21003);
        g.m.memory().write64(0x21000, 0x22003);
        for (int i = 0; i < 4; i++) {
            g.m.memory().write64(0x22000 + 8L * i, ((long) i << 21) | 0x83);
        }
        List<Integer> modes = new ArrayList<>();
        g.m.addInstructionListener((m, rip, d) -> {
            if (modes.isEmpty() || modes.get(modes.size() - 1) != d.mode) {
                modes.add(d.mode);
            }
        });
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(modes).containsExactly(16, 32, 64);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x123456789L);
        assertThat(g.m.efer() & 0x500).as("LME and LMA").isEqualTo(0x500);
        assertThat(g.m.segment(Seg.CS).selector()).isEqualTo(0x18);
        assertThat(g.m.segment(Seg.SS).selector()).isEqualTo(0x10);
        assertThat(g.m.segment(Seg.DS).base()).isZero();
        assertThat(g.m.segment(Seg.DS).accessRights() & 0xFF).as("accessed bit set on load").isEqualTo(0x93);
        assertThat(g.m.memory().read8(0x10000 + 0x70 + 0x10 + 5)).as("descriptor accessed bit written back").isEqualTo(0x93);
        assertThat(g.m.cr(0) & 0x80000001L).isEqualTo(0x80000001L);
    }

    @Test
    void enablingPagingWithLmeButWithoutPae_isGeneralProtection() {
        // bits 32: mov ecx,0xC0000080; rdmsr; or eax,0x100; wrmsr; mov eax,cr0; or eax,0x80000000; mov cr0,eax; hlt
        Guest g = Guest.prot32("B9800000C00F320D000100000F300F20C00D000000800F22C0F4");
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run();
        assertThat(vectors).first().isEqualTo(13);
        assertThat(g.m.cr(0) & 0x80000000L).isZero();
    }

    @Test
    void loadingDataSegmentBeyondGdtLimit_isGeneralProtectionWithSelector() {
        // bits 32: mov ax,0x28; mov ds,ax; hlt   (GDT limit 0x17)
        Guest g = Guest.prot32("66B828008ED8F4");
        g.m.memory().write64(0x5008, 0x00CF9A000000FFFFL);
        g.m.memory().write64(0x5010, 0x00CF92000000FFFFL);
        g.m.setGdtr(0x5000, 0x17);
        List<Integer> codes = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> codes.add(v << 16 | e));
        g.run();
        assertThat(codes).first().isEqualTo(13 << 16 | 0x28);
    }

    @Test
    void farJumpsBetween64BitAndCompatibilityMode() {
        // bits 64: jmp far dword [rel ptr]; bits 32: mov eax,0x11; push eax; pop ecx; jmp 0x08:back;
        // bits 64: back: mov ebx,eax; hlt; ptr: dd compat, dw 0x28
        Guest g = Guest.long64("FF2D11000000B8110000005059EA14000100080089C3F4060001002800");
        g.m.memory().write64(0x5008, 0x00209A0000000000L); // 0x08: 64-bit code
        g.m.memory().write64(0x5010, 0x00CF92000000FFFFL); // 0x10: data
        g.m.memory().write64(0x5028, 0x00CF9A000000FFFFL); // 0x28: 32-bit code (compatibility mode)
        g.m.setGdtr(0x5000, 0x2F);
        List<Integer> modes = new ArrayList<>();
        g.m.addInstructionListener((m, rip, d) -> {
            if (modes.isEmpty() || modes.get(modes.size() - 1) != d.mode) {
                modes.add(d.mode);
            }
        });
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(modes).containsExactly(64, 32, 64);
        assertThat(g.reg(Reg.RCX)).isEqualTo(0x11);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x11);
        assertThat(g.m.segment(Seg.CS).selector()).isEqualTo(0x08);
    }
}
