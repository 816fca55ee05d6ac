package dev.vmx4j.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmx4j.core.Reg;
import dev.vmx4j.core.decoder.DecodeStatus;
import dev.vmx4j.core.decoder.DecodedInstruction;
import dev.vmx4j.core.decoder.Decoder;
import dev.vmx4j.core.decoder.Form;
import dev.vmx4j.core.decoder.Mnemonic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The page run tests the events model's deadline, the MMIO counter and a stop request only after
 * instructions whose {@link FormExec#execute} result carries {@link FormExec#CHECK}: every form
 * that reads or writes memory (which may reach MMIO) or runs through {@code Exec} must carry it,
 * and the result's cost bits must be the mnemonic's cycle cost either way.
 */
class FormExecCheckTest {

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
        // register and immediate forms: registers, flags and RIP only
        "mov rax rbx, 4889D8, false",
        "mov eax imm, B878563412, false",
        "movzx eax bl, 0FB6C3, false",
        "lea rax [rbx+rsi*2+8], 488D447308, false",
        "add rax rbx, 4801D8, false",
        "sub rax imm8, 4883E805, false",
        "and esi imm32, 81E6F8FF0000, false",
        "xor rax rdx, 4831D0, false",
        "cmp rax rbx, 4839D8, false",
        "test al imm8, A801, false",
        "inc r8, 49FFC0, false",
        "dec ecx, FFC9, false",
        "shl rdx 13, 48C1E20D, false",
        "shr rdx 7, 48C1EA07, false",
        "sar rdx 3, 48C1FA03, false",
        "ror rdi 1, 48C1CF01, false",
        "rol rdi 5, 48C1C705, false",
        "jz +2 (not taken), 7402, false",
        "jmp +2, EB02, false",
        // memory forms (data and stack): the stop conditions are tested after them
        "mov rdx [rbx+rsi], 488B1433, true",
        "mov [rbx+rsi] rdx, 48891433, true",
        "mov qword [rbx] imm, 48C70301000000, true",
        "movzx eax byte [rbx], 0FB603, true",
        "add rdx [rbx], 480313, true",
        "add [rbx] rdx, 480113, true",
        "sub qword [rbx] imm8, 48832B01, true",
        "and [rbx] rdx, 482113, true",
        "or [rbx] rdx, 480913, true",
        "xor rdx [rbx], 483313, true",
        "cmp rdx [rbx], 483B13, true",
        "cmp [rbx] rdx, 483913, true",
        "cmp qword [rbx] imm8, 48833B01, true",
        "test [rbx] rdx, 488513, true",
        "test dword [rbx] imm32, F70301000000, true",
        "push rax, 50, true",
        "pop rcx, 59, true",
        "call +0, E800000000, true",
        "ret, C3, true",
        // through Exec.execute (GENERIC)
        "inc qword [rbx], 48FF03, true",
        "call rax, FFD0, true",
        "xchg rax rbx, 4893, true",
    })
    void executeResult_carriesCheckExactlyForMemoryAndGenericForms(String name, String hex, boolean check) {
        Guest g = Guest.long64("F4");
        g.m.setReg(Reg.RBX, 0x40000);
        g.m.setReg(Reg.RSI, 0x100);
        g.m.setReg(Reg.RAX, Guest.CODE);
        Cpu c = Cpu.of(g.m);
        byte[] bytes = Guest.bytes(hex);
        DecodedInstruction d = new DecodedInstruction();
        assertThat(new Decoder().decode(bytes, 0, bytes.length, 64, d)).isEqualTo(DecodeStatus.OK);
        assertThat(d.form).as("a form the page run executes").isNotEqualTo(Form.NONE);
        c.rip = Guest.CODE;
        c.nextRip = Guest.CODE + d.length;
        c.exec.cost = 0;

        int r = new FormExec(c).execute(d);

        assertThat(r >= FormExec.CHECK).as("CHECK").isEqualTo(check);
        int cost = r & FormExec.COST;
        if (d.form == Form.GENERIC) {
            assertThat(cost).isEqualTo(c.exec.cost);
        } else {
            boolean taken = d.mnemonic == Mnemonic.JMP || d.mnemonic == Mnemonic.CALL || d.mnemonic == Mnemonic.RET
                    || c.nextRip != Guest.CODE + d.length;
            assertThat(cost).isEqualTo(CycleTable.BASE[d.mnemonic.ordinal()] + (taken ? CycleTable.TAKEN_BRANCH : 0));
        }
    }
}
