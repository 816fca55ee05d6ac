package dev.vmx4j.core.audit;

import dev.vmx4j.vmx.vmcs.VmcsField;
import java.util.Locale;

/** Field keys of the map formats: an SDM field name in UPPER_SNAKE (any case) or an encoding. */
final class FieldNames {

    private FieldNames() {
    }

    /** The field named or encoded by {@code key}; IllegalArgumentException naming the key otherwise. */
    static VmcsField field(String key) {
        String k = key.trim();
        if (k.startsWith("0x") || k.startsWith("0X")) {
            int enc;
            try {
                enc = Integer.parseUnsignedInt(k.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + key + "' is neither a VMCS field name nor an encoding");
            }
            return byEncoding(enc, key);
        }
        try {
            return VmcsField.valueOf(k.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + key + "' is not a VMCS field name (the SDM's names in "
                    + "UPPER_SNAKE, e.g. GUEST_CR0, or an encoding such as 0x6800)");
        }
    }

    static VmcsField byEncoding(long enc, String key) {
        VmcsField f = enc >= 0 && enc <= 0xFFFF ? VmcsField.byEncoding((int) enc) : null;
        if (f == null) {
            throw new IllegalArgumentException("'" + key + "' is not the encoding of a VMCS field");
        }
        if (VmcsField.isHighAccess((int) enc)) {
            throw new IllegalArgumentException("'" + key + "' is the high-access encoding of " + f.name()
                    + "; give the full 64-bit value under " + String.format("0x%04x", f.encoding()));
        }
        return f;
    }

    /** A value: a number, or a string holding a decimal or 0x-hex number. */
    static long value(Object v, String key) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.math.BigInteger) {
            java.math.BigInteger b = (java.math.BigInteger) v;
            if (b.signum() < 0 || b.bitLength() > 64) {
                throw new IllegalArgumentException("value of " + key + " does not fit in 64 bits: " + b);
            }
            return b.longValue();
        }
        if (v instanceof String) {
            String s = ((String) v).trim().replace("_", "");
            try {
                if (s.startsWith("0x") || s.startsWith("0X")) {
                    return Long.parseUnsignedLong(s.substring(2), 16);
                }
                if (s.startsWith("-")) {
                    return Long.parseLong(s);
                }
                return Long.parseUnsignedLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("value of " + key + " is not a number: '" + v + "'");
            }
        }
        throw new IllegalArgumentException("value of " + key + " must be a number or a string such as "
                + "\"0x80000031\", was " + v);
    }
}
