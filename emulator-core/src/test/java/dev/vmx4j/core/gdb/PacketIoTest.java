package dev.vmx4j.core.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PacketIoTest {

    private static PacketIo io(String input, ByteArrayOutputStream out) {
        return new PacketIo(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), out);
    }

    @Test
    void frame_appendsTheModulo256ChecksumInLowerCaseHex() {
        assertThat(PacketIo.frame("OK")).isEqualTo("$OK#9a");
        assertThat(PacketIo.frame("")).isEqualTo("$#00");
    }

    @Test
    void frame_escapesDollarHashBraceAndStar() {
        // '$' (0x24) -> '}' 0x04; the checksum covers the escaped bytes.
        String f = PacketIo.frame("a$b");
        assertThat(f).startsWith("$a}\u0004b#");
        int sum = 'a' + '}' + 0x04 + 'b';
        assertThat(f).endsWith(String.format("%02x", sum & 0xFF));
    }

    @Test
    void read_acknowledgesAGoodPacketAndReturnsItsPayload() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketIo p = io("+$qC#b4", out);
        assertThat(p.read()).isEqualTo("qC");
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("+");
    }

    @Test
    void read_nacksABadChecksumAndSkipsToTheNextPacket() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketIo p = io("$qC#00$g#67", out);
        assertThat(p.read()).isEqualTo("g");
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("-+");
    }

    @Test
    void read_returnsTheInterruptByteOutsideAPacket() throws Exception {
        PacketIo p = io("\u0003", new ByteArrayOutputStream());
        assertThat(p.read()).isEqualTo(PacketIo.INTERRUPT);
        assertThat(p.read()).isNull();
    }

    @Test
    void read_undoesEscapesAndRunLengthEncoding() {
        assertThat(PacketIo.unescape("a}\u0004b")).isEqualTo("a$b");
        // "0* " = '0' followed by (' ' - 29) = 3 more.
        assertThat(PacketIo.unescape("0* ")).isEqualTo("0000");
    }

    @Test
    void write_resendsTheLastPacketOnANack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketIo p = io("-$g#67", out);
        p.write("OK");
        assertThat(p.read()).isEqualTo("g");
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("$OK#9a$OK#9a+");
    }

    @Test
    void noAckMode_sendsNoAcknowledgements() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketIo p = io("$g#67", out);
        p.setNoAck(true);
        assertThat(p.read()).isEqualTo("g");
        assertThat(out.size()).isZero();
    }

    @Test
    void hex_parsesNumbersAndLittleEndianRegisterBytes() {
        assertThat(Hex.parse("1000ed")).isEqualTo(0x1000ed);
        assertThat(Hex.parseLe("efbeadde", 0, 4)).isEqualTo(0xdeadbeefL);
        StringBuilder sb = new StringBuilder();
        Hex.appendLe(sb, 0x1122, 4);
        assertThat(sb.toString()).isEqualTo("22110000");
        assertThatThrownBy(() -> Hex.parse("xyz")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Hex.decodeBytes("abc")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void targetDescription_namesTheArchitectureAndEveryRegisterInOrder() {
        String xml = TargetDescription.xml();
        assertThat(xml).contains("<architecture>i386:x86-64</architecture>")
                .contains("<feature name=\"org.gnu.gdb.i386.core\">")
                .contains("<feature name=\"org.gnu.gdb.i386.sse\">")
                .contains("<feature name=\"org.gnu.gdb.i386.segments\">")
                .contains("<feature name=\"" + GdbRegister.SYSTEM_FEATURE + "\">")
                .contains("<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\" regnum=\"16\"/>")
                .contains("<reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\" regnum=\"40\" group=\"vector\"/>")
                .contains("<reg name=\"fs_base\" bitsize=\"64\" type=\"int64\" regnum=\"57\"/>")
                .contains("<reg name=\"cr3\" bitsize=\"64\" type=\"int64\" regnum=\"61\" group=\"system\"/>");
        // gdb's amd64 numbering: rax rbx rcx rdx rsi rdi rbp rsp, r8-r15, rip, eflags, cs ss ds es fs gs.
        assertThat(xml.indexOf("\"rbx\"")).isLessThan(xml.indexOf("\"rcx\""));
        assertThat(xml.indexOf("\"rsp\"")).isLessThan(xml.indexOf("\"r8\""));
        assertThat(xml.indexOf("\"eflags\"")).isLessThan(xml.indexOf("\"cs\""));
    }
}
