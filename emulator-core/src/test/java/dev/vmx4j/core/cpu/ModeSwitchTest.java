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

    /** bits 32: CR4.PAE; CR3 = 0x20000; CR0.PG; mov ebx,[0x3000]; hlt */
    private static final String PAE_ON = "0F20E083C8200F22E0B8000002000F22D80F20C00D000000800F22C08B1D00300000F4";

    private static Guest paeGuest() {
        Guest g = Guest.prot32(PAE_ON);
        g.m.memory().write64(0x20000, 0x21001);            // PDPTE 0: present, PD at 0x21000
        g.m.memory().write64(0x21000, 0x83);               // PDE 0: 2 MiB page at 0, present, writable
        g.m.memory().write32(0x3000, 0x55);
        return g;
    }

    @Test
    void paePagingEnabledByTheGuest_translatesThroughPdptes() {
        Guest g = paeGuest();
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x55);
        assertThat(g.m.cr(0) & 0x80000000L).isNotZero();
        assertThat(g.m.efer() & 0x400).as("not IA-32e").isZero();
    }

    @Test
    void paePdpteWithReservedBit_makesMovToCr0GeneralProtection() {
        Guest g = paeGuest();
        g.m.memory().write64(0x20008, 0x22003); // PDPTE 1 present with bit 1 (reserved in a PDPTE)
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        g.run();
        assertThat(vectors).first().isEqualTo(13);
        assertThat(g.m.cr(0) & 0x80000000L).as("CR0 unchanged").isZero();
    }

    private static long tssDescriptor(long base, int type) {
        return 0x67 | (base & 0xFFFFFF) << 16 | (long) (0x80 | type) << 40 | ((base >>> 24) & 0xFF) << 56;
    }

    @Test
    void farCallToTss_switchesTasks_andIretWithNtReturns() {
        dev.vmx4j.core.Machine m = Fixtures.prot32(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("9A000000002000B977000000F4")); // call 0x20:0; mov ecx,0x77; hlt
        m.memory().load(0x10100, Guest.bytes("BB42000000CF")); // task B: mov ebx,0x42; iret
        long tssA = 0x7000;
        long tssB = 0x7100;
        m.memory().write64(Fixtures.GDT + 0x18, tssDescriptor(tssA, 0xB)); // current task, busy
        m.memory().write64(Fixtures.GDT + 0x20, tssDescriptor(tssB, 0x9)); // available
        m.setGdtr(Fixtures.GDT, 0x27);
        m.setSegment(Seg.TR, 0x18, tssA, 0x67, 0x8B);
        m.memory().write32(tssB + 0x20, 0x10100); // EIP
        m.memory().write32(tssB + 0x24, 0x2);     // EFLAGS
        m.memory().write32(tssB + 0x38, 0x60000); // ESP
        m.memory().write32(tssB + 0x4C, 0x08);    // CS
        for (int off : new int[] {0x48, 0x50, 0x54, 0x58, 0x5C}) {
            m.memory().write32(tssB + off, 0x10);
        }
        m.setReg(Reg.RBX, 5);
        List<Integer> trs = new ArrayList<>();
        m.addInstructionListener((mm, rip, d) -> trs.add(mm.segment(Seg.TR).selector()));
        assertThat(m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(20)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(trs).containsExactly(0x18, 0x20, 0x20, 0x18, 0x18);
        assertThat(m.reg(Reg.RBX)).as("task A's EBX restored").isEqualTo(5);
        assertThat(m.reg(Reg.RCX)).isEqualTo(0x77);
        assertThat(m.memory().read32(tssB + 0x34)).as("task B's EBX saved in its TSS").isEqualTo(0x42);
        assertThat(m.memory().read16(tssB)).as("back link").isEqualTo(0x18);
        assertThat(m.memory().read8(Fixtures.GDT + 0x20 + 5) & 0xF).as("task B no longer busy").isEqualTo(9);
        assertThat(m.rflags() & 0x4000).as("NT clear in task A").isZero();
        assertThat(m.cr(0) & 8).as("CR0.TS").isEqualTo(8);
    }

    @Test
    void exceptionThroughIdtTaskGate_runsTheHandlerTask_withErrorCodeOnItsStack() {
        dev.vmx4j.core.Machine m = Fixtures.prot32(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("66B830008ED8F4")); // mov ax,0x30; mov ds,ax (#GP(0x30)); hlt
        m.memory().load(0x10100, Guest.bytes("8B0424F4"));         // task B: mov eax,[esp]; hlt
        long tssA = 0x7000;
        long tssB = 0x7100;
        m.memory().write64(Fixtures.GDT + 0x18, tssDescriptor(tssA, 0xB));
        m.memory().write64(Fixtures.GDT + 0x20, tssDescriptor(tssB, 0x9));
        m.setGdtr(Fixtures.GDT, 0x27);
        m.setSegment(Seg.TR, 0x18, tssA, 0x67, 0x8B);
        m.memory().write32(tssB + 0x20, 0x10100);
        m.memory().write32(tssB + 0x24, 0x2);
        m.memory().write32(tssB + 0x38, 0x60000);
        m.memory().write32(tssB + 0x4C, 0x08);
        for (int off : new int[] {0x48, 0x50, 0x54, 0x58, 0x5C}) {
            m.memory().write32(tssB + off, 0x10);
        }
        m.memory().write64(Fixtures.IDT + 13 * 8, (0x20L << 16) | (0x85L << 40)); // present task gate to 0x20
        assertThat(m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(20)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.segment(Seg.TR).selector()).isEqualTo(0x20);
        assertThat(m.reg(Reg.RAX)).as("#GP error code = the selector").isEqualTo(0x30);
        assertThat(m.reg(Reg.RSP)).isEqualTo(0x60000 - 4);
        assertThat(m.memory().read32(tssA + 0x20)).as("task A's saved EIP = the faulting MOV").isEqualTo(Fixtures.CODE + 4);
        assertThat(m.rflags() & 0x4000).as("NT set in the handler task").isNotZero();
    }

    @Test
    void iretdIntoVirtual8086Mode_andIntWithIoplZeroFaultsToRing0() {
        dev.vmx4j.core.Machine m = Fixtures.prot32(false);
        // CPL 0: push GS, FS, DS, ES (0x2000), SS 0x3000, ESP 0x100, EFLAGS VM|IF, CS 0x1000, EIP 0x100; iretd
        m.memory().load(Fixtures.CODE, Guest.bytes("68002000006800200000680020000068002000006800300000680001000068020202"
                + "0068001000006800010000CF"));
        m.memory().load(0x10100, Guest.bytes("B83412CD30")); // V86 at 1000:0100: mov ax,0x1234; int 0x30 (IOPL 0: #GP)
        // #GP handler (ring 0): mov ebx,[esp+8] (CS); mov ecx,[esp+12] (EFLAGS); mov edx,[esp+24] (ES); mov esi,[esp+4] (EIP); hlt
        m.memory().load(0x7300, Guest.bytes("8B5C24088B4C240C8B5424188B742404F4"));
        m.memory().write64(Fixtures.IDT + 13 * 8, 0x7300L | (0x08L << 16) | (0x8EL << 40));
        long tss = 0x7800;
        m.memory().write32(tss + 4, 0x90000);
        m.memory().write16(tss + 8, 0x10);
        m.setSegment(Seg.TR, 0x28, tss, 0x67, 0x8B);
        List<Integer> modes = new ArrayList<>();
        m.addInstructionListener((mm, rip, d) -> {
            if (modes.isEmpty() || modes.get(modes.size() - 1) != d.mode) {
                modes.add(d.mode);
            }
        });
        assertThat(m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(30)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(modes).containsExactly(32, 16, 32);
        assertThat(m.reg(Reg.RAX) & 0xFFFF).as("ran in virtual-8086 mode").isEqualTo(0x1234);
        assertThat(m.reg(Reg.RBX)).as("pushed V86 CS").isEqualTo(0x1000);
        assertThat(m.reg(Reg.RCX) & 0x20000).as("pushed EFLAGS.VM").isNotZero();
        assertThat(m.reg(Reg.RDX)).as("pushed V86 ES (after SS)").isEqualTo(0x2000);
        assertThat(m.memory().read32(0x90000 - 20)).as("pushed V86 SS").isEqualTo(0x3000);
        assertThat(m.reg(Reg.RSI)).as("faulting IP = the INT").isEqualTo(0x103);
        assertThat(m.cpl()).isZero();
        assertThat(m.rflags() & 0x20000).as("VM cleared").isZero();
        assertThat(m.segment(Seg.DS).accessRights() & 0x10000).as("DS nulled").isNotZero();
        assertThat(m.reg(Reg.RSP)).as("ring-0 stack with 9 pushes + error code").isEqualTo(0x90000 - 40);
    }

    @Test
    void paePagingSetThroughTheApi_loadsPdptes() {
        Guest g = Guest.prot32("8B1D00300000F4"); // mov ebx,[0x3000]; hlt
        g.m.memory().write64(0x20000, 0x21001);
        g.m.memory().write64(0x21000, 0x83);
        g.m.memory().write32(0x3000, 0x66);
        g.m.setCr(4, g.m.cr(4) | 0x20);
        g.m.setCr(3, 0x20000);
        g.m.setCr(0, g.m.cr(0) | 0x80000000L);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x66);
    }
}
