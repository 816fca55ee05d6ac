package dev.vmx4j.core.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Encoding forms: the id per mnemonic and operand shape, the flattened operands, NONE and GENERIC. */
class FormTest {

    private static DecodedInstruction decode64(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        DecodedInstruction d = new DecodedInstruction();
        assertThat(new Decoder().decode(b, 0, b.length, 64, d)).isEqualTo(DecodeStatus.OK);
        return d;
    }

    @Test
    void registerShapes_haveTheirFormAndFlattenedOperands() {
        DecodedInstruction add = decode64(0x48, 0x01, 0xD8);           // add rax, rbx
        assertThat(add.form).isEqualTo(Form.ADD_RR);
        assertThat(add.reg0).isEqualTo(0);
        assertThat(add.reg1).isEqualTo(3);
        assertThat(add.size0).isEqualTo(8);
        assertThat(add.size1).isEqualTo(8);
        DecodedInstruction and = decode64(0x81, 0xE6, 0xF8, 0xFF, 0x00, 0x00); // and esi, 0xfff8
        assertThat(and.form).isEqualTo(Form.AND_RI);
        assertThat(and.reg0).isEqualTo(6);
        assertThat(and.size0).isEqualTo(4);
        assertThat(decode64(0x48, 0xC1, 0xE2, 0x0D).form).isEqualTo(Form.SHL_RI); // shl rdx, 13
        assertThat(decode64(0x49, 0xFF, 0xC0).form).isEqualTo(Form.INC_R);       // inc r8
        assertThat(decode64(0x41, 0x50).form).isEqualTo(Form.PUSH_R);            // push r8
        assertThat(decode64(0x41, 0x50).reg0).isEqualTo(8);
    }

    @Test
    void memoryShapes_andBranches_haveTheirForm() {
        assertThat(decode64(0x48, 0x8B, 0x14, 0x33).form).isEqualTo(Form.MOV_RM);  // mov rdx, [rbx+rsi]
        assertThat(decode64(0x48, 0x89, 0x14, 0x33).form).isEqualTo(Form.MOV_MR);  // mov [rbx+rsi], rdx
        assertThat(decode64(0x48, 0x01, 0x03).form).isEqualTo(Form.ADD_MR);        // add [rbx], rax
        assertThat(decode64(0x83, 0x3B, 0x05).form).isEqualTo(Form.CMP_MI);        // cmp dword [rbx], 5
        assertThat(decode64(0x48, 0x8D, 0x04, 0x40).form).isEqualTo(Form.LEA);     // lea rax, [rax+rax*2]
        assertThat(decode64(0x75, 0xFC).form).isEqualTo(Form.JCC);                 // jnz -4
        assertThat(decode64(0xE8, 0, 0, 0, 0).form).isEqualTo(Form.CALL_REL);      // call +0
        assertThat(decode64(0xC3).form).isEqualTo(Form.RET);                       // ret
    }

    @Test
    void otherRegisterFlagMemoryInstructions_areGeneric_andTheRestNone() {
        assertThat(decode64(0x88, 0xE0).form).isEqualTo(Form.GENERIC);             // mov al, ah
        assertThat(decode64(0x48, 0x0F, 0xAF, 0xC3).form).isEqualTo(Form.GENERIC); // imul rax, rbx
        assertThat(decode64(0xFF, 0x14, 0xD3).form).isEqualTo(Form.GENERIC);       // call [rbx+rdx*8]
        assertThat(decode64(0xC2, 0x08, 0x00).form).isEqualTo(Form.GENERIC);       // ret 8
        assertThat(decode64(0x0F, 0x22, 0xD8).form).isEqualTo(Form.NONE);          // mov cr3, rax
        assertThat(decode64(0xF3, 0x48, 0xA5).form).isEqualTo(Form.NONE);          // rep movsq
        assertThat(decode64(0xFB).form).isEqualTo(Form.NONE);                      // sti
        assertThat(decode64(0x9D).form).isEqualTo(Form.NONE);                      // popf
        assertThat(decode64(0x0F, 0xA2).form).isEqualTo(Form.NONE);                // cpuid
        assertThat(decode64(0x0F, 0xA1).form).isEqualTo(Form.NONE);                // pop fs
    }

    @Test
    void aReusedInstance_isReclassifiedOnEveryDecode() {
        DecodedInstruction d = new DecodedInstruction();
        Decoder dec = new Decoder();
        dec.decode(new byte[] {0x48, 0x01, (byte) 0xD8}, 0, 3, 64, d);
        assertThat(d.form).isEqualTo(Form.ADD_RR);
        dec.decode(new byte[] {(byte) 0xFB}, 0, 1, 64, d);
        assertThat(d.form).isEqualTo(Form.NONE);
        d.clear();
        assertThat(d.form).isEqualTo(Form.NONE);
    }
}
