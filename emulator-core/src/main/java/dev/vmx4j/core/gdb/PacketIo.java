package dev.vmx4j.core.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The packet layer of the GDB remote serial protocol: {@code $data#cs} framing with a modulo-256
 * checksum, {@code +}/{@code -} acknowledgements, {@code }}-escaping and run-length decoding of
 * received packets, and the out-of-band interrupt byte 0x03.
 */
final class PacketIo {

    /** What {@link #read} returns for the interrupt byte (Ctrl-C) outside a packet. */
    static final String INTERRUPT = "\u0003";

    private final InputStream in;
    private final OutputStream out;
    private boolean noAck;
    private String lastSent;

    PacketIo(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** After {@code QStartNoAckMode}: neither side sends acknowledgements. */
    void setNoAck(boolean noAck) {
        this.noAck = noAck;
    }

    /** True if a byte can be read without blocking (the stub polls this between run slices). */
    boolean inputPending() throws IOException {
        return in.available() > 0;
    }

    /**
     * The next packet's payload (escapes and run-length encoding undone), {@link #INTERRUPT} for
     * Ctrl-C, or null at end of stream. Packets with a bad checksum are nacked and skipped.
     */
    String read() throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == 0x03) {
                return INTERRUPT;
            }
            if (c == '-' && lastSent != null) {
                writeRaw(lastSent);
                continue;
            }
            if (c != '$') {
                continue; // '+' acknowledgements and line noise
            }
            StringBuilder body = new StringBuilder();
            int sum = 0;
            while (true) {
                c = in.read();
                if (c < 0) {
                    return null;
                }
                if (c == '#') {
                    break;
                }
                sum += c;
                body.append((char) c);
            }
            int h = in.read();
            int l = in.read();
            if (h < 0 || l < 0) {
                return null;
            }
            int hi = Hex.digit((char) h);
            int lo = Hex.digit((char) l);
            boolean ok = hi >= 0 && lo >= 0 && ((hi << 4) | lo) == (sum & 0xFF);
            if (!noAck) {
                out.write(ok ? '+' : '-');
                out.flush();
            }
            if (ok) {
                return unescape(body);
            }
        }
    }

    /** Undoes {@code }}x -> x^0x20} escapes and {@code c*n} run-length encoding. */
    static String unescape(CharSequence raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '}' && i + 1 < raw.length()) {
                sb.append((char) (raw.charAt(++i) ^ 0x20));
            } else if (c == '*' && i + 1 < raw.length() && sb.length() > 0) {
                // Run-length: the previous character repeated (n - 29) more times.
                int n = raw.charAt(++i) - 29;
                char prev = sb.charAt(sb.length() - 1);
                for (int k = 0; k < n; k++) {
                    sb.append(prev);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Sends one packet (escaping {@code $ # } *}); payload characters must be 8-bit. */
    void write(String payload) throws IOException {
        writeRaw(frame(payload));
    }

    static String frame(String payload) {
        StringBuilder sb = new StringBuilder(payload.length() + 4).append('$');
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                sb.append('}');
                sum += '}';
                c ^= 0x20;
            }
            sb.append(c);
            sum += c;
        }
        sb.append('#');
        Hex.appendByte(sb, sum & 0xFF);
        return sb.toString();
    }

    private void writeRaw(String framed) throws IOException {
        lastSent = noAck ? null : framed;
        out.write(framed.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
