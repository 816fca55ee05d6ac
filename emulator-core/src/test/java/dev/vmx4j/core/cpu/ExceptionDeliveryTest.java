package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exception and interrupt delivery: IVT in real mode, 16-byte IDT gates in 64-bit mode, #DF, triple fault. */
class ExceptionDeliveryTest {

    private static final long GDT = 0x5000;
    private static final long IDT = 0x6000;
    private static final long HANDLER = Guest.CODE + 0x100;
    /** mov r15,[rsp]; mov r14,[rsp+8]; mov r13,[rsp+16]; mov r12,[rsp+24]; mov r11,[rsp+32]; hlt */
    private static final String FRAME_HANDLER = "4C8B3C244C8B7424084C8B6C24104C8B6424184C8B5C2420F4";

    /** GDT with a 64-bit code segment at 0x08, IDT at {@link #IDT} with 256 empty entries. */
    private static Guest long64WithIdt(String main) {
        Guest g = Guest.long64(main);
        g.m.memory().write64(GDT + 8, 0x00209A0000000000L); // P, DPL 0, code exec/read, L
        g.m.memory().write64(GDT + 0x10, 0x00CF92000000FFFFL); // P, DPL 0, data read/write, flat
        g.m.setGdtr(GDT, 0x17);
        g.m.setIdtr(IDT, 256 * 16 - 1);
        return g;
    }

    /** SDM "64-Bit IDT Gate Descriptors": offset, selector 0x08, present interrupt gate. */
    private static void gate64(Guest g, int vector, long handler, int type) {
        long lo = (handler & 0xFFFF) | (0x08L << 16) | ((long) type << 40) | (1L << 47) | ((handler >>> 16 & 0xFFFF) << 48);
        g.m.memory().write64(IDT + vector * 16L, lo);
        g.m.memory().write64(IDT + vector * 16L + 8, handler >>> 32);
    }

    private static void handlerAt(Guest g, long address, String hex) {
        g.m.memory().load(address, Guest.bytes(hex));
    }

