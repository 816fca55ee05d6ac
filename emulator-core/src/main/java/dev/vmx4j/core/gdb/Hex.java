package dev.vmx4j.core.gdb;

/** Hex encodings of the remote protocol: big-endian numbers and little-endian register bytes. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** An unsigned hex number (as in addresses and lengths); throws {@link ProtocolException} if malformed. */
    static long parse(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new ProtocolException("bad hex number '" + s + "'");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = digit(s.charAt(i));
            if (d < 0) {
                throw new ProtocolException("bad hex number '" + s + "'");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    static void appendByte(StringBuilder sb, int b) {
        sb.append(DIGITS[(b >>> 4) & 0xF]).append(DIGITS[b & 0xF]);
    }

    /** {@code bytes} bytes of {@code value}, least significant first (target byte order). */
    static void appendLe(StringBuilder sb, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            appendByte(sb, (int) (value >>> (8 * i)));
        }
    }

    /** Reads {@code bytes} little-endian bytes from hex text at {@code pos}. */
    static long parseLe(String s, int pos, int bytes) {
        if (pos + 2 * bytes > s.length()) {
            throw new ProtocolException("register data too short");
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            int hi = digit(s.charAt(pos + 2 * i));
            int lo = digit(s.charAt(pos + 2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new ProtocolException("bad hex byte in register data");
            }
            if (i < 8) {
                v |= (long) ((hi << 4) | lo) << (8 * i);
            }
        }
        return v;
    }

    static byte[] decodeBytes(String s) {
        if ((s.length() & 1) != 0) {
            throw new ProtocolException("odd number of hex digits");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(s.charAt(2 * i));
            int lo = digit(s.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new ProtocolException("bad hex byte");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    static String encode(byte[] b, int offset, int length) {
        StringBuilder sb = new StringBuilder(2 * length);
        for (int i = 0; i < length; i++) {
            appendByte(sb, b[offset + i]);
        }
        return sb.toString();
    }

    static String encodeText(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return encode(b, 0, b.length);
    }

    static String decodeText(String hex) {
        return new String(decodeBytes(hex), java.nio.charset.StandardCharsets.UTF_8);
    }
}