    @Test
    void divideError64_pushesFrameOn16ByteAlignedStack_withFaultingRip() {
        Guest g = long64WithIdt("31C9F7F1F4"); // xor ecx,ecx; div ecx; hlt
        gate64(g, 0, HANDLER, 0xE);
        handlerAt(g, HANDLER, FRAME_HANDLER);
        g.m.setReg(Reg.RSP, Guest.STACK - 8);
        g.m.setRflags(0x202);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.R15)).as("return RIP = the DIV").isEqualTo(Guest.CODE + 2);
        assertThat(g.reg(Reg.R14)).as("CS").isEqualTo(8);
        assertThat(g.reg(Reg.R13) & 0x200).as("pushed RFLAGS.IF").isEqualTo(0x200);
        assertThat(g.reg(Reg.R12)).as("old RSP").isEqualTo(Guest.STACK - 8);
        assertThat(g.reg(Reg.R11)).as("SS").isEqualTo(0x10);
        assertThat(g.reg(Reg.RSP)).as("aligned down to 16, then 5 pushes").isEqualTo(Guest.STACK - 16 - 40);
        assertThat(g.m.rflags() & 0x200).as("interrupt gate clears IF").isZero();
    }

    @Test
    void faultClassExceptions_pushRflagsWithRfSet_trapsAndSoftwareInterruptsDoNot() {
        Guest g = long64WithIdt("0F0BF4"); // ud2; hlt
        gate64(g, 6, HANDLER, 0xE);
        handlerAt(g, HANDLER, FRAME_HANDLER);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.R13) & (1L << 16)).as("#UD: pushed RFLAGS.RF").isNotZero();
        assertThat(g.m.rflags() & (1L << 16)).as("the handler runs with RF clear").isZero();
        Guest h = long64WithIdt("CD40F4"); // int 0x40; hlt
        gate64(h, 0x40, HANDLER, 0xE);
        handlerAt(h, HANDLER, FRAME_HANDLER);
        assertThat(h.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(h.reg(Reg.R13) & (1L << 16)).as("INT n: RF as it was (0)").isZero();
    }

    @Test
    void movToDr6_keepsTheReservedBitsSet_includingBit16WithoutRtm() {
        Guest g = Guest.long64("31C00F23F00F21F3F4"); // xor eax,eax; mov dr6,rax; mov rbx,dr6; hlt
        g.run();
        assertThat(g.reg(Reg.RBX)).isEqualTo(0xFFFF0FF0L);
    }

    @Test
    void generalProtection64_nonCanonicalLoad_pushesErrorCodeZero() {
        // mov rax,0x8000000000000000; mov rbx,[rax]; hlt
        Guest g = long64WithIdt("48B80000000000000080488B18F4");
        gate64(g, 13, HANDLER, 0xF);
        handlerAt(g, HANDLER, FRAME_HANDLER);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.R15)).as("error code").isZero();
        assertThat(g.reg(Reg.R14)).as("return RIP = the MOV").isEqualTo(Guest.CODE + 10);
        assertThat(g.reg(Reg.RSP)).isEqualTo(Guest.STACK - 48);
    }

    @Test
    void softwareInterrupt64_andIretq_resumeAfterInt() {
        Guest g = long64WithIdt("CD80B901000000F4"); // int 0x80; mov ecx,1; hlt
        gate64(g, 0x80, HANDLER, 0xE);
        handlerAt(g, HANDLER, "BB8000000048CF"); // mov ebx,0x80; iretq
        List<Integer> ints = new ArrayList<>();
        g.m.addInterruptListener(ints::add);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX)).isEqualTo(0x80);
        assertThat(g.reg(Reg.RCX)).isEqualTo(1);
        assertThat(g.reg(Reg.RSP)).isEqualTo(Guest.STACK);
        assertThat(ints).containsExactly(0x80);
    }

    @Test
    void faultWhileDeliveringGp_becomesDoubleFault() {
        // #GP -> gate 13 not present -> #NP (contributory after contributory) -> #DF through gate 8.
        Guest g = long64WithIdt("48B80000000000000080488B18F4");
        gate64(g, 8, HANDLER, 0xE);
        handlerAt(g, HANDLER, FRAME_HANDLER);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(vectors).containsExactly(13, 8);
        assertThat(g.reg(Reg.R15)).as("#DF error code").isZero();
    }

    @Test
    void benignThenContributory_isDeliveredSerially_notAsDoubleFault() {
        // #UD (benign) -> gate 6 not present -> #NP(6*8+2+1) delivered through gate 11.
        Guest g = long64WithIdt("0F0B");
        gate64(g, 6, HANDLER, 0xE);
        g.m.memory().write8(IDT + 6 * 16 + 5, 0x0E); // clear P
        gate64(g, 11, HANDLER, 0xE);
        handlerAt(g, HANDLER, FRAME_HANDLER);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(vectors).containsExactly(6, 11);
        assertThat(g.reg(Reg.R15)).as("#NP error code: IDT bit, EXT").isEqualTo(6 * 8 + 2 + 1);
    }

    @Test
    void faultWhileDeliveringDoubleFault_isTripleFaultShutdown() {
        Guest g = long64WithIdt("48B80000000000000080488B18F4");
        assertThat(g.run().reason()).isEqualTo(StopReason.SHUTDOWN);
        // A shut-down machine stays down.
        assertThat(g.run().reason()).isEqualTo(StopReason.SHUTDOWN);
    }

    @Test
    void realModeDivideError_goesThroughIvt_andIretReturns() {
        // main at 1000:0000: xor cx,cx; div cx; mov dx,1; hlt
        Guest g = Guest.real("31C9F7F1BA0100F4");
        // handler at 1000:0100: mov bp,sp; add word [bp],2; mov bx,0x77; iret
        g.m.memory().load(0x10100, Guest.bytes("89E583460002BB7700CF"));
        g.m.memory().write32(0, 0x1000_0100); // IVT[0] = 1000:0100
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX) & 0xFFFF).isEqualTo(0x77);
        assertThat(g.reg(Reg.RDX) & 0xFFFF).isEqualTo(1);
        assertThat(g.reg(Reg.RSP) & 0xFFFF).isEqualTo(0x8000);
        assertThat(g.m.rip()).as("after the HLT").isEqualTo(8);
    }

    @Test
    void realModeIntN_pushesFlagsCsIp_andClearsIf() {
        Guest g = Guest.real("CD21BA0200F4"); // int 0x21; mov dx,2; hlt
        g.m.memory().load(0x10100, Guest.bytes("BB2100CF")); // mov bx,0x21; iret
        g.m.memory().write32(0x21 * 4, 0x1000_0100);
        g.m.setRflags(0x202);
        assertThat(g.run(2).reason()).isEqualTo(StopReason.INSTRUCTION_LIMIT);
        assertThat(g.m.rflags() & 0x200).as("IF cleared in the handler").isZero();
        assertThat(g.m.memory().read16(0x7FFE)).as("pushed FLAGS").isEqualTo(0x202);
        assertThat(g.m.memory().read16(0x7FFC)).as("pushed CS").isEqualTo(0x1000);
        assertThat(g.m.memory().read16(0x7FFA)).as("pushed IP").isEqualTo(2);
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(g.reg(Reg.RBX) & 0xFFFF).isEqualTo(0x21);
        assertThat(g.reg(Reg.RDX) & 0xFFFF).isEqualTo(2);
        assertThat(g.m.rflags() & 0x200).as("IRET restored IF").isEqualTo(0x200);
    }

    @Test
    void realModeWordAccessAtOffsetFfff_isGeneralProtection() {
        // mov ax,[0xffff]; hlt  -> #GP (vector 13) through IVT[13]
        Guest g = Guest.real("A1FFFFF4");
        g.m.memory().load(0x10100, Guest.bytes("F4"));
        g.m.memory().write32(13 * 4, 0x1000_0100);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(vectors).containsExactly(13);
        assertThat(g.m.rip()).isEqualTo(0x101);
    }

    @Test
    void hltAtCpl3_isGeneralProtection() {
        Guest g = long64WithIdt("F4");
        gate64(g, 13, HANDLER, 0xE);
        handlerAt(g, HANDLER, FRAME_HANDLER);
        g.m.memory().write64(GDT + 0x18, 0x0020FA0000000000L); // DPL 3 64-bit code
        g.m.memory().write64(GDT + 0x20, 0x0000F20000000000L); // DPL 3 data
        g.m.setGdtr(GDT, 0x27);
        g.m.setSegment(dev.vmx4j.core.Seg.CS, 0x1B, 0, 0xFFFFFFFF, 0xA0FB);
        g.m.setSegment(dev.vmx4j.core.Seg.SS, 0x23, 0, 0xFFFFFFFF, 0xC0F3);
        // TSS with RSP0 for the privilege change.
        long tss = 0x7000;
        g.m.memory().write64(tss + 4, 0x90000);
        g.m.setSegment(dev.vmx4j.core.Seg.TR, 0x28, tss, 0x67, 0x8B);
        assertThat(g.m.cpl()).isEqualTo(3);
        List<Integer> vectors = new ArrayList<>();
        g.m.addExceptionListener((v, e, has) -> vectors.add(v));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(vectors).containsExactly(13);
        assertThat(g.m.cpl()).isZero();
        assertThat(g.reg(Reg.R14)).as("return RIP = the HLT").isEqualTo(Guest.CODE);
        assertThat(g.reg(Reg.R13)).as("user CS").isEqualTo(0x1B);
        assertThat(g.reg(Reg.RSP)).as("RSP0 from the TSS, 6 pushes").isEqualTo(0x90000 - 48);
    }

    @Test
    void protectedModeIntFromCpl3_switchesToTheTssRing0Stack() {
        dev.vmx4j.core.Machine m = Fixtures.prot32(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("CD80F4")); // int 0x80; hlt
        // handler: mov eax,[esp]; mov ebx,[esp+4]; mov ecx,[esp+12]; mov edx,[esp+16]; hlt
        m.memory().load(0x7200, Guest.bytes("8B04248B5C24048B4C240C8B542410F4"));
        m.memory().write64(Fixtures.GDT + 0x18, 0x00CFFA000000FFFFL); // DPL 3 code
        m.memory().write64(Fixtures.GDT + 0x20, 0x00CFF2000000FFFFL); // DPL 3 data
        m.setGdtr(Fixtures.GDT, 0x27);
        long gate = 0x7200L | (0x08L << 16) | (0xEEL << 40) | (0L << 48); // present, DPL 3, 32-bit interrupt gate
        m.memory().write64(Fixtures.IDT + 0x80 * 8, gate);
        long tss = 0x7800;
        m.memory().write32(tss + 4, 0x90000);
        m.memory().write16(tss + 8, 0x10);
        m.setSegment(dev.vmx4j.core.Seg.TR, 0x28, tss, 0x67, 0x8B);
        m.setSegment(dev.vmx4j.core.Seg.CS, 0x1B, 0, 0xFFFFFFFF, 0xC0FB);
        m.setSegment(dev.vmx4j.core.Seg.SS, 0x23, 0, 0xFFFFFFFF, 0xC0F3);
        assertThat(m.cpl()).isEqualTo(3);
        assertThat(m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(20)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.cpl()).isZero();
        assertThat(m.reg(Reg.RAX)).as("return EIP").isEqualTo(Fixtures.CODE + 2);
        assertThat(m.reg(Reg.RBX)).as("user CS").isEqualTo(0x1B);
        assertThat(m.reg(Reg.RCX)).as("user ESP").isEqualTo(Fixtures.STACK);
        assertThat(m.reg(Reg.RDX)).as("user SS").isEqualTo(0x23);
        assertThat(m.reg(Reg.RSP)).isEqualTo(0x90000 - 20);
        assertThat(m.segment(dev.vmx4j.core.Seg.SS).selector()).isEqualTo(0x10);
    }

    @Test
    void iretqToCpl3_thenIntThroughIstGate_returnsToRing0OnTheIstStack() {
        // push 0x23; push 0x70000; push 0x202; push 0x1b; lea rax,[rel user]; push rax; iretq; user: mov r8,1; int 0x80
        Guest g = long64WithIdt("6A23680000070068020200006A1B488D05030000005048CF41B801000000CD80");
        g.m.memory().write64(GDT + 0x18, 0x0020FA0000000000L); // DPL 3 64-bit code
        g.m.memory().write64(GDT + 0x20, 0x00CFF2000000FFFFL); // DPL 3 data
        g.m.setGdtr(GDT, 0x27);
        // Gate 0x80: DPL 3, IST 1.
        long lo = (HANDLER & 0xFFFF) | (0x08L << 16) | (1L << 32) | (0xEEL << 40) | ((HANDLER >>> 16 & 0xFFFF) << 48);
        g.m.memory().write64(IDT + 0x80 * 16, lo);
        handlerAt(g, HANDLER, "4C8B4C24084C8B542418F4"); // mov r9,[rsp+8]; mov r10,[rsp+24]; hlt
        long tss = 0x7000;
        g.m.memory().write64(tss + 0x24, 0x95000);
        g.m.setSegment(dev.vmx4j.core.Seg.TR, 0x28, tss, 0x67, 0x8B);
        List<Integer> cpls = new ArrayList<>();
        g.m.addInstructionListener((m, rip, d) -> cpls.add(m.cpl()));
        assertThat(g.run().reason()).isEqualTo(StopReason.HALTED);
        assertThat(cpls).containsSubsequence(0, 3, 3, 0);
        assertThat(g.reg(Reg.R8)).isEqualTo(1);
        assertThat(g.reg(Reg.R9)).as("pushed user CS").isEqualTo(0x1B);
        assertThat(g.reg(Reg.R10)).as("pushed user RSP").isEqualTo(0x70000);
        assertThat(g.reg(Reg.RSP)).as("IST1 stack, five pushes").isEqualTo(0x95000 - 40);
        assertThat(g.m.segment(dev.vmx4j.core.Seg.SS).selector()).as("null SS with RPL 0").isZero();
    }

    @Test
    void farCallThroughA64BitCallGate_toRing0_andFarReturnToRing3() {
        // user: call far dword [rel ptr] (selector 0x33: the gate, RPL 3); mov r8,1; l: jmp l
        Guest g = long64WithIdt("FF1D0800000041B801000000EBFE000000003300");
        g.m.memory().write64(GDT + 0x18, 0x0020FA0000000000L); // DPL 3 64-bit code
        g.m.memory().write64(GDT + 0x20, 0x00CFF2000000FFFFL); // DPL 3 data
        // 0x30: 64-bit call gate, DPL 3, target 0x08:HANDLER (16 bytes).
        g.m.memory().write64(GDT + 0x30, (HANDLER & 0xFFFF) | (0x08L << 16) | (0xECL << 40) | ((HANDLER >>> 16 & 0xFFFF) << 48));
        g.m.memory().write64(GDT + 0x38, HANDLER >>> 32);
        g.m.setGdtr(GDT, 0x3F);
        handlerAt(g, HANDLER, "4C8B4C24084C8B54241048CB"); // mov r9,[rsp+8]; mov r10,[rsp+16]; o64 retf
        long tss = 0x7000;
        g.m.memory().write64(tss + 4, 0x90000);
        g.m.setSegment(dev.vmx4j.core.Seg.TR, 0x28, tss, 0x67, 0x8B);
        g.m.setSegment(dev.vmx4j.core.Seg.CS, 0x1B, 0, 0xFFFFFFFF, 0xA0FB);
        g.m.setSegment(dev.vmx4j.core.Seg.SS, 0x23, 0, 0xFFFFFFFF, 0xC0F3);
        List<Integer> cpls = new ArrayList<>();
        g.m.addInstructionListener((m, rip, d) -> cpls.add(m.cpl()));
        g.run(10);
        assertThat(cpls).startsWith(3, 0, 0, 0, 3, 3);
        assertThat(g.reg(Reg.R9)).as("pushed user CS").isEqualTo(0x1B);
        assertThat(g.reg(Reg.R10)).as("pushed user RSP").isEqualTo(Guest.STACK);
        assertThat(g.reg(Reg.R8)).isEqualTo(1);
        assertThat(g.m.cpl()).isEqualTo(3);
        assertThat(g.reg(Reg.RSP)).isEqualTo(Guest.STACK);
        assertThat(g.m.segment(dev.vmx4j.core.Seg.SS).selector()).isEqualTo(0x23);
    }

    @Test
    void sixteenBitInterruptGate_pushesWords() {
        dev.vmx4j.core.Machine m = Fixtures.prot32(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("CD40F4")); // int 0x40; hlt
        m.memory().load(0x7300, Guest.bytes("0FB704240FB75C2402F4")); // movzx eax,word [esp]; movzx ebx,word [esp+2]; hlt
        m.memory().write64(Fixtures.IDT + 0x40 * 8, 0x7300L | (0x08L << 16) | (0x86L << 40)); // 16-bit interrupt gate
        assertThat(m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(10)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.reg(Reg.RAX)).as("IP, truncated to 16 bits").isEqualTo((Fixtures.CODE + 2) & 0xFFFF);
        assertThat(m.reg(Reg.RBX)).as("CS").isEqualTo(0x08);
        assertThat(m.reg(Reg.RSP)).as("three 2-byte pushes").isEqualTo(Fixtures.STACK - 6);
    }

    @Test
    void farCallThroughA16BitCallGate_pushesWordReturnAddress() {
        dev.vmx4j.core.Machine m = Fixtures.prot32(false);
        m.memory().load(Fixtures.CODE, Guest.bytes("6A119A000000004800B977000000F4")); // push 0x11; call 0x48:0; ...
        // handler: movzx eax,word [esp]; movzx ebx,word [esp+2]; movzx edx,word [esp+4]; hlt
        m.memory().load(0x7300, Guest.bytes("0FB704240FB75C24020FB7542404F4"));
        m.memory().write64(Fixtures.GDT + 0x48, 0x7300L | (0x08L << 16) | (0x84L << 40)); // 16-bit call gate, DPL 0
        m.setGdtr(Fixtures.GDT, 0x4F);
        assertThat(m.run(dev.vmx4j.core.RunLimits.unlimited().maxInstructions(10)).reason()).isEqualTo(StopReason.HALTED);
        assertThat(m.reg(Reg.RAX)).as("return IP (16 bits)").isEqualTo((Fixtures.CODE + 9) & 0xFFFF);
        assertThat(m.reg(Reg.RBX)).as("CS").isEqualTo(0x08);
        assertThat(m.reg(Reg.RDX)).as("the caller's pushed value").isEqualTo(0x11);
        assertThat(m.reg(Reg.RSP)).isEqualTo(Fixtures.STACK - 8);
    }
}
